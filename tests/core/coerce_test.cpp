// Text helpers of the coerce stage: normalising for matching, bigram
// similarity (including non-ASCII text, once undefined behaviour found by
// fuzz_schema), and trimming Unicode spaces.
#include <gtest/gtest.h>

#include "coerce/coerce.h"

namespace sluice {
namespace {

TEST(CoerceTextTest, NormalizeForMatch) {
  EXPECT_EQ(NormalizeForMatch("  E-mail  Addr. "), "e mail addr");
  EXPECT_EQ(NormalizeForMatch("Código_Postal"), "codigo postal");
  EXPECT_EQ(NormalizeForMatch("Straße"), "strasse");
  EXPECT_EQ(NormalizeForMatch("O'Brien"), "obrien");
  EXPECT_EQ(NormalizeForMatch("東京 都"), "東京 都");
}

TEST(CoerceTextTest, BigramSimilarityOnAnyBytes) {
  EXPECT_EQ(BigramSimilarity("free", "free"), 1.0);
  EXPECT_GT(BigramSimilarity("freee", "free"), 0.8);
  EXPECT_EQ(BigramSimilarity("a", "abc"), 0.0);
  // Non-ASCII bytes (UTF-8): well defined, and equal strings are similar.
  EXPECT_GT(BigramSimilarity("東京都", "東京"), 0.5);
  EXPECT_EQ(BigramSimilarity("\xC2\xA0\xFF", "\xC2\xA0\xFF"), 1.0);
  EXPECT_LT(BigramSimilarity("\xC3\xA9t\xC3\xA9", "summer"), 0.1);
}

TEST(CoerceTextTest, TrimSpacesKnowsUnicodeSpaces) {
  EXPECT_EQ(TrimSpaces("\xC2\xA0 x \xE2\x80\xAF"), "x");
  EXPECT_EQ(TrimSpaces("\t\r\nx y\n"), "x y");
  EXPECT_EQ(TrimSpaces("   "), "");
  EXPECT_EQ(TrimSpaces("plain"), "plain");
}

}  // namespace
}  // namespace sluice
