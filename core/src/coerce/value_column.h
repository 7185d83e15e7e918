// ValueColumn: one field's result values over the data rows, 16 bytes a cell
// and no allocation per cell. Numbers and booleans are inline; text is a view
// into the table when it equals the cell as read (most strings), else bytes
// in the column's arena; lists (multi-select, manyToOne) are length-prefixed
// items in the arena. The table must outlive the column.
#ifndef SLUICE_COERCE_VALUE_COLUMN_H_
#define SLUICE_COERCE_VALUE_COLUMN_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "coerce/coerce.h"
#include "sluice/json_writer.h"
#include "sluice/table.h"
#include "text/bytes16.h"
#include "text/number_text.h"

namespace sluice {

class ValueColumn {
 public:
  //! `rows` null values.
  void Reset(size_t rows);
  //! Room for `rows` values whose slots are not cleared: the caller sets
  //! every row (Set, SetBool or SetNull) before reading any.
  void Prepare(size_t rows) {
    slots_.resize(rows);
    arena_.clear();
  }
  size_t size() const { return slots_.size(); }

  //! Stores `value` for `row`; `raw` is the cell's text in the table.
  void Set(size_t row, const CellValue& value, std::string_view raw);
  void SetBool(size_t row, bool flag) {
    Slot& slot = slots_[row];
    slot.kind = static_cast<uint8_t>(CellValue::Kind::kBool);
    slot.in_arena = 0;
    slot.length = 0;
    slot.number = flag ? 1 : 0;
  }
  //! A number read from the cell `raw`: what Set does for it, without a
  //! CellValue; `as_read`: `raw` is its shortest text (NumberAsRead).
  void SetNumber(size_t row, double number, std::string_view raw, bool as_read) {
    Slot& slot = slots_[row];
    slot.kind = static_cast<uint8_t>(CellValue::Kind::kNumber);
    slot.in_arena = as_read ? kAsRead : 0;
    slot.length = static_cast<uint32_t>(raw.size());
    slot.number = number;
  }
  //! A text value that is `cell` itself, a view of the table (a string
  //! field's cell: what Set does for StringCoercer's value, without it), or
  //! of a built-in table (static).
  void SetCell(size_t row, std::string_view cell) {
    Slot& slot = slots_[row];
    slot.kind = static_cast<uint8_t>(CellValue::Kind::kString);
    slot.in_arena = 0;
    slot.length = static_cast<uint32_t>(cell.size());
    slot.pointer = cell.data();
  }
  //! A text value of the coercer's (copied): what Set does for a string
  //! that is neither the cell nor static.
  void SetText(size_t row, std::string_view text) {
    Slot& slot = slots_[row];
    slot.kind = static_cast<uint8_t>(CellValue::Kind::kString);
    slot.in_arena = 1;
    slot.length = static_cast<uint32_t>(text.size());
    slot.offset = arena_.size();
    arena_.Append(text.data(), text.size());
  }
  void SetNull(size_t row) {
    slots_[row].kind = static_cast<uint8_t>(CellValue::Kind::kNull);
    slots_[row].in_arena = 0;
    slots_[row].length = 0;
  }
  //! A list of texts (manyToOne: the values of the field's columns).
  void SetList(size_t row, const std::vector<std::string>& items);

  CellValue::Kind kind(size_t row) const { return static_cast<CellValue::Kind>(slots_[row].kind); }
  //! A number whose JSON text is the cell as read (Set saw the coercer's
  //! input flagged as its shortest text): a writer may copy the cell.
  bool NumberAsRead(size_t row) const { return slots_[row].in_arena == kAsRead; }
  //! The canonical text of the value: numbers shortest, booleans true/false,
  //! lists joined by ","; "" for null.
  std::string Text(size_t row) const;
  //! Whether Text(row) == `text`, without building it when it can be told
  //! from the value (a string's bytes; a whole number written plainly).
  bool TextIs(size_t row, std::string_view text) const;
  //! The value as JSON.
  void Write(size_t row, JsonWriter* out) const;
  //! The most bytes WriteJson writes for `row`.
  size_t JsonBound(size_t row) const {
    const Slot& slot = slots_[row];
    switch (static_cast<CellValue::Kind>(slot.kind)) {
      case CellValue::Kind::kNull:
      case CellValue::Kind::kBool: return 5;
      case CellValue::Kind::kNumber: return kNumberTextBound;
      case CellValue::Kind::kString: return JsonWriter::QuotedBound(slot.length);
      // Each item: its 4-byte length and bytes -> at most 6 a byte, quotes and a comma.
      case CellValue::Kind::kList: return 2 * JsonWriter::QuotedBound(slot.length);
    }
    return 0;
  }
  //! At least JsonBound(row), from the value's length alone (no test of its
  //! kind: a list's items are at most 6 bytes a byte, a number's text 32).
  size_t JsonRoom(size_t row) const { return 12 * size_t{slots_[row].length} + kNumberTextBound; }
  //! WriteJson, but at `p` with room for JsonRoom(row), and a number read as
  //! written (NumberAsRead) is raw[row], its cell's text, copied: the import
  //! writers' path for cells without error.
  char* WriteJsonAsRead(size_t row, const std::string_view* raw, char* p) const {
    const Slot& slot = slots_[row];
    switch (static_cast<CellValue::Kind>(slot.kind)) {
      case CellValue::Kind::kString: return WriteString<true>(p, Bytes(slot));
      case CellValue::Kind::kNumber:
        if (slot.in_arena == kAsRead) return CopyNumberText(p, raw[row]);
        return WriteShortestDouble(p, slot.number);
      case CellValue::Kind::kNull:
      case CellValue::Kind::kBool: return WriteLiteral(p, slot);
      default: return WriteOtherJson(row, p);
    }
  }
  //! The same JSON as Write, at `p` (room for JsonBound(row)) with no writer
  //! state (the row writers of an import put the commas and keys themselves);
  //! returns the end. Strings and numbers (most values) without a call here.
  char* WriteJson(size_t row, char* p) const {
    const Slot& slot = slots_[row];
    switch (static_cast<CellValue::Kind>(slot.kind)) {
      case CellValue::Kind::kString: return WriteString<false>(p, Bytes(slot));
      case CellValue::Kind::kNumber: return WriteShortestDouble(p, slot.number);
      default: return WriteOtherJson(row, p);
    }
  }

