// Fixed-window rate limits (API.md): a counter per minute in one stored
// record, advanced with a compare-and-set write, so concurrent requests are
// counted exactly where the host's store is exact (SQLite). Every limited
// answer carries X-RateLimit-Limit and X-RateLimit-Remaining; a refused one is
// 429 with Retry-After (seconds to the next window).
#ifndef SLUICE_EDGE_RATE_LIMIT_H_
#define SLUICE_EDGE_RATE_LIMIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "context.h"

namespace sluice::edge {

struct RateDecision {
  bool allowed = true;
  std::vector<std::pair<std::string, std::string>> headers;  //!< to add to the answer
};

//! Counts one request against `key` (limit per minute; 0: no limit). Needs the
//! key's stored value: check ctx.missing() after the call.
RateDecision CountRequest(RouteContext& ctx, const std::string& key, uint32_t limit);

//! The 429 answer of a refused request, with its headers.
Response TooManyRequests(const RateDecision& decision);

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_RATE_LIMIT_H_
