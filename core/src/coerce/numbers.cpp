// Numbers: US (1,234.5) or European (1.234,5) notation decided per column,
// currency symbols, accounting negatives "(3.50)", percents "12%" -> 0.12,
// exponents; presets (integer, decimal_N, percent_N, currencies), round,
// min/max, and an outputFormat that makes the result a formatted string.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "coerce/coerce.h"
#include "coerce/value_column.h"
#include "text/number_text.h"

namespace sluice {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Strips what surrounds the digits; returns false when something unknown remains.
struct Cleaned {
  std::string body;  // digits, separators, exponent
  bool negative = false;
  bool percent = false;
};

bool Clean(std::string_view text, Cleaned* out) {
  std::string_view s = TrimSpaces(text);
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    out->negative = true;
    s = TrimSpaces(s.substr(1, s.size() - 2));
  }
  std::string body;
  bool sign_seen = false;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (IsDigit(c) || c == '.' || c == ',') {
      body.push_back(c);
      ++i;
    } else if ((c == 'e' || c == 'E') && !body.empty() && i + 1 < s.size() &&
               (IsDigit(s[i + 1]) || s[i + 1] == '-' || s[i + 1] == '+')) {
      body.push_back('e');
      ++i;
      if (s[i] == '-' || s[i] == '+') body.push_back(s[i++]);
    } else if ((c == '-' || c == '+') && body.empty() && !sign_seen) {
      out->negative = out->negative != (c == '-');
      sign_seen = true;
      ++i;
    } else if (c == '-' && i + 1 == s.size() && !body.empty()) {
      out->negative = !out->negative;  // trailing minus: "12-"
      ++i;
    } else if (c == '%' && !out->percent) {
      out->percent = true;
      ++i;
    } else if (c == '$' || c == ' ' || c == '\'') {
      ++i;  // dollar, spaces and Swiss apostrophes
    } else if (s.compare(i, 2, "\xC2\xA0") == 0 || s.compare(i, 2, "\xC2\xA3") == 0 ||
               s.compare(i, 2, "\xC2\xA5") == 0) {
      i += 2;  // NBSP, pound, yen
    } else if (s.compare(i, 3, "\xE2\x82\xAC") == 0 || s.compare(i, 3, "\xE2\x80\xAF") == 0 ||
               s.compare(i, 3, "\xE2\x80\x89") == 0) {
      i += 3;  // euro, narrow and thin spaces
    } else if (i + 3 <= s.size() && (s.compare(i, 3, "USD") == 0 || s.compare(i, 3, "EUR") == 0 ||
                                     s.compare(i, 3, "GBP") == 0)) {
      i += 3;
    } else {
      return false;
    }
  }
  out->body = std::move(body);
  return !out->body.empty() && (IsDigit(out->body[0]) || out->body[0] == '.' || out->body[0] == ',');
}

enum class Notation { kPoint, kComma };  // the decimal separator

// `digits` is \d{1,3}(sep\d{3})+ exactly: thousands grouped by `sep`.
bool GroupedThousands(std::string_view digits, char sep) {
  size_t first = digits.find(sep);
  if (first == 0 || first > 3) return false;
  for (size_t i = first; i < digits.size(); i += 4) {
    if (digits[i] != sep || i + 4 > digits.size()) return false;
    for (size_t k = 1; k <= 3; ++k) {
      if (!IsDigit(digits[i + k])) return false;
    }
  }
  return true;
}

// "1.234" and "1,234" could be either notation; a vote only when it tells.
int Vote(const std::string& body) {
  size_t e = body.find('e');
  std::string_view mantissa = std::string_view(body).substr(0, e);
  size_t point = mantissa.rfind('.'), comma = mantissa.rfind(',');
  if (point != std::string_view::npos && comma != std::string_view::npos) return point > comma ? +1 : -1;
  if (comma != std::string_view::npos) return GroupedThousands(mantissa, ',') ? 0 : -1;
  if (point != std::string_view::npos) return GroupedThousands(mantissa, '.') ? 0 : +1;
  return 0;
}

