// The review routes through MemoryHost: the token as a capability for one
// import (altered, expired, another import's, another route), what GET shows,
// the file's bytes, and POST running the import again on a person's review.
#include <gtest/gtest.h>

#include <string>

#include "memory_host.h"

namespace sluice::edge {
namespace {

using nlohmann::json;
using testing::HttpAnswer;
using testing::MemoryHost;

const json kFields = json::parse(R"([
  {"key": "name", "label": "Name", "validators": [{"validate": "required"}]},
  {"key": "email", "label": "Email", "type": "email", "validators": [{"validate": "unique"}]}])");

// A file whose name column nobody can match: NEEDS_REVIEW.
constexpr char kFile[] = "Contacts export\nFull,Email\nAda,ada@x.io\nBob,ada@x.io\n";

struct Reviewed {
  std::string id;
  std::string token;
  std::string review_path;  // /api/v1/headless/imports/{id}/review/?token=…
};

Reviewed NeedingReview(MemoryHost& host, const std::string& file = kFile) {
  json created = host.Call("POST", "/api/v1/headless/imports/",
                           json{{"fields", kFields}, {"original_filename", "c.csv"}}.dump()).json();
  std::string upload = created["upload"].get<std::string>().substr(std::string("http://host").size());
  EXPECT_EQ(host.Call("PUT", upload, file, "").status, 200);
  host.RunJobs();
  json record = host.Call("GET", "/api/v1/headless/imports/" + created["id"].get<std::string>()).json();
  EXPECT_EQ(record["status"], "NEEDS_REVIEW") << record.dump();
  std::string url = record["review_url"];
  Reviewed r;
  r.id = record["id"];
  r.token = url.substr(url.find("?token=") + 7);
  r.review_path = "/api/v1/headless/imports/" + r.id + "/review/?token=" + r.token;
  return r;
}

TEST(ReviewTest, ShowsWhatThePageStartsFrom) {
  MemoryHost host;
  Reviewed r = NeedingReview(host);
  HttpAnswer shown = host.Call("GET", r.review_path, "", "");
  ASSERT_EQ(shown.status, 200) << shown.body;
  json view = shown.json();
  EXPECT_EQ(view["status"], "NEEDS_REVIEW");
  EXPECT_EQ(view["schema"]["fields"], kFields);
  EXPECT_EQ(view["review"]["rawHeaders"], json::parse(R"(["Full","Email"])"));
  EXPECT_EQ(view["review"]["detected"]["headerRow"], 1);
  EXPECT_EQ(view["review"]["fields"]["email"]["fileHeader"], "Email");
  EXPECT_EQ(view["import_errors"][0]["code"], "field_unmapped");
  EXPECT_TRUE(view["submission"].is_null());
  EXPECT_FALSE(view.contains("_schema"));
  std::string file_url = view["file_url"];
  HttpAnswer file = host.Call("GET", file_url.substr(std::string("http://host").size()), "", "");
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.body, kFile);
  EXPECT_EQ(file.headers["content-type"], "application/octet-stream");
  // The token also travels as a header.
  EXPECT_EQ(host.Call("GET", "/api/v1/headless/imports/" + r.id + "/review/", "", "",
                      {{"x-sluice-review-token", r.token}}).status, 200);
}

TEST(ReviewTest, TheTokenOpensThatOneImportOnly) {
  MemoryHost host;
  Reviewed a = NeedingReview(host);
  Reviewed b = NeedingReview(host);
  auto code = [&](const std::string& path) {
    return host.Call("GET", path, "", "").json()["error"]["code"].get<std::string>();
  };
  std::string base = "/api/v1/headless/imports/";
  EXPECT_EQ(code(base + a.id + "/review/"), "review_token_required");
  EXPECT_EQ(code(base + b.id + "/review/?token=" + a.token), "review_token_invalid");   // another import
  std::string altered = a.token;
  altered.back() = altered.back() == '0' ? '1' : '0';
  EXPECT_EQ(code(base + a.id + "/review/?token=" + altered), "review_token_invalid");
  std::string other_org = "globex" + a.token.substr(a.token.find('.'));
  EXPECT_EQ(code(base + a.id + "/review/?token=" + other_org), "review_token_invalid");
  std::string longer = a.token;
  longer.replace(longer.find('.') + 1, 1, "9");  // a later expiry
  EXPECT_EQ(code(base + a.id + "/review/?token=" + longer), "review_token_invalid");
  for (const char* junk : {"", ".", "..", "a.b.c", "acme..x", ".1.x"}) {
    EXPECT_EQ(host.Call("GET", base + a.id + "/review/?token=" + junk, "", "").status, std::string(junk).empty() ? 401 : 403)
        << junk;
  }
  // Not an API key: no other route opens with it.
  EXPECT_EQ(host.Call("GET", base + a.id + "/", "", a.token).status, 401);
  EXPECT_EQ(host.Call("GET", base + a.id + "/?token=" + a.token, "", "").status, 401);
  // Seven days.
  host.now_ms += 7LL * 24 * 3600 * 1000 + 1;
  HttpAnswer late = host.Call("GET", a.review_path, "", "");
  EXPECT_EQ(late.status, 410);
  EXPECT_EQ(late.json()["error"]["code"], "review_token_expired");
}

