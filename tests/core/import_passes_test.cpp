// ImportPasses: a source given in pieces, once per pass, imports exactly as
// RunImport with streams imports it whole: every case of tests/data/import,
// files of several windows (byte order mark, CRLF, quoted line breaks,
// duplicates far apart, a late wider row, maxRecords), the inputs it reads
// whole (and the pass that does so after invalid UTF-8), and a source that
// changes between passes.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lanes.h"
#include "sluice/import.h"
#include "test_support.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Slurp;

struct Output {
  ImportResult result;
  std::string json, ndjson, csv;
  size_t passes = 0;
};

std::vector<RowStream> StreamsInto(Output* out) {
  return {
      {RowFormat::kJson, [out](std::string_view chunk) { out->json.append(chunk); }},
      {RowFormat::kNdjson, [out](std::string_view chunk) { out->ndjson.append(chunk); }},
      {RowFormat::kCsv, [out](std::string_view chunk) { out->csv.append(chunk); }},
  };
}

// The source in pieces of `piece` bytes, pass after pass (`later_piece`
// bytes in the passes after the first, if not 0); `source(pass)` gives each
// pass's bytes (the same, unless a test changes them).
template <typename Source>
Output RunPasses(Source source, const Schema& schema, const ImportOptions& options, size_t first_piece,
                 uint64_t size_hint, size_t later_piece = 0) {
  Output out{RunImport("", schema), "", "", "", 0};
  ImportPasses passes(schema, options, StreamsInto(&out), size_hint);
  bool again = true;
  while (again) {
    ++out.passes;
    EXPECT_EQ(passes.pass(), out.passes);
    const std::string bytes = source(out.passes);
    const size_t piece = out.passes > 1 && later_piece > 0 ? later_piece : first_piece;
    for (size_t at = 0; at < bytes.size(); at += piece) {
      const std::string_view part = std::string_view(bytes).substr(at, piece);
      if (piece % 2 == 0) {
        passes.Feed(part);
      } else {  // odd pieces through Room and Fed, with more room than is written
        std::memcpy(passes.Room(part.size() + 5), part.data(), part.size());
        passes.Fed(part.size());
      }
    }
    again = passes.EndPass();
    if (out.passes > 4) break;
  }
  out.result = passes.Take();
  return out;
}

Output RunWhole(const std::string& bytes, const Schema& schema, const ImportOptions& options) {
  Output out{RunImport("", schema), "", "", "", 1};
  out.result = RunImport(std::string_view(bytes), schema, options, StreamsInto(&out));
  return out;
}

// The passes' streams and result equal RunImport's; the passes made, for the caller to check.
size_t ExpectSameAsWhole(const std::string& bytes, const Schema& schema, const ImportOptions& options, size_t piece) {
  SCOPED_TRACE("pieces of " + std::to_string(piece));
  Output whole = RunWhole(bytes, schema, options);
  // The size unsaid: a size under ImportPasses::kWholeBelow would read the source whole.
  Output passes = RunPasses([&](size_t) { return bytes; }, schema, options, piece, 0);
  EXPECT_EQ(passes.json, whole.json);
  EXPECT_EQ(passes.ndjson, whole.ndjson);
  EXPECT_EQ(passes.csv, whole.csv);
  EXPECT_EQ(passes.result.Metadata(SIZE_MAX), whole.result.Metadata(SIZE_MAX));
  EXPECT_EQ(passes.result.OutcomeJson(), whole.result.OutcomeJson());
  EXPECT_EQ(passes.result.rows_with_error(), whole.result.rows_with_error());
  EXPECT_EQ(passes.result.data_rows(), whole.result.data_rows());
  return passes.passes;
}

Schema Load(const std::string& text) {
  SchemaLoad load = LoadSchema(text);
  EXPECT_TRUE(load.schema.has_value()) << SchemaProblemsToJson(load.problems);
  return load.schema ? *load.schema : Schema();
}

TEST(ImportPassesTest, EveryCaseAsRunImport) {
  for (const fs::path& folder : testing::CaseFolders("import")) {
    SCOPED_TRACE(folder.filename().string());
    Schema schema = Load(Slurp(folder / "schema.json"));
    ImportOptions options;
    if (fs::exists(folder / "mapping.json")) {
      json mapping = json::parse(Slurp(folder / "mapping.json"));
      for (auto it = mapping.begin(); it != mapping.end(); ++it) options.mapping[it.key()] = it.value().get<std::string>();
    }
    const std::string input = testing::CaseInput(folder);
    for (size_t piece : {size_t{1}, size_t{997}, input.size() + 1}) ExpectSameAsWhole(input, schema, options, piece);
  }
}

