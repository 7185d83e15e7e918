// ReadXlsx: package parts in the order a reader needs them (relationships,
// workbook, shared strings, styles, then sheets), each through XmlScanner.
#include "read/xlsx_reader.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>

#include "read/xml_scanner.h"
#include "read/zip_archive.h"
#include "sniff/format_sniffer.h"
#include "text/civil_date.h"
#include "text/number_text.h"
#include "text/utf8.h"

namespace sluice {
namespace {

constexpr size_t kExcelMaxRows = 1048576;
constexpr size_t kDimensionProbeBytes = 64 * 1024;

Error Corrupt(const std::string& why) { return Error{"xlsx_corrupt", "the workbook is damaged: " + why, -1}; }

// OOXML escapes characters XML cannot hold as _xHHHH_ (and "_" itself as _x005F_).
void AppendUnescapedOoxml(std::string_view text, std::string* out) {
  size_t i = 0;
  while (i < text.size()) {
    size_t at = text.find("_x", i);
    if (at == std::string_view::npos || text.size() - at < 7 || text[at + 6] != '_') {
      out->append(text.substr(i));
      return;
    }
    out->append(text.substr(i, at - i));
    uint32_t cp = 0;
    bool hex = true;
    for (size_t k = at + 2; k < at + 6; ++k) {
      char c = text[k];
      int d = (c >= '0' && c <= '9') ? c - '0' : ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') ? (c | 0x20) - 'a' + 10 : -1;
      if (d < 0) hex = false;
      cp = cp * 16 + static_cast<uint32_t>(d < 0 ? 0 : d);
    }
    if (hex && cp != 0 && !(cp >= 0xD800 && cp <= 0xDFFF)) {
      AppendUtf8(*out, cp);
      i = at + 7;
    } else {
      out->append("_x");
      i = at + 2;
    }
  }
}

// "../worksheets/sheet1.xml" against "xl/" -> "xl/worksheets/sheet1.xml".
std::string ResolvePart(std::string_view base_dir, std::string_view target) {
  std::string joined = !target.empty() && target[0] == '/' ? std::string(target.substr(1))
                                                            : std::string(base_dir) + std::string(target);
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= joined.size()) {
    size_t slash = joined.find('/', i);
    if (slash == std::string::npos) slash = joined.size();
    std::string part = joined.substr(i, slash - i);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = slash + 1;
  }
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : "/") + part;
  return out;
}

std::string DirectoryOf(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash + 1));
}

std::string RelationshipsOf(std::string_view part) {
  return DirectoryOf(part) + "_rels/" + std::string(part.substr(part.rfind('/') + 1)) + ".rels";
}

struct Relationship {
  std::string type;    // the last segment of the type URI: "worksheet", "sharedStrings", ...
  std::string target;  // resolved part name
};

// Relationship id -> relationship, for the part whose .rels this is.
Result<std::map<std::string, Relationship>> ParseRelationships(std::string_view xml, std::string_view base_dir) {
  std::map<std::string, Relationship> out;
  XmlScanner scanner(xml);
  for (;;) {
    XmlScanner::Token token = scanner.Next();
    if (token == XmlScanner::Token::kEnd) break;
    if (token == XmlScanner::Token::kError) return Corrupt(std::string("relationships: ") + scanner.error());
    if (token != XmlScanner::Token::kStartElement || scanner.name() != "Relationship") continue;
    std::string_view id, type, target, mode;
    if (!scanner.Attribute("Id", &id) || !scanner.Attribute("Target", &target)) continue;
    scanner.Attribute("Type", &type);
    if (scanner.Attribute("TargetMode", &mode) && mode == "External") continue;
    std::string decoded_target;
    XmlScanner::AppendDecoded(target, &decoded_target);
    out[std::string(id)] = {std::string(type.substr(type.rfind('/') + 1)), ResolvePart(base_dir, decoded_target)};
  }
  return out;
}

