// Stages 6 and 7 for a range of data rows (RowChecker), and the rows
// checked and written chunk by chunk (StreamRows). Shared by RunImport
// (import.cpp) and the import read in passes (import_passes.cpp).
#ifndef SLUICE_ROW_CHECKER_H_
#define SLUICE_ROW_CHECKER_H_

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coerce/coerce.h"
#include "emit/import_state.h"
#include "validate/validators.h"

namespace sluice {

//! Each field's values, validity and messages over a range of data rows. The
//! coercers (and their column decisions) are made once, from the samples; a
//! range's values replace the previous range's in `state` (indexed from the
//! range's first row); messages name rows of the import. The rows are the
//! state's data_rows, cells of its inspection's table; `total_rows` of them
//! in all.
class RowChecker {
 public:
  RowChecker(const Schema& schema, const ImportOptions& options, ImportResult::Impl* state,
             const std::vector<ColumnMatch>& mapping, std::vector<CellMessage>* messages,
             const std::vector<std::vector<std::string_view>>& samples, ImportProgress* progress, size_t total_rows);

  size_t rows_with_error() const { return rows_with_error_; }

  //! Checks data rows [begin, end): state's fields then hold their values
  //! (row i of the range at index i - begin), result's messages gain theirs.
  //! `unique`: the unique family's groups over every row (else counted
  //! within the range, which must then be every row).
  void Check(size_t begin, size_t end, const UniqueIndex* unique);

  //! Where the last Check's messages start in the result's messages.
  size_t chunk_messages() const { return chunk_messages_; }

  //! Check over data rows [begin, end) a part at a time, each part then
  //! written: written(from, to, first_message) after the part [from, to) is
  //! checked. A part's values (32 bytes a cell) are still in the core's
  //! cache when its rows are written; a window's, ten times more, were not,
  //! and the writer waited on memory. `unique`: as Check's.
  template <typename Written>
  void CheckInParts(size_t begin, size_t end, const UniqueIndex* unique, Written written) {
    const size_t part = std::max<size_t>(64, kPartCells / std::max<size_t>(1, schema_.fields.size()));
    // Without an index the range is every row, and the unique family counts
    // within it: over more than one part, the range's keys are taken first
    // (a part would count only its own rows).
    UniqueIndex range_keys;
    if (!unique && end - begin > part && BeginUnique(end - begin, &range_keys)) {
      AddUnique(begin, end, /*stable=*/true, &range_keys);
      unique = &range_keys;
    }
    for (size_t from = begin; from < end; from += part) {
      const size_t to = std::min(end, from + part);
      Check(from, to, unique);
      written(from, to, chunk_messages_);
    }
  }
  // A part's cells: their values and raw texts (32 bytes a cell, 128 KB)
  // fit a core's second-level cache with the part's text and output. (150k
  // rows of bench/generate.mjs on one thread, cachegrind with a 2 MB last
  // level: its data misses 4.8M a window at a time, 1.7M in parts of 1,024
  // rows, 1.35M of 409 rows, this.)
  static constexpr size_t kPartCells = 4096;

  //! Makes `index`'s groups for the unique family's validators of mapped
  //! fields, room for `rows` rows (more grow it); false when there are none.
  bool BeginUnique(size_t rows, UniqueIndex* index);
  //! BeginUnique's part that is this checker's own (which fields and
  //! columns AddUnique reads), for a checker adding keys to an index that
  //! another began; false when there are none.
  bool PlanUnique();
  //! Adds data rows [begin, end)'s keys, coercing only the fields that carry
  //! them. `stable`: the table's cells outlive the index (else keys are copied).
  void AddUnique(size_t begin, size_t end, bool stable, UniqueIndex* index);
  //! BeginUnique and AddUnique over every data row, `chunk` rows at a time.
  void IndexUnique(size_t chunk, UniqueIndex* index);

