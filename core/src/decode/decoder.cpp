// DecodeText: BOM and UTF-16 detection, then one pass that keeps valid UTF-8,
// reads every other high byte as Windows-1252, drops NUL bytes and replaces
// lone surrogates. Valid UTF-8 without NUL bytes takes the fast path (no copy).
#include "decode/decoder.h"

#include <simdjson.h>

#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

#include "text/utf8.h"

namespace sluice {
namespace {

// Windows-1252 bytes 0x80-0x9F (WHATWG: the five undefined bytes map to the C1
// controls of the same value); 0xA0-0xFF are the same code points as Latin-1.
constexpr uint16_t kWindows1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

uint32_t Windows1252(unsigned char byte) {
  return byte >= 0x80 && byte < 0xA0 ? kWindows1252High[byte - 0x80] : byte;
}

enum class Utf16 { kNone, kLittleEndian, kBigEndian };

// UTF-16 without a BOM shows as zero bytes on one side of each code unit:
// Latin text in UTF-16LE has a zero at (nearly) every odd offset.
Utf16 GuessUtf16(std::string_view bytes) {
  size_t sample = std::min<size_t>(bytes.size() & ~size_t{1}, 4096);
  if (sample < 4) return Utf16::kNone;
  size_t even_zero = 0, odd_zero = 0;
  for (size_t i = 0; i < sample; i += 2) {
    even_zero += bytes[i] == 0;
    odd_zero += bytes[i + 1] == 0;
  }
  size_t units = sample / 2;
  if (odd_zero * 10 >= units * 7 && even_zero * 20 <= units) return Utf16::kLittleEndian;
  if (even_zero * 10 >= units * 7 && odd_zero * 20 <= units) return Utf16::kBigEndian;
  return Utf16::kNone;
}

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

void DecodeUtf16(const std::string& bytes, size_t start, bool little_endian, DecodedText* out) {
  std::string& text = out->text;
  text.reserve((bytes.size() - start) * 3 / 2);
  size_t lone_surrogates = 0, nul_units = 0;
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  auto unit_at = [&](size_t i) -> uint32_t {
    return little_endian ? (b[i] | (b[i + 1] << 8)) : ((b[i] << 8) | b[i + 1]);
  };
  size_t i = start;
  const size_t end = start + ((bytes.size() - start) & ~size_t{1});
  while (i < end) {
    uint32_t unit = unit_at(i);
    i += 2;
    if (unit == 0) {
      ++nul_units;
    } else if (unit >= 0xD800 && unit <= 0xDBFF) {
      uint32_t low = i < end ? unit_at(i) : 0;
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(text, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
      } else {
        AppendUtf8(text, kReplacementCharacter);
        ++lone_surrogates;
      }
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      AppendUtf8(text, kReplacementCharacter);
      ++lone_surrogates;
    } else {
      AppendUtf8(text, unit);
    }
  }
  if (end < bytes.size()) {
    AppendUtf8(text, kReplacementCharacter);
    out->notices.push_back({"truncated_code_unit", "the file ends in the middle of a UTF-16 code unit"});
  }
  if (lone_surrogates > 0) {
    out->notices.push_back({"invalid_surrogate", Plural(lone_surrogates, "lone UTF-16 surrogate was", "lone UTF-16 surrogates were") +
                                                     " replaced with U+FFFD"});
  }
  if (nul_units > 0) {
    out->notices.push_back({"nul_bytes_removed", Plural(nul_units, "NUL character was", "NUL characters were") + " removed"});
  }
}

// One pass over 8-bit text: valid UTF-8 kept, other high bytes as Windows-1252.
void DecodeEightBit(const std::string& bytes, size_t start, DecodedText* out) {
  std::string& text = out->text;
  text.reserve(bytes.size() - start + (bytes.size() - start) / 8);
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t valid_multibyte = 0, fallback_bytes = 0, surrogates = 0, nul_bytes = 0;
  size_t first_nul = 0;
  size_t run = start;  // start of the pending run copied as it is
  size_t i = start;
  while (i < n) {
    unsigned char c = b[i];
    if (c != 0 && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t length = Utf8SequenceLength(b + i, n - i);
      if (length > 0) {
        ++valid_multibyte;
        i += length;
        continue;
      }
    }
    text.append(bytes, run, i - run);
    if (c == 0) {
      if (nul_bytes++ == 0) first_nul = i;
      i += 1;
    } else if (c == 0xED && i + 2 < n && b[i + 1] >= 0xA0 && b[i + 1] <= 0xBF && (b[i + 2] & 0xC0) == 0x80) {
      // A UTF-16 surrogate encoded as UTF-8 (CESU-8 / WTF-8): not a character.
      AppendUtf8(text, kReplacementCharacter);
      ++surrogates;
      i += 3;
    } else {
      AppendUtf8(text, Windows1252(c));
      ++fallback_bytes;
      i += 1;
    }
    run = i;
  }
  text.append(bytes, run, n - run);

  if (fallback_bytes > 0) {
    if (valid_multibyte == 0) {
      out->encoding.name = "windows-1252";
      out->encoding.evidence = "not valid UTF-8: " + Plural(fallback_bytes, "byte", "bytes") + " read as Windows-1252";
    } else {
      out->encoding.evidence = "UTF-8, except for " + Plural(fallback_bytes, "byte", "bytes") + " read as Windows-1252";
      out->encoding.name = "utf-8+windows-1252";
      out->notices.push_back({"mixed_encoding", "the text is UTF-8 except for " +
                                                    Plural(fallback_bytes, "byte", "bytes") +
                                                    " that were read as Windows-1252"});
    }
  }
  if (surrogates > 0) {
    out->notices.push_back({"invalid_surrogate", Plural(surrogates, "encoded UTF-16 surrogate was", "encoded UTF-16 surrogates were") +
                                                     " replaced with U+FFFD"});
  }
  if (nul_bytes > 0) {
    out->notices.push_back({"nul_bytes_removed", Plural(nul_bytes, "NUL byte was", "NUL bytes were") +
                                                     " removed (the first at byte " + std::to_string(first_nul) + ")"});
  }
}

bool StartsWith(std::string_view bytes, const char* prefix, size_t length) {
  return bytes.size() >= length && std::memcmp(bytes.data(), prefix, length) == 0;
}

}  // namespace

namespace {

// What the first bytes decide: a byte order mark, or UTF-16 by its zero
// bytes (`utf16` set, the text starting at `start`); else UTF-8, with or
// without a BOM, still to be validated.
struct Sniffed {
  Utf16 utf16 = Utf16::kNone;
  size_t start = 0;
  EncodingReport report;
};

Sniffed SniffEncoding(std::string_view bytes) {
  Sniffed sniffed;
  sniffed.report.evidence = "valid UTF-8";
  if (StartsWith(bytes, "\xEF\xBB\xBF", 3)) {
    sniffed.start = 3;
    sniffed.report.bom = true;
    sniffed.report.evidence = "UTF-8 byte order mark";
  } else if (StartsWith(bytes, "\xFF\xFE", 2) || StartsWith(bytes, "\xFE\xFF", 2)) {
    bool little_endian = bytes[0] == '\xFF';
    sniffed.utf16 = little_endian ? Utf16::kLittleEndian : Utf16::kBigEndian;
    sniffed.start = 2;
    sniffed.report = {little_endian ? "utf-16le" : "utf-16be", true, "UTF-16 byte order mark"};
  } else if ((sniffed.utf16 = GuessUtf16(bytes)) != Utf16::kNone) {
    const bool little_endian = sniffed.utf16 == Utf16::kLittleEndian;
    sniffed.report.name = little_endian ? "utf-16le" : "utf-16be";
    sniffed.report.evidence = little_endian ? "no byte order mark; zero bytes at odd offsets"
                                            : "no byte order mark; zero bytes at even offsets";
  }
  return sniffed;
}

// Whether `text` holds a NUL byte: the C library's memchr, or sixteen bytes at
// a time under WebAssembly SIMD (the module's own memchr goes a word at a time).
bool HasNul(std::string_view text) {
#if defined(__wasm_simd128__)
  const char* p = text.data();
  const char* const end = p + text.size();
  const v128_t zero = wasm_i8x16_splat(0);
  for (; end - p >= 64; p += 64) {
    const v128_t any = wasm_v128_or(
        wasm_v128_or(wasm_i8x16_eq(wasm_v128_load(p), zero), wasm_i8x16_eq(wasm_v128_load(p + 16), zero)),
        wasm_v128_or(wasm_i8x16_eq(wasm_v128_load(p + 32), zero), wasm_i8x16_eq(wasm_v128_load(p + 48), zero)));
    if (wasm_v128_any_true(any)) return true;
  }
  return std::memchr(p, 0, static_cast<size_t>(end - p)) != nullptr;
#else
  return std::memchr(text.data(), 0, text.size()) != nullptr;
#endif
}

// One slice of CleanUtf8's (not inlined: see there).
__attribute__((noinline)) bool CleanUtf8Slice(std::string_view slice) {
  return simdjson::validate_utf8(slice.data(), slice.size()) && !HasNul(slice);
}

}  // namespace

// Valid UTF-8 free of NUL bytes: the text as it is. A megabyte at a time, cut
// before a byte that starts a character (valid text cut there is valid on
// both sides; a sequence broken at the cut is invalid in the slice before
// it, as in the whole): both checks on a slice while it is in the cache, and
// under WebAssembly a function called again and again, which the engine's
// optimizing tier takes over after the first slices (V8 cannot replace the
// baseline code of a call already running: one call over a 600 MB file would
// run its whole loop unoptimized).
bool CleanUtf8(std::string_view text) {
  constexpr size_t kSlice = 1 << 20;
  while (text.size() > kSlice) {
    size_t cut = kSlice;
    // At most three continuation bytes (10xxxxxx) precede the next character.
    while (cut > kSlice - 4 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    if (!CleanUtf8Slice(text.substr(0, cut))) return false;
    text.remove_prefix(cut);
  }
  return CleanUtf8Slice(text);
}

size_t CompleteUtf8(std::string_view text) {
  const size_t size = text.size();
  size_t p = size;
  // The last byte that starts a character (at most three continue one).
  while (p > 0 && size - p < 4 && (static_cast<unsigned char>(text[p - 1]) & 0xC0) == 0x80) --p;
  if (p == 0 || size - p >= 4) return size;
  const unsigned char lead = static_cast<unsigned char>(text[p - 1]);
  const size_t length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF8 ? 4 : 1;
  return p - 1 + length > size ? p - 1 : size;
}

std::optional<std::string_view> TextAsIs(std::string_view bytes, EncodingReport* encoding) {
  Sniffed sniffed = SniffEncoding(bytes);
  if (sniffed.utf16 != Utf16::kNone) return std::nullopt;
  bytes.remove_prefix(sniffed.start);
  if (!CleanUtf8(bytes)) return std::nullopt;
  *encoding = std::move(sniffed.report);
  return bytes;
}

DecodedText DecodeText(std::string bytes) {
  DecodedText out;
  Sniffed sniffed = SniffEncoding(bytes);
  out.encoding = std::move(sniffed.report);
  // 1. UTF-16, by its BOM or its zero bytes.
  if (sniffed.utf16 != Utf16::kNone) {
    DecodeUtf16(bytes, sniffed.start, sniffed.utf16 == Utf16::kLittleEndian, &out);
    return out;
  }
  // 2. The common case: valid UTF-8 free of NUL bytes, taken as it is.
  if (CleanUtf8(std::string_view(bytes).substr(sniffed.start))) {
    bytes.erase(0, sniffed.start);
    out.text = std::move(bytes);
    return out;
  }
  // 3. Otherwise (UTF-8 with invalid sequences or NUL bytes) byte by byte.
  DecodeEightBit(bytes, sniffed.start, &out);
  return out;
}

}  // namespace sluice
