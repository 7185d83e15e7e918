// Lanes: windows of rows worked on by worker threads (lanes.h).
#include "lanes.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <utility>

#include "row_checker.h"

#if !defined(__EMSCRIPTEN__)
#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#define SLUICE_LANES 1
#endif

namespace sluice {

#if defined(SLUICE_LANES)
namespace {
std::atomic<bool> fail_thread_starts{false};
}  // namespace
#endif

void FailThreadStartsForTesting(bool fail) {
#if defined(SLUICE_LANES)
  fail_thread_starts = fail;
#else
  (void)fail;
#endif
}

bool LanesAvailable() {
#if defined(SLUICE_LANES)
  return true;
#else
  return false;
#endif
}

bool ReadWindowAgain(const WindowReading& reading, const WindowCut& cut, ImportResult::Impl* state,
                     std::string* error) {
  Table& table = state->inspection.read.table;
  const uint64_t start = cut.end - table.text().size();
  DelimitedWindow carried{0, cut.blank_lines};
  std::vector<Notice> ignored;  // (the first pass's notices stand)
  Result<bool> read = ReadDelimitedWindow(&table, reading.dialect, reading.limits, /*last=*/true, start, &carried,
                                          &ignored);
  if (!read.ok()) {
    *error = read.error().message;
    return false;
  }
  state->data_rows.clear();
  state->first_data_row = std::min(cut.first_data_row, reading.kept);
  const size_t data_rows =
      ListDataRows(table, cut.first_row, reading.header_row, cut.first_data_row, reading.kept, &state->data_rows);
  if (table.row_count() != cut.rows || data_rows != cut.data_rows) {
    *error = "the bytes from " + std::to_string(start) + " to " + std::to_string(cut.end) + " held " +
             std::to_string(cut.rows) + " rows (" + std::to_string(cut.data_rows) + " of data), then " +
             std::to_string(table.row_count()) + " (" + std::to_string(data_rows) + ")";
    return false;
  }
  return true;
}

#if defined(SLUICE_LANES)
struct Lane;

// Threads that run the windows of many lanes (WriteLanes: two lanes a
// thread), each the next lane given a window, so a thread done early takes
// the next window at once instead of waiting for the lane beside it.
class LanePool {
 public:
  explicit LanePool(size_t threads);
  ~LanePool();  // (a window in work is finished first; those not begun are dropped)
  LanePool(const LanePool&) = delete;
  LanePool& operator=(const LanePool&) = delete;
  //! Whether any thread started (if not, lanes work on their caller's thread).
  bool running() const { return !threads_.empty(); }
  void Push(Lane* lane);

 private:
  void Loop();
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Lane*> queue_;  // lanes given a window, not yet begun
  bool stop_ = false;
  std::vector<pthread_t> threads_;
};
#else
class LanePool {};  // (no threads: every lane works on its caller's thread)
#endif

// A worker: its state and checker, the window it was given, and what it
// does with it: the window's keys into an index, or its rows read, checked
// and written into its own buffers.
struct Lane {
  ImportResult::Impl state;       // the window's table and rows, the fields' values
  ImportOptions options;          // the import's, without progress (reported by the reading thread)
  ImportProgress progress;
  std::vector<CellMessage> messages;  // the window's
  std::unique_ptr<RowChecker> checker;
  UniqueIndex* index = nullptr;       // set: the window's keys go there
  size_t index_rows = SIZE_MAX;       // set: the index's groups are made first (BeginUnique), room for these rows
  const UniqueIndex* unique = nullptr;  // the checks' unique index
  std::vector<RowWriter> writers;     // per stream
  std::vector<std::string> outs;      // per stream: the window's bytes (room past its length)
  std::vector<size_t> lengths;
  TextStorage text;                   // the window's bytes
  size_t begin = 0, end = 0;          // the window's data rows
  bool written = true;                // the window's output went on (or there is none)
  // A window to read first (WriteLanes): how, and where the first pass cut it.
  const WindowReading* reading = nullptr;
  WindowCut cut;
  bool failed = false;                // it was not the first pass's rows: `error` says how
  std::string error;

  Lane(const ImportResult::Impl& import, const ImportOptions& import_options) {
    state.schema = import.schema;  // (settings and keys, for the writers)
    state.headers = import.headers;
    state.streamed = true;
    options = import_options;
    options.progress = nullptr;
  }
  // The checker refers to the import's schema: the unique index is keyed by its validators.
  void MakeChecker(const ImportResult::Impl& import, const std::vector<ColumnMatch>& mapping,
                   const std::vector<std::vector<std::string_view>>& samples, size_t total_rows) {
    checker = std::make_unique<RowChecker>(import.schema, options, &state, mapping, &messages, samples, &progress,
                                           total_rows);
  }

