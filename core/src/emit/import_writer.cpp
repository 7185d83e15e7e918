// The import's outputs: cleaned rows (JSON, NDJSON, CSV) through the one
// streaming JsonWriter, the result metadata of API.md, and the outcome.
// Deterministic: the same import writes the same bytes.
#include <algorithm>
#include <cassert>
#include <cstring>

#include "emit/import_state.h"
#include "sluice/json_writer.h"
#include "text/number_text.h"

namespace sluice {
namespace {

// Writes into a std::string through a pointer, after its first *length
// bytes: Ensure(p, n) gives a pointer where n bytes fit from p's position
// (growing the string in big steps, rarely: a comparison with the room's
// end otherwise), and at the end *length says how far the writing went
// (Finish). The string is not cut back to it: the bytes past it are room the
// next chunk writes over without zero-filling it again (a std::string grows
// only by filling).
class Sink {
 public:
  Sink(std::string* out, size_t* length) : out_(out), length_(length) {}
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  //! Where the writing starts (room for `n` bytes).
  char* Start(size_t n) { return Ensure(&(*out_)[0] + *length_, n); }
  char* Ensure(char* p, size_t n) {
    if (static_cast<size_t>(end_ - p) >= n && end_ != nullptr) return p;
    return Grow(p, n);
  }
  void Finish(char* p) {
    assert(p <= end_);  // (debug builds: a room was too small)
    *length_ = static_cast<size_t>(p - out_->data());
  }

 private:
  static constexpr size_t kStep = 1 << 16;
  char* Grow(char* p, size_t n) {
    const size_t used = end_ == nullptr ? *length_ : static_cast<size_t>(p - out_->data());
    if (out_->size() - used < n) out_->resize(used + n + kStep);
    end_ = out_->data() + out_->size();
    return out_->data() + used;
  }
  std::string* out_;
  size_t* length_;
  char* end_ = nullptr;  // the room's end (null: not yet known)
};

char* Put(char* p, std::string_view bytes) {
  std::memcpy(p, bytes.data(), bytes.size());
  return p + bytes.size();
}

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

RowWriter::RowWriter(const ImportResult::Impl& state, const std::vector<ColumnMatch>& mapping, RowFormat format)
    : state_(state), format_(format) {
  const InvalidDataBehavior behavior = state.schema.settings.invalid_data_behavior;
  include_invalid_ = IncludesInvalidRows(behavior);
  pass_through_ = state.schema.settings.pass_through_unmapped_columns;
  extras_ = pass_through_ || behavior == InvalidDataBehavior::kIncludeInvalidRowsAndValues;
  mapped_column_.assign(state.headers.size(), false);
  for (const ColumnMatch& m : mapping) mapped_column_[m.column] = true;
  // Each field's `,"key":` prepared once (`{"key":` for the first).
  for (size_t f = 0; f < state.schema.fields.size(); ++f) {
    quoted_keys_.push_back(JsonWriter::QuotedKey(state.schema.fields[f].key));
    prefixes_.push_back((f == 0 ? "{" : ",") + quoted_keys_.back());
    padded_prefixes_.append(prefixes_.back().substr(0, kPaddedPrefix));
    padded_prefixes_.resize((f + 1) * kPaddedPrefix);
  }
}

void RowWriter::Begin(std::string* out) const {
  if (format_ == RowFormat::kJson) out->push_back('[');
  if (format_ != RowFormat::kCsv) return;
  const Schema& schema = state_.schema;
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    if (f) out->push_back(',');
    AppendCsvCell(Neutralized(schema.fields[f].key), out);
  }
  if (pass_through_) {
    for (size_t col = 0; col < state_.headers.size(); ++col) {
      if (mapped_column_[col]) continue;
      out->push_back(',');
      AppendCsvCell(Neutralized(state_.headers[col].empty() ? "$unmapped." + std::to_string(col) : state_.headers[col]), out);
    }
  }
  out->append("\r\n");
}

void RowWriter::End(std::string* out) const {
  if (format_ == RowFormat::kJson) out->push_back(']');
}

// A cell with an error shows its text as read (data row `row`, at index `i`
// of the range's values).
bool RowWriter::InvalidText(const FieldData& data, size_t row, size_t i, size_t part, std::string_view* raw) const {
  if (!data.column.mapped || !data.has_error[i]) return false;
  *raw = TrimSpaces(state_.inspection.read.table.cell(state_.TableRow(row), data.source_columns[part]));
  return true;
}

// One cell's JSON: its value, or its text as read when it has an error (null
// when that is empty), or a number's cell when that is its JSON already.
struct RowWriter::CellJson {
  enum class From : uint8_t { kValue, kInvalidText, kNumberAsRead };
  const ValueColumn* values;
  size_t i;
  From from;
  std::string_view raw;

