// The import's outputs: cleaned rows (JSON, NDJSON, CSV) through the one
// streaming JsonWriter, the result metadata of API.md, and the outcome.
// Deterministic: the same import writes the same bytes.
#include <algorithm>

#include "emit/import_state.h"
#include "sluice/json_writer.h"
#include "text/number_text.h"

namespace sluice {
namespace {

bool IncludesInvalidRows(InvalidDataBehavior behavior) { return behavior != InvalidDataBehavior::kRemoveInvalidRows; }

// CSV cells that a spreadsheet would run as formulas get a leading quote.
std::string Neutralized(std::string text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' ||
                        text[0] == '\r')) {
    char* end = nullptr;
    std::strtod(text.c_str(), &end);
    bool number = end && *end == '\0' && text[0] != '=' && text[0] != '@';
    if (!number) text.insert(0, "'");
  }
  return text;
}

void AppendCsvCell(const std::string& text, std::string* out) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void WriteReasons(const std::vector<OutcomeReason>& reasons, JsonWriter* out) {
  out->BeginArray();
  for (const OutcomeReason& reason : reasons) {
    out->BeginObject();
    out->Key("code");
    out->String(reason.code);
    out->Key("message");
    out->String(reason.message);
    if (!reason.field_key.empty()) {
      out->Key("fieldKey");
      out->String(reason.field_key);
    }
    if (!reason.hook.empty()) {
      out->Key("hook");
      out->String(reason.hook);
    }
    if (reason.row) {
      out->Key("rowIndex");
      out->Int(static_cast<int64_t>(*reason.row));
    }
    out->EndObject();
  }
  out->EndArray();
}

}  // namespace

void WriteOutcome(Outcome outcome, const std::vector<OutcomeReason>& reasons, JsonWriter* out) {
  out->Key("outcome");
  out->String(OutcomeName(outcome));
  out->Key("reasons");
  WriteReasons(reasons, out);
}

size_t ImportResult::output_rows() const {
  if (!impl_ || outcome_ == Outcome::kFailed) return 0;
  if (IncludesInvalidRows(impl_->schema.settings.invalid_data_behavior)) return data_rows_;
  return data_rows_ - rows_with_error_;
}

