// Stage 7, validate: the schema's validators over coerced columns. Per cell
// (required, regex_match/exclude, length, alphabetical), across fields of a row
// (require_with* and require_*_values), and across rows (unique,
// unique_case_insensitive, unique_with: every duplicate is marked, not just the
// second, through one hash map per validator). Empty cells pass all but the
// require* family. Produces messages only; the outcome is stage 8.
#ifndef SLUICE_VALIDATE_VALIDATORS_H_
#define SLUICE_VALIDATE_VALIDATORS_H_

#include <string>
#include <string_view>
#include <vector>

#include "coerce/coerce.h"
#include "coerce/value_column.h"
#include "sluice/import.h"
#include "sluice/schema.h"

namespace sluice {

//! One field's data over the data rows.
struct FieldColumn {
  const Field* field = nullptr;
  bool mapped = false;
  std::vector<std::string_view> raw;      //!< per row: the trimmed text, a view into the table ("" when empty)
  ValueColumn values;                     //!< per row: the result value
  std::vector<bool> valid;                //!< per row: no error from coercion
};

//! Appends the validators' messages for every row to `messages`.
void RunValidators(const Schema& schema, const std::vector<const FieldColumn*>& columns, std::vector<CellMessage>* messages);

// For a review session, which re-checks one cell at a time and keeps the
// unique family's groups itself; the same rules and words as RunValidators.

//! Validator `v` of `column` at `row`, for every kind but the unique family:
//! false when it passes, else the message.
bool CheckValidator(const Schema& schema, const std::vector<const FieldColumn*>& columns, const FieldColumn& column,
                    const Validator& v, size_t row, CellMessage* out);
//! What unique / unique_case_insensitive compare (for a non-empty cell).
std::string UniqueKey(const FieldColumn& column, const Validator& v, size_t row);
std::string UniqueMessage(std::string_view raw, size_t count);
//! What unique_with compares over its member fields; false when every member is empty.
bool UniqueWithKey(const std::vector<const FieldColumn*>& members, size_t row, std::string* key);
std::string UniqueWithMessage(const std::vector<const FieldColumn*>& members, size_t count);

}  // namespace sluice

#endif  // SLUICE_VALIDATE_VALIDATORS_H_
