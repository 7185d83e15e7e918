// Stage 3, XLSX -> Table: the zip (ZipArchive), the workbook and its
// relationships, shared strings, styles (to know which numbers are dates) and
// one sheet's XML (XmlScanner). Cells become the text a person saw: shared and
// inline strings, numbers as Excel's General format shows them, TRUE/FALSE,
// error values (#N/A), cached formula results, and dates in ISO 8601 (1900 and
// 1904 date systems). Every sheet is listed; the named sheet is read, else the
// first visible one holding data. Other zip formats (ODS, DOCX, Numbers,
// XLSB) are named in an `unsupported_format` error.
#ifndef SLUICE_READ_XLSX_READER_H_
#define SLUICE_READ_XLSX_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "sluice/error.h"
#include "sluice/read.h"
#include "sluice/table.h"

namespace sluice {

struct XlsxWorkbook {
  Table table;
  std::vector<SheetInfo> sheets;
  bool date1904 = false;
};

//! Errors: `unsupported_format`, `zip_*` (ZipArchive), `xlsx_corrupt`,
//! `sheet_not_found`, `workbook_empty`, `too_many_columns`, `cell_too_large`.
//! `threads` > 0: a large part is inflated on a worker thread (ReadAhead).
Result<XlsxWorkbook> ReadXlsx(std::string_view bytes, const std::string& sheet_name, const ReadLimits& limits,
                              std::vector<Notice>* notices, size_t threads = 0);

enum class SerialKind { kDate, kDateTime, kTime, kDuration };

//! Excel serial day number `serial` as ISO 8601 text: YYYY-MM-DD,
//! YYYY-MM-DDTHH:MM:SS, HH:MM:SS, or elapsed H:MM:SS for durations. False when
//! outside Excel's range (negative, or after 9999-12-31).
bool ExcelSerialToIso(double serial, bool date1904, SerialKind kind, std::string* out);

}  // namespace sluice

#endif  // SLUICE_READ_XLSX_READER_H_
