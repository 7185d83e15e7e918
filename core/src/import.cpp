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
#include "row_checker.h"
#include "validate/validators.h"

namespace sluice {
namespace {

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

ImportResult RunImport(std::string bytes, const Schema& schema, const ImportOptions& options) {
  return ImportRun::Run(std::move(bytes), nullptr, schema, options, nullptr, 0);
}

ImportResult RunImport(std::string_view bytes, const Schema& schema, const ImportOptions& options,
                       const std::vector<RowStream>& streams, size_t chunk_rows) {
  return ImportRun::Run({}, &bytes, schema, options, &streams, chunk_rows);
}

// The stages in order, over `bytes` (or `viewed`, not copied when it can be
// read where it lies); `streams`: the rows are written there chunk by chunk.
ImportResult ImportRun::Run(std::string bytes, const std::string_view* viewed, const Schema& caller_schema,
                            const ImportOptions& options, const std::vector<RowStream>* streams, size_t chunk_rows) {
  ImportResult result;
  ImportResult::Impl& state = *result.impl_;
  state.schema = caller_schema;
  state.streamed = streams != nullptr;
  const Schema& schema = state.schema;

  ImportProgress progress;
  auto report = [&](const char* stage) {
    if (!options.progress) return;
    progress.stage = stage;
    options.progress(progress);
  };
  progress.bytes = viewed ? viewed->size() : bytes.size();

  // 1-4. Read, with the schema's settings over the caller's options.
  const ReadOptions read_options = EffectiveReadOptions(schema, options);
  Result<Inspection> inspection =
      viewed ? InspectViewing(*viewed, read_options) : Inspect(std::move(bytes), read_options);
  if (!inspection.ok()) {
    result.outcome_ = Outcome::kFailed;
    result.reasons_.push_back({inspection.error().code, inspection.error().message, ""});
    return result;
  }
  state.inspection = std::move(inspection.value());
  const Table& table = state.inspection.read.table;
  const HeaderReport& header = state.inspection.header;
  // The header and the data rows.
  const size_t header_row = HeaderRow(header, table, &result.reasons_);
  state.header_row = header_row;
  for (size_t col = 0; col < table.max_cell_count(); ++col) {
    state.headers.emplace_back(header_row < table.row_count() ? TrimSpaces(table.cell(header_row, col)) : "");
  }
  state.data_rows.reserve(table.row_count() - std::min(table.row_count(), header_row + 1));
  const size_t kept = schema.settings.max_records.value_or(SIZE_MAX);
  const size_t data_rows = ListDataRows(table, 0, header_row, 0, kept, &state.data_rows);
  state.dropped_rows = data_rows - state.data_rows.size();  // (beyond maxRecords)
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

  // 6-7. Coerce and validate, a chunk of rows at a time (all rows at once
  // unless the rows are streamed).
  RowChecker checker(schema, options, &state, result.mapping_, &result.messages_, match.samples, &progress, rows);
  if (!streams) {
    checker.Check(0, rows, nullptr);
  } else {
    StreamRows(&checker, state, result.mapping_, result.messages_, *streams, chunk_rows);
  }
  result.rows_with_error_ = checker.rows_with_error();
  if (streams) {
    // The rows are written: keep what the metadata needs, not the values.
    state.fields.clear();
    state.row_has_error.clear();
    state.data_rows = {};
    state.inspection.read.table = Table();
  }

  Decide(options, &progress, &result);
  return result;
}

size_t ImportRun::HeaderRow(const HeaderReport& header, const Table& table, std::vector<OutcomeReason>* reasons) {
  if (header.row) return *header.row;
  reasons->push_back({"header_not_confident",
                      "no row could be chosen as the header with confidence; a person should pick it", ""});
  size_t row = 0;
  while (row < table.row_count() && table.cell_count(row) == 0) ++row;
  return row;
}

ReadOptions ImportRun::EffectiveReadOptions(const Schema& schema, const ImportOptions& options) {
  ReadOptions read_options = options.read;
  read_options.threads = std::max(read_options.threads, options.threads);
  if (schema.settings.delimiter) read_options.delimiter = schema.settings.delimiter;
  if (schema.settings.header_row_override) read_options.header_row_override = schema.settings.header_row_override;
  if (options.review && options.review->header_row) read_options.header_row_override = options.review->header_row;
  return read_options;
}

// 8. The outcome, once the rows are checked.
void ImportRun::Decide(const ImportOptions& options, ImportProgress* progress, ImportResult* result_pointer) {
  ImportResult& result = *result_pointer;
  const Schema& schema = result.impl_->schema;
  const size_t rows = result.data_rows_;
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
      return;
    }
  }
  result.outcome_ = result.reasons_.empty() ? Outcome::kSuccessful : Outcome::kNeedsReview;
  progress->done = progress->total;
  if (options.progress) {
    progress->stage = "done";
    options.progress(*progress);
  }
}

}  // namespace sluice