const char* kSchema = R"({"fields": [
    {"key": "id", "label": "Id", "type": "number", "validators": [{"validate": "unique"}, {"validate": "required"}]},
    {"key": "email", "label": "Email", "type": "email", "validators": [{"validate": "unique_case_insensitive"}]},
    {"key": "first", "label": "First", "validators": [{"validate": "unique_with", "uniqueKey": "name"}]},
    {"key": "last", "label": "Last", "validators": [{"validate": "unique_with", "uniqueKey": "name"}]},
    {"key": "joined", "label": "Joined", "type": "date"},
    {"key": "plan", "label": "Plan", "type": "select", "selectOptions": [{"label": "Free", "value": "free"}, {"label": "Pro", "value": "pro"}]},
    {"key": "note", "label": "Note"}
  ], "settings": {"invalidDataBehavior": "INCLUDE_INVALID_ROWS", "passThroughUnmappedColumns": true%s}})";

std::string SchemaWith(const std::string& settings) {
  std::string text = kSchema;
  text.replace(text.find("%s"), 2, settings);
  return text;
}

// A file of `rows` rows over several windows: a byte order mark, CRLF, quoted
// line breaks and doubled quotes, blank lines, ids repeating far apart (some
// as "7.0"), emails differing in case, dates (day first, settled by a late
// value when `late_dates`), a row wider than all others near the end.
std::string BigFile(size_t rows, bool late_dates) {
  std::string csv = "\xEF\xBB\xBF" "Report of members\r\n\r\nId,Email,First,Last,Joined,Plan,Note\r\n";
  for (size_t i = 0; i < rows; ++i) {
    const size_t id = i % 1009 == 17 ? i - 17 * 1000 % (i + 1) : i;
    csv += i % 97 == 0 ? std::to_string(id) + ".0," : std::to_string(id) + ",";
    csv += std::string(i % 89 == 0 ? "USER" : "user") + std::to_string(i % 40000) + "@example.com,";
    csv += "F" + std::to_string(i % 13) + ",L" + std::to_string(i % 17) + ",";
    if (late_dates) {
      csv += i + 50 > rows ? "25/12/2020," : (i < 100 || i % 500 == 0) ? "03/04/2021," : ",";
    } else {
      csv += std::to_string(1 + i % 28) + "/0" + std::to_string(1 + i % 9) + "/2021,";
    }
    csv += i % 3 == 0 ? "Pro," : i % 3 == 1 ? "free," : "gold,";
    if (i % 50 == 0) {
      csv += "\"line one\r\nline \"\"two\"\", with comma\"";
    } else {
      csv += "note " + std::to_string(i);
    }
    if (i + 3 == rows) csv += ",extra,cells";
    csv += "\r\n";
    if (i % 1000 == 999) csv += "\r\n";
  }
  return csv + "\r\n\r\n";
}

TEST(ImportPassesTest, LargeFilesAcrossWindows) {
  Schema schema = Load(SchemaWith(""));
  const std::string csv = BigFile(60000, false);
  ASSERT_GT(csv.size(), 3u << 20);
  for (size_t piece : {size_t{1} << 20, size_t{65536 + 7}, size_t{333333}}) {
    // The unique keys are taken in the first pass: two passes.
    EXPECT_EQ(ExpectSameAsWhole(csv, schema, ImportOptions(), piece), 2u);
  }
  // Day-first dates that only the last rows reveal (the samples settle at
  // the end, after the head's mapping); rows past maxRecords dropped.
  EXPECT_EQ(ExpectSameAsWhole(BigFile(60000, true), schema, ImportOptions(), 1 << 20), 2u);
  Schema capped = Load(SchemaWith(R"(, "maxRecords": 50000)"));
  EXPECT_EQ(ExpectSameAsWhole(csv, capped, ImportOptions(), 1 << 20), 2u);
}

