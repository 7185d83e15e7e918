// Hook rounds: the schema's hooks checked on load, each stage's request
// written from the import, and what a sandbox gave back applied like edits
// (values checked again, info replacing messages, a cell's own select
// options), or turned into FAILED / NEEDS_REVIEW with the hook and row named.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sluice/hooks.h"
#include "sluice/review.h"

namespace sluice {
namespace {

using json = nlohmann::json;

constexpr char kFile[] = "name,email,plan\nAda,ada@example.org,gold\nBob,not-an-email,tin\n";

Schema HookSchema(const std::string& hooks) {
  std::string text = R"({"fields": [
    {"key": "name", "label": "Name", "validators": [{"validate": "required"}]},
    {"key": "email", "label": "Email", "type": "email"},
    {"key": "plan", "label": "Plan", "type": "select", "selectOptions": [{"label": "Gold", "value": "gold"}]},
    {"key": "code", "label": "Code", "validators": [{"validate": "required"}]}
  ], "settings": {"invalidDataBehavior": "INCLUDE_INVALID_ROWS"}, "hooks": )" + hooks + "}";
  SchemaLoad load = LoadSchema(text);
  EXPECT_TRUE(load.schema.has_value()) << SchemaProblemsToJson(load.problems);
  return load.schema.value_or(Schema{});
}

json Request(const HookRound& round) { return json::parse(round.request); }

std::string Codes(const ImportResult& result) {
  std::string codes;
  for (const OutcomeReason& reason : result.reasons()) codes += reason.code + ";";
  return codes;
}

std::string MessagesOf(const ImportResult& result, size_t row, const std::string& key) {
  std::string out;
  for (const CellMessage& m : result.messages()) {
    if (m.row == row && m.field_key == key) out += m.code + "/" + LevelName(m.level) + "/" + m.message + ";";
  }
  return out;
}

TEST(HooksSchemaTest, ChecksTheShapeOfEveryHook) {
  SchemaLoad load = LoadSchema(R"({"fields": [{"key": "a", "label": "A"}], "hooks": {
    "rowHooks": ["(r) => r", 7, "  "], "columnHooks": [{"fieldName": "b", "callback": "x => x"}, {"callback": "x"}],
    "stepHooks": [{"type": "UPLOAD_STEP", "callback": "() => {}", "extra": 1}], "beforeFinishCallback": [], "other": 1}})");
  ASSERT_FALSE(load.schema);
  std::string problems = SchemaProblemsToJson(load.problems);
  for (const char* expected : {"$.hooks.rowHooks[1]\",\"code\":\"schema.wrong_type", "$.hooks.rowHooks[2]\",\"code\":\"hooks.empty_source",
                               "$.hooks.columnHooks[1].fieldName\",\"code\":\"hooks.missing_key",
                               "$.hooks.stepHooks[0].extra\",\"code\":\"hooks.unknown_key",
                               "$.hooks.beforeFinishCallback\",\"code\":\"schema.wrong_type", "$.hooks.other\",\"code\":\"hooks.unknown_key",
                               "$.hooks.columnHooks[0].fieldName\",\"code\":\"hooks.unknown_field"}) {
    EXPECT_NE(problems.find(expected), std::string::npos) << expected << " in " << problems;
  }
  Schema schema = HookSchema(R"({"rowHooks": ["(r) => r"], "columnHooks": [{"fieldName": "email", "callback": "c => c"}],
                                 "stepHooks": [{"type": "REVIEW_STEP", "callback": "() => {}"}]})");
  EXPECT_EQ(schema.hooks.row_hooks.size(), 1u);
  EXPECT_EQ(schema.hooks.column_hooks[0].field_key, "email");
  EXPECT_FALSE(schema.hooks.runs_nothing());
  EXPECT_TRUE(HookSchema(R"({"stepHooks": [{"type": "REVIEW_STEP", "callback": "() => {}"}]})").hooks.runs_nothing());
}