// A part's XML scanned as it is inflated, through a window of the inflated
// bytes (larger only while one token is), never the whole part: a sheet of
// 400 MB of XML is read in 128 KB that stay in the cache.
// With `ahead`, a part of kAheadFrom bytes or more is inflated (and its CRC
// taken) on a worker thread, a few pieces ahead of the scanner (ReadAhead).
class PartScanner {
 public:
  static constexpr size_t kWindow = 128 * 1024;
  static constexpr uint64_t kAheadFrom = 256 * 1024;

  PartScanner(ZipReader reader, const ZipEntry& entry, bool ahead)
      : reader_(std::move(reader)), ahead_(&reader_, ahead && entry.uncompressed_size >= kAheadFrom),
        scanner_(std::string_view()) {
    window_.resize(kWindow);
    scanner_.Continue(std::string_view(), false);
  }

  //! The next token, as XmlScanner::Next gives it (never kMore).
  XmlScanner::Token Next() {
    for (;;) {
      XmlScanner::Token token = scanner_.Next();
      if (token != XmlScanner::Token::kMore) return token;
      if (!Refill()) return XmlScanner::Token::kError;
    }
  }
  XmlScanner& scanner() { return scanner_; }
  const XmlScanner& scanner() const { return scanner_; }
  //! After kError: the zip's error (a bad CRC, a bomb), else the XML's, for `part`.
  Error error(std::string_view part) const {
    if (zip_error_) return *zip_error_;
    return Corrupt(std::string(part) + " at byte " + std::to_string(scanner_.input_offset()) + ": " +
                   scanner_.error());
  }

 private:
  // The unread rest to the front of the window, then as much more as fits.
  bool Refill() {
    const size_t offset = scanner_.offset();
    const size_t rest = used_ - offset;
    std::memmove(window_.data(), window_.data() + offset, rest);
    if (rest > window_.size() / 2) window_.resize(window_.size() * 2);  // one token fills the window
    Result<size_t> read = ahead_.Read(window_.data() + rest, window_.size() - rest);
    if (!read.ok()) {
      zip_error_ = std::make_unique<Error>(read.error());
      return false;
    }
    used_ = rest + read.value();
    scanner_.Continue(std::string_view(window_.data(), used_), ahead_.finished());
    return true;
  }

  ZipReader reader_;
  ReadAhead ahead_;  // (after reader_: its worker stops before the reader goes)
  XmlScanner scanner_;
  std::string window_;
  size_t used_ = 0;  // bytes of window_ that hold input
  std::unique_ptr<Error> zip_error_;
};

// Zip archives that are not workbooks, named for the error message.
std::string NameOtherZip(ZipArchive& archive) {
  if (const ZipEntry* mimetype = archive.Find("mimetype")) {
    Result<std::string> type = archive.Extract(*mimetype, 256);
    if (type.ok()) {
      if (type.value().find("opendocument.spreadsheet") != std::string::npos) {
        return "OpenDocument spreadsheet (.ods)";
      }
      if (type.value().find("opendocument") != std::string::npos) return "OpenDocument document";
    }
  }
  if (archive.Find("word/document.xml")) return "Word document (.docx)";
  if (archive.Find("ppt/presentation.xml")) return "PowerPoint presentation (.pptx)";
  if (archive.Find("xl/workbook.bin")) return "Excel binary workbook (.xlsb)";
  if (archive.Find("Index/Document.iwa")) return "Apple Numbers document";
  return "zip archive without a workbook";
}

struct SheetEntry {
  std::string name;
  std::string part;  // resolved part name of the sheet XML
  bool visible = true;
};

enum class CellFormat : uint8_t { kGeneral, kDate, kDateTime, kTime, kDuration };

