// Lanes: an import read in passes (import_passes.cpp) works on its windows on
// worker threads while its own thread reads the next window. A lane has its
// own state (a copy of the window's text, its table and rows, the fields'
// values) and RowChecker; the reading thread hands it a window (Give): its
// rows, or (WriteLanes) its text alone.
// - IndexLane (the pass that takes the unique keys): one lane adds each
//   window's keys to the index, window after window, as the reading thread
//   would (the same index).
// - WriteLanes (the last pass): lanes (two a thread) read (tokenize), check
//   and write windows given in turn, each where the first pass cut it
//   (WindowCut), on a pool of threads that take the lanes in the order they
//   were given (a thread done early takes the next window, not waiting for
//   the lane beside it); the reading thread hands each window's output to the
//   streams, and its messages to the result, in window order: the streams
//   receive exactly the bytes one thread writes (StreamRows), the result the
//   same messages.
// Builds without threads (WebAssembly) have no lanes: the import does all of
// it on its own thread.
#ifndef SLUICE_LANES_H_
#define SLUICE_LANES_H_

#include <memory>
#include <string_view>
#include <vector>

#include "emit/import_state.h"
#include "read/csv_reader.h"
#include "validate/validators.h"

namespace sluice {

//! Whether this build can run lanes (it has threads). A lane whose thread
//! cannot start works on the import's own thread instead (the same output).
bool LanesAvailable();

//! Tests: every lane's thread fails to start while `fail` is set.
void FailThreadStartsForTesting(bool fail);

struct Lane;
class LanePool;

//! A window of the text as the first pass read it (whole records; see
//! ReadDelimitedWindow): a later pass reads each again alone, on any thread.
struct WindowCut {
  uint64_t end = 0;          //!< its end in the text (it starts at the one before's end)
  size_t blank_lines = 0;    //!< blank lines carried into it (not yet rows)
  size_t first_row = 0;      //!< its first table row
  size_t rows = 0;           //!< its table rows
  size_t first_data_row = 0;  //!< its first data row (kept or dropped)
  size_t data_rows = 0;      //!< its data rows
};

//! How the text reads, as the first pass decided it.
struct WindowReading {
  CsvDialect dialect;
  ReadLimits limits;
  size_t header_row = 0;
  size_t kept = 0;  //!< data rows kept (maxRecords): those past it are dropped
};

//! A window read again (`state`'s table, which views its text and has no
//! rows): its rows, and its kept data rows into state->data_rows and
//! first_data_row (data rows [first_data_row, first_data_row +
//! data_rows.size())). False, with `*error`, when they are not the first
//! pass's (the source changed).
bool ReadWindowAgain(const WindowReading& reading, const WindowCut& cut, ImportResult::Impl* state,
                     std::string* error);

//! Bytes a window's text lives in. A lane holds one; the reading thread may
//! put the next window's text in it (Storage) by exchanging it for its own
//! buffer, so the lane takes the window without copying it.
struct TextStorage {
  std::unique_ptr<char[]> bytes;
  size_t capacity = 0;
};

//! A window handed to a lane: data rows [begin, end), `text` its bytes
//! (copied, unless they are at the start of the lane's Storage()), `table`
//! its rows over `text`, `data_rows` their table rows (data row
//! first_data_row + i is table row data_rows[i]). The table and the rows
//! are taken: the caller gets another (empty) table and list to fill next.
struct LaneWindow {
  std::string_view text;
  Table* table;
  std::vector<size_t>* data_rows;
  size_t first_data_row;
  size_t begin, end;
};

class IndexLane {
 public:
  //! Takes the unique family's keys into `index` as a RowChecker over
  //! `state`'s schema, `mapping` and `samples` does (BeginUnique with room
  //! for `rows` rows, then AddUnique per window, keys copied). The index's
  //! groups are made on the lanes' thread, before the first window's keys
  //! (so the reading thread does not zero their tables).
  IndexLane(const ImportResult::Impl& state, const ImportOptions& options, const std::vector<ColumnMatch>& mapping,
            const std::vector<std::vector<std::string_view>>& samples, size_t rows, UniqueIndex* index);
  ~IndexLane();
  IndexLane(const IndexLane&) = delete;
  IndexLane& operator=(const IndexLane&) = delete;
  //! Whether there are keys to take (BeginUnique's answer); if not, Give is not to be called.
  bool indexing() const { return indexing_; }
  //! Waits for the window given kLanes windows before, then its lane's
  //! storage, free for the next window's text (Give takes a text at its
  //! start without a copy).
  TextStorage* Storage();
  //! The window's keys (after the windows' before).
  void Give(const LaneWindow& window);
  //! Waits for the last window's keys: the index is complete.
  void Finish();

