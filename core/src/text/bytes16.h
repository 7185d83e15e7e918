// Bytes16: sixteen bytes compared at once where the target has 128-bit
// vectors (SSE2 natively, WebAssembly SIMD in the builds with -msimd128): a
// bit per byte equal to a given one, bit 0 the first byte. The scanners' fast
// paths (a CSV field's end, an XML start tag's end) are written on it once for
// both targets; where it is missing (SLUICE_BYTES16 undefined) they go a word
// or a byte at a time.
#ifndef SLUICE_TEXT_BYTES16_H_
#define SLUICE_TEXT_BYTES16_H_

#include <cstddef>
#include <cstdint>

// Sanitized builds (address, memory or thread) never read past a caller's
// bytes (Readable): the sanitizers would report such a read, rightly for
// the language, though the page holds it.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define SLUICE_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SLUICE_SANITIZED 1
#endif

#if defined(__SSE2__)
#include <emmintrin.h>
#define SLUICE_BYTES16 1
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define SLUICE_BYTES16 1
#endif

namespace sluice {

#if defined(SLUICE_BYTES16)
class Bytes16 {
 public:
  //! The sixteen bytes at `p` (any alignment; all sixteen must be readable).
  explicit Bytes16(const char* p)
#if defined(__SSE2__)
      : v_(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))) {
  }
#else
      : v_(wasm_v128_load(p)) {
  }
#endif

  //! Whether the sixteen bytes at `p` may be read though fewer are the
  //! caller's: they are in one 4 KB page, and memory is mapped (or, under
  //! WebAssembly, bounded) a page at a time, so a byte of `p` being
  //! readable makes all sixteen so. The bytes past the caller's are
  //! ignored. A sanitized build never reads so (its checks would report it,
  //! rightly for the language): there the callers take their other path.
  static bool Readable(const char* p) { return Readable(p, 16); }

  //! Readable, for the `bytes` (at most 4096) at `p`.
  static bool Readable(const char* p, size_t bytes) {
#if defined(SLUICE_SANITIZED)
    (void)p;
    (void)bytes;
    return false;
#else
    return (reinterpret_cast<uintptr_t>(p) & 4095) <= 4096 - bytes;
#endif
  }

  //! The sixteen bytes of two words (`low` first, as stored little-endian).
  static Bytes16 FromWords(uint64_t low, uint64_t high) {
#if defined(__SSE2__)
    return Bytes16(_mm_set_epi64x(static_cast<long long>(high), static_cast<long long>(low)));
#else
    return Bytes16(wasm_i64x2_make(static_cast<int64_t>(low), static_cast<int64_t>(high)));
#endif
  }

  //! Bit i set when byte i is `c`.
  uint32_t Equal(char c) const {
#if defined(__SSE2__)
    return static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v_, _mm_set1_epi8(c))));
#else
    return static_cast<uint32_t>(wasm_i8x16_bitmask(wasm_i8x16_eq(v_, wasm_i8x16_splat(c))));
#endif
  }

  //! Bit i set when byte i is `a` or `b`.
  uint32_t EqualEither(char a, char b) const {
#if defined(__SSE2__)
    return static_cast<uint32_t>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v_, _mm_set1_epi8(a)), _mm_cmpeq_epi8(v_, _mm_set1_epi8(b)))));
#else
    return static_cast<uint32_t>(wasm_i8x16_bitmask(
        wasm_v128_or(wasm_i8x16_eq(v_, wasm_i8x16_splat(a)), wasm_i8x16_eq(v_, wasm_i8x16_splat(b)))));
#endif
  }

  //! Bit i set when byte i, signed, is below `c` (the bytes over 0x7F are
  //! below every ASCII byte).
  uint32_t Below(char c) const {
#if defined(__SSE2__)
    return static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmplt_epi8(v_, _mm_set1_epi8(c))));
#else
    return static_cast<uint32_t>(wasm_i8x16_bitmask(wasm_i8x16_lt(v_, wasm_i8x16_splat(c))));
#endif
  }

  //! Bit i set when byte i, signed, is from `low` to `high`.
  uint32_t Within(char low, char high) const {
#if defined(__SSE2__)
    return static_cast<uint32_t>(_mm_movemask_epi8(_mm_andnot_si128(
        _mm_or_si128(_mm_cmplt_epi8(v_, _mm_set1_epi8(low)), _mm_cmpgt_epi8(v_, _mm_set1_epi8(high))),
        _mm_set1_epi8(-1))));
#else
    return static_cast<uint32_t>(wasm_i8x16_bitmask(
        wasm_v128_and(wasm_i8x16_ge(v_, wasm_i8x16_splat(low)), wasm_i8x16_le(v_, wasm_i8x16_splat(high)))));
#endif
  }

  //! Bit i set when byte i must be escaped or checked in a JSON string: a
  //! control byte (< 0x20), a quote, a backslash or a byte over 0x7F.
  uint32_t JsonSpecial() const {
    // (Signed: the bytes over 0x7F are below 0x20 too.)
#if defined(__SSE2__)
    const __m128i special = _mm_or_si128(_mm_cmplt_epi8(v_, _mm_set1_epi8(0x20)),
                                         _mm_or_si128(_mm_cmpeq_epi8(v_, _mm_set1_epi8('"')),
                                                      _mm_cmpeq_epi8(v_, _mm_set1_epi8('\\'))));
    return static_cast<uint32_t>(_mm_movemask_epi8(special));
#else
    const v128_t special = wasm_v128_or(wasm_i8x16_lt(v_, wasm_i8x16_splat(0x20)),
                                        wasm_v128_or(wasm_i8x16_eq(v_, wasm_i8x16_splat('"')),
                                                     wasm_i8x16_eq(v_, wasm_i8x16_splat('\\'))));
    return static_cast<uint32_t>(wasm_i8x16_bitmask(special));
#endif
  }
  //! Stores the sixteen bytes at `p`.
  void Store(char* p) const {
#if defined(__SSE2__)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v_);
#else
    wasm_v128_store(p, v_);
#endif
  }

 private:
#if defined(__SSE2__)
  explicit Bytes16(__m128i v) : v_(v) {}
#else
  explicit Bytes16(v128_t v) : v_(v) {}
#endif
#if defined(__SSE2__)
  __m128i v_;
#else
  v128_t v_;
#endif
};
#endif

//! Bit i of the result: the XOR of bits 0..i of `bits` (16 bits): with a bit
//! per quote character, the bytes inside quotes (the opening quote included,
//! the closing one not).
inline uint32_t PrefixXor16(uint32_t bits) {
  bits ^= bits << 1;
  bits ^= bits << 2;
  bits ^= bits << 4;
  bits ^= bits << 8;
  return bits & 0xFFFF;
}

}  // namespace sluice

#endif  // SLUICE_TEXT_BYTES16_H_
