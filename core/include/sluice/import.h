// Import: a file and a schema in, cleaned rows, per-cell messages and an
// outcome out (pipeline stages 1-8). The one orchestrator the CLI, the npm
// package and the edge handler call; pure (bytes in, values out).
#ifndef SLUICE_IMPORT_H_
#define SLUICE_IMPORT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/read.h"
#include "sluice/schema.h"

namespace sluice {

enum class Outcome { kSuccessful, kNeedsReview, kFailed };
const char* OutcomeName(Outcome outcome);  //!< "SUCCESSFUL", "NEEDS_REVIEW", "FAILED"

//! Why an import needs review or failed: a stable code and a message.
struct OutcomeReason {
  OutcomeReason() = default;
  OutcomeReason(std::string code_, std::string message_, std::string field_key_ = "")
      : code(std::move(code_)), message(std::move(message_)), field_key(std::move(field_key_)) {}

  std::string code;
  std::string message;
  std::string field_key;  //!< for field_unmapped
  std::string hook;       //!< for hook_failed, hook_invalid_result: "rowHooks[0]"
  std::optional<size_t> row;  //!< the row a hook failed on
};

//! One file column mapped to one field, with why.
struct ColumnMatch {
  size_t column = 0;
  std::string header;      //!< the column's header text
  std::string field_key;
  double confidence = 0;   //!< in [0, 1]
  std::string reason;      //!< for people: "alternate match 'Surname'"
};

//! A message about one cell of the data.
struct CellMessage {
  size_t row = 0;          //!< data row index (0 = the first row under the header)
  std::string field_key;
  std::string code;
  Level level = Level::kError;
  std::string message;
  std::string value;       //!< the cell's text as read
};

//! A person's decisions in review (API.md "Review"), applied over the file
//! before the import runs again with the same schema. Rows are named by their
//! index among the data rows of the file read with `header_row` (blank rows
//! skipped, as the import counts them, before any removal); added rows follow,
//! numbered from the file's data row count. A row a person empties (or adds
//! and leaves empty) stays, with its messages, until it is removed.
struct ReviewChanges {
  struct CellEdit {
    size_t row = 0;
    std::string field_key;
    std::string value;  //!< the new text ("" empties the cell)
  };
  std::optional<size_t> header_row;  //!< the table row the person chose as header
  //! The person's mapping: file column -> field key; columns not named are
  //! unmapped. Unset: the columns are matched as in any import.
  std::optional<std::map<size_t, std::string>> columns;
  std::vector<CellEdit> edits;
  std::vector<size_t> removed_rows;
  std::vector<std::map<std::string, std::string>> added_rows;  //!< field key -> text
  //! Select fields: a file value (a whole cell, trimmed) -> the option value a
  //! person chose for it.
  std::map<std::string, std::map<std::string, std::string>> option_mappings;
};

//! ReviewChanges from JSON: {"headerRow", "mapping": {"<column>": "<field
//! key>" | null}, "edits": [{"rowIndex", "fieldKey", "value"}], "removedRows":
//! [row...], "addedRows": [{"<field key>": "<text>"}], "optionMappings":
//! {"<select field key>": {"<file value>": "<option value>"}}}, every key
//! optional. Field keys and option values must be the schema's. Errors:
//! `invalid_review` naming the path.
Result<ReviewChanges> ReviewChangesFromJson(std::string_view json, const Schema& schema);

//! Where a running import is, for progress bars: the stage ("read": the file
//! is read; "check": values are being checked, `done` of `total` cells;
//! "done"), the file's size, and the data rows found.
struct ImportProgress {
  const char* stage = "read";
  uint64_t bytes = 0;
  size_t rows = 0;
  size_t done = 0;
  size_t total = 0;
};

//! What the schema's hooks changed (hooks.h), applied over the file (after a
//! person's review) like edits: a new text is parsed and checked like any
//! edit; `select_options` replace the field's options for that cell; `info`
//! replaces the cell's messages once it is checked. Rows are named as in
//! ReviewChanges. Later entries win.
struct HookEdits {
  struct Info {
    std::string message;
    Level level = Level::kInfo;
  };
  struct Cell {
    size_t row = 0;
    std::string field_key;
    std::string hook;  //!< which hook, for messages: "rowHooks[0]"
    std::optional<std::string> value;
    std::optional<std::vector<Info>> info;
    std::optional<std::vector<SelectOption>> select_options;
  };
  std::vector<Cell> cells;
};

struct ImportOptions {
  ReadOptions read;        //!< the schema's delimiter and headerRowOverride are applied over these
  //! A mapping remembered from an earlier import: header text -> field key.
  //! It wins wherever its headers are present.
  std::map<std::string, std::string> mapping;
  //! Set: a person's review of this file, applied over it (header row,
  //! mapping, edits); rows or columns it names that the file lacks make the
  //! outcome NEEDS_REVIEW with the reason `review_out_of_range`.
  std::optional<ReviewChanges> review;
  //! What hooks changed, from earlier rounds (hooks.h).
  HookEdits hooks;
  //! Called as the import goes (a few dozen times per large file); may be empty.
  std::function<void(const ImportProgress&)> progress;
  //! Worker threads an import read in passes (ImportPasses) may check and
  //! write its rows on, a window each, besides the caller's thread, which
  //! reads them and hands the output on in order (the same bytes). 0: none.
  //! Builds without threads (WebAssembly) ignore it.
  size_t threads = 0;
};

enum class RowFormat { kJson, kNdjson, kCsv };

class ImportResult;

//! Runs the import. Never fails: an unreadable file is the FAILED outcome.
ImportResult RunImport(std::string bytes, const Schema& schema, const ImportOptions& options = {});

//! Where RunImport with streams writes the cleaned rows as they are checked.
struct RowStream {
  RowFormat format = RowFormat::kNdjson;
  //! Receives the rows' bytes in order, a chunk of rows at a time (the view
  //! lives until it returns).
  std::function<void(std::string_view)> write;
};

//! Runs the import writing its rows into `streams`, `chunk_rows` rows at a
//! time, instead of keeping them: only one chunk's values are in memory at
//! once (a schema with unique validators gets a first pass that keeps each
//! distinct key once), and delimited text that needs no decoding is read
//! where it lies (`bytes` is not copied; it must stay alive during the call).
//! Every stream receives exactly the bytes Rows(format) gives, except that a
//! FAILED import writes nothing; the result keeps no rows (Rows() is empty).
//! No hook rounds here (RunImportRound).
ImportResult RunImport(std::string_view bytes, const Schema& schema, const ImportOptions& options,
                       const std::vector<RowStream>& streams, size_t chunk_rows = 8192);

//! An import of a source given in pieces, once per pass, rather than held
//! whole: for delimited UTF-8 text (the common large file) memory holds a
//! window of the source, one chunk of rows and the unique keys, not the file.
//! The first pass finds the header, the rows, the samples and the mapping
//! (and, usually, the unique keys); the last checks the rows and writes them
//! to `streams` window by window; a third pass comes only when the unique
//! keys could not be taken during the first (their columns' samples were not
//! settled by the end of the first megabyte). Any other input (XLSX, JSON,
//! other encodings, invalid UTF-8, a review or hook edits in `options`) is
//! kept whole during the first pass and imported as RunImport with streams
//! imports it. The streams receive exactly what RunImport with streams
//! writes, and the result is the same, except that the file may exceed 4 GiB.
//! Use: do { Feed(piece)...; } while (EndPass()); then Take(). A source that
//! differs between passes (size, rows, bytes that are no longer UTF-8) is
//! the FAILED outcome `file_changed` (rows already written are then void).
class ImportPasses {
 public:
  //! A source whose size is known to be under this is held whole in the
  //! first pass (one pass: reading twice costs more than such a file's memory).
  static constexpr uint64_t kWholeBelow = 16 << 20;
  //! `size_hint`: the source's size, if known (0: unknown): room for the
  //! unique keys, and under kWholeBelow, one pass.
  ImportPasses(const Schema& schema, ImportOptions options, std::vector<RowStream> streams, uint64_t size_hint = 0);
  ~ImportPasses();
  //! Whether `source` (all of it) is read in passes rather than kept whole
  //! (delimited UTF-8 text, no review or hook edits in `options`): a caller
  //! holding a large source in memory gives it in pieces then, so that the
  //! import holds a window of it instead of a table of every row.
  static bool ReadsInPasses(std::string_view source, const ImportOptions& options);
  ImportPasses(const ImportPasses&) = delete;
  ImportPasses& operator=(const ImportPasses&) = delete;