 private:
  static constexpr uint8_t kAsRead = 2;  // Slot::in_arena of a number written as its cell
  struct Slot {
    uint8_t kind = 0;      // CellValue::Kind
    uint8_t in_arena = 0;  // the bytes are in arena_ at `offset`, else at `pointer`; kAsRead
    uint32_t length = 0;
    union {
      double number;
      uint64_t offset;
      const char* pointer;
    };
    Slot() : number(0) {}
  };
  std::string_view Bytes(const Slot& slot) const {
    return std::string_view(slot.in_arena ? arena_.data() + slot.offset : slot.pointer, slot.length);
  }
  char* WriteOtherJson(size_t row, char* p) const;  // WriteJson's other kinds
  // null, true or false: a null or boolean slot's JSON (inline: a call per
  // checkbox cell otherwise).
  static char* WriteLiteral(char* p, const Slot& slot) {
    if (slot.kind == static_cast<uint8_t>(CellValue::Kind::kNull)) {
      std::memcpy(p, "null", 4);
      return p + 4;
    }
    if (slot.number != 0) {
      std::memcpy(p, "true", 4);
      return p + 4;
    }
    std::memcpy(p, "false", 5);
    return p + 5;
  }
  // JsonWriter::WriteQuoted, its most common cases inline: 3 to 32 bytes
  // with nothing to escape, checked and copied as one vector (QuotedBound's
  // room for 3 bytes, 20, holds the 16 stored) or two overlapping ones; from
  // 1 byte with kRoomy (JsonRoom's room, 32 bytes at least).
  template <bool kRoomy>
  static char* WriteString(char* p, std::string_view text) {
    constexpr size_t kFewest = kRoomy ? 1 : 3;  // (not 0: an empty text may have no bytes at all)
#if defined(SLUICE_BYTES16)
    const size_t n = text.size();
    const char* const s = text.data();
    if (n - 16 <= 16) {
      const Bytes16 low(s), high(s + n - 16);
      if ((low.JsonSpecial() | high.JsonSpecial()) == 0) {
        p[0] = '"';
        low.Store(p + 1);
        high.Store(p + 1 + n - 16);
        p[n + 1] = '"';
        return p + n + 2;
      }
    } else if (n - kFewest < 16 - kFewest && Bytes16::Readable(s)) {
      const Bytes16 v(s);
      if ((v.JsonSpecial() & ((1u << n) - 1)) == 0) {
        p[0] = '"';
        v.Store(p + 1);
        p[n + 1] = '"';
        return p + n + 2;
      }
    }
#endif
    return JsonWriter::WriteQuoted(p, text);
  }
  // A number's text (at most 17 bytes as read) by two overlapping loads, not
  // a memcpy call (a call per number cell under WebAssembly).
  static char* CopyNumberText(char* p, std::string_view text) {
    const char* s = text.data();
    const size_t n = text.size();
    if (n >= 8 && n <= 16) {
      uint64_t low, high;
      std::memcpy(&low, s, 8);
      std::memcpy(&high, s + n - 8, 8);
      std::memcpy(p, &low, 8);
      std::memcpy(p + n - 8, &high, 8);
    } else if (n >= 4 && n < 8) {
      uint32_t low, high;
      std::memcpy(&low, s, 4);
      std::memcpy(&high, s + n - 4, 4);
      std::memcpy(p, &low, 4);
      std::memcpy(p + n - 4, &high, 4);
    } else {
      for (size_t i = 0; i < n; ++i) p[i] = s[i];
    }
    return p + n;
  }
  template <typename Visit>
  void ForEachItem(const Slot& slot, Visit visit) const;

  std::vector<Slot> slots_;
  PodArray<char> arena_;  // (appends inline, no call)
};

// (Inline: CoerceCells' loops call it for every cell they read through Coerce.)
inline void ColumnCoercer::CoerceCell(size_t row, std::string_view text, Coerced* scratch, ValueColumn* values,
                                      CellIssueSink* sink) const {
  scratch->Reset();
  Coerce(text, scratch);
  if (!scratch->issues.empty()) sink->Report(row, text, *scratch);
  values->Set(row, scratch->value, text);
}

}  // namespace sluice

#endif  // SLUICE_COERCE_VALUE_COLUMN_H_
