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

// Stages 6 and 7 for a range of data rows: each field's values, validity
// and messages. The coercers (and their column decisions) are made once, from
// the samples; a range's values replace the previous range's in `state`
// (indexed from the range's first row); messages name rows of the import.
class RowChecker {
 public:
  RowChecker(const Schema& schema, const ImportOptions& options, ImportResult::Impl* state,
             const std::vector<ColumnMatch>& mapping, std::vector<CellMessage>* messages,
             const std::vector<std::vector<std::string_view>>& samples, ImportProgress* progress)
      : schema_(schema), options_(options), state_(*state), mapping_(mapping), messages_(*messages), samples_(samples),
        progress_(progress) {
    const size_t fields = schema.fields.size();
    total_rows_ = state_.data_rows.size();
    state_.fields.resize(fields);
    state_.option_maps.resize(fields);
    if (options.review) {
      for (size_t f = 0; f < fields; ++f) {
        auto map = options.review->option_mappings.find(schema.fields[f].key);
        if (map != options.review->option_mappings.end()) state_.option_maps[f].insert(map->second.begin(), map->second.end());
      }
    }
    coercers_.resize(fields);
    for (size_t f = 0; f < fields; ++f) {
      const Field& field = schema.fields[f];
      FieldData& data = state_.fields[f];
      data.column.field = &field;
      for (const ColumnMatch& m : mapping_) {
        if (m.field_key == field.key) data.source_columns.push_back(m.column);
      }
      data.column.mapped = !data.source_columns.empty();
      for (size_t col : data.source_columns) {
        coercers_[f].push_back(MakeCoercer(field, samples_[col]));
        std::string decision = coercers_[f].back()->Decision();
        bool decided = std::any_of(state_.decisions.begin(), state_.decisions.end(),
                                   [&](const auto& d) { return d.first == field.key; });
        if (!decision.empty() && !decided) state_.decisions.emplace_back(field.key, decision);
      }
    }
    for (size_t f = 0; f < fields; ++f) field_position_.emplace(schema.fields[f].key, f);
    // Hooks name rows as a review does: per hook cell, its data row (or none).
    hook_options_.resize(fields);
    for (const HookEdits::Cell& cell : options.hooks.cells) {
      std::optional<size_t> at = cell.select_options || cell.info ? PositionOf(cell.row) : std::nullopt;
      if (!at) continue;
      auto field = field_position_.find(cell.field_key);
      if (cell.select_options && field != field_position_.end()) hook_options_[field->second][*at] = &*cell.select_options;
      if (cell.info) hook_info_[{*at, cell.field_key}] = &cell;
    }
  }

  size_t rows_with_error() const { return rows_with_error_; }

  //! Checks data rows [begin, end): state's fields then hold their values
  //! (row i of the range at index i - begin), result's messages gain theirs.
  //! `unique`: the unique family's groups over every row (else counted
  //! within the range, which must then be every row).
  void Check(size_t begin, size_t end, const UniqueIndex* unique) {
    const size_t n = end - begin;
    std::vector<CellMessage> messages;
    for (size_t f = 0; f < schema_.fields.size(); ++f) Coerce(f, begin, end, &messages);

    std::vector<const FieldColumn*> columns;
    columns.reserve(state_.fields.size());
    for (const FieldData& data : state_.fields) columns.push_back(&data.column);
    const size_t coerced = messages.size();
    RunValidators(schema_, columns, &messages, unique, begin);
    for (size_t m = coerced; m < messages.size(); ++m) messages[m].row += begin;
    // A hook's info replaces the messages of its cell (the last info given wins).
    if (!hook_info_.empty()) {
      auto in_range = [&](size_t row) { return row >= begin && row < end; };
      messages.erase(std::remove_if(messages.begin(), messages.end(),
                                    [&](const CellMessage& m) { return hook_info_.count({m.row, m.field_key}) > 0; }),
                     messages.end());
      for (const auto& [cell, edit] : hook_info_) {
        if (!in_range(cell.first)) continue;
        const FieldData& data = state_.fields[field_position_[cell.second]];
        std::string text(data.column.raw[cell.first - begin]);
        for (const HookEdits::Info& info : *edit->info) {
          messages.push_back({cell.first, cell.second, "hook", info.level, info.message, text});
        }
      }
    }
    std::stable_sort(messages.begin(), messages.end(), [&](const CellMessage& a, const CellMessage& b) {
      if (a.row != b.row) return a.row < b.row;
      return field_position_[a.field_key] < field_position_[b.field_key];
    });
    state_.row_has_error.assign(n, false);
    for (FieldData& data : state_.fields) data.has_error.assign(n, false);
    for (const CellMessage& message : messages) {
      if (message.level == Level::kError) {
        state_.row_has_error[message.row - begin] = true;
        state_.fields[field_position_[message.field_key]].has_error[message.row - begin] = true;
      }
    }
    rows_with_error_ += static_cast<size_t>(std::count(state_.row_has_error.begin(), state_.row_has_error.end(), true));
    if (options_.progress && end < total_rows_) {  // checked in chunks: a report after each
      progress_->done = end * schema_.fields.size();
      progress_->stage = "check";
      options_.progress(*progress_);
    }
    chunk_messages_ = messages_.size();
    if (messages_.empty()) {
      messages_ = std::move(messages);
    } else {
      messages_.insert(messages_.end(), std::make_move_iterator(messages.begin()),
                               std::make_move_iterator(messages.end()));
    }
  }

