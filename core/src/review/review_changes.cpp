// ReviewChangesFromJson: a person's review decisions from the JSON the review
// page submits. Every value's type is checked before it is read (nlohmann/json
// without exceptions), so no input reaches an abort.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "sluice/import.h"

namespace sluice {
namespace {

using json = nlohmann::json;

// Rows and columns are counted in 32 bits elsewhere; larger names are typos.
constexpr uint64_t kMaxIndex = 0x7FFFFFFF;
// Edits, removals and added rows together (a find-and-replace over a big file
// is many edits; more than this is not one person's review).
constexpr size_t kMaxChanges = 5'000'000;

Error Invalid(const std::string& path, const std::string& message) {
  return Error{"invalid_review", path + ": " + message};
}

bool ReadIndex(const json& value, size_t* out) {
  if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<int64_t>() >= 0)) return false;
  uint64_t number = value.is_number_unsigned() ? value.get<uint64_t>() : static_cast<uint64_t>(value.get<int64_t>());
  if (number > kMaxIndex) return false;
  *out = static_cast<size_t>(number);
  return true;
}

// Column names in "mapping" are decimal column indices.
bool ReadColumnName(const std::string& name, size_t* out) {
  if (name.empty() || name.size() > 10 || name.find_first_not_of("0123456789") != std::string::npos) return false;
  uint64_t number = std::stoull(name);
  if (number > kMaxIndex) return false;
  *out = static_cast<size_t>(number);
  return true;
}

}  // namespace

Result<ReviewChanges> ReviewChangesFromJson(std::string_view text, const Schema& schema) {
  if (JsonNestingDepth(text) > kMaxJsonNesting) return Invalid("$", "nested too deeply");
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) return Invalid("$", "not valid JSON");
  if (!doc.is_object()) return Invalid("$", "must be an object");
  std::set<std::string> field_keys;
  for (const Field& field : schema.fields) field_keys.insert(field.key);
  auto known_field = [&](const json& value) {
    return value.is_string() && field_keys.count(value.get_ref<const std::string&>()) > 0;
  };

  ReviewChanges changes;
  size_t count = 0;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& key = it.key();
    const json& value = it.value();
    if (key == "headerRow") {
      if (value.is_null()) continue;
      size_t row = 0;
      if (!ReadIndex(value, &row)) return Invalid("$.headerRow", "must be a row index (an integer >= 0)");
      changes.header_row = row;
    } else if (key == "mapping") {
      if (value.is_null()) continue;
      if (!value.is_object()) return Invalid("$.mapping", "must be an object of column index -> field key or null");
      std::map<size_t, std::string> columns;
      std::set<std::string> used;
      for (auto column = value.begin(); column != value.end(); ++column) {
        std::string path = "$.mapping." + column.key();
        size_t index = 0;
        if (!ReadColumnName(column.key(), &index)) return Invalid(path, "a column is named by its index, e.g. \"0\"");
        if (column.value().is_null()) continue;
        if (!known_field(column.value())) return Invalid(path, "must be a field key of the schema or null");
        const std::string& field_key = column.value().get_ref<const std::string&>();
        const Field* field = nullptr;
        for (const Field& f : schema.fields) {
          if (f.key == field_key) field = &f;
        }
        if (!used.insert(field_key).second && !field->many_to_one) {
          return Invalid(path, "field '" + field_key + "' is already mapped to another column (it is not manyToOne)");
        }
        columns[index] = field_key;
      }
      changes.columns = std::move(columns);
    } else if (key == "edits") {
      if (!value.is_array()) return Invalid("$.edits", "must be an array of {rowIndex, fieldKey, value}");
      for (size_t i = 0; i < value.size(); ++i) {
        std::string path = "$.edits[" + std::to_string(i) + "]";
        const json& edit = value[i];
        if (!edit.is_object()) return Invalid(path, "must be an object {rowIndex, fieldKey, value}");
        ReviewChanges::CellEdit cell;
        auto row = edit.find("rowIndex");
        auto field = edit.find("fieldKey");
        auto new_text = edit.find("value");
        if (row == edit.end() || !ReadIndex(*row, &cell.row)) return Invalid(path + ".rowIndex", "must be a row index");
        if (field == edit.end() || !known_field(*field)) return Invalid(path + ".fieldKey", "must be a field key of the schema");
        if (new_text == edit.end() || !(new_text->is_string() || new_text->is_null())) {
          return Invalid(path + ".value", "must be a string or null");
        }
        for (auto k = edit.begin(); k != edit.end(); ++k) {
          if (k.key() != "rowIndex" && k.key() != "fieldKey" && k.key() != "value") {
            return Invalid(path + "." + k.key(), "unknown key");
          }
        }
        cell.field_key = field->get<std::string>();
        if (new_text->is_string()) cell.value = new_text->get<std::string>();
        changes.edits.push_back(std::move(cell));
      }
      count += value.size();
    } else if (key == "removedRows") {
      if (!value.is_array()) return Invalid("$.removedRows", "must be an array of row indices");
      for (size_t i = 0; i < value.size(); ++i) {
        size_t row = 0;
        if (!ReadIndex(value[i], &row)) return Invalid("$.removedRows[" + std::to_string(i) + "]", "must be a row index");
        changes.removed_rows.push_back(row);
      }
      count += value.size();
    } else if (key == "addedRows") {
      if (!value.is_array()) return Invalid("$.addedRows", "must be an array of objects field key -> text");
      for (size_t i = 0; i < value.size(); ++i) {
        std::string path = "$.addedRows[" + std::to_string(i) + "]";
        if (!value[i].is_object()) return Invalid(path, "must be an object field key -> text");
        std::map<std::string, std::string> row;
        for (auto cell = value[i].begin(); cell != value[i].end(); ++cell) {
          if (!field_keys.count(cell.key())) return Invalid(path + "." + cell.key(), "not a field key of the schema");
          if (!cell.value().is_string() && !cell.value().is_null()) {
            return Invalid(path + "." + cell.key(), "must be a string or null");
          }
          if (cell.value().is_string()) row[cell.key()] = cell.value().get<std::string>();
        }
        changes.added_rows.push_back(std::move(row));
      }
      count += value.size();
    } else if (key == "optionMappings") {
      if (!value.is_object()) return Invalid("$.optionMappings", "must be an object of field key -> {file value: option value}");
      for (auto field_it = value.begin(); field_it != value.end(); ++field_it) {
        std::string path = "$.optionMappings." + field_it.key();
        const Field* field = schema.FindField(field_it.key());
        if (!field || (field->type != FieldType::kSelect && field->type != FieldType::kMultiSelect)) {
          return Invalid(path, "must be a select or multi-select field of the schema");
        }
        if (!field_it.value().is_object()) return Invalid(path, "must be an object of file value -> option value");
        std::map<std::string, std::string>& map = changes.option_mappings[field_it.key()];
        for (auto option = field_it.value().begin(); option != field_it.value().end(); ++option) {
          bool known = option.value().is_string() &&
                       std::any_of(field->select_options.begin(), field->select_options.end(), [&](const SelectOption& o) {
                         return o.value == option.value().get_ref<const std::string&>();
                       });
          if (!known) return Invalid(path + "." + option.key(), "must be the value of one of the field's options");
          map[option.key()] = option.value().get<std::string>();
        }
        count += map.size();
      }
    } else {
      return Invalid("$." + key, "unknown key (headerRow, mapping, edits, removedRows, addedRows, optionMappings)");
    }
    if (count > kMaxChanges) return Invalid("$", "more than " + std::to_string(kMaxChanges) + " changes");
  }
  return changes;
}

}  // namespace sluice