std::string ImportResult::Rows(RowFormat format) const {
  if (outcome_ == Outcome::kFailed) return format == RowFormat::kJson ? "[]" : "";
  const Impl& state = *impl_;
  const Schema& schema = state.schema;
  const Table& table = state.inspection.read.table;
  const InvalidDataBehavior behavior = schema.settings.invalid_data_behavior;
  const bool include_invalid = IncludesInvalidRows(behavior);
  const bool pass_through = schema.settings.pass_through_unmapped_columns;

  std::vector<bool> mapped_column(state.headers.size(), false);
  for (const ColumnMatch& m : mapping_) mapped_column[m.column] = true;

  // The value a field shows in row `i`: invalid cells show their text.
  // A cell as JSON and as text: invalid cells show their text as read.
  auto invalid_text = [&](const FieldData& data, size_t i, size_t part, std::string_view* raw) {
    if (!data.column.mapped || !data.has_error[i]) return false;
    *raw = TrimSpaces(table.cell(state.data_rows[i], data.source_columns[part]));
    return true;
  };
  auto write_cell = [&](const FieldData& data, size_t i, size_t part, JsonWriter* out) {
    std::string_view raw;
    if (invalid_text(data, i, part, &raw)) {
      if (raw.empty()) {
        out->Null();
      } else {
        out->String(raw);
      }
      return;
    }
    (data.parts.empty() ? data.column.values : data.parts[part]).Write(i, out);
  };
  auto cell_text = [&](const FieldData& data, size_t i, size_t part) -> std::string {
    std::string_view raw;
    if (invalid_text(data, i, part, &raw)) return std::string(raw);
    return (data.parts.empty() ? data.column.values : data.parts[part]).Text(i);
  };

  std::string out;
  if (format == RowFormat::kCsv) {
    for (size_t f = 0; f < schema.fields.size(); ++f) {
      if (f) out.push_back(',');
      AppendCsvCell(Neutralized(schema.fields[f].key), &out);
    }
    if (pass_through) {
      for (size_t col = 0; col < state.headers.size(); ++col) {
        if (mapped_column[col]) continue;
        out.push_back(',');
        AppendCsvCell(Neutralized(state.headers[col].empty() ? "$unmapped." + std::to_string(col) : state.headers[col]), &out);
      }
    }
    out.append("\r\n");
  }

  // JSON and NDJSON rows of fields only (the common case) are written
  // straight into the output: each field's `,"key":` prepared once, each value
  // appended by its column. $unmapped and $errors take the writer below.
  const bool extras = pass_through || behavior == InvalidDataBehavior::kIncludeInvalidRowsAndValues;
  if (format != RowFormat::kCsv && !extras) {
    std::vector<std::string> prefixes;
    for (size_t f = 0; f < state.fields.size(); ++f) {
      prefixes.push_back((f == 0 ? "{" : ",") + JsonWriter::QuotedKey(state.fields[f].column.field->key));
    }
    auto append_cell = [&](const FieldData& data, size_t i, size_t part) {
      std::string_view raw;
      if (invalid_text(data, i, part, &raw)) {
        if (raw.empty()) {
          out.append("null");
        } else {
          JsonWriter::AppendQuoted(out, raw);
        }
        return;
      }
      (data.parts.empty() ? data.column.values : data.parts[part]).AppendJson(i, &out);
    };
    out.reserve(table.text().size() + table.text().size() / 2 + 64);
    if (format == RowFormat::kJson) out.push_back('[');
    bool first_row = true;
    for (size_t i = 0; i < state.data_rows.size(); ++i) {
      if (state.row_has_error[i] && !include_invalid) continue;
      if (format == RowFormat::kJson && !first_row) out.push_back(',');
      first_row = false;
      if (state.fields.empty()) out.push_back('{');
      for (size_t f = 0; f < state.fields.size(); ++f) {
        const FieldData& data = state.fields[f];
        out.append(prefixes[f]);
        if (data.column.field->many_to_one) {
          out.push_back('[');
          for (size_t k = 0; k < data.parts.size(); ++k) {
            if (k) out.push_back(',');
            append_cell(data, i, k);
          }
          out.push_back(']');
        } else {
          append_cell(data, i, 0);
        }
      }
      out.push_back('}');
      if (format == RowFormat::kNdjson) out.push_back('\n');
    }
    if (format == RowFormat::kJson) out.push_back(']');
    return out;
  }

  JsonWriter json;
  if (format == RowFormat::kJson) json.BeginArray();
  std::vector<std::string> quoted_keys;  // each field's key, quoted once
  for (const FieldData& data : state.fields) quoted_keys.push_back(JsonWriter::QuotedKey(data.column.field->key));
  for (size_t i = 0; i < state.data_rows.size(); ++i) {
    if (state.row_has_error[i] && !include_invalid) continue;
    if (format == RowFormat::kCsv) {
      for (size_t f = 0; f < state.fields.size(); ++f) {
        const FieldData& data = state.fields[f];
        if (f) out.push_back(',');
        std::string text;
        if (data.parts.size() > 1) {
          for (size_t k = 0; k < data.parts.size(); ++k) {
            std::string part = cell_text(data, i, k);
            if (!part.empty()) text += (text.empty() ? "" : ",") + part;
          }
        } else {
          text = cell_text(data, i, 0);
        }
        AppendCsvCell(Neutralized(text), &out);
      }
      if (pass_through) {
        for (size_t col = 0; col < state.headers.size(); ++col) {
          if (mapped_column[col]) continue;
          out.push_back(',');
          AppendCsvCell(Neutralized(std::string(table.cell(state.data_rows[i], col))), &out);
        }
      }
      out.append("\r\n");
      continue;
    }
    JsonWriter row_writer;
    JsonWriter& row = format == RowFormat::kJson ? json : row_writer;
    row.BeginObject();
    for (size_t f = 0; f < state.fields.size(); ++f) {
      const FieldData& data = state.fields[f];
      row.KeyQuoted(quoted_keys[f]);
      if (data.column.field->many_to_one) {
        row.BeginArray();
        for (size_t k = 0; k < data.parts.size(); ++k) write_cell(data, i, k, &row);
        row.EndArray();
      } else {
        write_cell(data, i, 0, &row);
      }
    }
    if (pass_through) {
      row.Key("$unmapped");
      row.BeginObject();
      for (size_t col = 0; col < state.headers.size(); ++col) {
        if (mapped_column[col]) continue;
        row.Key(std::to_string(col));
        row.String(table.cell(state.data_rows[i], col));
      }
      row.EndObject();
    }
    if (behavior == InvalidDataBehavior::kIncludeInvalidRowsAndValues && state.row_has_error[i]) {
      row.Key("$errors");
      row.BeginObject();
      std::string open_key;
      for (const CellMessage& message : messages_) {
        if (message.row != i || message.level != Level::kError) continue;
        if (message.field_key != open_key) {
          if (!open_key.empty()) row.EndArray();
          row.Key(message.field_key);
          row.BeginArray();
          open_key = message.field_key;
        }
        row.BeginObject();
        row.Key("code");
        row.String(message.code);
        row.Key("message");
        row.String(message.message);
        row.EndObject();
      }
      if (!open_key.empty()) row.EndArray();
      row.EndObject();
    }
    row.EndObject();
    if (format == RowFormat::kNdjson) out.append(row_writer.str()).push_back('\n');
  }
  if (format == RowFormat::kJson) {
    json.EndArray();
    return json.Take();
  }
  return out;
}