  //! The source's next bytes in this pass.
  void Feed(std::string_view piece);
  //! Feed without a copy: room for the next `n` bytes, which the caller
  //! writes there (reading straight into it), then Fed(n) (n at most the room).
  char* Room(size_t n);
  void Fed(size_t n);
  //! The source's end in this pass. true: give it again, from its start.
  bool EndPass();
  //! How many passes have begun (1 during the first).
  size_t pass() const;
  //! The source cannot be given to its end (a read failed): the import is
  //! FAILED with this reason (EndPass then returns false).
  void Abandon(std::string code, std::string message) { Fail(std::move(code), std::move(message)); }
  //! The result, once EndPass returned false.
  ImportResult Take();

  struct Impl;

 private:
  // The steps (import_passes.cpp), members for ImportResult's friendship.
  void Start(bool last);
  void KeepWhole();
  void ReadWindow(bool last);
  bool TakeHead(bool last);
  bool TakeRows();  // true: the window went to a lane with the buffer it is in
  void ReadCuts();
  struct LaneWindow Window(std::string_view text, size_t begin, size_t end);
  struct MatchRequest Request() const;
  void StartEarlyIndex();
  void TakeKeys(const std::vector<ColumnMatch>& mapping, const std::vector<std::vector<std::string_view>>& samples,
                size_t rows);
  void EndStructure();
  void Finish();
  void Fail(std::string code, std::string message);
  std::unique_ptr<Impl> impl_;
};

class ImportResult {
 public:
  Outcome outcome() const { return outcome_; }
  const std::vector<OutcomeReason>& reasons() const { return reasons_; }
  const std::vector<ColumnMatch>& mapping() const { return mapping_; }
  const std::vector<CellMessage>& messages() const { return messages_; }
  size_t data_rows() const { return data_rows_; }
  size_t rows_with_error() const { return rows_with_error_; }
  size_t output_rows() const;

