// Calendar arithmetic shared by the readers and coercers: days since
// 1970-01-01 to a civil date (Howard Hinnant's algorithm), and Excel serial
// day numbers in both date systems. Header-only, no state.
#ifndef SLUICE_TEXT_CIVIL_DATE_H_
#define SLUICE_TEXT_CIVIL_DATE_H_

#include <cstdint>

namespace sluice {

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

inline CivilDate CivilFromDays(int64_t days) {
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  CivilDate date;
  date.day = doy - (153 * mp + 2) / 5 + 1;
  date.month = mp < 10 ? mp + 3 : mp - 9;
  date.year = static_cast<int64_t>(yoe) + era * 400 + (date.month <= 2);
  return date;
}

//! Days since 1970-01-01 of Excel's whole serial `days`: 1900 system (serial 1
//! is 1900-01-01; serials after Lotus's fictitious 1900-02-29, serial 60, are
//! one day ahead) or 1904 system (serial 0 is 1904-01-01). Serial 60 of the
//! 1900 system has no civil date; callers handle it first.
inline int64_t DaysFromExcelSerial(int64_t days, bool date1904) {
  return date1904 ? days - 24107 : (days < 60 ? days - 25568 : days - 25569);
}

}  // namespace sluice

#endif  // SLUICE_TEXT_CIVIL_DATE_H_
