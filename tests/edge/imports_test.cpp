// Headless imports through MemoryHost: both quickstart flows, every status,
// signed URLs (altered, expired, reused), listing, deletion, idempotency and
// isolation between organisations.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "memory_host.h"
#include "sluice/import.h"
#include "sluice/schema.h"

namespace sluice::edge {
namespace {

using nlohmann::json;
using testing::HttpAnswer;
using testing::MemoryHost;

const json kFields = json::parse(R"([
  {"key": "name", "label": "Name", "validators": [{"validate": "required"}]},
  {"key": "email", "label": "Email", "type": "email"}])");

std::string PathOf(const std::string& url) { return url.substr(std::string("http://host").size()); }

TEST(ImportsTest, JsonQuickstartRunsToSuccessAndServesResults) {
  MemoryHost host;
  json create = {{"fields", kFields}, {"settings", {{"importIdentifier", "contacts"}}},
                 {"initial_data", json::parse(R"([{"Name": "Ada", "Email": "ada@x.io"}, {"Name": "Bob", "Email": "bob@x.io"}])")},
                 {"import_metadata", {{"user", {{"id", "u1"}}}}}};
  HttpAnswer created = host.Call("POST", "/api/v1/headless/imports/", create.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["status"], "PENDING");
  EXPECT_FALSE(created.json().contains("upload"));
  EXPECT_FALSE(created.json().contains("_schema"));
  std::string id = created.json()["id"];
  EXPECT_EQ(host.Call("GET", "/api/v1/headless/imports/" + id + "/url/").status, 409);  // not ready yet

  ASSERT_EQ(host.RunJobs(), 1);
  json done = host.Call("GET", "/api/v1/headless/imports/" + id + "/").json();
  EXPECT_EQ(done["status"], "SUCCESSFUL");
  EXPECT_EQ(done["result_metadata"]["num_data_rows"], 2);
  EXPECT_EQ(done["import_metadata"]["user"]["id"], "u1");
  EXPECT_TRUE(done["import_errors"].is_null());

  std::string url = host.Call("GET", "/api/v1/headless/imports/" + id + "/url/").json()["presigned_url"];
  HttpAnswer rows = host.Call("GET", PathOf(url), "", "");
  ASSERT_EQ(rows.status, 200) << rows.body;
  EXPECT_EQ(rows.json(), json::parse(R"([{"name":"Ada","email":"ada@x.io"},{"name":"Bob","email":"bob@x.io"}])"));
  EXPECT_EQ(host.Call("GET", PathOf(url) + "&format=csv", "", "").body, "name,email\r\nAda,ada@x.io\r\nBob,bob@x.io\r\n");
  EXPECT_EQ(host.Call("GET", PathOf(url) + "&format=ndjson", "", "").headers["content-type"],
            "application/x-ndjson; charset=utf-8");
}

// A host that takes blobs as they are made (the Node host) gets the result
// in many chunks, committed only when the import is SUCCESSFUL; its three
// results are the bytes a host taking whole blobs (Workers) stores.
TEST(ImportsTest, ResultsStreamedToTheHostEqualWholeResults) {
  json rows = json::array();
  for (int i = 0; i < 40000; ++i) rows.push_back({{"Name", "n" + std::to_string(i)}, {"Email", "e" + std::to_string(i) + "@x.io"}});
  std::map<std::string, std::string> results[2];
  for (bool stream : {true, false}) {
    MemoryHost host;
    host.stream_blobs = stream;
    std::string id = host.Call("POST", "/api/v1/headless/imports/", json{{"fields", kFields}, {"initial_data", rows}}.dump())
                         .json()["id"];
    ASSERT_EQ(host.RunJobs(), 1);
    ASSERT_EQ(host.Call("GET", "/api/v1/headless/imports/" + id).json()["status"], "SUCCESSFUL");
    std::string url = PathOf(host.Call("GET", "/api/v1/headless/imports/" + id + "/url/").json()["presigned_url"]);
    for (const char* format : {"json", "ndjson", "csv"}) {
      HttpAnswer answer = host.Call("GET", url + "&format=" + format, "", "");
      ASSERT_EQ(answer.status, 200);
      results[stream ? 0 : 1][format] = answer.body;
    }
    size_t chunks = 0;
    for (const auto& [name, count] : host.streamed_chunks) chunks += count;
    EXPECT_EQ(chunks > 3 * 2, stream) << chunks;  // 40,000 rows: several chunks per format
  }
  EXPECT_EQ(results[0], results[1]);
  EXPECT_EQ(json::parse(results[0]["json"]).size(), 40000u);

  // NEEDS_REVIEW: the rows were streamed, and none is kept.
  MemoryHost host;
  json review = host.Call("POST", "/api/v1/headless/imports/",
                          json{{"fields", kFields}, {"initial_data", json::parse(R"([{"Email": "a@x.io"}])")}}.dump()).json();
  host.RunJobs();
  EXPECT_EQ(host.Call("GET", "/api/v1/headless/imports/" + review["id"].get<std::string>()).json()["status"], "NEEDS_REVIEW");
  EXPECT_FALSE(host.streamed_chunks.empty());
  for (const auto& [name, bytes] : host.blobs()) EXPECT_NE(name.rfind("results/", 0), 0u) << name;
}

TEST(ImportsTest, FileQuickstartThroughTheSignedUploadUrl) {
  MemoryHost host;
  std::string schema = host.Call("POST", "/api/v1/schemas/",
                                 json{{"name", "contacts"}, {"fields", kFields}, {"settings", {{"importIdentifier", "c"}}}}.dump())
                           .json()["id"];
  HttpAnswer created = host.Call("POST", "/api/v1/headless/imports/",
                                 json{{"schema_id", schema}, {"original_filename", "contacts.csv"}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["status"], "AWAITING_UPLOAD");
  EXPECT_EQ(created.json()["schema_id"], schema);
  std::string upload = PathOf(created.json()["upload"].get<std::string>());
  std::string id = created.json()["id"];

  EXPECT_EQ(host.Call("PUT", upload + "x", "Name,Email\n", "").status, 403);                  // altered
  EXPECT_EQ(host.Call("PUT", upload.substr(0, upload.find('?')), "Name\n", "").status, 403);  // unsigned
  ASSERT_EQ(host.Call("PUT", upload, "Name,Email\nAda,ada@x.io\n,not-an-email\n", "").status, 200);
  EXPECT_EQ(host.Call("PUT", upload, "again", "").status, 409);  // one file per import
  EXPECT_EQ(host.Call("GET", "/api/v1/headless/imports/" + id).json()["status"], "PENDING");
  host.RunJobs();
  json done = host.Call("GET", "/api/v1/headless/imports/" + id).json();
  EXPECT_EQ(done["status"], "SUCCESSFUL");  // REMOVE_INVALID_ROWS by default
  EXPECT_EQ(done["result_metadata"]["rowsWithError"], 1);
}

TEST(ImportsTest, LargeDelimitedUploadsImportAsAWholeRead) {
  // Over ImportPasses::kWholeBelow, a delimited upload is given to the
  // import in pieces, pass after pass (the module holds a window of its
  // rows, not a table of them all), read from the store by a host that
  // reads blobs during the call: the same results and metadata as RunImport
  // over the whole upload, in the three formats.
  const json fields = json::parse(R"([
    {"key": "id", "label": "Id", "type": "number", "validators": [{"validate": "unique"}]},
    {"key": "name", "label": "Name", "validators": [{"validate": "required"}]},
    {"key": "email", "label": "Email", "type": "email"}])");
  std::string csv = "Id,Name,Email,Note\n";
  for (size_t i = 0; i < 380000; ++i) {
    csv += std::to_string(i % 370000) + "," + (i % 1000 == 7 ? "" : "name " + std::to_string(i)) + ",e" +
           std::to_string(i) + (i % 777 == 0 ? "" : "@x.io") + ",\"a note, " + std::to_string(i) + "\"\n";
  }
  ASSERT_GT(csv.size(), size_t{ImportPasses::kWholeBelow});
  ASSERT_TRUE(ImportPasses::ReadsInPasses(csv, ImportOptions()));
  const json schema_json = {{"fields", fields}, {"settings", {{"invalidDataBehavior", "INCLUDE_INVALID_ROWS"}}}};
  SchemaLoad load = LoadSchema(schema_json.dump());
  ASSERT_TRUE(load.schema);
  std::map<std::string, std::string> whole;
  const char* names[3] = {"json", "ndjson", "csv"};
  std::vector<RowStream> streams;
  for (size_t k = 0; k < 3; ++k) {
    streams.push_back({k == 0 ? RowFormat::kJson : k == 1 ? RowFormat::kNdjson : RowFormat::kCsv,
                       [&whole, &names, k](std::string_view chunk) { whole[names[k]].append(chunk); }});
  }
  const ImportResult expected = RunImport(csv, *load.schema, ImportOptions(), streams);
  for (int variant = 0; variant < 3; ++variant) {
    const bool stream = variant != 1;
    MemoryHost host;
    host.stream_blobs = stream;
    host.read_blobs = variant != 2;  // (the upload read from the store in pieces, or given whole)
    json created = host.Call("POST", "/api/v1/headless/imports/",
                             json{{"fields", fields}, {"settings", schema_json["settings"]}, {"original_filename", "big.csv"}}
                                 .dump()).json();
    ASSERT_EQ(host.Call("PUT", PathOf(created["upload"].get<std::string>()), csv, "").status, 200);
    ASSERT_EQ(host.RunJobs(), 1);
    const std::string id = created["id"];
    json done = host.Call("GET", "/api/v1/headless/imports/" + id).json();
    ASSERT_EQ(done["status"], "SUCCESSFUL");
    EXPECT_EQ(done["result_metadata"], json::parse(expected.Metadata()));
    std::string url = PathOf(host.Call("GET", "/api/v1/headless/imports/" + id + "/url/").json()["presigned_url"]);
    for (const char* format : names) {
      HttpAnswer answer = host.Call("GET", url + "&format=" + format, "", "");
      ASSERT_EQ(answer.status, 200);
      EXPECT_TRUE(answer.body == whole[format]) << format << ", variant " << variant;
    }
    // Read from the store: a megabyte a read, in each of the two passes.
    const size_t reads = host.blob_reads["uploads/acme/" + id];
    EXPECT_EQ(reads, host.read_blobs ? 2 * ((csv.size() + (1 << 20) - 1) >> 20) : 0u);
  }
  // A store whose reads come short: FAILED with its code, not a shorter file.
  MemoryHost host;
  host.blob_read_limit = 1000;
  json created = host.Call("POST", "/api/v1/headless/imports/",
                           json{{"fields", fields}, {"original_filename", "big.csv"}}.dump()).json();
  ASSERT_EQ(host.Call("PUT", PathOf(created["upload"].get<std::string>()), csv, "").status, 200);
  ASSERT_EQ(host.RunJobs(), 1);
  json failed = host.Call("GET", "/api/v1/headless/imports/" + created["id"].get<std::string>()).json();
  EXPECT_EQ(failed["status"], "FAILED");
  EXPECT_EQ(failed["import_errors"][0]["code"], "upload_unreadable") << failed.dump();
}

TEST(ImportsTest, UploadUrlsExpireAfterThirtyMinutes) {
  MemoryHost host;
  json created = host.Call("POST", "/api/v1/headless/imports/",
                           json{{"fields", kFields}, {"original_filename", "a.csv"}}.dump()).json();
  host.now_ms += 31 * 60 * 1000;
  HttpAnswer late = host.Call("PUT", PathOf(created["upload"]), "Name\nAda\n", "");
  EXPECT_EQ(late.status, 410);
  EXPECT_EQ(late.json()["error"]["code"], "url_expired");
}

TEST(ImportsTest, OverMaxFileSizeIs413) {
  MemoryHost host;
  json created = host.Call("POST", "/api/v1/headless/imports/",
                           json{{"fields", kFields}, {"settings", {{"maxFileSize", 10}}}, {"original_filename", "a.csv"}}
                               .dump()).json();
  EXPECT_EQ(host.Call("PUT", PathOf(created["upload"]), "Name,Email\nAda,ada@x.io\n", "").status, 413);
}

TEST(ImportsTest, NeedsReviewAndFailedCarryTheirReasons) {
  MemoryHost host;
  json review = host.Call("POST", "/api/v1/headless/imports/",
                          json{{"fields", kFields}, {"initial_data", json::parse(R"([{"Email": "a@x.io"}])")}}.dump()).json();
  json failed = host.Call("POST", "/api/v1/headless/imports/",
                          json{{"fields", kFields}, {"initial_data", json::array()}}.dump()).json();
  host.RunJobs();
  json r = host.Call("GET", "/api/v1/headless/imports/" + review["id"].get<std::string>()).json();
  EXPECT_EQ(r["status"], "NEEDS_REVIEW");
  EXPECT_EQ(r["import_errors"][0]["code"], "field_unmapped");
  EXPECT_EQ(r["import_errors"][0]["fieldKey"], "name");
  EXPECT_EQ(r["review_url"].get<std::string>().rfind("http://host/review/" + r["id"].get<std::string>() + "?token=acme.", 0), 0u);
  json f = host.Call("GET", "/api/v1/headless/imports/" + failed["id"].get<std::string>()).json();
  EXPECT_EQ(f["status"], "FAILED");
  EXPECT_EQ(f["import_errors"][0]["code"], "empty_file");
  EXPECT_TRUE(f["result_metadata"].is_null());
  EXPECT_FALSE(f.contains("review_url"));
}

TEST(ImportsTest, RunningImportsReportTheirProgressToPolls) {
  MemoryHost host;
  json rows = json::array();
  for (int i = 0; i < 70000; ++i) rows.push_back({{"Name", "n" + std::to_string(i)}, {"Email", "e" + std::to_string(i) + "@x.io"}});
  std::string id = host.Call("POST", "/api/v1/headless/imports/", json{{"fields", kFields}, {"initial_data", rows}}.dump())
                       .json()["id"];
  ASSERT_EQ(host.RunJobs(), 1);
  // The run step reported as it went: read, checks in order, done; under one key.
  const std::vector<json>& reports = host.progress_reports;
  ASSERT_GE(reports.size(), 3u);
  EXPECT_EQ(reports.front()["key"], "org/acme/progress/" + id);
  EXPECT_EQ(reports.front()["value"]["stage"], "read");
  EXPECT_EQ(reports.front()["value"]["rows"], 70000);
  EXPECT_EQ(reports[1]["value"]["stage"], "check");
  EXPECT_EQ(reports.back()["value"]["stage"], "done");
  EXPECT_EQ(reports.back()["value"]["done"], 140000);
  for (size_t i = 1; i < reports.size(); ++i) EXPECT_GE(reports[i]["value"]["done"], reports[i - 1]["value"]["done"]);
  EXPECT_EQ(host.Call("GET", "/api/v1/headless/imports/" + id).json()["status"], "SUCCESSFUL");

  // A poll while an import runs shows what the host stored last.
  std::string running = host.Call("POST", "/api/v1/headless/imports/",
                                  json{{"fields", kFields}, {"original_filename", "a.csv"}}.dump()).json()["id"];
  std::string upload = host.Call("GET", "/api/v1/headless/imports/" + running).json()["upload"];
  ASSERT_EQ(host.Call("PUT", upload.substr(std::string("http://host").size()), "Name\nAda\n", "").status, 200);
  host.Call("POST", "/internal/imports/acme/" + running + "/start", "Name\nAda\n", "", {}, true);
  json before = host.Call("GET", "/api/v1/headless/imports/" + running).json();
  EXPECT_EQ(before["status"], "RUNNING");
  EXPECT_EQ(before["result_metadata"]["progress"]["rows"], 0);
  host.Store("org/acme/progress/" + running, R"({"stage":"check","bytes":9,"rows":1,"done":1,"total":2})");
  json during = host.Call("GET", "/api/v1/headless/imports/" + running).json();
  EXPECT_EQ(during["result_metadata"]["progress"], json::parse(R"({"stage":"check","bytes":9,"rows":1,"done":1,"total":2})"));
  // Deleted while running: the progress goes too.
  EXPECT_EQ(host.Call("DELETE", "/api/v1/headless/imports/" + running).status, 204);
  for (const auto& [key, value] : host.kv()) EXPECT_EQ(key.find(running), std::string::npos) << key;
}

TEST(ImportsTest, CreateValidatesItsBody) {
  MemoryHost host;
  auto code = [&](const json& body) { return host.Call("POST", "/api/v1/headless/imports/", body.dump()); };
  EXPECT_EQ(code({{"original_filename", "a.csv"}}).status, 400);                                   // no schema
  EXPECT_EQ(code({{"fields", kFields}}).status, 400);                                              // no file, no data
  EXPECT_EQ(code({{"fields", kFields}, {"original_filename", "a"}, {"initial_data", json::array()}}).status, 400);
  EXPECT_EQ(code({{"fields", kFields}, {"initial_data", {1, 2}}}).status, 400);
  EXPECT_EQ(code({{"fields", kFields}, {"initial_data", json::array()}, {"bogus", 1}}).status, 400);
  EXPECT_EQ(code({{"schema_id", "nope"}, {"original_filename", "a.csv"}}).status, 404);
  HttpAnswer bad_schema = code({{"fields", {{{"key", "a"}, {"label", "A"}, {"type", "money"}}}}, {"original_filename", "a"}});
  EXPECT_EQ(bad_schema.status, 422);
  EXPECT_EQ(bad_schema.json()["error"]["details"][0]["code"], "type.unknown");
}

TEST(ImportsTest, IdempotencyKeyReturnsTheSameImport) {
  MemoryHost host;
  json body = {{"fields", kFields}, {"original_filename", "a.csv"}};
  HttpAnswer first = host.Call("POST", "/api/v1/headless/imports/", body.dump(), "acme-key", {{"Idempotency-Key", "k1"}});
  HttpAnswer second = host.Call("POST", "/api/v1/headless/imports/", body.dump(), "acme-key", {{"Idempotency-Key", "k1"}});
  HttpAnswer other = host.Call("POST", "/api/v1/headless/imports/", body.dump(), "acme-key", {{"Idempotency-Key", "k2"}});
  EXPECT_EQ(first.json()["id"], second.json()["id"]);
  EXPECT_NE(first.json()["id"], other.json()["id"]);
  EXPECT_EQ(host.Call("GET", "/api/v1/headless/imports/").json()["count"], 2);
}

TEST(ImportsTest, ListPagesNewestFirst) {
  MemoryHost host;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(host.Call("POST", "/api/v1/headless/imports/",
                            json{{"fields", kFields}, {"original_filename", std::to_string(i) + ".csv"}}.dump())
                      .json()["id"]);
  }
  json page = host.Call("GET", "/api/v1/headless/imports/?offset=1&limit=2").json();
  EXPECT_EQ(page["count"], 5);
  ASSERT_EQ(page["results"].size(), 2u);
  EXPECT_EQ(page["results"][0]["id"], ids[3]);
  EXPECT_EQ(page["next"], "http://host/api/v1/headless/imports/?offset=3&limit=2");
  EXPECT_EQ(page["previous"], "http://host/api/v1/headless/imports/?offset=0&limit=2");
  EXPECT_EQ(host.Call("GET", "/api/v1/headless/imports/?limit=1001").status, 400);
  EXPECT_EQ(host.Call("GET", "/api/v1/headless/imports/?offset=-1").status, 400);
}

