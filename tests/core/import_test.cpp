// Every case of tests/data/import through RunImport: outcome and reasons,
// cleaned rows, cell messages, the mapping, metadata, and CSV/NDJSON output.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/import.h"
#include "sluice/json_writer.h"
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

// Streams: every case, in chunks of 1, 2, 3 and 16384 rows (so the unique
// family is counted across chunks), gives the same bytes in each format as
// Rows(), the same messages and the same metadata; a FAILED import writes
// nothing.
struct Streamed {
  ImportResult result;
  std::string json, ndjson, csv;
};

Streamed RunStreamed(const std::string& bytes, const Schema& schema, const ImportOptions& options, size_t chunk_rows) {
  Streamed out{ImportResult(RunImport("", schema)), "", "", ""};
  std::vector<RowStream> streams{
      {RowFormat::kJson, [&](std::string_view chunk) { out.json.append(chunk); }},
      {RowFormat::kNdjson, [&](std::string_view chunk) { out.ndjson.append(chunk); }},
      {RowFormat::kCsv, [&](std::string_view chunk) { out.csv.append(chunk); }},
  };
  out.result = RunImport(bytes, schema, options, streams, chunk_rows);
  return out;
}

void ExpectSameAsWhole(const std::string& bytes, const Schema& schema, const ImportOptions& options, size_t chunk_rows) {
  SCOPED_TRACE("chunks of " + std::to_string(chunk_rows));
  ImportResult whole = RunImport(bytes, schema, options);
  Streamed streamed = RunStreamed(bytes, schema, options, chunk_rows);
  const bool failed = whole.outcome() == Outcome::kFailed;
  EXPECT_EQ(streamed.json, failed ? "" : whole.Rows(RowFormat::kJson));
  EXPECT_EQ(streamed.ndjson, failed ? "" : whole.Rows(RowFormat::kNdjson));
  EXPECT_EQ(streamed.csv, failed ? "" : whole.Rows(RowFormat::kCsv));
  EXPECT_EQ(streamed.result.Metadata(SIZE_MAX), whole.Metadata(SIZE_MAX));
  EXPECT_EQ(streamed.result.rows_with_error(), whole.rows_with_error());
  EXPECT_EQ(streamed.result.Rows(RowFormat::kJson), "");  // the rows went to the streams
}

TEST(ImportTest, StreamedRowsEqualWholeRowsInEveryCase) {
  for (const fs::path& folder : testing::CaseFolders("import")) {
    SCOPED_TRACE(folder.filename().string());
    SchemaLoad load = LoadSchema(Slurp(folder / "schema.json"));
    ASSERT_TRUE(load.schema.has_value());
    ImportOptions options;
    if (fs::exists(folder / "mapping.json")) {
      json mapping = json::parse(Slurp(folder / "mapping.json"));
      for (auto it = mapping.begin(); it != mapping.end(); ++it) options.mapping[it.key()] = it.value().get<std::string>();
    }
    for (size_t chunk : {1, 2, 3, 16384}) ExpectSameAsWhole(testing::CaseInput(folder), *load.schema, options, chunk);
  }
}