  // The window's bytes into this lane's (the caller waited for the one
  // before); none to copy when they are there already (Storage).
  std::string_view Copy(std::string_view text_in) {
    written = false;
    if (text_in.data() == text.bytes.get()) return text_in;
    if (text.capacity < text_in.size()) {
      text.capacity = std::max(text_in.size(), text.capacity * 2);
      text.bytes.reset(new char[text.capacity]);
    }
    if (!text_in.empty()) std::memcpy(text.bytes.get(), text_in.data(), text_in.size());
    return {text.bytes.get(), text_in.size()};
  }
  // A window read, with its table and rows.
  void Take(const LaneWindow& window) {
    const std::string_view copy = Copy(window.text);
    std::swap(state.inspection.read.table, *window.table);
    state.inspection.read.table.Rebase(copy);
    std::swap(state.data_rows, *window.data_rows);
    window.data_rows->clear();
    state.first_data_row = window.first_data_row;
    begin = window.begin;
    end = window.end;
  }
  // A window to read here.
  void Take(std::string_view window, const WindowCut& window_cut) {
    state.inspection.read.table.ViewAgain(Copy(window));
    cut = window_cut;
  }

  void Run() {
    if (index) {
      if (index_rows != SIZE_MAX) checker->BeginUnique(index_rows, index);
      index_rows = SIZE_MAX;
      checker->AddUnique(begin, end, /*stable=*/false, index);
      return;
    }
    if (reading) {
      failed = !ReadWindowAgain(*reading, cut, &state, &error);
      if (failed) return;
      begin = state.first_data_row;
      end = begin + state.data_rows.size();
    }
    for (size_t s = 0; s < writers.size(); ++s) lengths[s] = 0;
    checker->CheckInParts(begin, end, unique, [this](size_t from, size_t to, size_t first) {
      for (size_t s = 0; s < writers.size(); ++s) {
        writers[s].Write(from, to - from, messages.data() + first, messages.size() - first, &outs[s], &lengths[s]);
      }
    });
  }

#if defined(SLUICE_LANES)
  std::mutex mutex;
  std::condition_variable changed;
  bool working = false;  // given a window, not yet done with it
  bool stop = false;
  pthread_t thread{};
  bool launched = false;  // a thread runs Loop(); if not, the lane works on its caller's thread
  LanePool* pool = nullptr;  // set: the pool's threads run this lane's windows (no thread of its own)
  bool pooled() const { return pool != nullptr && pool->running(); }

  // pthread_create, not std::thread: without exceptions, a std::thread that
  // cannot start (no memory, a process limit) aborts the process.
  void Launch() {
    launched = !fail_thread_starts &&
               pthread_create(&thread, nullptr, [](void* lane) -> void* {
                 static_cast<Lane*>(lane)->Loop();
                 return nullptr;
               }, this) == 0;
  }
  void Loop() {
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      changed.wait(lock, [this] { return working || stop; });
      if (stop) return;
      lock.unlock();
      Run();
      Done();
      lock.lock();
    }
  }
  void Start() {
    if (!launched && !pooled()) return Run();
    {
      std::lock_guard<std::mutex> lock(mutex);
      working = true;
      changed.notify_all();
    }
    if (pooled()) pool->Push(this);
  }
  void Wait() {
    if (!launched && !pooled()) return;
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [this] { return !working; });
  }
  void Done() {  // (its thread, or a pool's, ran the window)
    std::lock_guard<std::mutex> lock(mutex);
    working = false;
    changed.notify_all();
  }
  ~Lane() {
    if (!launched) return;
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
      changed.notify_all();
    }
    pthread_join(thread, nullptr);  // (a window in work is finished first, then dropped)
  }
#else
  void Launch() {}
  void Start() { Run(); }
  void Wait() {}
#endif
};

#if defined(SLUICE_LANES)
LanePool::LanePool(size_t threads) {
  for (size_t t = 0; t < threads && !fail_thread_starts; ++t) {
    pthread_t thread;
    if (pthread_create(&thread, nullptr, [](void* pool) -> void* {
          static_cast<LanePool*>(pool)->Loop();
          return nullptr;
        }, this) != 0) {
      break;
    }
    threads_.push_back(thread);
  }
}

LanePool::~LanePool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    changed_.notify_all();
  }
  for (pthread_t thread : threads_) pthread_join(thread, nullptr);
}

void LanePool::Push(Lane* lane) {
  std::lock_guard<std::mutex> lock(mutex_);
  queue_.push_back(lane);
  changed_.notify_one();
}

void LanePool::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    Lane* lane = queue_.front();
    queue_.pop_front();
    lock.unlock();
    lane->Run();
    lane->Done();
    lock.lock();
  }
}
#endif

IndexLane::IndexLane(const ImportResult::Impl& state, const ImportOptions& options,
                     const std::vector<ColumnMatch>& mapping, const std::vector<std::vector<std::string_view>>& samples,
                     size_t rows, UniqueIndex* index)
    : index_(index), rows_(rows) {
  for (size_t l = 0; l < kLanes; ++l) {
    auto lane = std::make_unique<Lane>(state, options);
    lane->MakeChecker(state, mapping, samples, SIZE_MAX);
    lane->index = index;
    indexing_ = lane->checker->PlanUnique();
    lanes_.push_back(std::move(lane));
  }
#if defined(SLUICE_LANES)
  if (!indexing_) return;
  pool_ = std::make_unique<LanePool>(1);
  for (auto& lane : lanes_) lane->pool = pool_.get();
#endif
}

