// JsonWriter: escaping and number formatting. The string fast path copies runs
// of bytes that need no escaping; UTF-8 is validated as it is copied.
#include "sluice/json_writer.h"

#include <cstdint>
#include <cstring>

#include "text/bytes16.h"
#include "text/number_text.h"
#include "text/utf8.h"


namespace sluice {

void JsonWriter::AppendQuoted(std::string& out, std::string_view value) {
  const size_t old = out.size();
  out.resize(old + QuotedBound(value.size()));
  char* end = WriteQuoted(&out[old], value);
  out.resize(static_cast<size_t>(end - out.data()));
}

namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;

// The high bit of each byte of `w` that needs escaping or UTF-8 checking: a
// control byte, a quote, a backslash or a byte over 0x7F (zero: none does).
inline uint64_t SpecialBytes(uint64_t w) {
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  return ((w - 0x2020202020202020ULL) & ~w & kHigh) | has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\')) |
         (w & kHigh);
}

// The rest of WriteQuoted from byte `i` (bytes before it are written at `p`
// already), a byte at a time where they need it.
char* WriteEscaped(char* p, std::string_view value, size_t i) {
  static const char kHex[] = "0123456789abcdef";
  const auto* s = reinterpret_cast<const unsigned char*>(value.data());
  const size_t n = value.size();
  size_t run = i;  // start of the pending run of bytes copied as they are
  // Bytes copied as they are: printable ASCII but the quote and the backslash.
  static const struct Plain {
    bool table[256];
    constexpr Plain() : table() {
      for (int c = 0x20; c < 0x80; ++c) table[c] = c != '"' && c != '\\';
    }
  } kPlain;
  auto put = [&p](const char* bytes, size_t count) {
    if (count == 0) return;  // an empty value may have no bytes at all
    std::memcpy(p, bytes, count);
    p += count;
  };
  while (i < n) {
    // Eight bytes at a time while none needs escaping or UTF-8 checking.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      if (SpecialBytes(w)) break;
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
    put(value.data() + run, i - run);
    switch (c) {
      case '"': put("\\\"", 2); break;
      case '\\': put("\\\\", 2); break;
      case '\n': put("\\n", 2); break;
      case '\r': put("\\r", 2); break;
      case '\t': put("\\t", 2); break;
      case '\b': put("\\b", 2); break;
      case '\f': put("\\f", 2); break;
      default:
        if (c < 0x20) {
          put("\\u00", 4);
          *p++ = kHex[c >> 4];
          *p++ = kHex[c & 0xF];
        } else {
          put("\xEF\xBF\xBD", 3);  // U+FFFD for a byte that is not UTF-8
        }
    }
    run = ++i;
  }
  put(value.data() + run, n - run);
  *p++ = '"';
  return p;
}

}  // namespace

// Most values need no escaping: they are checked and copied a word at a time
// (the room of QuotedBound allows whole-word stores), the last word
// overlapping the one before it, a short value gathered into one word.
char* JsonWriter::WriteQuoted(char* p, std::string_view value) {
  const char* s = value.data();
  const size_t n = value.size();
  *p++ = '"';
  if (n < 8) {
    if (n >= 2) {  // room for 6n + 2 >= 1 + 8 bytes
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      // The n bytes gathered by two overlapping loads (bytes past n: 'a').
      uint64_t w;
      if (n >= 4) {
        uint32_t low, high;
        std::memcpy(&low, s, 4);
        std::memcpy(&high, s + n - 4, 4);
        w = low | (uint64_t{high} << (8 * (n - 4)));
      } else {
        uint16_t low, high;
        std::memcpy(&low, s, 2);
        std::memcpy(&high, s + n - 2, 2);
        w = low | (uint64_t{high} << (8 * (n - 2)));
      }
      const uint64_t mine = (uint64_t{1} << (8 * n)) - 1;
      w = (w & mine) | (kOnes * 'a' & ~mine);
      if (!SpecialBytes(w)) {
        std::memcpy(p, &w, 8);
        p[n] = '"';
        return p + n + 1;
      }
#endif
    }
    return WriteEscaped(p, value, 0);
  }
  size_t i = 0;
#if defined(SLUICE_BYTES16) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (n < 16) {  // 8-15 bytes: two overlapping words, checked as one vector
    uint64_t low, high;
    std::memcpy(&low, s, 8);
    std::memcpy(&high, s + n - 8, 8);
    if (Bytes16::FromWords(low, high).JsonSpecial()) return WriteEscaped(p, value, 0);
    std::memcpy(p, &low, 8);
    std::memcpy(p + n - 8, &high, 8);
    p[n] = '"';
    return p + n + 1;
  }
#endif
#if defined(SLUICE_BYTES16)
  if (n >= 16) {  // sixteen bytes at a time, the last sixteen overlapping
    for (; i + 16 <= n; i += 16) {
      const Bytes16 v(s + i);
      if (v.JsonSpecial()) return WriteEscaped(p + i, value, i);
      v.Store(p + i);
    }
    if (i < n) {
      const Bytes16 v(s + n - 16);
      if (v.JsonSpecial()) return WriteEscaped(p + i, value, i);
      v.Store(p + n - 16);
    }
    p[n] = '"';
    return p + n + 1;
  }
#endif
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, s + i, 8);
    if (SpecialBytes(w)) return WriteEscaped(p + i, value, i);
    std::memcpy(p + i, &w, 8);
  }
  if (i < n) {
    uint64_t w;
    std::memcpy(&w, s + n - 8, 8);
    if (SpecialBytes(w)) return WriteEscaped(p + i, value, i);
    std::memcpy(p + n - 8, &w, 8);
  }
  p[n] = '"';
  return p + n + 1;
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