// What a number format shows: a date, a time, both, or a number.
CellFormat ClassifyNumberFormat(int id, std::string_view code) {
  if (id >= 14 && id <= 17) return CellFormat::kDate;
  if ((id >= 18 && id <= 21) || id == 45 || id == 47) return CellFormat::kTime;
  if (id == 22) return CellFormat::kDateTime;
  if (id == 46) return CellFormat::kDuration;
  if ((id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return CellFormat::kDate;  // East Asian dates
  if (code.empty()) return CellFormat::kGeneral;
  bool date = false, time = false, month = false, elapsed = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == ';') break;  // the first section decides
    if (c == '"') {
      size_t end = code.find('"', i + 1);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // an escaped, spacing or fill character
    } else if (c == '[') {
      size_t end = code.find(']', i + 1);
      if (end == std::string_view::npos) break;
      std::string_view inside = code.substr(i + 1, end - i - 1);
      if (!inside.empty() && inside.find_first_not_of("hHmMsS") == std::string_view::npos) {
        time = elapsed = true;  // [h], [mm], [ss]: elapsed time
      }
      i = end;
    } else {
      char lower = static_cast<char>(c | 0x20);
      if (lower == 'y' || lower == 'd') date = true;
      if (lower == 'h' || lower == 's') time = true;
      if (lower == 'm') month = true;
    }
  }
  if (!date && !time && month) date = true;  // "mmm yyyy" without y would still be a month
  if (elapsed && !date) return CellFormat::kDuration;
  if (date && time) return CellFormat::kDateTime;
  if (date) return CellFormat::kDate;
  if (time) return CellFormat::kTime;
  return CellFormat::kGeneral;
}

std::vector<CellFormat> ParseStyles(std::string_view xml) {
  std::map<int, std::string> custom;
  std::vector<CellFormat> formats;
  XmlScanner scanner(xml);
  int depth_in_cell_xfs = 0;
  for (;;) {
    XmlScanner::Token token = scanner.Next();
    if (token == XmlScanner::Token::kEnd || token == XmlScanner::Token::kError) break;
    if (token == XmlScanner::Token::kStartElement) {
      std::string_view name = scanner.name();
      if (name == "numFmt") {
        std::string_view id, code;
        if (scanner.Attribute("numFmtId", &id) && scanner.Attribute("formatCode", &code)) {
          std::string decoded;
          XmlScanner::AppendDecoded(code, &decoded);
          custom[std::atoi(std::string(id).c_str())] = decoded;
        }
      } else if (name == "cellXfs") {
        depth_in_cell_xfs = 1;
      } else if (name == "xf" && depth_in_cell_xfs) {
        std::string_view id;
        int format_id = scanner.Attribute("numFmtId", &id) ? std::atoi(std::string(id).c_str()) : 0;
        auto it = custom.find(format_id);
        formats.push_back(ClassifyNumberFormat(format_id, it == custom.end() ? std::string_view() : it->second));
      }
    } else if (token == XmlScanner::Token::kEndElement && scanner.name() == "cellXfs") {
      depth_in_cell_xfs = 0;
    }
  }
  return formats;
}

Result<std::vector<std::string>> ParseSharedStrings(PartScanner& part, const ReadLimits& limits) {
  std::vector<std::string> strings;
  const XmlScanner& scanner = part.scanner();
  bool in_item = false, in_text = false;
  int phonetic = 0;  // inside <rPh>: reading aids, not content
  std::string raw;
  for (;;) {
    XmlScanner::Token token = part.Next();
    if (token == XmlScanner::Token::kEnd) break;
    if (token == XmlScanner::Token::kError) return part.error("shared strings");
    std::string_view name = scanner.name();
    if (token == XmlScanner::Token::kStartElement) {
      if (name == "si") {
        in_item = true;
        raw.clear();
      } else if (name == "rPh") {
        ++phonetic;
      } else if (name == "t" && in_item && !phonetic) {
        in_text = !scanner.self_closing();
      }
    } else if (token == XmlScanner::Token::kEndElement) {
      if (name == "si") {
        std::string value;
        AppendUnescapedOoxml(raw, &value);
        if (value.size() > limits.max_cell_bytes) {
          return Error{"cell_too_large", "a shared string is larger than " + std::to_string(limits.max_cell_bytes) +
                                             " bytes", -1};
        }
        strings.push_back(std::move(value));
        in_item = false;
      } else if (name == "rPh") {
        --phonetic;
      } else if (name == "t") {
        in_text = false;
      }
    } else if (token == XmlScanner::Token::kText && in_text) {
      scanner.AppendText(&raw);
    }
  }
  return strings;
}

