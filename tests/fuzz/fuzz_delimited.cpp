// libFuzzer target: the delimited-text reader and dialect sniffer on decoded
// text, with the first byte choosing a forced delimiter or sniffing; and the
// same text read in windows (ReadDelimitedWindow, the import in passes), the
// first byte also choosing their size: rows, notices and errors must be the
// whole read's (a difference aborts).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>
#include <algorithm>

#include "decode/decoder.h"
#include "header/header_detector.h"
#include "read/csv_reader.h"
#include "sniff/dialect_sniffer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char kDelimiters[] = {',', ';', '\t', '|'};
  std::optional<char> forced;
  if (data[0] < 4) forced = kDelimiters[data[0]];
  sluice::DecodedText decoded =
      sluice::DecodeText(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  sluice::DialectReport dialect = sluice::SniffDialect(decoded.text, forced);
  std::vector<sluice::Notice> notices;
  sluice::ReadLimits limits;
  limits.max_cell_bytes = 4096;
  limits.max_columns = 256;
  const std::string text = decoded.text;
  sluice::Result<sluice::Table> table =
      sluice::ReadDelimited(std::move(decoded.text), {dialect.delimiter, dialect.quote}, limits, &notices);

  // Windows of 1-64 bytes more each time: the rows read, in order, equal the
  // whole table's; the notices and the error (code and offset) too.
  const size_t piece = 1 + (data[0] >> 2);
  std::vector<std::vector<std::string>> rows;
  std::vector<sluice::Notice> window_notices;
  std::optional<sluice::Error> window_error;
  sluice::DelimitedWindow state;
  std::string window;
  uint64_t base = 0;
  for (size_t at = 0;;) {
    window.append(text, at, piece);
    at = std::min(text.size(), at + piece);
    const bool last = at == text.size();
    sluice::Table part = sluice::Table::Viewing(window);
    sluice::Result<bool> read =
        sluice::ReadDelimitedWindow(&part, {dialect.delimiter, dialect.quote}, limits, last, base, &state, &window_notices);
    if (!read.ok()) {
      window_error = read.error();
      break;
    }
    for (size_t row = 0; row < part.row_count(); ++row) {
      rows.emplace_back();
      for (size_t col = 0; col < part.cell_count(row); ++col) rows.back().emplace_back(part.cell(row, col));
    }
    if (last) break;
    window.erase(0, state.consumed);
    base += state.consumed;
  }
  if (table.ok() != !window_error) std::abort();
  if (!table.ok() && (table.error().code != window_error->code || table.error().offset != window_error->offset)) {
    std::abort();
  }
  if (table.ok()) {
    const sluice::Table& t = table.value();
    if (rows.size() != t.row_count() || window_notices.size() != notices.size()) std::abort();
    for (size_t row = 0; row < t.row_count(); ++row) {
      if (rows[row].size() != t.cell_count(row)) std::abort();
      for (size_t col = 0; col < rows[row].size(); ++col) {
        if (rows[row][col] != t.cell(row, col)) std::abort();
      }
    }
    for (size_t n = 0; n < notices.size(); ++n) {
      if (notices[n].message != window_notices[n].message) std::abort();
    }
  }
  if (table.ok()) {
    const sluice::Table& t = table.value();
    for (size_t row = 0; row < t.row_count(); ++row) {
      for (size_t col = 0; col <= t.cell_count(row); ++col) (void)t.cell(row, col);
    }
    (void)sluice::DetectHeaderRow(t);
  } else if (table.error().code.empty()) {
    std::abort();
  }
  return 0;
}
