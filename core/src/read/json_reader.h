// Stage 3, JSON -> Table (simdjson): an array of objects (columns are the
// union of keys in first-seen order, and row 0 is those keys) or an array of
// arrays (rows as they are). A root object holding exactly one array is read
// as that array. Strings are cells as they are; numbers keep their JSON text;
// true/false as "true"/"false"; null as an empty cell; nested values as JSON text.
#ifndef SLUICE_READ_JSON_READER_H_
#define SLUICE_READ_JSON_READER_H_

#include <string>
#include <vector>

#include "sluice/error.h"
#include "sluice/read.h"
#include "sluice/table.h"

namespace sluice {

struct JsonTable {
  Table table;
  bool keyed = false;  //!< rows were objects: row 0 holds their keys
};

//! Errors: `json_invalid` (with the byte offset where known), `json_too_deep`,
//! `json_shape` (not an array of objects or of arrays), `too_many_columns`,
//! `cell_too_large`.
Result<JsonTable> ReadJson(const std::string& text, const ReadLimits& limits, std::vector<Notice>* notices);

}  // namespace sluice

#endif  // SLUICE_READ_JSON_READER_H_