std::string ImportResult::OutcomeJson() const {
  JsonWriter out;
  out.BeginObject();
  WriteOutcome(outcome_, reasons_, &out);
  out.EndObject();
  return out.Take();
}

std::string ImportResult::Metadata(size_t max_errors) const {
  const Impl& state = *impl_;
  JsonWriter out;
  out.BeginObject();
  WriteOutcome(outcome_, reasons_, &out);
  out.Key("num_data_rows");
  out.Int(static_cast<int64_t>(data_rows_));
  out.Key("num_output_rows");
  out.Int(static_cast<int64_t>(output_rows()));
  out.Key("rowsWithError");
  out.Int(static_cast<int64_t>(rows_with_error_));
  out.Key("droppedRows");
  out.Int(static_cast<int64_t>(state.dropped_rows));

  out.Key("errors");
  out.BeginArray();
  size_t written = 0;
  for (const CellMessage& message : messages_) {
    if (written == max_errors) break;
    ++written;
    out.BeginObject();
    out.Key("rowIndex");
    out.Int(static_cast<int64_t>(message.row));
    out.Key("fieldKey");
    out.String(message.field_key);
    out.Key("code");
    out.String(message.code);
    out.Key("level");
    out.String(LevelName(message.level));
    out.Key("message");
    out.String(message.message);
    out.Key("value");
    out.String(message.value);
    out.EndObject();
  }
  out.EndArray();
  out.Key("errorCount");
  out.Int(static_cast<int64_t>(messages_.size()));
  out.Key("errorsTruncated");
  out.Bool(written < messages_.size());

  out.Key("fields");
  out.BeginObject();
  if (outcome_ != Outcome::kFailed || !state.headers.empty()) {
    for (const Field& field : state.schema.fields) {
      out.Key(field.key);
      std::vector<const ColumnMatch*> matches;
      for (const ColumnMatch& m : mapping_) {
        if (m.field_key == field.key) matches.push_back(&m);
      }
      if (matches.empty()) {
        out.Null();
        continue;
      }
      out.BeginObject();
      out.Key("fileHeader");
      out.String(matches[0]->header);
      out.Key("fileHeaderIndex");
      out.Int(static_cast<int64_t>(matches[0]->column));
      out.Key("confidence");
      out.Double(static_cast<double>(static_cast<int64_t>(matches[0]->confidence * 100 + 0.5)) / 100);
      out.Key("reason");
      out.String(matches[0]->reason);
      if (matches.size() > 1) {
        out.Key("fileHeaderIndexes");
        out.BeginArray();
        for (const ColumnMatch* m : matches) out.Int(static_cast<int64_t>(m->column));
        out.EndArray();
      }
      for (const auto& [key, decision] : state.decisions) {
        if (key == field.key) {
          out.Key("decision");
          out.String(decision);
          break;
        }
      }
      out.EndObject();
    }
  }
  out.EndObject();

  out.Key("rawHeaders");
  out.BeginArray();
  for (const std::string& header : state.headers) out.String(header);
  out.EndArray();

  out.Key("detected");
  if (state.headers.empty() && outcome_ == Outcome::kFailed) {
    out.Null();
  } else {
    const ReadResult& read = state.inspection.read;
    out.BeginObject();
    out.Key("format");
    out.String(FormatName(read.format, read.dialect ? read.dialect->delimiter : ','));
    out.Key("encoding");
    out.String(read.encoding.name);
    out.Key("delimiter");
    if (read.dialect) {
      out.String(std::string(1, read.dialect->delimiter));
    } else {
      out.Null();
    }
    out.Key("headerRow");
    out.Int(static_cast<int64_t>(state.header_row));
    out.Key("headerConfidence");
    out.Double(static_cast<double>(static_cast<int64_t>(state.inspection.header.confidence * 100 + 0.5)) / 100);
    out.Key("sheet");
    bool sheet_written = false;
    for (const SheetInfo& sheet : read.sheets) {
      if (sheet.selected) {
        out.String(sheet.name);
        sheet_written = true;
      }
    }
    if (!sheet_written) out.Null();
    out.Key("decisions");
    out.BeginObject();
    for (const auto& [key, decision] : state.decisions) {
      out.Key(key);
      out.String(decision);
    }
    out.EndObject();
    out.EndObject();
  }
  out.EndObject();
  return out.Take();
}

}  // namespace sluice
