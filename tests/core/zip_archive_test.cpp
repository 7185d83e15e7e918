// ZipArchive on archives built byte by byte: stored and deflated entries, and
// every lie a hostile archive can tell about its sizes and offsets.
#include <gtest/gtest.h>

#include <zlib.h>

#include <string>

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
                                            static_cast<uInt>(spec.content.size())));
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

}  // namespace
}  // namespace sluice
