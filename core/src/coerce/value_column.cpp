// ValueColumn: compact storage of result values.
#include "coerce/value_column.h"

#include <cstring>

#include "text/number_text.h"

namespace sluice {

void ValueColumn::Reset(size_t rows) {
  slots_.assign(rows, Slot());
  arena_.clear();
}

void ValueColumn::Set(size_t row, const CellValue& value, std::string_view raw) {
  Slot& slot = slots_[row];
  slot.kind = static_cast<uint8_t>(value.kind);
  slot.in_arena = 0;  // (a slot may hold a value of an earlier chunk)
  slot.length = 0;
  switch (value.kind) {
    case CellValue::Kind::kNull:
      return;
    case CellValue::Kind::kNumber:
      slot.number = value.number;
      slot.in_arena = value.input.data() == raw.data() && value.input.size() == raw.size() && raw.data() ? kAsRead : 0;
      slot.length = static_cast<uint32_t>(raw.size());
      return;
    case CellValue::Kind::kBool:
      slot.number = value.flag ? 1 : 0;
      return;
    case CellValue::Kind::kString: {
      // The coercer's input as it came (a view), or a text it made.
      const bool is_input = value.input.data() != nullptr;
      const std::string_view text = is_input ? value.input : std::string_view(value.text);
      // Unchanged from the cell: point into the table (the input is the cell
      // itself when it was not mapped); a static text: point to it.
      if (is_input ? (value.input_static || (text.data() == raw.data() && text.size() == raw.size())) : text == raw) {
        SetCell(row, value.input_static ? text : raw);
      } else {
        SetText(row, text);
      }
      return;
    }
    case CellValue::Kind::kList:
      SetList(row, value.list);
      return;
  }
}

void ValueColumn::SetList(size_t row, const std::vector<std::string>& items) {
  Slot& slot = slots_[row];
  slot.kind = static_cast<uint8_t>(CellValue::Kind::kList);
  slot.in_arena = 1;
  slot.offset = arena_.size();
  for (const std::string& item : items) {
    uint32_t length = static_cast<uint32_t>(item.size());
    arena_.Append(reinterpret_cast<const char*>(&length), sizeof length);
    arena_.Append(item.data(), item.size());
  }
  slot.length = static_cast<uint32_t>(arena_.size() - slot.offset);
}

template <typename Visit>
void ValueColumn::ForEachItem(const Slot& slot, Visit visit) const {
  std::string_view bytes = Bytes(slot);
  while (bytes.size() >= sizeof(uint32_t)) {
    uint32_t length;
    std::memcpy(&length, bytes.data(), sizeof length);
    visit(bytes.substr(sizeof length, length));
    bytes.remove_prefix(sizeof length + length);
  }
}

std::string ValueColumn::Text(size_t row) const {
  const Slot& slot = slots_[row];
  switch (kind(row)) {
    case CellValue::Kind::kNull: return "";
    case CellValue::Kind::kNumber: {
      std::string out;
      AppendShortestDouble(out, slot.number);
      return out;
    }
    case CellValue::Kind::kBool: return slot.number != 0 ? "true" : "false";
    case CellValue::Kind::kString: return std::string(Bytes(slot));
    case CellValue::Kind::kList: {
      std::string out;
      bool first = true;
      ForEachItem(slot, [&](std::string_view item) {
        if (!first) out.push_back(',');
        first = false;
        out.append(item);
      });
      return out;
    }
  }
  return "";
}

bool ValueColumn::TextIs(size_t row, std::string_view text) const {
  const Slot& slot = slots_[row];
  switch (kind(row)) {
    case CellValue::Kind::kString: return Bytes(slot) == text;
    case CellValue::Kind::kNumber: {
      // A whole number below 10^15 is written as its digits: "76" is 76's text
      // when 76 is the value (not, say, 0.76 from a percent format).
      size_t i = !text.empty() && text[0] == '-' ? 1 : 0;
      if (text.size() - i >= 1 && text.size() - i <= 15 && (text[i] != '0' || text.size() - i == 1)) {
        int64_t whole = 0;
        bool digits = true;
        for (size_t k = i; k < text.size() && digits; ++k) {
          digits = text[k] >= '0' && text[k] <= '9';
          whole = whole * 10 + (text[k] - '0');
        }
        if (digits && !(i == 1 && whole == 0)) return slot.number == static_cast<double>(i ? -whole : whole);
      }
      break;
    }
    default: break;
  }
  return Text(row) == text;
}

char* ValueColumn::WriteOtherJson(size_t row, char* p) const {
  const Slot& slot = slots_[row];
  switch (kind(row)) {
    case CellValue::Kind::kNull:
    case CellValue::Kind::kBool: return WriteLiteral(p, slot);
    case CellValue::Kind::kNumber:
    case CellValue::Kind::kString: return WriteJson(row, p);  // (written there)
    case CellValue::Kind::kList: {
      *p++ = '[';
      bool first = true;
      ForEachItem(slot, [&](std::string_view item) {
        if (!first) *p++ = ',';
        first = false;
        p = JsonWriter::WriteQuoted(p, item);
      });
      *p++ = ']';
      return p;
    }
  }
  return p;
}

void ValueColumn::Write(size_t row, JsonWriter* out) const {
  const Slot& slot = slots_[row];
  switch (kind(row)) {
    case CellValue::Kind::kNull: out->Null(); return;
    case CellValue::Kind::kNumber: out->Double(slot.number); return;
    case CellValue::Kind::kBool: out->Bool(slot.number != 0); return;
    case CellValue::Kind::kString: out->String(Bytes(slot)); return;
    case CellValue::Kind::kList:
      out->BeginArray();
      ForEachItem(slot, [&](std::string_view item) { out->String(item); });
      out->EndArray();
      return;
  }
}

}  // namespace sluice
