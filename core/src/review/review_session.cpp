// ReviewSession: the import's state (ImportResult's values per field), the
// unique family's groups kept as indexes, and message counts kept in step.
// Messages are not stored: a cell's are computed when asked (coercion issues,
// then its validators in schema order, then unique_with), from the same
// rules as RunValidators, so a cell edit re-checks its row and the rows that
// share its old or new value in a unique field, nothing else. Changes that
// move rows or columns (header row, mapping, added or removed rows, edits of a
// field without a single column of its own) run the import again.
#include "sluice/review.h"

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>

#include "emit/import_state.h"
#include "sluice/hooks.h"
#include "sluice/json_writer.h"
#include "validate/validators.h"

namespace sluice {
namespace {

bool SameMessages(const std::vector<CellMessage>& a, const std::vector<CellMessage>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].code != b[i].code || a[i].level != b[i].level || a[i].message != b[i].message || a[i].value != b[i].value) {
      return false;
    }
  }
  return true;
}

void WriteMessage(const CellMessage& message, bool with_row, JsonWriter* out) {
  out->BeginObject();
  if (with_row) {
    out->Key("rowIndex");
    out->Int(static_cast<int64_t>(message.row));
  }
  out->Key("fieldKey");
  out->String(message.field_key);
  out->Key("code");
  out->String(message.code);
  out->Key("level");
  out->String(LevelName(message.level));
  out->Key("message");
  out->String(message.message);
  out->Key("value");
  out->String(message.value);
  out->EndObject();
}

std::string LowerAscii(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return text;
}

}  // namespace

struct ReviewSession::Step {
  // A batch of cell edits, undone one by one; or a whole change (the
  // recorded changes before and after), undone by running the import again.
  struct Cell {
    size_t row;
    size_t field;
    std::string before, after;
  };
  std::vector<Cell> cells;
  size_t edits_before = 0;  // changes_.edits.size() before the batch
  bool whole = false;
  ReviewChanges before, after;
};

struct ReviewSession::State {
  ImportResult result;
  ImportResult::Impl* impl = nullptr;
  std::vector<const FieldColumn*> columns;          // per field
  //! Per field, per source column: its coercer (the column decisions of the import).
  std::vector<std::vector<std::unique_ptr<ColumnCoercer>>> coercers;
  std::deque<std::string> texts;                    // edited texts: the views stay valid

  struct Unique {  // one unique / unique_case_insensitive validator of one field
    size_t field;
    const Validator* validator;
    std::unordered_map<std::string, std::vector<size_t>> groups;
  };
  struct UniqueWith {  // one uniqueKey over its member fields
    std::string key;
    std::vector<size_t> fields;
    std::vector<const Validator*> validators;
    std::vector<const FieldColumn*> members;
    std::unordered_map<std::string, std::vector<size_t>> groups;
  };
  std::vector<Unique> uniques;
  std::vector<UniqueWith> unique_withs;  // by uniqueKey, as RunValidators orders them

  std::map<std::pair<std::string, std::string>, size_t> by_field_code;
  std::vector<uint32_t> row_errors;  // error-level messages per row
  std::vector<uint32_t> row_messages;
  size_t rows_with_error = 0, errors = 0, warnings = 0;

  size_t rows() const { return impl->data_rows.size(); }
  size_t RowId(size_t row) const { return impl->row_ids.empty() ? row : impl->row_ids[row]; }

