// CsvReader: RFC 4180 delimited text -> Table, in one pass over the bytes.
// Owns only the tokenizing; choosing the dialect (sniffing) and decoding the
// bytes to UTF-8 are earlier stages and must not happen here.
#ifndef SLUICE_READ_CSV_READER_H_
#define SLUICE_READ_CSV_READER_H_

#include <string>

#include "sluice/error.h"
#include "sluice/parse.h"
#include "sluice/table.h"

namespace sluice {

class CsvReader {
 public:
  explicit CsvReader(const ParseOptions& options) : options_(options) {}

  //! Tokenizes `text` (which the returned Table takes over).
  Result<Table> Read(std::string text) const;

 private:
  ParseOptions options_;
};

}  // namespace sluice

#endif  // SLUICE_READ_CSV_READER_H_
