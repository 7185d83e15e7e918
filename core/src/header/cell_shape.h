// CellShape: a quick look at what a cell's text resembles (number, date, email,
// boolean word, text), for deciding which row is the header. Not a parser:
// coercing values to field types is stage 6 and must not happen here.
#ifndef SLUICE_HEADER_CELL_SHAPE_H_
#define SLUICE_HEADER_CELL_SHAPE_H_

#include <string_view>

namespace sluice {

enum class CellShape { kEmpty, kNumber, kDate, kEmail, kBoolean, kText };

CellShape ShapeOf(std::string_view cell);

//! Numbers, dates, emails and booleans: values that are rarely column titles.
inline bool IsTypedShape(CellShape shape) {
  return shape == CellShape::kNumber || shape == CellShape::kDate || shape == CellShape::kEmail ||
         shape == CellShape::kBoolean;
}

}  // namespace sluice

#endif  // SLUICE_HEADER_CELL_SHAPE_H_
