// ReadJson: simdjson's DOM, walked twice for arrays of objects (keys first,
// then rows) so the header row comes first without a second table.
#include "read/json_reader.h"

#include <simdjson.h>

#include <string_view>
#include <unordered_map>

#include "text/number_text.h"

namespace sluice {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

const char* TypeName(element_type type) {
  switch (type) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::STRING: return "a string";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

// The cell text of one JSON value.
void CellText(element value, std::string* out) {
  out->clear();
  switch (value.type()) {
    case element_type::STRING: {
      std::string_view text;
      if (value.get(text) == simdjson::SUCCESS) out->assign(text);
      return;
    }
    case element_type::INT64: {
      int64_t number = 0;
      if (value.get(number) == simdjson::SUCCESS) *out = std::to_string(number);
      return;
    }
    case element_type::UINT64: {
      uint64_t number = 0;
      if (value.get(number) == simdjson::SUCCESS) *out = std::to_string(number);
      return;
    }
    case element_type::DOUBLE: {
      double number = 0;
      if (value.get(number) == simdjson::SUCCESS) AppendShortestDouble(*out, number);
      return;
    }
    case element_type::BOOL: {
      bool flag = false;
      if (value.get(flag) == simdjson::SUCCESS) *out = flag ? "true" : "false";
      return;
    }
    case element_type::NULL_VALUE:
      return;
    case element_type::ARRAY:
    case element_type::OBJECT:
      *out = simdjson::minify(value);
      return;
  }
}

}  // namespace

Result<JsonTable> ReadJson(const std::string& text, const ReadLimits& limits, std::vector<Notice>* notices) {
  simdjson::dom::parser parser;
  if (parser.allocate(text.size(), limits.max_json_depth) != simdjson::SUCCESS) {
    return Error{"input_too_large", "the JSON document is too large to parse", -1};
  }
  element root;
  simdjson::error_code error = parser.parse(text).get(root);
  if (error == simdjson::DEPTH_ERROR) {
    return Error{"json_too_deep", "the JSON nests deeper than " + std::to_string(limits.max_json_depth) + " levels", -1};
  }
  if (error != simdjson::SUCCESS) {
    return Error{"json_invalid", std::string("the file is not valid JSON: ") + simdjson::error_message(error), -1};
  }

  // 1. The array of rows: the root, or the one array inside a root object.
  simdjson::dom::array rows;
  simdjson::dom::object wrapper;
  if (root.get(rows) == simdjson::SUCCESS) {
    // the usual case: the root is the array of rows
  } else if (root.get(wrapper) == simdjson::SUCCESS && wrapper.size() == 1 &&
             (*wrapper.begin()).value.get(rows) == simdjson::SUCCESS) {
    notices->push_back({"json_wrapped_array", "the rows were read from the array under the key \"" +
                                                  std::string((*wrapper.begin()).key) + "\""});
  } else {
    return Error{"json_shape", std::string("expected an array of objects or of arrays; found ") + TypeName(root.type()),
                 -1};
  }

  // 2. All rows objects, or all arrays.
  JsonTable out;
  size_t index = 0;
  element_type shape = element_type::NULL_VALUE;
  for (element row : rows) {
    element_type type = row.type();
    if (type != element_type::OBJECT && type != element_type::ARRAY) {
      return Error{"json_shape", "row " + std::to_string(index) + " is " + TypeName(type) + ", not an object or array", -1};
    }
    if (index == 0) shape = type;
    if (type != shape) {
      return Error{"json_shape", "row " + std::to_string(index) + " is " + TypeName(type) + " but row 0 is " +
                                     TypeName(shape), -1};
    }
    ++index;
  }
  out.keyed = shape == element_type::OBJECT;

  std::string cell;
  auto add_cell = [&](const std::string& content) -> bool {
    if (content.size() > limits.max_cell_bytes || content.size() > Table::kMaxCellBytes) return false;
    out.table.AddOwnedCell(content);
    return true;
  };
  auto cell_too_large = [&](size_t row) {
    return Error{"cell_too_large", "row " + std::to_string(row) + " holds a value larger than " +
                                       std::to_string(limits.max_cell_bytes) + " bytes", -1};
  };
  auto too_many_columns = [&]() {
    return Error{"too_many_columns", "the rows have more than " + std::to_string(limits.max_columns) + " columns", -1};
  };

  if (!out.keyed) {
    size_t row_index = 0;
    for (element row : rows) {
      simdjson::dom::array values;
      if (row.get(values) != simdjson::SUCCESS) continue;  // checked in step 2
      if (values.size() > limits.max_columns) return too_many_columns();
      for (element value : values) {
        CellText(value, &cell);
        if (!add_cell(cell)) return cell_too_large(row_index);
      }
      out.table.EndRow();
      ++row_index;
    }
    return out;
  }

  // 3. Keys in first-seen order, then each object's values in that order.
  std::unordered_map<std::string_view, size_t> column_of;
  std::vector<std::string_view> keys;
  simdjson::dom::object object;
  for (element row : rows) {
    if (row.get(object) != simdjson::SUCCESS) continue;  // checked in step 2
    for (auto field : object) {
      if (column_of.emplace(field.key, keys.size()).second) {
        keys.push_back(field.key);
        if (keys.size() > limits.max_columns) return too_many_columns();
      }
    }
  }
  for (std::string_view key : keys) {
    if (!add_cell(std::string(key))) return cell_too_large(0);
  }
  out.table.EndRow();
  std::vector<element> values(keys.size());
  std::vector<bool> present(keys.size());
  size_t row_index = 1;
  for (element row : rows) {
    std::fill(present.begin(), present.end(), false);
    size_t last = 0;
    if (row.get(object) != simdjson::SUCCESS) continue;
    for (auto field : object) {
      size_t column = column_of[field.key];
      values[column] = field.value;  // a repeated key: the last one wins
      present[column] = true;
      last = std::max(last, column + 1);
    }
    for (size_t column = 0; column < last; ++column) {
      if (present[column]) {
        CellText(values[column], &cell);
      } else {
        cell.clear();
      }
      if (!add_cell(cell)) return cell_too_large(row_index);
    }
    out.table.EndRow();
    ++row_index;
  }
  return out;
}

}  // namespace sluice
