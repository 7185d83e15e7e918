// Every case of tests/data/readers through the public API, as `sluice parse`
// (rows) and `sluice inspect` (the inspection, compared as a subset) see it.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "delimited_windows.h"
#include "read/csv_reader.h"
#include "sluice/read.h"
#include "test_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using testing::CaseInput;
using testing::Slurp;
using testing::SubsetMatches;

struct ReaderCase {
  std::string name;
  std::string input;
  json expected;
  std::string options;
};

std::vector<ReaderCase> ReaderCases() {
  std::vector<ReaderCase> cases;
  for (const fs::path& folder : testing::CaseFolders("readers")) {
    ReaderCase c;
    c.name = folder.filename().string();
    c.input = CaseInput(folder);
    c.expected = json::parse(Slurp(folder / "expected.json"), nullptr, false);
    if (fs::exists(folder / "options.json")) c.options = Slurp(folder / "options.json");
    cases.push_back(std::move(c));
  }
  return cases;
}

TEST(ReadersTest, EveryDataCase) {
  std::vector<ReaderCase> cases = ReaderCases();
  ASSERT_GE(cases.size(), 80u);
  for (const ReaderCase& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_TRUE(c.expected.is_object());
    Result<ReadOptions> options = ReadOptionsFromJson(c.options);
    ASSERT_TRUE(options.ok()) << options.error().message;

    Result<ReadResult> read = ReadTable(c.input, options.value());
    Result<Inspection> inspection = Inspect(c.input, options.value());
    if (c.expected.contains("error")) {
      std::string code = c.expected["error"].get<std::string>();
      // Errors found after reading (a bad header override) come from Inspect only.
      if (!read.ok()) {
        EXPECT_EQ(read.error().code, code) << read.error().message;
      }
      ASSERT_FALSE(inspection.ok());
      EXPECT_EQ(inspection.error().code, code) << inspection.error().message;
      EXPECT_FALSE(inspection.error().message.empty());
      continue;
    }
    ASSERT_TRUE(read.ok()) << read.error().code << ": " << read.error().message;
    ASSERT_TRUE(inspection.ok()) << inspection.error().code << ": " << inspection.error().message;
    if (c.expected.contains("rows")) {
      EXPECT_EQ(json::parse(RowsToJson(read.value().table)), c.expected["rows"]);
    }
    if (c.expected.contains("inspect")) {
      json actual = json::parse(InspectionToJson(inspection.value(), 20), nullptr, false);
      ASSERT_FALSE(actual.is_discarded());
      std::string why;
      EXPECT_TRUE(SubsetMatches(c.expected["inspect"], actual, "inspect", &why)) << why;
    }
  }
}

// Two reads of a case alike: the same rows and inspection, or the same error.
void ExpectSameInspection(const Result<Inspection>& one, const Result<Inspection>& two) {
  ASSERT_EQ(one.ok(), two.ok());
  if (!one.ok()) {
    EXPECT_EQ(one.error().code, two.error().code);
    EXPECT_EQ(one.error().message, two.error().message);
    return;
  }
  EXPECT_EQ(RowsToJson(one.value().read.table), RowsToJson(two.value().read.table));
  EXPECT_EQ(InspectionToJson(one.value(), 1000), InspectionToJson(two.value(), 1000));
}

// Reading where the bytes lie (ReadTableViewing, InspectViewing) gives what
// reading a copy gives, for every case: the same rows, inspection or error.
TEST(ReadersTest, ViewingReadsEveryCaseAsACopyDoes) {
  for (const ReaderCase& c : ReaderCases()) {
    SCOPED_TRACE(c.name);
    Result<ReadOptions> options = ReadOptionsFromJson(c.options);
    ASSERT_TRUE(options.ok());
    ExpectSameInspection(Inspect(c.input, options.value()), InspectViewing(c.input, options.value()));
  }
  // Plain UTF-8 (with or without a byte order mark) is viewed, not copied.
  for (std::string input : {std::string("a,b\n1,\"x\"\"y\"\n"), std::string("\xEF\xBB\xBF") + "a,b\n1,2\n"}) {
    Result<ReadResult> read = ReadTableViewing(input);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read.value().table.text().data(), input.data() + (read.value().encoding.bom ? 3 : 0));
    EXPECT_EQ(read.value().table.cell(1, 0), "1");
  }
  // Anything else is read from a copy (UTF-16 here), with the same result.
  std::string utf16("\xFF\xFE" "a\0,\0b\0\n\0", 10);
  Result<ReadResult> read = ReadTableViewing(utf16);
  ASSERT_TRUE(read.ok());
  EXPECT_NE(read.value().table.text().data(), utf16.data() + 2);
  EXPECT_EQ(read.value().table.cell(0, 1), "b");
}

