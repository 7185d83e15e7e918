// libFuzzer target: the XLSX reader (zip, XML, workbook parts) on any bytes.
// Built with FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, ZipArchive skips its
// CRC check so mutations reach the XML instead of stopping at the checksum.
// The bytes also go straight to XmlScanner, whole and in pieces (as a part is
// inflated): the two token streams must be the same. Read with a thread to
// inflate on, the workbook must read alike.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "read/xlsx_reader.h"
#include "read/xml_scanner.h"
#include "sluice/read.h"
#include "../core/xml_tokens.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<sluice::Notice> notices;
  sluice::ReadLimits limits;
  limits.max_uncompressed_bytes = 32 << 20;
  limits.max_columns = 1024;
  sluice::Result<sluice::XlsxWorkbook> workbook = sluice::ReadXlsx(bytes, "", limits, &notices);
  if (!workbook.ok() && workbook.error().code.empty()) std::abort();
  // With a thread to inflate on (a part declared 256 KB or more): the same
  // rows, or the same error.
  std::vector<sluice::Notice> ahead_notices;
  sluice::Result<sluice::XlsxWorkbook> ahead = sluice::ReadXlsx(bytes, "", limits, &ahead_notices, 1);
  if (ahead.ok() != workbook.ok()) std::abort();
  if (!ahead.ok() && ahead.error().code != workbook.error().code) std::abort();
  if (ahead.ok() && sluice::RowsToJson(ahead.value().table) != sluice::RowsToJson(workbook.value().table)) std::abort();
  // The same bytes as XML, straight into the scanner.
  sluice::XmlScanner scanner(bytes);
  std::string text;
  for (int tokens = 0; tokens < 100000; ++tokens) {
    sluice::XmlScanner::Token token = scanner.Next();
    if (token == sluice::XmlScanner::Token::kEnd || token == sluice::XmlScanner::Token::kError) break;
    std::string_view value;
    if (token == sluice::XmlScanner::Token::kStartElement) (void)scanner.Attribute("r", &value);
    if (token == sluice::XmlScanner::Token::kText) scanner.AppendText(&text);
  }
  // Whole and in pieces (1 to 64 bytes, from the first byte; small inputs:
  // a token longer than a piece is scanned again at each piece).
  if (size > 0 && size <= 16384) {
    const size_t piece = 1 + data[0] % 64;
    if (sluice::testing::ScanWhole(bytes) != sluice::testing::ScanInPieces(bytes, piece) ||
        sluice::testing::ScanWhole(bytes) != sluice::testing::ScanInPieces(bytes, piece, true)) {
      std::abort();
    }
  }
  return 0;
}
