// Table: the rows and cells a reader produced, as offsets into the decoded
// input it owns (or views, when the input needed no decoding and the caller
// keeps it), 6 bytes a cell. A cell is copied (into a second buffer) only
// when unescaping changed it. Rows may be ragged: each row has its own cell
// count.
#ifndef SLUICE_TABLE_H_
#define SLUICE_TABLE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice {

//! A growable array of a trivially copyable type, without std::vector's
//! zero-filling: room is reserved, and a reader's loop that reserved room for
//! a block of cells writes them with no check each (Room, then Grew).
template <typename T>
class PodArray {
 public:
  PodArray() = default;
  PodArray(PodArray&&) noexcept = default;
  PodArray& operator=(PodArray&&) noexcept = default;
  PodArray(const PodArray& other) { *this = other; }
  PodArray& operator=(const PodArray& other) {
    if (this == &other) return *this;
    size_ = 0;
    Reserve(other.size_);
    if (other.size_ > 0) std::memcpy(data_.get(), other.data_.get(), other.size_ * sizeof(T));
    size_ = other.size_;
    return *this;
  }
  size_t size() const { return size_; }
  T operator[](size_t i) const { return data_[i]; }
  T& operator[](size_t i) { return data_[i]; }
  void push_back(T value) {
    if (size_ == capacity_) Grow(size_ + 1);
    data_[size_++] = value;
  }
  void Reserve(size_t n) {
    if (n > capacity_) Grow(n);
  }
  void clear() { size_ = 0; }
  const T* data() const { return data_.get(); }
  //! Where the next value goes: after Reserve(size() + n), n values may be
  //! written from here, then counted by Grew.
  T* Room() { return data_.get() + size_; }
  void Grew(size_t n) { size_ += n; }
  //! Appends values[0, n).
  void Append(const T* values, size_t n) {
    Reserve(size_ + n);
    if (n > 0) std::memcpy(data_.get() + size_, values, n * sizeof(T));
    size_ += n;
  }
  //! Drops the values from `n` on (n at most size()).
  void Shrink(size_t n) { size_ = n; }

