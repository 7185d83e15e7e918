// Places and ids: countries (ISO 3166-1 names, official and common names,
// alpha-2/alpha-3/numeric codes, and a few everyday names such as "UK"), US
// states and territories (ISO 3166-2 names and codes), US ZIP codes, SSNs and
// UUIDs. The ISO tables are generated at build time from Debian's iso-codes.
#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "coerce/coerce.h"
#include "coerce/text_memo.h"
#include "coerce/value_column.h"

namespace sluice {
namespace {

struct CountryEntry {
  const char* alpha2;
  const char* alpha3;
  const char* numeric;
  const char* name;
  const char* official_name;
  const char* common_name;
};

struct SubdivisionEntry {
  const char* code;
  const char* name;
  const char* type;
};

#include "iso_codes.inc"

// Everyday names that are not ISO names, mapped to alpha-2.
const std::pair<const char*, const char*> kCountryAliases[] = {
    {"usa", "US"},         {"u s a", "US"},          {"u s", "US"},        {"america", "US"},
    {"united states of america", "US"}, {"uk", "GB"}, {"u k", "GB"},       {"great britain", "GB"},
    {"britain", "GB"},     {"england", "GB"},        {"scotland", "GB"},   {"wales", "GB"},
    {"northern ireland", "GB"}, {"holland", "NL"},   {"the netherlands", "NL"}, {"russia", "RU"},
    {"south korea", "KR"}, {"korea", "KR"},          {"north korea", "KP"}, {"vietnam", "VN"},
    {"iran", "IR"},        {"syria", "SY"},          {"laos", "LA"},       {"bolivia", "BO"},
    {"venezuela", "VE"},   {"tanzania", "TZ"},       {"moldova", "MD"},    {"czech republic", "CZ"},
    {"ivory coast", "CI"}, {"macedonia", "MK"},      {"taiwan", "TW"},     {"brasil", "BR"},
    {"deutschland", "DE"}, {"espana", "ES"},         {"uae", "AE"},        {"emirates", "AE"},
    {"turkey", "TR"},      {"swaziland", "SZ"},      {"burma", "MM"},      {"cape verde", "CV"},
    {"vatican", "VA"},     {"palestine", "PS"},      {"micronesia", "FM"}, {"east timor", "TL"},
};

class CountryIndex {
 public:
  CountryIndex() {
    for (const CountryEntry& c : kCountries) {
      const char* alpha2 = c.alpha2;
      for (const char* name : {c.alpha2, c.alpha3, c.numeric, c.name, c.official_name, c.common_name}) {
        if (*name) by_name_.emplace(NormalizeForMatch(name), alpha2);
      }
      alpha3_.emplace(alpha2, c.alpha3);
    }
    for (const auto& [alias, alpha2] : kCountryAliases) by_name_.emplace(alias, alpha2);
    for (const SubdivisionEntry& s : kUsSubdivisions) {
      states_.emplace(NormalizeForMatch(s.code), s.code);
      states_.emplace(NormalizeForMatch(s.name), s.code);
    }
  }
  const char* Country(const std::string& normalized) const {
    auto it = by_name_.find(normalized);
    return it == by_name_.end() ? nullptr : it->second;
  }
  const char* Alpha3(const char* alpha2) const { return alpha3_.at(alpha2); }
  const char* State(const std::string& normalized) const {
    auto it = states_.find(normalized);
    return it == states_.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::string, const char*> by_name_;
  std::unordered_map<std::string, const char*> alpha3_;
  std::unordered_map<std::string, const char*> states_;
};

const CountryIndex& Index() {
  static const CountryIndex* index = new CountryIndex();  // built once, never destroyed
  return *index;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

// Digits of `text` when it holds only digits, spaces and dashes.
bool DigitsOnly(std::string_view text, std::string* digits) {
  for (char c : text) {
    if (IsDigit(c)) {
      digits->push_back(c);
    } else if (c != '-' && c != ' ') {
      return false;
    }
  }
  return true;
}

class PlaceCoercer : public ColumnCoercer {
 public:
  explicit PlaceCoercer(const Field& field) : field_(field), three_letters_(field.place.country_format == "3-letter") {}

  // Countries: a text already answered with a code is that code (static) at
  // once; the rest as Coerce reads them.
  void CoerceCells(const std::string_view* texts, size_t n, ValueColumn* values, CellIssueSink* sink) const override {
    if (field_.type != FieldType::kCountry) return ColumnCoercer::CoerceCells(texts, n, values, sink);
    Coerced coerced;
    for (size_t i = 0; i < n; ++i) {
      if (texts[i].empty()) continue;
      const char* const* known = known_.Find(texts[i]);
      if (known && *known) {
        values->SetCell(i, *known);
      } else {
        CoerceCell(i, texts[i], &coerced, values, sink);
      }
    }
  }

  void Coerce(std::string_view text, Coerced* out) const override {
    const std::string_view raw = text;  // for messages
    switch (field_.type) {
      case FieldType::kCountry: {
        // A column repeats a few texts: each text's answer (its code, or
        // null) is kept.
        const char* const* known = known_.Find(text);
        const char* code = known ? *known : Index().Country(NormalizeForMatch(text));
        if (!known) {
          if (code && three_letters_) code = Index().Alpha3(code);
          known_.Add(text, code);
        }
        if (!code) return out->Fail("type.country", "'" + std::string(raw) + "' is not a country");
        out->SetStaticText(code);  // (the built-in table's)
        return;
      }
      case FieldType::kUsStateTerritory: {
        const char* code = Index().State(NormalizeForMatch(text));
        if (!code) return out->Fail("type.us-state-territory", "'" + std::string(raw) + "' is not a US state or territory");
        out->SetStaticText(code);
        return;
      }
      case FieldType::kUsZipCode: {
        std::string digits;
        if (!DigitsOnly(text, &digits) || digits.empty()) return out->Fail("type.us-zip-code", "'" + std::string(raw) + "' is not a ZIP code");
        // Spreadsheets drop leading zeros: 2134 was 02134.
        if (digits.size() >= 3 && digits.size() < 5) digits.insert(0, 5 - digits.size(), '0');
        if (digits.size() == 8 && text.find('-') == std::string_view::npos) digits.insert(0, 1, '0');  // ZIP+4
        bool nine = field_.place.zip_format == "9-digit";
        if (digits.size() != 5 && digits.size() != 9) return out->Fail("type.us-zip-code", "'" + std::string(raw) + "' is not a ZIP code");
        if (nine && digits.size() != 9) return out->Fail("us_zip_code.nine_digits", "a 9-digit ZIP code (ZIP+4) is expected");
        if (!nine) {
          out->SetString(digits.substr(0, 5));
        } else {
          out->SetString(field_.place.output_dash ? digits.substr(0, 5) + "-" + digits.substr(5) : digits);
        }
        return;
      }
      case FieldType::kSsn: {
        std::string digits;
        if (!DigitsOnly(text, &digits) || digits.size() != 9) return out->Fail("type.ssn", "'" + std::string(raw) + "' is not a social security number");
        std::string area = digits.substr(0, 3), group = digits.substr(3, 2), serial = digits.substr(5);
        if (area == "000" || area == "666" || area[0] == '9' || group == "00" || serial == "0000") {
          return out->Fail("type.ssn", "'" + std::string(raw) + "' is not a valid social security number");
        }
        out->SetString(field_.place.output_dash ? area + "-" + group + "-" + serial : digits);
        return;
      }
      default: {  // uuid
        std::string_view s = text;
        std::string lower(s);
        std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
        std::string_view v = lower;
        if (v.rfind("urn:uuid:", 0) == 0) v.remove_prefix(9);
        if (v.size() >= 2 && v.front() == '{' && v.back() == '}') v = v.substr(1, v.size() - 2);
        std::string hex;
        bool ok = true;
        for (size_t i = 0; i < v.size() && ok; ++i) {
          if (IsHex(v[i])) {
            hex.push_back(v[i]);
          } else if (v[i] != '-' || (v.size() == 36 && i != 8 && i != 13 && i != 18 && i != 23)) {
            ok = false;
          }
        }
        ok = ok && hex.size() == 32 && (v.size() == 32 || v.size() == 36);
        if (!ok) return out->Fail("type.uuid", "'" + std::string(raw) + "' is not a UUID");
        int version = hex[12] >= 'a' ? hex[12] - 'a' + 10 : hex[12] - '0';
        if (field_.place.uuid_version && version != *field_.place.uuid_version) {
          return out->Fail("uuid.version", "'" + std::string(raw) + "' is a version " + std::to_string(version) +
                                               " UUID, not version " + std::to_string(*field_.place.uuid_version));
        }
        out->SetString(hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
                                       hex.substr(16, 4) + "-" + hex.substr(20));
        return;
      }
    }
  }

 private:
  const Field& field_;
  const bool three_letters_;  // countries as alpha-3 codes
  // Country texts of this column already answered (one coercer reads one column, in order).
  mutable TextMemo<const char*> known_;
};

}  // namespace

std::unique_ptr<ColumnCoercer> MakePlaceCoercer(const Field& field) { return std::make_unique<PlaceCoercer>(field); }

}  // namespace sluice
