// The folding follows Intel's "Fast CRC Computation for Generic Polynomials
// Using PCLMULQDQ Instruction" (Gopal et al., 2009) for the bit-reflected
// CRC-32: four 128-bit lanes folded over 64 bytes at a step, folded into one,
// then 128 -> 64 -> 32 bits and a Barrett reduction. The constants are
// x^k mod P(x) for the distances folded (reflected, as the lanes are).
#include "read/crc32.h"

#include <zlib.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#include <wmmintrin.h>
#define SLUICE_CRC32_FOLDS 1
#endif

namespace sluice {
namespace {

uint32_t ZlibCrc32(uint32_t crc, const char* data, size_t size) {
  uLong value = crc;
  while (size > 0) {  // zlib takes an unsigned int of bytes at a time
    const uInt piece = static_cast<uInt>(size < (1u << 30) ? size : (1u << 30));
    value = crc32(value, reinterpret_cast<const Bytef*>(data), piece);
    data += piece;
    size -= piece;
  }
  return static_cast<uint32_t>(value);
}

#if defined(SLUICE_CRC32_FOLDS)
// One lane 128 bits on (its halves times the distance's constants) plus the next block.
__attribute__((target("pclmul,sse2"))) inline __m128i FoldLane(__m128i x, __m128i k, __m128i next) {
  return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), next);
}

// The CRC register (not inverted) after `size` bytes, `size` a multiple of 16
// and at least 64.
__attribute__((target("pclmul,sse2"))) uint32_t Fold(uint32_t crc, const char* data, size_t size) {
  auto load = [](const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); };
  // x^(4*128+32), x^(4*128-32) mod P; x^(128+32), x^(128-32); x^64; P and its Barrett constant.
  const __m128i k1k2 = _mm_set_epi64x(0x1c6e41596LL, 0x154442bd4LL);
  const __m128i k3k4 = _mm_set_epi64x(0x0ccaa009eLL, 0x1751997d0LL);
  const __m128i k5 = _mm_set_epi64x(0, 0x163cd6124LL);
  const __m128i poly = _mm_set_epi64x(0x1F7011641LL, 0x1DB710641LL);
  const __m128i mask32 = _mm_set_epi32(0, 0, 0, -1);

  __m128i x1 = _mm_xor_si128(load(data), _mm_cvtsi32_si128(static_cast<int>(crc)));
  __m128i x2 = load(data + 16), x3 = load(data + 32), x4 = load(data + 48);
  data += 64;
  size -= 64;
  for (; size >= 64; data += 64, size -= 64) {
    x1 = FoldLane(x1, k1k2, load(data));
    x2 = FoldLane(x2, k1k2, load(data + 16));
    x3 = FoldLane(x3, k1k2, load(data + 32));
    x4 = FoldLane(x4, k1k2, load(data + 48));
  }
  // Four lanes into one, then the 16-byte blocks left.
  x1 = FoldLane(x1, k3k4, x2);
  x1 = FoldLane(x1, k3k4, x3);
  x1 = FoldLane(x1, k3k4, x4);
  for (; size >= 16; data += 16, size -= 16) x1 = FoldLane(x1, k3k4, load(data));
  // 128 -> 64 bits (adding 32 zero bits), 64 -> 32, then Barrett.
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(k3k4, x1, 0x01), _mm_srli_si128(x1, 8));
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, mask32), k5, 0x00), _mm_srli_si128(x1, 4));
  __m128i t = _mm_and_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, mask32), poly, 0x10), mask32);
  x1 = _mm_xor_si128(x1, _mm_clmulepi64_si128(t, poly, 0x00));
  return static_cast<uint32_t>(_mm_cvtsi128_si32(_mm_srli_si128(x1, 4)));
}

bool HasPclmul() {
  static const bool has = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse2");
  return has;
}
#endif

}  // namespace

bool Crc32Folds() {
#if defined(SLUICE_CRC32_FOLDS)
  return HasPclmul();
#else
  return false;
#endif
}

uint32_t Crc32(uint32_t crc, const char* data, size_t size) {
#if defined(SLUICE_CRC32_FOLDS)
  if (size >= 64 && HasPclmul()) {
    const size_t folded = size & ~size_t{15};
    crc = ~Fold(~crc, data, folded);
    data += folded;
    size -= folded;
  }
#endif
  return ZlibCrc32(crc, data, size);
}

}  // namespace sluice