TEST(ReviewTest, SubmittingRunsTheImportAgainOnThePersonsChoices) {
  MemoryHost host;
  Reviewed r = NeedingReview(host);
  // Still a duplicate email: NEEDS_REVIEW is not the verdict here (errors are
  // removed by default), but the person fixes it anyway.
  json review = {{"headerRow", 1}, {"mapping", {{"0", "name"}, {"1", "email"}}},
                 {"edits", {{{"rowIndex", 1}, {"fieldKey", "email"}, {"value", "bob@x.io"}}}},
                 {"addedRows", {{{"name", "Cy"}, {"email", "cy@x.io"}}}}};
  HttpAnswer submitted = host.Call("POST", r.review_path, review.dump(), "");
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  EXPECT_EQ(submitted.json()["status"], "PENDING");
  json pending = host.Call("GET", "/api/v1/headless/imports/" + r.id).json();
  EXPECT_EQ(pending["status"], "PENDING");
  EXPECT_FALSE(pending.contains("review_url"));
  EXPECT_EQ(host.Call("POST", r.review_path, review.dump(), "").status, 409);  // not in review now
  ASSERT_EQ(host.RunJobs(), 1);
  json done = host.Call("GET", "/api/v1/headless/imports/" + r.id).json();
  ASSERT_EQ(done["status"], "SUCCESSFUL") << done.dump();
  EXPECT_EQ(done["result_metadata"]["num_data_rows"], 3);
  EXPECT_EQ(done["result_metadata"]["fields"]["name"]["reason"], "chosen in review");
  std::string url = host.Call("GET", "/api/v1/headless/imports/" + r.id + "/url/").json()["presigned_url"];
  EXPECT_EQ(host.Call("GET", url.substr(std::string("http://host").size()), "", "").json(),
            json::parse(R"([{"name":"Ada","email":"ada@x.io"},{"name":"Bob","email":"bob@x.io"},
                            {"name":"Cy","email":"cy@x.io"}])"));
  // The page sees the verdict and what was submitted.
  json view = host.Call("GET", r.review_path, "", "").json();
  EXPECT_EQ(view["status"], "SUCCESSFUL");
  EXPECT_EQ(view["submission"], review);
  EXPECT_TRUE(view["review"].is_null());
}

TEST(ReviewTest, AReviewThatLeavesProblemsNeedsReviewAgain) {
  MemoryHost host;
  Reviewed r = NeedingReview(host);
  // The name column left unmapped: still NEEDS_REVIEW, with a fresh link.
  ASSERT_EQ(host.Call("POST", r.review_path, R"({"headerRow": 1, "mapping": {"1": "email"}})", "").status, 202);
  host.RunJobs();
  json again = host.Call("GET", "/api/v1/headless/imports/" + r.id).json();
  EXPECT_EQ(again["status"], "NEEDS_REVIEW");
  EXPECT_EQ(again["import_errors"][0]["code"], "field_unmapped");
  EXPECT_TRUE(again["review_url"].is_string());
  json view = host.Call("GET", r.review_path, "", "").json();  // the old link still opens it
  EXPECT_EQ(view["submission"]["mapping"], json::parse(R"({"1": "email"})"));
}

TEST(ReviewTest, ABadSubmissionIsRefusedAndChangesNothing) {
  MemoryHost host;
  Reviewed r = NeedingReview(host);
  for (const char* body : {"", "{", "[]", R"({"mapping": {"0": "nope"}})", R"({"edits": [{"rowIndex": -1}]})",
                           R"({"surprise": 1})"}) {
    HttpAnswer refused = host.Call("POST", r.review_path, body, "");
    EXPECT_EQ(refused.status, 422) << body;
    EXPECT_EQ(refused.json()["error"]["code"], "invalid_review") << body;
    EXPECT_TRUE(refused.json()["error"]["details"][0]["path"].is_string()) << body;
  }
  EXPECT_EQ(host.Call("GET", "/api/v1/headless/imports/" + r.id).json()["status"], "NEEDS_REVIEW");
  EXPECT_EQ(host.RunJobs(), 0);
}

TEST(ReviewTest, DeletingTheImportDeletesTheReview) {
  MemoryHost host;
  Reviewed r = NeedingReview(host);
  ASSERT_EQ(host.Call("POST", r.review_path, R"({"headerRow": 1, "mapping": {"1": "email"}})", "").status, 202);
  EXPECT_EQ(host.Call("DELETE", "/api/v1/headless/imports/" + r.id).status, 204);
  for (const auto& [key, value] : host.kv()) EXPECT_EQ(key.find(r.id), std::string::npos) << key;
  EXPECT_TRUE(host.blobs().empty());
  EXPECT_EQ(host.Call("GET", r.review_path, "", "").status, 404);
  host.RunJobs();  // the queued job finds nothing to do, and writes nothing back
  EXPECT_EQ(host.Call("GET", "/api/v1/headless/imports/" + r.id).status, 404);
  for (const auto& [key, value] : host.kv()) EXPECT_EQ(key.find(r.id), std::string::npos) << key;
}

}  // namespace
}  // namespace sluice::edge
