// A person's review (ReviewChanges) applied by RunImport: the header row, the
// mapping, edits, removed and added rows; and the JSON the review page sends,
// checked before anything reads it.
#include <gtest/gtest.h>

#include <string>

#include "sluice/import.h"

namespace sluice {
namespace {

constexpr char kSchema[] = R"({"fields": [
  {"key": "email", "label": "Email", "type": "email", "validators": [{"validate": "required"}, {"validate": "unique"}]},
  {"key": "age", "label": "Age", "type": "number"},
  {"key": "tags", "label": "Tags", "manyToOne": true}
]})";

Schema TestSchema() {
  SchemaLoad load = LoadSchema(kSchema);
  EXPECT_TRUE(load.schema.has_value()) << SchemaProblemsToJson(load.problems);
  return *load.schema;
}

ReviewChanges Changes(const std::string& json) {
  Result<ReviewChanges> changes = ReviewChangesFromJson(json, TestSchema());
  EXPECT_TRUE(changes.ok()) << (changes.ok() ? "" : changes.error().message);
  return changes.ok() ? changes.value() : ReviewChanges{};
}

ImportResult Reviewed(const std::string& file, const std::string& review_json) {
  ImportOptions options;
  options.review = Changes(review_json);
  return RunImport(file, TestSchema(), options);
}

std::string Codes(const ImportResult& result) {
  std::string codes;
  for (const OutcomeReason& reason : result.reasons()) codes += reason.code + ";";
  return codes;
}

TEST(ReviewChangesJsonTest, RefusesWhatItCannotApply) {
  Schema schema = TestSchema();
  struct Case {
    const char* json;
    const char* path;
  };
  const Case cases[] = {
      {"[", "$"},
      {"[]", "$"},
      {R"({"header": 1})", "$.header"},
      {R"({"headerRow": -1})", "$.headerRow"},
      {R"({"headerRow": 1.5})", "$.headerRow"},
      {R"({"headerRow": 99999999999})", "$.headerRow"},
      {R"({"mapping": []})", "$.mapping"},
      {R"({"mapping": {"a": "email"}})", "$.mapping.a"},
      {R"({"mapping": {"-1": "email"}})", "$.mapping.-1"},
      {R"({"mapping": {"0": "nope"}})", "$.mapping.0"},
      {R"({"mapping": {"0": "email", "1": "email"}})", "$.mapping.1"},
      {R"({"edits": {}})", "$.edits"},
      {R"({"edits": [1]})", "$.edits[0]"},
      {R"({"edits": [{"fieldKey": "email", "value": "x"}]})", "$.edits[0].rowIndex"},
      {R"({"edits": [{"rowIndex": 0, "fieldKey": "nope", "value": "x"}]})", "$.edits[0].fieldKey"},
      {R"({"edits": [{"rowIndex": 0, "fieldKey": "email", "value": 3}]})", "$.edits[0].value"},
      {R"({"edits": [{"rowIndex": 0, "fieldKey": "email"}]})", "$.edits[0].value"},
      {R"({"edits": [{"rowIndex": 0, "fieldKey": "email", "value": "", "x": 1}]})", "$.edits[0].x"},
      {R"({"removedRows": [0, "1"]})", "$.removedRows[1]"},
      {R"({"addedRows": [{"nope": "x"}]})", "$.addedRows[0].nope"},
      {R"({"addedRows": [{"age": 3}]})", "$.addedRows[0].age"},
      {R"({"addedRows": [[]]})", "$.addedRows[0]"},
      {R"({"optionMappings": []})", "$.optionMappings"},
      {R"({"optionMappings": {"age": {"x": "y"}}})", "$.optionMappings.age"},
      {R"({"optionMappings": {"nope": {"x": "y"}}})", "$.optionMappings.nope"},
  };
  for (const Case& c : cases) {
    Result<ReviewChanges> changes = ReviewChangesFromJson(c.json, schema);
    ASSERT_FALSE(changes.ok()) << c.json;
    EXPECT_EQ(changes.error().code, "invalid_review") << c.json;
    EXPECT_EQ(changes.error().message.rfind(std::string(c.path) + ": ", 0), 0u) << c.json << " -> " << changes.error().message;
  }
  std::string deep(100000, '[');
  Result<ReviewChanges> deep_changes = ReviewChangesFromJson(deep, schema);
  ASSERT_FALSE(deep_changes.ok());
  EXPECT_EQ(deep_changes.error().code, "invalid_review");
  // manyToOne fields take several columns.
  EXPECT_TRUE(ReviewChangesFromJson(R"({"mapping": {"2": "tags", "3": "tags", "0": null}})", schema).ok());
}