// Worker threads (ImportOptions::threads) take the unique keys while the
// next window is read, and check and write the windows of the last pass:
// the same bytes, messages and counts as one thread, and the
// same progress reports (but those within a window); with the first rows invalid and removed (the first
// row written comes from a later window, so a later lane; no ids in the
// head, so three passes), $errors written row by row with maxRecords.
TEST(ImportPassesTest, WorkerThreadsWriteWhatOneThreadWrites) {
  Schema schema = Load(SchemaWith(""));
  Schema removing = Load(R"({"fields": [
      {"key": "id", "label": "Id", "type": "number", "validators": [{"validate": "unique"}, {"validate": "required"}]},
      {"key": "email", "label": "Email", "type": "email"}, {"key": "note", "label": "Note"}]})");
  Schema with_errors = Load(SchemaWith(R"(, "maxRecords": 50000, "invalidDataBehavior": "INCLUDE_INVALID_ROWS_AND_VALUES")"));
  const std::string big = BigFile(60000, false);
  std::string invalid_first = "Id,Email,Note\n";
  for (size_t i = 0; i < 120000; ++i) {
    // The first 30,000 rows (4 MB: the first windows) have no id, the rest repeat some.
    invalid_first += (i < 30000 ? std::string() : std::to_string(i % 70000)) + ",user" + std::to_string(i) + "@example.com," +
                     (i < 30000 ? std::string(100, 'n') : "n" + std::to_string(i)) + "\n";
  }
  struct Case {
    const std::string* csv;
    const Schema* schema;
    size_t passes;
  };
  for (const Case& c : {Case{&big, &schema, 2}, Case{&invalid_first, &removing, 3}, Case{&big, &with_errors, 2}}) {
    std::vector<size_t> reports[2];
    for (size_t threads : {size_t{0}, size_t{1}, size_t{2}, size_t{3}}) {
      SCOPED_TRACE(std::to_string(threads) + " threads");
      ImportOptions options;
      options.threads = threads;
      std::vector<size_t>* checked = &reports[threads == 0 ? 0 : 1];
      checked->clear();
      std::vector<ImportProgress> all;  // (every report: "read" first, with the rows; `done` never back)
      options.progress = [checked, &all](const ImportProgress& p) {
        if (std::string_view(p.stage) == "check") checked->push_back(p.done);
        all.push_back(p);
      };
      EXPECT_EQ(ExpectSameAsWhole(*c.csv, *c.schema, options, 1 << 20), c.passes);
      // (Two imports: the whole one, then the passes; each ends with "done".)
      ASSERT_FALSE(all.empty());
      for (size_t k = 0; k < all.size(); ++k) {
        const bool first = k == 0 || std::string_view(all[k - 1].stage) == "done";
        if (first) {
          EXPECT_EQ(std::string_view(all[k].stage), "read") << "report " << k;
          EXPECT_GT(all[k].rows, 0u) << "report " << k;
        } else {
          EXPECT_GE(all[k].done, all[k - 1].done) << "report " << k << ": " << all[k].stage;
        }
      }
      // The same reports, but those one thread makes within a window of
      // more than 65,536 rows (a lane reports each window as it is written).
      if (threads > 0) {
        size_t k = 0;
        for (size_t done : reports[0]) k += k < reports[1].size() && reports[1][k] == done;
        EXPECT_EQ(k, reports[1].size());
        EXPECT_GT(reports[1].size() * 2, reports[0].size());
      }
    }
    EXPECT_GT(reports[0].size(), 4u);
  }
}

// A lane whose thread cannot start (no memory, a process limit) works on the
// import's own thread: the same output, and the process goes on.
TEST(ImportPassesTest, LanesWhoseThreadsCannotStartWorkOnTheImportsThread) {
  Schema schema = Load(SchemaWith(""));
  ImportOptions options;
  options.threads = 3;
  FailThreadStartsForTesting(true);
  EXPECT_EQ(ExpectSameAsWhole(BigFile(60000, false), schema, options, 1 << 20), 2u);
  FailThreadStartsForTesting(false);
}

