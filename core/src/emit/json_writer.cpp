// JsonWriter: escaping and number formatting. The string fast path copies runs
// of bytes that need no escaping; UTF-8 is validated as it is copied.
#include "sluice/json_writer.h"

#include <cstdint>
#include <cstring>

#include "text/number_text.h"
#include "text/utf8.h"


namespace sluice {

void JsonWriter::AppendQuoted(std::string& out, std::string_view value) {
  static const char kHex[] = "0123456789abcdef";
  const auto* s = reinterpret_cast<const unsigned char*>(value.data());
  const size_t n = value.size();
  out.push_back('"');
  size_t run = 0;  // start of the pending run of bytes copied as they are
  size_t i = 0;
  // Bytes copied as they are: printable ASCII but the quote and the backslash.
  static const struct Plain {
    bool table[256];
    constexpr Plain() : table() {
      for (int c = 0x20; c < 0x80; ++c) table[c] = c != '"' && c != '\\';
    }
  } kPlain;
  while (i < n) {
    // Eight bytes at a time while none needs escaping or UTF-8 checking: no
    // control byte, quote, backslash or byte over 0x7F in the word.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
      auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
      uint64_t special = ((w - 0x2020202020202020ULL) & ~w & kHigh) | has_zero(w ^ (kOnes * '"')) |
                         has_zero(w ^ (kOnes * '\\')) | (w & kHigh);
      if (special) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = s[i];
    if (kPlain.table[c]) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t length = Utf8SequenceLength(s + i, n - i);
      if (length > 0) {
        i += length;
        continue;
      }
    }
    out.append(value.data() + run, i - run);
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default:
        if (c < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.append("\xEF\xBF\xBD");  // U+FFFD for a byte that is not UTF-8
        }
    }
    run = ++i;
  }
  out.append(value.data() + run, n - run);
  out.push_back('"');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_element_.empty()) {
    if (has_element_.back()) out_.push_back(',');
    has_element_.back() = true;
  }
}

void JsonWriter::BeginArray() {
  BeforeValue();
  out_.push_back('[');
  has_element_.push_back(false);
}

void JsonWriter::EndArray() {
  has_element_.pop_back();
  out_.push_back(']');
}

void JsonWriter::BeginObject() {
  BeforeValue();
  out_.push_back('{');
  has_element_.push_back(false);
}

void JsonWriter::EndObject() {
  has_element_.pop_back();
  out_.push_back('}');
}

void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  AppendQuoted(out_, key);
  out_.push_back(':');
  after_key_ = true;
}

void JsonWriter::KeyQuoted(std::string_view quoted_key) {
  BeforeValue();
  out_.append(quoted_key);
  after_key_ = true;
}

std::string JsonWriter::QuotedKey(std::string_view key) {
  std::string out;
  AppendQuoted(out, key);
  out.push_back(':');
  return out;
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendQuoted(out_, value);
}

void JsonWriter::Int(int64_t value) {
  BeforeValue();
  AppendInteger(out_, value);
}

void JsonWriter::Double(double value) {
  BeforeValue();
  AppendShortestDouble(out_, value);
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  out_.append(value ? "true" : "false");
}

void JsonWriter::Null() {
  BeforeValue();
  out_.append("null");
}

void JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json);
}

}  // namespace sluice