  //! Where the last Check's messages start in the result's messages.
  size_t chunk_messages() const { return chunk_messages_; }

  //! Fills `index` with the unique family's groups over every data row,
  //! coercing only the fields that carry them, `chunk` rows at a time.
  void IndexUnique(size_t chunk, UniqueIndex* index) {
    std::map<std::string, std::vector<size_t>> unique_with;  // uniqueKey -> member fields
    std::vector<bool> needed(schema_.fields.size(), false);
    for (size_t f = 0; f < schema_.fields.size(); ++f) {
      if (!state_.fields[f].column.mapped) continue;
      for (const Validator& v : schema_.fields[f].validators) {
        if (v.kind == ValidatorKind::kUnique || v.kind == ValidatorKind::kUniqueCaseInsensitive) {
          index->by_validator.emplace(&v, Duplicates(total_rows_));
          needed[f] = true;
        } else if (v.kind == ValidatorKind::kUniqueWith) {
          unique_with[v.unique_key].push_back(f);
          needed[f] = true;
        }
      }
    }
    for (const auto& entry : unique_with) index->by_unique_key.emplace(entry.first, Duplicates(total_rows_));
    std::vector<CellMessage> ignored;
    std::string key;
    for (size_t begin = 0; begin < total_rows_; begin += chunk) {
      const size_t end = std::min(total_rows_, begin + chunk);
      for (size_t f = 0; f < schema_.fields.size(); ++f) {
        if (needed[f]) Coerce(f, begin, end, &ignored);
      }
      ignored.clear();
      for (size_t f = 0; f < schema_.fields.size(); ++f) {
        const FieldColumn& column = state_.fields[f].column;
        for (const Validator& v : schema_.fields[f].validators) {
          auto it = index->by_validator.find(&v);
          if (it == index->by_validator.end()) continue;
          AddUniqueKeys(column, v, end - begin, begin, &it->second);
        }
      }
      for (const auto& [unique_key, members] : unique_with) {
        std::vector<const FieldColumn*> member_columns;
        for (size_t f : members) member_columns.push_back(&state_.fields[f].column);
        Duplicates& duplicates = index->by_unique_key.find(unique_key)->second;
        for (size_t i = 0; i < end - begin; ++i) {
          if (UniqueWithKey(member_columns, i, &key)) duplicates.Add(begin + i, key);
        }
      }
    }
  }

 private:
  // Data row `row_id` as a review or a hook names it -> its position, if kept.
  std::optional<size_t> PositionOf(size_t row_id) {
    if (state_.row_ids.empty()) return row_id < total_rows_ ? std::optional<size_t>(row_id) : std::nullopt;
    if (positions_.empty()) {
      size_t most = *std::max_element(state_.row_ids.begin(), state_.row_ids.end());
      positions_.assign(most + 1, SIZE_MAX);
      for (size_t i = 0; i < total_rows_; ++i) positions_[state_.row_ids[i]] = i;
    }
    if (row_id >= positions_.size() || positions_[row_id] == SIZE_MAX) return std::nullopt;
    return positions_[row_id];
  }

