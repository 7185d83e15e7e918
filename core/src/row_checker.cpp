// RowChecker: stages 6 and 7 (coerce, validate) over a range of data rows.
#include "row_checker.h"

#include <algorithm>
#include <iterator>

namespace sluice {

RowChecker::RowChecker(const Schema& schema, const ImportOptions& options, ImportResult::Impl* state,
                       const std::vector<ColumnMatch>& mapping, std::vector<CellMessage>* messages,
                       const std::vector<std::vector<std::string_view>>& samples, ImportProgress* progress,
                       size_t total_rows)
    : schema_(schema), options_(options), state_(*state), mapping_(mapping), messages_(*messages), samples_(samples),
      progress_(progress), total_rows_(total_rows) {
  const size_t fields = schema.fields.size();
  // The state's fields and decisions are this checker's, made afresh.
  state_.fields.assign(fields, FieldData());
  state_.decisions.clear();
  state_.option_maps.assign(fields, {});
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
  for (size_t f = 0; f < fields; ++f) {
    const std::vector<size_t>& source = state_.fields[f].source_columns;
    check_columns_.insert(check_columns_.end(), source.begin(), source.end());
  }
  std::sort(check_columns_.begin(), check_columns_.end());
  check_columns_.erase(std::unique(check_columns_.begin(), check_columns_.end()), check_columns_.end());
  const size_t width = check_columns_.empty() ? 0 : check_columns_.back() + 1;
  raw_owner_.assign(width, SIZE_MAX);
  gathered_.resize(width);
  for (size_t f = fields; f-- > 0;) {  // (the first field wins)
    const FieldData& data = state_.fields[f];
    if (!schema.fields[f].many_to_one && data.column.mapped) raw_owner_[data.source_columns[0]] = f;
  }
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

// One pass over the rows (a row's cells are side by side in the table), not
// one per column: each row's start looked up once, and no call or branch per
// cell (a row with a cell that is long or may have spaces to trim, or with
// fewer cells than the columns read, is read again after the loop, its cells
// one by one).
void RowChecker::Gather(const std::vector<size_t>& columns, size_t begin, size_t end) {
  const size_t n = end - begin;
  gather_to_.clear();
  for (size_t col : columns) {
    std::vector<std::string_view>& texts = Gathered(col);
    texts.resize(n);
    gather_to_.push_back(texts.data());
  }
  const Table::Cells cells(state_.inspection.read.table);
  const size_t* rows = state_.data_rows.data() + (begin - state_.first_data_row);
  const size_t* const cols = columns.data();
  std::string_view* const* const to = gather_to_.data();
  const size_t count = columns.size();
  const size_t needed = count > 0 ? cols[count - 1] + 1 : 0;  // (the columns are in order)
  gather_later_.clear();
  for (size_t i = 0; i < n; ++i) {
    const size_t start = cells.Start(rows[i]);
    if (cells.Width(rows[i]) < needed) {
      gather_later_.push_back(i);
      continue;
    }
    bool again = false;
    for (size_t c = 0; c < count; ++c) {
      std::string_view cell;
      const bool is_short = cells.Short(start + cols[c], &cell);
      const char first = cell.empty() ? 'x' : cell.front(), last = cell.empty() ? 'x' : cell.back();
      again |= static_cast<int>(!is_short) | !VisibleAscii(first) | !VisibleAscii(last);  // (| not ||: no branch)
      to[c][i] = cell;
    }
    if (again) gather_later_.push_back(i);
  }
  for (const size_t i : gather_later_) {
    for (size_t c = 0; c < count; ++c) to[c][i] = TrimSpaces(cells(rows[i], cols[c]));
  }
}

void RowChecker::Check(size_t begin, size_t end, const UniqueIndex* unique) {
  const size_t n = end - begin;
  Gather(check_columns_, begin, end);
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

bool RowChecker::PlanUnique() {
  unique_needed_.assign(schema_.fields.size(), false);
  unique_with_.clear();
  for (size_t f = 0; f < schema_.fields.size(); ++f) {
    if (!state_.fields[f].column.mapped) continue;
    for (const Validator& v : schema_.fields[f].validators) {
      if (v.kind == ValidatorKind::kUniqueWith) unique_with_[v.unique_key].push_back(f);
      unique_needed_[f] = unique_needed_[f] || v.kind == ValidatorKind::kUnique ||
                          v.kind == ValidatorKind::kUniqueCaseInsensitive || v.kind == ValidatorKind::kUniqueWith;
    }
  }
  unique_columns_.clear();
  for (size_t col : check_columns_) {
    bool needed = false;
    for (size_t f = 0; f < schema_.fields.size() && !needed; ++f) {
      const std::vector<size_t>& source = state_.fields[f].source_columns;
      needed = unique_needed_[f] && std::find(source.begin(), source.end(), col) != source.end();
    }
    if (needed) unique_columns_.push_back(col);
  }
  return std::find(unique_needed_.begin(), unique_needed_.end(), true) != unique_needed_.end();
}

bool RowChecker::BeginUnique(size_t rows, UniqueIndex* index) {
  if (!PlanUnique()) return false;
  for (size_t f = 0; f < schema_.fields.size(); ++f) {
    if (!unique_needed_[f]) continue;
    for (const Validator& v : schema_.fields[f].validators) {
      if (v.kind == ValidatorKind::kUnique || v.kind == ValidatorKind::kUniqueCaseInsensitive) {
        index->by_validator.emplace(&v, Duplicates(rows));
      }
    }
  }
  for (const auto& entry : unique_with_) index->by_unique_key.emplace(entry.first, Duplicates(rows));
  return true;
}

void RowChecker::AddUnique(size_t begin, size_t end, bool stable, UniqueIndex* index) {
  const size_t n = end - begin;
  Gather(unique_columns_, begin, end);
  std::vector<bool> cells_are_keys(schema_.fields.size(), false);
  for (size_t f = 0; f < schema_.fields.size(); ++f) {
    if (!unique_needed_[f]) continue;
    cells_are_keys[f] = CellsAreKeys(f, n);
    if (!cells_are_keys[f]) {
      Coerce(f, begin, end, &ignored_);
      continue;
    }
    // Only the raw texts are read (AddUniqueKeys).
    const std::vector<std::string_view>& texts = Gathered(state_.fields[f].source_columns[0]);
    if (&texts != &state_.fields[f].column.raw) state_.fields[f].column.raw = texts;
  }
  ignored_.clear();
  for (size_t f = 0; f < schema_.fields.size(); ++f) {
    const FieldColumn& column = state_.fields[f].column;
    for (const Validator& v : schema_.fields[f].validators) {
      auto it = index->by_validator.find(&v);
      if (it == index->by_validator.end()) continue;
      AddUniqueKeys(column, v, n, begin, stable, &it->second, cells_are_keys[f]);
    }
  }
  std::string key;
  for (const auto& [unique_key, members] : unique_with_) {
    std::vector<const FieldColumn*> member_columns;
    for (size_t f : members) member_columns.push_back(&state_.fields[f].column);
    Duplicates& duplicates = index->by_unique_key.find(unique_key)->second;
    for (size_t i = 0; i < end - begin; ++i) {
      if (UniqueWithKey(member_columns, i, &key)) duplicates.Add(begin + i, key);
    }
  }
}

// Whether field f's keys over the rows gathered (n of them) are its cells,
// not coerced: a column of its own whose cells nothing changes, `unique` its
// only validator of the family, and its coercer sure of every cell.
bool RowChecker::CellsAreKeys(size_t f, size_t n) {
  const FieldData& data = state_.fields[f];
  if (schema_.fields[f].many_to_one || data.source_columns.size() != 1 || !hook_options_[f].empty() ||
      (f < state_.option_maps.size() && !state_.option_maps[f].empty())) {
    return false;
  }
  for (const Validator& v : schema_.fields[f].validators) {
    if (v.kind == ValidatorKind::kUniqueCaseInsensitive || v.kind == ValidatorKind::kUniqueWith) return false;
  }
  return coercers_[f][0]->CellsAreKeys(Gathered(data.source_columns[0]).data(), n);
}

void RowChecker::IndexUnique(size_t chunk, UniqueIndex* index) {
  BeginUnique(total_rows_, index);
  for (size_t begin = 0; begin < total_rows_; begin += chunk) AddUnique(begin, std::min(total_rows_, begin + chunk), true, index);
}

std::optional<size_t> RowChecker::PositionOf(size_t row_id) {
  if (state_.row_ids.empty()) return row_id < total_rows_ ? std::optional<size_t>(row_id) : std::nullopt;
  if (positions_.empty()) {
    size_t most = *std::max_element(state_.row_ids.begin(), state_.row_ids.end());
    positions_.assign(most + 1, SIZE_MAX);
    for (size_t i = 0; i < total_rows_; ++i) positions_[state_.row_ids[i]] = i;
  }
  if (row_id >= positions_.size() || positions_[row_id] == SIZE_MAX) return std::nullopt;
  return positions_[row_id];
}

void RowChecker::Coerce(size_t f, size_t begin, size_t end, std::vector<CellMessage>* messages) {
  constexpr size_t kProgressEvery = 1 << 16;  // cells between reports
  const Field& field = schema_.fields[f];
  const size_t n = end - begin;
  FieldData& data = state_.fields[f];
  data.column.valid.assign(n, true);
  if (!data.column.mapped) {
    data.column.raw.assign(n, std::string_view());
    data.column.values.Reset(n);
    return;
  }
  // Every row's raw text and value is set below (Gather set the raw texts, or
  // the first column's are copied): the buffers are kept from chunk to chunk,
  // not filled first. One column's values go straight to the field's; a
  // manyToOne field's to a part per column.
  const bool many = field.many_to_one;
  data.column.raw.resize(n);
  if (many) {
    data.parts.resize(data.source_columns.size());
    data.column.values.Reset(n);
  } else {
    data.parts.clear();
  }
  // A cell's issues: the import's messages, and an error makes it invalid.
  struct Issues final : CellIssueSink {
    size_t begin;
    const Field& field;
    std::vector<CellMessage>* messages;
    std::vector<bool>& valid;
    Issues(size_t first, const Field& of, std::vector<CellMessage>* to, std::vector<bool>& valid_cells)
        : begin(first), field(of), messages(to), valid(valid_cells) {}
    void Report(size_t row, std::string_view text, const Coerced& coerced) override {
      for (const CellIssue& issue : coerced.issues) {
        messages->push_back({begin + row, field.key, issue.code, issue.level, issue.message, std::string(text)});
      }
      if (!coerced.valid()) valid[row] = false;
    }
  } issues(begin, field, messages, data.column.valid);
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
    // The column's trimmed texts (Gather's); the raw texts are the first
    // column's, a later column's where those are empty.
    const std::string_view* texts = Gathered(col).data();
    std::string_view* raw = data.column.raw.data();
    if (k == 0) {
      if (texts != raw) std::copy(texts, texts + n, raw);
    } else {
      for (size_t i = 0; i < n; ++i) {
        if (raw[i].empty()) raw[i] = texts[i];
      }
    }
    // Cells whose coercer or text a hook or a person changed are few: the
    // loop asks only when there are any.
    const bool per_cell = !hook_options_[f].empty() || (f < state_.option_maps.size() && !state_.option_maps[f].empty());
    const bool progress = options_.progress && k == 0;
    const bool checkbox = field.type == FieldType::kCheckbox;
    const bool as_text = field.type == FieldType::kString && !per_cell;  // the value is the cell
    auto report_progress = [&](size_t i) {
      progress_->done = begin * schema_.fields.size() + f * n + i;
      progress_->stage = "check";
      options_.progress(*progress_);
    };
    auto set_empty = [&](size_t i) {
      if (checkbox) {
        part.SetBool(i, false);
      } else {
        part.SetNull(i);
      }
    };
    if (!per_cell && !as_text) {
      // The empty cells' values, then the others' at once (ColumnCoercer::CoerceCells).
      for (size_t i = 0; i < n; ++i) {
        if (progress && (i & (kProgressEvery - 1)) == 0 && i > 0) report_progress(i);
        if (texts[i].empty()) set_empty(i);
      }
      coercer->CoerceCells(texts, n, &part, &issues);
      continue;
    }
    // Strings (the value is the cell), and cells a hook or a person changed.
    for (size_t i = 0; i < n; ++i) {
      if (progress && (i & (kProgressEvery - 1)) == 0 && i > 0) report_progress(i);
      const std::string_view text = texts[i];
      if (text.empty()) {
        set_empty(i);
      } else if (as_text) {
        part.SetCell(i, text);
      } else {
        coerced_.Reset();  // (a cell a hook or a person changed: its own coercer, its text mapped)
        coercer_for(begin + i)->Coerce(state_.MapOption(f, text), &coerced_);
        if (!coerced_.issues.empty()) issues.Report(i, text, coerced_);
        part.Set(i, coerced_.value, text);
      }
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

StreamWriter::StreamWriter(const ImportResult::Impl& state, const std::vector<ColumnMatch>& mapping,
                           const std::vector<CellMessage>& messages, const std::vector<RowStream>& streams, size_t rows)
    : messages_(messages), streams_(streams), rows_(rows) {
  for (const RowStream& stream : streams) writers_.emplace_back(state, mapping, stream.format);
}

void StreamWriter::Begin() {
  for (size_t s = 0; s < streams_.size(); ++s) {
    out_.clear();
    writers_[s].Begin(&out_);
    if (rows_ == 0) writers_[s].End(&out_);
    streams_[s].write(out_);
  }
}

void StreamWriter::Chunk(RowChecker* checker, size_t begin, size_t end, const UniqueIndex* unique) {
  checker->CheckInParts(begin, end, unique, [this](size_t from, size_t to, size_t first) {
    for (size_t s = 0; s < streams_.size(); ++s) {
      size_t length = 0;
      writers_[s].Write(from, to - from, messages_.data() + first, messages_.size() - first, &out_, &length);
      if (to == rows_) {
        out_.resize(length);
        writers_[s].End(&out_);
        length = out_.size();
      }
      streams_[s].write(std::string_view(out_.data(), length));
    }
  });
}

void StreamRows(RowChecker* checker, const ImportResult::Impl& state, const std::vector<ColumnMatch>& mapping,
                const std::vector<CellMessage>& messages, const std::vector<RowStream>& streams, size_t chunk_rows) {
  const size_t rows = state.data_rows.size();
  if (rows == 0 && !state.schema.settings.allow_empty_submit) return;  // FAILED: no_data_rows
  chunk_rows = std::max<size_t>(chunk_rows, 1);
  UniqueIndex unique;
  const bool chunked = rows > chunk_rows;
  if (chunked) checker->IndexUnique(chunk_rows, &unique);
  StreamWriter writer(state, mapping, messages, streams, rows);
  writer.Begin();
  for (size_t begin = 0; begin < rows; begin += chunk_rows) {
    writer.Chunk(checker, begin, std::min(rows, begin + chunk_rows), chunked ? &unique : nullptr);
  }
}

}  // namespace sluice
