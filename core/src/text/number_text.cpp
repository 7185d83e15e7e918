// Number formatting through snprintf and a read-back check.
#include "text/number_text.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sluice {

void AppendShortestDouble(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out.append("null");
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
