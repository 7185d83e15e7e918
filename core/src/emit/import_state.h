// What an import keeps after it ran, for the writers (rows and metadata): the
// inspection, the header and data rows, and each field's values. Shared by the
// orchestrator (import.cpp, which fills it) and import_writer.cpp (which reads
// it); nothing else sees it.
#ifndef SLUICE_EMIT_IMPORT_STATE_H_
#define SLUICE_EMIT_IMPORT_STATE_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "coerce/coerce.h"
#include "sluice/import.h"
#include "sluice/json_writer.h"
#include "validate/validators.h"

namespace sluice {

struct FieldData {
  FieldColumn column;                          //!< raw text, value and validity per data row
  std::vector<size_t> source_columns;          //!< the file columns mapped to it
  //! manyToOne fields: per source column, the values per row (column.values
  //! then holds their texts as lists, for the validators).
  std::vector<ValueColumn> parts;
  //! Per row: an error-level message on this cell (a byte each, not
  //! vector<bool>'s bits: the writers read it for every cell).
  std::vector<uint8_t> has_error;
};

struct ImportResult::Impl {
  Schema schema;                               //!< a copy: the result outlives the caller's
  Inspection inspection;
  size_t header_row = 0;
  std::vector<std::string> headers;            //!< per file column
  std::vector<size_t> data_rows;               //!< table rows holding data, in order
  //! data_rows[i] is data row first_data_row + i (an import in passes keeps
  //! only a window's; RunImport all of them, from 0).
  size_t first_data_row = 0;
  //! The table row of data row `row` (which must be among data_rows).
  size_t TableRow(size_t row) const { return data_rows[row - first_data_row]; }
  //! Per data row, its name in a review (ReviewChanges rows): its index among
  //! the file's data rows, or past them for added rows. Empty: the identity.
  std::vector<size_t> row_ids;
  //! Rows named from here on were added in review (SIZE_MAX: none were).
  size_t file_data_rows = SIZE_MAX;
  size_t dropped_rows = 0;                     //!< beyond maxRecords
  bool streamed = false;                       //!< the rows went to streams: no values are kept
  std::vector<FieldData> fields;               //!< in schema order
  std::vector<uint8_t> row_has_error;          //!< per row: an error-level message on any cell
  std::vector<std::pair<std::string, std::string>> decisions;  //!< (field key, column decision)
  //! Per field (schema order): a person's file value -> option value (review).
  std::vector<std::map<std::string, std::string, std::less<>>> option_maps;

  //! The text a field's coercer sees for a cell: a person's option for it, if any.
  std::string_view MapOption(size_t field, std::string_view text) const {
    if (field >= option_maps.size() || option_maps[field].empty()) return text;
    auto it = option_maps[field].find(text);
    return it == option_maps[field].end() ? text : std::string_view(it->second);
  }
};

//! Writes an import's rows in one format, a range of rows at a time (the
//! range's values are in the state's fields from index 0).
class RowWriter {
 public:
  RowWriter(const ImportResult::Impl& state, const std::vector<ColumnMatch>& mapping, RowFormat format);
  //! What comes before the rows: CSV's header line, JSON's '['.
  void Begin(std::string* out) const;
  //! Data rows [begin, begin + n) written after the first *length bytes of
  //! `out`, *length then their end; `out` may be longer (bytes past *length
  //! are room the next call writes over: a chunk's buffer is not zero-filled
  //! again for each chunk). `messages` are the rows' (for $errors).
  void Write(size_t begin, size_t n, const CellMessage* messages, size_t message_count, std::string* out,
             size_t* length);
  //! What comes after them: JSON's ']'.
  void End(std::string* out) const;
  //! The rows written next follow rows written elsewhere (JSON: each after
  //! a comma, the first one too; WriteLanes drops the comma before the
  //! import's first row).
  void ContinueRows() { first_row_ = false; }

 private:
  struct CellJson;
  bool InvalidText(const FieldData& data, size_t row, size_t i, size_t part, std::string_view* raw) const;
  CellJson Cell(const FieldData& data, size_t row, size_t i, size_t part) const;
  void WriteFieldRows(size_t begin, size_t n, std::string* out, size_t* length);
  void WriteAppended(size_t begin, size_t n, const CellMessage* messages, size_t message_count, std::string* out);
  void AppendCell(const FieldData& data, size_t row, size_t i, size_t part, std::string* out) const;
  std::string CellText(const FieldData& data, size_t row, size_t i, size_t part) const;