TEST(ImportsTest, DeleteRemovesTheUploadAndResults) {
  MemoryHost host;
  std::string id = host.Call("POST", "/api/v1/headless/imports/",
                             json{{"fields", kFields}, {"initial_data", json::parse(R"([{"Name": "Ada"}])")}}.dump())
                       .json()["id"];
  host.RunJobs();
  EXPECT_EQ(host.blobs().size(), 4u);  // the upload and three result formats
  std::string url = host.Call("GET", "/api/v1/headless/imports/" + id + "/url").json()["presigned_url"];
  EXPECT_EQ(host.Call("DELETE", "/api/v1/headless/imports/" + id + "/").status, 204);
  EXPECT_TRUE(host.blobs().empty());
  EXPECT_EQ(host.Call("GET", "/api/v1/headless/imports/" + id + "/").status, 404);
  EXPECT_EQ(host.Call("GET", PathOf(url), "", "").status, 404);
}

TEST(ImportsTest, OrganisationsNeverSeeEachOthersImports) {
  MemoryHost host;
  std::string id = host.Call("POST", "/api/v1/headless/imports/",
                             json{{"fields", kFields}, {"initial_data", json::parse(R"([{"Name": "Ada"}])")}}.dump())
                       .json()["id"];
  host.RunJobs();
  for (const char* path : {"/api/v1/headless/imports/%s/", "/api/v1/headless/imports/%s/url/"}) {
    std::string p = path;
    p.replace(p.find("%s"), 2, id);
    EXPECT_EQ(host.Call("GET", p, "", "globex-key").status, 404) << p;
  }
  EXPECT_EQ(host.Call("DELETE", "/api/v1/headless/imports/" + id, "", "globex-key").status, 404);
  EXPECT_EQ(host.Call("GET", "/api/v1/headless/imports/", "", "globex-key").json()["count"], 0);
  // A result URL signed for acme does not open another organisation's path.
  std::string url = PathOf(host.Call("GET", "/api/v1/headless/imports/" + id + "/url").json()["presigned_url"]);
  std::string forged = url;
  forged.replace(forged.find("/acme/"), 6, "/globex/");
  EXPECT_EQ(host.Call("GET", forged, "", "").status, 403);
}

