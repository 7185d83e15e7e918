// ImportPasses: the import of a source given in pieces, once per pass
// (sluice/import.h). Delimited UTF-8 text is read a window at a time with
// ReadDelimitedWindow; the stages are RunImport's (the same header detection,
// matching, RowChecker and writers), fed from windows instead of one table.
//
// Pass 1 (structure): the first megabyte (the head) decides the format,
// encoding and dialect; its first rows the header; then every window adds
// its rows: the widest row, the data rows, the samples (copied), and the
// unique keys under the mapping the head suggests. At its end the mapping is
// made from every sample; the keys taken stand if the unique fields' columns
// and their samples are the head's, else a pass takes them again. Each
// window's end and rows are kept (a WindowCut, lanes.h).
// Later passes read the first pass's windows again, each on its own as soon
// as its bytes are in (its rows must be the first pass's): the keys' pass
// takes their keys; the last pass (write) checks and writes their data rows.
// With ImportOptions::threads (lanes.h), the keys are taken on a worker
// thread while the next window is read, and the last pass's windows are
// read, checked and written on worker threads, their output handed on in
// order: the import's thread only reads the source, fingerprints it and
// checks its UTF-8.
#include <algorithm>
#include <cstring>
#include <deque>

#include "decode/decoder.h"
#include "emit/import_state.h"
#include "match/column_matcher.h"
#include "read/csv_reader.h"
#include "lanes.h"
#include "row_checker.h"
#include "sniff/dialect_sniffer.h"
#include "sniff/format_sniffer.h"

namespace sluice {
namespace {

constexpr size_t kHeadBytes = 1 << 20;   // bytes that decide format, encoding and dialect
constexpr size_t kWindowBytes = 1 << 20; // a window's bytes (more when a record is longer)
constexpr size_t kHeadRows = 128;        // non-empty rows the head needs for the header's detection
constexpr size_t kMaxHeadBytes = 64 << 20;  // a head longer than this is read whole instead
constexpr const char* kChanged = "the file changed between the passes over it: ";  // file_changed's messages

bool IsUnique(const Validator& v) {
  return v.kind == ValidatorKind::kUnique || v.kind == ValidatorKind::kUniqueCaseInsensitive ||
         v.kind == ValidatorKind::kUniqueWith;
}

// A fingerprint of every byte a pass is given, whatever its pieces: four
// 64-bit lanes over 32-byte blocks (a few gigabytes a second, in WebAssembly
// too), so a source edited between passes (same size, same rows) is caught.
// Not cryptographic: it guards against accidents, not adversaries.
class SourceHash {
 public:
  void Add(std::string_view bytes) {
    total_ += bytes.size();
    if (carried_ > 0) {
      const size_t n = std::min(bytes.size(), sizeof carry_ - carried_);
      std::memcpy(carry_ + carried_, bytes.data(), n);
      carried_ += n;
      bytes.remove_prefix(n);
      if (carried_ < sizeof carry_) return;
      Block(carry_);
      carried_ = 0;
    }
    const char* p = bytes.data();
    const char* const end = p + bytes.size() / sizeof carry_ * sizeof carry_;
    // (The lanes in locals for the loop: registers, not memory, per word.)
    uint64_t a = lanes_[0], b = lanes_[1], c = lanes_[2], d = lanes_[3];
    for (; p < end; p += sizeof carry_) {
      a = Mix(a, p);
      b = Mix(b, p + 8);
      c = Mix(c, p + 16);
      d = Mix(d, p + 24);
    }
    lanes_[0] = a, lanes_[1] = b, lanes_[2] = c, lanes_[3] = d;
    carried_ = bytes.size() % sizeof carry_;
    std::memcpy(carry_, p, carried_);
  }
  uint64_t Value() const {
    uint64_t h = total_ * kPrime;
    for (uint64_t lane : lanes_) h = (h ^ lane) * kPrime + (h >> 29);
    for (size_t i = 0; i < carried_; ++i) h = (h ^ static_cast<unsigned char>(carry_[i])) * kPrime;
    return h;
  }

