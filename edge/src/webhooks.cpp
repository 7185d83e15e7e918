// Webhook URL rules and the fan-out of an import's outcome to the outbox.
#include "webhooks.h"

#include <algorithm>

#include "id_index.h"
#include "store_keys.h"

namespace sluice::edge {
namespace {

using nlohmann::ordered_json;

// A webhook lists its most recent deliveries; older ones are deleted.
constexpr size_t kDeliveriesKept = 200;

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return text;
}

// Dotted-quad IPv4 ("10.0.0.1"); false for anything else.
bool ParseIpv4(const std::string& host, uint8_t out[4]) {
  size_t part = 0, start = 0;
  for (size_t i = 0; i <= host.size(); ++i) {
    if (i < host.size() && host[i] != '.') {
      if (host[i] < '0' || host[i] > '9' || i - start >= 3) return false;
      continue;
    }
    if (i == start || part >= 4) return false;
    int value = std::stoi(host.substr(start, i - start));
    if (value > 255) return false;
    out[part++] = static_cast<uint8_t>(value);
    start = i + 1;
  }
  return part == 4;
}

bool PrivateIpv4(const uint8_t a[4]) {
  return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 100 && (a[1] & 0xC0) == 64) ||
         (a[0] == 169 && a[1] == 254) || (a[0] == 172 && (a[1] & 0xF0) == 16) || (a[0] == 192 && a[1] == 168) ||
         (a[0] == 192 && a[1] == 0 && a[2] == 0) || (a[0] == 198 && (a[1] & 0xFE) == 18) || a[0] >= 224;
}

}  // namespace

std::string WebhookUrlProblem(const std::string& url, bool allow_private) {
  if (url.size() > 2048) return "is longer than 2048 characters";
  std::string lower = Lower(url);
  size_t authority = 0;
  if (lower.rfind("https://", 0) == 0) {
    authority = 8;
  } else if (lower.rfind("http://", 0) == 0 && allow_private) {
    authority = 7;
  } else {
    return allow_private ? "must be an http or https URL" : "must be an https URL";
  }
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '\\') return "holds spaces or control characters";
  }
  size_t end = lower.find_first_of("/?#", authority);
  std::string host = lower.substr(authority, end == std::string::npos ? std::string::npos : end - authority);
  if (host.find('@') != std::string::npos) return "may not carry a user name or password";
  // The port, when given.
  if (!host.empty() && host[0] == '[') {
    size_t close = host.find(']');
    if (close == std::string::npos) return "has a malformed IPv6 address";
    std::string rest = host.substr(close + 1);
    if (!rest.empty() && (rest[0] != ':' || rest.size() == 1 || rest.find_first_not_of("0123456789", 1) != std::string::npos)) {
      return "has a malformed port";
    }
    host = host.substr(0, close + 1);
  } else if (host.find(':') != std::string::npos) {
    std::string port = host.substr(host.find(':') + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) > 65535) {
      return "has a malformed port";
    }
    host = host.substr(0, host.find(':'));
  }
  if (host.empty()) return "has no host";
  if (allow_private) return "";
  if (host == "localhost" || (host.size() > 10 && host.compare(host.size() - 10, 10, ".localhost") == 0)) {
    return "points at this machine (localhost)";
  }
  if (host[0] == '[') return "is an IPv6 address literal; use a host name";
  // A host whose last label is a number is an IPv4 address to URL parsers,
  // in any of its forms (2130706433, 0x7f.1, 0177.0.0.1): only the plain
  // dotted form is taken, and judged.
  std::string last = host.substr(host.rfind('.') == std::string::npos ? 0 : host.rfind('.') + 1);
  bool numeric = !last.empty() && (last.find_first_not_of("0123456789") == std::string::npos ||
                                   (last.size() > 1 && last[0] == '0' && last[1] == 'x' &&
                                    last.find_first_not_of("0123456789abcdef", 2) == std::string::npos));
  if (!numeric) return "";
  uint8_t ipv4[4];
  if (!ParseIpv4(host, ipv4) || host != std::to_string(ipv4[0]) + "." + std::to_string(ipv4[1]) + "." +
                                            std::to_string(ipv4[2]) + "." + std::to_string(ipv4[3])) {
    return "is a numeric host that is not a plain dotted IPv4 address";
  }
  return PrivateIpv4(ipv4) ? "points at a private or loopback address" : "";
}

WebhookFanout::WebhookFanout(RouteContext& ctx, const std::string& org) : ctx_(ctx), org_(org) {
  std::vector<std::string> ids = ReadIdIndex(ctx.Get(keys::WebhookIndex(org)));
  for (const std::string& id : ids) {
    const StoredValue* stored = ctx.Get(keys::Webhook(org, id));
    if (!stored) continue;
    ordered_json webhook = ordered_json::parse(stored->value, nullptr, false);
    if (!webhook.is_object()) continue;
    // Its delivery list, and the oldest delivery when the list is full.
    std::vector<std::string> deliveries = ReadIdIndex(ctx.Get(keys::DeliveryIndex(org, id)));
    if (deliveries.size() >= kDeliveriesKept) ctx.Get(keys::Delivery(org, deliveries.front()));
    webhooks_.push_back(std::move(webhook));
  }
}

