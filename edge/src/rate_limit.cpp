// Rate limits over one stored {"window", "count"} record per limiter.
#include "rate_limit.h"

#include <nlohmann/json.hpp>

#include "responses.h"

namespace sluice::edge {

RateDecision CountRequest(RouteContext& ctx, const std::string& key, uint32_t limit) {
  RateDecision decision;
  if (limit == 0) return decision;
  const StoredValue* stored = ctx.Get(key);
  if (ctx.missing()) return decision;
  int64_t now = ctx.input().now_ms;
  int64_t window = now / 60000;
  uint64_t count = 0;
  if (stored) {
    nlohmann::json record = nlohmann::json::parse(stored->value, nullptr, false);
    if (record.is_object() && record.contains("window") && record["window"].is_number_integer() &&
        record["window"].get<int64_t>() == window && record.contains("count") && record["count"].is_number_unsigned()) {
      count = record["count"].get<uint64_t>();
    }
  }
  decision.headers.emplace_back("x-ratelimit-limit", std::to_string(limit));
  if (count >= limit) {
    decision.allowed = false;
    int64_t retry_after = ((window + 1) * 60000 - now + 999) / 1000;
    decision.headers.emplace_back("x-ratelimit-remaining", "0");
    decision.headers.emplace_back("retry-after", std::to_string(retry_after < 1 ? 1 : retry_after));
    return decision;
  }
  ++count;
  ctx.Put(key, nlohmann::json{{"window", window}, {"count", count}}.dump());
  decision.headers.emplace_back("x-ratelimit-remaining", std::to_string(limit - count));
  return decision;
}

Response TooManyRequests(const RateDecision& decision) {
  Response response = ErrorResponse(429, "rate_limited", "too many requests; retry after the time Retry-After gives");
  response.headers.insert(response.headers.end(), decision.headers.begin(), decision.headers.end());
  return response;
}

}  // namespace sluice::edge
