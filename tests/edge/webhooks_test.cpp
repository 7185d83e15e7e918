// Webhooks through MemoryHost: creating (URL rules, the secret shown once),
// listing and deleting them per organisation; the deliveries an import's
// outcome writes, Dromo's payload, the signature, filters, the legacy schema
// URLs, retries with backoff for 24 hours, and every attempt recorded.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "memory_host.h"

namespace sluice::edge {
namespace {

using nlohmann::json;
using testing::HttpAnswer;
using testing::MemoryHost;

const json kFields = json::parse(R"([{"key": "name", "label": "Name", "validators": [{"validate": "required"}]}])");

json CreateWebhook(MemoryHost& host, const json& body, const std::string& key = "acme-key") {
  HttpAnswer created = host.Call("POST", "/api/v1/webhooks/", body.dump(), key);
  EXPECT_EQ(created.status, 201) << created.body;
  return created.json();
}

std::string Import(MemoryHost& host, const json& data, const json& settings = json::object(),
                   const json& metadata = nullptr) {
  json body = {{"fields", kFields}, {"settings", settings}, {"initial_data", data}, {"original_filename", nullptr}};
  body.erase("original_filename");
  if (!metadata.is_null()) body["import_metadata"] = metadata;
  HttpAnswer created = host.Call("POST", "/api/v1/headless/imports/", body.dump());
  EXPECT_EQ(created.status, 201) << created.body;
  host.RunJobs();
  return created.json()["id"];
}

// A receiver that records what it got and answers with the next status.
struct Receiver {
  std::vector<json> got;
  std::vector<int> answers;  // consumed front first; 200 when empty
  json operator()(const json& send) {
    got.push_back(send);
    int status = 200;
    if (!answers.empty()) {
      status = answers.front();
      answers.erase(answers.begin());
    }
    if (status == 0) return {{"error", "timeout"}, {"ms", 10000}};
    return {{"status_code", status}, {"ms", 12}};
  }
};

std::string Header(const json& send, const std::string& name) {
  for (const json& header : send["headers"]) {
    if (header[0] == name) return header[1];
  }
  return "";
}

TEST(WebhooksTest, CreatedWithASecretShownOnce) {
  MemoryHost host;
  json webhook = CreateWebhook(host, {{"url", "https://hooks.example.com/sluice"}, {"events", {"import_completed"}}});
  EXPECT_EQ(webhook["secret"].get<std::string>().rfind("whsec_", 0), 0u);
  EXPECT_EQ(webhook["secret"].get<std::string>().size(), 6u + 64);
  std::string id = webhook["id"];
  json one = host.Call("GET", "/api/v1/webhooks/" + id + "/").json();
  EXPECT_EQ(one["url"], "https://hooks.example.com/sluice");
  EXPECT_FALSE(one.contains("secret"));
  json list = host.Call("GET", "/api/v1/webhooks/").json();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_FALSE(list[0].contains("secret"));
  // Another organisation sees none of it.
  EXPECT_EQ(host.Call("GET", "/api/v1/webhooks/", "", "globex-key").json(), json::array());
  EXPECT_EQ(host.Call("GET", "/api/v1/webhooks/" + id + "/", "", "globex-key").status, 404);
  EXPECT_EQ(host.Call("DELETE", "/api/v1/webhooks/" + id + "/", "", "globex-key").status, 404);
  EXPECT_EQ(host.Call("DELETE", "/api/v1/webhooks/" + id + "/").status, 204);
  EXPECT_EQ(host.Call("GET", "/api/v1/webhooks/" + id + "/").status, 404);
  EXPECT_EQ(host.Call("GET", "/api/v1/webhooks/").json(), json::array());
  // Two webhooks made in one call each get their own secret.
  json a = CreateWebhook(host, {{"url", "https://a.example.com/"}, {"events", {"import_completed"}}});
  json b = CreateWebhook(host, {{"url", "https://b.example.com/"}, {"events", {"import_completed"}}});
  EXPECT_NE(a["secret"], b["secret"]);
}

TEST(WebhooksTest, UrlsThatReachInsideAreRefused) {
  MemoryHost host;
  auto refused = [&](const std::string& url) {
    HttpAnswer answer = host.Call("POST", "/api/v1/webhooks/", json{{"url", url}, {"events", {"import_completed"}}}.dump());
    return answer.status == 422 && answer.json()["error"]["code"] == "webhook_url_refused";
  };
  for (const char* url : {"http://hooks.example.com/", "ftp://x.example.com/", "https://localhost/", "https://LOCALHOST:8443/x",
                          "https://a.localhost/", "https://127.0.0.1/", "https://10.1.2.3/", "https://172.16.0.1/",
                          "https://192.168.1.1/", "https://169.254.169.254/latest", "https://100.64.0.1/", "https://0.0.0.0/",
                          "https://[::1]/", "https://[fd00::1]/", "https://2130706433/", "https://0x7f.1/", "https://0177.0.0.1/", "https://a.0x7f/",
                          "https://user:pw@hooks.example.com/", "https://hooks.example.com:99999/", "https:///x",
                          "https://hooks.example.com/a b", "javascript:alert(1)"}) {
    EXPECT_TRUE(refused(url)) << url;
  }
  for (const char* url : {"https://hooks.example.com/", "https://8.8.8.8/x", "https://hooks.example.com:8443/p?q=1",
                          "https://172.32.0.1/"}) {
    EXPECT_FALSE(refused(url)) << url;
  }
  host.allow_private_webhooks = true;  // SLUICE_ALLOW_PRIVATE_WEBHOOKS=1: http and loopback too
  EXPECT_FALSE(refused("http://127.0.0.1:9000/hook"));
  EXPECT_FALSE(refused("http://localhost/hook"));
  EXPECT_TRUE(refused("ftp://127.0.0.1/"));
}

TEST(WebhooksTest, CreateValidatesItsBody) {
  MemoryHost host;
  auto status = [&](const json& body) { return host.Call("POST", "/api/v1/webhooks/", body.dump()).status; };
  EXPECT_EQ(status({{"events", {"import_completed"}}}), 400);
  EXPECT_EQ(status({{"url", 3}, {"events", {"import_completed"}}}), 400);
  EXPECT_EQ(status({{"url", "https://h.example.com/"}}), 400);
  EXPECT_EQ(status({{"url", "https://h.example.com/"}, {"events", json::array()}}), 400);
  EXPECT_EQ(status({{"url", "https://h.example.com/"}, {"events", {"import_started"}}}), 400);
  EXPECT_EQ(status({{"url", "https://h.example.com/"}, {"events", {"import_completed"}}, {"schema_id", 5}}), 400);
  EXPECT_EQ(status({{"url", "https://h.example.com/"}, {"events", {"import_completed"}}, {"extra", 1}}), 400);
  EXPECT_EQ(host.Call("POST", "/api/v1/webhooks/", "[").status, 400);
  EXPECT_EQ(host.Call("POST", "/api/v1/webhooks/", "{}", "").status, 401);
  for (int i = 0; i < 50; ++i) ASSERT_EQ(status({{"url", "https://h.example.com/"}, {"events", {"import_completed"}}}), 201);
  EXPECT_EQ(status({{"url", "https://h.example.com/"}, {"events", {"import_completed"}}}), 409);
}

TEST(WebhooksTest, EachOutcomeDeliversDromosPayloadSigned) {
  MemoryHost host;
  json webhook = CreateWebhook(host, {{"url", "https://hooks.example.com/in"},
                                      {"events", {"import_completed", "headless_import_needs_review", "headless_import_failed"}}});
  std::string ok = Import(host, json::parse(R"([{"Name": "Ada"}, {"Name": "Bob"}])"), json::object(),
                          {{"user", {{"id", "u1"}, {"email", "u1@x.io"}}}});
  std::string review = Import(host, json::parse(R"([{"Who": "Ada"}])"));
  std::string failed = Import(host, json::array());
  Receiver receiver;
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 3);
  ASSERT_EQ(receiver.got.size(), 3u);