  // Coercion issues, then the validators in order, then unique_with: the
  // order RunImport's messages have within a cell.
  std::vector<CellMessage> Messages(const Schema& schema, size_t row, size_t f) const {
    std::vector<CellMessage> out;
    const FieldData& data = impl->fields[f];
    const FieldColumn& column = data.column;
    const Field& field = *column.field;
    if (!column.mapped) return out;
    const Table& table = impl->inspection.read.table;
    for (size_t k = 0; k < data.source_columns.size(); ++k) {
      std::string_view text = data.source_columns.size() == 1 && !field.many_to_one
                                  ? column.raw[row]
                                  : TrimSpaces(table.cell(impl->data_rows[row], data.source_columns[k]));
      if (text.empty()) continue;
      Coerced coerced;
      coercers[f][k]->Coerce(impl->MapOption(f, text), &coerced);
      for (const CellIssue& issue : coerced.issues) {
        out.push_back({row, field.key, issue.code, issue.level, issue.message, std::string(text)});
      }
    }
    for (const Validator& v : field.validators) {
      if (v.kind == ValidatorKind::kUnique || v.kind == ValidatorKind::kUniqueCaseInsensitive) {
        if (column.raw[row].empty()) continue;
        for (const Unique& unique : uniques) {
          if (unique.validator != &v) continue;
          auto group = unique.groups.find(UniqueKey(column, v, row));
          if (group == unique.groups.end() || group->second.size() < 2) continue;
          out.push_back({row, field.key, v.name, v.level,
                         v.error_message.empty() ? UniqueMessage(column.raw[row], group->second.size()) : v.error_message,
                         std::string(column.raw[row])});
        }
        continue;
      }
      if (v.kind == ValidatorKind::kUniqueWith) continue;
      CellMessage message;
      if (CheckValidator(schema, columns, column, v, row, &message)) out.push_back(std::move(message));
    }
    for (const UniqueWith& group_index : unique_withs) {
      std::string key;
      if (!UniqueWithKey(group_index.members, row, &key)) continue;
      auto group = group_index.groups.find(key);
      if (group == group_index.groups.end() || group->second.size() < 2) continue;
      for (size_t m = 0; m < group_index.fields.size(); ++m) {
        if (group_index.fields[m] != f) continue;
        const Validator& v = *group_index.validators[m];
        out.push_back({row, field.key, "unique_with", v.level,
                       v.error_message.empty() ? UniqueWithMessage(group_index.members, group->second.size())
                                               : v.error_message,
                       std::string(column.raw[row])});
      }
    }
    return out;
  }

  void Count(const std::vector<CellMessage>& messages, int sign) {
    for (const CellMessage& message : messages) {
      auto& count = by_field_code[{message.field_key, message.code}];
      count += sign;
      if (count == 0) by_field_code.erase({message.field_key, message.code});
      bool had_error = row_errors[message.row] > 0;
      row_messages[message.row] += sign;
      if (message.level == Level::kError) {
        row_errors[message.row] += sign;
        errors += sign;
      } else if (message.level == Level::kWarning) {
        warnings += sign;
      }
      bool has_error = row_errors[message.row] > 0;
      if (had_error != has_error) rows_with_error += has_error ? 1 : -1;
    }
  }

  // The groups a row is in, for the indexes of field f (all indexes: f = npos).
  void Unindex(size_t row, size_t f) {
    for (Unique& unique : uniques) {
      if (f != std::string::npos && unique.field != f) continue;
      const FieldColumn& column = *columns[unique.field];
      if (column.raw[row].empty()) continue;
      auto group = unique.groups.find(UniqueKey(column, *unique.validator, row));
      if (group == unique.groups.end()) continue;
      group->second.erase(std::remove(group->second.begin(), group->second.end(), row), group->second.end());
      if (group->second.empty()) unique.groups.erase(group);
    }
    for (UniqueWith& index : unique_withs) {
      if (f != std::string::npos && std::find(index.fields.begin(), index.fields.end(), f) == index.fields.end()) continue;
      std::string key;
      if (!UniqueWithKey(index.members, row, &key)) continue;
      auto group = index.groups.find(key);
      if (group == index.groups.end()) continue;
      group->second.erase(std::remove(group->second.begin(), group->second.end(), row), group->second.end());
      if (group->second.empty()) index.groups.erase(group);
    }
  }
  void Index(size_t row, size_t f) {
    for (Unique& unique : uniques) {
      if (f != std::string::npos && unique.field != f) continue;
      const FieldColumn& column = *columns[unique.field];
      if (!column.raw[row].empty()) unique.groups[UniqueKey(column, *unique.validator, row)].push_back(row);
    }
    for (UniqueWith& index : unique_withs) {
      if (f != std::string::npos && std::find(index.fields.begin(), index.fields.end(), f) == index.fields.end()) continue;
      std::string key;
      if (UniqueWithKey(index.members, row, &key)) index.groups[key].push_back(row);
    }
  }
  // The rows sharing a group with `row` in the indexes of field f.
  void GroupMates(size_t row, size_t f, std::set<size_t>* rows) const {
    for (const Unique& unique : uniques) {
      if (unique.field != f) continue;
      const FieldColumn& column = *columns[unique.field];
      if (column.raw[row].empty()) continue;
      auto group = unique.groups.find(UniqueKey(column, *unique.validator, row));
      if (group != unique.groups.end()) rows->insert(group->second.begin(), group->second.end());
    }
    for (const UniqueWith& index : unique_withs) {
      if (std::find(index.fields.begin(), index.fields.end(), f) == index.fields.end()) continue;
      std::string key;
      if (!UniqueWithKey(index.members, row, &key)) continue;
      auto group = index.groups.find(key);
      if (group != index.groups.end()) rows->insert(group->second.begin(), group->second.end());
    }
  }
};