TEST(ReviewChangesTest, HeaderRowAndMappingChosenByAPerson) {
  // The title row and a header nobody can match: the import needs review.
  const std::string file = "Export of 2026\nE-post,Years,Labels\nada@example.com,36,a\nbob@example.com,41,b\n";
  ImportResult before = RunImport(file, TestSchema());
  EXPECT_EQ(before.outcome(), Outcome::kNeedsReview);
  EXPECT_NE(Codes(before).find("field_unmapped"), std::string::npos) << Codes(before);

  ImportResult after = Reviewed(file, R"({"headerRow": 1, "mapping": {"0": "email", "1": "age", "2": "tags"}})");
  EXPECT_EQ(after.outcome(), Outcome::kSuccessful) << Codes(after);
  EXPECT_EQ(after.Rows(RowFormat::kJson),
            R"([{"email":"ada@example.com","age":36,"tags":["a"]},{"email":"bob@example.com","age":41,"tags":["b"]}])");
  ASSERT_EQ(after.mapping().size(), 3u);
  EXPECT_EQ(after.mapping()[1].reason, "chosen in review");
  EXPECT_EQ(after.mapping()[1].confidence, 1.0);
  EXPECT_NE(after.Metadata().find(R"("headerRow":1)"), std::string::npos) << after.Metadata();
}

TEST(ReviewChangesTest, EditsFixCellsAndUniqueness) {
  const std::string file = "Email,Age\nada@example.com,thirty\nada@example.com,41\nnot an email,5\n";
  ImportResult before = RunImport(file, TestSchema());
  EXPECT_EQ(before.rows_with_error(), 3u);
  ImportResult after = Reviewed(file, R"({"edits": [
      {"rowIndex": 0, "fieldKey": "age", "value": "30"},
      {"rowIndex": 1, "fieldKey": "email", "value": "bob@example.com"},
      {"rowIndex": 2, "fieldKey": "email", "value": "wrong@example.com"},
      {"rowIndex": 2, "fieldKey": "email", "value": "cy@example.com"}]})");
  EXPECT_EQ(after.outcome(), Outcome::kSuccessful) << Codes(after);
  EXPECT_EQ(after.rows_with_error(), 0u);
  EXPECT_EQ(after.Rows(RowFormat::kJson),
            R"([{"email":"ada@example.com","age":30,"tags":[]},{"email":"bob@example.com","age":41,"tags":[]},)"
            R"({"email":"cy@example.com","age":5,"tags":[]}])");
}

TEST(ReviewChangesTest, RemovedAndAddedRowsEqualAFreshImportOfTheResult) {
  const std::string file = "Email,Age,Tags,Tags\nada@example.com,36,a,b\nbad,1,,\nbob@example.com,41,c,\n";
  ImportResult after = Reviewed(file, R"({"removedRows": [1],
      "edits": [{"rowIndex": 2, "fieldKey": "tags", "value": "z"}, {"rowIndex": 3, "fieldKey": "age", "value": "7"}],
      "addedRows": [{"email": "cy@example.com"}, {}]})");
  // Row 4 (the second added) stays, empty: its required email is missing, so
  // it is left out of the rows like any invalid row.
  const std::string fresh_file = "Email,Age,Tags,Tags\nada@example.com,36,a,b\nbob@example.com,41,z,\ncy@example.com,7,,\n";
  ImportResult fresh = RunImport(fresh_file, TestSchema());
  EXPECT_EQ(after.outcome(), Outcome::kSuccessful) << Codes(after);
  EXPECT_EQ(after.Rows(RowFormat::kJson), fresh.Rows(RowFormat::kJson));
  EXPECT_EQ(after.Rows(RowFormat::kCsv), fresh.Rows(RowFormat::kCsv));
  EXPECT_EQ(after.data_rows(), 4u);
  ASSERT_EQ(after.messages().size(), 1u);
  EXPECT_EQ(after.messages()[0].row, 3u);
  EXPECT_EQ(after.messages()[0].code, "required");
}

