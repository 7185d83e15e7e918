// Table storage: cell references into the input text or into the owned buffer.
#include "sluice/table.h"

#include <algorithm>

namespace sluice {

Table::Table(std::string text) : text_(std::move(text)) {}

Table Table::Viewing(std::string_view text) {
  Table table;
  table.ViewAgain(text);
  return table;
}

void Table::ViewAgain(std::string_view text) {
  text_.clear();
  viewed_ = text.data() ? text : std::string_view("", 0);
  owned_.clear();
  offsets_.clear();
  lengths_.clear();
  long_lengths_.clear();
  row_starts_.assign(1, 0);
  max_cells_ = 0;
}

size_t Table::LongLength(size_t index) const {
  auto it = std::lower_bound(long_lengths_.begin(), long_lengths_.end(), index,
                             [](const std::pair<size_t, uint32_t>& entry, size_t i) { return entry.first < i; });
  return it->second;
}

void Table::AddLongCell(uint32_t offset, size_t length, bool owned) {
  long_lengths_.emplace_back(offsets_.size(), static_cast<uint32_t>(length));
  offsets_.push_back(offset);
  lengths_.push_back(static_cast<uint16_t>((owned ? kOwnedBit : 0) | kLong));
}

void Table::AddOwnedCell(std::string_view content) {
  // Owned bytes share the 32-bit offset space with the text; a cell's length
  // is bounded by kMaxCellBytes, checked by the readers.
  AddCell(static_cast<uint32_t>(owned_.size()), content.size(), true);
  owned_.append(content);
}

void Table::DropOpenRow() {
  const size_t start = row_starts_.back();
  offsets_.Shrink(start);
  lengths_.Shrink(start);
  while (!long_lengths_.empty() && long_lengths_.back().first >= start) long_lengths_.pop_back();
}

}  // namespace sluice