// A later pass reads each of the first pass's windows again on its own (on
// a lane, with threads): windows that end on a CR line end (CR-only files), after
// runs of blank lines (carried into the next window), or before a record the
// window's end cut after blank lines read as the whole file reads.
TEST(ImportPassesTest, WindowsEndingAtLineEndsAndBlankLinesReadAgainAlike) {
  Schema schema = Load(SchemaWith(""));
  std::string csv = "Id,Email,First,Last,Joined,Plan,Note\r";
  for (size_t i = 0; i < 50000; ++i) {
    csv += std::to_string(i) + ",u" + std::to_string(i) + "@example.com,F,L,01/02/2021,Pro,";
    csv += i % 7 == 0 ? "\"quoted\rline\"" : "note " + std::to_string(i);
    csv += "\r";
    if (i % 10 < 3) csv += std::string(1 + i % 5, '\r');  // blank lines, many windows end among them
  }
  for (size_t threads : {size_t{0}, size_t{2}}) {
    ImportOptions options;
    options.threads = threads;
    for (size_t piece : {size_t{1} << 20, size_t{65536 + 1}, size_t{100000}}) {
      EXPECT_EQ(ExpectSameAsWhole(csv, schema, options, piece), 2u);
    }
  }
}

// A later pass takes its pieces as they come, not as the first pass's
// windows fell: every window in one piece, or pieces that cut them anywhere.
TEST(ImportPassesTest, LaterPassesTakeAnyPieces) {
  Schema schema = Load(SchemaWith(""));
  const std::string csv = BigFile(40000, false);
  Output whole = RunWhole(csv, schema, ImportOptions());
  for (size_t threads : {size_t{0}, size_t{2}}) {
    ImportOptions options;
    options.threads = threads;
    for (size_t later : {csv.size() + 1, size_t{4097}, size_t{1 << 20} + 1}) {
      SCOPED_TRACE(std::to_string(threads) + " threads, later pieces of " + std::to_string(later));
      Output passes = RunPasses([&](size_t) { return csv; }, schema, options, 65536, 0, later);
      EXPECT_EQ(passes.passes, 2u);
      EXPECT_EQ(passes.json, whole.json);
      EXPECT_EQ(passes.csv, whole.csv);
      EXPECT_EQ(passes.result.Metadata(SIZE_MAX), whole.result.Metadata(SIZE_MAX));
    }
  }
}

TEST(ImportPassesTest, ARecordLongerThanAWindowIsReadWhole) {
  // A 3 MB quoted cell with line breaks (maxCellBytes raised), past the head:
  // windows wait for twice the bytes until the record ends, then read on.
  Schema schema = Load(SchemaWith(""));
  ImportOptions options;
  options.read.limits.max_cell_bytes = 8 << 20;
  std::string csv = BigFile(20000, false);
  std::string cell = "\"";
  for (int i = 0; i < 140000; ++i) cell += "line " + std::to_string(i) + ", \"\"quoted\"\"\r\n";
  cell += "\"";
  ASSERT_GT(cell.size(), 3u << 20);
  csv += "99999999,long@example.com,F,L,01/02/2021,Pro," + cell + "\r\n" + BigFile(20000, false).substr(100);
  for (size_t piece : {size_t{1} << 20, size_t{65536}}) EXPECT_EQ(ExpectSameAsWhole(csv, schema, options, piece), 2u);
  // With the default limit, the same error (code, offset in the text) as a whole read.
  Output whole = RunWhole(csv, schema, ImportOptions());
  Output passes = RunPasses([&](size_t) { return csv; }, schema, ImportOptions(), 1 << 20, 0);
  ASSERT_EQ(whole.result.outcome(), Outcome::kFailed);
  EXPECT_EQ(passes.result.OutcomeJson(), whole.result.OutcomeJson());
  EXPECT_EQ(passes.passes, 1u);
}

TEST(ImportPassesTest, UniqueColumnUnsettledInTheHeadTakesAPassOfItsOwn) {
  // The unique column is empty in the head: its samples (and so its coercer)
  // are not known when the first pass begins taking keys.
  Schema schema = Load(R"({"fields": [
      {"key": "code", "label": "Code", "type": "number", "validators": [{"validate": "unique"}]},
      {"key": "name", "label": "Name"}]})");
  std::string csv = "Code,Name\n";
  for (size_t i = 0; i < 300000; ++i) csv += (i > 250000 && i % 7 == 0 ? std::to_string(i % 5000) : "") + ",name " + std::to_string(i) + "\n";
  ASSERT_GT(csv.size(), 3u << 20);
  EXPECT_EQ(ExpectSameAsWhole(csv, schema, ImportOptions(), 1 << 20), 3u);
  EXPECT_EQ(ExpectSameAsWhole(csv, schema, ImportOptions(), 100003), 3u);
  ImportOptions threads;  // the keys taken, and the rows written, on worker threads
  threads.threads = 2;
  EXPECT_EQ(ExpectSameAsWhole(csv, schema, threads, 100003), 3u);
}