  //! The cleaned rows: a JSON array of objects keyed by field key (arrays for
  //! manyToOne), NDJSON, or CSV (cells starting with = + - @ neutralised).
  std::string Rows(RowFormat format) const;
  //! API.md's result_metadata: num_data_rows, rowsWithError, errors (at most
  //! `max_errors`, then errorsTruncated), fields, rawHeaders, detected.
  std::string Metadata(size_t max_errors = 1000) const;
  //! {"outcome", "reasons": [...]}.
  std::string OutcomeJson() const;

  struct Impl;
  ~ImportResult();
  ImportResult(ImportResult&&) noexcept;
  ImportResult& operator=(ImportResult&&) noexcept;

 private:
  friend struct ImportRun;     // runs the stages and fills the result
  friend class ImportPasses;   // the same, over a source read in passes
  friend class ReviewSession;  // edits the values and messages in place
  friend struct HookRounds;    // reads the table for hook inputs, fails on a hook's failure
  ImportResult();

  Outcome outcome_ = Outcome::kFailed;
  std::vector<OutcomeReason> reasons_;
  std::vector<ColumnMatch> mapping_;
  std::vector<CellMessage> messages_;
  size_t data_rows_ = 0;
  size_t rows_with_error_ = 0;
  std::unique_ptr<Impl> impl_;  // the values and what the writers need
};

}  // namespace sluice

#endif  // SLUICE_IMPORT_H_
