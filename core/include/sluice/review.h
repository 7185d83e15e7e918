// ReviewSession: an import a person is reviewing, edited live (DESIGN.md).
// It holds the processed table and applies edits: a cell (re-checking only
// the cells it can change: its row, and the rows sharing its old or new value
// in a unique field), find-and-replace, added and removed rows, the header
// row, the mapping; undo and redo. Every change is recorded as ReviewChanges,
// the body the review endpoint takes, so the server re-runs exactly what the
// person saw. Its messages are those a fresh RunImport with the recorded
// changes gives (tests hold it to that).
#ifndef SLUICE_REVIEW_H_
#define SLUICE_REVIEW_H_

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sluice/error.h"
#include "sluice/import.h"

namespace sluice {

struct FindReplaceSpec {
  std::string find;              //!< not empty
  std::string replace;
  std::string field_key;         //!< "" for every field
  bool match_case = false;
  bool whole_cell = false;       //!< the cell must equal `find` (else: every occurrence in it)
};

//! A filter over messages (JSON: {"level", "field", "offset", "limit"}).
struct MessageFilter {
  std::optional<Level> level;
  std::string field_key;         //!< "" for every field
  size_t offset = 0;
  size_t limit = 100;
};

class ReviewSession {
 public:
  //! Opens a session on the import of `bytes` with `schema`, with the
  //! changes of an earlier review (the last submission) applied.
  static std::unique_ptr<ReviewSession> Open(std::string bytes, const Schema& schema, ReviewChanges changes = {});
  ~ReviewSession();

  size_t row_count() const;
  //! Rows [offset, offset + limit) as JSON: [{"rowIndex", "values": {key:
  //! value as in the result}, "texts": {key: the cell's text}, "messages":
  //! [{fieldKey, code, level, message}]}].
  std::string RowsJson(size_t offset, size_t limit) const;
  //! {"count", "messages": [{rowIndex, fieldKey, code, level, message, value}]}, in row order.
  std::string MessagesJson(const MessageFilter& filter) const;
  //! {"rows", "rowsWithError", "errors", "warnings", "byField": {key: {code: count}},
  //!  "outcome", "reasons": [...], "mapping": [...], "headerRow", "rawHeaders"}.
  std::string SummaryJson() const;

  // Edits. Each answers JSON {"changed": [{rowIndex, fieldKey, messages}]}
  // (the cells whose messages changed; "all": true when everything was
  // checked again) or an error (`review_out_of_range`, `invalid_review`).
  Result<std::string> SetCell(size_t row, const std::string& field_key, const std::string& text);
  Result<std::string> FindReplace(const FindReplaceSpec& spec);
  Result<std::string> AddRow(const std::map<std::string, std::string>& values);
  Result<std::string> RemoveRows(std::vector<size_t> rows);
  Result<std::string> SetHeaderRow(size_t table_row);  //!< row edits so far are dropped (rows change meaning)
  Result<std::string> SetMapping(const std::map<size_t, std::string>& columns);
  //! A select field's file value (a whole cell) read as one of its options
  //! (`option_value` "" forgets the choice).
  Result<std::string> SetOptionMapping(const std::string& field_key, const std::string& file_value,
                                       const std::string& option_value);
  //! False when there is nothing to undo (redo).
  bool Undo();
  bool Redo();

  // Hooks (hooks.h): a session on a schema with hooks runs them in rounds,
  // as the server does. Any edit forgets what they gave (they run again over
  // the person's values, edited rows in "update" mode); the caller runs each
  // stage HookRequest names in its sandbox and gives back every output so far.

  //! The next hook stage's request (JSON); "" when the hooks are done (or there are none).
  const std::string& HookRequest();
  //! The hook outputs so far ({"column": ..., "row": ..., "error": ...}); the
  //! session is built again with them (a hook's failure: outcome FAILED).
  void SetHookOutputs(std::string outputs_json);
  const std::string& hook_outputs() const { return hook_outputs_; }

  //! The review so far, as the review endpoint takes it.
  const ReviewChanges& changes() const { return changes_; }
  std::string ChangesJson() const;
  //! The cleaned rows, as the server will produce them.
  std::string Export(RowFormat format) const;

 private:
  struct State;
  struct Step;
  ReviewSession(std::string bytes, const Schema& schema, ReviewChanges changes);
  void Rebuild();
  Result<std::string> Recorded(Step step);
  std::string SetCellNow(size_t row, size_t field, const std::string& text, std::vector<size_t>* touched_rows);
  void ForgetHooks();

  std::string bytes_;
  Schema schema_;
  ReviewChanges changes_;
  std::unique_ptr<State> state_;
  std::vector<Step> undo_;
  std::vector<Step> redo_;
  std::string hook_outputs_;
  std::string hook_request_;
  bool hooks_stale_ = false;
};

}  // namespace sluice

#endif  // SLUICE_REVIEW_H_