ReviewSession::ReviewSession(std::string bytes, const Schema& schema, ReviewChanges changes)
    : bytes_(std::move(bytes)), schema_(schema), changes_(std::move(changes)) {}
ReviewSession::~ReviewSession() = default;

std::unique_ptr<ReviewSession> ReviewSession::Open(std::string bytes, const Schema& schema, ReviewChanges changes) {
  std::unique_ptr<ReviewSession> session(new ReviewSession(std::move(bytes), schema, std::move(changes)));
  session->Rebuild();
  return session;
}

void ReviewSession::Rebuild() {
  ImportOptions options;
  bool any = changes_.header_row || changes_.columns || !changes_.edits.empty() || !changes_.removed_rows.empty() ||
             !changes_.added_rows.empty() || !changes_.option_mappings.empty();
  if (any) options.review = changes_;
  auto state = std::make_unique<State>();
  if (schema_.hooks.runs_nothing()) {
    state->result = RunImport(bytes_, schema_, options);
  } else {
    // With what the hooks gave so far; the next stage they need, if any.
    HookRound round = RunImportRound(bytes_, schema_, options, hook_outputs_);
    state->result = std::move(round.result);
    hook_request_ = std::move(round.request);
    hooks_stale_ = false;
  }
  State& s = *state;
  s.impl = s.result.impl_.get();
  const Schema& schema = s.impl->schema;
  const size_t rows = s.rows();
  // Before any field data exists (a file that failed), there is nothing to edit.
  if (s.impl->fields.size() != schema.fields.size()) s.impl->fields.resize(schema.fields.size());
  std::vector<std::vector<std::string_view>> samples;
  CollectSamples(s.impl->inspection.read.table, s.impl->data_rows, s.impl->headers.size(), &samples);
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    FieldData& data = s.impl->fields[f];
    if (!data.column.field) {  // FAILED before coercion: empty columns
      data.column.field = &schema.fields[f];
      data.column.raw.assign(rows, std::string_view());
      data.column.values.Reset(rows);
      data.column.valid.assign(rows, true);
    }
    s.columns.push_back(&data.column);
    s.coercers.emplace_back();
    for (size_t col : data.source_columns) {
      s.coercers.back().push_back(MakeCoercer(schema.fields[f], col < samples.size() ? samples[col]
                                                                                   : std::vector<std::string_view>()));
    }
  }
  std::map<std::string, size_t> by_key;
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    if (!s.columns[f]->mapped) continue;
    for (const Validator& v : schema.fields[f].validators) {
      if (v.kind == ValidatorKind::kUnique || v.kind == ValidatorKind::kUniqueCaseInsensitive) {
        s.uniques.push_back({f, &v, {}});
      } else if (v.kind == ValidatorKind::kUniqueWith) {
        if (!by_key.count(v.unique_key)) by_key[v.unique_key] = 0;
      }
    }
  }
  for (const auto& [key, unused] : by_key) {  // std::map: in uniqueKey order, as RunValidators
    State::UniqueWith index;
    index.key = key;
    for (size_t f = 0; f < schema.fields.size(); ++f) {
      if (!s.columns[f]->mapped) continue;
      for (const Validator& v : schema.fields[f].validators) {
        if (v.kind != ValidatorKind::kUniqueWith || v.unique_key != key) continue;
        index.fields.push_back(f);
        index.validators.push_back(&v);
        index.members.push_back(s.columns[f]);
      }
    }
    s.unique_withs.push_back(std::move(index));
  }
  // Room for every row's own value and then some: a new value added by an
  // edit never rehashes a million-entry index in the middle of a keystroke.
  for (State::Unique& unique : s.uniques) unique.groups.reserve(rows + rows / 4 + 64);
  for (State::UniqueWith& index : s.unique_withs) index.groups.reserve(rows + rows / 4 + 64);
  for (size_t row = 0; row < rows; ++row) s.Index(row, std::string::npos);
  s.row_errors.assign(rows, 0);
  s.row_messages.assign(rows, 0);
  s.Count(s.result.messages_, +1);
  state_ = std::move(state);
}

