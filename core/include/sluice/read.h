// Reading any file a customer sends into a Table (pipeline stages 1-4):
// decode the bytes to UTF-8, sniff the format and dialect, read the cells,
// choose the header row. Every decision is reported with its evidence.
// Pure: bytes in, values out; no I/O.
#ifndef SLUICE_READ_H_
#define SLUICE_READ_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/error.h"
#include "sluice/table.h"

namespace sluice {

//! Bounds against hostile input; each exceeded bound is an Error with its code.
struct ReadLimits {
  size_t max_cell_bytes = 1 << 20;            //!< `cell_too_large`
  size_t max_columns = 16384;                 //!< `too_many_columns` (Excel's own limit)
  size_t max_json_depth = 64;                 //!< `json_too_deep`
  uint64_t max_uncompressed_bytes = 1ull << 30;  //!< zip total: `zip_too_large`
  uint32_t max_compression_ratio = 1000;      //!< zip entry: `zip_bomb`
};

struct ReadOptions {
  //! The schema's `delimiter` setting; wins over sniffing when set.
  std::optional<char> delimiter;
  //! XLSX: the sheet to read, by name; empty: the first visible non-empty one.
  std::string sheet;
  //! `matchingStep.headerRowOverride`: 0-based row index, wins over detection.
  std::optional<size_t> header_row_override;
  ReadLimits limits;
  //! Worker threads the read may use: with any, an XLSX part (the sheet, the
  //! shared strings) is inflated on one while the pieces before are read.
  //! An import's ImportOptions::threads sets it. Builds without threads
  //! (WebAssembly) ignore it.
  size_t threads = 0;
};

//! Something worth telling a person that did not stop the read.
struct Notice {
  std::string code;
  std::string message;
};

enum class Format { kDelimited, kXlsx, kJson };
//! "csv" (comma), "tsv" (tab), "delimited" (other delimiters), "xlsx", "json".
const char* FormatName(Format format, char delimiter);

struct EncodingReport {
  //! "utf-8", "utf-16le", "utf-16be", "windows-1252", "utf-8+windows-1252"
  //! (valid UTF-8 mixed with bytes read as Windows-1252), or "binary" (XLSX).
  std::string name = "utf-8";
  bool bom = false;
  std::string evidence;  //!< why this encoding, for people
};

struct DialectReport {
  char delimiter = ',';
  char quote = '"';
  std::string line_ending = "lf";  //!< "crlf", "lf", "cr", "mixed" or "none"
  std::string evidence;            //!< why this delimiter, for people
};

struct SheetInfo {
  std::string name;
  size_t rows = 0;
  size_t columns = 0;
  bool visible = true;
  bool selected = false;  //!< the sheet that was read
};

struct HeaderReport {
  std::optional<size_t> row;  //!< none: no confident header
  double confidence = 0;      //!< in [0, 1]
  std::vector<std::string> evidence;
};

//! Rows whose width differs from the header's (or, without a header, the most
//! common width). Short rows read as padded with empty cells.
struct RaggedReport {
  size_t expected_columns = 0;
  size_t short_rows = 0;
  size_t long_rows = 0;
  std::vector<size_t> examples;  //!< up to 10 row indices
};

struct ReadResult {
  Format format = Format::kDelimited;
  std::string format_evidence;  //!< why this format, for people
  EncodingReport encoding;
  std::optional<DialectReport> dialect;  //!< delimited text only
  std::vector<SheetInfo> sheets;         //!< XLSX only
  Table table;
  //! Row 0 holds the keys of JSON objects: the header by construction.
  bool header_from_keys = false;
  std::vector<Notice> notices;
};

//! Stages 1-3: bytes to a Table. Errors (each with a stable code):
//! `empty_file`, `unsupported_format` (names the format found), `input_too_large`,
//! `cell_too_large`, `too_many_columns`, `json_invalid`, `json_too_deep`,
//! `json_shape`, `zip_corrupt`, `zip_too_large`, `zip_bomb`, `zip_unsupported`,
//! `xlsx_corrupt`, `sheet_not_found`, `workbook_empty`.
Result<ReadResult> ReadTable(std::string bytes, const ReadOptions& options = {});

//! ReadTable over bytes the caller keeps alive and unchanged as long as the
//! result: delimited text that needs no decoding is not copied (its table
//! views it); anything else is read as ReadTable reads it.
Result<ReadResult> ReadTableViewing(std::string_view bytes, const ReadOptions& options = {});

//! Stage 4: the header row among the first rows of the table read.
HeaderReport DetectHeader(const ReadResult& read);
//! Stage 4 with `options.header_row_override` applied: that row (past the
//! table's last row, the error `header_row_out_of_range`), else DetectHeader.
Result<HeaderReport> ChooseHeader(const ReadResult& read, const ReadOptions& options);

//! Whether any cell of `table` holds a byte; a file without one is the error
//! EmptyFileError() (`empty_file`).
bool HasAnyCell(const Table& table);
Error EmptyFileError();

struct Inspection {
  ReadResult read;
  HeaderReport header;
  RaggedReport ragged;
};

//! Stages 1-4, with `header_row_override` applied (an override past the last
//! row is the error `header_row_out_of_range`).
Result<Inspection> Inspect(std::string bytes, const ReadOptions& options = {});
//! Inspect over ReadTableViewing: the bytes must outlive the inspection.
Result<Inspection> InspectViewing(std::string_view bytes, const ReadOptions& options = {});

//! The inspection as JSON: format, encoding, dialect, sheets, header (row,
//! confidence, evidence), columns, rows, ragged, notices, and the first
//! `preview_rows` rows.
std::string InspectionToJson(const Inspection& inspection, size_t preview_rows = 20);

//! A Table's rows as a JSON array of arrays of strings.
std::string RowsToJson(const Table& table);

//! ReadOptions from JSON: {"delimiter", "sheet", "headerRowOverride",
//! "limits": {"maxCellBytes", "maxColumns", "maxJsonDepth",
//! "maxUncompressedBytes", "maxCompressionRatio"}}; empty text gives the
//! defaults. Errors: `invalid_option` naming the JSON path.
Result<ReadOptions> ReadOptionsFromJson(std::string_view json);

//! An Error as {"error": {"code", "message", "offset"?}}.
std::string ErrorToJson(const Error& error);

}  // namespace sluice

#endif  // SLUICE_READ_H_
