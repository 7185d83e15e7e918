// WriteLanes: the last pass of an import read in passes (import_passes.cpp)
// checks and writes its windows on worker threads, one window per lane at a
// time. Each lane has its own state (the window's text, table and rows, the
// fields' values), RowChecker and row writers; windows go to the lanes in
// turn, and the caller's thread hands each window's output to the streams,
// and its messages to the result, in window order: the streams receive
// exactly the bytes one thread writes (StreamRows), the result the same
// messages. Builds without threads (WebAssembly) have no lanes: the import
// checks and writes on its own thread.
#ifndef SLUICE_WRITE_LANES_H_
#define SLUICE_WRITE_LANES_H_

#include <memory>
#include <string_view>
#include <vector>

#include "emit/import_state.h"
#include "validate/validators.h"

namespace sluice {

class WriteLanes {
 public:
  //! Whether this build can run lanes (it has threads).
  static bool Available();

  //! `lanes` worker threads checking rows as a RowChecker over `state`'s
  //! schema, `mapping` and `samples` would (with `unique`, if not null),
  //! `total_rows` data rows in all, and writing them to `streams` (whose
  //! beginnings are written already). `messages`: the result's, which gains
  //! each window's in order; `progress`: reported as each window is written.
  //! Every argument must outlive this.
  WriteLanes(const ImportResult::Impl& state, const ImportOptions& options, const std::vector<ColumnMatch>& mapping,
             const std::vector<std::vector<std::string_view>>& samples, const UniqueIndex* unique,
             const std::vector<RowStream>& streams, std::vector<CellMessage>* messages, ImportProgress* progress,
             size_t total_rows, size_t lanes);
  //! Stops the threads; windows not yet written are dropped (a failed import).
  ~WriteLanes();
  WriteLanes(const WriteLanes&) = delete;
  WriteLanes& operator=(const WriteLanes&) = delete;

  //! Data rows [begin, end) to check and write, a window's: `text` its bytes
  //! (copied), `table` its rows over `text`, `data_rows` their table rows
  //! (data row first_data_row + i is table row data_rows[i]). The table and
  //! the rows are taken: the caller gets another (empty) table and list to
  //! fill next. The window given `lanes` windows before is written first.
  void Give(std::string_view text, Table* table, std::vector<size_t>* data_rows, size_t first_data_row, size_t begin,
            size_t end);
  //! Writes every window given, in order, then the streams' ends. The
  //! number of rows with an error.
  size_t Finish();

 private:
  struct Lane;
  void Write(Lane* lane);

  const ImportResult::Impl& state_;
  const ImportOptions& options_;
  const std::vector<RowStream>& streams_;
  const std::vector<ColumnMatch>& mapping_;
  std::vector<CellMessage>* messages_;
  ImportProgress* progress_;
  size_t total_rows_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  size_t given_ = 0;             // windows given
  std::vector<bool> any_row_;    // per stream: a row was written (JSON: the next comes after a comma)
};

}  // namespace sluice

#endif  // SLUICE_WRITE_LANES_H_