// The canonical "[-]ddd.ddd[e±d]" of `body` under `notation`, or false.
bool Canonical(const std::string& body, Notation notation, std::string* out) {
  char decimal = notation == Notation::kPoint ? '.' : ',';
  char group = notation == Notation::kPoint ? ',' : '.';
  size_t e = body.find('e');
  std::string mantissa = body.substr(0, e);
  size_t decimal_at = mantissa.find(decimal);
  if (decimal_at != std::string::npos && mantissa.find(decimal, decimal_at + 1) != std::string::npos) return false;
  std::string integer = mantissa.substr(0, decimal_at);
  std::string fraction = decimal_at == std::string::npos ? "" : mantissa.substr(decimal_at + 1);
  if (fraction.find(group) != std::string::npos) return false;
  // Group separators: between digits, in groups of three.
  if (integer.find(group) != std::string::npos && !GroupedThousands(integer, group)) return false;
  std::string digits;
  for (char c : integer) {
    if (IsDigit(c)) digits.push_back(c);
  }
  if (digits.empty() && fraction.empty()) return false;
  for (char c : fraction) {
    if (!IsDigit(c)) return false;
  }
  *out = (digits.empty() ? "0" : digits) + (fraction.empty() ? "" : "." + fraction);
  if (e != std::string::npos) {
    std::string exponent = body.substr(e + 1);
    size_t start = (!exponent.empty() && (exponent[0] == '-' || exponent[0] == '+')) ? 1 : 0;
    if (exponent.size() == start) return false;
    for (size_t i = start; i < exponent.size(); ++i) {
      if (!IsDigit(exponent[i])) return false;
    }
    *out += "e" + exponent;
  }
  return true;
}

// Decimal arithmetic on a canonical "ddd.ddd" (no sign, no exponent), so
// "12.345" rounds to 12.35 as written, not as its nearest double would.
std::string ShiftLeft(const std::string& canonical, size_t places) {
  size_t point = canonical.find('.');
  std::string integer = canonical.substr(0, point);
  std::string fraction = point == std::string::npos ? "" : canonical.substr(point + 1);
  if (integer.size() <= places) integer.insert(0, places - integer.size() + 1, '0');
  return integer.substr(0, integer.size() - places) + "." + integer.substr(integer.size() - places) + fraction;
}

std::string RoundDecimal(const std::string& canonical, int places) {
  size_t point = canonical.find('.');
  if (point == std::string::npos || canonical.size() - point - 1 <= static_cast<size_t>(places)) return canonical;
  std::string digits = canonical.substr(0, point) + canonical.substr(point + 1, places);
  bool up = canonical[point + 1 + places] >= '5';
  for (size_t i = digits.size(); up && i-- > 0;) {
    if (digits[i] == '9') {
      digits[i] = '0';
    } else {
      ++digits[i];
      up = false;
    }
  }
  if (up) digits.insert(0, "1");
  size_t integer_digits = digits.size() - places;
  return digits.substr(0, integer_digits) + (places ? "." + digits.substr(integer_digits) : "");
}

// A numeral.js-style output format: "$0,0.00", "0.0%", "0,0", "0.000".
std::string FormatNumber(double value, const std::string& format) {
  bool percent = format.find('%') != std::string::npos;
  bool grouping = format.find(",") != std::string::npos;
  size_t point = format.find('.');
  int decimals = 0;
  if (point != std::string::npos) {
    for (size_t i = point + 1; i < format.size() && format[i] == '0'; ++i) ++decimals;
  }
  std::string prefix, suffix;
  size_t first_digit = format.find_first_of("0#");
  if (first_digit != std::string::npos) prefix = format.substr(0, first_digit);
  size_t last_digit = format.find_last_of("0#");
  if (last_digit != std::string::npos) suffix = format.substr(last_digit + 1);
  if (percent) {
    value *= 100;
    suffix.erase(std::remove(suffix.begin(), suffix.end(), '%'), suffix.end());
    suffix += "%";
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, std::fabs(value));
  std::string number = buffer;
  if (grouping) {
    size_t dot = number.find('.');
    size_t integer_end = dot == std::string::npos ? number.size() : dot;
    for (size_t i = integer_end; i > 3; i -= 3) number.insert(i - 3, ",");
  }
  bool negative = value < 0 && std::strtod(buffer, nullptr) != 0;
  return (negative ? "-" : "") + prefix + number + suffix;
}