TEST(HookRoundsTest, WithoutHooksOneRoundFinishes) {
  HookRound round = RunImportRound(kFile, HookSchema("{}"), {}, "");
  EXPECT_TRUE(round.request.empty());
  EXPECT_EQ(Codes(round.result), "field_unmapped;");
}

TEST(HookRoundsTest, StagesComeInOrderEachOnce) {
  Schema schema = HookSchema(R"({"columnHooks": [{"fieldName": "email", "callback": "c => c"}],
    "rowHooks": ["(r) => r"], "bulkRowHooks": ["(rs) => rs"], "beforeFinishCallback": "() => {}"})");
  HookRound column = RunImportRound(kFile, schema, {}, "");
  json request = Request(column);
  EXPECT_EQ(request["stage"], "column");
  EXPECT_EQ(request["hooks"][0]["name"], "columnHooks[0]");
  EXPECT_EQ(request["hooks"][0]["fieldKey"], "email");
  EXPECT_EQ(request["hooks"][0]["input"], json::parse(R"([{"index":0,"value":"ada@example.org"},{"index":1,"value":"not-an-email"}])"));

  HookRound row = RunImportRound(kFile, schema, {}, R"({"column": {"results": []}})");
  request = Request(row);
  EXPECT_EQ(request["stage"], "row");
  EXPECT_EQ(request["hooks"][0]["source"], "(r) => r");
  const json& bob = request["records"][1];
  EXPECT_EQ(bob["index"], 1);
  EXPECT_EQ(bob["mode"], "init");
  EXPECT_EQ(bob["row"]["email"]["value"], "not-an-email");
  EXPECT_TRUE(bob["row"]["email"]["resultValue"].is_null());
  EXPECT_EQ(bob["row"]["email"]["info"][0]["level"], "error");
  EXPECT_EQ(request["records"][0]["row"]["plan"]["resultValue"], "gold");
  EXPECT_EQ(bob["row"]["code"], json::parse(R"({"value": "", "resultValue": null, "info": []})"));

  HookRound bulk = RunImportRound(kFile, schema, {}, R"({"column": {"results": []}, "row": {"results": []}})");
  EXPECT_EQ(Request(bulk)["stage"], "bulk");
  EXPECT_EQ(Request(bulk)["hooks"][0]["name"], "bulkRowHooks[0]");

  // beforeFinish only when the import would succeed: here "code" is unmapped.
  HookRound last = RunImportRound(kFile, schema, {}, R"({"column": {"results": []}, "row": {"results": []}, "bulk": {"results": []}})");
  EXPECT_TRUE(last.request.empty());
  EXPECT_EQ(last.result.outcome(), Outcome::kNeedsReview);
}

TEST(HookRoundsTest, ValuesAreCheckedAgainAndFillUnmappedFields) {
  Schema schema = HookSchema(R"({"rowHooks": ["(r) => r"]})");
  // Row 1 gets a good email, row 0 a bad one; both get a code (a field with no column).
  std::string outputs = R"({"row": {"results": [
    {"hook": "rowHooks[0]", "index": 0, "output": {"row": {"email": {"value": "nope"}, "code": {"value": 7}}}},
    {"hook": "rowHooks[0]", "index": 1, "output": {"row": {"email": {"value": "bob@example.org"}, "code": {"value": true}}}}]}})";
  HookRound round = RunImportRound(kFile, schema, {}, outputs);
  ASSERT_TRUE(round.request.empty());
  EXPECT_EQ(round.result.outcome(), Outcome::kSuccessful) << Codes(round.result);
  EXPECT_EQ(json::parse(round.result.Rows(RowFormat::kJson)),
            json::parse(R"([{"name":"Ada","email":"nope","plan":"gold","code":"7"},
                            {"name":"Bob","email":"bob@example.org","plan":"tin","code":"true"}])"));
  EXPECT_NE(MessagesOf(round.result, 0, "email").find("error"), std::string::npos);
  EXPECT_EQ(MessagesOf(round.result, 1, "email"), "");
  bool filled = false;
  for (const ColumnMatch& m : round.result.mapping()) filled |= m.field_key == "code" && m.reason == "filled by rowHooks[0]";
  EXPECT_TRUE(filled);
}