  size_t Bound() const {
    switch (from) {
      case From::kValue: return values->JsonBound(i);
      case From::kInvalidText: return JsonWriter::QuotedBound(raw.size());
      case From::kNumberAsRead: return raw.size();
    }
    return 0;
  }
  char* Write(char* p) const {
    switch (from) {
      case From::kValue: return values->WriteJson(i, p);
      case From::kNumberAsRead: return Put(p, raw);
      case From::kInvalidText:
        if (!raw.empty()) return JsonWriter::WriteQuoted(p, raw);
        std::memcpy(p, "null", 4);
        return p + 4;
    }
    return p;
  }
};

inline RowWriter::CellJson RowWriter::Cell(const FieldData& data, size_t row, size_t i, size_t part) const {
  CellJson cell{data.parts.empty() ? &data.column.values : &data.parts[part], i, CellJson::From::kValue, {}};
  if (data.has_error[i]) {  // (most cells have none)
    if (InvalidText(data, row, i, part, &cell.raw)) cell.from = CellJson::From::kInvalidText;
  } else if (cell.values->NumberAsRead(i)) {
    cell.from = CellJson::From::kNumberAsRead;
    cell.raw = TrimSpaces(state_.inspection.read.table.cell(state_.TableRow(row), data.source_columns[part]));
  }
  return cell;
}

void RowWriter::AppendCell(const FieldData& data, size_t row, size_t i, size_t part, std::string* out) const {
  const CellJson cell = Cell(data, row, i, part);
  const size_t old = out->size();
  out->resize(old + cell.Bound());
  char* end = cell.Write(&(*out)[old]);
  out->resize(static_cast<size_t>(end - out->data()));
}

std::string RowWriter::CellText(const FieldData& data, size_t row, size_t i, size_t part) const {
  std::string_view raw;
  if (InvalidText(data, row, i, part, &raw)) return std::string(raw);
  return (data.parts.empty() ? data.column.values : data.parts[part]).Text(i);
}

// Rows of fields only, JSON or NDJSON (the common case): straight into the
// output, room made for a cell's most bytes before it is written. A cell
// with no error (most cells) is written without the general Cell().
void RowWriter::WriteFieldRows(size_t begin, size_t n, std::string* out, size_t* length) {
  const std::vector<FieldData>& fields = state_.fields;
  columns_.clear();
  for (size_t f = 0; f < fields.size(); ++f) {
    const FieldData& data = fields[f];
    const bool padded = prefixes_[f].size() <= kPaddedPrefix;
    columns_.push_back({&data, &data.column.values, data.has_error.data(), data.column.raw.data(),
                        padded ? padded_prefixes_.data() + f * kPaddedPrefix : nullptr, prefixes_[f],
                        data.column.field->many_to_one || !padded});
  }
  const WriteColumn* const columns = columns_.data();
  const WriteColumn* const columns_end = columns + columns_.size();
  Sink sink(out, length);
  char* p = sink.Start(1);
  for (size_t i = 0; i < n; ++i) {
    if (state_.row_has_error[i] && !include_invalid_) continue;
    const size_t row = begin + i;
    p = sink.Ensure(p, 3);
    if (format_ == RowFormat::kJson && !first_row_) *p++ = ',';
    first_row_ = false;
    if (fields.empty()) *p++ = '{';
    for (const WriteColumn* c = columns; c != columns_end; ++c) {
      // Each room counts what may follow before the next: a comma, ']', '}'
      // and a newline.
      if (c->general || c->has_error[i]) {  // (few cells)
        const FieldData& data = *c->data;
        const std::string_view prefix = c->prefix;
        if (!data.column.field->many_to_one) {
          const CellJson cell = Cell(data, row, i, 0);
          p = Put(sink.Ensure(p, prefix.size() + cell.Bound() + 2), prefix);
          p = cell.Write(p);
          continue;
        }
        p = Put(sink.Ensure(p, prefix.size() + 4), prefix);
        *p++ = '[';
        for (size_t k = 0; k < data.parts.size(); ++k) {
          const CellJson cell = Cell(data, row, i, k);
          p = sink.Ensure(p, cell.Bound() + 4);
          if (k) *p++ = ',';
          p = cell.Write(p);
        }
        *p++ = ']';
        continue;
      }
      // Its key (one fixed-size copy, no call: the room covers the padding),
      // then its value; a number whose text is its JSON: the cell as read,
      // which the field's raw texts hold.
      p = sink.Ensure(p, kPaddedPrefix + c->values->JsonRoom(i) + 2);
      std::memcpy(p, c->padded_prefix, kPaddedPrefix);
      p += c->prefix.size();
      p = c->values->WriteJsonAsRead(i, c->raw, p);
    }
    *p++ = '}';
    if (format_ == RowFormat::kNdjson) *p++ = '\n';
  }
  sink.Finish(p);
}

void RowWriter::Write(size_t begin, size_t n, const CellMessage* messages, size_t message_count, std::string* out,
                      size_t* length) {
  if (format_ != RowFormat::kCsv && !extras_) {
    WriteFieldRows(begin, n, out, length);
    return;
  }
  // CSV, and rows with $unmapped or $errors: appended.
  out->resize(*length);
  WriteAppended(begin, n, messages, message_count, out);
  *length = out->size();
}

void RowWriter::WriteAppended(size_t begin, size_t n, const CellMessage* messages, size_t message_count,
                              std::string* out) {
  const Table& table = state_.inspection.read.table;
  const std::vector<FieldData>& fields = state_.fields;
  const CellMessage* next_message = messages;
  const CellMessage* messages_end = messages + message_count;
  for (size_t i = 0; i < n; ++i) {
    if (state_.row_has_error[i] && !include_invalid_) continue;
    const size_t row = begin + i;
    if (format_ == RowFormat::kCsv) {
      for (size_t f = 0; f < fields.size(); ++f) {
        const FieldData& data = fields[f];
        if (f) out->push_back(',');
        std::string text;
        if (data.parts.size() > 1) {
          for (size_t k = 0; k < data.parts.size(); ++k) {
            std::string part = CellText(data, row, i, k);
            if (!part.empty()) text += (text.empty() ? "" : ",") + part;
          }
        } else {
          text = CellText(data, row, i, 0);
        }
        AppendCsvCell(Neutralized(text), out);
      }
      if (pass_through_) {
        for (size_t col = 0; col < state_.headers.size(); ++col) {
          if (mapped_column_[col]) continue;
          out->push_back(',');
          AppendCsvCell(Neutralized(std::string(table.cell(state_.TableRow(row), col))), out);
        }
      }
      out->append("\r\n");
      continue;
    }
    if (format_ == RowFormat::kJson && !first_row_) out->push_back(',');
    first_row_ = false;
    JsonWriter json;
    json.BeginObject();
    for (size_t f = 0; f < fields.size(); ++f) {
      const FieldData& data = fields[f];
      json.KeyQuoted(quoted_keys_[f]);
      if (data.column.field->many_to_one) {
        json.BeginArray();
        for (size_t k = 0; k < data.parts.size(); ++k) {
          cell_.clear();
          AppendCell(data, row, i, k, &cell_);
          json.Raw(cell_);
        }
        json.EndArray();
      } else {
        cell_.clear();
        AppendCell(data, row, i, 0, &cell_);
        json.Raw(cell_);
      }
    }
    if (pass_through_) {
      json.Key("$unmapped");
      json.BeginObject();
      for (size_t col = 0; col < state_.headers.size(); ++col) {
        if (mapped_column_[col]) continue;
        json.Key(std::to_string(col));
        json.String(table.cell(state_.TableRow(row), col));
      }
      json.EndObject();
    }
    while (next_message != messages_end && next_message->row < row) ++next_message;
    if (state_.schema.settings.invalid_data_behavior == InvalidDataBehavior::kIncludeInvalidRowsAndValues &&
        state_.row_has_error[i]) {
      json.Key("$errors");
      json.BeginObject();
      std::string open_key;
      for (const CellMessage* message = next_message; message != messages_end && message->row == row; ++message) {
        if (message->level != Level::kError) continue;
        if (message->field_key != open_key) {
          if (!open_key.empty()) json.EndArray();
          json.Key(message->field_key);
          json.BeginArray();
          open_key = message->field_key;
        }
        json.BeginObject();
        json.Key("code");
        json.String(message->code);
        json.Key("message");
        json.String(message->message);
        json.EndObject();
      }
      if (!open_key.empty()) json.EndArray();
      json.EndObject();
    }
    json.EndObject();
    out->append(json.str());
    if (format_ == RowFormat::kNdjson) out->push_back('\n');
  }
}

std::string ImportResult::Rows(RowFormat format) const {
  if (outcome_ == Outcome::kFailed || impl_->streamed) return format == RowFormat::kJson && !impl_->streamed ? "[]" : "";
  RowWriter writer(*impl_, mapping_, format);
  std::string out;
  out.reserve(impl_->inspection.read.table.text().size() + impl_->inspection.read.table.text().size() / 2 + 64);
  writer.Begin(&out);
  size_t length = out.size();
  writer.Write(0, data_rows_, messages_.data(), messages_.size(), &out, &length);
  out.resize(length);
  writer.End(&out);
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