  const json& first = receiver.got[0];
  EXPECT_EQ(first["url"], "https://hooks.example.com/in");
  EXPECT_EQ(first["method"], "POST");
  EXPECT_EQ(Header(first, "content-type"), "application/json");
  EXPECT_EQ(Header(first, "sluice-event"), "import_completed");
  json payload = json::parse(first["body"].get<std::string>());
  EXPECT_EQ(payload, json::parse(R"({"event": "import_completed", "data": {"id": ")" + ok +
                                 R"(", "filename": null, "user": {"id": "u1", "email": "u1@x.io"},
      "created_date": "2025-11-29T13:10:00.000Z", "import_type": "HEADLESS", "status": "SUCCESSFUL",
      "num_data_rows": 2, "development_mode": false, "has_data": true}})"));
  // Sluice-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>.
  std::string signature = Header(first, "sluice-signature");
  std::string t = std::to_string(host.now_ms / 1000);
  EXPECT_EQ(signature, "t=" + t + ",v1=" + ToHex(HmacSha256(webhook["secret"].get<std::string>(),
                                                              t + "." + first["body"].get<std::string>())));

  json second = json::parse(receiver.got[1]["body"].get<std::string>());
  EXPECT_EQ(second["event"], "headless_import_needs_review");
  EXPECT_EQ(second["data"]["id"], review);
  EXPECT_EQ(second["data"]["status"], "NEEDS_REVIEW");
  EXPECT_EQ(second["data"]["num_data_rows"], 1);
  EXPECT_EQ(second["data"]["has_data"], false);
  json third = json::parse(receiver.got[2]["body"].get<std::string>());
  EXPECT_EQ(third["event"], "headless_import_failed");
  EXPECT_EQ(third["data"]["id"], failed);

  // Each delivered once: nothing is sent again.
  host.now_ms += 48LL * 3600 * 1000;
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 0);
  json deliveries = host.Call("GET", "/api/v1/webhooks/" + webhook["id"].get<std::string>() + "/deliveries/").json();
  EXPECT_EQ(deliveries["count"], 3);
  EXPECT_EQ(deliveries["results"][0]["import_id"], failed);  // newest first
  EXPECT_EQ(deliveries["results"][0]["status"], "delivered");
  EXPECT_EQ(deliveries["results"][0]["attempts"][0]["status_code"], 200);
  EXPECT_TRUE(deliveries["results"][0]["next_attempt_date"].is_null());
}

