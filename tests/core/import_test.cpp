// Every case of tests/data/import through RunImport: outcome and reasons,
// cleaned rows, cell messages, the mapping, metadata, and CSV/NDJSON output.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "sluice/import.h"
#include "test_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Slurp;

ImportResult RunCase(const fs::path& folder, Schema* schema_out) {
  SchemaLoad load = LoadSchema(Slurp(folder / "schema.json"));
  EXPECT_TRUE(load.schema.has_value()) << SchemaProblemsToJson(load.problems);
  *schema_out = *load.schema;
  ImportOptions options;
  if (fs::exists(folder / "mapping.json")) {
    json mapping = json::parse(Slurp(folder / "mapping.json"));
    for (auto it = mapping.begin(); it != mapping.end(); ++it) options.mapping[it.key()] = it.value().get<std::string>();
  }
  return RunImport(testing::CaseInput(folder), *schema_out, options);
}

TEST(ImportTest, EveryDataCase) {
  std::vector<fs::path> folders = testing::CaseFolders("import");
  ASSERT_GE(folders.size(), 120u);
  for (const fs::path& folder : folders) {
    SCOPED_TRACE(folder.filename().string());
    json expected = json::parse(Slurp(folder / "expected.json"), nullptr, false);
    ASSERT_TRUE(expected.is_object());
    Schema schema;
    ImportResult result = RunCase(folder, &schema);
    json metadata = json::parse(result.Metadata(), nullptr, false);
    ASSERT_FALSE(metadata.is_discarded());

    EXPECT_EQ(OutcomeName(result.outcome()), expected["outcome"].get<std::string>()) << result.OutcomeJson();
    if (expected.contains("reasons")) {
      json codes = json::array();
      for (const OutcomeReason& reason : result.reasons()) codes.push_back(reason.code);
      EXPECT_EQ(codes, expected["reasons"]);
    }
    if (expected.contains("rows")) {
      json rows = json::parse(result.Rows(RowFormat::kJson), nullptr, false);
      EXPECT_EQ(rows, expected["rows"]);
    }
    if (expected.contains("errors")) {
      json errors = json::array();
      for (const CellMessage& message : result.messages()) {
        json entry = {message.row, message.field_key, message.code};
        if (message.level != Level::kError) entry.push_back(LevelName(message.level));
        errors.push_back(entry);
      }
      EXPECT_EQ(errors, expected["errors"]);
    }
    if (expected.contains("mapping")) {
      for (auto it = expected["mapping"].begin(); it != expected["mapping"].end(); ++it) {
        const json& field = metadata["fields"][it.key()];
        if (it.value().is_null()) {
          EXPECT_TRUE(field.is_null()) << it.key() << " is mapped: " << field.dump();
        } else {
          EXPECT_EQ(field.is_object() ? field["fileHeader"] : json(), it.value()) << it.key() << ": " << field.dump();
        }
      }
    }
    if (expected.contains("metadata")) {
      std::string why;
      EXPECT_TRUE(testing::SubsetMatches(expected["metadata"], metadata, "metadata", &why)) << why;
    }
    if (expected.contains("csv")) {
      EXPECT_EQ(result.Rows(RowFormat::kCsv), expected["csv"].get<std::string>());
    }
    if (expected.contains("ndjson")) {
      EXPECT_EQ(result.Rows(RowFormat::kNdjson), expected["ndjson"].get<std::string>());
    }
  }
}

TEST(ImportTest, OutputIsDeterministic) {
  for (const fs::path& folder : testing::CaseFolders("import")) {
    Schema first_schema, second_schema;
    ImportResult first = RunCase(folder, &first_schema);
    ImportResult second = RunCase(folder, &second_schema);
    EXPECT_EQ(first.Rows(RowFormat::kJson), second.Rows(RowFormat::kJson)) << folder;
    EXPECT_EQ(first.Metadata(), second.Metadata()) << folder;
  }
}

TEST(ImportTest, ResultOutlivesItsSchema) {
  ImportResult result = [] {
    SchemaLoad load = LoadSchema(R"({"fields": [{"key": "n", "label": "Name"}]})");
    return RunImport("Name\nAda\n", *load.schema);
  }();
  EXPECT_EQ(result.Rows(RowFormat::kJson), R"([{"n":"Ada"}])");
}

}  // namespace
}  // namespace sluice
