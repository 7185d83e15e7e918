// IsoTimestamp through the shared civil-date arithmetic.
#include "sluice/timestamp.h"

#include <cstdio>

#include "text/civil_date.h"

namespace sluice {

std::string IsoTimestamp(int64_t unix_ms) {
  int64_t days = unix_ms >= 0 ? unix_ms / 86400000 : (unix_ms - 86399999) / 86400000;
  int64_t rest = unix_ms - days * 86400000;
  CivilDate date = CivilFromDays(days);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(date.year),
                date.month, date.day, static_cast<long long>(rest / 3600000), static_cast<long long>(rest / 60000 % 60),
                static_cast<long long>(rest / 1000 % 60), static_cast<long long>(rest % 1000));
  return buffer;
}

}  // namespace sluice