// With threads, a workbook's large parts are inflated on a worker while
// they are read (ReadAhead): every case reads as on one thread (the large
// sheet and the zip bomb take that path; zip_archive_test has its errors).
TEST(ReadersTest, EveryCaseReadsAlikeWithThreads) {
  for (const ReaderCase& c : ReaderCases()) {
    SCOPED_TRACE(c.name);
    Result<ReadOptions> options = ReadOptionsFromJson(c.options);
    ASSERT_TRUE(options.ok());
    Result<Inspection> one = Inspect(c.input, options.value());
    options.value().threads = 2;
    ExpectSameInspection(one, Inspect(c.input, options.value()));
  }
}

TEST(ReadersTest, EveryCaseHoldsSomethingToCheck) {
  for (const ReaderCase& c : ReaderCases()) {
    EXPECT_TRUE(c.expected.contains("rows") || c.expected.contains("inspect") || c.expected.contains("error")) << c.name;
  }
}

TEST(ReadersTest, UnescapedCellsAreViewsIntoTheInput) {
  Result<ReadResult> read = ReadTable("plain,\"quoted\",\"dou\"\"bled\"\n");
  ASSERT_TRUE(read.ok());
  const Table& t = read.value().table;
  const char* begin = t.text().data();
  const char* end = begin + t.text().size();
  auto inside_text = [&](std::string_view cell) { return cell.data() >= begin && cell.data() < end; };
  EXPECT_TRUE(inside_text(t.cell(0, 0)));
  EXPECT_TRUE(inside_text(t.cell(0, 1)));
  EXPECT_FALSE(inside_text(t.cell(0, 2)));
  EXPECT_EQ(t.cell(0, 2), "dou\"bled");
}

TEST(ReadersTest, ManyRowsOfManyCells) {
  std::string text;
  for (int row = 0; row < 20000; ++row) {
    for (int col = 0; col < 10; ++col) text += (col ? "," : "") + std::to_string(row * 10 + col);
    text += "\n";
  }
  Result<ReadResult> read = ReadTable(std::move(text));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value().table.row_count(), 20000u);
  EXPECT_EQ(read.value().table.cell(19999, 9), "199999");
}

// Unquoted fields are scanned eight bytes at a time: delimiters and line
// ends at every offset of a word, in cells of every length, split as a plain
// split does.
TEST(ReadersTest, DelimitersAtEveryOffsetSplitAsWritten) {
  for (char delim : {',', ';', '\t', '|'}) {
    uint64_t seed = static_cast<unsigned char>(delim);
    std::vector<std::vector<std::string>> rows;
    std::string text;
    for (int row = 0; row < 400; ++row) {
      rows.emplace_back();
      for (int col = 0; col < 6; ++col) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        std::string cell(1 + (seed >> 33) % 19, 'a' + static_cast<char>((seed >> 20) % 26));
        cell[0] = static_cast<char>('A' + row % 26);  // never empty, never a quote
        rows.back().push_back(cell);
        text += (col ? std::string(1, delim) : "") + cell;
      }
      text += row % 3 == 0 ? "\r\n" : "\n";
    }
    ReadOptions options;
    options.delimiter = delim;
    Result<ReadResult> read = ReadTable(text, options);
    ASSERT_TRUE(read.ok());
    const Table& table = read.value().table;
    ASSERT_EQ(table.row_count(), rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
      ASSERT_EQ(table.cell_count(r), rows[r].size()) << r;
      for (size_t c = 0; c < rows[r].size(); ++c) ASSERT_EQ(table.cell(r, c), rows[r][c]) << r << "," << c;
    }
  }
}

TEST(ReadOptionsTest, RejectsWhatItDoesNotKnow) {
  for (const char* bad : {"[]", "{\"delimiter\": \",,\"}", "{\"sheet\": 1}", "{\"headerRowOverride\": -1}",
                          "{\"limits\": {\"maxCellBytes\": 0}}", "{\"limits\": {\"bogus\": 1}}", "{\"bogus\": 1}",
                          "{not json"}) {
    Result<ReadOptions> options = ReadOptionsFromJson(bad);
    ASSERT_FALSE(options.ok()) << bad;
    EXPECT_EQ(options.error().code, "invalid_option");
  }
  Result<ReadOptions> good = ReadOptionsFromJson(R"({"delimiter": ";", "sheet": "S", "headerRowOverride": 2,
      "limits": {"maxCellBytes": 10, "maxColumns": 3, "maxJsonDepth": 4, "maxUncompressedBytes": 5,
                 "maxCompressionRatio": 6}})");
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good.value().delimiter, ';');
  EXPECT_EQ(*good.value().header_row_override, 2u);
  EXPECT_EQ(good.value().limits.max_compression_ratio, 6u);
}

