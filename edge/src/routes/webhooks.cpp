// Webhooks (API.md): per organisation, POST/GET/DELETE /api/v1/webhooks/, each
// with its own signing secret (shown once, at creation), and the deliveries of
// each; and the outbox job the host runs per delivery: "prepare" (what to send,
// signed now) and "attempt" (the outcome of one try: delivered, retried with
// exponential backoff and jitter for 24 hours, or failed).
#include <algorithm>

#include "crypto/sha256.h"
#include "id_index.h"
#include "paging.h"
#include "responses.h"
#include "routes.h"
#include "signing.h"
#include "sluice/timestamp.h"
#include "store_keys.h"
#include "webhooks.h"

namespace sluice::edge {
namespace {

using nlohmann::ordered_json;

constexpr size_t kMaxWebhooks = 50;                        // per organisation
constexpr int64_t kRetryForMs = 24LL * 3600 * 1000;        // then a delivery has failed
constexpr int64_t kFirstRetryMs = 30 * 1000;               // doubling each attempt,
constexpr int64_t kLongestWaitMs = 3600 * 1000;            // up to an hour
constexpr int64_t kSendTimeoutMs = 10 * 1000;
constexpr size_t kAttemptsKept = 50;                       // the most recent, per delivery

ordered_json PublicWebhook(ordered_json webhook) {
  webhook.erase("secret");
  return webhook;
}

std::optional<ordered_json> ReadObject(const StoredValue* stored) {
  if (!stored) return std::nullopt;
  ordered_json value = ordered_json::parse(stored->value, nullptr, false);
  if (!value.is_object()) return std::nullopt;
  return value;
}

Response InvalidBody(const std::string& path, const std::string& message) {
  return ErrorResponse(400, "invalid_body", message, ordered_json::array({{{"path", path}}}).dump());
}

HandlerOutput Create(RouteContext& ctx) {
  const std::string& org = ctx.org();
  Response error;
  std::optional<ordered_json> body = ctx.JsonBody(&error);
  if (!body) return ctx.Finish(error);
  for (auto it = body->begin(); it != body->end(); ++it) {
    if (it.key() != "url" && it.key() != "events" && it.key() != "importIdentifier" && it.key() != "schema_id") {
      return ctx.Finish(InvalidBody("$." + it.key(), "unknown key '" + it.key() + "'"));
    }
  }
  auto url = body->find("url");
  if (url == body->end() || !url->is_string()) return ctx.Finish(InvalidBody("$.url", "url must be a string"));
  std::string problem = WebhookUrlProblem(url->get<std::string>(), ctx.input().config.allow_private_webhooks);
  if (!problem.empty()) {
    return ctx.Finish(ErrorResponse(422, "webhook_url_refused", "the webhook URL " + problem,
                                    "[{\"path\":\"$.url\"}]"));
  }
  auto events = body->find("events");
  if (events == body->end() || !events->is_array() || events->empty()) {
    return ctx.Finish(InvalidBody("$.events", "events must be a non-empty array of event names"));
  }
  for (size_t i = 0; i < events->size(); ++i) {
    const ordered_json& event = (*events)[i];
    bool known = event.is_string() && std::any_of(std::begin(kWebhookEvents), std::end(kWebhookEvents),
                                                  [&](const char* name) { return event == name; });
    if (!known) {
      return ctx.Finish(InvalidBody("$.events[" + std::to_string(i) + "]",
                                    "events are import_completed, headless_import_needs_review, headless_import_failed"));
    }
  }
  for (const char* key : {"importIdentifier", "schema_id"}) {
    auto filter = body->find(key);
    if (filter != body->end() && !filter->is_null() && !filter->is_string()) {
      return ctx.Finish(InvalidBody(std::string("$.") + key, std::string(key) + " must be a string or null"));
    }
  }
  std::vector<std::string> ids = ReadIdIndex(ctx.Get(keys::WebhookIndex(org)));
  if (ctx.missing()) return ctx.Finish({});
  if (ids.size() >= kMaxWebhooks) {
    return ctx.Finish(ErrorResponse(409, "too_many_webhooks", "an organisation has at most 50 webhooks"));
  }
  std::string id = ctx.NewId();
  std::string secret = "whsec_" + ToHex(HmacSha256(ctx.input().random, "webhook-secret " + id));
  ordered_json webhook = {{"id", id},
                          {"url", *url},
                          {"events", *events},
                          {"importIdentifier", body->value("importIdentifier", ordered_json(nullptr))},
                          {"schema_id", body->value("schema_id", ordered_json(nullptr))},
                          {"created_date", ctx.NowIso()},
                          {"secret", secret}};
  ids.push_back(id);
  ctx.Put(keys::Webhook(org, id), webhook.dump());
  ctx.Put(keys::WebhookIndex(org), WriteIdIndex(ids));
  Response response = JsonResponse(201, webhook.dump());  // the only time the secret is shown
  response.headers.emplace_back("location", "/api/v1/webhooks/" + id + "/");
  return ctx.Finish(response);
}

ordered_json PublicDelivery(const ordered_json& delivery) {
  ordered_json view = ordered_json::object();
  for (const char* key : {"id", "webhook_id", "event", "import_id", "url", "created_date", "status", "attempts"}) {
    view[key] = delivery.value(key, ordered_json(nullptr));
  }
  auto next = delivery.find("next_attempt_ms");
  view["next_attempt_date"] = delivery.value("status", "") == "pending" && next != delivery.end() && next->is_number_integer()
                                  ? ordered_json(IsoTimestamp(next->get<int64_t>()))
                                  : ordered_json(nullptr);
  return view;
}

// The delivery's outcome is final: delivered or failed, with why.
void Settle(RouteContext& ctx, const std::string& org, ordered_json* delivery, const char* status) {
  (*delivery)["status"] = status;
  (*delivery)["next_attempt_ms"] = nullptr;
  ctx.Put(keys::Delivery(org, (*delivery)["id"].get<std::string>()), delivery->dump());
}

void RecordAttempt(ordered_json* delivery, ordered_json attempt) {
  ordered_json& attempts = (*delivery)["attempts"];
  if (!attempts.is_array()) attempts = ordered_json::array();
  attempts.push_back(std::move(attempt));
  if (attempts.size() > kAttemptsKept) attempts.erase(attempts.begin());
  (*delivery)["attempt_count"] = delivery->value("attempt_count", 0) + 1;
}

HandlerOutput Prepare(RouteContext& ctx, const std::string& org, ordered_json delivery) {
  Response done = JsonResponse(200, "{\"done\":true}");
  std::string url = delivery.value("url", "");
  std::string body = delivery.value("body", "");
  std::vector<std::pair<std::string, std::string>> headers = {
      {"content-type", delivery.value("content_type", "application/json")},
      {"user-agent", "Sluice-Webhooks/1"},
      {"sluice-delivery", delivery.value("id", "")},
      {"sluice-event", delivery.value("event", "")},
  };
  ordered_json webhook_id = delivery.value("webhook_id", ordered_json(nullptr));
  if (webhook_id.is_string()) {
    std::optional<ordered_json> webhook = ReadObject(ctx.Get(keys::Webhook(org, webhook_id.get<std::string>())));
    if (ctx.missing()) return ctx.Finish({});
    if (!webhook) {
      RecordAttempt(&delivery, {{"date", ctx.NowIso()}, {"status_code", nullptr},
                                     {"error", "the webhook was deleted"}, {"ms", 0}});
      Settle(ctx, org, &delivery, "failed");
      return ctx.Finish(done);
    }
    // Sluice-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">.
    std::string t = std::to_string(ctx.input().now_ms / 1000);
    headers.emplace_back("sluice-signature",
                         "t=" + t + ",v1=" + ToHex(HmacSha256(webhook->value("secret", ""), t + "." + body)));
  }
  std::string problem = WebhookUrlProblem(url, ctx.input().config.allow_private_webhooks);
  if (!problem.empty()) {
    RecordAttempt(&delivery, {{"date", ctx.NowIso()}, {"status_code", nullptr},
                                   {"error", "refused: the URL " + problem}, {"ms", 0}});
    Settle(ctx, org, &delivery, "failed");
    return ctx.Finish(done);
  }
  ordered_json header_list = ordered_json::array();
  for (const auto& [name, value] : headers) header_list.push_back({name, value});
  ordered_json send = {{"send", {{"url", url}, {"method", "POST"}, {"headers", header_list}, {"body", body},
                                 {"timeout_ms", kSendTimeoutMs}}}};
  return ctx.Finish(JsonResponse(200, send.dump()));
}

HandlerOutput Attempt(RouteContext& ctx, const std::string& org, ordered_json delivery) {
  // The host's report: {"status_code": 204} or {"error": "timeout"}, and "ms".
  ordered_json report = ordered_json::parse(ctx.request().body, nullptr, false);
  if (!report.is_object()) return ctx.Finish(ErrorResponse(400, "invalid_body", "an attempt report is a JSON object"));
  ordered_json code = report.value("status_code", ordered_json(nullptr));
  ordered_json error = report.value("error", ordered_json(nullptr));
  ordered_json ms = report.value("ms", ordered_json(0));
  if (!(code.is_null() || code.is_number_integer()) || !(error.is_null() || error.is_string()) || !ms.is_number()) {
    return ctx.Finish(ErrorResponse(400, "invalid_body", "status_code: integer, error: string, ms: number"));
  }
  if (error.is_string()) error = error.get<std::string>().substr(0, 300);
  RecordAttempt(&delivery, {{"date", ctx.NowIso()}, {"status_code", code}, {"error", error}, {"ms", ms}});
  int status = code.is_number_integer() ? code.get<int>() : 0;
  if (status >= 200 && status < 300) {
    Settle(ctx, org, &delivery, "delivered");
    return ctx.Finish(JsonResponse(200, "{\"done\":true}"));
  }
  int64_t created = delivery.value("created_ms", ctx.input().now_ms);
  int64_t deadline = created + kRetryForMs;
  int64_t now = ctx.input().now_ms;
  if (now >= deadline) {
    Settle(ctx, org, &delivery, "failed");
    return ctx.Finish(JsonResponse(200, "{\"done\":true}"));
  }
  // Exponential backoff with jitter (0.8x to 1.2x, from the host's random bytes).
  int64_t n = delivery.value("attempt_count", 1);
  int64_t wait = kFirstRetryMs;
  for (int64_t i = 1; i < n && wait < kLongestWaitMs; ++i) wait *= 2;
  wait = std::min(wait, kLongestWaitMs);
  Digest noise = HmacSha256(ctx.input().random, "jitter");
  wait = wait * (800 + (noise[0] * 256 + noise[1]) % 401) / 1000;
  int64_t next = std::min(now + wait, deadline);
  delivery["next_attempt_ms"] = next;
  ctx.Put(keys::Delivery(org, delivery["id"].get<std::string>()), delivery.dump());
  return ctx.Finish(JsonResponse(200, ordered_json{{"retry_at_ms", next}}.dump()));
}

}  // namespace

HandlerOutput WebhooksRoute(RouteContext& ctx) {
  if (ctx.request().method == "POST") return Create(ctx);
  const std::string& org = ctx.org();
  std::vector<std::string> ids = ReadIdIndex(ctx.Get(keys::WebhookIndex(org)));
  if (ctx.missing()) return ctx.Finish({});
  ordered_json list = ordered_json::array();
  for (const std::string& id : ids) {
    std::optional<ordered_json> webhook = ReadObject(ctx.Get(keys::Webhook(org, id)));
    if (webhook) list.push_back(PublicWebhook(*webhook));
  }
  if (ctx.missing()) return ctx.Finish({});
  return ctx.Finish(JsonResponse(200, list.dump()));
}

HandlerOutput WebhookRoute(RouteContext& ctx) {
  const std::string& org = ctx.org();
  const std::string& id = ctx.params()[0];
  std::optional<ordered_json> webhook = ReadObject(ctx.Get(keys::Webhook(org, id)));
  if (ctx.missing()) return ctx.Finish({});
  if (!webhook) return ctx.Finish(ErrorResponse(404, "not_found", "no webhook " + id));
  if (ctx.request().method == "GET") return ctx.Finish(JsonResponse(200, PublicWebhook(*webhook).dump()));
  // DELETE: the webhook and its delivery list (pending deliveries fail when
  // their turn comes: "the webhook was deleted").
  std::vector<std::string> ids = ReadIdIndex(ctx.Get(keys::WebhookIndex(org)));
  const StoredValue* deliveries = ctx.Get(keys::DeliveryIndex(org, id));
  if (ctx.missing()) return ctx.Finish({});
  for (const std::string& delivery : ReadIdIndex(deliveries)) ctx.Get(keys::Delivery(org, delivery));
  if (ctx.missing()) return ctx.Finish({});
  for (const std::string& delivery : ReadIdIndex(deliveries)) {
    const StoredValue* stored = ctx.Get(keys::Delivery(org, delivery));
    std::optional<ordered_json> record = ReadObject(stored);
    if (record && record->value("status", "") != "pending") ctx.Delete(keys::Delivery(org, delivery));
  }
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
  ctx.Put(keys::WebhookIndex(org), WriteIdIndex(ids));
  ctx.Delete(keys::Webhook(org, id));
  if (deliveries) ctx.Delete(keys::DeliveryIndex(org, id));
  Response response;
  response.status = 204;
  return ctx.Finish(response);
}

HandlerOutput WebhookDeliveriesRoute(RouteContext& ctx) {
  const std::string& org = ctx.org();
  const std::string& id = ctx.params()[0];
  Page page;
  if (!ReadPage(ctx.request().query, &page)) {
    return ctx.Finish(ErrorResponse(400, "invalid_query", "offset must be >= 0 and limit between 1 and 1000"));
  }
  std::optional<ordered_json> webhook = ReadObject(ctx.Get(keys::Webhook(org, id)));
  std::vector<std::string> ids = ReadIdIndex(ctx.Get(keys::DeliveryIndex(org, id)));
  if (ctx.missing()) return ctx.Finish({});
  if (!webhook) return ctx.Finish(ErrorResponse(404, "not_found", "no webhook " + id));
  std::reverse(ids.begin(), ids.end());  // newest first
  ordered_json results = ordered_json::array();
  for (size_t i = page.offset; i < ids.size() && i < page.offset + page.limit; ++i) {
    std::optional<ordered_json> delivery = ReadObject(ctx.Get(keys::Delivery(org, ids[i])));
    if (delivery) results.push_back(PublicDelivery(*delivery));
  }
  if (ctx.missing()) return ctx.Finish({});
  std::string url = ctx.input().config.base_url + "/api/v1/webhooks/" + id + "/deliveries/";
  return ctx.Finish(JsonResponse(200, PageBody(url, page, ids.size(), std::move(results)).dump()));
}

HandlerOutput DeliveryJob(RouteContext& ctx) {
  if (!ctx.input().internal) return ctx.Finish(ErrorResponse(404, "not_found", "no route for " + ctx.request().path));
  const std::string& org = ctx.params()[0];
  const std::string& id = ctx.params()[1];
  const std::string& step = ctx.params()[2];
  std::optional<ordered_json> delivery = ReadObject(ctx.Get(keys::Delivery(org, id)));
  if (ctx.missing()) return ctx.Finish({});
  if (!delivery || delivery->value("status", "") != "pending") return ctx.Finish(JsonResponse(200, "{\"done\":true}"));
  if (step == "prepare") return Prepare(ctx, org, std::move(*delivery));
  if (step == "attempt") return Attempt(ctx, org, std::move(*delivery));
  return ctx.Finish(ErrorResponse(404, "not_found", "no step " + step));
}

}  // namespace sluice::edge