 private:
  static constexpr uint64_t kPrime = 0x9E3779B97F4A7C15ULL;
  static uint64_t Mix(uint64_t lane, const char* p) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    const uint64_t x = (lane ^ word) * kPrime;
    return (x << 31) | (x >> 33);
  }
  void Block(const char* p) {
    for (int k = 0; k < 4; ++k) lanes_[k] = Mix(lanes_[k], p + 8 * k);
  }
  uint64_t lanes_[4] = {1, 2, 3, 4};
  char carry_[32] = {};
  size_t carried_ = 0;
  uint64_t total_ = 0;
};

// The source's bytes in memory: room is made without zero-filling it (a
// caller's read lands in Room directly, and that is the only copy).
class Buffer {
 public:
  size_t size() const { return size_; }
  std::string_view view() const { return {data_.get(), size_}; }
  char* Room(size_t n) {
    if (capacity_ - size_ < n) {
      const size_t capacity = std::max(size_ + n, capacity_ * 2);
      std::unique_ptr<char[]> bigger(new char[capacity]);
      if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
      data_ = std::move(bigger);
      capacity_ = capacity;
    }
    return data_.get() + size_;
  }
  //! `n` bytes were written at Room.
  void Grew(size_t n) { size_ += n; }
  void Append(std::string_view bytes) {
    if (!bytes.empty()) std::memcpy(Room(bytes.size()), bytes.data(), bytes.size());
    size_ += bytes.size();
  }
  //! Drops bytes [at, at + n).
  void Erase(size_t at, size_t n) {
    // (No bytes to move: a buffer handed over may have no storage at all.)
    if (size_ - at - n > 0) std::memmove(data_.get() + at, data_.get() + at + n, size_ - at - n);
    size_ -= n;
  }
  void Insert(std::string_view bytes) {  // at the start
    if (bytes.empty()) return;
    Room(bytes.size());
    std::memmove(data_.get() + bytes.size(), data_.get(), size_);
    std::memcpy(data_.get(), bytes.data(), bytes.size());
    size_ += bytes.size();
  }
  void Clear() { size_ = 0; }
  //! The first `n` bytes go on in `other`, with this buffer's storage (no
  //! copy); this buffer takes other's storage and keeps the bytes after n.
  void HandOver(size_t n, TextStorage* other) {
    TextStorage mine{std::move(data_), capacity_};
    data_ = std::move(other->bytes);
    capacity_ = other->capacity;
    const size_t rest = size_ - n;
    size_ = 0;
    if (rest > 0) std::memcpy(Room(rest), mine.bytes.get() + n, rest);
    size_ = rest;
    *other = std::move(mine);
  }
  void Release() {
    data_.reset();
    size_ = capacity_ = 0;
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

std::vector<size_t> ColumnsOf(const std::vector<ColumnMatch>& mapping, const std::string& field_key) {
  std::vector<size_t> columns;
  for (const ColumnMatch& m : mapping) {
    if (m.field_key == field_key) columns.push_back(m.column);
  }
  return columns;
}

}  // namespace

struct ImportPasses::Impl {
  enum class Mode { kHead, kWhole, kStructure, kIndex, kWrite, kDone };

  ImportOptions options;
  std::vector<RowStream> streams;
  uint64_t size_hint = 0;
  ImportResult result;
  ImportProgress progress;
  ReadOptions read_options;
  Mode mode = Mode::kHead;
  size_t pass = 1;
  bool whole_next = false;  // pass 1 met bytes that are not clean UTF-8: read whole in pass 2

  // The source.
  std::string bom;            // a UTF-8 byte order mark the text starts after
  uint64_t pass_bytes = 0;    // bytes given in this pass
  uint64_t source_bytes = 0;  // bytes of the first pass
  SourceHash pass_hash;       // of this pass's bytes
  uint64_t source_hash = 0;   // of the first pass's
  CsvDialect dialect;
  // kHead: the first bytes; kWhole: all of them; then the text not yet read into rows.
  Buffer window;
  size_t fed_at = 0;          // where Room's bytes go in the window
  size_t checked = 0;         // bytes of the window checked as UTF-8
  size_t min_window = kWindowBytes;
  uint64_t base = 0;          // the window's offset in the text
  DelimitedWindow cut;
  bool head_read = false;     // the head's rows were taken (header decided)
  size_t skip = 0;            // a later pass: byte order mark bytes still to pass over

  // Pass 1: the rows before the window.
  size_t rows = 0;            // table rows
  size_t data_rows = 0;       // data rows (kept or dropped)
  // Pass 1's windows: a later pass reads each again as soon as its bytes are in.
  std::vector<WindowCut> cuts;
  size_t next_cut = 0;        // a later pass: the window read next
  WindowReading reading;      // how (after pass 1)