size_t ReviewSession::row_count() const { return state_->rows(); }

void ReviewSession::ForgetHooks() {
  if (schema_.hooks.runs_nothing()) return;
  hook_outputs_.clear();
  hooks_stale_ = true;
}

const std::string& ReviewSession::HookRequest() {
  if (hooks_stale_) Rebuild();
  return hook_request_;
}

void ReviewSession::SetHookOutputs(std::string outputs_json) {
  hook_outputs_ = std::move(outputs_json);
  Rebuild();
}

std::string ReviewSession::SetCellNow(size_t row, size_t f, const std::string& text, std::vector<size_t>* touched) {
  State& s = *state_;
  const Schema& schema = s.impl->schema;
  FieldData& data = s.impl->fields[f];
  FieldColumn& column = data.column;
  // The cells that can change: this row (cross-field rules), and the rows
  // sharing its old or new value in a unique field of this field.
  std::set<size_t> rows = {row};
  s.GroupMates(row, f, &rows);
  std::map<std::pair<size_t, size_t>, std::vector<CellMessage>> before;
  auto snapshot = [&](size_t r, std::map<std::pair<size_t, size_t>, std::vector<CellMessage>>* into) {
    for (size_t g = 0; g < schema.fields.size(); ++g) (*into)[{r, g}] = s.Messages(schema, r, g);
  };
  for (size_t r : rows) snapshot(r, &before);

  s.Unindex(row, f);
  s.texts.push_back(text);
  std::string_view view = TrimSpaces(s.texts.back());
  column.raw[row] = view;
  if (view.empty()) {
    if (column.field->type == FieldType::kCheckbox) {
      column.values.SetBool(row, false);
    } else {
      column.values.Set(row, CellValue::Null(), view);
    }
    column.valid[row] = true;
  } else {
    Coerced coerced;
    s.coercers[f][0]->Coerce(s.impl->MapOption(f, view), &coerced);
    column.values.Set(row, coerced.value, view);
    column.valid[row] = coerced.valid();
  }
  // The new groups' members, as they were before this row joined them.
  std::set<size_t> mates;
  s.GroupMates(row, f, &mates);
  for (size_t r : mates) {
    if (!before.count({r, 0})) snapshot(r, &before);
    rows.insert(r);
  }
  s.Index(row, f);

  JsonWriter out;
  out.BeginArray();
  for (size_t r : rows) {
    for (size_t g = 0; g < schema.fields.size(); ++g) {
      std::vector<CellMessage> after = s.Messages(schema, r, g);
      const std::vector<CellMessage>& old = before[{r, g}];
      if (SameMessages(old, after)) continue;
      s.Count(old, -1);
      s.Count(after, +1);
      out.BeginObject();
      out.Key("rowIndex");
      out.Int(static_cast<int64_t>(r));
      out.Key("fieldKey");
      out.String(schema.fields[g].key);
      out.Key("messages");
      out.BeginArray();
      for (const CellMessage& message : after) WriteMessage(message, false, &out);
      out.EndArray();
      out.EndObject();
    }
    if (touched) touched->push_back(r);
  }
  out.EndArray();
  return out.Take();
}

namespace {

Result<size_t> FieldIndex(const Schema& schema, const std::string& key) {
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    if (schema.fields[f].key == key) return f;
  }
  return Error{"invalid_review", "no field '" + key + "' in the schema"};
}