 private:
  // Windows in flight: the reading thread reads and gives the next ones
  // while the lanes' thread takes the keys of one before (with one, each
  // waited for the other at every window: a window's keys and its reading
  // take unequal times, window by window).
  static constexpr size_t kLanes = 3;
  Lane& Next();  // the lane that takes the next window, done with its last
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::unique_ptr<LanePool> pool_;  // one thread: the windows' keys in the order given
  UniqueIndex* index_;
  size_t rows_;
  size_t given_ = 0;
  bool indexing_ = false;
};

class WriteLanes {
 public:
  //! `lanes` worker threads reading windows as `reading` says (the kept
  //! rows: `reading.kept`), checking their rows as a RowChecker over
  //! `state`'s schema, `mapping` and `samples` would (with `unique`, if not
  //! null), and writing them to `streams` (whose beginnings are written
  //! already). `messages`: the result's, which gains each window's in order;
  //! `progress`: reported as each window is written. Every argument must
  //! outlive this.
  WriteLanes(const ImportResult::Impl& state, const ImportOptions& options, const std::vector<ColumnMatch>& mapping,
             const std::vector<std::vector<std::string_view>>& samples, const UniqueIndex* unique,
             const std::vector<RowStream>& streams, std::vector<CellMessage>* messages, ImportProgress* progress,
             const WindowReading& reading, size_t lanes);
  //! Stops the threads; windows not yet written are dropped (a failed import).
  ~WriteLanes();
  WriteLanes(const WriteLanes&) = delete;
  WriteLanes& operator=(const WriteLanes&) = delete;

  //! The window `text` (copied, unless it is at the start of Storage()),
  //! cut `cut`, to read, check and write; the window given `lanes` windows
  //! before is written first. False: a window given before was not what the
  //! first pass read (error() says how); nothing is written from then on.
  bool Give(std::string_view text, const WindowCut& cut);
  //! Writes the window of the lane that takes the next one, then its
  //! storage, free for the next window's text; null after an error (Give
  //! then says it).
  TextStorage* Storage();
  //! Writes every window given, in order, then the streams' ends, and sets
  //! the number of rows with an error; false as Give (no ends written).
  bool Finish(size_t* rows_with_error);
  const std::string& error() const { return error_; }

 private:
  void Write(Lane* lane);
  Lane& Next();  // the lane that takes the next window, done with its last and that written

  const ImportResult::Impl& state_;
  const ImportOptions& options_;
  const std::vector<RowStream>& streams_;
  const std::vector<ColumnMatch>& mapping_;
  std::vector<CellMessage>* messages_;
  ImportProgress* progress_;
  std::vector<std::unique_ptr<Lane>> lanes_;  // two a thread, given windows in turn
  std::unique_ptr<LanePool> pool_;            // the threads (none without SLUICE_LANES)
  const WindowReading& reading_;
  size_t given_ = 0;             // windows given
  std::string error_;            // a window was not the first pass's: why (nothing is written after it)
  std::vector<bool> any_row_;    // per stream: a row was written (JSON: the next comes after a comma)
};

}  // namespace sluice

#endif  // SLUICE_LANES_H_
