// Table storage: cell references into the input text or into the owned buffer.
#include "sluice/table.h"

namespace sluice {

Table::Table(std::string text) : text_(std::move(text)) {}

Table Table::Viewing(std::string_view text) {
  Table table;
  table.viewed_ = text.data() ? text : std::string_view("", 0);
  return table;
}

std::string_view Table::cell(size_t row, size_t col) const {
  size_t begin = row_starts_[row];
  if (col >= row_starts_[row + 1] - begin) return {};
  const CellRef& ref = cells_[begin + col];
  if (ref.length & kOwnedBit) {
    return std::string_view(owned_).substr(ref.offset, ref.length & ~kOwnedBit);
  }
  return text().substr(ref.offset, ref.length);
}

void Table::AddOwnedCell(std::string_view content) {
  // Owned bytes share the 32-bit offset space with the text; a cell's length
  // is bounded by kMaxCellBytes, checked by the readers.
  cells_.push_back({static_cast<uint32_t>(owned_.size()),
                    static_cast<uint32_t>(content.size()) | kOwnedBit});
  owned_.append(content);
}

void Table::EndRow() {
  size_t count = cells_.size() - row_starts_.back();
  if (count > max_cells_) max_cells_ = count;
  row_starts_.push_back(cells_.size());
}

}  // namespace sluice
