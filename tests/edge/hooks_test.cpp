// Hooks in the edge flow: the processing job asks the host to run each hook
// stage (answering {"hooks": request} and writing nothing), the host calls
// again with the outputs before the upload, and the handler finishes the
// import with what they changed; a failing hook FAILS it naming hook and row.
// The sandbox is played here by MemoryHost::hook_stage; the real one runs in
// the API suite on both hosts.
#include <gtest/gtest.h>

#include <string>

#include "memory_host.h"

namespace sluice::edge {
namespace {

using nlohmann::json;
using testing::MemoryHost;

const json kFields = json::parse(R"([
  {"key": "name", "label": "Name", "validators": [{"validate": "required"}]},
  {"key": "code", "label": "Code", "validators": [{"validate": "required"}]}])");

json Create(MemoryHost& host, const json& hooks) {
  json body = {{"fields", kFields}, {"hooks", hooks}, {"initial_data", json::parse(R"([{"Name": "Ada"}, {"Name": "Bob"}])")}};
  return host.Call("POST", "/api/v1/headless/imports/", body.dump()).json();
}

TEST(HooksEdgeTest, TheJobAsksForEachStageThenFinishes) {
  MemoryHost host;
  json created = Create(host, {{"rowHooks", {"(r) => ({row: {code: {value: r.row.name.value[0]}}})"}},
                               {"beforeFinishCallback", "() => undefined"}});
  host.hook_stage = [](const json& request) {
    json results = json::array();
    if (request["stage"] == "row") {
      for (const json& record : request["records"]) {
        std::string name = record["row"]["name"]["value"];
        results.push_back({{"hook", "rowHooks[0]"}, {"index", record["index"]},
                           {"output", {{"row", {{"code", {{"value", name.substr(0, 1)}}}}}}}});
      }
    }
    return json{{"results", results}};
  };
  host.RunJobs();
  ASSERT_EQ(host.hook_requests.size(), 2u);
  EXPECT_EQ(host.hook_requests[0]["stage"], "row");
  EXPECT_EQ(host.hook_requests[0]["records"][1]["row"]["name"]["value"], "Bob");
  EXPECT_EQ(host.hook_requests[1]["stage"], "beforeFinish");
  EXPECT_EQ(host.hook_requests[1]["data"], json::parse(R"([{"name": "Ada", "code": "A"}, {"name": "Bob", "code": "B"}])"));
  json got = host.Call("GET", "/api/v1/headless/imports/" + created["id"].get<std::string>() + "/").json();
  EXPECT_EQ(got["status"], "SUCCESSFUL");
  EXPECT_EQ(got["result_metadata"]["fields"]["code"]["reason"], "filled by rowHooks[0]");
}

TEST(HooksEdgeTest, WhileAStageIsOutTheImportStaysRunning) {
  MemoryHost host;
  json created = Create(host, {{"rowHooks", {"(r) => r"}}});
  std::string id = created["id"];
  host.hook_stage = [&](const json&) {
    json polled = host.Call("GET", "/api/v1/headless/imports/" + id + "/").json();
    EXPECT_EQ(polled["status"], "RUNNING");
    return json{{"results", json::array()}};
  };
  host.RunJobs();
  // The hook filled nothing: the required code has no column.
  json got = host.Call("GET", "/api/v1/headless/imports/" + id + "/").json();
  EXPECT_EQ(got["status"], "NEEDS_REVIEW");
}

TEST(HooksEdgeTest, AFailingHookFailsTheImportNamingHookAndRow) {
  MemoryHost host;
  json created = Create(host, {{"rowHooks", {"(r) => { throw new Error('no') }"}}});
  host.hook_stage = [](const json&) {
    return json{{"error", {{"hook", "rowHooks[0]"}, {"index", 1}, {"message", "Error: no"}}}};
  };
  host.RunJobs();
  json got = host.Call("GET", "/api/v1/headless/imports/" + created["id"].get<std::string>() + "/").json();
  EXPECT_EQ(got["status"], "FAILED");
  EXPECT_EQ(got["import_errors"], json::parse(R"([{"code": "hook_failed", "message": "rowHooks[0] failed on row 1: Error: no",
                                                   "hook": "rowHooks[0]", "rowIndex": 1}])"));
  EXPECT_TRUE(got["result_metadata"].is_null());
}

TEST(HooksEdgeTest, BadHookOutputsAndLengthsAreRefusedCleanly) {
  MemoryHost host;
  json created = Create(host, {{"rowHooks", {"(r) => r"}}});
  host.hook_stage = [](const json&) {
    return json::parse(R"({"results": [{"hook": "rowHooks[0]", "index": 0, "output": 5}]})");
  };
  host.RunJobs();
  std::string id = created["id"];
  json got = host.Call("GET", "/api/v1/headless/imports/" + id + "/").json();
  EXPECT_EQ(got["status"], "FAILED");
  EXPECT_EQ(got["import_errors"][0]["code"], "hook_invalid_result");

  json again = Create(host, {{"rowHooks", {"(r) => r"}}});
  std::string run = "/internal/imports/acme/" + again["id"].get<std::string>() + "/run";
  host.Call("POST", "/internal/imports/acme/" + again["id"].get<std::string>() + "/start", "", "", {}, true);
  for (const char* query : {"?hooks=", "?hooks=x", "?hooks=999", "?hooks=-1"}) {
    EXPECT_EQ(host.Call("POST", run + query, "{}", "", {}, true).status, 400) << query;
  }
  // Hooks in a create call are checked like a schema's.
  json bad = {{"fields", kFields}, {"hooks", {{"rowHooks", {5}}}}, {"initial_data", json::array()}};
  EXPECT_EQ(host.Call("POST", "/api/v1/headless/imports/", bad.dump()).status, 422);
}

}  // namespace
}  // namespace sluice::edge