// A larger file whose duplicates fall in different chunks (the first of each
// is marked too), and, in one chunk, in different parts of it (a part has
// 682 rows of these 6 fields: RowChecker::CheckInParts), with unique_with, a
// case-insensitive unique, manyToOne, a person's review (edits, removed and
// added rows, an option mapping) and hooks' values, options and info over it.
TEST(ImportTest, StreamedUniqueReviewAndHooksAcrossChunks) {
  SchemaLoad load = LoadSchema(R"({"fields": [
    {"key": "id", "label": "Id", "type": "number", "validators": [{"validate": "unique"}]},
    {"key": "email", "label": "Email", "type": "email", "validators": [{"validate": "unique_case_insensitive"}]},
    {"key": "first", "label": "First", "validators": [{"validate": "unique_with", "uniqueKey": "name"}]},
    {"key": "last", "label": "Last", "validators": [{"validate": "unique_with", "uniqueKey": "name"}, {"validate": "required"}]},
    {"key": "plan", "label": "Plan", "type": "select", "selectOptions": [{"label": "Free", "value": "free"}, {"label": "Pro", "value": "pro"}]},
    {"key": "tags", "label": "Tags", "manyToOne": true}
  ], "settings": {"invalidDataBehavior": "INCLUDE_INVALID_ROWS_AND_VALUES", "passThroughUnmappedColumns": true}})");
  ASSERT_TRUE(load.schema.has_value()) << SchemaProblemsToJson(load.problems);
  std::string csv = "Id,Email,First,Last,Plan,Tags,Tags,Extra\n";
  for (int i = 0; i < 1500; ++i) {
    int id = i % 97 == 5 ? i - 5 : i % 600 == 599 ? 11 : i;  // a few ids repeat, some far apart
    csv += (i % 31 == 0 ? std::to_string(id) + ".0" : std::to_string(id)) + ",";
    csv += std::string(i % 53 == 0 ? "USER" : "user") + std::to_string(i % 150) + "@example.com,";
    csv += "F" + std::to_string(i % 7) + ",";
    csv += (i % 45 == 0 ? "" : "L" + std::to_string(i % 11)) + ",";
    csv += std::string(i % 3 == 0 ? "Pro" : i % 3 == 1 ? "free" : "gold") + ",a" + std::to_string(i % 4) + ",b,x" + std::to_string(i) + "\n";
  }
  ImportOptions options;
  for (size_t chunk : {1, 7, 64, 16384}) ExpectSameAsWhole(csv, *load.schema, options, chunk);
  EXPECT_NE(RunImport(csv, *load.schema, options).Metadata(SIZE_MAX).find("'11' appears in 3 rows"), std::string::npos);

  Result<ReviewChanges> review = ReviewChangesFromJson(
      R"({"edits": [{"rowIndex": 3, "fieldKey": "id", "value": "1"}, {"rowIndex": 399, "fieldKey": "last", "value": ""}],
          "removedRows": [0, 200], "addedRows": [{"id": "3", "last": "Added"}],
          "optionMappings": {"plan": {"gold": "pro"}}})",
      *load.schema);
  ASSERT_TRUE(review.ok());
  options.review = review.value();
  HookEdits::Cell value{10, "first", "rowHooks[0]", std::string("F1"), std::nullopt, std::nullopt};
  HookEdits::Cell info{250, "email", "rowHooks[0]", std::nullopt,
                       std::vector<HookEdits::Info>{{"checked by hand", Level::kWarning}}, std::nullopt};
  HookEdits::Cell options_cell{120, "plan", "columnHooks[0]", std::nullopt, std::nullopt,
                               std::vector<SelectOption>{{"Gold", "gold", {}, false}}};
  options.hooks.cells = {value, info, options_cell};
  for (size_t chunk : {1, 7, 64, 16384}) ExpectSameAsWhole(csv, *load.schema, options, chunk);
}

// A number whose cell is already its shortest text is written as the cell;
// every other one as the shortest text of its value. Either way the output is
// what JsonWriter::Double writes for the value, for texts of every shape:
// leading and trailing zeros, negative zero, tiny values, 15 and 16 digits.
TEST(ImportTest, NumbersAreWrittenAsTheirShortestText) {
  std::vector<std::string> texts = {"0", "-0", "-0.0", "0.5", "-0.5", "007", "1.50", "0.0001", "0.00001", "0.00012",
                                    "123456789012345", "1234567890123456", "-99.99", "100", " 42 ", "12.", "3.14159"};
  uint64_t seed = 5;
  auto next = [&seed]() { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int i = 0; i < 3000; ++i) {
    std::string text = next() % 4 == 0 ? "-" : "";
    const size_t integer = 1 + next() % 9, fraction = next() % 9;
    for (size_t k = 0; k < integer; ++k) text.push_back(static_cast<char>('0' + (k == 0 && next() % 3 ? 1 + next() % 9 : next() % 10)));
    if (fraction) text.push_back('.');
    for (size_t k = 0; k < fraction; ++k) text.push_back(static_cast<char>('0' + next() % 10));
    texts.push_back(text);
  }
  std::string csv = "n\n";
  std::string expected = "[";
  for (const std::string& text : texts) {
    csv += text + "\n";
    JsonWriter value;
    value.Double(std::strtod(text.c_str(), nullptr) == 0 ? 0.0 : std::strtod(text.c_str(), nullptr));
    expected += (expected.size() > 1 ? ",{\"n\":" : "{\"n\":") + value.str() + "}";
  }
  expected += "]";
  SchemaLoad load = LoadSchema(R"({"fields": [{"key": "n", "label": "n", "type": "number"}]})");
  ImportResult result = RunImport(csv, *load.schema);
  ASSERT_EQ(result.outcome(), Outcome::kSuccessful);
  EXPECT_EQ(result.Rows(RowFormat::kJson), expected);
}

