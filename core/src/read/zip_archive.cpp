// Central directory parsing with every offset bounds-checked, and inflate with
// a running count of output bytes (declared sizes are never trusted).
#include "read/zip_archive.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "read/crc32.h"

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

struct ZipReader::Inflater {
  z_stream stream;
};

ZipReader::ZipReader(ZipArchive* archive, const ZipEntry* entry, std::string_view input, bool verify_crc)
    : archive_(archive), entry_(entry), input_(input), verify_crc_(verify_crc) {
  const ReadLimits& limits = archive->limits_;
  budget_ = limits.max_uncompressed_bytes > archive->extracted_ ? limits.max_uncompressed_bytes - archive->extracted_
                                                                  : 0;
  ratio_cap_ = std::max<uint64_t>(uint64_t{limits.max_compression_ratio} * entry->compressed_size, uint64_t{1} << 20);
  crc_ = static_cast<uint32_t>(crc32(0L, Z_NULL, 0));
}

// The moved-from reader keeps no inflater: it ends nothing when destroyed.
ZipReader::ZipReader(ZipReader&&) noexcept = default;

ZipReader::~ZipReader() {
  if (inflater_) inflateEnd(&inflater_->stream);
}

Error ZipReader::LimitError(const char* code) const {
  if (std::strcmp(code, "zip_bomb") == 0) {
    return Error{code, entry_->name + " expands more than " + std::to_string(archive_->limits_.max_compression_ratio) +
                           " times: refused as a zip bomb", -1};
  }
  return Error{code, "the archive expands to more than " + std::to_string(archive_->limits_.max_uncompressed_bytes) +
                         " bytes", -1};
}

Result<size_t> ZipReader::Read(char* out, size_t capacity) {
  if (error_) return *error_;
  if (finished_ || capacity == 0) return size_t{0};
  auto fail = [&](Error error) -> Result<size_t> {
    error_ = std::make_unique<Error>(std::move(error));
    return *error_;
  };
  size_t piece = 0;
  bool ended = false;
  if (!inflater_) {  // stored
    piece = std::min<size_t>(capacity, input_.size() - fed_);
    std::memcpy(out, input_.data() + fed_, piece);
    fed_ += piece;
    ended = fed_ == input_.size();
  } else {
    z_stream& stream = inflater_->stream;
    stream.next_out = reinterpret_cast<Bytef*>(out);
    stream.avail_out = static_cast<uInt>(std::min<size_t>(capacity, 0x7FFFFFFF));
    const uInt before = stream.avail_out;
    // zlib may take input without giving output (a block header): go on
    // until something comes out, the data ends, or it stops making progress.
    while (stream.avail_out == before) {
      if (stream.avail_in == 0 && fed_ < input_.size()) {
        size_t more = std::min<size_t>(input_.size() - fed_, 0x7FFFFFFF);
        stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input_.data() + fed_));
        stream.avail_in = static_cast<uInt>(more);
        fed_ += more;
      }
      int status = inflate(&stream, Z_NO_FLUSH);
      if (status == Z_STREAM_END) {
        ended = true;
        break;
      }
      if (status != Z_OK && status != Z_BUF_ERROR) {
        return fail(Corrupt("the data of " + entry_->name + " does not inflate"));
      }
      if (status == Z_BUF_ERROR && stream.avail_in == 0 && fed_ == input_.size() && stream.avail_out == before) {
        return fail(Corrupt("the data of " + entry_->name + " ends too early"));
      }
    }
    piece = before - stream.avail_out;
  }
  produced_ += piece;
  if (produced_ > budget_) return fail(LimitError("zip_too_large"));
  if (produced_ > ratio_cap_) return fail(LimitError("zip_bomb"));
  // The CRC over the piece while it is still in the cache.
  if (verify_crc_) crc_ = Crc32(crc_, out, piece);
  if (ended) {
    finished_ = true;
    if (verify_crc_) {
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION  // fuzzing: let mutated data reach the XML
      if (crc_ != entry_->crc32) return fail(Corrupt("the CRC of " + entry_->name + " does not match its data"));
#endif
      archive_->extracted_ += produced_;
    }
  }
  return piece;
}

Result<ZipReader> ZipArchive::Reader(const ZipEntry& entry, bool verify_crc) {
  if (entry.flags & 0x1) {
    return Error{"zip_unsupported", "the archive is encrypted (" + entry.name + ")", -1};
  }
  if (entry.method != 0 && entry.method != 8) {
    return Error{"zip_unsupported", "compression method " + std::to_string(entry.method) + " of " + entry.name +
                                        " is not supported", -1};
  }
  // The local header, whose own name and extra lengths decide where data starts.
  uint64_t header = entry.local_header_offset;
  if (header > bytes_.size() || bytes_.size() - header < 30 || bytes_.compare(header, 4, "PK\x03\x04") != 0) {
    return Corrupt("bad local header for " + entry.name);
  }
  uint64_t data = header + 30 + U16(bytes_, header + 26) + U16(bytes_, header + 28);
  if (data > bytes_.size() || entry.compressed_size > bytes_.size() - data) {
    return Corrupt("the data of " + entry.name + " lies outside the file");
  }
  ZipReader reader(this, &entry, bytes_.substr(data, entry.compressed_size), verify_crc);
  if (entry.method == 8) {
    reader.inflater_ = std::make_unique<ZipReader::Inflater>();
    std::memset(&reader.inflater_->stream, 0, sizeof reader.inflater_->stream);
    if (inflateInit2(&reader.inflater_->stream, -MAX_WBITS) != Z_OK) {
      reader.inflater_.reset();
      return Corrupt("cannot start inflating " + entry.name);
    }
  }
  return reader;
}

Result<std::string> ZipArchive::Extract(const ZipEntry& entry, uint64_t max_bytes) {
  Result<ZipReader> opened = Reader(entry, max_bytes == 0);
  if (!opened.ok()) return opened.error();
  ZipReader& reader = opened.value();
  // Start from the declared size (no doubling and copying of a large sheet),
  // but never trust it further than the limits.
  const uint64_t want = max_bytes ? max_bytes : UINT64_MAX;
  std::string out;
  out.resize(std::min<uint64_t>({entry.uncompressed_size ? entry.uncompressed_size : entry.compressed_size * 4,
                                 reader.ceiling(), want}) + 1024);
  size_t produced = 0;
  while (!reader.finished() && produced < want) {
    // Past the ceiling the reader fails: the buffer needs no more than one byte over it.
    if (produced == out.size()) out.resize(std::min<uint64_t>(out.size() * 2, reader.ceiling() + 1));
    Result<size_t> piece = reader.Read(out.data() + produced, out.size() - produced);
    if (!piece.ok()) return piece.error();
    produced += piece.value();
  }
  out.resize(std::min<uint64_t>(produced, want));
  return out;
}

}  // namespace sluice