// The first pass takes a window's keys from its cells when every cell is its
// own key (plain numbers in their shortest text, in error or not: below the
// minimum, not whole), else from the coerced values (a window with "5.0" or
// "0007", plain but not their shortest text; one with "1e1", "1,000"): keys
// taken either way meet.
TEST(ImportPassesTest, KeysTakenFromCellsMeetKeysTakenFromValues) {
  Schema schema = Load(R"({"fields": [
      {"key": "id", "label": "Id", "type": ["number", {"min": 3, "preset": "integer"}],
       "validators": [{"validate": "unique"}]},
      {"key": "name", "label": "Name"}]})");
  std::string csv = "Id,Name\n";
  for (size_t i = 0; i < 200000; ++i) {
    const std::string id = i == 500 ? "5.0" : i == 600 ? "0007" : i % 1000 == 1 ? "2.5" : i % 1000 == 2 ? "-4" : std::to_string(i);
    csv += id + ",name " + std::to_string(i) + "\n";
  }
  // The last window: the same numbers written otherwise, and as written.
  csv += "1e1,c\n\"1,000\",d\n2.5,e\n-4,f\n199999,h\n";
  ASSERT_GT(csv.size(), 3u << 20);
  EXPECT_EQ(ExpectSameAsWhole(csv, schema, ImportOptions(), 1 << 20), 2u);
  ImportOptions threads;  // the keys taken on a worker thread
  threads.threads = 2;
  EXPECT_EQ(ExpectSameAsWhole(csv, schema, threads, 100003), 2u);
  const Output passes = RunPasses([&](size_t) { return csv; }, schema, ImportOptions(), 1 << 20, 0);
  for (const char* id : {"5.0", "0007", "1e1", "1,000", "2.5", "-4", "199999"}) {
    EXPECT_NE(passes.result.Metadata(SIZE_MAX).find("'" + std::string(id) + "' appears in "), std::string::npos) << id;
  }
}

TEST(ImportPassesTest, ColumnsOnlyLateRowsHoldGetTheirSamples) {
  // Once every column has its samples, the first pass keeps a row's first
  // cells only (its keys', its content's): a later row wider than every
  // data row before is read whole again, so that its new columns' samples
  // are taken. Here they decide the dates' order (day first: 25/12/2020).
  Schema schema = Load(R"({"fields": [
      {"key": "id", "label": "Id", "type": "number", "validators": [{"validate": "unique"}]},
      {"key": "name", "label": "Name"},
      {"key": "joined", "label": "Joined", "type": "date"}],
      "settings": {"invalidDataBehavior": "INCLUDE_INVALID_ROWS"}})");
  std::string csv = "Id,Name,Joined\n";
  for (size_t i = 0; i < 200000; ++i) {
    csv += std::to_string(i % 150000) + ",name " + std::to_string(i);
    if (i >= 199000) csv += "," + std::to_string(1 + i % 12) + "/" + std::to_string(13 + i % 15) + "/2020";
    csv += "\n";
  }
  ASSERT_GT(csv.size(), 3u << 20);
  EXPECT_EQ(ExpectSameAsWhole(csv, schema, ImportOptions(), 1 << 20), 2u);
  ImportOptions threads;
  threads.threads = 2;
  EXPECT_EQ(ExpectSameAsWhole(csv, schema, threads, 100003), 2u);
}