TEST(ImportsTest, InternalRoutesAreNotReachableFromOutside) {
  MemoryHost host;
  EXPECT_EQ(host.Call("POST", "/internal/imports/acme/x/run").status, 404);
  EXPECT_EQ(host.Call("GET", "/internal/imports/acme/x/run").status, 404);
}

}  // namespace
}  // namespace sluice::edge

namespace sluice::edge {
namespace {

TEST(RateLimitTest, TwentyCreatesPerMinutePerOrganisation) {
  testing::MemoryHost host;
  nlohmann::json body = {{"fields", kFields}, {"original_filename", "a.csv"}};
  for (int i = 0; i < 20; ++i) {
    testing::HttpAnswer answer = host.Call("POST", "/api/v1/headless/imports/", body.dump());
    ASSERT_EQ(answer.status, 201) << i;
    EXPECT_EQ(answer.headers["x-ratelimit-limit"], "20");
    EXPECT_EQ(answer.headers["x-ratelimit-remaining"], std::to_string(19 - i));
  }
  testing::HttpAnswer limited = host.Call("POST", "/api/v1/headless/imports/", body.dump());
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.json()["error"]["code"], "rate_limited");
  EXPECT_EQ(limited.headers["x-ratelimit-remaining"], "0");
  int retry_after = std::stoi(limited.headers["retry-after"]);
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  EXPECT_EQ(host.Call("POST", "/api/v1/headless/imports/", body.dump(), "globex-key").status, 201);  // per organisation
  host.now_ms += retry_after * 1000;
  EXPECT_EQ(host.Call("POST", "/api/v1/headless/imports/", body.dump()).status, 201);  // the next window
}

TEST(RateLimitTest, TwelvePollsPerMinutePerImport) {
  testing::MemoryHost host;
  nlohmann::json body = {{"fields", kFields}, {"original_filename", "a.csv"}};
  std::string a = host.Call("POST", "/api/v1/headless/imports/", body.dump()).json()["id"];
  std::string b = host.Call("POST", "/api/v1/headless/imports/", body.dump()).json()["id"];
  for (int i = 0; i < 12; ++i) ASSERT_EQ(host.Call("GET", "/api/v1/headless/imports/" + a).status, 200) << i;
  testing::HttpAnswer limited = host.Call("GET", "/api/v1/headless/imports/" + a);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.headers["x-ratelimit-limit"], "12");
  EXPECT_EQ(host.Call("GET", "/api/v1/headless/imports/" + b).status, 200);  // per import
  // Deleting the import deletes its counter.
  EXPECT_EQ(host.Call("DELETE", "/api/v1/headless/imports/" + a).status, 204);
  for (const auto& [key, value] : host.kv()) EXPECT_EQ(key.find(a), std::string::npos) << key;
}

}  // namespace
}  // namespace sluice::edge