// "AB12" -> column 27 (0-based); -1 when the reference has no letters.
int64_t ColumnOfReference(std::string_view ref) {
  int64_t column = 0;
  size_t i = 0;
  for (; i < ref.size() && i < 4; ++i) {
    char c = static_cast<char>(ref[i] & ~0x20);
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + (c - 'A' + 1);
  }
  return i == 0 ? -1 : column - 1;
}

// "A1:C10" -> rows 10, columns 3 (counted from A1, as the table is).
bool ParseDimension(std::string_view ref, size_t* rows, size_t* columns) {
  std::string_view last = ref.substr(ref.find(':') == std::string_view::npos ? 0 : ref.find(':') + 1);
  int64_t column = ColumnOfReference(last);
  size_t digits = last.find_first_of("0123456789");
  if (column < 0 || digits == std::string_view::npos) return false;
  *rows = static_cast<size_t>(std::strtoull(std::string(last.substr(digits)).c_str(), nullptr, 10));
  *columns = static_cast<size_t>(column + 1);
  return true;
}

struct SheetContext {
  const std::vector<std::string>* shared_strings;
  const std::vector<CellFormat>* formats;
  bool date1904;
  const ReadLimits* limits;
};

// A non-negative decimal as Excel writes it (digits only, at most 18), else
// as strtoll reads it (spaces, a sign); -1 when it is no number.
int64_t ParseDigits(std::string_view text) {
  if (!text.empty() && text.size() <= 18) {
    int64_t value = 0;
    bool digits = true;
    for (char c : text) {
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
      value = value * 10 + (c - '0');
    }
    if (digits) return value;
  }
  std::string copy(text);
  char* end = nullptr;
  long long value = std::strtoll(copy.c_str(), &end, 10);
  return end == copy.c_str() || *end != '\0' ? -1 : static_cast<int64_t>(value);
}

// A cell's t attribute: what its value is.
enum class CellType : uint8_t { kNumber, kShared, kInline, kBoolean, kAsWritten };

CellType CellTypeOf(std::string_view t) {
  if (t == "s") return CellType::kShared;
  if (t == "inlineStr" || t == "str") return CellType::kInline;
  if (t == "b") return CellType::kBoolean;
  if (t == "e" || t == "d") return CellType::kAsWritten;  // an error (#N/A) or an ISO date
  return CellType::kNumber;  // "n", absent, or unknown
}

// One cell's text from its type, raw value and style.
// A shared string sets `shared` to its index instead (its text is not copied).
Result<bool> CellValue(const SheetContext& ctx, CellType type, int64_t style, const std::string& value,
                       std::string* out, int64_t* shared) {
  out->clear();
  *shared = -1;
  if (type == CellType::kShared) {
    int64_t index = ParseDigits(value);
    if (index < 0 || static_cast<size_t>(index) >= ctx.shared_strings->size()) {
      return Corrupt("shared string index '" + value + "' is out of range");
    }
    *shared = index;
  } else if (type == CellType::kInline) {
    AppendUnescapedOoxml(value, out);
  } else if (type == CellType::kBoolean) {
    *out = value == "1" || value == "true" ? "TRUE" : "FALSE";
  } else if (type == CellType::kAsWritten) {
    *out = value;
  } else {
    // A number; dates are numbers with a date format.
    if (value.empty()) return true;
    CellFormat format = style >= 0 && static_cast<size_t>(style) < ctx.formats->size()
                            ? (*ctx.formats)[static_cast<size_t>(style)]
                            : CellFormat::kGeneral;
    // Most numbers are written as General shows them: taken as they are.
    if (format == CellFormat::kGeneral && IsGeneralNumberText(value)) {
      *out = value;
      return true;
    }
    char* end = nullptr;
    double number = std::strtod(value.c_str(), &end);
    if (*end != '\0' || !std::isfinite(number)) {
      *out = value;
      return true;
    }
    if (format != CellFormat::kGeneral) {
      SerialKind kind = format == CellFormat::kDate       ? SerialKind::kDate
                        : format == CellFormat::kDateTime ? SerialKind::kDateTime
                        : format == CellFormat::kTime     ? SerialKind::kTime
                                                          : SerialKind::kDuration;
      if (ExcelSerialToIso(number, ctx.date1904, kind, out)) return true;
    }
    AppendGeneralNumber(*out, number);
  }
  return true;
}