// The digits from `p` on (before `limit`) added to `*digits`; where they end.
// Four at a time while four are digits (one test, two multiplies), then one
// at a time.
inline const char* ReadDigits(const char* p, const char* limit, uint64_t* digits) {
  uint64_t value = *digits;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  while (limit - p >= 4) {
    uint32_t w;
    std::memcpy(&w, p, 4);
    if ((w & 0xF0F0F0F0u) != 0x30303030u || ((w + 0x06060606u) & 0xF0F0F0F0u) != 0x30303030u) break;
    // Bytes d0..d3 (d0 first, the lowest): pairs d0d1 and d2d3, then the four.
    uint32_t v = w - 0x30303030u;
    v = v * 10 + (v >> 8);
    value = value * 10000 + (v & 0xFF) * 100 + ((v >> 16) & 0xFF);
    p += 4;
  }
#endif
  for (; p != limit && static_cast<unsigned>(*p - '0') < 10; ++p) value = value * 10 + static_cast<uint64_t>(*p - '0');
  *digits = value;
  return p;
}

class NumberCoercer : public ColumnCoercer {
 public:
  NumberCoercer(const Field& field, const std::vector<std::string_view>& sample) : options_(field.number) {
    int point = 0, comma = 0;
    std::string point_example, comma_example;
    for (std::string_view text : sample) {
      Cleaned cleaned;
      if (!Clean(text, &cleaned)) continue;
      int vote = Vote(cleaned.body);
      if (vote > 0 && point++ == 0) point_example = std::string(text);
      if (vote < 0 && comma++ == 0) comma_example = std::string(text);
    }
    notation_ = comma > point ? Notation::kComma : Notation::kPoint;
    if (comma > 0 || point > 0) {
      decision_ = notation_ == Notation::kComma
                      ? "decimal comma (European notation): " + std::to_string(comma) + " values such as '" +
                            comma_example + "'" + (point ? " against " + std::to_string(point) : "")
                      : "decimal point: " + std::to_string(point) + " values such as '" + point_example + "'" +
                            (comma ? " against " + std::to_string(comma) : "");
    }
  }

  // Plain "-123" or "123.45" (at most 15 digits; a point only in point
  // notation), the common case, read without building strings: the digits as
  // an integer divided by a power of ten is the double nearest the decimal,
  // as strtod would give. False: the full reading decides.
  // `shortest`: the text is the value's shortest text as WriteShortestDouble
  // writes it (no leading zero, no trailing fraction zero, no "-0", not below
  // 10^-4): the output may take the text as it is.
  bool Plain(std::string_view text, double* value, bool* shortest) const {
    if (options_.round) return false;
    const char* p = text.data();
    const char* const end = p + text.size();
    const bool negative = p != end && *p == '-';
    if (negative) ++p;
    const char* const first = p;
    uint64_t digits = 0;
    size_t integer_digits = 0, fraction = 0;
    if (ReadShortDecimal(first, static_cast<size_t>(end - first), &digits, &fraction) &&
        (fraction == 0 || notation_ == Notation::kPoint)) {
      // (Most cells: up to 8 bytes, read at once.)
      integer_digits = static_cast<size_t>(end - first) - fraction - (fraction > 0);
    } else {
      // At most 15 digits: the integer part, then after a point the fraction.
      const char* const limit = end - first > 16 ? first + 16 : end;  // 15 digits and a point
      p = ReadDigits(p, limit, &digits);
      integer_digits = static_cast<size_t>(p - first);
      if (p != end && *p == '.' && notation_ == Notation::kPoint && integer_digits > 0) {
        const char* const fraction_start = ++p;
        p = ReadDigits(p, limit, &digits);
        fraction = static_cast<size_t>(p - fraction_start);
        if (fraction == 0) return false;
      }
      if (p != end || integer_digits == 0 || integer_digits + fraction > 15) return false;
    }
    double v = static_cast<double>(digits) / kPowersOfTen[fraction];
    *value = negative && v != 0 ? -v : v;
    // Two decimals of at most 15 digits are never the same double, so such a
    // text with nothing to drop is the shortest that reads back. This is
    // IsGeneralNumberText's rule, read from what the scan found (calling it
    // would scan every number again: +2% of an import's instructions).
    const bool leading_zero = first[0] == '0' && integer_digits > 1;
    const bool trailing_zero = fraction > 0 && end[-1] == '0';
    const bool tiny = first[0] == '0' && fraction >= 5 && std::string_view(first + 2, 4) == "0000";  // below 10^-4
    *shortest = !leading_zero && !trailing_zero && !tiny && !(negative && digits == 0);
    return true;
  }

