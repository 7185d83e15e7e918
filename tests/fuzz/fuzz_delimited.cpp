// libFuzzer target: the delimited-text reader and dialect sniffer on decoded
// text, with the first byte choosing a forced delimiter or sniffing; and the
// same text read in windows (ReadDelimitedWindow, the import in passes), the
// first byte also choosing their size, each window read again alone as a
// later pass reads it, and again keeping a row's first 1-3 cells (the first
// pass's reading); and by the reader's general path alone
// (ReadDelimitedGeneral: no fast path for common records), and whole again
// with each instruction set the record loop can use (TokenizerIsas): rows,
// notices and errors must be the whole read's, a window's rows read again its
// own (a difference aborts).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "../core/delimited_windows.h"
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

  // Another read of the text must give the first's rows, notices and error.
  auto same_as_table = [&](const sluice::Result<sluice::Table>& read, const std::vector<sluice::Notice>& read_notices) {
    if (read.ok() != table.ok() || read_notices.size() != notices.size()) std::abort();
    if (!read.ok() && (read.error().code != table.error().code || read.error().offset != table.error().offset)) {
      std::abort();
    }
    if (read.ok() && sluice::testing::RowsOf(read.value()) != sluice::testing::RowsOf(table.value())) std::abort();
  };
  // The general path alone (no fast path for common records) reads the same.
  std::vector<sluice::Notice> general_notices;
  same_as_table(sluice::ReadDelimitedGeneral(text, {dialect.delimiter, dialect.quote}, limits, &general_notices),
                general_notices);
  // So does every instruction set the record loop can use here (the windows
  // below read with one of them, by the input's size).
  static const std::vector<std::string> isas = sluice::TokenizerIsas();
  for (const std::string& isa : isas) {
    sluice::UseTokenizerIsa(isa);
    std::vector<sluice::Notice> isa_notices;
    same_as_table(sluice::ReadDelimited(text, {dialect.delimiter, dialect.quote}, limits, &isa_notices), isa_notices);
  }
  sluice::UseTokenizerIsa(isas[size % isas.size()]);

  // Windows of 1-64 bytes more each time: the rows read, in order, equal the
  // whole table's; the notices and the error (code and offset) too.
  const sluice::testing::WindowedRead windows =
      sluice::testing::ReadInWindows(text, {dialect.delimiter, dialect.quote}, limits, 1 + (data[0] >> 2),
                                     1 + size % 3);
  if (table.ok() == windows.error.has_value() || !windows.kept_read_alike) std::abort();
  if (!table.ok() && (table.error().code != windows.error->code || table.error().offset != windows.error->offset)) {
    std::abort();
  }
  if (table.ok()) {
    if (windows.rows != sluice::testing::RowsOf(table.value()) || windows.notices.size() != notices.size() ||
        !windows.cuts_read_alike) {
      std::abort();
    }
    for (size_t n = 0; n < notices.size(); ++n) {
      if (notices[n].message != windows.notices[n].message) std::abort();
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