// Reads one sheet's XML into `table` (gap rows kept, trailing empty cells and
// rows dropped).
Result<bool> ReadSheet(PartScanner& part, const SheetContext& ctx, Table* table) {
  const XmlScanner& scanner = part.scanner();
  std::vector<std::string> row;  // the current row's cells, by column
  std::vector<int64_t> row_shared;  // per cell of `row`: its shared string, or -1 (its text is in `row`)
  // Where each shared string's text went among the table's owned bytes, once
  // a cell used it (-1: not yet): cells share it instead of copying it.
  std::vector<int64_t> kept(ctx.shared_strings->size(), -1);
  auto cell_empty = [&](size_t c) {
    return row_shared[c] >= 0 ? (*ctx.shared_strings)[static_cast<size_t>(row_shared[c])].empty() : row[c].empty();
  };
  size_t row_width = 0;          // cells of `row` in use
  size_t pending_empty = 0;      // empty rows not yet written (dropped if trailing)
  size_t next_row = 1;           // 1-based number of the next row
  bool in_data = false, in_row = false, in_cell = false, in_value = false, in_inline = false;
  int phonetic = 0;
  CellType type = CellType::kNumber;
  int64_t style = -1;
  int64_t column = -1, next_column = 0;
  std::string value, text;
  std::string_view raw;

  // The cell's text (or shared string) into its column of `row`.
  auto end_cell = [&]() -> Result<bool> {
    int64_t shared = -1;
    Result<bool> ok = CellValue(ctx, type, style, value, &text, &shared);
    if (!ok.ok()) return ok.error();
    const size_t length = shared >= 0 ? (*ctx.shared_strings)[static_cast<size_t>(shared)].size() : text.size();
    if (length > ctx.limits->max_cell_bytes) {
      return Error{"cell_too_large", "a cell is larger than " + std::to_string(ctx.limits->max_cell_bytes) +
                                         " bytes", -1};
    }
    size_t index = static_cast<size_t>(column);
    if (index >= row.size()) {
      row.resize(index + 1);
      row_shared.resize(index + 1, -1);
    }
    if (shared < 0) {
      row[index].swap(text);  // the cell's text moves in; `text` keeps an empty buffer to reuse
    } else {
      row[index].clear();     // a shared string: the table will refer to its one copy
    }
    row_shared[index] = shared;
    row_width = std::max(row_width, index + 1);
    return true;
  };

  auto flush_row = [&]() {
    while (row_width > 0 && cell_empty(row_width - 1)) --row_width;
    if (row_width == 0) {
      ++pending_empty;
      return;
    }
    for (; pending_empty > 0; --pending_empty) table->EndRow();
    for (size_t c = 0; c < row_width; ++c) {
      if (row_shared[c] < 0) {
        table->AddOwnedCell(row[c]);
        continue;
      }
      const size_t index = static_cast<size_t>(row_shared[c]);
      const std::string& shared = (*ctx.shared_strings)[index];
      if (kept[index] < 0) kept[index] = table->KeepOwned(shared);
      table->AddOwnedRef(static_cast<uint32_t>(kept[index]), shared.size());
    }
    table->EndRow();
    for (size_t c = 0; c < row_width; ++c) {
      row[c].clear();
      row_shared[c] = -1;
    }
    row_width = 0;
  };

  for (;;) {
    XmlScanner::Token token = part.Next();
    if (token == XmlScanner::Token::kEnd) break;
    if (token == XmlScanner::Token::kError) return part.error("sheet XML");
    std::string_view name = scanner.name();
    if (token == XmlScanner::Token::kStartElement) {
      if (name == "sheetData") {
        in_data = true;
      } else if (!in_data) {
        continue;
      } else if (name == "row") {
        in_row = true;
        std::string_view r;
        size_t number = next_row;
        if (scanner.Attribute("r", &r)) {
          int64_t parsed = ParseDigits(r);
          if (parsed <= 0 || static_cast<size_t>(parsed) > kExcelMaxRows) {
            return Corrupt("row number " + std::string(r) + " is out of range");
          }
          number = static_cast<size_t>(parsed);
          if (number < next_row) number = next_row;  // out of order: append
        }
        pending_empty += number - next_row;  // rows the sheet skipped
        next_row = number + 1;
        next_column = 0;
      } else if (name == "c" && in_row) {
        std::string_view r, t, s;
        bool has_r = false, has_t = false, has_s = false;
        scanner.ForEachAttribute([&](std::string_view attribute, std::string_view attribute_value) {
          if (attribute.size() != 1) return;
          if (attribute[0] == 'r' && !has_r) {
            r = attribute_value;
            has_r = true;
          } else if (attribute[0] == 't' && !has_t) {
            t = attribute_value;
            has_t = true;
          } else if (attribute[0] == 's' && !has_s) {
            s = attribute_value;
            has_s = true;
          }
        });
        column = has_r ? ColumnOfReference(r) : next_column;
        if (column < 0) column = next_column;
        if (static_cast<size_t>(column) >= ctx.limits->max_columns) {
          return Error{"too_many_columns", "a row has more than " + std::to_string(ctx.limits->max_columns) +
                                               " columns", -1};
        }
        next_column = column + 1;
        type = has_t ? CellTypeOf(t) : CellType::kNumber;
        style = has_s ? ParseDigits(s) : -1;
        value.clear();
        if (part.scanner().TakeOnlyChildText("v", "c", &raw)) {  // <v>...</v></c>: the whole cell at once
          XmlScanner::AppendDecoded(raw, &value);
          Result<bool> ended = end_cell();
          if (!ended.ok()) return ended.error();
          continue;
        }
        in_cell = true;
      } else if (in_cell && name == "v") {
        in_value = true;
      } else if (in_cell && name == "is") {
        in_inline = true;
      } else if (in_inline && name == "rPh") {
        ++phonetic;
      } else if (in_inline && name == "t" && !phonetic) {
        in_value = !scanner.self_closing();
      }
    } else if (token == XmlScanner::Token::kEndElement) {
      if (name == "sheetData") {
        if (in_row) flush_row();
        in_data = in_row = false;
      } else if (name == "row" && in_row) {
        flush_row();
        in_row = false;
      } else if (name == "c" && in_cell) {
        in_cell = in_value = in_inline = false;
        Result<bool> ended = end_cell();
        if (!ended.ok()) return ended.error();
      } else if (name == "v" || (name == "t" && in_inline)) {
        in_value = false;
      } else if (name == "is") {
        in_inline = false;
      } else if (name == "rPh") {
        --phonetic;
      }
    } else if (token == XmlScanner::Token::kText && in_value) {
      scanner.AppendText(&value);
    }
  }
  return true;
}