TEST(HookRoundsTest, InfoReplacesTheCellsMessagesAndOptionsAreTheCellsOwn) {
  Schema schema = HookSchema(R"({"columnHooks": [{"fieldName": "email", "callback": "c => c"}], "rowHooks": ["(r) => r"]})");
  std::string outputs = R"({
    "column": {"results": [{"hook": "columnHooks[0]", "fieldKey": "email", "output": [
      {"index": 1, "info": [{"message": "we will ask Bob", "level": "warning"}]},
      {"index": 0, "info": [{"message": "checked by hand"}]}]}]},
    "row": {"results": [{"hook": "rowHooks[0]", "index": 1, "output": {"row": {
      "plan": {"selectOptions": [{"label": "Tin", "value": "tin"}]},
      "name": {"info": []}}}}]}})";
  HookRound round = RunImportRound(kFile, schema, {}, outputs);
  ASSERT_TRUE(round.request.empty());
  EXPECT_EQ(MessagesOf(round.result, 1, "email"), "hook/warning/we will ask Bob;");
  EXPECT_EQ(MessagesOf(round.result, 0, "email"), "hook/error/checked by hand;");
  EXPECT_EQ(MessagesOf(round.result, 1, "plan"), "");  // "tin" is one of this cell's options
  json rows = json::parse(round.result.Rows(RowFormat::kJson));
  EXPECT_EQ(rows[1]["plan"], "tin");
  EXPECT_EQ(round.result.rows_with_error(), 1u);  // Ada: the hook's error
  json metadata = json::parse(round.result.Metadata());
  EXPECT_EQ(metadata["errors"][0]["code"], "hook");
}

TEST(HookRoundsTest, AFailingHookFailsTheImportNamingHookAndRow) {
  Schema schema = HookSchema(R"({"rowHooks": ["(r) => { throw new Error('boom') }"]})");
  HookRound round = RunImportRound(kFile, schema, {}, R"({"error": {"hook": "rowHooks[0]", "index": 1, "message": "Error: boom"}})");
  EXPECT_TRUE(round.request.empty());
  EXPECT_EQ(round.result.outcome(), Outcome::kFailed);
  ASSERT_EQ(round.result.reasons().size(), 1u);
  const OutcomeReason& reason = round.result.reasons()[0];
  EXPECT_EQ(reason.code, "hook_failed");
  EXPECT_EQ(reason.hook, "rowHooks[0]");
  EXPECT_EQ(reason.row, 1u);
  EXPECT_EQ(reason.message, "rowHooks[0] failed on row 1: Error: boom");
  json outcome = json::parse(round.result.OutcomeJson());
  EXPECT_EQ(outcome["reasons"][0]["rowIndex"], 1);
  EXPECT_EQ(outcome["reasons"][0]["hook"], "rowHooks[0]");
}

