// ReadDelimited: a field-at-a-time tokenizer. Unquoted fields and quoted fields
// without doubled quotes are referenced in place; only a quoted field whose
// content changes when unescaped is copied.
#include "read/csv_reader.h"

#include <cstdint>
#include <cstring>

#include "text/bytes16.h"
#include "text/utf8.h"

namespace sluice {
namespace {

bool IsLineEnd(char c) { return c == '\n' || c == '\r'; }

Error TooLarge(const char* code, std::string message, size_t at) {
  return Error{code, std::move(message), static_cast<int64_t>(at)};
}

}  // namespace

namespace {

// The first delimiter or line end at or after `i` (or `size`). Past the
// vector loop (or without one), eight bytes at a time: a word's bytes equal to
// the delimiter, \n or \r become zero after the XOR, and the lowest zero byte
// is the first stop (little-endian; a zero above it may be flagged falsely,
// never one below).
size_t FieldEnd(const char* data, size_t i, size_t size, char delim) {
#if defined(SLUICE_BYTES16)
  // Sixteen bytes at a time where the target has 128-bit vectors: a bit per
  // byte that is a stop, the lowest set bit the first.
  while (i + 16 <= size) {
    const Bytes16 w(data + i);
    const uint32_t stops = w.Equal(delim) | w.Equal('\n') | w.Equal('\r');
    if (stops) return i + static_cast<size_t>(__builtin_ctz(stops));
    i += 16;
  }
#endif
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const uint64_t delims = kOnes * static_cast<unsigned char>(delim);
  auto zero_bytes = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  while (i + 8 <= size) {
    uint64_t w;
    std::memcpy(&w, data + i, 8);
    uint64_t stops = zero_bytes(w ^ delims) | zero_bytes(w ^ (kOnes * '\n')) | zero_bytes(w ^ (kOnes * '\r'));
    if (stops) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      i += static_cast<size_t>(__builtin_ctzll(stops)) / 8;
#endif
      break;  // (elsewhere the loop below finds it byte by byte)
    }
    i += 8;
  }
  while (i < size && data[i] != delim && !IsLineEnd(data[i])) ++i;
  return i;
}

}  // namespace

Result<Table> ReadDelimited(std::string text, CsvDialect dialect, const ReadLimits& limits,
                            std::vector<Notice>* notices) {
  return ReadDelimited(Table(std::move(text)), dialect, limits, notices);
}