TEST(WebhooksTest, AReviewedImportFiresImportCompleted) {
  MemoryHost host;
  CreateWebhook(host, {{"url", "https://hooks.example.com/in"}, {"events", {"import_completed"}}});
  std::string id = Import(host, json::parse(R"([{"Who": "Ada"}])"));
  Receiver receiver;
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 0);  // NEEDS_REVIEW is not subscribed
  std::string url = host.Call("GET", "/api/v1/headless/imports/" + id).json()["review_url"];
  std::string token = url.substr(url.find("?token=") + 7);
  ASSERT_EQ(host.Call("POST", "/api/v1/headless/imports/" + id + "/review/?token=" + token,
                      R"({"headerRow": 0, "mapping": {"0": "name"}})", "").status, 202);
  host.RunJobs();
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 1);
  EXPECT_EQ(json::parse(receiver.got[0]["body"].get<std::string>())["data"]["status"], "SUCCESSFUL");
}

TEST(WebhooksTest, FiltersByEventIdentifierAndSchema) {
  MemoryHost host;
  std::string schema = host.Call("POST", "/api/v1/schemas/",
                                 json{{"name", "s"}, {"fields", kFields}, {"settings", {{"importIdentifier", "crm"}}}}.dump())
                           .json()["id"];
  CreateWebhook(host, {{"url", "https://a.example.com/"}, {"events", {"import_completed"}}, {"importIdentifier", "crm"}});
  CreateWebhook(host, {{"url", "https://b.example.com/"}, {"events", {"import_completed"}}, {"schema_id", schema}});
  CreateWebhook(host, {{"url", "https://c.example.com/"}, {"events", {"headless_import_failed"}}});
  Import(host, json::parse(R"([{"Name": "Ada"}])"), {{"importIdentifier", "other"}});  // none of them
  Receiver receiver;
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 0);
  Import(host, json::parse(R"([{"Name": "Ada"}])"), {{"importIdentifier", "crm"}});  // a only
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 1);
  EXPECT_EQ(receiver.got.back()["url"], "https://a.example.com/");
  host.Call("POST", "/api/v1/headless/imports/",
            json{{"schema_id", schema}, {"initial_data", json::parse(R"([{"Name": "Ada"}])")}}.dump());
  host.RunJobs();  // a and b
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 2);
}

TEST(WebhooksTest, FailuresAreRetriedWithBackoffForADayAndRecorded) {
  MemoryHost host;
  std::string webhook = CreateWebhook(host, {{"url", "https://hooks.example.com/"}, {"events", {"import_completed"}}})["id"];
  Import(host, json::parse(R"([{"Name": "Ada"}])"));
  Receiver receiver;
  receiver.answers = {500, 0, 302};  // an error, a timeout, a redirect (not followed)
  int64_t start = host.now_ms;
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 1);
  int64_t first_wait = host.NextDeliveryDue() - start;
  EXPECT_GE(first_wait, 24000);  // 30 s, +-20%
  EXPECT_LE(first_wait, 36000);
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 0);  // not due yet
  host.now_ms = host.NextDeliveryDue();
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 1);
  int64_t second_wait = host.NextDeliveryDue() - host.now_ms;
  EXPECT_GE(second_wait, 48000);  // 60 s, +-20%
  EXPECT_LE(second_wait, 72000);
  host.now_ms = host.NextDeliveryDue();
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 1);
  json pending = host.Call("GET", "/api/v1/webhooks/" + webhook + "/deliveries/").json()["results"][0];
  EXPECT_EQ(pending["status"], "pending");
  EXPECT_TRUE(pending["next_attempt_date"].is_string());
  ASSERT_EQ(pending["attempts"].size(), 3u);
  EXPECT_EQ(pending["attempts"][0]["status_code"], 500);
  EXPECT_EQ(pending["attempts"][1]["error"], "timeout");
  EXPECT_EQ(pending["attempts"][2]["status_code"], 302);
  host.now_ms = host.NextDeliveryDue();
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 1);  // 200 at last
  json delivered = host.Call("GET", "/api/v1/webhooks/" + webhook + "/deliveries/").json()["results"][0];
  EXPECT_EQ(delivered["status"], "delivered");
  EXPECT_EQ(delivered["attempts"].size(), 4u);
  // Every attempt carries a fresh signature time.
  EXPECT_NE(Header(receiver.got[0], "sluice-signature"), Header(receiver.got[3], "sluice-signature"));
}