  const ImportResult::Impl& state_;
  RowFormat format_;
  bool include_invalid_;
  bool pass_through_;
  bool extras_;                       // $unmapped or $errors: rows through JsonWriter
  std::vector<bool> mapped_column_;
  std::vector<std::string> prefixes_;  // per field: `{"key":` or `,"key":`
  static constexpr size_t kPaddedPrefix = 32;
  std::string padded_prefixes_;        // per field: its prefix in kPaddedPrefix bytes (cut when longer)
  std::vector<std::string> quoted_keys_;
  bool first_row_ = true;
  std::string cell_;                   // one cell's JSON (rows through JsonWriter)
  // WriteFieldRows: what each cell needs of its field, in one place.
  struct WriteColumn {
    const FieldData* data;
    const ValueColumn* values;
    const uint8_t* has_error;
    const std::string_view* raw;
    const char* padded_prefix;  // in kPaddedPrefix bytes (null: the prefix is longer)
    std::string_view prefix;    // `{"key":` or `,"key":`
    bool general;               // manyToOne, or a prefix longer than kPaddedPrefix: Cell() writes each cell
  };
  std::vector<WriteColumn> columns_;
};

//! Runs an import's stages (import.cpp; a friend of ImportResult).
struct ImportRun {
  static ImportResult Run(std::string bytes, const std::string_view* viewed, const Schema& schema,
                          const ImportOptions& options, const std::vector<RowStream>* streams, size_t chunk_rows);
  //! The header row: the detected (or given) one, else the first row with
  //! cells, with the reason `header_not_confident`.
  static size_t HeaderRow(const HeaderReport& header, const Table& table, std::vector<OutcomeReason>* reasons);
  //! The reading options: the schema's delimiter and headerRowOverride (and
  //! a review's header row) over the caller's.
  static ReadOptions EffectiveReadOptions(const Schema& schema, const ImportOptions& options);
  //! Stage 8, the outcome and its reasons, once the rows are checked
  //! (result's data_rows, rows_with_error, mapping and schema set).
  static void Decide(const ImportOptions& options, ImportProgress* progress, ImportResult* result);
};

//! The "outcome" and "reasons" members (OutcomeJson, Metadata, a review
//! session's summary); in import_writer.cpp.
void WriteOutcome(Outcome outcome, const std::vector<OutcomeReason>& reasons, JsonWriter* out);

//! Why an import with rows in error needs review when the schema blocks
//! submitting them (`invalid_data`); in import.cpp.
OutcomeReason InvalidDataReason(size_t rows_with_error);

//! Whether row `row` of `table` has a cell that is not blank (a data row, below the header).
inline bool RowHasContent(const Table::Cells& cells, size_t row) {
  const size_t start = cells.Start(row), width = cells.Width(row);
  for (size_t col = 0; col < width; ++col) {
    if (!TrimSpaces(cells.At(start + col)).empty()) return true;
  }
  return false;
}
inline bool RowHasContent(const Table& table, size_t row) { return RowHasContent(Table::Cells(table), row); }

//! Data rows of `table`, whose first row is row `first_row`, row
//! `first_data_row` the first of them: the rows after the header row with a
//! cell that is not blank, those before `kept` listed (table rows) in `*rows`.
//! Returns how many there are (listed or not).
inline size_t ListDataRows(const Table& table, size_t first_row, size_t header_row, size_t first_data_row,
                           size_t kept, std::vector<size_t>* rows) {
  size_t data_rows = 0;
  const Table::Cells cells(table);
  const size_t count = table.row_count(), old = rows->size();
  rows->resize(old + count);  // (room for every row: written through a pointer, then cut to those listed)
  size_t* const listed = rows->data() + old;
  size_t n = 0;
  for (size_t r = 0; r < count; ++r) {
    if (first_row + r <= header_row || !RowHasContent(cells, r)) continue;
    if (first_data_row + data_rows++ < kept) listed[n++] = r;
  }
  rows->resize(old + n);
  return data_rows;
}

//! Values per column for column decisions (matching, date order, number format).
constexpr size_t kSampleSize = 1000;

//! Up to 1000 non-empty values of each column over the data rows, trimmed:
//! what matching and the column decisions (date order, number format) see.
void CollectSamples(const Table& table, const std::vector<size_t>& data_rows, size_t columns,
                    std::vector<std::vector<std::string_view>>* samples);

}  // namespace sluice

#endif  // SLUICE_EMIT_IMPORT_STATE_H_
