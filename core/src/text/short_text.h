// Short texts (memo entries, unique keys: a few to a few dozen bytes) hashed
// and compared a word at a time: eight bytes per load, the last word
// overlapping the one before, and below eight bytes two overlapping halves.
// No byte loop and no call (memcmp and std::hash are calls, under
// WebAssembly too), for a lookup per cell.
#ifndef SLUICE_TEXT_SHORT_TEXT_H_
#define SLUICE_TEXT_SHORT_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace sluice {
namespace short_text {

inline uint64_t Word(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

//! The bytes of a text shorter than eight bytes, as one word (two texts of
//! the same length give the same word only when their bytes are the same).
inline uint64_t Short(const char* p, size_t n) {
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

}  // namespace short_text

//! Whether the `n` bytes at `a` and at `b` are the same.
inline bool SameBytes(const char* a, const char* b, size_t n) {
  using short_text::Word;
  if (n < 8) return short_text::Short(a, n) == short_text::Short(b, n);
  for (size_t i = 0; i + 8 < n; i += 8) {
    if (Word(a + i) != Word(b + i)) return false;
  }
  return Word(a + n - 8) == Word(b + n - 8);
}

//! A hash of `text`, its bits mixed down and up (a table may take its slot
//! from the low bits or the high ones). Not keyed, as std::hash (which the
//! unique index used before) is not: texts that collide can be crafted.
inline uint64_t HashBytes(std::string_view text) {
  using short_text::Word;
  constexpr uint64_t kPrime = 0x9E3779B97F4A7C15ULL;
  const char* p = text.data();
  const size_t n = text.size();
  uint64_t hash = (n + 1) * kPrime;
  if (n < 8) {
    hash = (hash ^ short_text::Short(p, n)) * kPrime;
  } else {
    for (size_t i = 0; i + 8 < n; i += 8) hash = ((hash ^ Word(p + i)) * kPrime) ^ (hash >> 29);
    hash = (hash ^ Word(p + n - 8)) * kPrime;
  }
  hash ^= hash >> 32;
  hash *= kPrime;
  return hash ^ (hash >> 29);
}

}  // namespace sluice

#endif  // SLUICE_TEXT_SHORT_TEXT_H_
