// ReadDelimited: a field-at-a-time tokenizer. Unquoted fields and quoted fields
// without doubled quotes are referenced in place; only a quoted field whose
// content changes when unescaped is copied.
#include "read/csv_reader.h"

#include <atomic>
#include <cstdint>
#include <cstring>

#include "text/bytes16.h"
#include "text/utf8.h"

// x86-64 builds also compile the record loop for AVX2 and AVX-512BW
// (csv_records.inc), chosen at run time.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SLUICE_X86_ISAS 1
#include <immintrin.h>
#endif

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
  bool fast = true;  // the common records sixty-four bytes at a time (BulkRecords)
  size_t keep = SIZE_MAX;  // a common record's cells kept (ReadDelimitedWindow), at least one
};

constexpr size_t kEstimateAfterRows = 4096;
// Records a call of ReadRecords reads: under WebAssembly the engine's
// optimizing tier takes over a function from its next call, never the call
// already running, so the file is read by many calls, not one long loop.
constexpr size_t kRecordsPerCall = 4096;

// After a row is closed: past the first rows, room for the whole file.
inline void AfterRow(Tokenizer& t, size_t i) {
  Table& table = t.table;
  if (table.row_count() == kEstimateAfterRows && i < t.size / 4) {
    // The first rows tell the rest: reserve for the whole file (2% over),
    // so the cell list is not doubled (and copied) past what it needs.
    double scale = static_cast<double>(t.size) / static_cast<double>(i) * 1.02;
    table.Reserve(static_cast<size_t>(static_cast<double>(table.total_cells()) * scale),
                  static_cast<size_t>(static_cast<double>(table.row_count()) * scale));
  }
}

// The record loop, once per instruction set (csv_records.inc): the build's
// own, and on x86-64 also AVX2 and AVX-512BW, chosen when the processor has
// them. Only the functions the file defines get the wider target, so no
// function shared with the rest of the program is compiled for it.
namespace base_isa {
#define SLUICE_RECORDS_ISA 0
#include "read/csv_records.inc"
#undef SLUICE_RECORDS_ISA
}  // namespace base_isa

#if defined(SLUICE_X86_ISAS)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,bmi,bmi2,popcnt,pclmul"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,bmi,bmi2,popcnt,pclmul")
#endif
namespace avx2_isa {
#define SLUICE_RECORDS_ISA 2
#include "read/csv_records.inc"
#undef SLUICE_RECORDS_ISA
}  // namespace avx2_isa
#if defined(__clang__)
#pragma clang attribute pop
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx2,bmi,bmi2,popcnt,pclmul"))), \
                             apply_to = function)
#else
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx2,bmi,bmi2,popcnt,pclmul")
#endif
namespace avx512_isa {
#define SLUICE_RECORDS_ISA 3
#include "read/csv_records.inc"
#undef SLUICE_RECORDS_ISA
}  // namespace avx512_isa
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif

#if defined(SLUICE_X86_ISAS)
// What the AVX2 loop's target has besides: BMI, BMI2, POPCNT, PCLMULQDQ.
// (The checks read what the processor and the system say, AVX's registers
// saved; __builtin_cpu_init makes them right before static constructors too.)
bool HasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
         __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("pclmul");
}
#endif

struct RecordLoop {
  const char* name;
  Result<bool> (*read)(Tokenizer&);
  bool (*supported)();
};

const RecordLoop kRecordLoops[] = {
    {"base", base_isa::ReadAll, [] { return true; }},
#if defined(SLUICE_X86_ISAS)
    {"avx2", avx2_isa::ReadAll, HasAvx2},
    {"avx512bw", avx512_isa::ReadAll,
     [] { return HasAvx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"); }},
#endif
};
constexpr size_t kLoopCount = sizeof kRecordLoops / sizeof kRecordLoops[0];

// The loop in use: the best the processor runs, unless UseTokenizerIsa chose.
size_t BestLoop() {
  size_t best = 0;
  for (size_t k = 0; k < kLoopCount; ++k) {
    if (kRecordLoops[k].supported()) best = k;
  }
  return best;
}
std::atomic<size_t> chosen_loop{kLoopCount};  // kLoopCount: not chosen yet

const RecordLoop& Loop() {
  size_t k = chosen_loop.load(std::memory_order_relaxed);
  if (k == kLoopCount) {
    k = BestLoop();
    chosen_loop.store(k, std::memory_order_relaxed);
  }
  return kRecordLoops[k];
}

Result<bool> ReadWindow(Table* table, CsvDialect dialect, const ReadLimits& limits, bool last, uint64_t base,
                        DelimitedWindow* state, std::vector<Notice>* notices, bool fast, size_t keep = SIZE_MAX) {
  const std::string_view in = table->text();
  Tokenizer t{*table, limits, notices, in.data(), in.size(), dialect.delimiter, dialect.quote,
              std::min(limits.max_cell_bytes, Table::kMaxCellBytes), 0, state->blank_lines, {}, last, base, false,
              fast, std::max<size_t>(keep, 1)};
  Result<bool> read = Loop().read(t);
  if (!read.ok()) return read.error();
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

std::vector<std::string> TokenizerIsas() {
  std::vector<std::string> isas;
  for (const RecordLoop& loop : kRecordLoops) {
    if (loop.supported()) isas.push_back(loop.name);
  }
  return isas;
}

std::string TokenizerIsa() { return Loop().name; }

bool UseTokenizerIsa(const std::string& isa) {
  for (size_t k = 0; k < kLoopCount; ++k) {
    if ((isa.empty() && k == BestLoop()) || (isa == kRecordLoops[k].name && kRecordLoops[k].supported())) {
      chosen_loop.store(k, std::memory_order_relaxed);
      return true;
    }
  }
  return false;
}

Result<Table> ReadDelimitedGeneral(std::string text, CsvDialect dialect, const ReadLimits& limits,
                                   std::vector<Notice>* notices) {
  return ReadWhole(Table(std::move(text)), dialect, limits, notices, /*fast=*/false);
}

}  // namespace sluice
