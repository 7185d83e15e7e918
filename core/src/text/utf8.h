// UTF-8 primitives shared by the stages that produce or check text: the length
// of a valid sequence, and appending a code point. Header-only, no state.
#ifndef SLUICE_TEXT_UTF8_H_
#define SLUICE_TEXT_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace sluice {

//! A byte that is ASCII and neither a space nor a control character: a text
//! that starts (or ends) with one is not blank and has nothing to trim there.
inline bool VisibleAscii(char c) {
  const unsigned char b = static_cast<unsigned char>(c);
  return b > 0x20 && b < 0x80;
}

//! Length of the valid UTF-8 sequence at s[0] (a byte >= 0x80), or 0 when it
//! is not one (overlong, surrogate, beyond U+10FFFF, truncated).
inline size_t Utf8SequenceLength(const unsigned char* s, size_t available) {
  unsigned char c = s[0];
  size_t length;
  uint32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4, min = 0x10000;
  } else {
    return 0;
  }
  if (available < length) return 0;
  uint32_t cp = c & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[k] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

//! Appends code point `cp` (<= U+10FFFF, not a surrogate) as UTF-8.
inline void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

constexpr uint32_t kReplacementCharacter = 0xFFFD;

}  // namespace sluice

#endif  // SLUICE_TEXT_UTF8_H_
