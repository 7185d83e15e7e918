// RunImport: the orchestrator of stages 1-8. Reads and inspects the file,
// takes the header and data rows, matches columns, coerces column by column,
// validates, and decides the outcome. Calls each stage through its header;
// the writers (rows, metadata) are in emit/import_writer.cpp.
#include <algorithm>
#include <cstdint>
#include <map>

#include "coerce/coerce.h"
#include "emit/import_state.h"
#include "match/column_matcher.h"
#include "validate/validators.h"

namespace sluice {
namespace {

constexpr size_t kSampleSize = 1000;  // values per column for column decisions

bool HasValidator(const Field& field, ValidatorKind kind) {
  for (const Validator& v : field.validators) {
    if (v.kind == kind) return true;
  }
  return false;
}

}  // namespace

OutcomeReason InvalidDataReason(size_t rows_with_error) {
  return {"invalid_data", std::to_string(rows_with_error) + (rows_with_error == 1 ? " row has" : " rows have") +
                              " errors, and the schema blocks submitting them", ""};
}

void CollectSamples(const Table& table, const std::vector<size_t>& data_rows, size_t columns,
                    std::vector<std::vector<std::string_view>>* samples) {
  samples->assign(columns, {});
  for (size_t col = 0; col < columns; ++col) {
    for (size_t i = 0; i < data_rows.size() && (*samples)[col].size() < kSampleSize; ++i) {
      std::string_view cell = TrimSpaces(table.cell(data_rows[i], col));
      if (!cell.empty()) (*samples)[col].push_back(cell);
    }
  }
}

namespace {

// A person's edits, removed and added rows, applied by building the table the
// person saw: row 0 the header, then the data rows in order. A field edited
// without a column of its own gets a new column. A row the person emptied (or
// added and left empty) stays, as the person saw it, until it is removed.
// Hooks' new values (HookEdits) come after the person's edits: a hook saw the
// person's values.
void ApplyReviewEdits(const ReviewChanges& review, const HookEdits& hooks, const Schema& schema,
                      ImportResult::Impl* state, std::vector<ColumnMatch>* mapping,
                      std::vector<OutcomeReason>* reasons) {
  const Table& table = state->inspection.read.table;
  const size_t file_rows = state->data_rows.size();
  state->file_data_rows = file_rows;
  const size_t all_rows = file_rows + review.added_rows.size();
  auto out_of_range = [&](const std::string& what, size_t row) {
    reasons->push_back({"review_out_of_range", "the review " + what + " row " + std::to_string(row) +
                                                   ", but there are " + std::to_string(all_rows), ""});
  };

  // Each field's first column (edits land there), new columns for the rest.
  std::map<std::string, std::vector<size_t>> field_columns;
  for (const ColumnMatch& m : *mapping) field_columns[m.field_key].push_back(m.column);
  auto column_of = [&](const std::string& field_key, const std::string& hook) {
    std::vector<size_t>& columns = field_columns[field_key];
    if (columns.empty()) {
      columns.push_back(state->headers.size());
      state->headers.push_back(field_key);
      mapping->push_back({columns[0], field_key, field_key, 1.0, hook.empty() ? "filled in review" : "filled by " + hook});
    }
    return columns[0];
  };

  // Per row: (column, text) in the order given; a later edit of a cell wins.
  std::vector<std::vector<std::pair<size_t, std::string_view>>> row_edits(all_rows);
  auto add_edit = [&](size_t row, const std::string& field_key, std::string_view text, const std::string& hook = "") {
    size_t column = column_of(field_key, hook);
    row_edits[row].emplace_back(column, text);
    for (const Field& field : schema.fields) {
      if (field.key != field_key || !field.many_to_one) continue;
      // manyToOne: the edit is the whole value; the field's other columns empty.
      for (size_t k = 1; k < field_columns[field_key].size(); ++k) {
        row_edits[row].emplace_back(field_columns[field_key][k], std::string_view());
      }
    }
  };
  // Added rows' first values, then the edits (of any row, added ones too).
  for (size_t k = 0; k < review.added_rows.size(); ++k) {
    for (const auto& [field_key, text] : review.added_rows[k]) add_edit(file_rows + k, field_key, text);
  }
  for (const ReviewChanges::CellEdit& edit : review.edits) {
    if (edit.row >= all_rows) {
      out_of_range("edits", edit.row);
      continue;
    }
    add_edit(edit.row, edit.field_key, edit.value);
  }
  std::vector<bool> removed(all_rows, false);
  for (size_t row : review.removed_rows) {
    if (row >= all_rows) {
      out_of_range("removes", row);
      continue;
    }
    removed[row] = true;
  }
  for (const HookEdits::Cell& cell : hooks.cells) {
    if (!cell.value) continue;
    if (cell.row >= all_rows || removed[cell.row]) {
      OutcomeReason reason{"hook_invalid_result", cell.hook + " changed row " + std::to_string(cell.row) +
                                                      ", which is not a row of the import", ""};
      reason.hook = cell.hook;
      reasons->push_back(std::move(reason));
      continue;
    }
    add_edit(cell.row, cell.field_key, *cell.value, cell.hook);
  }

  const size_t columns = state->headers.size();
  Table edited;
  for (const std::string& header : state->headers) edited.AddOwnedCell(header);
  edited.EndRow();
  std::vector<std::string_view> cells(columns);
  std::vector<size_t> data_rows, row_ids;
  for (size_t row = 0; row < all_rows; ++row) {
    if (removed[row]) continue;
    for (size_t col = 0; col < columns; ++col) {
      cells[col] = row < file_rows ? table.cell(state->data_rows[row], col) : std::string_view();
    }
    for (const auto& [col, text] : row_edits[row]) cells[col] = text;
    size_t width = columns;
    while (width > 0 && TrimSpaces(cells[width - 1]).empty()) --width;
    for (size_t col = 0; col < width; ++col) edited.AddOwnedCell(cells[col]);
    edited.EndRow();
    data_rows.push_back(edited.row_count() - 1);
    row_ids.push_back(row);
  }
  state->inspection.read.table = std::move(edited);
  state->data_rows = std::move(data_rows);
  state->row_ids = std::move(row_ids);
}

}  // namespace

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kSuccessful: return "SUCCESSFUL";
    case Outcome::kNeedsReview: return "NEEDS_REVIEW";
    case Outcome::kFailed: return "FAILED";
  }
  return "FAILED";
}