  // Pass 1.
  size_t widest = 0;
  bool any_cell = false;
  std::vector<std::string> header_cells;  // the header row's cells, trimmed
  std::vector<std::vector<std::string_view>> samples;
  std::deque<std::string> sample_text;    // what the samples view
  size_t open_samples = 0;                // columns with fewer than kSampleSize samples
  size_t kept_rows = 0;
  size_t record_limit = SIZE_MAX;         // maxRecords

  // The unique keys: under the head's mapping in pass 1 (`early`), else in their own pass.
  UniqueIndex unique;
  bool indexing = false;      // `unique` is being filled (and is given to the checks)
  bool early_tried = false;
  size_t keep_cells = 1;      // a row's cells pass 1 needs once every sample is taken: its keys' columns
  std::vector<ColumnMatch> early_mapping;
  std::vector<std::vector<std::string_view>> early_samples;
  std::unique_ptr<RowChecker> early;
  ImportOptions keys_options;  // early's (the checker keeps them): no progress reports
  std::vector<CellMessage> early_messages;
  std::unique_ptr<IndexLane> index_lane;  // options.threads > 0: the keys taken on a worker thread instead

  // The last pass.
  std::unique_ptr<RowChecker> checker;
  std::unique_ptr<StreamWriter> writer;
  std::unique_ptr<WriteLanes> lanes;  // options.threads > 0: the windows checked and written on them
  bool has_unique = false;

