// Stage 3, delimited text -> Table, in one pass over the decoded text.
// RFC 4180 plus what real files do: quoted fields with delimiters, doubled
// quotes and line breaks; a lone quote inside an unquoted field; spaces around
// a quoted field; text after a closing quote; CRLF, LF and CR; blank lines
// kept as empty rows (except at the end); ragged rows kept as they are.
// Owns only the tokenizing: decoding and choosing the dialect are earlier stages.
#ifndef SLUICE_READ_CSV_READER_H_
#define SLUICE_READ_CSV_READER_H_

#include <string>
#include <vector>

#include "sluice/error.h"
#include "sluice/read.h"
#include "sluice/table.h"

namespace sluice {

struct CsvDialect {
  char delimiter = ',';
  char quote = '"';
};

//! Tokenizes `text` (which the returned Table takes over). Errors:
//! `input_too_large`, `cell_too_large`, `too_many_columns`. A quoted field
//! left open at the end of the file is read to the end, with a notice.
Result<Table> ReadDelimited(std::string text, CsvDialect dialect, const ReadLimits& limits,
                            std::vector<Notice>* notices);
//! The same over a table that holds (or views) the text and has no rows yet.
Result<Table> ReadDelimited(Table table, CsvDialect dialect, const ReadLimits& limits, std::vector<Notice>* notices);

}  // namespace sluice

#endif  // SLUICE_READ_CSV_READER_H_
