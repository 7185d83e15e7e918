// CsvReader: a field-at-a-time tokenizer. Unquoted fields and quoted fields
// without doubled quotes are referenced in place; only a quoted field whose
// content changes when unescaped is copied.
#include "read/csv_reader.h"

#include <cstring>

namespace sluice {
namespace {

bool IsLineEnd(char c) { return c == '\n' || c == '\r'; }

}  // namespace

Result<Table> CsvReader::Read(std::string text) const {
  if (text.size() > Table::kMaxTextBytes) {
    return Error{"input_too_large", "the input is larger than 4 GiB", -1};
  }
  Table table(std::move(text));
  const std::string& in = table.text();
  const char* data = in.data();
  const size_t size = in.size();
  const char delim = options_.delimiter;
  const char quote = options_.quote;
  std::string scratch;  // unescaped content of the current quoted field

  auto cell_too_large = [](size_t at) {
    return Error{"cell_too_large", "a cell is larger than 2 GiB", static_cast<int64_t>(at)};
  };

  size_t i = 0;
  while (i < size) {
    // 1. A line with no bytes at all is skipped (it holds no record).
    if (IsLineEnd(data[i])) {
      i += (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    // 2. One record: fields until a line end outside quotes, or the end.
    for (;;) {
      if (i < size && data[i] == quote) {
        // 2a. Quoted field: up to the closing quote; "" is one quote.
        size_t start = ++i;
        bool copied = false;
        for (;;) {
          const void* hit = i < size ? std::memchr(data + i, quote, size - i) : nullptr;
          size_t q = hit ? static_cast<size_t>(static_cast<const char*>(hit) - data) : size;
          if (q + 1 < size && data[q + 1] == quote) {
            if (!copied) {
              scratch.assign(data + start, q + 1 - start);
              copied = true;
            } else {
              scratch.append(data + i, q + 1 - i);
            }
            i = q + 2;
            continue;
          }
          // Closing quote (or an unterminated field that runs to the end).
          if (copied) scratch.append(data + i, q - i);
          size_t end = q;
          i = q < size ? q + 1 : size;
          // Lenient: bytes between the closing quote and the delimiter belong
          // to the field (`"a"b,` reads as `ab`).
          size_t tail = i;
          while (i < size && data[i] != delim && !IsLineEnd(data[i])) ++i;
          if (i > tail) {
            if (!copied) {
              scratch.assign(data + start, end - start);
              copied = true;
            }
            scratch.append(data + tail, i - tail);
          }
          if (copied) {
            if (scratch.size() > Table::kMaxCellBytes) return cell_too_large(start);
            table.AddOwnedCell(scratch);
          } else {
            if (end - start > Table::kMaxCellBytes) return cell_too_large(start);
            table.AddTextCell(static_cast<uint32_t>(start), static_cast<uint32_t>(end - start));
          }
          break;
        }
      } else {
        // 2b. Unquoted field: up to the delimiter or the line end.
        size_t start = i;
        while (i < size && data[i] != delim && !IsLineEnd(data[i])) ++i;
        if (i - start > Table::kMaxCellBytes) return cell_too_large(start);
        table.AddTextCell(static_cast<uint32_t>(start), static_cast<uint32_t>(i - start));
      }
      // 3. After a field: another field, or the end of the record.
      if (i < size && data[i] == delim) {
        ++i;
        continue;
      }
      if (i < size) i += (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n') ? 2 : 1;
      table.EndRow();
      break;
    }
  }
  return table;
}

}  // namespace sluice
