// Numbers as text, the two ways the readers and writers need: the shortest
// text that reads back as the same double (JSON), and Excel's "General"
// display (15 significant digits), which is what a person saw in the sheet.
#ifndef SLUICE_TEXT_NUMBER_TEXT_H_
#define SLUICE_TEXT_NUMBER_TEXT_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sluice {

//! `fraction` (0..1) as a whole percent for people: 0.844 -> "84%".
std::string PercentText(double fraction);

//! The most bytes WriteInteger and WriteShortestDouble write ("-1.2345678901234567e-308").
inline constexpr size_t kNumberTextBound = 32;

//! Appends `value` in decimal.
void AppendInteger(std::string& out, int64_t value);
//! Writes `value` in decimal at `out` (room for kNumberTextBound); returns the end.
char* WriteInteger(char* out, int64_t value);

//! 10^0 .. 10^15, each exact as a double (decimals of up to 15 digits are
//! read and written through them).
inline constexpr double kPowersOfTen[16] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

//! A short plain decimal read a word at a time, with no loop and no branch
//! per byte: `n` (1 to 8) bytes at `p` that are digits, or digits, a point
//! and digits. True with the digits as one integer (the point dropped) and
//! how many follow the point; false for anything else (no sign, no other
//! byte: the caller reads it the long way). Reads only the `n` bytes.
inline bool ReadShortDecimal(const char* p, size_t n, uint64_t* digits, size_t* fraction) {
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
  return false;  // (the words below are read little-endian, as every target is)
#endif
  if (n - 1 >= 8) return false;
  auto byte = [p](size_t i) { return uint64_t{static_cast<unsigned char>(p[i])}; };
  uint64_t w;  // the bytes, the first lowest; zeros above the n-th
  if (n >= 4) {
    uint32_t low, high;  // (overlapping when n < 8: the same bytes twice, so OR is exact)
    std::memcpy(&low, p, 4);
    std::memcpy(&high, p + n - 4, 4);
    w = uint64_t{low} | uint64_t{high} << (8 * (n - 4));
  } else {
    w = byte(0) | byte(n >> 1) << (8 * (n >> 1)) | byte(n - 1) << (8 * (n - 1));
  }
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  const uint64_t used = n == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1;
  // A byte that is no digit: its high half is not 3, or its low half is over
  // 9 (adding 6 carries into the high half). (A byte from 0xFA carries into
  // the next one too: it is no digit itself, so the text is not plain anyway.)
  const uint64_t off = ((w & 0xF0 * kOnes) ^ 0x30 * kOnes) | (((w + 0x06 * kOnes) & 0xF0 * kOnes) ^ 0x30 * kOnes);
  const uint64_t odd = (((off & 0x7F * kOnes) + 0x7F * kOnes) | off) & used & 0x80 * kOnes;  // bit 7 of each
  size_t count = n;  // the digits
  *fraction = 0;
  if (odd != 0) {
    // One point, with digits before and after it.
    const size_t at = static_cast<size_t>(__builtin_ctzll(odd)) / 8;
    if ((odd & (odd - 1)) != 0 || at == 0 || at == n - 1 || p[at] != '.') return false;
    const uint64_t below = (uint64_t{1} << (8 * at)) - 1;
    w = (w & below) | ((w >> 8) & ~below);  // the point dropped
    count = n - 1;
    *fraction = n - 1 - at;
  }
  // The digits' values, the last one the highest byte (leading zeros below),
  // then pairs, fours and all eight at once (simdjson's eight-digit reading).
  // (Subtracting borrows in the bytes above the digits only: shifted out.)
  uint64_t v = (w - 0x30 * kOnes) << (8 * (8 - count));
  v = v * 10 + (v >> 8);
  v = (((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
       (((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >> 32;
  *digits = static_cast<uint32_t>(v);
  return true;
}

//! Appends the shortest of %.15g..%.17g that reads back as `value`; NaN and
//! infinities (not JSON) as "null".
void AppendShortestDouble(std::string& out, double value);
//! Writes what AppendShortestDouble appends at `out` (room for kNumberTextBound); returns the end.
char* WriteShortestDouble(char* out, double value);

//! Whether `text` is a number as AppendGeneralNumber writes it ("-12.5",
//! "0.0001", "123456789012345"; not "1.50", "007", "1e5", "0.00001", "-0"):
//! a reader may take such text as it is.
bool IsGeneralNumberText(std::string_view text);

//! Appends `value` as Excel shows it in General format: 15 significant digits,
//! no trailing zeros ("0.1" for 0.1000000000000000055, "3" for 2.9999999999999996).
void AppendGeneralNumber(std::string& out, double value);

}  // namespace sluice

#endif  // SLUICE_TEXT_NUMBER_TEXT_H_
