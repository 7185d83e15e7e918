// Delimited text read in windows as the import in passes reads it
// (ReadDelimitedWindow): the unit tests and the delimited fuzz target compare
// it with a whole read, and each window read keeping only a row's first
// cells with the window read whole.
#ifndef SLUICE_TESTS_CORE_DELIMITED_WINDOWS_H_
#define SLUICE_TESTS_CORE_DELIMITED_WINDOWS_H_

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "read/csv_reader.h"
#include "text/utf8.h"

namespace sluice::testing {

// A table's rows as strings (an empty row is an empty list).
inline std::vector<std::vector<std::string>> RowsOf(const Table& table) {
  std::vector<std::vector<std::string>> rows;
  for (size_t r = 0; r < table.row_count(); ++r) {
    rows.emplace_back();
    for (size_t c = 0; c < table.cell_count(r); ++c) rows.back().emplace_back(table.cell(r, c));
  }
  return rows;
}

struct WindowedRead {
  std::vector<std::vector<std::string>> rows;
  std::vector<Notice> notices;
  std::optional<Error> error;  // the first window's error, if any (reading stops there)
  bool last_consumed_all = false;  // the last window was read to its end
  bool cuts_read_alike = true;  // each window's [0, consumed) read again as last gave the same rows
  bool kept_read_alike = true;  // each window read with `keep` gave the same rows, widths and content
  size_t rows_kept_short = 0;   // rows that held only their first `keep` cells
};

// A window read keeping `keep` cells a row (`kept`, `kept_state`) against the
// same window read whole: the same rows, where they stopped, notices and
// widest; each row whole, or its first `keep` cells of a longer row, one of
// them surely with content (a first byte that is ASCII and no space).
inline bool KeptReadsAlike(const Table& whole, const DelimitedWindow& state, size_t notices, const Table& kept,
                           const DelimitedWindow& kept_state, size_t kept_notices, size_t keep, size_t* short_rows) {
  if (kept.row_count() != whole.row_count() || kept.max_cell_count() != whole.max_cell_count() ||
      kept_state.consumed != state.consumed || kept_state.blank_lines != state.blank_lines ||
      kept_notices != notices) {
    return false;
  }
  for (size_t r = 0; r < whole.row_count(); ++r) {
    const size_t cells = kept.cell_count(r);
    if (cells != whole.cell_count(r)) {
      if (cells != keep || whole.cell_count(r) <= keep) return false;
      bool content = false;
      for (size_t c = 0; c < keep; ++c) {
        const std::string_view cell = kept.cell(r, c);
        content = content || (!cell.empty() && VisibleAscii(cell[0]));
      }
      if (!content) return false;
      ++*short_rows;
    }
    for (size_t c = 0; c < cells; ++c) {
      if (kept.cell(r, c) != whole.cell(r, c)) return false;
    }
  }
  return true;
}

// `text` given `piece` bytes more each time; what a window leaves is
// carried into the next, its offset counted for notices and errors. Each
// window is read again keeping `keep` cells a row (KeptReadsAlike).
inline WindowedRead ReadInWindows(const std::string& text, CsvDialect dialect, const ReadLimits& limits, size_t piece,
                                  size_t keep = 1) {
  WindowedRead out;
  DelimitedWindow state;
  std::string window;
  uint64_t base = 0;
  for (size_t at = 0;;) {
    window.append(text, at, piece);
    at = std::min(text.size(), at + piece);
    const bool last = at == text.size();
    Table table = Table::Viewing(window);
    const size_t blank_lines = state.blank_lines;
    DelimitedWindow kept_state = state;
    const size_t notices_before = out.notices.size();
    Result<bool> read = ReadDelimitedWindow(&table, dialect, limits, last, base, &state, &out.notices);
    Table kept = Table::Viewing(window);
    std::vector<Notice> kept_notices;
    Result<bool> kept_read = ReadDelimitedWindow(&kept, dialect, limits, last, base, &kept_state, &kept_notices, keep);
    if (kept_read.ok() != read.ok() ||
        (!read.ok() && (kept_read.error().code != read.error().code ||
                        kept_read.error().offset != read.error().offset))) {
      out.kept_read_alike = false;
    }
    if (!read.ok()) {
      out.error = read.error();
      return out;
    }
    out.kept_read_alike = out.kept_read_alike &&
                          KeptReadsAlike(table, state, out.notices.size() - notices_before, kept, kept_state,
                                         kept_notices.size(), keep, &out.rows_kept_short);
    std::vector<std::vector<std::string>> rows = RowsOf(table);
    // The window again, alone, as a later pass reads it: its text up to where
    // it stopped, with the blank lines carried into it, as the last.
    DelimitedWindow again{0, blank_lines};
    Table cut = Table::Viewing(std::string_view(window).substr(0, state.consumed));
    std::vector<Notice> ignored;
    Result<bool> reread = ReadDelimitedWindow(&cut, dialect, limits, true, base, &again, &ignored);
    out.cuts_read_alike = out.cuts_read_alike && reread.ok() && RowsOf(cut) == rows;
    for (auto& row : rows) out.rows.push_back(std::move(row));
    if (last) {
      out.last_consumed_all = state.consumed == window.size();
      return out;
    }
    window.erase(0, state.consumed);
    base += state.consumed;
  }
}

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_CORE_DELIMITED_WINDOWS_H_