TEST(WebhooksTest, ADeliveryThatNeverSucceedsFailsAfterADay) {
  MemoryHost host;
  std::string webhook = CreateWebhook(host, {{"url", "https://hooks.example.com/"}, {"events", {"import_completed"}}})["id"];
  Import(host, json::parse(R"([{"Name": "Ada"}])"));
  Receiver receiver;
  receiver.answers.assign(1000, 503);
  int64_t start = host.now_ms;
  int sent = 0;
  while (host.RunDeliveries(std::ref(receiver)) > 0 || host.NextDeliveryDue() > 0) {
    ++sent;
    ASSERT_LT(sent, 100);
    ASSERT_LE(host.NextDeliveryDue() - start, 24LL * 3600 * 1000);
    host.now_ms = std::max(host.now_ms, host.NextDeliveryDue());
    if (host.NextDeliveryDue() == 0) break;
  }
  json failed = host.Call("GET", "/api/v1/webhooks/" + webhook + "/deliveries/").json()["results"][0];
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_GE(host.now_ms - start, 24LL * 3600 * 1000);
  // Doubling to an hour: about 30 attempts in a day, not thousands.
  EXPECT_GE(receiver.got.size(), 20u);
  EXPECT_LE(receiver.got.size(), 40u);
}

TEST(WebhooksTest, LegacySchemaUrlsGetAFormBody) {
  MemoryHost host;
  std::string ok = Import(host, json::parse(R"([{"Name": "Ada"}])"),
                          {{"webhookUrl", "https://legacy.example.com/done"},
                           {"needsReviewWebhookUrl", "https://legacy.example.com/review"}});
  std::string review = Import(host, json::parse(R"([{"Who": "Ada"}])"),
                              {{"webhookUrl", "https://legacy.example.com/done"},
                               {"needsReviewWebhookUrl", "https://legacy.example.com/review"}});
  Receiver receiver;
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 2);
  EXPECT_EQ(receiver.got[0]["url"], "https://legacy.example.com/done");
  EXPECT_EQ(receiver.got[0]["body"], "uploadId=" + ok);
  EXPECT_EQ(Header(receiver.got[0], "content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(receiver.got[1]["url"], "https://legacy.example.com/review");
  EXPECT_EQ(receiver.got[1]["body"], "uploadId=" + review);
}

TEST(WebhooksTest, UnsafeLegacyUrlsAndDeletedWebhooksAreNotSent) {
  MemoryHost host;
  std::string webhook = CreateWebhook(host, {{"url", "https://hooks.example.com/"}, {"events", {"import_completed"}}})["id"];
  Import(host, json::parse(R"([{"Name": "Ada"}])"), {{"webhookUrl", "http://169.254.169.254/latest/meta-data"}});
  EXPECT_EQ(host.Call("DELETE", "/api/v1/webhooks/" + webhook + "/").status, 204);
  Receiver receiver;
  EXPECT_EQ(host.RunDeliveries(std::ref(receiver)), 0);
  EXPECT_EQ(host.NextDeliveryDue(), 0);
}

TEST(WebhooksTest, DeliveriesListPagesAndIsPerOrganisation) {
  MemoryHost host;
  std::string webhook = CreateWebhook(host, {{"url", "https://hooks.example.com/"}, {"events", {"import_completed"}}})["id"];
  for (int i = 0; i < 3; ++i) Import(host, json::parse(R"([{"Name": "Ada"}])"));
  json page = host.Call("GET", "/api/v1/webhooks/" + webhook + "/deliveries/?offset=1&limit=1").json();
  EXPECT_EQ(page["count"], 3);
  EXPECT_EQ(page["results"].size(), 1u);
  EXPECT_EQ(page["results"][0]["status"], "pending");
  EXPECT_TRUE(page["next"].is_string());
  EXPECT_EQ(host.Call("GET", "/api/v1/webhooks/" + webhook + "/deliveries/?limit=0").status, 400);
  EXPECT_EQ(host.Call("GET", "/api/v1/webhooks/" + webhook + "/deliveries/", "", "globex-key").status, 404);
  EXPECT_EQ(host.Call("POST", "/internal/deliveries/acme/x/prepare").status, 404);  // host only
}

}  // namespace
}  // namespace sluice::edge
