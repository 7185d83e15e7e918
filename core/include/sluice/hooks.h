// Hooks: the schema's JavaScript (SCHEMA.md "Hooks"), run in rounds. The core
// never runs JavaScript. Each round runs the import with what the hooks of the
// earlier rounds changed, then names the next stage and its input; a host's
// sandbox runs that stage and calls again with every output so far. Stages, in
// order, each only when the schema has such hooks: "column" (columnHooks),
// "row" (rowHooks), "bulk" (bulkRowHooks), "beforeFinish" (only when the
// import would succeed). The same rounds serve the edge handler (the host runs
// the sandbox between its calls) and the npm package.
//
// A stage's request (JSON), for the sandbox:
//   {"stage": "column", "hooks": [{"name": "columnHooks[0]", "source", "fieldKey",
//      "input": [{"index", "value"}]}]}
//   {"stage": "row" | "bulk", "hooks": [{"name", "source"}],
//    "records": [{"index", "mode": "init" | "update", "row": {key: {"value",
//      "resultValue", "info": [{"message", "level"}]}}}]}
//   {"stage": "beforeFinish", "hooks": [{"name", "source"}], "data": [rows],
//    "metadata": result_metadata}
// A stage's output, as the sandbox gives it back:
//   {"results": [{"hook": name, "fieldKey"? (column), "index"? (row), "output": what it returned}]}
// and the outputs so far, as a round takes them: {"column": output, "row": ...,
// "bulk": ..., "beforeFinish": ..., "error": {"hook", "index"?, "message"}}
// ("error": a hook threw, timed out or ran out of memory; the import FAILS).
//
// Rows are named as ReviewChanges names them; "mode" is "update" for rows a
// person edited or added in review, "init" for the rest.
#ifndef SLUICE_HOOKS_H_
#define SLUICE_HOOKS_H_

#include <string>
#include <string_view>

#include "sluice/import.h"

namespace sluice {

struct HookRound {
  ImportResult result;  //!< the import with the hooks' changes so far
  std::string request;  //!< the next stage's request; "" when the import is finished
};

//! One round: the import of `bytes` with `options` (a review, read options)
//! and the hook outputs so far (`outputs_json`, "" for none). A hook's failure
//! or a malformed output makes the outcome FAILED (`hook_failed`,
//! `hook_invalid_result`, naming the hook and the row); a beforeFinishCallback
//! answering {cancel: true, message} makes it NEEDS_REVIEW
//! (`before_finish_cancelled`). Never fails otherwise.
HookRound RunImportRound(std::string bytes, const Schema& schema, ImportOptions options, std::string_view outputs_json);

//! The outputs' changes as HookEdits; `hook_invalid_result` naming the hook
//! when one is malformed. Exposed for the review session and tests.
Result<HookEdits> HookEditsFromOutputs(std::string_view outputs_json, const Schema& schema);

}  // namespace sluice

#endif  // SLUICE_HOOKS_H_