  // Field `f` over data rows [begin, end): values, validity, coercion messages.
  void Coerce(size_t f, size_t begin, size_t end, std::vector<CellMessage>* messages) {
    constexpr size_t kProgressEvery = 1 << 16;  // cells between reports
    const Field& field = schema_.fields[f];
    const Table& table = state_.inspection.read.table;
    const size_t n = end - begin;
    FieldData& data = state_.fields[f];
    data.column.valid.assign(n, true);
    if (!data.column.mapped) {
      data.column.raw.assign(n, std::string_view());
      data.column.values.Reset(n);
      return;
    }
    // Every row's raw text and value is set below (the first column's loop
    // sets each raw text): the buffers are kept from chunk to chunk, not
    // filled first. One column's values go straight to the field's; a
    // manyToOne field's to a part per column.
    const bool many = field.many_to_one;
    data.column.raw.resize(n);
    if (many) {
      data.parts.resize(data.source_columns.size());
      data.column.values.Reset(n);
    } else {
      data.parts.clear();
    }
    for (size_t k = 0; k < data.source_columns.size(); ++k) {
      const size_t col = data.source_columns[k];
      ColumnCoercer* coercer = coercers_[f][k].get();
      auto coercer_for = [&](size_t row) -> ColumnCoercer* {
        if (hook_options_[f].empty()) return coercer;
        auto it = hook_options_[f].find(row);
        if (it == hook_options_[f].end()) return coercer;
        auto& [own_field, own] = hook_coercers_[it->second];
        if (!own) {
          own_field = field;
          own_field.select_options = *it->second;
          own = MakeCoercer(own_field, samples_[col]);
        }
        return own.get();
      };
      ValueColumn& part = many ? data.parts[k] : data.column.values;
      part.Prepare(n);
      // Cells whose coercer or text a hook or a person changed are few: the
      // loop asks only when there are any.
      const bool per_cell = !hook_options_[f].empty() || (f < state_.option_maps.size() && !state_.option_maps[f].empty());
      const bool progress = options_.progress && k == 0;
      const bool checkbox = field.type == FieldType::kCheckbox;
      const bool as_text = field.type == FieldType::kString && !per_cell;  // the value is the cell
      const size_t* rows = state_.data_rows.data() + begin;
      std::string_view* raw = data.column.raw.data();
      for (size_t i = 0; i < n; ++i) {
        if (progress && (i & (kProgressEvery - 1)) == 0 && i > 0) {
          progress_->done = begin * schema_.fields.size() + f * n + i;
          progress_->stage = "check";
          options_.progress(*progress_);
        }
        std::string_view text = TrimSpaces(table.cell(rows[i], col));
        if (text.empty()) {
          if (checkbox) {
            part.SetBool(i, false);
          } else {
            part.SetNull(i);
          }
          if (k == 0) raw[i] = {};
          continue;
        }
        if (as_text) {
          part.SetCell(i, text);
          if (k == 0 || raw[i].empty()) raw[i] = text;
          continue;
        }
        coerced_.Reset();
        if (per_cell) {
          coercer_for(begin + i)->Coerce(state_.MapOption(f, text), &coerced_);
        } else {
          coercer->Coerce(text, &coerced_);
        }
        if (!coerced_.issues.empty()) {
          for (const CellIssue& issue : coerced_.issues) {
            messages->push_back({begin + i, field.key, issue.code, issue.level, issue.message, std::string(text)});
          }
          if (!coerced_.valid()) data.column.valid[i] = false;
        }
        part.Set(i, coerced_.value, text);
        if (k == 0 || raw[i].empty()) raw[i] = text;
      }
    }
    // manyToOne: the field's values are a list of its columns' texts, for validators.
    if (many) {
      std::vector<std::string> items;
      for (size_t i = 0; i < n; ++i) {
        items.clear();
        for (const ValueColumn& part : data.parts) {
          if (part.kind(i) != CellValue::Kind::kNull) items.push_back(part.Text(i));
        }
        data.column.values.SetList(i, items);
      }
    }
  }