// The row writer makes room for a cell's most bytes before writing it and
// for what may follow it (',' ']' '}' and a newline): manyToOne fields, mapped
// to columns or to none, last in the row, in every row format and over many
// rows of varied lengths (debug builds assert that no write passes its room;
// the rows must equal the whole import's).
TEST(ImportTest, RowsWithManyToOneFieldsFitTheirRoom) {
  SchemaLoad load = LoadSchema(R"({"fields": [
    {"key": "a", "label": "A"},
    {"key": "none", "label": "Nothing like it", "manyToOne": true},
    {"key": "tags", "label": "Tag", "manyToOne": true}
  ]})");
  ASSERT_TRUE(load.schema.has_value()) << SchemaProblemsToJson(load.problems);
  std::string csv = "A,Tag,Tag\n";
  uint64_t seed = 9;
  auto next = [&seed]() { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int i = 0; i < 30000; ++i) {
    csv += std::string(1 + next() % 37, 'a') + "," + std::string(next() % 5, 'x') + "," + std::string(next() % 3, 'y') + "\n";
  }
  for (RowFormat format : {RowFormat::kJson, RowFormat::kNdjson}) {
    const std::string whole = RunImport(csv, *load.schema).Rows(format);
    std::string streamed;
    RunImport(std::string_view(csv), *load.schema, ImportOptions(),
              {{format, [&streamed](std::string_view chunk) { streamed.append(chunk); }}}, 777);
    EXPECT_EQ(streamed, whole);
    EXPECT_NE(whole.find(R"("none":[],"tags":[)"), std::string::npos);
  }
}

// The cells each field reads, gathered a row at a time (RowChecker::Gather):
// trimmed of ASCII and Unicode spaces, a short row's missing cells empty, a
// cell longer than a table's short length (32 KB) whole, columns mapped in
// another order than the file's and a column mapped to no field skipped.
TEST(ImportTest, FieldsReadTheirCellsTrimmedWhateverTheRowsShape) {
  SchemaLoad load = LoadSchema(R"({"fields": [
    {"key": "note", "label": "Note"},
    {"key": "n", "label": "N", "type": "number"},
    {"key": "name", "label": "Name"}
  ]})");
  ASSERT_TRUE(load.schema.has_value()) << SchemaProblemsToJson(load.problems);
  const std::string long_note(40000, 'y');
  const std::string csv = "Name,Other,N,Note\n"
                          "  Ada  ,o,  7 ,x\n"
                          "\xC2\xA0" "Bob\xE2\x80\xAF,o,8\n"
                          "Cy,o\n"
                          "Di,o,9,\"" + long_note + "\"\n";
  EXPECT_EQ(RunImport(csv, *load.schema).Rows(RowFormat::kJson),
            R"([{"note":"x","n":7,"name":"Ada"},{"note":null,"n":8,"name":"Bob"},{"note":null,"n":null,"name":"Cy"},)"
            R"({"note":")" + long_note + R"(","n":9,"name":"Di"}])");
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
