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

//! Where a window's read stopped (ReadDelimitedWindow), carried to the next.
struct DelimitedWindow {
  size_t consumed = 0;     //!< bytes of the window read: the next window starts there
  size_t blank_lines = 0;  //!< blank lines read but not yet rows (dropped at the end)
};

//! Reading delimited text that comes in windows (the streamed import): the
//! complete records at the start of `table`'s text become rows; a record the
//! window's end cuts off (or may: a CR last, a quote last) is left for the
//! next window, which starts at `state->consumed`. `last`: the window ends
//! the input, read to its end as ReadDelimited reads it. `base`: the window's
//! offset in the text, for the offsets of notices and errors. Errors as
//! ReadDelimited's, except `input_too_large` (no window is that large).
//! The value: whether the window gave anything (rows or blank lines).
//! A window ends after a line end (its last record's, or a blank line's):
//! its text [0, consumed) read again with `last` set and the `blank_lines`
//! carried into it gives the same rows (a later pass reads the first pass's
//! windows so, each on its own, in any order).
//! `keep` (at least 1): a row may hold only its first `keep` cells when one
//! of them has content (a cell whose first byte is ASCII and no space), the
//! table's max_cell_count() counting its width; any other row holds every
//! cell. The rows, their content (RowHasContent) and the widest are those
//! every cell gives: a pass that needs no more (the first pass's counts, its
//! unique keys in the first columns) skips the other cells' bookkeeping.
Result<bool> ReadDelimitedWindow(Table* table, CsvDialect dialect, const ReadLimits& limits, bool last, uint64_t base,
                                 DelimitedWindow* state, std::vector<Notice>* notices, size_t keep = SIZE_MAX);

//! ReadDelimited by its general path alone, for every record (not only
//! those with quotes): the reference its tests compare the fast path with.
Result<Table> ReadDelimitedGeneral(std::string text, CsvDialect dialect, const ReadLimits& limits,
                                   std::vector<Notice>* notices);

//! The instruction sets the tokenizer's record loop can use on this
//! processor, the best last: "base" (the build's own target) and, on x86-64,
//! "avx2" and "avx512bw". The best is used unless UseTokenizerIsa says.
std::vector<std::string> TokenizerIsas();
//! The one in use.
std::string TokenizerIsa();
//! Uses `isa`, one of TokenizerIsas() ("": the best) for every read after
//! this (tests read alike with each); false when the processor lacks it.
//! The rows are the same whichever is used.
bool UseTokenizerIsa(const std::string& isa);

}  // namespace sluice

#endif  // SLUICE_READ_CSV_READER_H_