TEST(ImportPassesTest, InputsReadWholeInTheFirstPass) {
  Schema schema = Load(SchemaWith(""));
  // JSON, UTF-16, Windows-1252 in the head, and XLSX: one pass, RunImport's result.
  std::vector<std::string> inputs = {
      R"([{"Id": 1, "Email": "a@b.co"}, {"Id": 1, "Email": "c@d.co"}])",
      std::string("\xFF\xFE" "I\0d\0,\0N\0o\0t\0e\0\n\0" "1\0,\0x\0\n\0", 22),
      "Id,Note\n1,caf\xE9\n2,ok\n",
  };
  for (const fs::path& folder : testing::CaseFolders("import")) {
    const std::string input = testing::CaseInput(folder);
    if (input.size() > 4 && input.compare(0, 4, "PK\x03\x04") == 0) {
      inputs.push_back(input);
      break;
    }
  }
  ASSERT_EQ(inputs.size(), 4u);
  for (const std::string& input : inputs) {
    for (size_t piece : {size_t{1}, size_t{4096}}) EXPECT_EQ(ExpectSameAsWhole(input, schema, ImportOptions(), piece), 1u);
    EXPECT_FALSE(ImportPasses::ReadsInPasses(input, ImportOptions()));  // (what a caller holding it asks)
  }
  // A review or hook edits: read whole too.
  ImportOptions reviewed;
  reviewed.review = ReviewChanges();
  reviewed.review->removed_rows = {0};
  EXPECT_EQ(ExpectSameAsWhole(BigFile(20000, false), schema, reviewed, 1 << 20), 1u);
  EXPECT_FALSE(ImportPasses::ReadsInPasses(BigFile(20000, false), reviewed));
  EXPECT_TRUE(ImportPasses::ReadsInPasses(BigFile(20000, false), ImportOptions()));
}

TEST(ImportPassesTest, InvalidUtf8PastTheHeadIsReadWholeInTheNextPass) {
  Schema schema = Load(SchemaWith(""));
  std::string csv = BigFile(40000, false);
  csv.insert(csv.size() - 100, "caf\xE9 ");
  EXPECT_EQ(ExpectSameAsWhole(csv, schema, ImportOptions(), 65536), 2u);
  ImportOptions threads;  // (the keys were being taken on a worker thread: it is stopped first)
  threads.threads = 2;
  EXPECT_EQ(ExpectSameAsWhole(csv, schema, threads, 65536), 2u);
  // A character cut by every piece's end is not taken for invalid.
  std::string accents = "Id,Note\n";
  for (int i = 0; i < 40000; ++i) accents += std::to_string(i) + ",d\xC3\xA9j\xC3\xA0 vu \xE2\x82\xAC \xF0\x9F\x98\x80\n";
  for (size_t piece : {size_t{1} << 20, size_t{65537}, size_t{65538}, size_t{65539}}) {
    EXPECT_EQ(ExpectSameAsWhole(accents, schema, ImportOptions(), piece), 2u);
  }
}

TEST(ImportPassesTest, ASourceThatChangesBetweenPassesFails) {
  Schema schema = Load(SchemaWith(""));
  const std::string csv = BigFile(30000, false);
  auto expect_changed = [&](std::string second, const char* says = "") {
    for (size_t threads : {size_t{0}, size_t{2}}) {  // (with worker threads, those at work are stopped)
      ImportOptions options;
      options.threads = threads;
      Output out = RunPasses([&](size_t pass) { return pass == 1 ? csv : second; }, schema, options, 1 << 20, 0);
      EXPECT_EQ(out.result.outcome(), Outcome::kFailed);
      ASSERT_EQ(out.result.reasons().size(), 1u);
      EXPECT_EQ(out.result.reasons()[0].code, "file_changed") << out.result.reasons()[0].message;
      // (With lanes, a window's own check may come after the bytes' at the end.)
      if (threads == 0) {
        EXPECT_NE(out.result.reasons()[0].message.find(says), std::string::npos) << out.result.reasons()[0].message;
      }
    }
  };
  expect_changed(csv.substr(0, csv.size() - 1000));            // shorter
  std::string rows = csv;
  const size_t note = rows.find(",note ", rows.size() / 2) + 1;  // as long, another row count
  rows[note] = '\n';
  rows[note + 1] = '\n';
  expect_changed(rows, "rows");                                // (found in its window)
  std::string invalid = csv;
  invalid[invalid.size() / 2] = '\xFF';                        // no longer UTF-8
  expect_changed(invalid, "UTF-8");
  expect_changed(csv.substr(3));                               // the byte order mark gone
  std::string edited = csv;
  edited[edited.size() / 3] = edited[edited.size() / 3] == '7' ? '8' : '7';  // a cell edited: same size, same rows
  expect_changed(edited);
}

