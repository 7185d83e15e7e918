// CsvReader through the public ParseDelimited: every case of tests/data/parse,
// plus the limits that are too large to keep as files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/parse.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<fs::path> ParseCases() {
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(fs::path(SLUICE_TEST_DATA) / "parse")) {
    if (entry.is_directory()) cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

TEST(CsvReaderTest, DataCases) {
  std::vector<fs::path> cases = ParseCases();
  ASSERT_GE(cases.size(), 20u);
  for (const fs::path& dir : cases) {
    SCOPED_TRACE(dir.filename().string());
    ParseOptions options;
    if (fs::exists(dir / "options.json")) {
      json opts = json::parse(Slurp(dir / "options.json"), nullptr, false);
      ASSERT_TRUE(opts.is_object());
      if (opts.contains("delimiter") && opts["delimiter"].is_string()) {
        options.delimiter = opts["delimiter"].get<std::string>()[0];
      }
    }
    Result<Table> table = ParseDelimited(Slurp(dir / "input.txt"), options);
    ASSERT_TRUE(table.ok()) << table.error().message;
    json expected = json::parse(Slurp(dir / "expected.json"), nullptr, false);
    json actual = json::parse(RowsToJson(table.value()), nullptr, false);
    ASSERT_FALSE(actual.is_discarded());
    EXPECT_EQ(actual, expected);
  }
}

TEST(CsvReaderTest, UnescapedCellsAreViewsIntoTheInput) {
  Result<Table> table = ParseDelimited("plain,\"quoted\",\"dou\"\"bled\"\n");
  ASSERT_TRUE(table.ok());
  const Table& t = table.value();
  const char* begin = t.text().data();
  const char* end = begin + t.text().size();
  auto inside_text = [&](std::string_view cell) { return cell.data() >= begin && cell.data() < end; };
  EXPECT_TRUE(inside_text(t.cell(0, 0)));
  EXPECT_TRUE(inside_text(t.cell(0, 1)));
  EXPECT_FALSE(inside_text(t.cell(0, 2)));
  EXPECT_EQ(t.cell(0, 2), "dou\"bled");
}

TEST(CsvReaderTest, RaggedRowsKeepTheirOwnWidth) {
  Result<Table> table = ParseDelimited("a,b,c\n1\n");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table.value().cell_count(0), 3u);
  EXPECT_EQ(table.value().cell_count(1), 1u);
  EXPECT_EQ(table.value().max_cell_count(), 3u);
  EXPECT_EQ(table.value().cell(1, 2), "");  // past the row's end reads as empty
}

TEST(CsvReaderTest, QuoteCharacterIsAnOption) {
  ParseOptions options;
  options.quote = '\'';
  Result<Table> table = ParseDelimited("'a,b',\"c\"\n", options);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table.value().cell(0, 0), "a,b");
  EXPECT_EQ(table.value().cell(0, 1), "\"c\"");
}

TEST(CsvReaderTest, ManyRowsOfManyCells) {
  std::string text;
  for (int row = 0; row < 10000; ++row) {
    for (int col = 0; col < 10; ++col) text += (col ? "," : "") + std::to_string(row * 10 + col);
    text += "\n";
  }
  Result<Table> table = ParseDelimited(std::move(text));
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table.value().row_count(), 10000u);
  EXPECT_EQ(table.value().cell(9999, 9), "99999");
}

}  // namespace
}  // namespace sluice
