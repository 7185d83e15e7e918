// Number formatting through snprintf and a read-back check.
#include "text/number_text.h"

#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace sluice {

std::string PercentText(double fraction) {
  return std::to_string(static_cast<int>(fraction * 100 + 0.5)) + "%";
}

char* WriteInteger(char* out, int64_t value) {
  char buffer[24];
  char* end = buffer + sizeof buffer;
  char* p = end;
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  do {
    *--p = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude > 0);
  if (value < 0) *--p = '-';
  const auto length = static_cast<size_t>(end - p);
  std::memcpy(out, p, length);
  return out + length;
}

void AppendInteger(std::string& out, int64_t value) {
  char buffer[kNumberTextBound];
  out.append(buffer, static_cast<size_t>(WriteInteger(buffer, value) - buffer));
}

char* WriteShortestDouble(char* out, double value) {
  if (!std::isfinite(value)) {
    std::memcpy(out, "null", 4);
    return out + 4;
  }
  // Whole numbers below 10^15 print as %.15g prints them: digits only.
  if (value == std::floor(value) && std::fabs(value) < 1e15) return WriteInteger(out, static_cast<int64_t>(value));
  // A decimal with few digits (most values read from files): the fewest
  // fraction digits d with round(v * 10^d) / 10^d == v. That quotient and the
  // text's parse are both the double nearest the same decimal, so the text
  // reads back as v; it is what %.15g prints in this range.
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e-4 && magnitude < 1e15) {
    for (int d = 1; d <= 15; ++d) {
      const double scaled = std::round(magnitude * kPowersOfTen[d]);
      if (scaled >= 1e15) break;  // more than 15 digits: printf decides
      if (scaled / kPowersOfTen[d] != magnitude) continue;
      char digits[24];
      char* end = digits + sizeof digits;
      char* p = end;
      auto whole = static_cast<uint64_t>(scaled);
      for (int k = 0; k < d; ++k) {
        *--p = static_cast<char>('0' + whole % 10);
        whole /= 10;
      }
      *--p = '.';
      do {
        *--p = static_cast<char>('0' + whole % 10);
        whole /= 10;
      } while (whole > 0);
      if (value < 0) *--p = '-';
      const auto length = static_cast<size_t>(end - p);
      std::memcpy(out, p, length);
      return out + length;
    }
  }
  char buffer[kNumberTextBound];
  int length = 0;
  for (int precision = 15; precision <= 17; ++precision) {
    length = std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  std::memcpy(out, buffer, static_cast<size_t>(length));
  return out + length;
}

void AppendShortestDouble(std::string& out, double value) {
  char buffer[kNumberTextBound];
  out.append(buffer, static_cast<size_t>(WriteShortestDouble(buffer, value) - buffer));
}

bool IsGeneralNumberText(std::string_view text) {
  size_t i = text.size() > 0 && text[0] == '-' ? 1 : 0;
  const size_t int_start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  const size_t int_digits = i - int_start;
  if (int_digits == 0 || (int_digits > 1 && text[int_start] == '0')) return false;
  size_t fraction_digits = 0, leading_zeros = 0;
  if (i < text.size()) {
    if (text[i] != '.') return false;
    const size_t fraction_start = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    fraction_digits = i - fraction_start;
    if (i != text.size() || fraction_digits == 0 || text[i - 1] == '0') return false;
    while (leading_zeros < fraction_digits && text[fraction_start + leading_zeros] == '0') ++leading_zeros;
  }
  if (text[int_start] == '0') {
    // 0 or 0.xxx: %.15g writes 0.0001 as it is, 0.00001 as 1e-05; no -0.
    if (fraction_digits == 0) return int_start == 0;
    return leading_zeros <= 3 && fraction_digits - leading_zeros <= 15;
  }
  return int_digits + fraction_digits <= 15;  // 15 significant digits, below 10^15
}

void AppendGeneralNumber(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out.append("#NUM!");
    return;
  }
  if (value == 0) {
    out.push_back('0');  // also for -0
    return;
  }
  char buffer[40];
  int length = std::snprintf(buffer, sizeof buffer, "%.15g", value);
  out.append(buffer, static_cast<size_t>(length));
}

}  // namespace sluice
