// Signatures of the formats customers send by mistake, so the error can name
// what the file really is.
#include "sniff/format_sniffer.h"

#include <algorithm>
#include <cctype>

namespace sluice {
namespace {

bool StartsWith(std::string_view bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() && bytes.compare(0, prefix.size(), prefix) == 0;
}

struct Signature {
  std::string_view magic;
  const char* name;
};

// Binary signatures of formats Sluice does not read.
const Signature kUnsupported[] = {
    {std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8),
     "Excel 97-2003 workbook (.xls), or another OLE2 document such as a password-protected Office file"},
    {"%PDF-", "PDF document"},
    {"\x89PNG", "PNG image"},
    {"\xFF\xD8\xFF", "JPEG image"},
    {"GIF87a", "GIF image"},
    {"GIF89a", "GIF image"},
    {"\x1F\x8B", "gzip-compressed file"},
    {"7z\xBC\xAF\x27\x1C", "7-Zip archive"},
    {"Rar!\x1A\x07", "RAR archive"},
    {"PAR1", "Parquet file"},
    {std::string_view("SQLite format 3\0", 16), "SQLite database"},
    {"{\\rtf", "RTF document"},
    {std::string_view("\x00\x00\x02\x00\x06\x04\x06\x00", 8), "Lotus 1-2-3 spreadsheet"},
    {std::string_view("\x09\x08\x10\x00\x00\x06\x05\x00", 8), "Excel 5 BIFF workbook"},
};

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

Error UnsupportedFormat(const std::string& what) {
  return Error{"unsupported_format", "unsupported format: " + what +
                                         ". Sluice reads CSV, TSV, XLSX and JSON; save the file as one of those.", -1};
}

ContainerVerdict SniffContainer(std::string_view bytes) {
  if (StartsWith(bytes, "PK\x03\x04") || StartsWith(bytes, "PK\x05\x06")) {
    return {ContainerKind::kZip, "zip archive"};
  }
  for (const Signature& signature : kUnsupported) {
    if (StartsWith(bytes, signature.magic)) return {ContainerKind::kUnsupported, signature.name};
  }
  return {ContainerKind::kText, ""};
}

TextVerdict SniffText(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n\f\v");
  if (first == std::string_view::npos) return {TextKind::kDelimited, ""};
  char c = text[first];
  if (c == '[' || c == '{') return {TextKind::kJson, ""};
  if (c == '<') {
    std::string head = Lower(text.substr(first, 4096));
    if (head.find("urn:schemas-microsoft-com:office:spreadsheet") != std::string::npos) {
      return {TextKind::kUnsupported, "Excel 2003 XML spreadsheet"};
    }
    if (head.find("<html") != std::string::npos || head.find("<!doctype html") != std::string::npos ||
        head.find("<table") != std::string::npos) {
      return {TextKind::kUnsupported, "HTML document (often a web table saved with an .xls name)"};
    }
    if (StartsWith(head, "<?xml")) return {TextKind::kUnsupported, "XML document"};
  }
  // Binary data: many control characters where text has almost none.
  std::string_view sample = text.substr(0, 8192);
  size_t controls = 0;
  for (unsigned char b : sample) {
    if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != '\v') ++controls;
  }
  if (controls >= 8 && controls * 20 > sample.size()) {
    return {TextKind::kUnsupported, "binary data of an unknown format"};
  }
  return {TextKind::kDelimited, ""};
}

}  // namespace sluice