std::string Changed(const std::string& cells) { return "{\"changed\":" + cells + "}"; }
const char kAll[] = "{\"changed\":[],\"all\":true}";

}  // namespace

Result<std::string> ReviewSession::Recorded(Step step) {
  undo_.push_back(std::move(step));
  redo_.clear();
  return std::string(kAll);
}

Result<std::string> ReviewSession::SetCell(size_t row, const std::string& field_key, const std::string& text) {
  ForgetHooks();
  Result<size_t> field = FieldIndex(schema_, field_key);
  if (!field.ok()) return field.error();
  State& s = *state_;
  if (row >= s.rows()) {
    return Error{"review_out_of_range", "row " + std::to_string(row) + " of " + std::to_string(s.rows())};
  }
  const size_t f = field.value();
  const FieldData& data = s.impl->fields[f];
  size_t id = s.RowId(row);
  if (data.source_columns.size() != 1 || data.column.field->many_to_one) {
    // No single column of its own: the import runs again with the edit.
    Step step;
    step.whole = true;
    step.before = changes_;
    changes_.edits.push_back({id, field_key, text});
    step.after = changes_;
    Rebuild();
    return Recorded(std::move(step));
  }
  std::string before(data.column.raw[row]);
  Step step;
  step.edits_before = changes_.edits.size();
  step.cells.push_back({row, f, before, text});
  changes_.edits.push_back({id, field_key, text});
  std::string cells = SetCellNow(row, f, text, nullptr);
  undo_.push_back(std::move(step));
  redo_.clear();
  return Changed(cells);
}

Result<std::string> ReviewSession::FindReplace(const FindReplaceSpec& spec) {
  ForgetHooks();
  if (spec.find.empty()) return Error{"invalid_review", "find must not be empty"};
  std::optional<size_t> only;
  if (!spec.field_key.empty()) {
    Result<size_t> field = FieldIndex(schema_, spec.field_key);
    if (!field.ok()) return field.error();
    only = field.value();
  }
  State& s = *state_;
  const std::string needle = spec.match_case ? spec.find : LowerAscii(spec.find);
  Step step;
  step.edits_before = changes_.edits.size();
  std::string cells = "[";
  for (size_t f = 0; f < schema_.fields.size(); ++f) {
    if (only && *only != f) continue;
    const FieldData& data = s.impl->fields[f];
    if (data.source_columns.size() != 1 || data.column.field->many_to_one) continue;
    for (size_t row = 0; row < s.rows(); ++row) {
      std::string text(data.column.raw[row]);
      if (text.empty()) continue;
      std::string haystack = spec.match_case ? text : LowerAscii(text);
      std::string replaced;
      if (spec.whole_cell) {
        if (haystack != needle) continue;
        replaced = spec.replace;
      } else {
        size_t at = haystack.find(needle);
        if (at == std::string::npos) continue;
        size_t from = 0;
        while (at != std::string::npos) {
          replaced += text.substr(from, at - from) + spec.replace;
          from = at + needle.size();
          at = haystack.find(needle, from);
        }
        replaced += text.substr(from);
      }
      if (replaced == text) continue;
      step.cells.push_back({row, f, text, replaced});
      changes_.edits.push_back({s.RowId(row), schema_.fields[f].key, replaced});
      std::string changed = SetCellNow(row, f, replaced, nullptr);
      if (changed.size() > 2) cells += (cells.size() > 1 ? "," : "") + changed.substr(1, changed.size() - 2);
    }
  }
  cells += "]";
  std::string answer = "{\"changed\":" + cells + ",\"replaced\":" + std::to_string(step.cells.size()) + "}";
  if (!step.cells.empty()) {
    undo_.push_back(std::move(step));
    redo_.clear();
  }
  return answer;
}

Result<std::string> ReviewSession::AddRow(const std::map<std::string, std::string>& values) {
  ForgetHooks();
  for (const auto& [key, text] : values) {
    if (!FieldIndex(schema_, key).ok()) return Error{"invalid_review", "no field '" + key + "' in the schema"};
  }
  Step step;
  step.whole = true;
  step.before = changes_;
  changes_.added_rows.push_back(values);
  step.after = changes_;
  Rebuild();
  return Recorded(std::move(step));
}

