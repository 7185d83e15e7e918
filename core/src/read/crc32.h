// Crc32: zlib's crc32() (the zip CRC, polynomial 0xEDB88320, the same
// running value), with x86-64 processors that have carry-less multiplication
// (PCLMULQDQ, checked at run time) folding 64 bytes at a step instead of
// zlib's table lookups: a sheet's CRC took 9% of reading a workbook.
#ifndef SLUICE_READ_CRC32_H_
#define SLUICE_READ_CRC32_H_

#include <cstddef>
#include <cstdint>

namespace sluice {

//! The CRC of `size` more bytes after a CRC of `crc` (0 to start), as
//! zlib's crc32(crc, data, size).
uint32_t Crc32(uint32_t crc, const char* data, size_t size);

//! True when Crc32 folds with PCLMULQDQ on this machine (tests say which ran).
bool Crc32Folds();

}  // namespace sluice

#endif  // SLUICE_READ_CRC32_H_
