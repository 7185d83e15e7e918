// WriteLanes: windows of rows checked and written on worker threads, their
// output handed on in order (write_lanes.h).
#include "write_lanes.h"

#include <cstring>
#include <iterator>
#include <utility>

#include "row_checker.h"

#if !defined(__EMSCRIPTEN__)
#include <condition_variable>
#include <mutex>
#include <thread>
#define SLUICE_LANES 1
#endif

namespace sluice {

bool WriteLanes::Available() {
#if defined(SLUICE_LANES)
  return true;
#else
  return false;
#endif
}

// A worker: its state and checker, the window it was given, its output.
struct WriteLanes::Lane {
  ImportResult::Impl state;       // the window's table and rows, the fields' values
  ImportOptions options;          // the import's, without progress (reported by the caller's thread)
  ImportProgress progress;
  std::vector<CellMessage> messages;  // the window's
  std::unique_ptr<RowChecker> checker;
  std::vector<RowWriter> writers;     // per stream
  std::vector<std::string> outs;      // per stream: the window's bytes (room past its length)
  std::vector<size_t> lengths;
  std::unique_ptr<char[]> text;       // the window's bytes
  size_t capacity = 0;
  size_t begin = 0, end = 0;          // the window's data rows
  const UniqueIndex* unique = nullptr;
  bool written = true;                // the window's output went to the streams (or there is none)

  void Run() {
    checker->Check(begin, end, unique);
    const size_t first = checker->chunk_messages();
    for (size_t s = 0; s < writers.size(); ++s) {
      lengths[s] = 0;
      writers[s].Write(begin, end - begin, messages.data() + first, messages.size() - first, &outs[s], &lengths[s]);
    }
  }

#if defined(SLUICE_LANES)
  std::mutex mutex;
  std::condition_variable changed;
  bool working = false;  // given a window, not yet done with it
  bool stop = false;
  std::thread thread;

  void Loop() {
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      changed.wait(lock, [this] { return working || stop; });
      if (stop) return;
      lock.unlock();
      Run();
      lock.lock();
      working = false;
      changed.notify_all();
    }
  }
  void Start() {
    std::lock_guard<std::mutex> lock(mutex);
    working = true;
    changed.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [this] { return !working; });
  }
#else
  void Start() { Run(); }
  void Wait() {}
#endif
};

WriteLanes::WriteLanes(const ImportResult::Impl& state, const ImportOptions& options,
                       const std::vector<ColumnMatch>& mapping, const std::vector<std::vector<std::string_view>>& samples,
                       const UniqueIndex* unique, const std::vector<RowStream>& streams,
                       std::vector<CellMessage>* messages, ImportProgress* progress, size_t total_rows, size_t lanes)
    : state_(state),
      options_(options),
      streams_(streams),
      mapping_(mapping),
      messages_(messages),
      progress_(progress),
      total_rows_(total_rows),
      any_row_(streams.size(), false) {
  for (size_t l = 0; l < std::max<size_t>(lanes, 1); ++l) {
    auto lane = std::make_unique<Lane>();
    lane->state.schema = state.schema;  // (settings and keys, for the writers)
    lane->state.headers = state.headers;
    lane->state.streamed = true;
    lane->options = options;
    lane->options.progress = nullptr;
    lane->unique = unique;
    // The checker refers to the import's schema: the unique index is keyed
    // by its validators.
    lane->checker = std::make_unique<RowChecker>(state.schema, lane->options, &lane->state, mapping, &lane->messages,
                                                 samples, &lane->progress, total_rows);
    for (const RowStream& stream : streams) {
      lane->writers.emplace_back(lane->state, mapping, stream.format);
      lane->writers.back().ContinueRows();
    }
    lane->outs.resize(streams.size());
    lane->lengths.assign(streams.size(), 0);
#if defined(SLUICE_LANES)
    lane->thread = std::thread([raw = lane.get()] { raw->Loop(); });
#endif
    lanes_.push_back(std::move(lane));
  }
}

WriteLanes::~WriteLanes() {
#if defined(SLUICE_LANES)
  for (auto& lane : lanes_) {
    {
      std::lock_guard<std::mutex> lock(lane->mutex);
      lane->stop = true;
      lane->changed.notify_all();
    }
    lane->thread.join();
  }
#endif
}

void WriteLanes::Give(std::string_view text, Table* table, std::vector<size_t>* data_rows, size_t first_data_row,
                      size_t begin, size_t end) {
  Lane& lane = *lanes_[given_ % lanes_.size()];
  ++given_;
  lane.Wait();
  Write(&lane);  // the window it had
  if (lane.capacity < text.size()) {
    lane.capacity = std::max(text.size(), lane.capacity * 2);
    lane.text.reset(new char[lane.capacity]);
  }
  if (!text.empty()) std::memcpy(lane.text.get(), text.data(), text.size());
  std::swap(lane.state.inspection.read.table, *table);
  lane.state.inspection.read.table.Rebase(std::string_view(lane.text.get(), text.size()));
  std::swap(lane.state.data_rows, *data_rows);
  data_rows->clear();
  lane.state.first_data_row = first_data_row;
  lane.begin = begin;
  lane.end = end;
  lane.written = false;
  lane.Start();
}

// A lane's window, done, to the streams and the result (once).
void WriteLanes::Write(Lane* lane) {
  if (lane->written) return;
  lane->written = true;
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
  if (options_.progress && lane->end < total_rows_) {  // as RowChecker reports after each chunk
    progress_->done = lane->end * state_.schema.fields.size();
    progress_->stage = "check";
    options_.progress(*progress_);
  }
}

size_t WriteLanes::Finish() {
  for (size_t k = 0; k < lanes_.size(); ++k) {  // the oldest window first
    Lane& lane = *lanes_[(given_ + k) % lanes_.size()];
    lane.Wait();
    Write(&lane);
  }
  size_t rows_with_error = 0;
  for (const auto& lane : lanes_) rows_with_error += lane->checker->rows_with_error();
  for (size_t s = 0; s < streams_.size(); ++s) {
    std::string end;
    RowWriter(state_, mapping_, streams_[s].format).End(&end);
    if (!end.empty()) streams_[s].write(end);
  }
  return rows_with_error;
}

}  // namespace sluice