TEST(ReviewChangesTest, AFieldWithoutAColumnGetsOne) {
  // No column for age: the person types the ages in.
  const std::string file = "Email\nada@example.com\nbob@example.com\n";
  ImportResult after = Reviewed(file, R"({"edits": [{"rowIndex": 1, "fieldKey": "age", "value": "41"}]})");
  EXPECT_EQ(after.outcome(), Outcome::kSuccessful) << Codes(after);
  EXPECT_EQ(after.Rows(RowFormat::kJson),
            R"([{"email":"ada@example.com","age":null,"tags":[]},{"email":"bob@example.com","age":41,"tags":[]}])");
  ASSERT_EQ(after.mapping().size(), 2u);
  EXPECT_EQ(after.mapping()[1].field_key, "age");
  EXPECT_EQ(after.mapping()[1].reason, "filled in review");
}

TEST(ReviewChangesTest, RowsAndColumnsTheFileLacksNeedReview) {
  const std::string file = "Email\nada@example.com\n";
  ImportResult edits = Reviewed(file, R"({"edits": [{"rowIndex": 5, "fieldKey": "age", "value": "1"}], "removedRows": [9]})");
  EXPECT_EQ(edits.outcome(), Outcome::kNeedsReview);
  EXPECT_EQ(Codes(edits), "review_out_of_range;review_out_of_range;");
  ImportResult mapping = Reviewed(file, R"({"mapping": {"0": "email", "4": "age"}})");
  EXPECT_EQ(mapping.outcome(), Outcome::kNeedsReview);
  EXPECT_EQ(Codes(mapping), "review_out_of_range;");
  EXPECT_EQ(mapping.Rows(RowFormat::kJson), R"([{"email":"ada@example.com","age":null,"tags":[]}])");
}

TEST(ReviewChangesTest, AnEditCanStillBeWrong) {
  const std::string file = "Email,Age\nada@example.com,1\n";
  ImportResult after = Reviewed(file, R"({"edits": [{"rowIndex": 0, "fieldKey": "email", "value": null}]})");
  EXPECT_EQ(after.rows_with_error(), 1u);
  ASSERT_EQ(after.messages().size(), 1u);
  EXPECT_EQ(after.messages()[0].code, "required");
}

TEST(ReviewChangesTest, FileValuesReadAsTheOptionsAPersonChose) {
  SchemaLoad load = LoadSchema(R"({"fields": [{"key": "plan", "label": "Plan", "type": "select", "selectOptions": [
      {"label": "Free", "value": "free"}, {"label": "Team", "value": "team"}]}]})");
  ASSERT_TRUE(load.schema.has_value());
  const std::string file = "Plan\nFree\nEnterprise\nGold\n";
  ImportResult before = RunImport(file, *load.schema);
  EXPECT_EQ(before.rows_with_error(), 2u);
  Result<ReviewChanges> changes = ReviewChangesFromJson(R"({"optionMappings": {"plan": {"Enterprise": "team"}}})", *load.schema);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  ImportOptions options;
  options.review = changes.value();
  ImportResult after = RunImport(file, *load.schema, options);
  EXPECT_EQ(after.rows_with_error(), 1u);  // Gold is still no option
  ASSERT_EQ(after.messages().size(), 1u);
  EXPECT_EQ(after.messages()[0].value, "Gold");
  EXPECT_EQ(after.Rows(RowFormat::kJson), R"([{"plan":"free"},{"plan":"team"}])");
  Result<ReviewChanges> wrong = ReviewChangesFromJson(R"({"optionMappings": {"plan": {"Gold": "gold"}}})", *load.schema);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message.rfind("$.optionMappings.plan.Gold: ", 0), 0u) << wrong.error().message;
}

}  // namespace
}  // namespace sluice
