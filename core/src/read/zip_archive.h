// ZipArchive: the entries of a zip file (central directory, ZIP64 included)
// and their bytes (stored or deflated, through zlib), checked against the
// limits that stop zip bombs: a budget of total uncompressed bytes, a maximum
// compression ratio, and the CRC of every entry. Knows nothing of XLSX.
#ifndef SLUICE_READ_ZIP_ARCHIVE_H_
#define SLUICE_READ_ZIP_ARCHIVE_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "read/read_ahead.h"
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

class ZipArchive;

//! An entry's bytes in pieces, for parts too large to hold whole (a sheet):
//! the checks of ZipArchive::Extract, piece by piece; the CRC is checked when
//! the last piece has been read, so a caller must read to the end (finished())
//! before it trusts what it read. Keeps a pointer to its archive. A
//! ReadAhead may read it on a worker thread (the archive untouched meanwhile).
class ZipReader : public PieceSource {
 public:
  ZipReader(ZipReader&&) noexcept;
  ZipReader& operator=(ZipReader&&) = delete;
  ~ZipReader() override;

  //! Up to `capacity` (> 0) more bytes into `out`; 0 only once finished().
  //! Errors as ZipArchive::Extract's; after one, every call repeats it.
  Result<size_t> Read(char* out, size_t capacity) override;
  //! True once every byte has been read (and, for `verify_crc`, checked).
  bool finished() const override { return finished_; }
  //! The most bytes the limits allow this entry to expand to.
  uint64_t ceiling() const { return std::min(budget_, ratio_cap_); }

 private:
  friend class ZipArchive;
  struct Inflater;
  ZipReader(ZipArchive* archive, const ZipEntry* entry, std::string_view input, bool verify_crc);
  Error LimitError(const char* code) const;

  ZipArchive* archive_;
  const ZipEntry* entry_;
  std::string_view input_;     // the entry's compressed (or stored) bytes
  bool verify_crc_;
  uint64_t budget_;            // what the archive's total budget leaves
  uint64_t ratio_cap_;         // what the compression ratio allows
  uint64_t produced_ = 0;
  size_t fed_ = 0;             // input bytes given to zlib (or copied, when stored)
  uint32_t crc_ = 0;
  bool finished_ = false;
  std::unique_ptr<Inflater> inflater_;  // zlib's stream (which must not move); null when stored
  std::unique_ptr<Error> error_;        // sticky
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

  //! The entry's bytes in pieces (see ZipReader); the same errors, the limits
  //! checked as the pieces come, the CRC at the end. `verify_crc` false reads
  //! a prefix. The archive must outlive the reader and not move.
  Result<ZipReader> Reader(const ZipEntry& entry, bool verify_crc = true);

 private:
  friend class ZipReader;
  ZipArchive(std::string_view bytes, const ReadLimits& limits) : bytes_(bytes), limits_(limits) {}

  std::string_view bytes_;
  ReadLimits limits_;
  uint64_t extracted_ = 0;  // uncompressed bytes handed out so far
  std::vector<ZipEntry> entries_;
};

}  // namespace sluice

#endif  // SLUICE_READ_ZIP_ARCHIVE_H_
