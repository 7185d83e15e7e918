// DecodeText: each encoding it recognises, and the fast path that takes valid
// UTF-8 without copying it.
#include <gtest/gtest.h>

#include <string>

#include "decode/decoder.h"

namespace sluice {
namespace {

TEST(DecoderTest, ValidUtf8IsTakenWithoutACopy) {
  std::string input(100000, 'a');
  input += "é";
  const char* before = input.data();
  DecodedText decoded = DecodeText(std::move(input));
  EXPECT_EQ(decoded.text.data(), before);
  EXPECT_EQ(decoded.encoding.name, "utf-8");
  EXPECT_TRUE(decoded.notices.empty());
}

// Valid UTF-8 is checked a megabyte at a time, cut before a character: a
// character of 2, 3 or 4 bytes across the first cut, at every offset, is still
// valid; a sequence broken there, or a NUL just past it, is not.
TEST(DecoderTest, Utf8CheckedInSlicesAcrossEveryCut) {
  constexpr size_t kSlice = 1 << 20;
  EncodingReport report;
  for (const std::string character : {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
    for (size_t at = kSlice - 6; at <= kSlice + 2; ++at) {
      std::string text(kSlice + 16, 'a');
      text.replace(at, character.size(), character);
      EXPECT_TRUE(TextAsIs(text, &report).has_value()) << character.size() << " bytes at " << at;
      std::string broken = text;
      broken[at + character.size() - 1] = 'a';  // the last continuation byte gone
      EXPECT_FALSE(TextAsIs(broken, &report).has_value()) << character.size() << " bytes at " << at << ", broken";
    }
  }
  std::string nul(kSlice * 2 + 5, 'a');
  nul[kSlice + 1] = '\0';
  EXPECT_FALSE(TextAsIs(nul, &report).has_value());
  std::string continuations(kSlice + 16, 'a');
  continuations.replace(kSlice - 3, 6, "\x80\x80\x80\x80\x80\x80");  // more than a cut can back over
  EXPECT_FALSE(TextAsIs(continuations, &report).has_value());
}

TEST(DecoderTest, Utf8BomIsStripped) {
  DecodedText decoded = DecodeText("\xEF\xBB\xBFx,y");
  EXPECT_EQ(decoded.text, "x,y");
  EXPECT_TRUE(decoded.encoding.bom);
}

TEST(DecoderTest, Utf16WithAndWithoutBom) {
  std::string le("\xFF\xFEh\0i\0", 6), be("\xFE\xFF\0h\0i", 6);
  EXPECT_EQ(DecodeText(le).text, "hi");
  EXPECT_EQ(DecodeText(be).text, "hi");
  std::string le_no_bom("a\0,\0b\0\n\0", 8);
  DecodedText decoded = DecodeText(le_no_bom);
  EXPECT_EQ(decoded.encoding.name, "utf-16le");
  EXPECT_EQ(decoded.text, "a,b\n");
}

TEST(DecoderTest, Utf16SurrogatePairsAndLoneSurrogates) {
  std::string pair("\xFF\xFE\x3D\xD8\x00\xDE", 6);  // U+1F600
  EXPECT_EQ(DecodeText(pair).text, "\xF0\x9F\x98\x80");
  std::string lone_low("\xFF\xFE\x00\xDE" "a\0", 6);
  DecodedText decoded = DecodeText(lone_low);
  EXPECT_EQ(decoded.text, "\xEF\xBF\xBD" "a");
  ASSERT_EQ(decoded.notices.size(), 1u);
  EXPECT_EQ(decoded.notices[0].code, "invalid_surrogate");
}

TEST(DecoderTest, InvalidBytesAreWindows1252) {
  DecodedText decoded = DecodeText("\x93quoted\x94 \x80 \x81");
  EXPECT_EQ(decoded.encoding.name, "windows-1252");
  EXPECT_EQ(decoded.text, "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x82\xAC \xC2\x81");
}

TEST(DecoderTest, MixedTextKeepsItsValidUtf8) {
  DecodedText decoded = DecodeText("caf\xC3\xA9 and caf\xE9");
  EXPECT_EQ(decoded.encoding.name, "utf-8+windows-1252");
  EXPECT_EQ(decoded.text, "caf\xC3\xA9 and caf\xC3\xA9");
  ASSERT_EQ(decoded.notices.size(), 1u);
  EXPECT_EQ(decoded.notices[0].code, "mixed_encoding");
}

TEST(DecoderTest, NulBytesAreRemovedAndReported) {
  DecodedText decoded = DecodeText(std::string("abc\0def\0", 8));
  EXPECT_EQ(decoded.text, "abcdef");
  ASSERT_EQ(decoded.notices.size(), 1u);
  EXPECT_EQ(decoded.notices[0].code, "nul_bytes_removed");
  EXPECT_NE(decoded.notices[0].message.find("byte 3"), std::string::npos);
}

TEST(DecoderTest, AnyByteSequenceDecodesToValidUtf8) {
  // Every byte value, in a few arrangements: the output is always valid UTF-8.
  for (int shift = 0; shift < 4; ++shift) {
    std::string input;
    for (int i = 0; i < 256 * 3; ++i) input.push_back(static_cast<char>((i * (shift * 2 + 1) + shift) & 0xFF));
    DecodedText decoded = DecodeText(input);
    for (size_t i = 0; i < decoded.text.size(); ++i) ASSERT_NE(decoded.text[i], '\0');
  }
}

}  // namespace
}  // namespace sluice