// Up to `most` random lowercase letters.
std::string Letters(std::mt19937& random, size_t most) {
  std::string text(random() % (most + 1), 'a');
  for (char& c : text) c = static_cast<char>('a' + random() % 26);
  return text;
}

// The delimited reader's tests run once per instruction set its record loop
// can use on this processor (TokenizerIsas: the build's own, AVX2,
// AVX-512BW), each read alike.
class DelimitedReaderTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { ASSERT_TRUE(UseTokenizerIsa(GetParam())); }
  void TearDown() override { UseTokenizerIsa(""); }
};

INSTANTIATE_TEST_SUITE_P(Isas, DelimitedReaderTest, ::testing::ValuesIn(TokenizerIsas()),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });

TEST(TokenizerIsaTest, TheBestIsUsedUnlessOneIsChosen) {
  const std::vector<std::string> isas = TokenizerIsas();
  ASSERT_FALSE(isas.empty());
  EXPECT_EQ(isas.front(), "base");
  EXPECT_EQ(TokenizerIsa(), isas.back());
  EXPECT_TRUE(UseTokenizerIsa("base"));
  EXPECT_EQ(TokenizerIsa(), "base");
  EXPECT_FALSE(UseTokenizerIsa("neon"));
  EXPECT_EQ(TokenizerIsa(), "base");
  EXPECT_TRUE(UseTokenizerIsa(""));
  EXPECT_EQ(TokenizerIsa(), isas.back());
}

// The delimited reader reads a file a few thousand records per call: records
// that are blank lines, quoted line breaks, doubled quotes and ragged rows
// read the same on either side of every call's end.
TEST_P(DelimitedReaderTest, ManyRecordsReadAcrossCalls) {
  std::string text;
  std::vector<std::vector<std::string>> expected;
  for (size_t r = 0; r < 20000; ++r) {
    if (r % 7 == 3) {
      text += "\n";
      expected.push_back({});
      continue;
    }
    std::vector<std::string> row{std::to_string(r)};
    text += std::to_string(r);
    if (r % 3 == 0) {
      text += ",\"line\nbreak \"\"" + std::to_string(r) + "\"\"\"";
      row.push_back("line\nbreak \"" + std::to_string(r) + "\"");
    }
    if (r % 5 == 0) {
      text += ",x,y";
      row.push_back("x");
      row.push_back("y");
    }
    text += r % 2 ? "\r\n" : "\n";
    expected.push_back(row);
  }
  std::vector<Notice> notices;
  Result<Table> table = ReadDelimited(text, CsvDialect{',', '"'}, ReadLimits{}, &notices);
  ASSERT_TRUE(table.ok()) << table.error().message;
  ASSERT_EQ(table.value().row_count(), expected.size());
  for (size_t r = 0; r < expected.size(); ++r) {
    ASSERT_EQ(table.value().cell_count(r), expected[r].size()) << "row " << r;
    for (size_t c = 0; c < expected[r].size(); ++c) ASSERT_EQ(table.value().cell(r, c), expected[r][c]) << "row " << r;
  }
  EXPECT_TRUE(notices.empty());
}