  ImportResult::Impl& state() { return *result.impl_; }
  const ImportResult::Impl& state() const { return *result.impl_; }
};

ImportPasses::ImportPasses(const Schema& schema, ImportOptions options, std::vector<RowStream> streams,
                           uint64_t size_hint)
    : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.options = std::move(options);
  s.streams = std::move(streams);
  s.size_hint = size_hint;
  s.state().schema = schema;
  s.state().streamed = true;
  s.read_options = ImportRun::EffectiveReadOptions(schema, s.options);
  s.record_limit = schema.settings.max_records.value_or(SIZE_MAX);
  for (const Field& field : schema.fields) {
    for (const Validator& v : field.validators) s.has_unique = s.has_unique || IsUnique(v);
  }
  // A source known to be small is held whole: one pass, RunImport's speed.
  if (size_hint > 0 && size_hint < kWholeBelow) {
    s.mode = Impl::Mode::kWhole;
    s.window.Room(static_cast<size_t>(size_hint));
  }
}

ImportPasses::~ImportPasses() = default;

size_t ImportPasses::pass() const { return impl_->pass; }

void ImportPasses::Fail(std::string code, std::string message) {
  Impl& s = *impl_;
  s.lanes.reset();  // (windows not yet written are dropped)
  s.index_lane.reset();
  s.result.outcome_ = Outcome::kFailed;
  s.result.reasons_.clear();
  s.result.reasons_.push_back({std::move(code), std::move(message), ""});
  s.mode = Impl::Mode::kDone;
  s.window.Release();
}

void ImportPasses::Feed(std::string_view piece) {
  if (!piece.empty()) std::memcpy(Room(piece.size()), piece.data(), piece.size());
  Fed(piece.size());
}

char* ImportPasses::Room(size_t n) {
  Impl& s = *impl_;
  s.fed_at = s.window.size();
  return s.window.Room(n);
}

void ImportPasses::Fed(size_t n) {
  Impl& s = *impl_;
  if (s.mode == Impl::Mode::kDone || s.whole_next) return;  // (Room's bytes are not kept)
  const std::string_view piece(s.window.view().data() + s.fed_at, n);
  s.pass_bytes += n;
  if (s.mode != Impl::Mode::kWhole) s.pass_hash.Add(piece);
  s.window.Grew(n);
  if (s.mode == Impl::Mode::kHead || s.mode == Impl::Mode::kWhole) {
    if (s.mode == Impl::Mode::kHead && s.window.size() >= kHeadBytes + 3) Start(false);
    return;
  }
  if (s.skip > 0) {  // a later pass: the byte order mark again
    const size_t bom = std::min(s.skip, n);
    if (piece.substr(0, bom) != std::string_view(s.bom).substr(s.bom.size() - s.skip, bom)) {
      return Fail("file_changed", std::string(kChanged) + "its first bytes differ");
    }
    s.skip -= bom;
    s.window.Erase(s.fed_at, bom);
  }
  if (s.pass > 1) return ReadCuts();
  if (s.window.size() >= s.min_window) ReadWindow(false);
}

namespace {

// The text of `head` (a source's first bytes; `last`: all of them) when the
// source is read in passes: delimited UTF-8 text that needs no decoding, and
// an import with no review and no hook edits.
std::optional<std::string_view> StreamedText(std::string_view head, bool last, const ImportOptions& options,
                                             EncodingReport* encoding) {
  if (options.review || !options.hooks.cells.empty() || head.empty() ||
      SniffContainer(head).kind != ContainerKind::kText) {
    return std::nullopt;
  }
  std::optional<std::string_view> text = TextAsIs(head.substr(0, last ? head.size() : CompleteUtf8(head)), encoding);
  if (!text || SniffText(*text).kind != TextKind::kDelimited) return std::nullopt;
  return text;
}

}  // namespace

bool ImportPasses::ReadsInPasses(std::string_view source, const ImportOptions& options) {
  EncodingReport encoding;
  const size_t head = kHeadBytes + 3;  // (as Fed starts)
  return StreamedText(source.substr(0, head), source.size() <= head, options, &encoding).has_value();
}

// The head is in: stream it when it is delimited UTF-8 text that needs no
// decoding (and the import no review), else keep every byte for RunImport.
void ImportPasses::Start(bool last) {
  Impl& s = *impl_;
  const std::string_view head = s.window.view();
  EncodingReport encoding;
  const std::optional<std::string_view> text = StreamedText(head, last, s.options, &encoding);
  if (!text) {
    s.mode = Impl::Mode::kWhole;
    return;
  }
  const size_t start = static_cast<size_t>(text->data() - head.data());
  ReadResult& read = s.state().inspection.read;
  read.format = Format::kDelimited;
  read.format_evidence = "text that is neither JSON nor markup";
  read.encoding = encoding;
  // The dialect from the head, as from the whole text: its sample is the
  // first 256 KB, and the head is longer unless it is the whole text.
  read.dialect = SniffDialect(head.substr(start), s.read_options.delimiter);
  s.dialect = {read.dialect->delimiter, read.dialect->quote};
  s.bom = std::string(head.substr(0, start));
  s.checked = text->size();
  s.window.Erase(0, start);
  s.mode = Impl::Mode::kStructure;
  s.min_window = s.window.size();
  ReadWindow(last);
}

// Nothing is taken yet (the window holds the text from its start): read the
// source whole instead, RunImport's way.
void ImportPasses::KeepWhole() {
  Impl& s = *impl_;
  s.window.Insert(s.bom);
  s.state().inspection.read = ReadResult();
  s.mode = Impl::Mode::kWhole;
}

// Pass 1: the window's complete records as rows, taken.
void ImportPasses::ReadWindow(bool last) {
  Impl& s = *impl_;
  // UTF-8: checked as it comes.
  const size_t complete = last ? s.window.size() : CompleteUtf8(s.window.view());
  if (complete > s.checked) {
    if (!CleanUtf8(s.window.view().substr(s.checked, complete - s.checked))) {
      if (!s.head_read) return KeepWhole();
      s.whole_next = true;  // rows are taken: the next pass reads it whole
      s.window.Release();
      return;
    }
    s.checked = complete;
  }
  Table& table = s.state().inspection.read.table;
  table.ViewAgain(s.window.view());
  const DelimitedWindow before = s.cut;
  std::vector<Notice>& notices = s.state().inspection.read.notices;
  const size_t notices_before = notices.size();
  // Once every column has its samples, a row's first cells do: its keys,
  // its content and its width are all the rest of pass 1 takes.
  const bool keep = s.head_read && s.early_tried && s.open_samples == 0;
  Result<bool> read = ReadDelimitedWindow(&table, s.dialect, s.read_options.limits, last, s.base, &s.cut, &notices,
                                          keep ? s.keep_cells : SIZE_MAX);
  if (read.ok() && keep && table.max_cell_count() > s.samples.size()) {
    // A row wider than the data rows so far: its new columns' samples, read whole.
    s.cut = before;
    notices.resize(notices_before);
    table.ViewAgain(s.window.view());
    read = ReadDelimitedWindow(&table, s.dialect, s.read_options.limits, last, s.base, &s.cut, &notices);
  }
  if (!read.ok()) return Fail(read.error().code, read.error().message);
  if (!s.head_read) {
    // The header is detected among the first non-empty rows: the head holds
    // enough of them (or all there are) before anything is taken.
    size_t filled = 0;
    for (size_t r = 0; r < table.row_count() && filled < kHeadRows; ++r) filled += RowHasContent(table, r);
    if (filled < kHeadRows && !last) {
      s.cut = before;
      table.ViewAgain({});
      if (s.window.size() > kMaxHeadBytes) return KeepWhole();
      s.min_window = s.window.size() * 2;
      return;
    }
    if (!TakeHead(last)) return;
    s.head_read = true;
  }
  const size_t consumed = s.cut.consumed;
  // (Counted before TakeRows, which may hand the table to a lane.)
  WindowCut cut{s.base + consumed, before.blank_lines, s.rows, table.row_count(), s.data_rows, 0};
  const bool handed_over = TakeRows();
  if (s.mode == Impl::Mode::kDone) return;
  cut.data_rows = s.data_rows - cut.first_data_row;
  if (consumed > 0) s.cuts.push_back(cut);
  table.ViewAgain({});  // the window's text moves next
  if (!handed_over) s.window.Erase(0, consumed);  // (else it went with its buffer)
  s.base += consumed;
  s.checked -= std::min(s.checked, consumed);
  // A record longer than the window: wait for twice the bytes (no rescans
  // of a long record piece by piece).
  s.min_window = consumed == 0 && !last ? std::max(kWindowBytes, s.window.size() * 2) : kWindowBytes;
}

// Stage 4 over the head (the table holds the text's first rows): the header
// row, as RunImport chooses it. False: the import failed or reads whole.
bool ImportPasses::TakeHead(bool last) {
  Impl& s = *impl_;
  ImportResult::Impl& state = s.state();
  const Table& table = state.inspection.read.table;
  // An override past the head's rows is in a later window: read whole. When
  // the head is the whole text, the override's error (a file without cells
  // is empty first), as reading it whole gives.
  if (s.read_options.header_row_override && *s.read_options.header_row_override >= table.row_count() && !last) {
    KeepWhole();
    return false;
  }
  Result<HeaderReport> header = ChooseHeader(state.inspection.read, s.read_options);
  if (!header.ok()) {
    const Error error = HasAnyCell(table) ? header.error() : EmptyFileError();
    Fail(error.code, error.message);
    return false;
  }
  state.inspection.header = std::move(header.value());
  const size_t header_row = ImportRun::HeaderRow(state.inspection.header, table, &s.result.reasons_);
  state.header_row = header_row;
  if (header_row < table.row_count()) {
    for (size_t col = 0; col < table.cell_count(header_row); ++col) {
      s.header_cells.emplace_back(TrimSpaces(table.cell(header_row, col)));
    }
  }
  return true;
}

// Pass 1: the window's rows counted; their width, data rows and samples;
// their unique keys. True when the window went to the keys' lane with the
// buffer it is in (the buffer then holds only the bytes after it).
bool ImportPasses::TakeRows() {
  Impl& s = *impl_;
  ImportResult::Impl& state = s.state();
  const Table& table = state.inspection.read.table;
  const size_t first_data = s.data_rows;
  // The window's data rows only (the rest are gone or to come).
  state.first_data_row = std::min(first_data, s.record_limit);
  state.data_rows.clear();
  s.data_rows += ListDataRows(table, s.rows, state.header_row, first_data, s.record_limit, &state.data_rows);
  s.rows += table.row_count();
  s.widest = std::max(s.widest, table.max_cell_count());
  for (size_t r = 0; r < table.row_count() && !s.any_cell; ++r) {
    for (size_t col = 0; col < table.cell_count(r) && !s.any_cell; ++col) s.any_cell = !table.cell(r, col).empty();
  }
  // Samples while a column has too few (or a row is wider than any before).
  const bool sampling = s.open_samples > 0 || table.max_cell_count() > s.samples.size();
  for (size_t i = 0; i < state.data_rows.size() && sampling; ++i) {
    const size_t r = state.data_rows[i];
    const size_t cells = table.cell_count(r);
    if (s.samples.size() < cells) {
      s.open_samples += cells - s.samples.size();
      s.samples.resize(cells);
    }
    if (s.open_samples == 0) continue;  // every column has its samples
    for (size_t col = 0; col < cells; ++col) {
      if (s.samples[col].size() >= kSampleSize) continue;
      const std::string_view text = TrimSpaces(table.cell(r, col));
      if (text.empty()) continue;
      s.sample_text.emplace_back(text);
      s.samples[col].push_back(s.sample_text.back());
      if (s.samples[col].size() == kSampleSize) --s.open_samples;
    }
  }
  if (!s.early_tried) StartEarlyIndex();
  const size_t begin = state.first_data_row, end = std::min(s.data_rows, s.record_limit);
  if (begin >= end || !s.indexing) return false;
  if (!s.index_lane) {
    s.early->AddUnique(begin, end, false, &s.unique);
    return false;
  }
  // The window's bytes go with the buffer they are in (no copy).
  TextStorage* storage = s.index_lane->Storage();
  s.window.HandOver(s.cut.consumed, storage);
  s.index_lane->Give(Window({storage->bytes.get(), s.cut.consumed}, begin, end));
  return true;
}

// A later pass: pass 1's windows, each as soon as its bytes are in, read
// again and taken by the pass's mode: their unique keys, or their check and
// writing (on the lanes, which read them too, when there are).
void ImportPasses::ReadCuts() {
  Impl& s = *impl_;
  ImportResult::Impl& state = s.state();
  size_t at = 0;  // the window's bytes read (dropped once, at the end)
  for (; s.next_cut < s.cuts.size(); ++s.next_cut) {
    const WindowCut& cut = s.cuts[s.next_cut];
    const size_t size = static_cast<size_t>(cut.end - s.base);
    if (s.window.size() - at < size) break;
    std::string_view text = s.window.view().substr(at, size);
    // A window first in the buffer goes to its lane with the buffer (no copy).
    TextStorage* storage = nullptr;
    if (at == 0 && (s.lanes || s.index_lane)) storage = s.lanes ? s.lanes->Storage() : s.index_lane->Storage();
    if (storage) {
      s.window.HandOver(size, storage);
      text = {storage->bytes.get(), size};  // (the bytes after it are at the buffer's start now)
    }
    // UTF-8 checked again: a source that changed must not reach the writers as invalid text.
    if (!CleanUtf8(text)) return Fail("file_changed", std::string(kChanged) + "it is no longer UTF-8");
    if (s.lanes) {
      if (!s.lanes->Give(text, cut)) return Fail("file_changed", kChanged + s.lanes->error());
    } else {
      Table& table = state.inspection.read.table;
      table.ViewAgain(text);
      std::string error;
      if (!ReadWindowAgain(s.reading, cut, &state, &error)) return Fail("file_changed", kChanged + error);
      const size_t begin = state.first_data_row, end = begin + state.data_rows.size();
      if (begin < end) {
        if (s.mode == Impl::Mode::kWrite) {
          s.writer->Chunk(s.checker.get(), begin, end, s.indexing ? &s.unique : nullptr);
        } else if (s.index_lane) {
          s.index_lane->Give(Window(text, begin, end));
        } else {
          s.early->AddUnique(begin, end, false, &s.unique);
        }
      }
      table.ViewAgain({});  // the window's text moves next
    }
    if (!storage) at += size;
    s.base = cut.end;
  }
  s.window.Erase(0, at);
}

// The window just read, `text` (its data rows [begin, end)), handed to a lane.
LaneWindow ImportPasses::Window(std::string_view text, size_t begin, size_t end) {
  ImportResult::Impl& state = impl_->state();
  return {text, &state.inspection.read.table, &state.data_rows, state.first_data_row, begin, end};
}

// The headers and samples so far as a match request (every column the rows
// so far have).
MatchRequest ImportPasses::Request() const {
  const Impl& s = *impl_;
  MatchRequest match;
  for (size_t col = 0; col < s.widest; ++col) {
    match.headers.push_back(col < s.header_cells.size() ? s.header_cells[col] : std::string());
  }
  match.samples = s.samples;
  match.samples.resize(s.widest);
  match.remembered = &s.options.mapping;
  match.fuzzy = s.state().schema.settings.fuzzy_match_headers;
  return match;
}

// After the head's rows: the unique keys taken from here on under the
// mapping the head suggests (kept if the final mapping agrees).
void ImportPasses::StartEarlyIndex() {
  Impl& s = *impl_;
  s.early_tried = true;
  if (!s.has_unique) return;
  ImportResult::Impl& state = s.state();
  MatchRequest match = Request();
  s.early_mapping = MatchColumns(match, state.schema);
  s.early_samples = std::move(match.samples);
  for (const Field& field : state.schema.fields) {
    if (!std::any_of(field.validators.begin(), field.validators.end(), IsUnique)) continue;
    for (size_t col : ColumnsOf(s.early_mapping, field.key)) s.keep_cells = std::max(s.keep_cells, col + 1);
  }
  // Room for the rows the source's size suggests (the head's rows per byte).
  size_t rows = 0;
  if (s.size_hint > 0 && s.cut.consumed > 0) {
    rows = static_cast<size_t>(static_cast<double>(s.size_hint) / static_cast<double>(s.cut.consumed) *
                               static_cast<double>(s.data_rows) * 1.05);
  }
  TakeKeys(s.early_mapping, s.early_samples, rows);
}

// The unique keys from here on, as a checker over `mapping` and `samples`
// takes them: on a worker thread (an IndexLane) when the import may use
// one, else by `early`, a checker of their own (taking keys is no check: it
// reports no progress, as on a lane).
void ImportPasses::TakeKeys(const std::vector<ColumnMatch>& mapping,
                            const std::vector<std::vector<std::string_view>>& samples, size_t rows) {
  Impl& s = *impl_;
  ImportResult::Impl& state = s.state();
  if (s.options.threads > 0 && LanesAvailable()) {
    s.index_lane = std::make_unique<IndexLane>(state, s.options, mapping, samples, rows, &s.unique);
    s.indexing = s.index_lane->indexing();
    if (!s.indexing) s.index_lane.reset();
    return;
  }
  s.early.reset();  // (before the options it keeps change)
  s.keys_options = s.options;
  s.keys_options.progress = nullptr;
  s.early = std::make_unique<RowChecker>(state.schema, s.keys_options, &state, mapping, &s.early_messages, samples,
                                         &s.progress, SIZE_MAX);
  s.indexing = s.early->BeginUnique(rows, &s.unique);
}

// The end of the first pass: the headers, the mapping, the unique keys'
// fate and the checker; then the next pass (or, without rows, the end).
void ImportPasses::EndStructure() {
  Impl& s = *impl_;
  ImportResult::Impl& state = s.state();
  ImportResult& result = s.result;
  if (s.index_lane) s.index_lane->Finish();  // the keys are all in
  s.index_lane.reset();
  if (!s.any_cell) return Fail(EmptyFileError().code, EmptyFileError().message);
  s.source_bytes = s.pass_bytes;
  s.source_hash = s.pass_hash.Value();
  s.samples.resize(s.widest);  // (a column of blank cells has none)
  MatchRequest match = Request();
  state.headers = match.headers;
  result.mapping_ = MatchColumns(match, state.schema);
  s.kept_rows = std::min(s.data_rows, s.record_limit);
  s.reading = {s.dialect, s.read_options.limits, state.header_row, s.kept_rows};
  state.dropped_rows = s.data_rows - s.kept_rows;
  result.data_rows_ = s.kept_rows;
  s.progress.bytes = s.source_bytes;
  s.progress.rows = s.kept_rows;
  s.progress.total = s.kept_rows * state.schema.fields.size();
  if (s.options.progress) {
    s.progress.stage = "read";
    s.options.progress(s.progress);
  }

  // The keys taken under the head's mapping stand when every unique field
  // has the same columns, each with the same samples (so the same coercer).
  bool keys_stand = s.indexing;
  for (const Field& field : state.schema.fields) {
    if (!keys_stand) break;
    if (!std::any_of(field.validators.begin(), field.validators.end(), IsUnique)) continue;
    const std::vector<size_t> columns = ColumnsOf(result.mapping_, field.key);
    keys_stand = columns == ColumnsOf(s.early_mapping, field.key);
    for (size_t col : columns) {
      keys_stand = keys_stand && col < s.early_samples.size() && s.early_samples[col].size() == s.samples[col].size();
    }
  }
  s.early.reset();
  state.data_rows.clear();
  s.checker = std::make_unique<RowChecker>(state.schema, s.options, &state, result.mapping_, &result.messages_,
                                           s.samples, &s.progress, s.kept_rows);
  Impl::Mode next = Impl::Mode::kWrite;
  if (!keys_stand) {
    s.unique = UniqueIndex();
    TakeKeys(result.mapping_, s.samples, s.kept_rows);
    if (s.indexing) next = Impl::Mode::kIndex;
  }
  if (s.kept_rows == 0) {  // nothing to check: the streams' ends (or nothing), and the outcome
    if (state.schema.settings.allow_empty_submit) {
      StreamWriter(state, result.mapping_, result.messages_, s.streams, 0).Begin();
    }
    return Finish();
  }
  s.mode = next;
}

// The rows are checked (or there were none): the outcome.
void ImportPasses::Finish() {
  Impl& s = *impl_;
  ImportResult::Impl& state = s.state();
  if (s.checker) s.result.rows_with_error_ = s.checker->rows_with_error();
  if (s.lanes && !s.lanes->Finish(&s.result.rows_with_error_)) return Fail("file_changed", kChanged + s.lanes->error());
  s.lanes.reset();
  s.writer.reset();
  s.checker.reset();
  state.fields.clear();
  state.row_has_error.clear();
  state.data_rows = {};
  state.inspection.read.table = Table();
  s.unique = UniqueIndex();
  s.window.Release();
  s.samples.clear();
  s.sample_text.clear();
  s.cuts = {};
  ImportRun::Decide(s.options, &s.progress, &s.result);
  s.mode = Impl::Mode::kDone;
}

bool ImportPasses::EndPass() {
  Impl& s = *impl_;
  if (s.mode == Impl::Mode::kHead) {
    Start(true);
  } else if (s.mode != Impl::Mode::kWhole && s.mode != Impl::Mode::kDone && !s.whole_next) {
    if (s.pass > 1) {
      ReadCuts();
    } else {
      ReadWindow(true);
    }
  }
  if (s.mode == Impl::Mode::kDone) return false;
  if (s.whole_next) {  // pass 1 met text that is not clean UTF-8 after rows were taken
    s.index_lane.reset();  // (stopped before the index it fills goes)
    Impl fresh;
    fresh.options = std::move(s.options);
    fresh.streams = std::move(s.streams);
    fresh.state().schema = std::move(s.state().schema);
    fresh.state().streamed = true;
    fresh.read_options = s.read_options;
    fresh.mode = Impl::Mode::kWhole;
    fresh.pass = s.pass + 1;
    *impl_ = std::move(fresh);
    return true;
  }
  if (s.mode == Impl::Mode::kWhole) {
    s.result = RunImport(s.window.view(), s.state().schema, s.options, s.streams);
    s.window.Release();
    s.mode = Impl::Mode::kDone;
    return false;
  }
  if (s.pass > 1) {  // the same source as in the first pass? (Each window's rows were.)
    if (s.pass_bytes != s.source_bytes || s.next_cut != s.cuts.size() || s.window.size() > 0) {
      Fail("file_changed",
           kChanged + std::to_string(s.source_bytes) + " bytes, then " + std::to_string(s.pass_bytes) + " bytes");
      return false;
    }
    if (s.pass_hash.Value() != s.source_hash) {
      Fail("file_changed", std::string(kChanged) + "its bytes differ");
      return false;
    }
  }
  switch (s.mode) {
    case Impl::Mode::kStructure:
      EndStructure();
      break;
    case Impl::Mode::kIndex:
      if (s.index_lane) s.index_lane->Finish();  // the keys are all in
      s.index_lane.reset();
      s.early.reset();
      s.mode = Impl::Mode::kWrite;
      break;
    case Impl::Mode::kWrite:
      Finish();
      return false;
    default: break;
  }
  if (s.mode == Impl::Mode::kDone) return false;
  // The next pass, from the source's start.
  ++s.pass;
  s.pass_bytes = 0;
  s.pass_hash = SourceHash();
  s.skip = s.bom.size();
  s.window.Clear();
  s.base = 0;
  s.next_cut = 0;
  if (s.mode == Impl::Mode::kWrite) {
    s.writer = std::make_unique<StreamWriter>(s.state(), s.result.mapping_, s.result.messages_, s.streams, s.kept_rows);
    s.writer->Begin();
    if (s.options.threads > 0 && LanesAvailable()) {
      s.lanes = std::make_unique<WriteLanes>(s.state(), s.options, s.result.mapping_, s.samples,
                                             s.indexing ? &s.unique : nullptr, s.streams, &s.result.messages_,
                                             &s.progress, s.reading, s.options.threads);
    }
  }
  return true;
}

ImportResult ImportPasses::Take() { return std::move(impl_->result); }

}  // namespace sluice