  const Schema& schema_;
  const ImportOptions& options_;
  ImportResult::Impl& state_;
  const std::vector<ColumnMatch>& mapping_;
  std::vector<CellMessage>& messages_;
  const std::vector<std::vector<std::string_view>>& samples_;
  ImportProgress* progress_;
  size_t total_rows_ = 0;
  size_t rows_with_error_ = 0;
  size_t chunk_messages_ = 0;
  Coerced coerced_;  // one scratch for every cell: no allocation per cell
  std::vector<std::vector<std::unique_ptr<ColumnCoercer>>> coercers_;  // per field, per source column
  std::map<std::string, size_t> field_position_;
  std::vector<size_t> positions_;
  // Per field: cells whose select options a hook replaced (data row -> options),
  // and a coercer per set of options.
  std::vector<std::map<size_t, const std::vector<SelectOption>*>> hook_options_;
  std::map<const std::vector<SelectOption>*, std::pair<Field, std::unique_ptr<ColumnCoercer>>> hook_coercers_;
  std::map<std::pair<size_t, std::string>, const HookEdits::Cell*> hook_info_;
};

// Checks the rows a chunk at a time, writing each chunk to every stream
// before the next replaces its values. With more than one chunk, a first pass
// counts the unique family's keys over every row.
void StreamRows(RowChecker* checker, const ImportResult::Impl& state, const std::vector<ColumnMatch>& mapping,
                const std::vector<CellMessage>& messages, const std::vector<RowStream>& streams, size_t chunk_rows) {
  const size_t rows = state.data_rows.size();
  if (rows == 0 && !state.schema.settings.allow_empty_submit) return;  // FAILED: no_data_rows
  chunk_rows = std::max<size_t>(chunk_rows, 1);
  UniqueIndex unique;
  const bool chunked = rows > chunk_rows;
  if (chunked) checker->IndexUnique(chunk_rows, &unique);
  std::vector<RowWriter> writers;
  for (const RowStream& stream : streams) writers.emplace_back(state, mapping, stream.format);
  // One buffer for every chunk: each is written over the last (its bytes
  // past `length` are room, not zero-filled again).
  std::string out;
  for (size_t s = 0; s < streams.size(); ++s) {
    out.clear();
    writers[s].Begin(&out);
    if (rows == 0) writers[s].End(&out);
    streams[s].write(out);
  }
  for (size_t begin = 0; begin < rows; begin += chunk_rows) {
    const size_t end = std::min(rows, begin + chunk_rows);
    checker->Check(begin, end, chunked ? &unique : nullptr);
    const size_t first_message = checker->chunk_messages();
    for (size_t s = 0; s < streams.size(); ++s) {
      size_t length = 0;
      writers[s].Write(begin, end - begin, messages.data() + first_message, messages.size() - first_message, &out,
                       &length);
      if (end == rows) {
        out.resize(length);
        writers[s].End(&out);
        length = out.size();
      }
      streams[s].write(std::string_view(out.data(), length));
    }
  }
}

}  // namespace

struct ImportRun {
  static ImportResult Run(std::string bytes, const std::string_view* viewed, const Schema& schema,
                          const ImportOptions& options, const std::vector<RowStream>* streams, size_t chunk_rows);
};

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
  ReadOptions read_options = options.read;
  if (schema.settings.delimiter) read_options.delimiter = schema.settings.delimiter;
  if (schema.settings.header_row_override) read_options.header_row_override = schema.settings.header_row_override;
  if (options.review && options.review->header_row) read_options.header_row_override = options.review->header_row;
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
  state.data_rows.reserve(table.row_count() - std::min(table.row_count(), header_row + 1));
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

  // 6-7. Coerce and validate, a chunk of rows at a time (all rows at once
  // unless the rows are streamed).
  RowChecker checker(schema, options, &state, result.mapping_, &result.messages_, match.samples, &progress);
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