Result<std::string> ReviewSession::RemoveRows(std::vector<size_t> rows) {
  ForgetHooks();
  State& s = *state_;
  for (size_t row : rows) {
    if (row >= s.rows()) return Error{"review_out_of_range", "row " + std::to_string(row) + " of " + std::to_string(s.rows())};
  }
  Step step;
  step.whole = true;
  step.before = changes_;
  for (size_t row : rows) changes_.removed_rows.push_back(s.RowId(row));
  step.after = changes_;
  Rebuild();
  return Recorded(std::move(step));
}

Result<std::string> ReviewSession::SetHeaderRow(size_t table_row) {
  ForgetHooks();
  Step step;
  step.whole = true;
  step.before = changes_;
  changes_.header_row = table_row;
  changes_.edits.clear();  // rows are counted from the header: the edits named other rows
  changes_.removed_rows.clear();
  changes_.added_rows.clear();
  step.after = changes_;
  Rebuild();
  for (const OutcomeReason& reason : state_->result.reasons()) {
    if (reason.code != "header_row_out_of_range") continue;
    Error error{"review_out_of_range", reason.message};  // before Rebuild frees the reasons
    changes_ = step.before;  // the file has no such row: nothing changes
    Rebuild();
    return error;
  }
  return Recorded(std::move(step));
}

Result<std::string> ReviewSession::SetMapping(const std::map<size_t, std::string>& columns) {
  ForgetHooks();
  std::set<std::string> used;
  for (const auto& [column, key] : columns) {
    Result<size_t> field = FieldIndex(schema_, key);
    if (!field.ok()) return field.error();
    if (!used.insert(key).second && !schema_.fields[field.value()].many_to_one) {
      return Error{"invalid_review", "field '" + key + "' is mapped to two columns"};
    }
  }
  Step step;
  step.whole = true;
  step.before = changes_;
  changes_.columns = columns;
  step.after = changes_;
  Rebuild();
  return Recorded(std::move(step));
}

Result<std::string> ReviewSession::SetOptionMapping(const std::string& field_key, const std::string& file_value,
                                                    const std::string& option_value) {
  ForgetHooks();
  Result<size_t> field = FieldIndex(schema_, field_key);
  if (!field.ok()) return field.error();
  const Field& f = schema_.fields[field.value()];
  if (f.type != FieldType::kSelect && f.type != FieldType::kMultiSelect) {
    return Error{"invalid_review", "'" + field_key + "' is not a select field"};
  }
  bool known = option_value.empty() || std::any_of(f.select_options.begin(), f.select_options.end(),
                                                   [&](const SelectOption& o) { return o.value == option_value; });
  if (!known) return Error{"invalid_review", "'" + option_value + "' is not an option of '" + field_key + "'"};
  Step step;
  step.whole = true;
  step.before = changes_;
  std::string value(TrimSpaces(file_value));
  if (option_value.empty()) {
    changes_.option_mappings[field_key].erase(value);
    if (changes_.option_mappings[field_key].empty()) changes_.option_mappings.erase(field_key);
  } else {
    changes_.option_mappings[field_key][value] = option_value;
  }
  step.after = changes_;
  Rebuild();
  return Recorded(std::move(step));
}

bool ReviewSession::Undo() {
  if (undo_.empty()) return false;
  ForgetHooks();
  Step step = std::move(undo_.back());
  undo_.pop_back();
  if (step.whole) {
    changes_ = step.before;
    Rebuild();
  } else {
    for (auto it = step.cells.rbegin(); it != step.cells.rend(); ++it) SetCellNow(it->row, it->field, it->before, nullptr);
    changes_.edits.resize(step.edits_before);
  }
  redo_.push_back(std::move(step));
  return true;
}

bool ReviewSession::Redo() {
  if (redo_.empty()) return false;
  ForgetHooks();
  Step step = std::move(redo_.back());
  redo_.pop_back();
  if (step.whole) {
    changes_ = step.after;
    Rebuild();
  } else {
    for (const Step::Cell& cell : step.cells) {
      changes_.edits.push_back({state_->RowId(cell.row), schema_.fields[cell.field].key, cell.after});
      SetCellNow(cell.row, cell.field, cell.after, nullptr);
    }
  }
  undo_.push_back(std::move(step));
  return true;
}

