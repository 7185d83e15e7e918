// TextMemo: a column's texts already answered, each once (a column repeats a
// few texts: plans, countries). Open addressing over at most kCapacity texts,
// their bytes in one arena: a lookup hashes the text and compares it a word at
// a time, with no string built, no allocation and no call.
#ifndef SLUICE_COERCE_TEXT_MEMO_H_
#define SLUICE_COERCE_TEXT_MEMO_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "text/short_text.h"

namespace sluice {

template <typename Answer>
class TextMemo {
 public:
  static constexpr size_t kCapacity = 4096;  // texts kept; later ones are not

  //! The answer kept for `text`, or null.
  const Answer* Find(std::string_view text) const {
    if (slots_.empty()) return nullptr;
    const uint64_t hash = Hash(text);
    for (size_t i = hash & kMask;; i = (i + 1) & kMask) {
      const Slot& slot = slots_[i];
      if (slot.length == kEmpty) return nullptr;
      if (slot.hash == static_cast<uint32_t>(hash) && slot.length == text.size() &&
          SameBytes(arena_.data() + slot.offset, text.data(), text.size())) {
        return &answers_[slot.answer];
      }
    }
  }
  //! Keeps `answer` for `text` (not found before), unless kCapacity texts are kept.
  void Add(std::string_view text, const Answer& answer) {
    if (answers_.size() == kCapacity || text.size() >= kEmpty) return;
    if (slots_.empty()) slots_.assign(kSlots, Slot());
    const uint64_t hash = Hash(text);
    size_t i = hash & kMask;
    while (slots_[i].length != kEmpty) i = (i + 1) & kMask;
    slots_[i] = {static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(text.size()), static_cast<uint32_t>(hash),
                 static_cast<uint32_t>(answers_.size())};
    arena_.append(text.data(), text.size());
    answers_.push_back(answer);
  }

 private:
  static constexpr size_t kSlots = 2 * kCapacity;  // at most half full
  static constexpr size_t kMask = kSlots - 1;
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint32_t offset = 0, length = kEmpty, hash = 0, answer = 0;
  };
  static uint64_t Hash(std::string_view text) { return HashBytes(text); }

  std::vector<Slot> slots_;
  std::string arena_;
  std::vector<Answer> answers_;
};

}  // namespace sluice

#endif  // SLUICE_COERCE_TEXT_MEMO_H_