TEST(ImportPassesTest, ASourceKnownToBeSmallIsReadWholeInOnePass) {
  Schema schema = Load(SchemaWith(""));
  const std::string csv = BigFile(30000, false);
  Output whole = RunWhole(csv, schema, ImportOptions());
  Output known = RunPasses([&](size_t) { return csv; }, schema, ImportOptions(), 1 << 20, csv.size());
  EXPECT_EQ(known.passes, 1u);
  EXPECT_EQ(known.json, whole.json);
  EXPECT_EQ(known.result.Metadata(SIZE_MAX), whole.result.Metadata(SIZE_MAX));
  Output large = RunPasses([&](size_t) { return csv; }, schema, ImportOptions(), 1 << 20, ImportPasses::kWholeBelow);
  EXPECT_EQ(large.passes, 2u);
  EXPECT_EQ(large.json, whole.json);
}

TEST(ImportPassesTest, EmptyAndHeaderOnlySources) {
  Schema schema = Load(SchemaWith(""));
  Schema empty_ok = Load(SchemaWith(R"(, "allowEmptySubmit": true)"));
  for (const std::string& input : {std::string(), std::string("\xEF\xBB\xBF"), std::string("\n\n\n"), std::string(",,\n,\n"),
                                  std::string("Id,Email\n"), std::string("Id,Email\n\n\n")}) {
    ExpectSameAsWhole(input, schema, ImportOptions(), 1);
    ExpectSameAsWhole(input, empty_ok, ImportOptions(), 1);
  }
}

// The worker threads' hand-offs, at sizes a ThreadSanitizer build runs in
// seconds (`make test-threads` runs this suite so; a data race fails it):
// more windows than lanes, so each lane and its storage take window after
// window; the keys on a lane in the first pass, or in a pass of their own;
// lanes stopped with windows in flight when a window is not the first
// pass's. (Few cells a megabyte: the sanitizer's cost is per access.)
Schema KeysAndNotes() {
  return Load(R"({"fields": [
      {"key": "id", "label": "Id", "type": "number", "validators": [{"validate": "unique"}]},
      {"key": "note", "label": "Note"}], "settings": {"invalidDataBehavior": "INCLUDE_INVALID_ROWS"}})");
}

// `rows` rows of about 120 bytes: ids repeating far apart (none in the
// first `blank_ids` rows), notes with quoted line breaks now and then.
std::string KeysAndNotesFile(size_t rows, size_t blank_ids = 0) {
  std::string csv = "Id,Note\n";
  const std::string filler(100, 'n');
  for (size_t i = 0; i < rows; ++i) {
    if (i >= blank_ids) csv += std::to_string(i % 4999 == 0 ? 7 : i);
    csv += i % 101 == 0 ? ",\"a line\nand \"\"more\"\"\"\n" : "," + filler + std::to_string(i) + "\n";
  }
  return csv;
}

TEST(ImportPassesThreadsTest, LanesTakeWindowAfterWindow) {
  const std::string csv = KeysAndNotesFile(60000);
  ASSERT_GT(csv.size(), 6u << 20);  // (more windows than 3 threads' 6 lanes)
  for (size_t threads : {size_t{1}, size_t{3}}) {
    SCOPED_TRACE(std::to_string(threads) + " threads");
    ImportOptions options;
    options.threads = threads;
    EXPECT_EQ(ExpectSameAsWhole(csv, KeysAndNotes(), options, threads == 1 ? 333333 : 1 << 20), 2u);
  }
}

TEST(ImportPassesThreadsTest, KeysInAPassOfTheirOwn) {
  const std::string csv = KeysAndNotesFile(40000, 20000);  // (no id in the head: the keys wait for the mapping)
  ImportOptions options;
  options.threads = 2;
  EXPECT_EQ(ExpectSameAsWhole(csv, KeysAndNotes(), options, 1 << 20), 3u);
}

TEST(ImportPassesThreadsTest, LanesStoppedWithWindowsInFlight) {
  const std::string csv = KeysAndNotesFile(40000);
  std::string rows = csv;  // as long, another row count in a middle window
  const size_t note = rows.find(",nnn", rows.size() / 2) + 1;
  rows[note] = '\n';
  for (size_t threads : {size_t{1}, size_t{3}}) {
    ImportOptions options;
    options.threads = threads;
    Output out = RunPasses([&](size_t pass) { return pass == 1 ? csv : rows; }, KeysAndNotes(), options, 1 << 20, 0);
    EXPECT_EQ(out.result.outcome(), Outcome::kFailed);
    ASSERT_EQ(out.result.reasons().size(), 1u);
    EXPECT_EQ(out.result.reasons()[0].code, "file_changed");
  }
}

}  // namespace
}  // namespace sluice