std::string ReviewSession::RowsJson(size_t offset, size_t limit) const {
  const State& s = *state_;
  const Schema& schema = s.impl->schema;
  const Table& table = s.impl->inspection.read.table;
  JsonWriter out;
  out.BeginArray();
  for (size_t row = offset; row < s.rows() && row < offset + limit; ++row) {
    std::vector<std::vector<CellMessage>> messages;
    for (size_t f = 0; f < schema.fields.size(); ++f) messages.push_back(s.Messages(schema, row, f));
    out.BeginObject();
    out.Key("rowIndex");
    out.Int(static_cast<int64_t>(row));
    out.Key("values");
    out.BeginObject();
    for (size_t f = 0; f < schema.fields.size(); ++f) {
      const FieldData& data = s.impl->fields[f];
      out.Key(schema.fields[f].key);
      bool invalid = std::any_of(messages[f].begin(), messages[f].end(),
                                 [](const CellMessage& m) { return m.level == Level::kError; });
      if (schema.fields[f].many_to_one) {
        out.BeginArray();
        for (size_t k = 0; k < data.parts.size(); ++k) data.parts[k].Write(row, &out);
        out.EndArray();
      } else if (invalid || !data.column.mapped) {
        if (data.column.raw[row].empty()) {
          out.Null();
        } else {
          out.String(data.column.raw[row]);
        }
      } else {
        data.column.values.Write(row, &out);
      }
    }
    out.EndObject();
    out.Key("texts");
    out.BeginObject();
    for (size_t f = 0; f < schema.fields.size(); ++f) {
      const FieldData& data = s.impl->fields[f];
      out.Key(schema.fields[f].key);
      if (schema.fields[f].many_to_one) {
        std::string joined;
        for (size_t col : data.source_columns) {
          std::string_view part = TrimSpaces(table.cell(s.impl->data_rows[row], col));
          if (!part.empty()) joined += (joined.empty() ? "" : ",") + std::string(part);
        }
        out.String(joined);
      } else {
        out.String(data.column.raw[row]);
      }
    }
    out.EndObject();
    out.Key("messages");
    out.BeginArray();
    for (const auto& cell : messages) {
      for (const CellMessage& message : cell) WriteMessage(message, false, &out);
    }
    out.EndArray();
    out.EndObject();
  }
  out.EndArray();
  return out.Take();
}

std::string ReviewSession::MessagesJson(const MessageFilter& filter) const {
  const State& s = *state_;
  const Schema& schema = s.impl->schema;
  std::optional<size_t> only;
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    if (schema.fields[f].key == filter.field_key) only = f;
  }
  JsonWriter list;
  list.BeginArray();
  size_t count = 0;
  for (size_t row = 0; row < s.rows(); ++row) {
    if (s.row_messages[row] == 0) continue;  // most rows: no work
    for (size_t f = 0; f < schema.fields.size(); ++f) {
      if (!filter.field_key.empty() && only != f) continue;
      for (const CellMessage& message : s.Messages(schema, row, f)) {
        if (filter.level && message.level != *filter.level) continue;
        if (count >= filter.offset && count < filter.offset + filter.limit) WriteMessage(message, true, &list);
        ++count;
      }
    }
  }
  list.EndArray();
  JsonWriter out;
  out.BeginObject();
  out.Key("count");
  out.Int(static_cast<int64_t>(count));
  out.Key("messages");
  out.Raw(list.str());
  out.EndObject();
  return out.Take();
}