  void Coerce(std::string_view text, Coerced* out) const override {
    double plain = 0;
    bool shortest = false;
    if (Plain(text, &plain, &shortest)) {
      Check(text, plain, out, shortest);
      return;
    }
    Cleaned cleaned;
    std::string canonical;
    if (!Clean(text, &cleaned) || !Canonical(cleaned.body, notation_, &canonical)) {
      out->Fail("type.number", "'" + std::string(text) + "' is not a number");
      return;
    }
    bool decimal = canonical.find('e') == std::string::npos;
    if (decimal && cleaned.percent) canonical = ShiftLeft(canonical, 2);
    if (decimal && options_.round) canonical = RoundDecimal(canonical, *options_.round);
    double value = std::strtod(canonical.c_str(), nullptr);
    if (!std::isfinite(value)) {
      out->Fail("type.number", "'" + std::string(text) + "' is too large");
      return;
    }
    if (!decimal && cleaned.percent) value /= 100;
    if (!decimal && options_.round) {
      double scale = std::pow(10.0, *options_.round);
      value = std::round(value * scale) / scale;
    }
    if (cleaned.negative) value = -value;
    if (value == 0) value = 0;  // no -0 in results
    Check(text, value, out);
  }

  // Plain numbers that pass the field's rules (most cells) are read and kept
  // here; the rest as Coerce reads them.
  void CoerceCells(const std::string_view* texts, size_t n, ValueColumn* values, CellIssueSink* sink) const override {
    const bool as_number = options_.output_format.empty();
    const double min = options_.min.value_or(-HUGE_VAL), max = options_.max.value_or(HUGE_VAL);
    Coerced coerced;
    for (size_t i = 0; i < n; ++i) {
      const std::string_view text = texts[i];
      if (text.empty()) continue;
      double value = 0;
      bool shortest = false;
      if (as_number && Plain(text, &value, &shortest) && !(value < min) && !(value > max) &&
          !(options_.integer && value != std::floor(value))) {
        values->SetNumber(i, value, text, shortest);
        continue;
      }
      CoerceCell(i, text, &coerced, values, sink);
    }
  }

  // A plain number's shortest text is its Text(); whether it is in error
  // does not matter (a cell in error is its own key too).
  bool CellsAreKeys(const std::string_view* texts, size_t n) const override {
    if (!options_.output_format.empty()) return false;
    for (size_t i = 0; i < n; ++i) {
      double value = 0;
      bool shortest = false;
      if (!texts[i].empty() && !(Plain(texts[i], &value, &shortest) && shortest)) return false;
    }
    return true;
  }

  // The field's rules on a value read from `text`, and the value kept.
  void Check(std::string_view text, double value, Coerced* out, bool shortest = false) const {
    if (options_.integer && value != std::floor(value)) {
      out->Fail("number.integer", "'" + std::string(text) + "' is not a whole number");
      return;
    }
    if (options_.min && value < *options_.min) {
      std::string bound;
      AppendShortestDouble(bound, *options_.min);
      out->Fail("number.min", "must be at least " + bound);
    }
    if (options_.max && value > *options_.max) {
      std::string bound;
      AppendShortestDouble(bound, *options_.max);
      out->Fail("number.max", "must be at most " + bound);
    }
    if (!options_.output_format.empty()) {
      out->SetString(FormatNumber(value, options_.output_format));
    } else {
      out->SetNumber(value, shortest ? text : std::string_view());
    }
  }

  std::string Decision() const override { return decision_; }

 private:
  NumberOptions options_;
  Notation notation_ = Notation::kPoint;
  std::string decision_;
};

}  // namespace

std::unique_ptr<ColumnCoercer> MakeNumberCoercer(const Field& field, const std::vector<std::string_view>& sample) {
  return std::make_unique<NumberCoercer>(field, sample);
}

}  // namespace sluice
