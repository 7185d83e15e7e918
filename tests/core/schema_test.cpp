// LoadSchema: every case of tests/data/schemas (valid or not, with the exact
// problems listed), and the compiled parts of a schema that loads.
#include <gtest/gtest.h>

#include <re2/re2.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "sluice/schema.h"
#include "test_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST(SchemaTest, EveryDataCase) {
  std::vector<fs::path> folders = testing::CaseFolders("schemas");
  ASSERT_GE(folders.size(), 20u);
  for (const fs::path& folder : folders) {
    SCOPED_TRACE(folder.filename().string());
    json expected = json::parse(testing::Slurp(folder / "expected.json"), nullptr, false);
    SchemaLoad load = LoadSchema(testing::Slurp(folder / "schema.json"));
    EXPECT_EQ(load.schema.has_value(), expected["valid"].get<bool>()) << SchemaProblemsToJson(load.problems);
    json problems = json::array();
    for (const SchemaProblem& problem : load.problems) problems.push_back({problem.path, problem.code});
    EXPECT_EQ(problems, expected["problems"]);
    for (const SchemaProblem& problem : load.problems) EXPECT_FALSE(problem.message.empty());
  }
}

TEST(SchemaTest, LoadedSchemaIsComplete) {
  SchemaLoad load = LoadSchema(R"({
    "name": "s", "fields": [
      {"key": "a", "label": "A", "type": ["number", "percent_2"]},
      {"key": "b", "label": "B", "validators": [{"validate": "regex_match", "regex": "^x", "regexOptions": {"ignoreCase": true}}]},
      {"key": "c", "label": "C", "type": "select", "selectOptions": [{"label": "Yes", "value": 1}]}],
    "settings": {"importIdentifier": "s", "invalidDataBehavior": "BLOCK_SUBMIT", "maxRecords": 10,
                 "matchingStep": {"headerRowOverride": 2, "fuzzyMatchHeaders": false}}})");
  ASSERT_TRUE(load.schema.has_value()) << SchemaProblemsToJson(load.problems);
  const Schema& schema = *load.schema;
  EXPECT_TRUE(schema.fields[0].number.percent);
  EXPECT_EQ(*schema.fields[0].number.round, 2);
  ASSERT_TRUE(schema.fields[1].validators[0].regex);
  EXPECT_TRUE(RE2::PartialMatch("XYZ", *schema.fields[1].validators[0].regex));
  EXPECT_EQ(schema.fields[2].select_options[0].value, "1");
  EXPECT_EQ(schema.settings.invalid_data_behavior, InvalidDataBehavior::kBlockSubmit);
  EXPECT_EQ(*schema.settings.max_records, 10u);
  EXPECT_EQ(*schema.settings.header_row_override, 2u);
  EXPECT_FALSE(schema.settings.fuzzy_match_headers);
}

TEST(SchemaTest, DeepNestingIsRefusedBeforeAnythingRecurses) {
  std::string deep = "{\"fields\":[],\"hooks\":{\"x\":" + std::string(100000, '[') + std::string(100000, ']') + "}}";
  SchemaLoad load = LoadSchema(deep);
  ASSERT_FALSE(load.schema.has_value());
  ASSERT_EQ(load.problems.size(), 1u);
  EXPECT_EQ(load.problems[0].code, "schema.too_deep");
  EXPECT_EQ(JsonNestingDepth(R"({"a": "[[[[", "b": [{"c": "\"{"}]})"), 3u);
  EXPECT_EQ(JsonNestingDepth("[]"), 1u);
  EXPECT_EQ(JsonNestingDepth("\"x\""), 0u);
}

TEST(SchemaTest, HostileDocumentsAreProblemsNotCrashes) {
  for (const char* text : {"", "null", "[]", "{\"fields\": 3}", "{\"fields\": [null, 1, \"x\", []]}",
                           "{\"fields\": [{\"key\": 1, \"label\": {}, \"type\": [], \"validators\": {}}]}",
                           "{\"fields\": [{\"key\": \"a\", \"label\": \"A\", \"type\": [\"number\", [1]]}]}",
                           "{\"fields\": [{\"key\": \"a\", \"label\": \"A\", \"validators\": [{\"validate\": 7}]}]}",
                           "{\"fields\": [], \"settings\": {\"maxRecords\": -1, \"matchingStep\": []}}"}) {
    SchemaLoad load = LoadSchema(text);
    EXPECT_FALSE(load.schema.has_value()) << text;
    EXPECT_FALSE(load.problems.empty()) << text;
  }
}

}  // namespace
}  // namespace sluice
