// Central directory parsing with every offset bounds-checked, and inflate with
// a running count of output bytes (declared sizes are never trusted).
#include "read/zip_archive.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace sluice {
namespace {

uint16_t U16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8);
}
uint32_t U32(std::string_view b, size_t at) { return U16(b, at) | static_cast<uint32_t>(U16(b, at + 2)) << 16; }
uint64_t U64(std::string_view b, size_t at) { return U32(b, at) | static_cast<uint64_t>(U32(b, at + 4)) << 32; }

Error Corrupt(const std::string& why) { return Error{"zip_corrupt", "the zip archive is damaged: " + why, -1}; }

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x == '\\') x = '/';
    if (y == '\\') y = '/';
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

}  // namespace

Result<ZipArchive> ZipArchive::Open(std::string_view bytes, const ReadLimits& limits) {
  // 1. The end-of-central-directory record, searched backwards past a comment.
  constexpr size_t kEocdSize = 22;
  if (bytes.size() < kEocdSize) return Corrupt("too short to be a zip archive");
  size_t lowest = bytes.size() > kEocdSize + 0xFFFF ? bytes.size() - kEocdSize - 0xFFFF : 0;
  size_t eocd = std::string_view::npos;
  for (size_t at = bytes.size() - kEocdSize + 1; at-- > lowest;) {
    if (bytes.compare(at, 4, "PK\x05\x06") == 0) {
      eocd = at;
      break;
    }
  }
  if (eocd == std::string_view::npos) return Corrupt("no end of central directory (a truncated download?)");
  if (U16(bytes, eocd + 4) != 0 || U16(bytes, eocd + 6) != 0) {
    return Error{"zip_unsupported", "multi-disk (split) zip archives are not supported", -1};
  }
  uint64_t count = U16(bytes, eocd + 10);
  uint64_t directory_size = U32(bytes, eocd + 12);
  uint64_t directory_offset = U32(bytes, eocd + 16);

  // 2. ZIP64: the locator right before the record points at the real values.
  if ((count == 0xFFFF || directory_offset == 0xFFFFFFFF || directory_size == 0xFFFFFFFF) && eocd >= 20 &&
      bytes.compare(eocd - 20, 4, "PK\x06\x07") == 0) {
    uint64_t record = U64(bytes, eocd - 20 + 8);
    if (record > bytes.size() || bytes.size() - record < 56 || bytes.compare(record, 4, "PK\x06\x06") != 0) {
      return Corrupt("bad ZIP64 end of central directory");
    }
    count = U64(bytes, record + 32);
    directory_size = U64(bytes, record + 40);
    directory_offset = U64(bytes, record + 48);
  }
  if (directory_offset > bytes.size() || directory_size > bytes.size() - directory_offset) {
    return Corrupt("the central directory lies outside the file");
  }
  // Every entry takes at least 46 bytes: a count beyond that is a lie.
  if (count > directory_size / 46) return Corrupt("more entries declared than the directory holds");

  // 3. The entries.
  ZipArchive archive(bytes, limits);
  archive.entries_.reserve(count);
  size_t at = directory_offset;
  const size_t end = directory_offset + directory_size;
  for (uint64_t i = 0; i < count; ++i) {
    if (end - at < 46 || bytes.compare(at, 4, "PK\x01\x02") != 0) return Corrupt("bad central directory entry");
    ZipEntry entry;
    entry.flags = U16(bytes, at + 8);
    entry.method = U16(bytes, at + 10);
    entry.crc32 = U32(bytes, at + 16);
    entry.compressed_size = U32(bytes, at + 20);
    entry.uncompressed_size = U32(bytes, at + 24);
    size_t name_length = U16(bytes, at + 28), extra_length = U16(bytes, at + 30), comment_length = U16(bytes, at + 32);
    entry.local_header_offset = U32(bytes, at + 42);
    if (end - at - 46 < name_length + extra_length + comment_length) return Corrupt("bad central directory entry");
    entry.name.assign(bytes.substr(at + 46, name_length));
    // ZIP64 extra field: the 64-bit values, in order, for each field saturated above.
    size_t extra = at + 46 + name_length, extra_end = extra + extra_length;
    while (extra_end - extra >= 4) {
      uint16_t id = U16(bytes, extra), size = U16(bytes, extra + 2);
      if (extra_end - extra - 4 < size) break;
      if (id == 0x0001) {
        size_t field = extra + 4, field_end = field + size;
        auto take = [&](uint64_t* value) {
          if (*value == 0xFFFFFFFF && field_end - field >= 8) {
            *value = U64(bytes, field);
            field += 8;
          }
        };
        take(&entry.uncompressed_size);
        take(&entry.compressed_size);
        take(&entry.local_header_offset);
      }
      extra += 4 + size;
    }
    archive.entries_.push_back(std::move(entry));
    at += 46 + name_length + extra_length + comment_length;
  }
  return archive;
}

const ZipEntry* ZipArchive::Find(std::string_view name) const {
  for (const ZipEntry& entry : entries_) {
    if (SameName(entry.name, name)) return &entry;
  }
  return nullptr;
}

