// Delimited text read in windows as the import in passes reads it
// (ReadDelimitedWindow): the unit tests and the delimited fuzz target compare
// it with a whole read.
#ifndef SLUICE_TESTS_CORE_DELIMITED_WINDOWS_H_
#define SLUICE_TESTS_CORE_DELIMITED_WINDOWS_H_

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "read/csv_reader.h"

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
};

// `text` given `piece` bytes more each time; what a window leaves is
// carried into the next, its offset counted for notices and errors.
inline WindowedRead ReadInWindows(const std::string& text, CsvDialect dialect, const ReadLimits& limits, size_t piece) {
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
    Result<bool> read = ReadDelimitedWindow(&table, dialect, limits, last, base, &state, &out.notices);
    if (!read.ok()) {
      out.error = read.error();
      return out;
    }
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
