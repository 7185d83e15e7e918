// Number formatting through snprintf and a read-back check.
#include "text/number_text.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sluice {

std::string PercentText(double fraction) {
  return std::to_string(static_cast<int>(fraction * 100 + 0.5)) + "%";
}

void AppendInteger(std::string& out, int64_t value) {
  char buffer[24];
  char* end = buffer + sizeof buffer;
  char* p = end;
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  do {
    *--p = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude > 0);
  if (value < 0) *--p = '-';
  out.append(p, static_cast<size_t>(end - p));
}

void AppendShortestDouble(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out.append("null");
    return;
  }
  // Whole numbers below 10^15 print as %.15g prints them: digits only.
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    AppendInteger(out, static_cast<int64_t>(value));
    return;
  }
  char buffer[32];
  int length = 0;
  for (int precision = 15; precision <= 17; ++precision) {
    length = std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  out.append(buffer, static_cast<size_t>(length));
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
