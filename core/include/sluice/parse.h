// The public entry for reading delimited text into a Table, and for writing a
// Table's rows as JSON. This is the first slice of the pipeline (stage 3);
// decoding, sniffing and the other readers arrive in front of it.
#ifndef SLUICE_PARSE_H_
#define SLUICE_PARSE_H_

#include <string>
#include <string_view>

#include "sluice/error.h"
#include "sluice/table.h"

namespace sluice {

struct ParseOptions {
  //! Field delimiter; one byte (',' ';' '\t' '|' in practice).
  char delimiter = ',';
  //! Quote character of RFC 4180 fields.
  char quote = '"';
};

//! Reads `text` as delimited text (RFC 4180: quoted fields may hold the
//! delimiter, doubled quotes and line breaks; CRLF, LF and CR end records).
//! Lines with no bytes at all are skipped; a final record needs no line break.
//! Errors: `input_too_large` (beyond Table::kMaxTextBytes), `cell_too_large`.
Result<Table> ParseDelimited(std::string text, const ParseOptions& options = {});

//! The rows of `table` as a JSON array of arrays of strings.
std::string RowsToJson(const Table& table);

}  // namespace sluice

#endif  // SLUICE_PARSE_H_
