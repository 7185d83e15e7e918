// ZipArchive: the entries of a zip file (central directory, ZIP64 included)
// and their bytes (stored or deflated, through zlib), checked against the
// limits that stop zip bombs: a budget of total uncompressed bytes, a maximum
// compression ratio, and the CRC of every entry. Knows nothing of XLSX.
#ifndef SLUICE_READ_ZIP_ARCHIVE_H_
#define SLUICE_READ_ZIP_ARCHIVE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/error.h"
#include "sluice/read.h"

namespace sluice {

struct ZipEntry {
  std::string name;
  uint16_t flags = 0;
  uint16_t method = 0;
  uint32_t crc32 = 0;
  uint64_t compressed_size = 0;
  uint64_t uncompressed_size = 0;  //!< as declared; never trusted for allocation
  uint64_t local_header_offset = 0;
};

class ZipArchive {
 public:
  //! Reads the central directory of `bytes` (which must outlive the archive).
  //! Errors: `zip_corrupt`, `zip_unsupported` (multi-disk archives).
  static Result<ZipArchive> Open(std::string_view bytes, const ReadLimits& limits);

  const std::vector<ZipEntry>& entries() const { return entries_; }
  //! The entry named `name` (ASCII case-insensitive; "/" and "\" equal), or nullptr.
  const ZipEntry* Find(std::string_view name) const;

  //! The entry's bytes. `max_bytes` > 0 stops early after that many bytes
  //! (a prefix, without the CRC check). Errors: `zip_corrupt` (bad data or
  //! CRC), `zip_unsupported` (encryption, methods other than stored and
  //! deflate), `zip_bomb` (ratio), `zip_too_large` (total budget).
  Result<std::string> Extract(const ZipEntry& entry, uint64_t max_bytes = 0);

 private:
  ZipArchive(std::string_view bytes, const ReadLimits& limits) : bytes_(bytes), limits_(limits) {}

  std::string_view bytes_;
  ReadLimits limits_;
  uint64_t extracted_ = 0;  // uncompressed bytes handed out so far
  std::vector<ZipEntry> entries_;
};

}  // namespace sluice

#endif  // SLUICE_READ_ZIP_ARCHIVE_H_