// The streamed import reads windows of the text: a record the window's end
// cuts (in a quoted field, between CR and LF, after a closing quote, inside
// blank lines) is read whole by the next window. Windows of every size read
// as the whole text reads, rows, notices (with their offsets) and errors alike.
TEST_P(DelimitedReaderTest, WindowsReadAsTheWholeText) {
  const std::vector<std::string> texts = {
      "a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n\r\n\n4,\"multi\r\nline\" tail ,6\n\n\n",
      "id;name\r1;\"O\"\"Brien\"\r2;plain\r\r3;\"\"\r",
      "x\n\"never closed, \nstill\n",
      "  \"padded\"  ,b\n\"q\"\"\",\"\"\n,,\n",
      "no newline at the end,\"quoted\"",
      "\n\n\nlate,start\n",
  };
  for (const std::string& text : texts) {
    const CsvDialect dialect{text.find(';') != std::string::npos ? ';' : ',', '"'};
    std::vector<Notice> whole_notices;
    Result<Table> whole = ReadDelimited(text, dialect, ReadLimits{}, &whole_notices);
    ASSERT_TRUE(whole.ok());
    for (size_t piece = 1; piece <= text.size(); ++piece) {
      testing::WindowedRead windows = testing::ReadInWindows(text, dialect, ReadLimits{}, piece);
      ASSERT_FALSE(windows.error);
      EXPECT_TRUE(windows.last_consumed_all);
      EXPECT_TRUE(windows.cuts_read_alike) << "piece " << piece << " of " << text;
      EXPECT_EQ(windows.rows, testing::RowsOf(whole.value())) << "piece " << piece << " of " << text;
      ASSERT_EQ(windows.notices.size(), whole_notices.size()) << "piece " << piece;
      for (size_t n = 0; n < whole_notices.size(); ++n) EXPECT_EQ(windows.notices[n].message, whole_notices[n].message);
    }
  }
  // A cell too large is found in the window that holds it, at its offset in the text.
  ReadLimits limits;
  limits.max_cell_bytes = 8;
  const std::string text = "a,b\n1,2\n3,123456789\n";
  std::vector<Notice> notices;
  Result<Table> whole = ReadDelimited(text, CsvDialect{}, limits, &notices);
  ASSERT_FALSE(whole.ok());
  DelimitedWindow state;
  Table first = Table::Viewing(std::string_view(text).substr(0, 9));
  ASSERT_TRUE(ReadDelimitedWindow(&first, CsvDialect{}, limits, false, 0, &state, &notices).ok());
  EXPECT_EQ(state.consumed, 8u);
  Table second = Table::Viewing(std::string_view(text).substr(8));
  Result<bool> read = ReadDelimitedWindow(&second, CsvDialect{}, limits, true, 8, &state, &notices);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, "cell_too_large");
  EXPECT_EQ(read.error().offset, whole.error().offset);
}

// The fast path (BulkRecords: plain fields and quoted ones with nothing to
// unescape, sixty-four bytes at a time) reads what the general path reads:
// random texts, whole and in windows, some with limits the fast path must
// leave to the general path (which gives their errors). Half the texts are
// records of fields of every kind (plain, quoted, quoted with delimiters and
// line ends inside, doubled quotes, padding, text after the closing quote, a
// quote inside a plain field), half bytes at random.
TEST_P(DelimitedReaderTest, CommonRecordsReadAsTheGeneralPathReadsThem) {
  std::mt19937 random(20261130);
  auto same = [](const Result<Table>& a, const Result<Table>& b) {
    if (a.ok() != b.ok()) return false;
    if (!a.ok()) return a.error().code == b.error().code && a.error().offset == b.error().offset;
    return testing::RowsOf(a.value()) == testing::RowsOf(b.value());
  };
  size_t rows = 0, rows_kept_short = 0;
  for (int round = 0; round < 6000; ++round) {
    const char delimiter = round % 2 ? ',' : '\t';
    const char other = delimiter == ',' ? '\t' : ',';  // a plain byte here
    auto letters = [&](size_t most) { return Letters(random, most); };
    // Quoted content: letters with, at times, a delimiter, a line end or a doubled quote.
    auto content = [&]() {
      std::string text;
      for (int k = random() % 4; k >= 0; --k) {
        text += letters(12);
        const unsigned pick = random() % 10;
        if (pick == 0) text.push_back(delimiter);
        if (pick == 1) text += random() % 2 ? "\n" : "\r\n";
        if (pick == 2) text += "\"\"";
      }
      return text;
    };
    std::string text;
    if (round % 2 == 0) {
      for (int record = random() % 12; record >= 0; --record) {
        for (int column = random() % 9; column >= 0; --column) {
          const unsigned kind = random() % 20;
          if (kind < 11) text += letters(20);
          else if (kind < 16) text += "\"" + content() + "\"";
          else if (kind == 16) text += "  \"" + content() + "\" ";
          else if (kind == 17) text += "\"" + content() + "\"" + letters(3);
          else if (kind == 18) text += letters(3) + "\"" + letters(3);
          else text += letters(5) + other;
          if (column > 0) text.push_back(delimiter);
        }
        const unsigned end = random() % 10;
        text += end < 6 ? "\n" : end < 8 ? "\r\n" : end < 9 ? "\r" : "\n\n";
      }
      if (random() % 4 == 0) text.pop_back();  // no line end at the end
    } else {
      const std::string rare = std::string(1, delimiter) + "\n\r \"";
      for (size_t k = random() % 400; k > 0; --k) {
        const unsigned pick = random() % 100;
        text += pick < 70 ? std::string(1, static_cast<char>('a' + pick % 26))
                : pick < 96 ? std::string(1, rare[pick % rare.size()])
                : pick < 98 ? std::string("\r\n") : std::string(1, other);
      }
    }
    ReadLimits limits;
    if (round % 5 == 1) limits.max_cell_bytes = random() % 24 + 1;
    if (round % 5 == 3) limits.max_columns = random() % 8 + 1;
    const CsvDialect dialect{delimiter, '"'};
    std::vector<Notice> fast_notices, general_notices;
    const Result<Table> fast = ReadDelimited(text, dialect, limits, &fast_notices);
    const Result<Table> general = ReadDelimitedGeneral(text, dialect, limits, &general_notices);
    ASSERT_TRUE(same(fast, general)) << "round " << round << ": " << text;
    ASSERT_EQ(fast_notices.size(), general_notices.size()) << "round " << round;
    if (fast.ok()) rows += fast.value().row_count();
    // (Each window read again keeping a row's first 1-3 cells, as the first pass reads it.)
    const testing::WindowedRead windows =
        testing::ReadInWindows(text, dialect, limits, random() % 64 + 1, 1 + round % 3);
    EXPECT_TRUE(windows.kept_read_alike) << "round " << round << ": " << text;
    rows_kept_short += windows.rows_kept_short;
    if (general.ok()) {
      ASSERT_FALSE(windows.error) << "round " << round << ": " << text;
      EXPECT_EQ(windows.rows, testing::RowsOf(general.value())) << "round " << round << ": " << text;
    } else {
      ASSERT_TRUE(windows.error) << "round " << round << ": " << text;
      EXPECT_EQ(windows.error->code, general.error().code) << "round " << round << ": " << text;
      EXPECT_EQ(windows.error->offset, general.error().offset) << "round " << round << ": " << text;
    }
  }
  EXPECT_GT(rows, 20000u);  // (rows enough for both paths)
  EXPECT_GT(rows_kept_short, 500u);  // (and rows read keeping their first cells)
}

