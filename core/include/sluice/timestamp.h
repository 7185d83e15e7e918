// Time as text, for the callers that hold a clock (the edge handler gets its
// time from the host): the core itself never reads a clock.
#ifndef SLUICE_TIMESTAMP_H_
#define SLUICE_TIMESTAMP_H_

#include <cstdint>
#include <string>

namespace sluice {

//! `unix_ms` (milliseconds since 1970-01-01 UTC) as "2026-11-29T13:10:00.000Z".
std::string IsoTimestamp(int64_t unix_ms);

}  // namespace sluice

#endif  // SLUICE_TIMESTAMP_H_
