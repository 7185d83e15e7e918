// The coercer factory and the text helpers every family shares.
#include "coerce/coerce.h"

#include <algorithm>
#include <cstring>

#include "coerce/value_column.h"

namespace sluice {

void ColumnCoercer::CoerceCells(const std::string_view* texts, size_t n, ValueColumn* values,
                                CellIssueSink* sink) const {
  Coerced coerced;  // one for the column's cells: no allocation per cell
  for (size_t i = 0; i < n; ++i) {
    if (!texts[i].empty()) CoerceCell(i, texts[i], &coerced, values, sink);
  }
}

namespace {

// The string type: the text as it is.
class StringCoercer : public ColumnCoercer {
 public:
  void Coerce(std::string_view text, Coerced* out) const override { out->SetInputText(text); }
};

// Checkbox: a short list of words mean false; anything else is true.
class CheckboxCoercer : public ColumnCoercer {
 public:
  void CoerceCells(const std::string_view* texts, size_t n, ValueColumn* values, CellIssueSink*) const override {
    for (size_t i = 0; i < n; ++i) {
      if (!texts[i].empty()) values->SetBool(i, !IsFalse(texts[i]));  // (no issues: every text is a value)
    }
  }
  void Coerce(std::string_view text, Coerced* out) const override { out->SetBool(!IsFalse(text)); }

 private:
  static bool IsFalse(std::string_view text) {
    static constexpr std::string_view kFalse[] = {"0", "off", "n", "no", "false", "disabled"};
    // Short ASCII letters and digits (most cells): their normal form is their
    // lower case, compared without building it as a string.
    char buffer[8];
    bool plain = text.size() <= sizeof buffer;
    for (size_t i = 0; plain && i < text.size(); ++i) {
      char c = text[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      buffer[i] = c;
    }
    if (plain) {
      const std::string_view lowered(buffer, text.size());
      for (std::string_view word : kFalse) {
        if (lowered == word) return true;
      }
      return false;
    }
    const std::string lower = NormalizeForMatch(text);
    for (std::string_view word : kFalse) {
      if (lower == word) return true;
    }
    return false;
  }
};

// Latin letters with diacritics (U+00C0..U+017F) -> their base letter.
char BaseLetter(uint32_t cp) {
  static const char kLatin1[] =  // U+00C0..U+00FF
      "aaaaaaaceeeeiiii"
      "dnooooo ouuuuyts"
      "aaaaaaaceeeeiiii"
      "dnooooo ouuuuyty";
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
  static const char kExtendedA[] =  // U+0100..U+017F
      "aaaaaaccccccccdd"
      "ddeeeeeeeeeegggg"
      "gggghhhhiiiiiiii"
      "iiiijjkkklllllll"
      "lllnnnnnnnnnoooo"
      "oooorrrrrrssssss"
      "ssttttttuuuuuuuu"
      "uuuuwwyyyzzzzzzs";
  if (cp >= 0x100 && cp <= 0x17F) return kExtendedA[cp - 0x100];
  return 0;
}

}  // namespace

std::string_view TrimSpacesSlow(std::string_view text) {
  auto space_at_start = [&](size_t i) -> size_t {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') return 1;
    if (text.compare(i, 2, "\xC2\xA0") == 0) return 2;                                       // NBSP
    if (text.compare(i, 3, "\xE2\x80\xAF") == 0 || text.compare(i, 3, "\xE2\x80\x89") == 0) return 3;  // narrow, thin
    return 0;
  };
  size_t begin = 0;
  while (begin < text.size()) {
    size_t n = space_at_start(begin);
    if (!n) break;
    begin += n;
  }
  size_t end = text.size();
  while (end > begin) {
    unsigned char c = static_cast<unsigned char>(text[end - 1]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      --end;
    } else if (end - begin >= 2 && text.compare(end - 2, 2, "\xC2\xA0") == 0) {
      end -= 2;
    } else if (end - begin >= 3 &&
               (text.compare(end - 3, 3, "\xE2\x80\xAF") == 0 || text.compare(end - 3, 3, "\xE2\x80\x89") == 0)) {
      end -= 3;
    } else {
      break;
    }
  }
  return text.substr(begin, end - begin);
}

std::string NormalizeForMatch(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  auto put = [&](char c) {
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  };
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') {
        put(static_cast<char>(c + 32));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        put(static_cast<char>(c));
      } else if (c == '\'') {
        // apostrophes join: "O'Brien" -> "obrien"
      } else {
        pending_space = true;
      }
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence (the text is valid UTF-8 by the decode stage).
    size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + length > text.size()) length = text.size() - i;
    uint32_t cp = length == 1 ? c : (c & (0x7F >> length));
    for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    char base = BaseLetter(cp);
    if (base == ' ') {
      pending_space = true;
    } else if (base) {
      put(base);
      if (cp == 0xDF) out.push_back('s');  // ß -> ss
    } else if (cp == 0xA0 || cp == 0x2009 || cp == 0x202F || (cp >= 0x2010 && cp <= 0x2015)) {
      pending_space = true;  // spaces and dashes
    } else {
      if (pending_space && !out.empty()) out.push_back(' ');
      pending_space = false;
      out.append(text.substr(i, length));  // other scripts are kept as they are
    }
    i += length;
  }
  return out;
}

double BigramSimilarity(std::string_view a, std::string_view b) {
  if (a == b) return a.empty() ? 0.0 : 1.0;
  if (a.size() < 2 || b.size() < 2) return 0.0;
  std::vector<uint16_t> x, y;
  // Bytes as unsigned: UTF-8 text has bytes over 0x7F (shifting a negative char is undefined).
  auto bigram = [](std::string_view s, size_t i) {
    return static_cast<uint16_t>(static_cast<unsigned char>(s[i]) << 8 | static_cast<unsigned char>(s[i + 1]));
  };
  for (size_t i = 0; i + 1 < a.size(); ++i) x.push_back(bigram(a, i));
  for (size_t i = 0; i + 1 < b.size(); ++i) y.push_back(bigram(b, i));
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  size_t common = 0, i = 0, j = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i] == y[j]) {
      ++common, ++i, ++j;
    } else if (x[i] < y[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return 2.0 * static_cast<double>(common) / static_cast<double>(x.size() + y.size());
}

std::unique_ptr<ColumnCoercer> MakeCoercer(const Field& field, const std::vector<std::string_view>& sample) {
  switch (field.type) {
    case FieldType::kString: return std::make_unique<StringCoercer>();
    case FieldType::kCheckbox: return std::make_unique<CheckboxCoercer>();
    case FieldType::kNumber: return MakeNumberCoercer(field, sample);
    case FieldType::kDate:
    case FieldType::kDatetime:
    case FieldType::kTime: return MakeDateCoercer(field, sample);
    case FieldType::kSelect:
    case FieldType::kMultiSelect: return MakeChoiceCoercer(field);
    case FieldType::kEmail:
    case FieldType::kUrl:
    case FieldType::kDomain:
    case FieldType::kPhoneNumber: return MakeContactCoercer(field);
    case FieldType::kCountry:
    case FieldType::kUsStateTerritory:
    case FieldType::kUsZipCode:
    case FieldType::kSsn:
    case FieldType::kUuid: return MakePlaceCoercer(field);
  }
  return std::make_unique<StringCoercer>();
}

}  // namespace sluice