TEST(HookRoundsTest, MalformedOutputsFailTheImportNeverTheProcess) {
  Schema schema = HookSchema(R"({"columnHooks": [{"fieldName": "email", "callback": "c => c"}], "rowHooks": ["(r) => r"],
                                  "bulkRowHooks": ["(rs) => rs"]})");
  const char* cases[] = {
      R"({"row": {"results": [{"hook": "rowHooks[0]", "index": 0, "output": "yes"}]}})",
      R"({"row": {"results": [{"hook": "rowHooks[0]", "index": 0, "output": {"row": {"nope": {"value": 1}}}}]}})",
      R"({"row": {"results": [{"hook": "rowHooks[0]", "index": 0, "output": {"row": {"name": {"value": {"a": 1}}}}}]}})",
      R"({"row": {"results": [{"hook": "rowHooks[0]", "index": 0, "output": {"row": {"name": {"info": [{"message": "m", "level": "loud"}]}}}}]}})",
      R"({"row": {"results": [{"hook": "rowHooks[0]", "index": 0, "output": {"row": {"name": {"selectOptions": []}}}}]}})",
      R"({"row": {"results": [{"hook": "rowHooks[0]", "index": 9, "output": {"row": {"name": {"value": "x"}}}}]}})",
      R"({"row": {"results": [{"hook": "rowHooks[0]", "index": 9, "output": {"row": {"name": {"info": []}}}}]}})",
      R"({"row": {"results": [{"hook": "rowHooks[0]", "output": {}}]}})",
      R"({"column": {"results": [{"hook": "columnHooks[0]", "fieldKey": "email", "output": {"0": "x"}}]}})",
      R"({"column": {"results": [{"hook": "columnHooks[0]", "fieldKey": "email", "output": [{"value": "x"}]}]}})",
      R"({"bulk": {"results": [{"hook": "bulkRowHooks[0]", "output": [{"row": {}}]}]}})",
      R"({"bulk": {"results": [{"hook": "bulkRowHooks[0]", "output": 3}]}})",
      R"({"row": 5})",
      R"([1, 2])",
      "{\"row\": ",
  };
  for (const char* outputs : cases) {
    HookRound round = RunImportRound(kFile, schema, {}, outputs);
    EXPECT_EQ(round.result.outcome(), Outcome::kFailed) << outputs;
    EXPECT_EQ(Codes(round.result), "hook_invalid_result;") << outputs;
    EXPECT_TRUE(round.request.empty());
  }
  std::string deep = R"({"row": {"results": [{"hook": "rowHooks[0]", "index": 0, "output": )" + std::string(500, '[') +
                     std::string(500, ']') + "}]}}";
  EXPECT_EQ(Codes(RunImportRound(kFile, schema, {}, deep).result), "hook_invalid_result;");
  Result<HookEdits> edits = HookEditsFromOutputs(cases[0], schema);
  ASSERT_FALSE(edits.ok());
  EXPECT_EQ(edits.error().message, "rowHooks[0] returned a string instead of {row: {...}} (row 0)");
}

TEST(HookRoundsTest, BeforeFinishMayCancel) {
  Schema schema = HookSchema(R"js({"rowHooks": ["(r) => r"], "beforeFinishCallback": "(data) => ({cancel: true})"})js");
  std::string filled = R"({"row": {"results": [
    {"hook": "rowHooks[0]", "index": 0, "output": {"row": {"code": {"value": "A"}}}},
    {"hook": "rowHooks[0]", "index": 1, "output": {"row": {"code": {"value": "B"}}}}]})";
  HookRound before = RunImportRound(kFile, schema, {}, filled + "}");
  json request = Request(before);
  EXPECT_EQ(request["stage"], "beforeFinish");
  EXPECT_EQ(request["data"][1]["code"], "B");
  EXPECT_EQ(request["metadata"]["num_data_rows"], 2);

  HookRound cancelled = RunImportRound(kFile, schema, {}, filled + R"(, "beforeFinish": {"results": [
    {"hook": "beforeFinishCallback", "output": {"cancel": true, "message": "totals do not match"}}]}})");
  EXPECT_TRUE(cancelled.request.empty());
  EXPECT_EQ(cancelled.result.outcome(), Outcome::kNeedsReview);
  EXPECT_EQ(cancelled.result.reasons()[0].code, "before_finish_cancelled");
  EXPECT_EQ(cancelled.result.reasons()[0].message, "totals do not match");

  HookRound finished = RunImportRound(kFile, schema, {}, filled + R"(, "beforeFinish": {"results": [
    {"hook": "beforeFinishCallback", "output": null}]}})");
  EXPECT_EQ(finished.result.outcome(), Outcome::kSuccessful);
}