ImportResult::ImportResult() : impl_(std::make_unique<Impl>()) {}
ImportResult::~ImportResult() = default;
ImportResult::ImportResult(ImportResult&&) noexcept = default;
ImportResult& ImportResult::operator=(ImportResult&&) noexcept = default;

ImportResult RunImport(std::string bytes, const Schema& caller_schema, const ImportOptions& options) {
  ImportResult result;
  ImportResult::Impl& state = *result.impl_;
  state.schema = caller_schema;
  const Schema& schema = state.schema;

  ImportProgress progress;
  auto report = [&](const char* stage) {
    if (!options.progress) return;
    progress.stage = stage;
    options.progress(progress);
  };
  progress.bytes = bytes.size();

  // 1-4. Read, with the schema's settings over the caller's options.
  ReadOptions read_options = options.read;
  if (schema.settings.delimiter) read_options.delimiter = schema.settings.delimiter;
  if (schema.settings.header_row_override) read_options.header_row_override = schema.settings.header_row_override;
  if (options.review && options.review->header_row) read_options.header_row_override = options.review->header_row;
  Result<Inspection> inspection = Inspect(std::move(bytes), read_options);
  if (!inspection.ok()) {
    result.outcome_ = Outcome::kFailed;
    result.reasons_.push_back({inspection.error().code, inspection.error().message, ""});
    return result;
  }
  state.inspection = std::move(inspection.value());
  const Table& table = state.inspection.read.table;
  const HeaderReport& header = state.inspection.header;
  if (!header.row) {
    result.reasons_.push_back({"header_not_confident",
                               "no row could be chosen as the header with confidence; a person should pick it", ""});
  }

  // The header (the first non-empty row when none is confident) and the data rows.
  size_t header_row = 0;
  if (header.row) {
    header_row = *header.row;
  } else {
    while (header_row < table.row_count() && table.cell_count(header_row) == 0) ++header_row;
  }
  state.header_row = header_row;
  for (size_t col = 0; col < table.max_cell_count(); ++col) {
    state.headers.emplace_back(header_row < table.row_count() ? TrimSpaces(table.cell(header_row, col)) : "");
  }
  for (size_t row = header_row + 1; row < table.row_count(); ++row) {
    bool any = false;
    for (size_t col = 0; col < table.cell_count(row) && !any; ++col) any = !TrimSpaces(table.cell(row, col)).empty();
    if (any) state.data_rows.push_back(row);
  }
  if (schema.settings.max_records && state.data_rows.size() > *schema.settings.max_records) {
    state.dropped_rows = state.data_rows.size() - *schema.settings.max_records;
    state.data_rows.resize(*schema.settings.max_records);
  }
  size_t columns = state.headers.size();

  // 5. Match columns to fields (or take the person's mapping).
  MatchRequest match;
  match.headers = state.headers;
  CollectSamples(table, state.data_rows, columns, &match.samples);
  match.remembered = &options.mapping;
  match.fuzzy = schema.settings.fuzzy_match_headers;
  if (options.review && options.review->columns) {
    for (const auto& [column, field_key] : *options.review->columns) {
      if (column >= columns) {
        result.reasons_.push_back({"review_out_of_range", "the review maps column " + std::to_string(column) +
                                                              ", but the file has " + std::to_string(columns), ""});
        continue;
      }
      result.mapping_.push_back({column, state.headers[column], field_key, 1.0, "chosen in review"});
    }
  } else {
    result.mapping_ = MatchColumns(match, schema);
  }
  const bool hook_values = std::any_of(options.hooks.cells.begin(), options.hooks.cells.end(),
                                       [](const HookEdits::Cell& cell) { return cell.value.has_value(); });
  if (hook_values || (options.review && (!options.review->edits.empty() || !options.review->removed_rows.empty() ||
                                         !options.review->added_rows.empty()))) {
    static const ReviewChanges kNoReview;
    ApplyReviewEdits(options.review ? *options.review : kNoReview, options.hooks, schema, &state, &result.mapping_,
                     &result.reasons_);
    columns = state.headers.size();
    CollectSamples(table, state.data_rows, columns, &match.samples);  // the old ones viewed the old table
    if (schema.settings.max_records && state.data_rows.size() > *schema.settings.max_records) {
      state.dropped_rows += state.data_rows.size() - *schema.settings.max_records;
      state.data_rows.resize(*schema.settings.max_records);
      state.row_ids.resize(*schema.settings.max_records);
    }
  }
  const size_t rows = state.data_rows.size();
  result.data_rows_ = rows;
  progress.rows = rows;
  progress.total = rows * schema.fields.size();
  report("read");
  constexpr size_t kProgressEvery = 1 << 16;  // cells between reports

  // Hooks name rows as a review does; per hook cell, its data row (or none).
  auto position_of = [&, positions = std::vector<size_t>()](size_t row_id) mutable -> std::optional<size_t> {
    if (state.row_ids.empty()) return row_id < rows ? std::optional<size_t>(row_id) : std::nullopt;
    if (positions.empty()) {
      size_t most = *std::max_element(state.row_ids.begin(), state.row_ids.end());
      positions.assign(most + 1, SIZE_MAX);
      for (size_t i = 0; i < rows; ++i) positions[state.row_ids[i]] = i;
    }
    if (row_id >= positions.size() || positions[row_id] == SIZE_MAX) return std::nullopt;
    return positions[row_id];
  };
  // Per field: cells whose select options a hook replaced (data row -> options).
  std::vector<std::map<size_t, const std::vector<SelectOption>*>> hook_options(schema.fields.size());
  for (const HookEdits::Cell& cell : options.hooks.cells) {
    if (!cell.select_options) continue;
    std::optional<size_t> at = position_of(cell.row);
    for (size_t f = 0; f < schema.fields.size() && at; ++f) {
      if (schema.fields[f].key == cell.field_key) hook_options[f][*at] = &*cell.select_options;
    }
  }

  // 6. Coerce, column at a time.
  state.fields.resize(schema.fields.size());
  state.option_maps.resize(schema.fields.size());
  if (options.review) {
    for (size_t f = 0; f < schema.fields.size(); ++f) {
      auto map = options.review->option_mappings.find(schema.fields[f].key);
      if (map != options.review->option_mappings.end()) state.option_maps[f].insert(map->second.begin(), map->second.end());
    }
  }
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    const Field& field = schema.fields[f];
    FieldData& data = state.fields[f];
    data.column.field = &field;
    for (const ColumnMatch& m : result.mapping_) {
      if (m.field_key == field.key) data.source_columns.push_back(m.column);
    }
    data.column.mapped = !data.source_columns.empty();
    data.column.raw.assign(rows, std::string_view());
    data.column.values.Reset(rows);
    data.column.valid.assign(rows, true);
    if (!data.column.mapped) continue;
    data.parts.resize(data.source_columns.size());
    Coerced coerced;  // one scratch for the whole column: no allocation per cell
    // Cells with a hook's own select options: a coercer per set of options.
    std::map<const std::vector<SelectOption>*, std::pair<Field, std::unique_ptr<ColumnCoercer>>> hook_coercers;
    for (size_t k = 0; k < data.source_columns.size(); ++k) {
      size_t col = data.source_columns[k];
      std::unique_ptr<ColumnCoercer> coercer = MakeCoercer(field, match.samples[col]);
      auto coercer_for = [&](size_t i) -> ColumnCoercer* {
        if (hook_options[f].empty()) return coercer.get();
        auto it = hook_options[f].find(i);
        if (it == hook_options[f].end()) return coercer.get();
        auto& [own_field, own] = hook_coercers[it->second];
        if (!own) {
          own_field = field;
          own_field.select_options = *it->second;
          own = MakeCoercer(own_field, match.samples[col]);
        }
        return own.get();
      };
      std::string decision = coercer->Decision();
      bool decided = std::any_of(state.decisions.begin(), state.decisions.end(),
                                 [&](const auto& d) { return d.first == field.key; });
      if (!decision.empty() && !decided) state.decisions.emplace_back(field.key, decision);
      ValueColumn& part = data.parts[k];
      part.Reset(rows);
      for (size_t i = 0; i < rows; ++i) {
        if (options.progress && k == 0 && (i & (kProgressEvery - 1)) == 0 && i > 0) {
          progress.done = f * rows + i;
          report("check");
        }
        std::string_view text = TrimSpaces(table.cell(state.data_rows[i], col));
        if (text.empty()) {
          if (field.type == FieldType::kCheckbox) part.SetBool(i, false);
          continue;
        }
        coerced.Reset();
        coercer_for(i)->Coerce(state.MapOption(f, text), &coerced);
        for (const CellIssue& issue : coerced.issues) {
          result.messages_.push_back({i, field.key, issue.code, issue.level, issue.message, std::string(text)});
        }
        if (!coerced.valid()) data.column.valid[i] = false;
        part.Set(i, coerced.value, text);
        if (data.column.raw[i].empty()) data.column.raw[i] = text;
      }
    }
    // One column: its values; many (manyToOne): a list of their texts for validators.
    if (!field.many_to_one) {
      data.column.values = std::move(data.parts[0]);
      data.parts.clear();
    } else {
      std::vector<std::string> items;
      for (size_t i = 0; i < rows; ++i) {
        items.clear();
        for (const ValueColumn& part : data.parts) {
          if (part.kind(i) != CellValue::Kind::kNull) items.push_back(part.Text(i));
        }
        data.column.values.SetList(i, items);
      }
    }
  }

  // 7. Validate.
  std::vector<const FieldColumn*> columns_for_validators;
  columns_for_validators.reserve(state.fields.size());
  for (const FieldData& data : state.fields) columns_for_validators.push_back(&data.column);
  RunValidators(schema, columns_for_validators, &result.messages_);
  std::map<std::string, size_t> field_position;
  for (size_t f = 0; f < schema.fields.size(); ++f) field_position.emplace(schema.fields[f].key, f);
  // A hook's info replaces the messages of its cell (the last info given wins).
  std::map<std::pair<size_t, std::string>, const HookEdits::Cell*> hook_info;
  for (const HookEdits::Cell& cell : options.hooks.cells) {
    std::optional<size_t> at = cell.info ? position_of(cell.row) : std::nullopt;
    if (at) hook_info[{*at, cell.field_key}] = &cell;
  }
  if (!hook_info.empty()) {
    result.messages_.erase(std::remove_if(result.messages_.begin(), result.messages_.end(),
                                          [&](const CellMessage& m) { return hook_info.count({m.row, m.field_key}) > 0; }),
                           result.messages_.end());
    for (const auto& [cell, edit] : hook_info) {
      const FieldData& data = state.fields[field_position[cell.second]];
      std::string text(data.column.raw[cell.first]);
      for (const HookEdits::Info& info : *edit->info) {
        result.messages_.push_back({cell.first, cell.second, "hook", info.level, info.message, text});
      }
    }
  }
  std::stable_sort(result.messages_.begin(), result.messages_.end(), [&](const CellMessage& a, const CellMessage& b) {
    if (a.row != b.row) return a.row < b.row;
    return field_position[a.field_key] < field_position[b.field_key];
  });
  state.row_has_error.assign(rows, false);
  for (FieldData& data : state.fields) data.has_error.assign(rows, false);
  for (const CellMessage& message : result.messages_) {
    if (message.level == Level::kError) {
      state.row_has_error[message.row] = true;
      state.fields[field_position[message.field_key]].has_error[message.row] = true;
    }
  }
  result.rows_with_error_ = static_cast<size_t>(std::count(state.row_has_error.begin(), state.row_has_error.end(), true));

  // 8. The outcome.
  for (const Field& field : schema.fields) {
    bool needs_column = field.require_mapping || HasValidator(field, ValidatorKind::kRequired);
    bool mapped = std::any_of(result.mapping_.begin(), result.mapping_.end(),
                              [&](const ColumnMatch& m) { return m.field_key == field.key; });
    if (needs_column && !mapped) {
      result.reasons_.push_back({"field_unmapped", "no column of the file confidently matches the " +
                                                       std::string(field.require_mapping ? "" : "required ") + "field '" +
                                                       field.label + "' (" + field.key + ")", field.key});
    }
  }
  if (schema.settings.invalid_data_behavior == InvalidDataBehavior::kBlockSubmit && result.rows_with_error_ > 0) {
    result.reasons_.push_back(InvalidDataReason(result.rows_with_error_));
  }
  if (rows == 0) {
    // Nothing to review: other reasons (a header judged on no data) would only confuse.
    result.reasons_.clear();
    if (!schema.settings.allow_empty_submit) {
      result.outcome_ = Outcome::kFailed;
      result.reasons_.push_back({"no_data_rows", "the file has no data rows under its header", ""});
      return result;
    }
  }
  result.outcome_ = result.reasons_.empty() ? Outcome::kSuccessful : Outcome::kNeedsReview;
  progress.done = progress.total;
  report("done");
  return result;
}

}  // namespace sluice
