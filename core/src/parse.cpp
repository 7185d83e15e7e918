// The public parse entry: delimited text through CsvReader, rows out as JSON.
#include "sluice/parse.h"

#include "read/csv_reader.h"
#include "sluice/json_writer.h"

namespace sluice {

Result<Table> ParseDelimited(std::string text, const ParseOptions& options) {
  return CsvReader(options).Read(std::move(text));
}

std::string RowsToJson(const Table& table) {
  JsonWriter out;
  out.Reserve(table.text().size() + table.row_count() * 4 + 16);
  out.BeginArray();
  for (size_t row = 0; row < table.row_count(); ++row) {
    out.BeginArray();
    for (size_t col = 0; col < table.cell_count(row); ++col) out.String(table.cell(row, col));
    out.EndArray();
  }
  out.EndArray();
  return out.Take();
}

}  // namespace sluice