 private:
  void Grow(size_t n) {
    const size_t capacity = std::max<size_t>({n, capacity_ * 2, 16});
    std::unique_ptr<T[]> bigger(new T[capacity]);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_ * sizeof(T));
    data_ = std::move(bigger);
    capacity_ = capacity;
  }
  std::unique_ptr<T[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

class Table {
 public:
  //! A table over `text` (the decoded input, UTF-8), with no rows yet.
  explicit Table(std::string text = {});
  //! A table over text it does not own: the caller keeps `text` alive and
  //! unchanged as long as the table (no copy of a large input).
  static Table Viewing(std::string_view text);
  //! Empties the table, keeping its room, to view another text (a reader of
  //! windows reuses one table: no allocation, no fresh pages per window).
  void ViewAgain(std::string_view text);
  //! The same cells over `text`, a copy of the text the table views (same
  //! bytes, another place: a window handed to another thread).
  void Rebase(std::string_view text) { viewed_ = text.data() ? text : std::string_view("", 0); }

  size_t row_count() const { return row_starts_.size() - 1; }
  size_t cell_count(size_t row) const { return row_starts_[row + 1] - row_starts_[row]; }
  //! The widest row's cell count.
  size_t max_cell_count() const { return max_cells_; }

  //! Cell `col` of `row`; the empty string when the row is shorter. The view
  //! lives as long as the table.
  std::string_view cell(size_t row, size_t col) const { return Cells(*this)(row, col); }

  //! cell() for a loop over many cells of an unchanging table: the arrays'
  //! and the texts' addresses taken once (held in registers, not loaded
  //! through the table again after each store the loop makes). Cell `col`
  //! of a row is At(Start(row) + col) when col < Width(row).
  class Cells {
   public:
    explicit Cells(const Table& table)
        : table_(table), row_starts_(table.row_starts_.data()), offsets_(table.offsets_.data()),
          lengths_(table.lengths_.data()), text_(table.text().data()), owned_(table.owned_.data()) {}
    size_t Start(size_t row) const { return row_starts_[row]; }
    size_t Width(size_t row) const { return row_starts_[row + 1] - row_starts_[row]; }
    std::string_view At(size_t index) const {
      std::string_view cell;
      if (!Short(index, &cell)) cell = std::string_view(cell.data(), table_.LongLength(index));
      return cell;
    }
    //! At(index) when the cell is shorter than kLong bytes (most: no call),
    //! else false.
    bool Short(size_t index, std::string_view* cell) const {
      const uint16_t packed = lengths_[index];
      *cell = std::string_view(((packed & kOwnedBit) ? owned_ : text_) + offsets_[index], packed & kLong);
      return (packed & kLong) != kLong;
    }
    std::string_view operator()(size_t row, size_t col) const {
      return col < Width(row) ? At(Start(row) + col) : std::string_view();
    }

   private:
    const Table& table_;
    const uint32_t* row_starts_;
    const uint32_t* offsets_;
    const uint16_t* lengths_;
    const char* text_;
    const char* owned_;
  };

  // Building (used by readers).
  std::string_view text() const { return viewed_.data() ? viewed_ : std::string_view(text_); }
  //! Appends a cell that is bytes [offset, offset+length) of text().
  __attribute__((always_inline)) void AddTextCell(uint32_t offset, uint32_t length) { AddCell(offset, length, false); }
  //! Room for `n` more cells, written at OffsetRoom/LengthRoom.
  void CellRoom(size_t n) {
    offsets_.Reserve(offsets_.size() + n);
    lengths_.Reserve(lengths_.size() + n);
  }
  //! The fast path's cells (after CellRoom(n)): up to n cells of the text
  //! shorter than kLong written at these two pointers, then counted by
  //! CellsAdded (the pointers held in registers, not the arrays' sizes).
  uint32_t* OffsetRoom() { return offsets_.Room(); }
  uint16_t* LengthRoom() { return lengths_.Room(); }
  void CellsAdded(size_t n) {
    offsets_.Grew(n);
    lengths_.Grew(n);
  }
  //! Appends a cell whose content differs from the input (after unescaping).
  void AddOwnedCell(std::string_view content);
  //! Keeps `content` among the owned bytes without a cell; returns where,
  //! for AddOwnedRef (text many cells share is kept once).
  uint32_t KeepOwned(std::string_view content) {
    uint32_t offset = static_cast<uint32_t>(owned_.size());
    owned_.append(content);
    return offset;
  }
  //! Appends a cell that is bytes [offset, offset+length) of the owned bytes.
  void AddOwnedRef(uint32_t offset, size_t length) { AddCell(offset, length, true); }
  //! Closes the current row (its cells are those added since the last EndRow).
  //! (Inline: the readers call it for every record.)
  void EndRow() {
    const size_t count = offsets_.size() - row_starts_.back();
    if (count > max_cells_) max_cells_ = count;
    row_starts_.push_back(static_cast<uint32_t>(offsets_.size()));
  }
  //! A row the reader kept only the first cells of (ReadDelimitedWindow's
  //! `keep`) was `cells` wide: max_cell_count() counts it so.
  void NoteWidth(size_t cells) {
    if (cells > max_cells_) max_cells_ = cells;
  }
  //! Drops the cells added since the last EndRow (a record a window of the
  //! input cut off; its owned bytes stay, unused, until the table goes).
  void DropOpenRow();
  //! Drops the last `n` rows, which have no cells (blank lines before a
  //! record a window cut off: the next window reads them again).
  void DropEmptyRows(size_t n) { row_starts_.resize(row_starts_.size() - n); }
  //! Room for `cells` cells and `rows` rows in all (readers that can
  //! estimate them: no doubling of the cell list past what a file needs).
  void Reserve(size_t cells, size_t rows) {
    offsets_.Reserve(cells);
    lengths_.Reserve(cells);
    row_starts_.reserve(rows + 1);
  }
  size_t total_cells() const { return offsets_.size(); }

  //! Largest input a table can address (offsets are 32-bit to keep cells small).
  static constexpr size_t kMaxTextBytes = 0xFFFFFFFFu;
  //! Most cells a table holds (rows keep 32-bit cell indexes); the CSV
  //! reader, whose input alone could exceed it, checks it.
  static constexpr size_t kMaxCells = 0xFFFFFFFFu;
  //! Largest single cell (a long cell's length is kept in 32 bits).
  static constexpr size_t kMaxCellBytes = 0x7FFFFFFFu;
  //! A cell is 6 bytes: its offset, and its length in 15 bits with a bit for
  //! "in owned_, not the text"; the rare longer cells (kLong bytes, 32 KB, and
  //! more) have kLong there and their length in long_lengths_.
  static constexpr uint16_t kLong = 0x7FFFu;

 private:
  static constexpr uint16_t kOwnedBit = 0x8000u;
  // Always inlined: the readers' loops call it for every cell, and clang's
  // WebAssembly build otherwise calls it (137-168 ms of a 1M-row import).
  __attribute__((always_inline)) void AddCell(uint32_t offset, size_t length, bool owned) {
    if (length >= kLong) {
      AddLongCell(offset, length, owned);
      return;
    }
    offsets_.push_back(offset);
    lengths_.push_back(static_cast<uint16_t>((owned ? kOwnedBit : 0) | length));
  }
  void AddLongCell(uint32_t offset, size_t length, bool owned);
  size_t LongLength(size_t index) const;
  std::string text_;
  std::string_view viewed_;  // set: the text, not owned (text_ is empty)
  std::string owned_;
  PodArray<uint32_t> offsets_;  // per cell
  PodArray<uint16_t> lengths_;  // per cell
  std::vector<std::pair<size_t, uint32_t>> long_lengths_;  // (cell, length), in cell order
  std::vector<uint32_t> row_starts_{0};  // per row, its first cell (and one past the last row)
  size_t max_cells_ = 0;
};

}  // namespace sluice

#endif  // SLUICE_TABLE_H_