// Sheet size without reading it all: the <dimension> near the start of its XML.
bool ProbeDimension(ZipArchive& archive, const ZipEntry& entry, size_t* rows, size_t* columns) {
  Result<std::string> head = archive.Extract(entry, kDimensionProbeBytes);
  if (!head.ok()) return false;
  size_t at = head.value().find("<dimension");
  if (at == std::string::npos) return false;
  size_t end = head.value().find('>', at);
  if (end == std::string::npos) return false;
  XmlScanner scanner(std::string_view(head.value()).substr(at, end - at + 1));
  std::string_view ref;
  if (scanner.Next() != XmlScanner::Token::kStartElement || !scanner.Attribute("ref", &ref)) return false;
  return ParseDimension(ref, rows, columns);
}

bool ParseFlag(std::string_view value) { return value == "1" || value == "true"; }

}  // namespace

bool ExcelSerialToIso(double serial, bool date1904, SerialKind kind, std::string* out) {
  if (!(serial >= 0) || serial > 2958465.99999) return false;
  double whole = std::floor(serial);
  int64_t seconds = static_cast<int64_t>(std::llround((serial - whole) * 86400.0));
  int64_t days = static_cast<int64_t>(whole);
  if (seconds >= 86400) {
    seconds -= 86400;
    ++days;
  }
  char buffer[48];
  if (kind == SerialKind::kDuration) {
    int64_t total = days * 86400 + seconds;
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", static_cast<long long>(total / 3600),
                  static_cast<long long>(total / 60 % 60), static_cast<long long>(total % 60));
    out->append(buffer);
    return true;
  }
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  std::string time = buffer;
  if (kind == SerialKind::kTime) {
    out->append(time);
    return true;
  }
  std::string date;
  if (!date1904 && days == 60) {
    date = "1900-02-29";  // Lotus 1-2-3's leap day, kept by Excel: shown as it was
  } else {
    CivilDate civil = CivilFromDays(DaysFromExcelSerial(days, date1904));
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(civil.year), civil.month, civil.day);
    date = buffer;
  }
  out->append(date);
  if (kind == SerialKind::kDateTime) out->append("T").append(time);
  return true;
}