// The first pass keeps a row's first cells (ReadDelimitedWindow's `keep`):
// long texts of records whose later fields are of every kind, quotes falling
// anywhere in the 64-byte blocks, read in windows of a few kilobytes, give
// the rows, their widths and their content a whole read gives; most rows are
// kept short.
TEST_P(DelimitedReaderTest, RowsKeptShortReadAsWholeRows) {
  std::mt19937 random(20261201);
  size_t rows_kept_short = 0, rows = 0;
  for (int round = 0; round < 60; ++round) {
    const char delimiter = round % 3 == 0 ? ';' : ',';
    auto letters = [&](size_t most) { return Letters(random, most); };
    std::string text;
    for (int record = 0; record < 400; ++record) {
      const int columns = 1 + static_cast<int>(random() % 12);
      for (int column = 0; column < columns; ++column) {
        if (column > 0) text.push_back(delimiter);
        const unsigned kind = random() % 40;
        if (column == 0 && kind < 3) continue;  // an empty first cell
        if (column == 0 && kind < 5) {
          text += kind == 3 ? " x" : "\xc3\xa9t\xc3\xa9";  // no sure content: read whole
          continue;
        }
        if (kind < 24) text += letters(30);
        else if (kind < 30) text += "\"" + letters(20) + std::string(1, delimiter) + letters(20) + "\"";
        else if (kind == 30) text += "\"" + letters(5) + "\n" + letters(5) + "\"";
        else if (kind == 31) text += "\"" + letters(5) + "\"\"" + letters(5) + "\"";
        else if (kind == 32) text += " \"" + letters(5) + "\"";
        else if (kind == 33) text += "\"" + letters(5) + "\" ";
        else if (kind == 34) text += letters(3) + "\"" + letters(3);
        else if (kind == 35) text += "\"" + letters(4) + "\"" + letters(2);
        else if (kind == 36) text += "\"\"";
        else if (kind == 37) text += std::string(random() % 90, 'q');
        else if (kind == 38) text += "\"" + letters(random() % 70) + "\"" + letters(2) + "\"" + letters(2);
      }
      const unsigned end = random() % 10;
      text += end < 7 ? "\n" : end < 9 ? "\r\n" : "\n\n";
    }
    const CsvDialect dialect{delimiter, '"'};
    std::vector<Notice> notices;
    const Result<Table> whole = ReadDelimited(text, dialect, ReadLimits{}, &notices);
    ASSERT_TRUE(whole.ok());
    rows += whole.value().row_count();
    for (size_t keep : {size_t{1}, size_t{2}, size_t{5}}) {
      const testing::WindowedRead windows = testing::ReadInWindows(text, dialect, ReadLimits{}, 1000 + random() % 5000, keep);
      EXPECT_TRUE(windows.kept_read_alike) << "round " << round << ", keep " << keep;
      EXPECT_EQ(windows.rows, testing::RowsOf(whole.value())) << "round " << round;
      rows_kept_short += windows.rows_kept_short;
    }
  }
  EXPECT_GT(rows_kept_short, rows / 2);  // (19,603 of 25,882 rows x 3 reads when written)
}

