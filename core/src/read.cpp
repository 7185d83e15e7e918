// The reading orchestrator: runs stages 1-4 in order (sniff the container,
// decode, sniff the text, read, detect the header) and turns the results into
// JSON. Calls each stage through its header; holds no logic of theirs.
#include "sluice/read.h"

#include <map>

#include <nlohmann/json.hpp>

#include "decode/decoder.h"
#include "header/header_detector.h"
#include "read/csv_reader.h"
#include "read/json_reader.h"
#include "read/xlsx_reader.h"
#include "sluice/json_writer.h"
#include "sniff/dialect_sniffer.h"
#include "sniff/format_sniffer.h"

namespace sluice {
namespace {

// The first `limit` rows as an array of arrays of strings.
void WriteRows(const Table& table, size_t limit, JsonWriter* out) {
  out->BeginArray();
  for (size_t row = 0; row < table.row_count() && row < limit; ++row) {
    out->BeginArray();
    for (size_t col = 0; col < table.cell_count(row); ++col) out->String(table.cell(row, col));
    out->EndArray();
  }
  out->EndArray();
}

// `text`: a table over the decoded text (owned or viewed), with no rows yet.
Result<ReadResult> ReadDelimitedText(Table text, const ReadOptions& options, ReadResult result) {
  DialectReport dialect = SniffDialect(text.text(), options.delimiter);
  Result<Table> table = ReadDelimited(std::move(text), {dialect.delimiter, dialect.quote}, options.limits,
                                      &result.notices);
  if (!table.ok()) return table.error();
  result.format = Format::kDelimited;
  if (result.format_evidence.empty()) result.format_evidence = "text that is neither JSON nor markup";
  result.dialect = dialect;
  result.table = std::move(table.value());
  return result;
}

}  // namespace

Error EmptyFileError() { return Error{"empty_file", "the file holds no rows", -1}; }

bool HasAnyCell(const Table& table) {
  for (size_t row = 0; row < table.row_count(); ++row) {
    for (size_t col = 0; col < table.cell_count(row); ++col) {
      if (!table.cell(row, col).empty()) return true;
    }
  }
  return false;
}

const char* FormatName(Format format, char delimiter) {
  switch (format) {
    case Format::kXlsx: return "xlsx";
    case Format::kJson: return "json";
    case Format::kDelimited: return delimiter == ',' ? "csv" : delimiter == '\t' ? "tsv" : "delimited";
  }
  return "delimited";
}

Result<ReadResult> ReadTable(std::string bytes, const ReadOptions& options) {
  ReadResult result;
  if (bytes.size() > Table::kMaxTextBytes) return Error{"input_too_large", "the file is larger than 4 GiB", -1};
  if (bytes.empty()) return EmptyFileError();

  // 1. Binary containers, by their first bytes.
  ContainerVerdict container = SniffContainer(bytes);
  if (container.kind == ContainerKind::kUnsupported) return UnsupportedFormat(container.format_name);
  if (container.kind == ContainerKind::kZip) {
    Result<XlsxWorkbook> workbook = ReadXlsx(bytes, options.sheet, options.limits, &result.notices, options.threads);
    if (!workbook.ok()) return workbook.error();
    result.format = Format::kXlsx;
    result.format_evidence = "a zip archive holding an Excel workbook";
    result.encoding = {"binary", false, "a binary format: text inside is UTF-8 by definition"};
    result.sheets = std::move(workbook.value().sheets);
    result.table = std::move(workbook.value().table);
    if (!HasAnyCell(result.table)) return EmptyFileError();
    return result;
  }

  // 2. Text: decode once, then JSON or delimited.
  DecodedText decoded = DecodeText(std::move(bytes));
  result.encoding = decoded.encoding;
  result.notices = std::move(decoded.notices);
  TextVerdict verdict = SniffText(decoded.text);
  if (verdict.kind == TextKind::kUnsupported) return UnsupportedFormat(verdict.format_name);
  if (verdict.kind == TextKind::kJson) {
    Result<JsonTable> json = ReadJson(decoded.text, options.limits, &result.notices);
    if (json.ok()) {
      result.format = Format::kJson;
      result.format_evidence = "starts with '[' or '{' and parses as JSON";
      result.table = std::move(json.value().table);
      result.header_from_keys = json.value().keyed;
      if (!HasAnyCell(result.table) || (json.value().keyed && result.table.row_count() == 1)) return EmptyFileError();
      return result;
    }
    // A CSV whose first cell starts with '[' or '{' is not broken JSON.
    if (json.error().code != "json_invalid" || !LooksDelimited(decoded.text)) return json.error();
    result.notices.push_back({"not_json", "the file starts like JSON but is delimited text; read as such"});
    result.format_evidence = "starts with '[' or '{' but is not JSON, and its rows split consistently";
  }
  Result<ReadResult> read = ReadDelimitedText(Table(std::move(decoded.text)), options, std::move(result));
  if (read.ok() && !HasAnyCell(read.value().table)) return EmptyFileError();
  return read;
}

Result<ReadResult> ReadTableViewing(std::string_view bytes, const ReadOptions& options) {
  // Delimited text that needs no decoding is read where it lies; anything
  // else (XLSX, JSON, other encodings) as ReadTable reads it.
  ReadResult result;
  std::optional<std::string_view> text;
  if (bytes.size() <= Table::kMaxTextBytes && !bytes.empty() && SniffContainer(bytes).kind == ContainerKind::kText) {
    text = TextAsIs(bytes, &result.encoding);
  }
  if (!text || SniffText(*text).kind != TextKind::kDelimited) return ReadTable(std::string(bytes), options);
  Result<ReadResult> read = ReadDelimitedText(Table::Viewing(*text), options, std::move(result));
  if (read.ok() && !HasAnyCell(read.value().table)) return EmptyFileError();
  return read;
}

HeaderReport DetectHeader(const ReadResult& read) {
  if (read.header_from_keys) {
    HeaderReport report;
    report.row = 0;
    report.confidence = 1;
    report.evidence.push_back("the keys of the JSON objects");
    return report;
  }
  return DetectHeaderRow(read.table);
}

Result<HeaderReport> ChooseHeader(const ReadResult& read, const ReadOptions& options) {
  if (!options.header_row_override) return DetectHeader(read);
  const size_t row = *options.header_row_override;
  if (row >= read.table.row_count()) {
    return Error{"header_row_out_of_range", "headerRowOverride is " + std::to_string(row) + " but the table has " +
                                                std::to_string(read.table.row_count()) + " rows", -1};
  }
  HeaderReport header;
  header.row = row;
  header.confidence = 1;
  header.evidence.push_back("matchingStep.headerRowOverride");
  return header;
}

namespace {

// Stage 4 over a table read (and the ragged rows): Inspect's second half.
Result<Inspection> InspectRead(Result<ReadResult> read, const ReadOptions& options) {
  if (!read.ok()) return read.error();
  Inspection inspection;
  inspection.read = std::move(read.value());
  const Table& table = inspection.read.table;

  // The header: the override, else detection.
  Result<HeaderReport> header = ChooseHeader(inspection.read, options);
  if (!header.ok()) return header.error();
  inspection.header = std::move(header.value());

  // Ragged rows against the header's width, or the most common width.
  RaggedReport& ragged = inspection.ragged;
  size_t first_data = 0;
  if (inspection.header.row) {
    ragged.expected_columns = table.cell_count(*inspection.header.row);
    first_data = *inspection.header.row + 1;
  } else {
    std::map<size_t, size_t> widths;
    for (size_t row = 0; row < table.row_count(); ++row) ++widths[table.cell_count(row)];
    size_t most = 0;
    for (const auto& [width, count] : widths) {
      if (count > most) ragged.expected_columns = width, most = count;
    }
  }
  for (size_t row = first_data; row < table.row_count(); ++row) {
    size_t cells = table.cell_count(row);
    if (cells == ragged.expected_columns || cells == 0) continue;  // blank rows are not ragged
    (cells < ragged.expected_columns ? ragged.short_rows : ragged.long_rows)++;
    if (ragged.examples.size() < 10) ragged.examples.push_back(row);
  }
  return inspection;
}

}  // namespace

Result<Inspection> Inspect(std::string bytes, const ReadOptions& options) {
  return InspectRead(ReadTable(std::move(bytes), options), options);
}

Result<Inspection> InspectViewing(std::string_view bytes, const ReadOptions& options) {
  return InspectRead(ReadTableViewing(bytes, options), options);
}

std::string RowsToJson(const Table& table) {
  JsonWriter out;
  out.Reserve(table.text().size() + table.row_count() * 4 + 16);
  WriteRows(table, table.row_count(), &out);
  return out.Take();
}

std::string ErrorToJson(const Error& error) {
  JsonWriter out;
  out.BeginObject();
  out.Key("error");
  out.BeginObject();
  out.Key("code");
  out.String(error.code);
  out.Key("message");
  out.String(error.message);
  if (error.offset >= 0) {
    out.Key("offset");
    out.Int(error.offset);
  }
  out.EndObject();
  out.EndObject();
  return out.Take();
}

std::string InspectionToJson(const Inspection& inspection, size_t preview_rows) {
  const ReadResult& read = inspection.read;
  const Table& table = read.table;
  JsonWriter out;
  out.BeginObject();
  out.Key("format");
  out.String(FormatName(read.format, read.dialect ? read.dialect->delimiter : ','));
  out.Key("formatEvidence");
  out.String(read.format_evidence);
  out.Key("encoding");
  out.BeginObject();
  out.Key("name");
  out.String(read.encoding.name);
  out.Key("bom");
  out.Bool(read.encoding.bom);
  out.Key("evidence");
  out.String(read.encoding.evidence);
  out.EndObject();
  out.Key("dialect");
  if (read.dialect) {
    out.BeginObject();
    out.Key("delimiter");
    out.String(std::string(1, read.dialect->delimiter));
    out.Key("quote");
    out.String(std::string(1, read.dialect->quote));
    out.Key("lineEnding");
    out.String(read.dialect->line_ending);
    out.Key("evidence");
    out.String(read.dialect->evidence);
    out.EndObject();
  } else {
    out.Null();
  }
  out.Key("sheets");
  out.BeginArray();
  for (const SheetInfo& sheet : read.sheets) {
    out.BeginObject();
    out.Key("name");
    out.String(sheet.name);
    out.Key("rows");
    out.Int(static_cast<int64_t>(sheet.rows));
    out.Key("columns");
    out.Int(static_cast<int64_t>(sheet.columns));
    out.Key("visible");
    out.Bool(sheet.visible);
    out.Key("selected");
    out.Bool(sheet.selected);
    out.EndObject();
  }
  out.EndArray();
  out.Key("header");
  out.BeginObject();
  out.Key("row");
  if (inspection.header.row) {
    out.Int(static_cast<int64_t>(*inspection.header.row));
  } else {
    out.Null();
  }
  out.Key("confidence");
  out.Double(static_cast<double>(static_cast<int64_t>(inspection.header.confidence * 100 + 0.5)) / 100);
  out.Key("evidence");
  out.BeginArray();
  for (const std::string& line : inspection.header.evidence) out.String(line);
  out.EndArray();
  out.EndObject();
  out.Key("columns");
  out.Int(static_cast<int64_t>(table.max_cell_count()));
  out.Key("rows");
  out.Int(static_cast<int64_t>(table.row_count()));
  out.Key("ragged");
  out.BeginObject();
  out.Key("expectedColumns");
  out.Int(static_cast<int64_t>(inspection.ragged.expected_columns));
  out.Key("shortRows");
  out.Int(static_cast<int64_t>(inspection.ragged.short_rows));
  out.Key("longRows");
  out.Int(static_cast<int64_t>(inspection.ragged.long_rows));
  out.Key("examples");
  out.BeginArray();
  for (size_t row : inspection.ragged.examples) out.Int(static_cast<int64_t>(row));
  out.EndArray();
  out.EndObject();
  out.Key("notices");
  out.BeginArray();
  for (const Notice& notice : read.notices) {
    out.BeginObject();
    out.Key("code");
    out.String(notice.code);
    out.Key("message");
    out.String(notice.message);
    out.EndObject();
  }
  out.EndArray();
  out.Key("preview");
  WriteRows(table, preview_rows, &out);
  out.EndObject();
  return out.Take();
}

Result<ReadOptions> ReadOptionsFromJson(std::string_view json) {
  ReadOptions options;
  if (json.empty()) return options;
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  auto invalid = [](const std::string& path, const std::string& why) {
    return Error{"invalid_option", path + ": " + why, -1};
  };
  if (!parsed.is_object()) return invalid("$", "the options must be a JSON object");
  for (auto it = parsed.begin(); it != parsed.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& value = it.value();
    if (key == "delimiter") {
      if (value.is_null()) continue;
      if (!value.is_string() || value.get_ref<const std::string&>().size() != 1) {
        return invalid("$.delimiter", "must be a one-character string");
      }
      options.delimiter = value.get_ref<const std::string&>()[0];
    } else if (key == "sheet") {
      if (!value.is_string()) return invalid("$.sheet", "must be a string");
      options.sheet = value.get_ref<const std::string&>();
    } else if (key == "headerRowOverride") {
      if (value.is_null()) continue;
      if (!value.is_number_unsigned()) return invalid("$.headerRowOverride", "must be a non-negative integer");
      options.header_row_override = value.get<size_t>();
    } else if (key == "limits") {
      if (!value.is_object()) return invalid("$.limits", "must be an object");
      for (auto limit = value.begin(); limit != value.end(); ++limit) {
        if (!limit.value().is_number_unsigned() || limit.value().get<uint64_t>() == 0) {
          return invalid("$.limits." + limit.key(), "must be a positive integer");
        }
        uint64_t n = limit.value().get<uint64_t>();
        if (limit.key() == "maxCellBytes") {
          options.limits.max_cell_bytes = static_cast<size_t>(n);
        } else if (limit.key() == "maxColumns") {
          options.limits.max_columns = static_cast<size_t>(n);
        } else if (limit.key() == "maxJsonDepth") {
          options.limits.max_json_depth = static_cast<size_t>(std::min<uint64_t>(n, 1024));
        } else if (limit.key() == "maxUncompressedBytes") {
          options.limits.max_uncompressed_bytes = n;
        } else if (limit.key() == "maxCompressionRatio") {
          options.limits.max_compression_ratio = static_cast<uint32_t>(std::min<uint64_t>(n, UINT32_MAX));
        } else {
          return invalid("$.limits." + limit.key(), "unknown limit");
        }
      }
    } else {
      return invalid("$." + key, "unknown option");
    }
  }
  return options;
}

}  // namespace sluice