TEST(HookRoundsTest, RowsAPersonTouchedAreInUpdateMode) {
  Schema schema = HookSchema(R"({"rowHooks": ["(r, mode) => r"]})");
  ImportOptions options;
  Result<ReviewChanges> review = ReviewChangesFromJson(
      R"({"edits": [{"rowIndex": 1, "fieldKey": "email", "value": "bob@example.org"}], "removedRows": [0],
          "addedRows": [{"name": "Cy"}]})", schema);
  ASSERT_TRUE(review.ok());
  options.review = review.value();
  json request = Request(RunImportRound(kFile, schema, options, ""));
  ASSERT_EQ(request["records"].size(), 2u);
  EXPECT_EQ(request["records"][0]["index"], 1);
  EXPECT_EQ(request["records"][0]["mode"], "update");
  EXPECT_EQ(request["records"][0]["row"]["email"]["value"], "bob@example.org");
  EXPECT_EQ(request["records"][1]["index"], 2);
  EXPECT_EQ(request["records"][1]["mode"], "update");
  // A hook's change to the added row lands on it.
  HookRound round = RunImportRound(kFile, schema, options, R"({"row": {"results": [
    {"hook": "rowHooks[0]", "index": 2, "output": {"row": {"email": {"value": "cy@example.org"}}}}]}})");
  EXPECT_EQ(json::parse(round.result.Rows(RowFormat::kJson))[1]["email"], "cy@example.org");
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

// What a sandbox would give for "(r, mode) => ({row: {code: {value: mode + ':' + r.row.name.value}}})".
std::string PlayRowHook(const std::string& request_json) {
  json request = json::parse(request_json);
  json results = json::array();
  for (const json& record : request["records"]) {
    std::string value = record["mode"].get<std::string>() + ":" + record["row"]["name"]["value"].get<std::string>();
    results.push_back({{"hook", "rowHooks[0]"}, {"index", record["index"]}, {"output", {{"row", {{"code", {{"value", value}}}}}}}});
  }
  return json{{"row", {{"results", results}}}}.dump();
}

TEST(ReviewSessionHooksTest, RunsTheHooksAsTheServerDoesAndAgainAfterEachEdit) {
  Schema schema = HookSchema(R"({"rowHooks": ["(r, mode) => r"]})");
  std::unique_ptr<ReviewSession> session = ReviewSession::Open(kFile, schema);
  json request = json::parse(session->HookRequest());
  EXPECT_EQ(request["stage"], "row");
  session->SetHookOutputs(PlayRowHook(session->HookRequest()));
  EXPECT_EQ(session->HookRequest(), "");
  EXPECT_EQ(json::parse(session->Export(RowFormat::kJson))[1]["code"], "init:Bob");

  // An edit: the hooks run again, the edited row in update mode.
  ASSERT_TRUE(session->SetCell(1, "name", "Robert").ok());
  EXPECT_EQ(session->hook_outputs(), "");
  request = json::parse(session->HookRequest());
  EXPECT_EQ(request["records"][1]["mode"], "update");
  EXPECT_EQ(request["records"][1]["row"]["name"]["value"], "Robert");
  EXPECT_EQ(request["records"][0]["mode"], "init");
  std::string outputs = PlayRowHook(session->HookRequest());
  session->SetHookOutputs(outputs);
  json rows = json::parse(session->Export(RowFormat::kJson));
  EXPECT_EQ(rows[1]["code"], "update:Robert");
  EXPECT_EQ(rows[0]["code"], "init:Ada");

  // The same as the server's run of the person's changes with the same outputs.
  ImportOptions options;
  options.review = session->changes();
  HookRound server = RunImportRound(kFile, schema, options, outputs);
  EXPECT_EQ(server.request, "");
  EXPECT_EQ(server.result.Rows(RowFormat::kJson), session->Export(RowFormat::kJson));

  // Undo forgets them too; a failing hook shows as FAILED.
  ASSERT_TRUE(session->Undo());
  EXPECT_NE(session->HookRequest(), "");
  session->SetHookOutputs(R"({"error": {"hook": "rowHooks[0]", "index": 0, "message": "Error: x"}})");
  EXPECT_EQ(json::parse(session->SummaryJson())["outcome"], "FAILED");
  EXPECT_EQ(session->HookRequest(), "");
}

}  // namespace
}  // namespace sluice
