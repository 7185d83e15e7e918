// ReviewSession: every operation, undo/redo chains, and the one property that
// matters: after any sequence of edits the session's messages, counts and
// rows are those of a fresh RunImport of the file with the session's
// recorded changes (what the server will run).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/review.h"

namespace sluice {
namespace {

using nlohmann::json;

constexpr char kSchema[] = R"({"fields": [
  {"key": "name", "label": "Name", "validators": [{"validate": "required"}, {"validate": "length", "max": 6}]},
  {"key": "email", "label": "Email", "type": "email", "validators": [{"validate": "unique"},
     {"validate": "require_with", "fields": ["phone"]}]},
  {"key": "code", "label": "Code", "validators": [{"validate": "unique_case_insensitive"},
     {"validate": "regex_match", "regex": "^[A-Za-z]+$"}]},
  {"key": "city", "label": "City", "validators": [{"validate": "unique_with", "uniqueKey": "place"}]},
  {"key": "zip", "label": "Zip", "validators": [{"validate": "unique_with", "uniqueKey": "place", "level": "warning"}]},
  {"key": "phone", "label": "Phone"},
  {"key": "age", "label": "Age", "type": "number", "validators": [{"validate": "required"}]}
]})";

Schema TestSchema() {
  SchemaLoad load = LoadSchema(kSchema);
  EXPECT_TRUE(load.schema.has_value()) << SchemaProblemsToJson(load.problems);
  return *load.schema;
}

const std::vector<std::string> kPool = {"", "ann", "bob", "Ann", "a@x.io", "b@x.io", "A@X.io", "bad mail", "abc", "ABC",
                                        "x1", "Paris", "Rome", "75001", "1", "2", "2.5", "old", "toolongname", "  ann "};

std::string File(std::mt19937& random, size_t rows) {
  std::string file = "Name,Email,Code,City,Zip,Phone,Age\n";
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < 7; ++c) {
      std::string cell = kPool[random() % kPool.size()];
      if (r == 0) cell = "v";  // never a blank row
      file += (c ? "," : "") + cell;
    }
    file += "\n";
  }
  return file;
}

// The session against a fresh import with its recorded changes.
void ExpectSameAsFreshImport(const std::string& file, const ReviewSession& session, const std::string& when) {
  ImportOptions options;
  options.review = session.changes();
  ImportResult fresh = RunImport(file, TestSchema(), options);
  json messages = json::parse(session.MessagesJson({std::nullopt, "", 0, 1000000}));
  auto listing = [&]() {
    std::string out = "\nsession:\n";
    for (const json& m : messages["messages"]) out += m.dump() + "\n";
    out += "fresh:\n";
    for (const CellMessage& m : fresh.messages()) {
      out += std::to_string(m.row) + " " + m.field_key + " " + m.code + " " + m.message + " [" + m.value + "]\n";
    }
    return out;
  };
  ASSERT_EQ(messages["count"].get<size_t>(), fresh.messages().size()) << when << listing();
  for (size_t i = 0; i < fresh.messages().size(); ++i) {
    const CellMessage& expected = fresh.messages()[i];
    const json& got = messages["messages"][i];
    ASSERT_EQ(got["rowIndex"], expected.row) << when << " #" << i;
    ASSERT_EQ(got["fieldKey"], expected.field_key) << when << " #" << i;
    ASSERT_EQ(got["code"], expected.code) << when << " #" << i;
    ASSERT_EQ(got["level"], LevelName(expected.level)) << when << " #" << i;
    ASSERT_EQ(got["message"], expected.message) << when << " #" << i;
    ASSERT_EQ(got["value"], expected.value) << when << " #" << i;
  }
  json summary = json::parse(session.SummaryJson());
  EXPECT_EQ(summary["rows"], fresh.data_rows()) << when;
  EXPECT_EQ(summary["rowsWithError"], fresh.rows_with_error()) << when;
  EXPECT_EQ(summary["outcome"], OutcomeName(fresh.outcome())) << when;
  EXPECT_EQ(session.Export(RowFormat::kJson), fresh.Rows(RowFormat::kJson)) << when;
}

TEST(ReviewSessionTest, RandomEditsKeepTheSessionEqualToAFreshImport) {
  std::mt19937 random(20261129);
  const std::string file = File(random, 40);
  std::unique_ptr<ReviewSession> session = ReviewSession::Open(file, TestSchema());
  ExpectSameAsFreshImport(file, *session, "opened");
  const std::vector<std::string> keys = {"name", "email", "code", "city", "zip", "phone", "age"};
  for (int step = 0; step < 300; ++step) {
    int op = static_cast<int>(random() % 20);
    std::string when = "step " + std::to_string(step) + " op " + std::to_string(op);
    if (op < 14) {
      size_t row = random() % session->row_count();
      ASSERT_TRUE(session->SetCell(row, keys[random() % keys.size()], kPool[random() % kPool.size()]).ok()) << when;
    } else if (op < 16) {
      session->Undo();
    } else if (op < 17) {
      session->Redo();
    } else if (op < 18) {
      FindReplaceSpec spec;
      spec.find = kPool[1 + random() % (kPool.size() - 1)];
      spec.replace = kPool[random() % kPool.size()];
      spec.field_key = random() % 2 ? "" : keys[random() % keys.size()];
      spec.match_case = random() % 2;
      spec.whole_cell = random() % 2;
      ASSERT_TRUE(session->FindReplace(spec).ok()) << when;
    } else if (op < 19) {
      ASSERT_TRUE(session->AddRow({{"name", kPool[random() % kPool.size()]}, {"email", kPool[random() % kPool.size()]}}).ok());
    } else {
      ASSERT_TRUE(session->RemoveRows({random() % session->row_count()}).ok()) << when;
    }
    ExpectSameAsFreshImport(file, *session, when);
    if (HasFatalFailure()) return;
  }
}