// A long text of fields of every kind, its quotes, CRs and LFs falling at
// every place in the 64-byte blocks (a closing quote last in a block, a CRLF
// split between two), past the row where the reader makes room for the whole
// file: the fast path reads it as the general path does, whole and kept short.
TEST_P(DelimitedReaderTest, LongTextsReadAsTheGeneralPathReadsThem) {
  std::mt19937 random(20261201);
  for (const char delimiter : {',', '\t'}) {
    auto letters = [&](size_t most) { return Letters(random, most); };
    std::string text;
    for (int record = 0; record < 30000; ++record) {
      for (int column = random() % 6; column >= 0; --column) {
        const unsigned kind = random() % 30;
        if (kind < 16) text += letters(14);
        else if (kind < 22) text += "\"" + letters(10) + "\"";
        else if (kind == 22) text += "\"" + letters(4) + std::string(1, delimiter) + letters(4) + "\r\n" + "\"";
        else if (kind == 23) text += "\"" + letters(4) + "\"\"" + letters(4) + "\"";
        else if (kind == 24) text += "\"\"";
        else if (kind == 25) text += letters(3) + "\"" + letters(3);
        else if (kind == 26) text += "\"" + letters(3) + "\"" + letters(3);
        else text += std::string(random() % 70, 'z');
        if (column > 0) text.push_back(delimiter);
      }
      const unsigned end = random() % 20;
      text += end < 12 ? "\n" : end < 18 ? "\r\n" : end < 19 ? "\r" : "\n\n";
    }
    const CsvDialect dialect{delimiter, '"'};
    std::vector<Notice> notices;
    const Result<Table> fast = ReadDelimited(text, dialect, ReadLimits{}, &notices);
    const Result<Table> general = ReadDelimitedGeneral(text, dialect, ReadLimits{}, &notices);
    ASSERT_TRUE(fast.ok() && general.ok());
    const std::vector<std::vector<std::string>> rows = testing::RowsOf(general.value());
    ASSERT_GT(rows.size(), 30000u);
    EXPECT_EQ(testing::RowsOf(fast.value()), rows);
    const testing::WindowedRead windows = testing::ReadInWindows(text, dialect, ReadLimits{}, 200000, 2);
    EXPECT_TRUE(windows.kept_read_alike);
    EXPECT_EQ(windows.rows, rows);
  }
}

// Cells of 32 KB and more (a table keeps their length apart) are read by the
// general path: the same rows, plain or quoted, around that length.
TEST_P(DelimitedReaderTest, LongCellsReadAsTheGeneralPathReadsThem) {
  ReadLimits limits;
  limits.max_cell_bytes = 1 << 20;
  const CsvDialect dialect{',', '"'};
  for (size_t length : {size_t{32766}, size_t{32767}, size_t{32768}, size_t{40000}}) {
    const std::string cell(length, 'x');
    const std::string text = "a,b,c\n1," + cell + ",3\n\"" + cell + "\",y,z\nlast,row," + cell + "\n";
    std::vector<Notice> notices;
    const Result<Table> fast = ReadDelimited(text, dialect, limits, &notices);
    const Result<Table> general = ReadDelimitedGeneral(text, dialect, limits, &notices);
    ASSERT_TRUE(fast.ok() && general.ok()) << length;
    EXPECT_EQ(testing::RowsOf(fast.value()), testing::RowsOf(general.value())) << length;
    EXPECT_EQ(fast.value().cell(2, 0).size(), length);
  }
}

}  // namespace
}  // namespace sluice