std::string ReviewSession::SummaryJson() const {
  const State& s = *state_;
  const Schema& schema = s.impl->schema;
  JsonWriter out;
  out.BeginObject();
  out.Key("rows");
  out.Int(static_cast<int64_t>(s.rows()));
  out.Key("rowsWithError");
  out.Int(static_cast<int64_t>(s.rows_with_error));
  out.Key("errors");
  out.Int(static_cast<int64_t>(s.errors));
  out.Key("warnings");
  out.Int(static_cast<int64_t>(s.warnings));
  out.Key("byField");
  out.BeginObject();
  for (const Field& field : schema.fields) {
    out.Key(field.key);
    out.BeginObject();
    for (const auto& [key, count] : s.by_field_code) {
      if (key.first != field.key) continue;
      out.Key(key.second);
      out.Int(static_cast<int64_t>(count));
    }
    out.EndObject();
  }
  out.EndObject();
  // The outcome now: the import's reasons, with invalid_data as the edits left it.
  std::vector<OutcomeReason> reasons;
  for (const OutcomeReason& reason : s.result.reasons()) {
    if (reason.code != "invalid_data") reasons.push_back(reason);
  }
  if (s.result.outcome() != Outcome::kFailed &&
      schema.settings.invalid_data_behavior == InvalidDataBehavior::kBlockSubmit && s.rows_with_error > 0) {
    reasons.push_back(InvalidDataReason(s.rows_with_error));
  }
  Outcome outcome = s.result.outcome() == Outcome::kFailed ? Outcome::kFailed
                    : reasons.empty()                       ? Outcome::kSuccessful
                                                            : Outcome::kNeedsReview;
  WriteOutcome(outcome, reasons, &out);
  out.Key("mapping");
  out.BeginArray();
  for (const ColumnMatch& match : s.result.mapping()) {
    out.BeginObject();
    out.Key("column");
    out.Int(static_cast<int64_t>(match.column));
    out.Key("header");
    out.String(match.header);
    out.Key("fieldKey");
    out.String(match.field_key);
    out.Key("confidence");
    out.Double(match.confidence);
    out.Key("reason");
    out.String(match.reason);
    out.EndObject();
  }
  out.EndArray();
  out.Key("headerRow");
  out.Int(static_cast<int64_t>(s.impl->header_row));
  out.Key("rawHeaders");
  out.BeginArray();
  for (const std::string& header : s.impl->headers) out.String(header);
  out.EndArray();
  out.EndObject();
  return out.Take();
}

std::string ReviewSession::ChangesJson() const {
  JsonWriter out;
  out.BeginObject();
  if (changes_.header_row) {
    out.Key("headerRow");
    out.Int(static_cast<int64_t>(*changes_.header_row));
  }
  if (changes_.columns) {
    out.Key("mapping");
    out.BeginObject();
    for (const auto& [column, key] : *changes_.columns) {
      out.Key(std::to_string(column));
      out.String(key);
    }
    out.EndObject();
  }
  out.Key("edits");
  out.BeginArray();
  for (const ReviewChanges::CellEdit& edit : changes_.edits) {
    out.BeginObject();
    out.Key("rowIndex");
    out.Int(static_cast<int64_t>(edit.row));
    out.Key("fieldKey");
    out.String(edit.field_key);
    out.Key("value");
    out.String(edit.value);
    out.EndObject();
  }
  out.EndArray();
  out.Key("removedRows");
  out.BeginArray();
  for (size_t row : changes_.removed_rows) out.Int(static_cast<int64_t>(row));
  out.EndArray();
  out.Key("addedRows");
  out.BeginArray();
  for (const auto& row : changes_.added_rows) {
    out.BeginObject();
    for (const auto& [key, text] : row) {
      out.Key(key);
      out.String(text);
    }
    out.EndObject();
  }
  out.EndArray();
  if (!changes_.option_mappings.empty()) {
    out.Key("optionMappings");
    out.BeginObject();
    for (const auto& [field_key, map] : changes_.option_mappings) {
      out.Key(field_key);
      out.BeginObject();
      for (const auto& [value, option] : map) {
        out.Key(value);
        out.String(option);
      }
      out.EndObject();
    }
    out.EndObject();
  }
  out.EndObject();
  return out.Take();
}

std::string ReviewSession::Export(RowFormat format) const {
  ImportOptions options;
  options.review = changes_;
  if (schema_.hooks.runs_nothing()) return RunImport(bytes_, schema_, options).Rows(format);
  return RunImportRound(bytes_, schema_, options, hook_outputs_).result.Rows(format);
}

}  // namespace sluice
