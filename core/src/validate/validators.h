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

}  // namespace sluice

#endif  // SLUICE_VALIDATE_VALIDATORS_H_
