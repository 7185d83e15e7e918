// ZipArchive on archives built byte by byte: stored and deflated entries, and
// every lie a hostile archive can tell about its sizes and offsets.
#include <gtest/gtest.h>

#include <zlib.h>

#include <optional>
#include <string>

#include "read/crc32.h"
#include "read/zip_archive.h"

namespace sluice {
namespace {

void Put16(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
}
void Put32(std::string& out, uint32_t v) {
  Put16(out, v & 0xFFFF);
  Put16(out, v >> 16);
}

struct ZipSpec {
  std::string name = "data.xml";
  std::string content = "hello hello hello hello";
  bool deflate = true;
  int64_t declared_size = -1;  // the uncompressed size written, if not the real one
  uint32_t crc_flip = 0;       // XORed into the CRC written: a damaged entry
};

std::string RawDeflate(const std::string& in) {
  z_stream s{};
  deflateInit2(&s, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(in.size()) + 64, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  s.avail_in = static_cast<uInt>(in.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  deflate(&s, Z_FINISH);
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

std::string BuildZip(const ZipSpec& spec) {
  std::string data = spec.deflate ? RawDeflate(spec.content) : spec.content;
  uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(spec.content.data()),
                                            static_cast<uInt>(spec.content.size()))) ^ spec.crc_flip;
  uint32_t size = spec.declared_size >= 0 ? static_cast<uint32_t>(spec.declared_size)
                                          : static_cast<uint32_t>(spec.content.size());
  std::string zip;
  zip += "PK\x03\x04";
  Put16(zip, 20); Put16(zip, 0); Put16(zip, spec.deflate ? 8 : 0); Put16(zip, 0); Put16(zip, 0);
  Put32(zip, crc); Put32(zip, static_cast<uint32_t>(data.size())); Put32(zip, size);
  Put16(zip, static_cast<uint32_t>(spec.name.size())); Put16(zip, 0);
  zip += spec.name + data;
  size_t directory = zip.size();
  zip += "PK\x01\x02";
  Put16(zip, 20); Put16(zip, 20); Put16(zip, 0); Put16(zip, spec.deflate ? 8 : 0); Put16(zip, 0); Put16(zip, 0);
  Put32(zip, crc); Put32(zip, static_cast<uint32_t>(data.size())); Put32(zip, size);
  Put16(zip, static_cast<uint32_t>(spec.name.size())); Put16(zip, 0); Put16(zip, 0); Put16(zip, 0); Put16(zip, 0);
  Put32(zip, 0); Put32(zip, 0);
  zip += spec.name;
  size_t directory_size = zip.size() - directory;
  zip += "PK\x05\x06";
  Put16(zip, 0); Put16(zip, 0); Put16(zip, 1); Put16(zip, 1);
  Put32(zip, static_cast<uint32_t>(directory_size)); Put32(zip, static_cast<uint32_t>(directory));
  Put16(zip, 0);
  return zip;
}

std::string ExtractOnly(const std::string& zip, ReadLimits limits = {}, std::string* code = nullptr) {
  Result<ZipArchive> archive = ZipArchive::Open(zip, limits);
  if (!archive.ok()) {
    if (code) *code = archive.error().code;
    return "";
  }
  const ZipEntry* entry = archive.value().Find("DATA.XML");
  if (!entry) return "(no entry)";
  Result<std::string> out = archive.value().Extract(*entry);
  if (!out.ok()) {
    if (code) *code = out.error().code;
    return "";
  }
  return out.value();
}

TEST(ZipArchiveTest, ReadsStoredAndDeflatedEntries) {
  ZipSpec spec;
  EXPECT_EQ(ExtractOnly(BuildZip(spec)), spec.content);
  spec.deflate = false;
  EXPECT_EQ(ExtractOnly(BuildZip(spec)), spec.content);
}

TEST(ZipArchiveTest, DeclaredSizesAreNotTrusted) {
  ZipSpec spec;
  spec.declared_size = 0x7FFFFFFF;  // claims 2 GiB: must not allocate it
  EXPECT_EQ(ExtractOnly(BuildZip(spec)), spec.content);
}

TEST(ZipArchiveTest, RatioAndBudgetStopBombs) {
  ZipSpec spec;
  spec.content = std::string(8 << 20, '0');
  std::string code;
  ReadLimits limits;
  limits.max_compression_ratio = 100;
  EXPECT_EQ(ExtractOnly(BuildZip(spec), limits, &code), "");
  EXPECT_EQ(code, "zip_bomb");
  limits = ReadLimits{};
  limits.max_uncompressed_bytes = 1 << 20;
  EXPECT_EQ(ExtractOnly(BuildZip(spec), limits, &code), "");
  EXPECT_EQ(code, "zip_too_large");
}

TEST(ZipArchiveTest, EveryTruncationIsAnErrorNotACrash) {
  std::string zip = BuildZip(ZipSpec{});
  for (size_t cut = 0; cut < zip.size(); ++cut) {
    std::string code;
    ExtractOnly(zip.substr(0, cut), {}, &code);
    EXPECT_EQ(code.rfind("zip_", 0), 0u) << "cut at " << cut << ": " << code;
  }
}

TEST(ZipArchiveTest, EveryFlippedByteIsHandled) {
  std::string zip = BuildZip(ZipSpec{});
  for (size_t at = 0; at < zip.size(); ++at) {
    std::string damaged = zip;
    damaged[at] = static_cast<char>(damaged[at] ^ 0xFF);
    std::string code;
    ExtractOnly(damaged, {}, &code);  // any answer but a crash
  }
}

// How ReadInPieces reads the entry: from its ZipReader, or through a
// ReadAhead on the caller's thread or on a worker thread.
enum class Through { kReader, kReadAhead, kReadAheadThread };
const Through kEveryWay[] = {Through::kReader, Through::kReadAhead, Through::kReadAheadThread};
std::string Name(Through way) {
  return way == Through::kReader ? "reader" : way == Through::kReadAhead ? "read ahead" : "read ahead on a thread";
}

// The entry through ZipReader, `capacity` bytes a call; the error's code, if any.
std::string ReadInPieces(const std::string& zip, size_t capacity, ReadLimits limits = {}, std::string* code = nullptr,
                         size_t* calls = nullptr, Through way = Through::kReader) {
  Result<ZipArchive> archive = ZipArchive::Open(zip, limits);
  if (!archive.ok()) return "(not opened)";
  Result<ZipReader> reader = archive.value().Reader(*archive.value().Find("data.xml"));
  if (!reader.ok()) return "(no reader)";
  std::optional<ReadAhead> ahead;
  if (way != Through::kReader) ahead.emplace(&reader.value(), way == Through::kReadAheadThread);
  EXPECT_EQ(ahead && ahead->threaded(), way == Through::kReadAheadThread);
  PieceSource& source = reader.value();
  auto read_piece = [&](char* out, size_t n) { return ahead ? ahead->Read(out, n) : source.Read(out, n); };
  auto finished = [&] { return ahead ? ahead->finished() : source.finished(); };
  std::string out, piece(capacity, '\0');
  while (!finished()) {
    Result<size_t> read = read_piece(piece.data(), piece.size());
    if (calls) ++*calls;
    if (!read.ok()) {
      if (code) *code = read.error().code;
      // The error stays: a second call repeats it rather than reading on.
      Result<size_t> again = read_piece(piece.data(), piece.size());
      EXPECT_FALSE(again.ok());
      return out;
    }
    EXPECT_TRUE(read.value() > 0 || finished());
    out.append(piece, 0, read.value());
  }
  return out;
}

// (Through a ReadAhead on a thread, a call ends where a worker's piece does.)
TEST(ZipArchiveTest, ReaderGivesTheEntryInPiecesOfAnySize) {
  ZipSpec spec;
  for (int i = 0; i < 20000; ++i) spec.content += "<row r=\"" + std::to_string(i) + "\"><c><v>" + std::to_string(i * 7) + "</v></c></row>";
  for (bool deflate : {true, false}) {
    spec.deflate = deflate;
    const std::string zip = BuildZip(spec);
    for (Through way : kEveryWay) {
      for (size_t capacity : {1, 7, 4096, 65536, 1 << 20}) {
        size_t calls = 0;
        EXPECT_EQ(ReadInPieces(zip, capacity, {}, nullptr, &calls, way), spec.content)
            << capacity << (deflate ? " deflated, " : " stored, ") << Name(way);
        const size_t pieces = way == Through::kReadAheadThread ? spec.content.size() / ReadAhead::kPieceBytes + 1 : 0;
        EXPECT_LE(calls, spec.content.size() / capacity + pieces + 2) << "a call that read nothing, " << Name(way);
      }
    }
  }
}

TEST(ZipArchiveTest, ReaderChecksTheCrcAtTheEndAndTheLimitsAsItGoes) {
  ZipSpec spec;
  uint32_t seed = 7;  // text that compresses about as a sheet does, not a thousandfold
  while (spec.content.size() < (1u << 20)) {
    seed = seed * 1103515245u + 12345u;
    spec.content += "<c><v>" + std::to_string(seed >> 8) + "</v></c>";
  }
  spec.crc_flip = 1;
  std::string code;
  const std::string damaged = BuildZip(spec);
  for (Through way : kEveryWay) {
    SCOPED_TRACE(Name(way));
    // The bytes before the last read (a worker's piece, on a thread), then the error.
    const size_t last = way == Through::kReadAheadThread ? ReadAhead::kPieceBytes : 65536;
    code.clear();
    std::string read = ReadInPieces(damaged, 65536, {}, &code, nullptr, way);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    EXPECT_EQ(code, "zip_corrupt");
    EXPECT_EQ(read.size(), spec.content.size() - (spec.content.size() % last ? spec.content.size() % last : last));
#endif
  }
  EXPECT_EQ(ExtractOnly(damaged, {}, &code), "");  // Extract, on top of the reader, refuses it whole

  spec.crc_flip = 0;
  spec.content = std::string(3 << 20, 'x');  // a thousandfold and more
  const std::string bomb = BuildZip(spec);
  for (Through way : kEveryWay) {
    SCOPED_TRACE(Name(way));
    ReadLimits limits;
    limits.max_compression_ratio = 100;
    code.clear();
    std::string read = ReadInPieces(bomb, 65536, limits, &code, nullptr, way);
    EXPECT_EQ(code, "zip_bomb");
    EXPECT_LE(read.size(), (size_t{1} << 20) + (way == Through::kReadAheadThread ? ReadAhead::kPieceBytes : 65536))
        << "read on past the ratio's cap";
    limits = ReadLimits{};
    limits.max_uncompressed_bytes = 1 << 20;
    code.clear();
    ReadInPieces(bomb, 65536, limits, &code, nullptr, way);
    EXPECT_EQ(code, "zip_too_large");
  }
}

// The ReadAhead's worker thread (ThreadSanitizer runs this suite, `make
// test-threads`): an entry read through it whole, in error, or left early
// (a sheet's XML in error), its worker then waiting with its pieces full or
// making one, and stopped at once.
TEST(ReadAheadThreadsTest, AnEntryReadThroughAWorker) {
  ZipSpec spec;
  for (int i = 0; i < 60000; ++i) spec.content += "<c r=\"" + std::to_string(i) + "\"><v>" + std::to_string(i * 13) + "</v></c>";
  ASSERT_GT(spec.content.size(), 8 * ReadAhead::kPieceBytes);  // (more pieces than the ring holds)
  for (size_t capacity : {size_t{1000}, size_t{65536}}) {
    EXPECT_EQ(ReadInPieces(BuildZip(spec), capacity, {}, nullptr, nullptr, Through::kReadAheadThread), spec.content);
  }
  spec.crc_flip = 1;
  std::string code;
  ReadInPieces(BuildZip(spec), 65536, {}, &code, nullptr, Through::kReadAheadThread);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  EXPECT_EQ(code, "zip_corrupt");
#endif
}

TEST(ReadAheadThreadsTest, AReadAheadLeftEarlyStopsItsWorker) {
  ZipSpec spec;
  spec.content = std::string(8 << 20, 'z');
  const std::string zip = BuildZip(spec);
  Result<ZipArchive> archive = ZipArchive::Open(zip, {});
  ASSERT_TRUE(archive.ok());
  for (size_t reads : {0, 1, 3, 100}) {
    Result<ZipReader> reader = archive.value().Reader(*archive.value().Find("data.xml"));
    ASSERT_TRUE(reader.ok());
    ReadAhead ahead(&reader.value(), true);
    char piece[1000];
    for (size_t k = 0; k < reads; ++k) {
      Result<size_t> read = ahead.Read(piece, sizeof piece);
      ASSERT_TRUE(read.ok());
      EXPECT_EQ(read.value(), sizeof piece);
      EXPECT_EQ(piece[0], 'z');
    }
    EXPECT_FALSE(ahead.finished());
  }  // (each ReadAhead stopped here)
}

TEST(ZipArchiveTest, PrefixesStopEarlyWithoutTheCrc) {
  ZipSpec spec;
  spec.content = std::string(100000, 'y') + "end";
  spec.crc_flip = 1;  // a prefix never reaches the CRC
  const std::string zip = BuildZip(spec);  // the archive views it
  Result<ZipArchive> archive = ZipArchive::Open(zip, {});
  ASSERT_TRUE(archive.ok());
  Result<std::string> head = archive.value().Extract(*archive.value().Find("data.xml"), 1000);
  ASSERT_TRUE(head.ok()) << head.error().code << ": " << head.error().message;
  EXPECT_EQ(head.value(), std::string(1000, 'y'));
}

// Crc32 folds with PCLMULQDQ where it can: the same values as zlib's, for
// every length and alignment around the 16- and 64-byte steps, and chained.
TEST(Crc32Test, TheSameValuesAsZlib) {
  RecordProperty("folds", Crc32Folds() ? "yes" : "no");
  std::string data(1 << 20, '\0');
  uint32_t seed = 12345;
  for (char& c : data) {
    seed = seed * 1103515245u + 12345u;
    c = static_cast<char>(seed >> 24);
  }
  auto zlib = [](uint32_t crc, const char* p, size_t n) {
    return static_cast<uint32_t>(crc32(crc, reinterpret_cast<const Bytef*>(p), static_cast<uInt>(n)));
  };
  for (size_t offset = 0; offset < 16; ++offset) {
    for (size_t length = 0; length <= 300; ++length) {
      ASSERT_EQ(Crc32(0, data.data() + offset, length), zlib(0, data.data() + offset, length))
          << "offset " << offset << ", length " << length;
      ASSERT_EQ(Crc32(0xDEADBEEF, data.data() + offset, length), zlib(0xDEADBEEF, data.data() + offset, length));
    }
  }
  EXPECT_EQ(Crc32(0, data.data(), data.size()), zlib(0, data.data(), data.size()));
  // Pieces of odd sizes, each after the last: the CRC of the whole.
  uint32_t crc = 0;
  size_t at = 0;
  for (size_t piece = 1; at < data.size(); piece = piece * 3 + 7) {
    const size_t n = std::min(piece % 70001, data.size() - at);
    crc = Crc32(crc, data.data() + at, n);
    at += n;
  }
  EXPECT_EQ(crc, zlib(0, data.data(), data.size()));
  EXPECT_EQ(Crc32(0, "123456789", 9), 0xCBF43926u);  // the check value of CRC-32
}

}  // namespace
}  // namespace sluice