TEST(ReviewSessionTest, ACellEditReportsTheCellsWhoseMessagesChanged) {
  const std::string file = "Name,Email,Code,City,Zip,Phone,Age\nann,a@x.io,abc,,,,1\nbob,b@x.io,def,,,,2\ncy,c@x.io,ghi,,,,3\n";
  std::unique_ptr<ReviewSession> session = ReviewSession::Open(file, TestSchema());
  EXPECT_EQ(json::parse(session->SummaryJson())["rowsWithError"], 0);
  // Row 2's email becomes row 0's: both rows now carry "unique".
  json changed = json::parse(session->SetCell(2, "email", "a@x.io").value())["changed"];
  ASSERT_EQ(changed.size(), 2u) << changed;
  EXPECT_EQ(changed[0]["rowIndex"], 0);
  EXPECT_EQ(changed[0]["fieldKey"], "email");
  EXPECT_EQ(changed[0]["messages"][0]["message"], "'a@x.io' appears in 2 rows");
  EXPECT_EQ(changed[1]["rowIndex"], 2);
  json summary = json::parse(session->SummaryJson());
  EXPECT_EQ(summary["rowsWithError"], 2);
  EXPECT_EQ(summary["byField"]["email"]["unique"], 2);
  // Back to a value of its own: both are clear again.
  changed = json::parse(session->SetCell(2, "email", "cy@x.io").value())["changed"];
  EXPECT_EQ(changed.size(), 2u);
  EXPECT_EQ(json::parse(session->SummaryJson())["rowsWithError"], 0);
  // A cell that changes nothing else reports only itself, or nothing.
  EXPECT_EQ(json::parse(session->SetCell(1, "name", "bo").value())["changed"].size(), 0u);
  EXPECT_FALSE(session->SetCell(9, "name", "x").ok());
  EXPECT_EQ(session->SetCell(0, "nope", "x").error().code, "invalid_review");
}

TEST(ReviewSessionTest, UndoAndRedoWalkTheWholeChain) {
  const std::string file = "Name,Email,Code,City,Zip,Phone,Age\nann,a@x.io,abc,,,,1\nbob,b@x.io,def,,,,2\n";
  std::unique_ptr<ReviewSession> session = ReviewSession::Open(file, TestSchema());
  const std::string original = session->RowsJson(0, 10);
  ASSERT_TRUE(session->SetCell(0, "name", "anna").ok());
  ASSERT_TRUE(session->AddRow({{"name", "cy"}, {"age", "3"}}).ok());
  ASSERT_TRUE(session->SetCell(2, "email", "b@x.io").ok());  // on the added row
  ASSERT_TRUE(session->RemoveRows({1}).ok());
  ASSERT_TRUE(session->SetMapping({{0, "name"}, {1, "email"}, {6, "age"}}).ok());
  const std::string edited = session->RowsJson(0, 10);
  const std::string changes = session->ChangesJson();
  EXPECT_EQ(json::parse(changes), json::parse(R"({"mapping": {"0": "name", "1": "email", "6": "age"},
      "edits": [{"rowIndex": 0, "fieldKey": "name", "value": "anna"}, {"rowIndex": 2, "fieldKey": "email", "value": "b@x.io"}],
      "removedRows": [1], "addedRows": [{"age": "3", "name": "cy"}]})"));
  int undone = 0;
  while (session->Undo()) ++undone;
  EXPECT_EQ(undone, 5);
  EXPECT_EQ(session->RowsJson(0, 10), original);
  EXPECT_EQ(json::parse(session->ChangesJson()), json::parse(R"({"edits": [], "removedRows": [], "addedRows": []})"));
  while (session->Redo()) {
  }
  EXPECT_EQ(session->RowsJson(0, 10), edited);
  EXPECT_EQ(session->ChangesJson(), changes);
  // A new edit after an undo drops the redo chain.
  session->Undo();
  ASSERT_TRUE(session->SetCell(0, "age", "9").ok());
  EXPECT_FALSE(session->Redo());
  ExpectSameAsFreshImport(file, *session, "after the chain");
}

