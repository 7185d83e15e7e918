// DetectHeaderRow: each candidate row gets a score from its own cells (fill,
// text, distinct, short) and from the rows below it (type contrast per column,
// width consistency). The best score wins; ties go to the earlier row.
#include "header/header_detector.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "header/cell_shape.h"
#include "text/number_text.h"

namespace sluice {
namespace {

constexpr size_t kCandidateRows = 25;  // rows considered as the header
constexpr size_t kRowsBelow = 10;      // data rows looked at under a candidate
constexpr size_t kWidthSample = 100;   // rows sampled for the table's width
constexpr size_t kShortHeader = 40;    // bytes: longer cells are rarely titles

struct RowFacts {
  size_t index = 0;
  size_t width = 0;   // last non-empty cell + 1
  size_t filled = 0;  // non-empty cells
  std::vector<CellShape> shapes;
};

RowFacts FactsOf(const Table& table, size_t row) {
  RowFacts facts;
  facts.index = row;
  size_t cells = table.cell_count(row);
  facts.shapes.resize(cells);
  for (size_t col = 0; col < cells; ++col) {
    facts.shapes[col] = ShapeOf(table.cell(row, col));
    if (facts.shapes[col] != CellShape::kEmpty) {
      ++facts.filled;
      facts.width = col + 1;
    }
  }
  return facts;
}

}  // namespace

HeaderReport DetectHeaderRow(const Table& table) {
  HeaderReport report;
  // 1. Non-empty rows near the top, and the table's usual width.
  std::vector<RowFacts> rows;
  std::map<size_t, size_t> widths;
  for (size_t row = 0; row < table.row_count() && rows.size() < kWidthSample; ++row) {
    RowFacts facts = FactsOf(table, row);
    if (facts.filled == 0) continue;
    ++widths[facts.width];
    rows.push_back(std::move(facts));
  }
  if (rows.empty()) {
    report.evidence.push_back("the table has no non-empty row");
    return report;
  }
  size_t table_width = 1, best_count = 0;
  for (const auto& [width, count] : widths) {
    if (count >= best_count) {  // ties go to the wider
      table_width = width;
      best_count = count;
    }
  }

  // 2. Score each candidate.
  double best_score = -1;
  size_t best = 0;
  std::string best_evidence;
  for (size_t k = 0; k < rows.size() && k < kCandidateRows; ++k) {
    const RowFacts& candidate = rows[k];
    size_t text = 0, short_cells = 0;
    std::set<std::string_view> distinct;
    for (size_t col = 0; col < candidate.shapes.size(); ++col) {
      if (candidate.shapes[col] == CellShape::kEmpty) continue;
      std::string_view cell = table.cell(candidate.index, col);
      text += candidate.shapes[col] == CellShape::kText;
      short_cells += cell.size() <= kShortHeader;
      distinct.insert(cell);
    }
    double fill = std::min(1.0, static_cast<double>(candidate.filled) / static_cast<double>(table_width));
    double textiness = static_cast<double>(text) / static_cast<double>(candidate.filled);
    double uniqueness = static_cast<double>(distinct.size()) / static_cast<double>(candidate.filled);
    double shortness = static_cast<double>(short_cells) / static_cast<double>(candidate.filled);

    // Rows below: do they keep the width, and are the columns under text
    // titles typed (numbers, dates, emails)?
    size_t below = 0, consistent = 0, typed_anywhere = 0;
    size_t text_columns_with_data = 0, contrasted = 0;
    std::vector<size_t> typed(candidate.width, 0), filled(candidate.width, 0);
    for (size_t j = k + 1; j < rows.size() && below < kRowsBelow; ++j, ++below) {
      const RowFacts& data = rows[j];
      consistent += data.width <= candidate.width && data.width * 2 >= candidate.width;
      for (size_t col = 0; col < data.shapes.size(); ++col) {
        if (IsTypedShape(data.shapes[col])) ++typed_anywhere;
        if (col >= candidate.width || data.shapes[col] == CellShape::kEmpty) continue;
        ++filled[col];
        typed[col] += IsTypedShape(data.shapes[col]);
      }
    }
    for (size_t col = 0; col < candidate.width; ++col) {
      if (col >= candidate.shapes.size() || candidate.shapes[col] != CellShape::kText || filled[col] == 0) continue;
      ++text_columns_with_data;
      contrasted += typed[col] * 2 >= filled[col];
    }
    double consistency = below == 0 ? 0.0 : static_cast<double>(consistent) / static_cast<double>(below);
    double contrast;
    if (below == 0) {
      contrast = 0;
    } else if (typed_anywhere == 0) {
      contrast = text > 0 ? 0.5 : 0.0;  // an all-text table: no evidence either way
    } else {
      contrast = text_columns_with_data == 0 ? 0.0
                                             : static_cast<double>(contrasted) / static_cast<double>(text_columns_with_data);
    }

    double score = 0.25 * fill + 0.2 * textiness + 0.1 * uniqueness + 0.05 * shortness + 0.25 * contrast +
                   0.15 * consistency;
    // Titles are text: numbers, dates or emails in a row make it unlikely to be the header.
    score *= 0.5 + 0.5 * textiness;
    if (score > best_score + 0.02) {
      best_score = score;
      best = k;
      char buffer[320];
      std::snprintf(buffer, sizeof buffer,
                    "row %zu: %zu of %zu columns filled, %s text, %s distinct; below it %s of rows keep its width",
                    candidate.index, candidate.filled, table_width, PercentText(textiness).c_str(),
                    PercentText(uniqueness).c_str(), PercentText(consistency).c_str());
      best_evidence = buffer;
      if (below == 0) {
        best_evidence += "; no rows below it";
      } else if (typed_anywhere == 0) {
        best_evidence += "; every value below is text, so the first full row is taken";
      } else if (text_columns_with_data > 0) {
        best_evidence += ", and " + std::to_string(contrasted) + " of " + std::to_string(text_columns_with_data) +
                         " titled columns hold numbers, dates or emails";
      }
    }
  }

  // 3. The verdict.
  report.confidence = std::max(0.0, std::min(1.0, best_score));
  report.evidence.push_back(best_evidence);
  size_t skipped = best;  // non-empty rows above the header
  if (skipped > 0) {
    report.evidence.push_back(std::to_string(skipped) + (skipped == 1 ? " row above it looks" : " rows above it look") +
                              " like a title or notes");
  }
  size_t blank_above = rows[best].index - best;
  if (blank_above > 0) {
    report.evidence.push_back(std::to_string(blank_above) + (blank_above == 1 ? " blank row" : " blank rows") +
                              " above it skipped");
  }
  if (report.confidence >= kHeaderConfidenceThreshold) {
    report.row = rows[best].index;
  } else {
    report.evidence.push_back("no row looks enough like a header (best " + PercentText(report.confidence) +
                              "): the rows look like data");
  }
  return report;
}

}  // namespace sluice
