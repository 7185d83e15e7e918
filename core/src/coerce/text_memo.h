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
  // Short texts (a few to a few dozen bytes) read a word at a time, the last
  // word overlapping the one before; shorter than a word: two overlapping
  // halves (no call, no byte loop: a lookup per cell).
  static uint64_t Word(const char* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  static uint64_t Short(const char* p, size_t n) {  // n < 8
    if (n >= 4) {
      uint32_t low, high;
      std::memcpy(&low, p, 4);
      std::memcpy(&high, p + n - 4, 4);
      return low | uint64_t{high} << 32;
    }
    if (n == 0) return 0;
    return static_cast<unsigned char>(p[0]) | static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
           static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
  }
  static bool SameBytes(const char* a, const char* b, size_t n) {
    if (n < 8) return Short(a, n) == Short(b, n);  // (same n: the same bytes read)
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (Word(a + i) != Word(b + i)) return false;
    }
    return Word(a + n - 8) == Word(b + n - 8);
  }
  static uint64_t Hash(std::string_view text) {
    constexpr uint64_t kPrime = 0x9E3779B97F4A7C15ULL;
    const char* p = text.data();
    const size_t n = text.size();
    uint64_t hash = (n + 1) * kPrime;
    if (n < 8) {
      hash = (hash ^ Short(p, n)) * kPrime;
    } else {
      for (size_t i = 0; i + 8 < n; i += 8) hash = ((hash ^ Word(p + i)) * kPrime) ^ (hash >> 29);
      hash = (hash ^ Word(p + n - 8)) * kPrime;
    }
    hash ^= hash >> 32;  // (the slot is taken from the low bits: the high ones folded in)
    hash *= kPrime;
    return hash ^ (hash >> 29);
  }

  std::vector<Slot> slots_;
  std::string arena_;
  std::vector<Answer> answers_;
};

}  // namespace sluice

#endif  // SLUICE_COERCE_TEXT_MEMO_H_
