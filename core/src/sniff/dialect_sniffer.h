// Stage 2b, sniff the dialect of delimited text: delimiter among , ; tab |,
// quote character, line endings, decided by consistency of the column count
// over a sample of records. Owns the decision and its evidence; the tokenizing
// itself belongs to CsvReader.
#ifndef SLUICE_SNIFF_DIALECT_SNIFFER_H_
#define SLUICE_SNIFF_DIALECT_SNIFFER_H_

#include <optional>
#include <string_view>

#include "sluice/read.h"

namespace sluice {

//! The dialect of `text`; `forced_delimiter` (the schema's setting) wins.
DialectReport SniffDialect(std::string_view text, std::optional<char> forced_delimiter);

//! True when some delimiter splits the sample into two or more columns
//! consistently (used to tell a CSV that starts with '[' from broken JSON).
bool LooksDelimited(std::string_view text);

}  // namespace sluice

#endif  // SLUICE_SNIFF_DIALECT_SNIFFER_H_