 private:
  // Data row `row_id` as a review or a hook names it -> its position, if kept.
  std::optional<size_t> PositionOf(size_t row_id);
  // Field `f` over data rows [begin, end): values, validity, coercion messages.
  void Coerce(size_t f, size_t begin, size_t end, std::vector<CellMessage>* messages);
  bool CellsAreKeys(size_t f, size_t n);

  const Schema& schema_;
  const ImportOptions& options_;
  ImportResult::Impl& state_;
  const std::vector<ColumnMatch>& mapping_;
  std::vector<CellMessage>& messages_;
  const std::vector<std::vector<std::string_view>>& samples_;
  ImportProgress* progress_;
  size_t total_rows_ = 0;
  size_t rows_with_error_ = 0;
  size_t chunk_messages_ = 0;
  Coerced coerced_;  // one scratch for every cell: no allocation per cell
  // Gather: table columns' trimmed texts over a range of rows, each column
  // into its raw owner's raw texts (the first field reading it first, not
  // manyToOne: Coerce then copies nothing), else into gathered_.
  void Gather(const std::vector<size_t>& columns, size_t begin, size_t end);
  std::vector<std::string_view>& Gathered(size_t col) {
    return raw_owner_[col] != SIZE_MAX ? state_.fields[raw_owner_[col]].column.raw : gathered_[col];
  }
  std::vector<size_t> raw_owner_;  // per table column: the field, or SIZE_MAX
  std::vector<std::vector<std::string_view>> gathered_;  // per table column
  std::vector<size_t> check_columns_;   // the columns Check reads: every mapped field's
  std::vector<size_t> unique_columns_;  // the columns AddUnique reads: the unique family's fields'
  std::vector<std::string_view*> gather_to_;
  std::vector<size_t> gather_later_;  // rows to read again, cell by cell
  std::vector<std::vector<std::unique_ptr<ColumnCoercer>>> coercers_;  // per field, per source column
  std::map<std::string, size_t> field_position_;
  std::vector<size_t> positions_;
  // Per field: cells whose select options a hook replaced (data row -> options),
  // and a coercer per set of options.
  std::vector<std::map<size_t, const std::vector<SelectOption>*>> hook_options_;
  std::map<const std::vector<SelectOption>*, std::pair<Field, std::unique_ptr<ColumnCoercer>>> hook_coercers_;
  std::map<std::pair<size_t, std::string>, const HookEdits::Cell*> hook_info_;
  // The unique family (BeginUnique): fields to coerce, uniqueKey -> member fields.
  std::vector<bool> unique_needed_;
  std::map<std::string, std::vector<size_t>> unique_with_;
  std::vector<CellMessage> ignored_;
};

//! Rows checked and written a chunk at a time to every stream, each chunk
//! before the next replaces its values.
class StreamWriter {
 public:
  //! `rows`: the data rows in all (the last chunk's end).
  StreamWriter(const ImportResult::Impl& state, const std::vector<ColumnMatch>& mapping,
               const std::vector<CellMessage>& messages, const std::vector<RowStream>& streams, size_t rows);
  //! What comes before the rows (and, when there are none, after them).
  void Begin();
  //! Checks data rows [begin, end) and writes them (and, after the last row,
  //! what comes after the rows). `unique`: as RowChecker::Check's.
  void Chunk(RowChecker* checker, size_t begin, size_t end, const UniqueIndex* unique);

 private:
  const std::vector<CellMessage>& messages_;
  const std::vector<RowStream>& streams_;
  const size_t rows_;
  std::vector<RowWriter> writers_;
  // One buffer for every chunk: each is written over the last (its bytes
  // past a chunk's length are room, not zero-filled again).
  std::string out_;
};

//! Checks the rows a chunk at a time, writing each chunk to every stream
//! before the next replaces its values. With more than one chunk, a first
//! pass counts the unique family's keys over every row.
void StreamRows(RowChecker* checker, const ImportResult::Impl& state, const std::vector<ColumnMatch>& mapping,
                const std::vector<CellMessage>& messages, const std::vector<RowStream>& streams, size_t chunk_rows);

}  // namespace sluice

#endif  // SLUICE_ROW_CHECKER_H_
