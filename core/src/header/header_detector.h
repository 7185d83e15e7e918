// Stage 4, choose the header row: among the first rows, the row of short,
// distinct texts that fills the table's width, above rows whose values look
// like data (numbers, dates, emails) and that keep its width. Title rows,
// blank rows and notes above it score low. Reports the row, a confidence in
// [0, 1] and the evidence; no row when none is confident.
#ifndef SLUICE_HEADER_HEADER_DETECTOR_H_
#define SLUICE_HEADER_HEADER_DETECTOR_H_

#include "sluice/read.h"
#include "sluice/table.h"

namespace sluice {

//! Below this confidence there is no header row (the import needs review).
constexpr double kHeaderConfidenceThreshold = 0.7;

HeaderReport DetectHeaderRow(const Table& table);

}  // namespace sluice

#endif  // SLUICE_HEADER_HEADER_DETECTOR_H_