namespace {

// What the tokenizer carries from one call of ReadRecords to the next.
struct Tokenizer {
  Table& table;
  const ReadLimits& limits;
  std::vector<Notice>* notices;
  const char* data;
  size_t size;
  char delim;
  char quote;
  size_t max_cell;
  size_t i = 0;
  size_t blank_lines = 0;  // not yet written: blank lines at the end are dropped
  std::string scratch;     // unescaped content of the current quoted field
  // A window of the input (ReadDelimitedWindow): unless `last`, a record that
  // reaches the end is cut off and left (i stays at its start); `base` is the
  // window's offset in the text.
  bool last = true;
  uint64_t base = 0;
  bool cut = false;
  bool fast = true;  // simple records sixty-four bytes at a time (SimpleRecord)
  size_t keep = SIZE_MAX;  // a simple record's cells kept (ReadDelimitedWindow), at least one
};

constexpr size_t kEstimateAfterRows = 4096;
// Records a call of ReadRecords reads: under WebAssembly the engine's
// optimizing tier takes over a function from its next call, never the call
// already running, so the file is read by many calls, not one long loop.
constexpr size_t kRecordsPerCall = 4096;

#if defined(SLUICE_BYTES16)
// Set bits of `q`, counted up to three (more count as three).
inline unsigned UpToThree(uint64_t q) {
  if (q == 0) return 0;
  q &= q - 1;
  if (q == 0) return 1;
  q &= q - 1;
  return q == 0 ? 2 : 3;
}

// Set bits of `bits`, without a call (the baseline x86-64 target has no
// POPCNT instruction: __builtin_popcountll calls libgcc, per record).
inline size_t BitCount(uint64_t bits) {
  bits -= (bits >> 1) & 0x5555555555555555ULL;
  bits = (bits & 0x3333333333333333ULL) + ((bits >> 2) & 0x3333333333333333ULL);
  bits = (bits + (bits >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<size_t>((bits * 0x0101010101010101ULL) >> 56);
}

// Sixty-four bytes as bit masks (bit k: byte k): the delimiters, the line
// ends (LF and CR) and the quote characters.
struct Block64 {
  uint64_t delims = 0, ends = 0, quotes = 0;
  Block64(const char* p, char delim, char quote) {
    for (int k = 0; k < 4; ++k) {
      const Bytes16 w(p + 16 * k);
      delims |= uint64_t{w.Equal(delim)} << (16 * k);
      ends |= uint64_t{w.Equal('\n') | w.Equal('\r')} << (16 * k);
      quotes |= uint64_t{w.Equal(quote)} << (16 * k);
    }
  }
};

// Bit k: the XOR of bits 0..k (with a bit per quote: the bytes inside quotes,
// the opening quote in, the closing one out).
inline uint64_t PrefixXor64(uint64_t bits) {
  bits ^= bits << 1;
  bits ^= bits << 2;
  bits ^= bits << 4;
  bits ^= bits << 8;
  bits ^= bits << 16;
  bits ^= bits << 32;
  return bits;
}

// The common record, sixty-four bytes at a time: each field plain (no quote
// character) or quoted with no quote inside and nothing around the quotes;
// its line end in the window (and not a CR the window's end may cut from its
// LF); no more columns or longer cells than the limits allow. The bytes inside
// quotes are known from the quotes' running parity, which is the general
// path's reading as long as every field before is one of those two kinds; the
// first field that is neither sends the record to the general path (so a
// wrong guess costs time, never a cell). Its cells are added and `*line_end`
// is where its line end is; false (nothing added) when the record needs the
// general path.
// With t.keep, the fields after the first `keep` are counted, not added: the
// block's masks tell at once that the general path ends each where the
// quotes' parity does (every quote that opens is a field's first byte), and
// such a record is kept so only when a kept cell surely has content (its
// first byte ASCII and no space), so that RowHasContent reads the row alike.
// (kKeep: t.keep may be less than every cell; a template parameter, so that
// the loop that keeps every cell has none of the counting's work.)
template <bool kKeep>
inline bool SimpleRecord(Tokenizer& t, size_t start, size_t* line_end) {
  const char* const data = t.data;
  const size_t size = t.size;
  const char quote = t.quote, delim = t.delim;
  const size_t max_cell = t.max_cell, max_columns = t.limits.max_columns, keep = kKeep ? t.keep : SIZE_MAX;
  // A record longer than this may hold a cell too long among those counted.
  const size_t counted_bytes = std::min<size_t>(max_cell, Table::kLong - 1);
  Table& table = t.table;
  size_t field = start;       // where the field being read starts
  unsigned field_quotes = 0;  // its quote characters in the blocks before (up to three)
  size_t columns = 0;
  uint64_t inside = 0;        // all ones: the block starts inside quotes
  uint64_t stop_before = 0;   // bit 0: the byte before the block is a stop
  for (size_t i = start; i + 64 <= size; i += 64) {
    const Block64 block(data + i, delim, quote);
    table.CellRoom(64);  // (a block ends 64 fields at most)
    uint32_t* offsets = table.OffsetRoom();
    uint16_t* lengths = table.LengthRoom();
    size_t added = 0;
    // Most blocks have no quote and are not inside quotes: their fields are plain.
    const bool quotes = block.quotes != 0 || inside != 0 || field_quotes != 0;
    const uint64_t quoted = quotes ? PrefixXor64(block.quotes) ^ inside : 0;
    const uint64_t ends = block.ends & ~quoted;
    // The record's bytes in this block: those before its first line end.
    const uint64_t mine = ends ? (ends & (0 - ends)) - 1 : ~uint64_t{0};
    // The stops: its delimiters, then its line end (if in this block).
    uint64_t stops = block.delims & ~quoted & mine;
    if (ends) stops |= ends & (0 - ends);
    const uint64_t block_stops = stops;
    // The fields counted, not kept: the block's bits from here on.
    uint64_t counted = kKeep && columns >= keep ? ~uint64_t{0} : 0;
    // The block's quotes from the current field's start on (a field starts
    // in this block or before it: field <= i here), and the field's quotes
    // in the blocks before.
    uint64_t rest = block.quotes;
    unsigned carried = field_quotes;
    for (; stops && !counted; stops &= stops - 1) {
      const size_t bit = static_cast<size_t>(__builtin_ctzll(stops));
      const size_t at = i + bit;
      size_t from = field, length = at - field;
      if (quotes) {
        // The field's quotes: none, or one at each end.
        const unsigned count = carried + UpToThree(rest & ((uint64_t{1} << bit) - 1));
        if (count != 0) {
          if (count != 2 || length < 2 || data[from] != quote || data[at - 1] != quote) goto general;
          ++from;
          length -= 2;
        }
        rest &= (~uint64_t{0} << bit) << 1;  // the next field's start on
        carried = 0;
      }
      if (length > max_cell || length >= Table::kLong) goto general;  // (a long cell: the general path's)
      offsets[added] = static_cast<uint32_t>(from);
      lengths[added] = static_cast<uint16_t>(length);
      ++added;
      field = at + 1;
      if (kKeep && columns + added == keep) counted = (~uint64_t{0} << bit) << 1;  // (the loop's step drops this stop)
    }
    table.CellsAdded(added);
    columns += added;
    if (kKeep && counted) {
      if (i + 64 - start > counted_bytes) break;
      // Each quote that opens (by the parity) just after a stop: a field's
      // first byte, as the general path opens it. (A quote that closes may
      // be followed by more of the field, read alike, or by a quote that
      // opens there, which is not after a stop.)
      if (quotes && (block.quotes & quoted & counted & mine & ~((block_stops << 1) | stop_before)) != 0) break;
      columns += BitCount(stops);
    }
    if (kKeep) stop_before = block_stops >> 63;
    if (columns > max_columns) break;
    if (ends) {
      // (The line end: the last stop, unless the fields after the kept ones were counted.)
      const size_t at = kKeep ? i + static_cast<size_t>(__builtin_ctzll(ends)) : field - 1;
      if (!t.last && data[at] == '\r' && at + 1 == size) break;
      if (kKeep && columns > keep) {  // (fields counted: a kept cell must surely have content)
        bool content = false;
        for (size_t k = 0; k < keep && !content; ++k) {
          const std::string_view cell = table.OpenCell(k);
          content = !cell.empty() && VisibleAscii(cell[0]);
        }
        if (!content) break;
        table.NoteWidth(columns);
      }
      *line_end = at;
      return true;
    }
    // The field goes on into the next block (it starts at i + 64 at most).
    if (quotes) {
      field_quotes = kKeep && counted ? 0 : std::min(3u, carried + UpToThree(rest));
      inside = (quoted >> 63) ? ~uint64_t{0} : 0;  // the parity of the quotes so far
    }
  }
general:
  table.DropOpenRow();
  return false;
}
#endif

// Up to `records` more records into the table; false at the end of the input.
template <bool kKeep>
__attribute__((noinline)) Result<bool> ReadRecords(Tokenizer& t, size_t records) {
  Table& table = t.table;
  const ReadLimits& limits = t.limits;
  std::vector<Notice>* notices = t.notices;
  const char* const data = t.data;
  const size_t size = t.size;
  const char delim = t.delim;
  const char quote = t.quote;
  const size_t max_cell = t.max_cell;
  std::string& scratch = t.scratch;
  size_t i = t.i;
  // Spaces before an opening quote and after a closing one are padding, not
  // content (unless the space is the delimiter).
  auto is_pad = [delim](char c) { return (c == ' ' || c == '\t') && c != delim; };
  const bool last = t.last;
  auto cell_too_large = [&](size_t at) {
    return TooLarge("cell_too_large", "a cell is larger than " + std::to_string(max_cell) + " bytes", t.base + at);
  };

  for (size_t read = 0; read < records && i < size; ++read) {
    // 1. A line with no bytes at all is an empty row (as a spreadsheet shows it).
    if (IsLineEnd(data[i])) {
      if (!last && data[i] == '\r' && i + 1 == size) {  // a CRLF the window may cut
        t.cut = true;
        break;
      }
      i += (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n') ? 2 : 1;
      ++t.blank_lines;
      continue;
    }
    const size_t blank_rows = t.blank_lines;
    for (; t.blank_lines > 0; --t.blank_lines) table.EndRow();
    // 2. One record: fields until a line end outside quotes, or the end.
    const size_t record_start = i;
    size_t columns = 0;
    bool simple = false;
#if defined(SLUICE_BYTES16)
    if (t.fast) simple = SimpleRecord<kKeep>(t, record_start, &i);
#endif
    for (; !simple;) {
      if (++columns > limits.max_columns) {
        return TooLarge("too_many_columns", "a row has more than " + std::to_string(limits.max_columns) + " columns",
                        t.base + record_start);
      }
      size_t quote_at = i;
      while (quote_at < size && is_pad(data[quote_at])) ++quote_at;
      if (quote_at < size && data[quote_at] == quote) {
        // 2a. Quoted field: up to the closing quote; "" is one quote.
        size_t start = quote_at + 1;
        i = start;
        bool copied = false;
        size_t end;
        for (;;) {
          const void* hit = i < size ? std::memchr(data + i, quote, size - i) : nullptr;
          size_t q = hit ? static_cast<size_t>(static_cast<const char*>(hit) - data) : size;
          if (q + 1 < size && data[q + 1] == quote) {
            if (!copied) scratch.clear();
            scratch.append(data + (copied ? i : start), q + 1 - (copied ? i : start));
            copied = true;
            i = q + 2;
            continue;
          }
          if (q == size && last) {
            notices->push_back({"unterminated_quote", "a quoted field opened at byte " + std::to_string(t.base + quote_at) +
                                                          " is never closed; it runs to the end of the file"});
          }
          if (copied) scratch.append(data + i, q - i);
          end = q;
          i = q < size ? q + 1 : size;
          break;
        }
        // Text between the closing quote and the delimiter belongs to the
        // field (`"a"b,` reads as `ab`), except trailing padding.
        size_t tail = i;
        while (i < size && data[i] != delim && !IsLineEnd(data[i])) ++i;
        size_t tail_end = i;
        while (tail_end > tail && is_pad(data[tail_end - 1])) --tail_end;
        if (tail_end > tail) {
          if (!copied) scratch.assign(data + start, end - start);
          copied = true;
          scratch.append(data + tail, tail_end - tail);
        }
        // (A field the window's end cuts is measured whole, in the next window.)
        const bool whole = last || i < size;
        if (copied) {
          if (scratch.size() > max_cell && whole) return cell_too_large(start);
          table.AddOwnedCell(scratch);
        } else {
          if (end - start > max_cell && whole) return cell_too_large(start);
          table.AddTextCell(static_cast<uint32_t>(start), static_cast<uint32_t>(end - start));
        }
      } else {
        // 2b. Unquoted field: up to the delimiter or the line end. (Padding
        // the window's end cuts may yet open a quoted field: measured whole,
        // in the next window.)
        size_t start = i;
        i = FieldEnd(data, i, size, delim);
        if (i - start > max_cell && (last || i < size)) return cell_too_large(start);
        table.AddTextCell(static_cast<uint32_t>(start), static_cast<uint32_t>(i - start));
      }
      // 3. After a field: another field, or the end of the record.
      if (i < size && data[i] == delim) {
        ++i;
        continue;
      }
      if (!last && (i == size || (data[i] == '\r' && i + 1 == size))) {
        // The window's end cut the record (or may have: a quote or CR last):
        // the next window reads it whole, and the blank lines before it (so
        // a window ends after a record's line end, its blank lines carried).
        table.DropOpenRow();
        table.DropEmptyRows(blank_rows);
        t.blank_lines = blank_rows;
        i = record_start;
        t.cut = true;
      }
      break;
    }
    if (t.cut) break;
    // 4. The record's end: its line end (if any) passed over, the row closed.
    if (i < size) i += (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n') ? 2 : 1;
    if (table.total_cells() >= Table::kMaxCells) {
      return TooLarge("input_too_large", "the file has more than " + std::to_string(Table::kMaxCells) + " cells",
                      record_start);
    }
    table.EndRow();
    if (table.row_count() == kEstimateAfterRows && i < size / 4) {
      // The first rows tell the rest: reserve for the whole file (2% over),
      // so the cell list is not doubled (and copied) past what it needs.
      double scale = static_cast<double>(size) / static_cast<double>(i) * 1.02;
      table.Reserve(static_cast<size_t>(static_cast<double>(table.total_cells()) * scale),
                    static_cast<size_t>(static_cast<double>(table.row_count()) * scale));
    }
  }
  t.i = i;
  return i < size && !t.cut;
}

Result<bool> ReadWindow(Table* table, CsvDialect dialect, const ReadLimits& limits, bool last, uint64_t base,
                        DelimitedWindow* state, std::vector<Notice>* notices, bool fast, size_t keep = SIZE_MAX) {
  const std::string_view in = table->text();
  Tokenizer t{*table, limits, notices, in.data(), in.size(), dialect.delimiter, dialect.quote,
              std::min(limits.max_cell_bytes, Table::kMaxCellBytes), 0, state->blank_lines, {}, last, base, false,
              fast, std::max<size_t>(keep, 1)};
  for (;;) {
    Result<bool> more =
        t.keep == SIZE_MAX ? ReadRecords<false>(t, kRecordsPerCall) : ReadRecords<true>(t, kRecordsPerCall);
    if (!more.ok()) return more.error();
    if (!more.value()) break;
  }
  const bool gave = t.i > 0;
  state->consumed = t.i;
  state->blank_lines = last ? 0 : t.blank_lines;
  return gave;
}

// The whole text: one last window.
Result<Table> ReadWhole(Table table, CsvDialect dialect, const ReadLimits& limits, std::vector<Notice>* notices,
                        bool fast) {
  if (table.text().size() > Table::kMaxTextBytes) {
    return Error{"input_too_large", "the file is larger than 4 GiB", -1};
  }
  DelimitedWindow whole;
  Result<bool> read = ReadWindow(&table, dialect, limits, /*last=*/true, 0, &whole, notices, fast);
  if (!read.ok()) return read.error();
  return table;
}

}  // namespace

Result<Table> ReadDelimited(Table table, CsvDialect dialect, const ReadLimits& limits, std::vector<Notice>* notices) {
  return ReadWhole(std::move(table), dialect, limits, notices, /*fast=*/true);
}

Result<bool> ReadDelimitedWindow(Table* table, CsvDialect dialect, const ReadLimits& limits, bool last, uint64_t base,
                                 DelimitedWindow* state, std::vector<Notice>* notices, size_t keep) {
  return ReadWindow(table, dialect, limits, last, base, state, notices, /*fast=*/true, keep);
}

Result<Table> ReadDelimitedGeneral(std::string text, CsvDialect dialect, const ReadLimits& limits,
                                   std::vector<Notice>* notices) {
  return ReadWhole(Table(std::move(text)), dialect, limits, notices, /*fast=*/false);
}

}  // namespace sluice