// (The pool's thread stops before the lanes it runs go.)
IndexLane::~IndexLane() { pool_.reset(); }

Lane& IndexLane::Next() {
  Lane& lane = *lanes_[given_ % kLanes];
  lane.Wait();
  return lane;
}

TextStorage* IndexLane::Storage() { return &Next().text; }

void IndexLane::Give(const LaneWindow& window) {
  Lane& lane = Next();
  lane.Take(window);
  if (given_++ == 0) lane.index_rows = rows_;  // (the first window makes the index's groups)
  lane.Start();
}

void IndexLane::Finish() {
  for (size_t k = 0; k < kLanes; ++k) lanes_[(given_ + k) % kLanes]->Wait();
  if (given_ == 0 && indexing_) lanes_[0]->checker->BeginUnique(rows_, index_);  // (no window: no keys)
}

WriteLanes::WriteLanes(const ImportResult::Impl& state, const ImportOptions& options,
                       const std::vector<ColumnMatch>& mapping, const std::vector<std::vector<std::string_view>>& samples,
                       const UniqueIndex* unique, const std::vector<RowStream>& streams,
                       std::vector<CellMessage>* messages, ImportProgress* progress, const WindowReading& reading,
                       size_t lanes)
    : state_(state),
      options_(options),
      streams_(streams),
      mapping_(mapping),
      messages_(messages),
      progress_(progress),
      reading_(reading),
      any_row_(streams.size(), false) {
#if defined(SLUICE_LANES)
  pool_ = std::make_unique<LanePool>(std::max<size_t>(lanes, 1));
#endif
  for (size_t l = 0; l < 2 * std::max<size_t>(lanes, 1); ++l) {
    auto lane = std::make_unique<Lane>(state, options);
    lane->MakeChecker(state, mapping, samples, reading.kept);
    lane->unique = unique;
    lane->reading = &reading_;
    for (const RowStream& stream : streams) {
      lane->writers.emplace_back(lane->state, mapping, stream.format);
      lane->writers.back().ContinueRows();
    }
    lane->outs.resize(streams.size());
    lane->lengths.assign(streams.size(), 0);
#if defined(SLUICE_LANES)
    lane->pool = pool_.get();
#endif
    lanes_.push_back(std::move(lane));
  }
}

// (The pool's threads stop before the lanes they run go.)
WriteLanes::~WriteLanes() { pool_.reset(); }

Lane& WriteLanes::Next() {
  Lane& lane = *lanes_[given_ % lanes_.size()];
  lane.Wait();
  Write(&lane);  // the window it had (once)
  return lane;
}

TextStorage* WriteLanes::Storage() {
  Lane& lane = Next();
  return error_.empty() ? &lane.text : nullptr;
}

bool WriteLanes::Give(std::string_view text, const WindowCut& cut) {
  Lane& lane = Next();
  if (!error_.empty()) return false;
  ++given_;
  lane.Take(text, cut);
  lane.Start();
  return true;
}

// A lane's window, done, to the streams and the result (once); none after
// a window that failed.
void WriteLanes::Write(Lane* lane) {
  if (lane->written) return;
  lane->written = true;
  if (lane->failed && error_.empty()) error_ = lane->error;
  if (!error_.empty()) return;
  for (size_t s = 0; s < streams_.size(); ++s) {
    std::string_view bytes(lane->outs[s].data(), lane->lengths[s]);
    if (bytes.empty()) continue;
    // JSON: every row came after a comma; the import's first row does not.
    if (streams_[s].format == RowFormat::kJson && !any_row_[s]) bytes.remove_prefix(1);
    any_row_[s] = true;
    streams_[s].write(bytes);
  }
  messages_->insert(messages_->end(), std::make_move_iterator(lane->messages.begin()),
                    std::make_move_iterator(lane->messages.end()));
  lane->messages.clear();
  if (options_.progress && lane->end < reading_.kept) {  // as RowChecker reports after each chunk
    progress_->done = lane->end * state_.schema.fields.size();
    progress_->stage = "check";
    options_.progress(*progress_);
  }
}

bool WriteLanes::Finish(size_t* rows_with_error) {
  for (size_t k = 0; k < lanes_.size(); ++k) {  // the oldest window first
    Lane& lane = *lanes_[(given_ + k) % lanes_.size()];
    lane.Wait();
    Write(&lane);
  }
  if (!error_.empty()) return false;
  *rows_with_error = 0;
  for (const auto& lane : lanes_) *rows_with_error += lane->checker->rows_with_error();
  for (size_t s = 0; s < streams_.size(); ++s) {
    std::string end;
    RowWriter(state_, mapping_, streams_[s].format).End(&end);
    if (!end.empty()) streams_[s].write(end);
  }
  return true;
}

}  // namespace sluice
