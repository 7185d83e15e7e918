// Webhook events of imports (API.md "Webhooks"): when an import's outcome is
// committed, one delivery per matching webhook (and per legacy schema URL) is
// written to the outbox in the same commit, with an effect that makes the
// host send it. The host asks the handler what to send (signed) and reports
// each attempt back; retries and their schedule are decided here.
#ifndef SLUICE_EDGE_WEBHOOKS_H_
#define SLUICE_EDGE_WEBHOOKS_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "context.h"

namespace sluice::edge {

//! Events an import's outcome fires.
constexpr const char* kWebhookEvents[] = {"import_completed", "headless_import_needs_review", "headless_import_failed"};

//! Why `url` may not receive webhooks ("" when it may): https only, no user
//! information, no loopback or private address literals (localhost too),
//! unless `allow_private` (which also allows http). The host checks the
//! addresses a name resolves to again when it sends.
std::string WebhookUrlProblem(const std::string& url, bool allow_private);

//! The organisation's webhooks, read before an outcome is decided (so a
//! long import never runs again for a missing key): check ctx.missing().
class WebhookFanout {
 public:
  WebhookFanout(RouteContext& ctx, const std::string& org);
  //! Writes the deliveries of `record`'s outcome (its status now) and their
  //! effects. `settings` is the import's schema settings (JSON object).
  void Queue(const nlohmann::ordered_json& record, const nlohmann::ordered_json& settings);

 private:
  RouteContext& ctx_;
  std::string org_;
  std::vector<nlohmann::ordered_json> webhooks_;
};

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_WEBHOOKS_H_