void WebhookFanout::Queue(const ordered_json& record, const ordered_json& settings) {
  std::string status = record.value("status", "");
  const char* event = status == "SUCCESSFUL"     ? "import_completed"
                      : status == "NEEDS_REVIEW" ? "headless_import_needs_review"
                      : status == "FAILED"       ? "headless_import_failed"
                                                 : nullptr;
  if (!event) return;
  const std::string id = record.value("id", "");
  auto setting = [&](const char* key) {
    auto it = settings.find(key);
    return it != settings.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  // Dromo's payload.
  int64_t rows = 0;
  for (const char* key : {"result_metadata", "_review"}) {
    auto metadata = record.find(key);
    if (metadata != record.end() && metadata->is_object() && metadata->contains("num_data_rows") &&
        (*metadata)["num_data_rows"].is_number_integer()) {
      rows = (*metadata)["num_data_rows"].get<int64_t>();
    }
  }
  ordered_json user = nullptr;
  auto metadata = record.find("import_metadata");
  if (metadata != record.end() && metadata->is_object() && metadata->contains("user")) user = (*metadata)["user"];
  auto development = settings.find("developmentMode");
  ordered_json payload = {
      {"event", event},
      {"data", {{"id", id}, {"filename", record.value("original_filename", ordered_json(nullptr))}, {"user", user},
                {"created_date", record.value("created_date", ordered_json(nullptr))}, {"import_type", "HEADLESS"},
                {"status", status}, {"num_data_rows", rows},
                {"development_mode", development != settings.end() && development->is_boolean() && development->get<bool>()},
                {"has_data", status == "SUCCESSFUL" && rows > 0}}}};
  std::string body = payload.dump();

  auto deliver = [&](const std::string& webhook_id, const std::string& url, const std::string& content_type,
                     const std::string& text) {
    std::string delivery_id = ctx_.NewId();
    ordered_json delivery = {{"id", delivery_id},
                             {"webhook_id", webhook_id.empty() ? ordered_json(nullptr) : ordered_json(webhook_id)},
                             {"event", event},
                             {"import_id", id},
                             {"url", url},
                             {"content_type", content_type},
                             {"body", text},
                             {"created_ms", ctx_.input().now_ms},
                             {"created_date", ctx_.NowIso()},
                             {"status", "pending"},
                             {"attempts", ordered_json::array()},
                             {"next_attempt_ms", ctx_.input().now_ms}};
    ctx_.Put(keys::Delivery(org_, delivery_id), delivery.dump());
    ctx_.AddEffect(ordered_json{{"type", "deliver_webhook"}, {"org", org_}, {"id", delivery_id}}.dump());
    return delivery_id;
  };

  std::string identifier = setting("importIdentifier");
  for (const ordered_json& webhook : webhooks_) {
    const ordered_json& events = webhook["events"];
    if (!events.is_array() || std::find(events.begin(), events.end(), ordered_json(event)) == events.end()) continue;
    if (webhook.contains("importIdentifier") && webhook["importIdentifier"].is_string() &&
        webhook["importIdentifier"] != identifier) {
      continue;
    }
    if (webhook.contains("schema_id") && webhook["schema_id"].is_string() &&
        webhook["schema_id"] != record.value("schema_id", ordered_json(nullptr))) {
      continue;
    }
    std::string webhook_id = webhook.value("id", "");
    std::string delivery_id = deliver(webhook_id, webhook.value("url", ""), "application/json", body);
    std::vector<std::string> deliveries = ReadIdIndex(ctx_.Get(keys::DeliveryIndex(org_, webhook_id)));
    deliveries.push_back(delivery_id);
    while (deliveries.size() > kDeliveriesKept) {
      if (ctx_.Get(keys::Delivery(org_, deliveries.front()))) ctx_.Delete(keys::Delivery(org_, deliveries.front()));
      deliveries.erase(deliveries.begin());
    }
    ctx_.Put(keys::DeliveryIndex(org_, webhook_id), WriteIdIndex(deliveries));
  }
  // The schema's legacy URLs: a form body naming the import.
  std::string legacy = status == "SUCCESSFUL"     ? setting("webhookUrl")
                       : status == "NEEDS_REVIEW" ? setting("needsReviewWebhookUrl")
                                                  : "";
  if (!legacy.empty()) deliver("", legacy, "application/x-www-form-urlencoded", "uploadId=" + id);
}

}  // namespace sluice::edge