TEST(ReviewSessionTest, HeaderRowFindReplaceAndExport) {
  const std::string file = "Contacts 2026\nName,Email,Code,City,Zip,Phone,Age\nann,a@x.io,abc,Paris,75001,,1\nbob,B@X.IO,ABC,paris,75001,,2\n";
  std::unique_ptr<ReviewSession> session = ReviewSession::Open(file, TestSchema());
  ASSERT_TRUE(session->SetHeaderRow(1).ok());
  EXPECT_FALSE(session->SetHeaderRow(99).ok());
  json summary = json::parse(session->SummaryJson());
  EXPECT_EQ(summary["headerRow"], 1);
  EXPECT_EQ(summary["rows"], 2);
  EXPECT_EQ(summary["byField"]["code"]["unique_case_insensitive"], 2);
  FindReplaceSpec spec;
  spec.find = "abc";
  spec.replace = "xyz";
  spec.field_key = "code";
  spec.match_case = true;
  json replaced = json::parse(session->FindReplace(spec).value());
  EXPECT_EQ(replaced["replaced"], 1);
  EXPECT_EQ(json::parse(session->SummaryJson())["byField"]["code"].size(), 0u);
  spec.find = "PARIS";
  spec.replace = "Lyon";
  spec.field_key = "";
  spec.match_case = false;
  spec.whole_cell = true;
  EXPECT_EQ(json::parse(session->FindReplace(spec).value())["replaced"], 2);
  ExpectSameAsFreshImport(file, *session, "after find and replace");
  // The export, imported afresh, gives the same rows.
  std::string csv = session->Export(RowFormat::kCsv);
  SchemaLoad by_key = LoadSchema(R"({"fields": [{"key": "name", "label": "name"}, {"key": "email", "label": "email"},
      {"key": "code", "label": "code"}, {"key": "city", "label": "city"}, {"key": "zip", "label": "zip"},
      {"key": "phone", "label": "phone"}, {"key": "age", "label": "age", "type": "number"}]})");
  EXPECT_EQ(RunImport(csv, *by_key.schema).Rows(RowFormat::kJson), session->Export(RowFormat::kJson));
}

TEST(ReviewSessionTest, SelectValuesMappedToOptions) {
  SchemaLoad load = LoadSchema(R"({"fields": [{"key": "plan", "label": "Plan", "type": "select", "selectOptions": [
      {"label": "Free", "value": "free"}, {"label": "Team", "value": "team"}], "validators": [{"validate": "unique"}]}]})");
  ASSERT_TRUE(load.schema.has_value());
  const std::string file = "Plan\nFree\nEnterprise\nGold\n";
  std::unique_ptr<ReviewSession> session = ReviewSession::Open(file, *load.schema);
  EXPECT_EQ(json::parse(session->SummaryJson())["rowsWithError"], 2);
  ASSERT_TRUE(session->SetOptionMapping("plan", " Enterprise ", "team").ok());
  ASSERT_TRUE(session->SetOptionMapping("plan", "Gold", "free").ok());  // now a duplicate of row 0
  json summary = json::parse(session->SummaryJson());
  EXPECT_EQ(summary["rowsWithError"], 2);
  EXPECT_EQ(summary["byField"]["plan"]["unique"], 2);
  EXPECT_EQ(json::parse(session->ChangesJson())["optionMappings"],
            json::parse(R"({"plan": {"Enterprise": "team", "Gold": "free"}})"));
  // A typed cell goes through the same choice: row 0 is now "team" like row 1.
  ASSERT_TRUE(session->SetCell(0, "plan", "Enterprise").ok());
  summary = json::parse(session->SummaryJson());
  EXPECT_EQ(summary["rowsWithError"], 2);
  EXPECT_EQ(summary["byField"]["plan"], json::parse(R"({"unique": 2})"));
  ImportOptions options;
  options.review = session->changes();
  ImportResult fresh = RunImport(file, *load.schema, options);
  EXPECT_EQ(session->Export(RowFormat::kJson), fresh.Rows(RowFormat::kJson));
  EXPECT_EQ(fresh.Rows(RowFormat::kJson), R"([{"plan":"free"}])");  // the duplicates are left out
  EXPECT_FALSE(session->SetOptionMapping("plan", "Gold", "gold").ok());
  EXPECT_FALSE(session->SetOptionMapping("nope", "Gold", "free").ok());
  ASSERT_TRUE(session->Undo());
  ASSERT_TRUE(session->Undo());
  EXPECT_EQ(json::parse(session->ChangesJson())["optionMappings"], json::parse(R"({"plan": {"Enterprise": "team"}})"));
}

TEST(ReviewSessionTest, AFileThatCannotBeReadOpensEmpty) {
  std::unique_ptr<ReviewSession> session = ReviewSession::Open("", TestSchema());
  EXPECT_EQ(session->row_count(), 0u);
  EXPECT_EQ(json::parse(session->SummaryJson())["outcome"], "FAILED");
  EXPECT_EQ(session->RowsJson(0, 10), "[]");
  EXPECT_FALSE(session->SetCell(0, "name", "x").ok());
}

}  // namespace
}  // namespace sluice
