// RunImport: the orchestrator of stages 1-8. Reads and inspects the file,
// takes the header and data rows, matches columns, coerces column by column,
// validates, and decides the outcome. Calls each stage through its header;
// the writers (rows, metadata) are in emit/import_writer.cpp.
#include <algorithm>
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

  // 1-4. Read, with the schema's settings over the caller's options.
  ReadOptions read_options = options.read;
  if (schema.settings.delimiter) read_options.delimiter = schema.settings.delimiter;
  if (schema.settings.header_row_override) read_options.header_row_override = schema.settings.header_row_override;
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
  size_t columns = table.max_cell_count();
  for (size_t col = 0; col < columns; ++col) {
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
  const size_t rows = state.data_rows.size();
  result.data_rows_ = rows;

  // 5. Match columns to fields.
  MatchRequest match;
  match.headers = state.headers;
  match.samples.resize(columns);
  for (size_t col = 0; col < columns; ++col) {
    for (size_t i = 0; i < rows && match.samples[col].size() < kSampleSize; ++i) {
      std::string_view cell = TrimSpaces(table.cell(state.data_rows[i], col));
      if (!cell.empty()) match.samples[col].push_back(cell);
    }
  }
  match.remembered = &options.mapping;
  match.fuzzy = schema.settings.fuzzy_match_headers;
  result.mapping_ = MatchColumns(match, schema);

  // 6. Coerce, column at a time.
  state.fields.resize(schema.fields.size());
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
    for (size_t k = 0; k < data.source_columns.size(); ++k) {
      size_t col = data.source_columns[k];
      std::unique_ptr<ColumnCoercer> coercer = MakeCoercer(field, match.samples[col]);
      std::string decision = coercer->Decision();
      bool decided = std::any_of(state.decisions.begin(), state.decisions.end(),
                                 [&](const auto& d) { return d.first == field.key; });
      if (!decision.empty() && !decided) state.decisions.emplace_back(field.key, decision);
      ValueColumn& part = data.parts[k];
      part.Reset(rows);
      for (size_t i = 0; i < rows; ++i) {
        std::string_view text = TrimSpaces(table.cell(state.data_rows[i], col));
        if (text.empty()) {
          if (field.type == FieldType::kCheckbox) part.SetBool(i, false);
          continue;
        }
        coerced.Reset();
        coercer->Coerce(text, &coerced);
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
    result.reasons_.push_back({"invalid_data", std::to_string(result.rows_with_error_) +
                                                   (result.rows_with_error_ == 1 ? " row has" : " rows have") +
                                                   " errors, and the schema blocks submitting them", ""});
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
  return result;
}

}  // namespace sluice