Result<XlsxWorkbook> ReadXlsx(std::string_view bytes, const std::string& sheet_name, const ReadLimits& limits,
                              std::vector<Notice>* notices, size_t threads) {
  Result<ZipArchive> opened = ZipArchive::Open(bytes, limits);
  if (!opened.ok()) return opened.error();
  ZipArchive& archive = opened.value();
  auto extract = [&](std::string_view part) -> Result<std::string> {
    const ZipEntry* entry = archive.Find(part);
    if (!entry) return Corrupt(std::string(part) + " is missing");
    return archive.Extract(*entry);
  };

  // 1. The workbook part, from the package relationships (xl/workbook.xml by default).
  std::string workbook_part = "xl/workbook.xml";
  if (const ZipEntry* rels = archive.Find("_rels/.rels")) {
    Result<std::string> xml = archive.Extract(*rels);
    if (!xml.ok()) return xml.error();
    Result<std::map<std::string, Relationship>> parsed = ParseRelationships(xml.value(), "");
    if (!parsed.ok()) return parsed.error();
    for (const auto& [id, relationship] : parsed.value()) {
      if (relationship.type == "officeDocument") workbook_part = relationship.target;
    }
  }
  if (!archive.Find(workbook_part) || workbook_part.size() < 4 ||
      workbook_part.compare(workbook_part.size() - 4, 4, ".xml") != 0) {
    return UnsupportedFormat(NameOtherZip(archive));
  }

  // 2. Its relationships: sheets, shared strings, styles.
  std::map<std::string, Relationship> relationships;
  if (archive.Find(RelationshipsOf(workbook_part))) {
    Result<std::string> xml = extract(RelationshipsOf(workbook_part));
    if (!xml.ok()) return xml.error();
    Result<std::map<std::string, Relationship>> parsed = ParseRelationships(xml.value(), DirectoryOf(workbook_part));
    if (!parsed.ok()) return parsed.error();
    relationships = std::move(parsed.value());
  }

  // 3. The workbook: date system and sheets in tab order.
  XlsxWorkbook out;
  std::vector<SheetEntry> sheets;
  {
    Result<std::string> xml = extract(workbook_part);
    if (!xml.ok()) return xml.error();
    XmlScanner scanner(xml.value());
    for (;;) {
      XmlScanner::Token token = scanner.Next();
      if (token == XmlScanner::Token::kEnd) break;
      if (token == XmlScanner::Token::kError) return Corrupt(std::string("workbook.xml: ") + scanner.error());
      if (token != XmlScanner::Token::kStartElement) continue;
      std::string_view value;
      if (scanner.name() == "workbookPr" && scanner.Attribute("date1904", &value)) {
        out.date1904 = ParseFlag(value);
      } else if (scanner.name() == "sheet") {
        std::string_view name, id, state;
        if (!scanner.Attribute("name", &name) || !scanner.Attribute("id", &id)) continue;
        auto relationship = relationships.find(std::string(id));
        if (relationship == relationships.end()) continue;  // a chart sheet or a dangling reference
        SheetEntry sheet;
        XmlScanner::AppendDecoded(name, &sheet.name);
        sheet.part = relationship->second.target;
        sheet.visible = !scanner.Attribute("state", &state) || state == "visible";
        if (relationship->second.type == "worksheet") sheets.push_back(std::move(sheet));
      }
    }
  }
  if (sheets.empty()) return Error{"workbook_empty", "the workbook has no worksheets", -1};

  // 4. Shared strings and styles.
  std::vector<std::string> shared_strings;
  std::vector<CellFormat> formats;
  for (const auto& [id, relationship] : relationships) {
    if (relationship.type == "sharedStrings" && archive.Find(relationship.target)) {
      Result<ZipReader> reader = archive.Reader(*archive.Find(relationship.target));
      if (!reader.ok()) return reader.error();
      PartScanner part(std::move(reader.value()), *archive.Find(relationship.target), threads > 0);
      Result<std::vector<std::string>> parsed = ParseSharedStrings(part, limits);
      if (!parsed.ok()) return parsed.error();
      shared_strings = std::move(parsed.value());
    } else if (relationship.type == "styles" && archive.Find(relationship.target)) {
      Result<std::string> xml = extract(relationship.target);
      if (!xml.ok()) return xml.error();
      formats = ParseStyles(xml.value());
    }
  }
  SheetContext ctx{&shared_strings, &formats, out.date1904, &limits};

  // 5. The sheet to read: the named one, else the first visible one with data.
  std::optional<size_t> chosen;
  if (!sheet_name.empty()) {
    for (size_t i = 0; i < sheets.size() && !chosen; ++i) {
      if (sheets[i].name == sheet_name) chosen = i;
    }
    if (!chosen) {
      std::string names;
      for (const SheetEntry& sheet : sheets) names += (names.empty() ? "" : ", ") + sheet.name;
      return Error{"sheet_not_found", "no sheet is named '" + sheet_name + "'; the workbook has: " + names, -1};
    }
  }
  out.sheets.resize(sheets.size());
  std::vector<bool> sized(sheets.size(), false);
  for (size_t i = 0; i < sheets.size(); ++i) {
    out.sheets[i].name = sheets[i].name;
    out.sheets[i].visible = sheets[i].visible;
  }
  auto read_sheet = [&](size_t i, Table* table) -> Result<bool> {
    const ZipEntry* entry = archive.Find(sheets[i].part);
    if (!entry) return Corrupt(sheets[i].part + " is missing");
    Result<ZipReader> reader = archive.Reader(*entry);
    if (!reader.ok()) return reader.error();
    PartScanner part(std::move(reader.value()), *entry, threads > 0);
    Result<bool> read = ReadSheet(part, ctx, table);
    if (!read.ok()) return read.error();
    out.sheets[i].rows = table->row_count();
    out.sheets[i].columns = table->max_cell_count();
    sized[i] = true;
    return true;
  };
  if (chosen) {
    Result<bool> read = read_sheet(*chosen, &out.table);
    if (!read.ok()) return read.error();
  } else {
    for (size_t i = 0; i < sheets.size() && !chosen; ++i) {
      if (!sheets[i].visible) continue;
      Table table;
      Result<bool> read = read_sheet(i, &table);
      if (!read.ok()) return read.error();
      if (table.row_count() > 0) {
        chosen = i;
        out.table = std::move(table);
      }
    }
    if (!chosen) {
      return Error{"workbook_empty", "no visible sheet of the workbook holds data", -1};
    }
  }
  out.sheets[*chosen].selected = true;
  if (!sheets[*chosen].visible) {
    notices->push_back({"hidden_sheet", "the sheet '" + sheets[*chosen].name + "' is hidden in Excel"});
  }

  // 6. Sizes of the sheets not read: their <dimension>, else a full read.
  for (size_t i = 0; i < sheets.size(); ++i) {
    if (sized[i]) continue;
    const ZipEntry* entry = archive.Find(sheets[i].part);
    if (!entry) return Corrupt(sheets[i].part + " is missing");
    if (!ProbeDimension(archive, *entry, &out.sheets[i].rows, &out.sheets[i].columns)) {
      Table table;
      Result<bool> read = read_sheet(i, &table);
      if (!read.ok()) return read.error();
    }
  }
  return out;
}

}  // namespace sluice