Result<std::string> ZipArchive::Extract(const ZipEntry& entry, uint64_t max_bytes) {
  if (entry.flags & 0x1) {
    return Error{"zip_unsupported", "the archive is encrypted (" + entry.name + ")", -1};
  }
  if (entry.method != 0 && entry.method != 8) {
    return Error{"zip_unsupported", "compression method " + std::to_string(entry.method) + " of " + entry.name +
                                        " is not supported", -1};
  }
  // 1. The local header, whose own name and extra lengths decide where data starts.
  uint64_t header = entry.local_header_offset;
  if (header > bytes_.size() || bytes_.size() - header < 30 || bytes_.compare(header, 4, "PK\x03\x04") != 0) {
    return Corrupt("bad local header for " + entry.name);
  }
  uint64_t data = header + 30 + U16(bytes_, header + 26) + U16(bytes_, header + 28);
  if (data > bytes_.size() || entry.compressed_size > bytes_.size() - data) {
    return Corrupt("the data of " + entry.name + " lies outside the file");
  }
  std::string_view input = bytes_.substr(data, entry.compressed_size);

  // 2. Inflate (or copy) with the limits checked as the output grows.
  const uint64_t budget = limits_.max_uncompressed_bytes > extracted_ ? limits_.max_uncompressed_bytes - extracted_ : 0;
  const uint64_t ratio_cap = std::max<uint64_t>(uint64_t{limits_.max_compression_ratio} * entry.compressed_size,
                                                uint64_t{1} << 20);
  auto check = [&](uint64_t produced) -> const char* {
    if (produced > budget) return "zip_too_large";
    if (produced > ratio_cap) return "zip_bomb";
    return nullptr;
  };
  auto limit_error = [&](const char* code) {
    if (std::strcmp(code, "zip_bomb") == 0) {
      return Error{code, entry.name + " expands more than " + std::to_string(limits_.max_compression_ratio) +
                             " times: refused as a zip bomb", -1};
    }
    return Error{code, "the archive expands to more than " + std::to_string(limits_.max_uncompressed_bytes) +
                           " bytes", -1};
  };

  std::string out;
  uLong stored_crc = 0;  // deflated entries: the CRC computed while inflating
  if (entry.method == 0) {
    uint64_t size = max_bytes ? std::min<uint64_t>(max_bytes, input.size()) : input.size();
    if (const char* code = check(size)) return limit_error(code);
    out.assign(input.substr(0, size));
  } else {
    z_stream stream;
    std::memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return Corrupt("cannot start inflating " + entry.name);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream.avail_in = static_cast<uInt>(std::min<uint64_t>(input.size(), 0x7FFFFFFF));
    size_t fed = stream.avail_in;
    // Start from the declared size (no doubling and copying of a large
    // sheet), but never trust it further than the limits.
    out.resize(std::min<uint64_t>({entry.uncompressed_size ? entry.uncompressed_size : input.size() * 4,
                                   budget, ratio_cap, max_bytes ? max_bytes : UINT64_MAX}) + 1024);
    size_t produced = 0;
    uLong crc = crc32(0L, Z_NULL, 0);  // over each piece as it is inflated, while it is in the cache
    int status = Z_OK;
    for (;;) {
      if (produced == out.size()) {
        if (const char* code = check(produced + 1)) {
          inflateEnd(&stream);
          return limit_error(code);
        }
        out.resize(out.size() * 2);
      }
      stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
      stream.avail_out = static_cast<uInt>(std::min<size_t>(out.size() - produced, 0x7FFFFFFF));
      size_t before = stream.avail_out;
      if (stream.avail_in == 0 && fed < input.size()) {
        size_t more = std::min<size_t>(input.size() - fed, 0x7FFFFFFF);
        stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data() + fed));
        stream.avail_in = static_cast<uInt>(more);
        fed += more;
      }
      status = inflate(&stream, Z_NO_FLUSH);
      const size_t piece = before - stream.avail_out;
      if (max_bytes == 0) crc = crc32(crc, reinterpret_cast<const Bytef*>(out.data() + produced), static_cast<uInt>(piece));
      produced += piece;
      if (const char* code = check(produced)) {
        inflateEnd(&stream);
        return limit_error(code);
      }
      if (max_bytes && produced >= max_bytes) {
        produced = max_bytes;
        break;
      }
      if (status == Z_STREAM_END) break;
      if (status != Z_OK && status != Z_BUF_ERROR) {
        inflateEnd(&stream);
        return Corrupt("the data of " + entry.name + " does not inflate");
      }
      if (status == Z_BUF_ERROR && stream.avail_in == 0 && fed == input.size() && stream.avail_out > 0) {
        inflateEnd(&stream);
        return Corrupt("the data of " + entry.name + " ends too early");
      }
    }
    inflateEnd(&stream);
    out.resize(produced);
    if (max_bytes == 0) stored_crc = crc;
  }

  // 3. The CRC, for complete entries.
  if (max_bytes == 0) {
    uLong crc = stored_crc;
    if (entry.method == 0) {
      crc = crc32(0L, Z_NULL, 0);
      for (size_t done = 0; done < out.size();) {
        uInt chunk = static_cast<uInt>(std::min<size_t>(out.size() - done, 1u << 30));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(out.data() + done), chunk);
        done += chunk;
      }
    }
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION  // fuzzing: let mutated data reach the XML
    if (crc != entry.crc32) return Corrupt("the CRC of " + entry.name + " does not match its data");
#endif
    extracted_ += out.size();
  }
  return out;
}

}  // namespace sluice
