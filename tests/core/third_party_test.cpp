// The pinned third-party builds work as the core will use them: RE2 with its
// generated Unicode tables and without backtracking, zlib inflate, simdjson
// without exceptions. A broken fetch or build flag fails here, not deep in a
// reader.
#include <gtest/gtest.h>

#include <re2/re2.h>
#include <simdjson.h>
#include <zlib.h>

#include <string>

#include "sluice/version.h"

namespace {

TEST(ThirdPartyTest, Re2HasItsUnicodeTables) {
  RE2 letters("^\\p{L}+$");
  ASSERT_TRUE(letters.ok()) << letters.error();
  EXPECT_TRUE(RE2::FullMatch("Zürich東京", letters));
  EXPECT_FALSE(RE2::FullMatch("Zürich 1", letters));
  RE2::Options options;
  options.set_case_sensitive(false);
  RE2 folded("straße", options);
  EXPECT_TRUE(RE2::FullMatch("STRAßE", folded));  // case folding table
}

TEST(ThirdPartyTest, Re2RefusesBackreferencesAndRunsInLinearTime) {
  RE2::Options quiet;
  quiet.set_log_errors(false);
  RE2 backreference("(a)\\1", quiet);
  EXPECT_FALSE(backreference.ok());
  // Catastrophic for a backtracking engine; linear for RE2.
  RE2 nested("^(a+)+$", quiet);
  ASSERT_TRUE(nested.ok());
  EXPECT_FALSE(RE2::FullMatch(std::string(100000, 'a') + "!", nested));
}

TEST(ThirdPartyTest, ZlibDeflatesAndInflates) {
  std::string input;
  for (int i = 0; i < 1000; ++i) input += "row " + std::to_string(i) + ",value\n";
  uLongf packed_size = compressBound(input.size());
  std::string packed(packed_size, '\0');
  ASSERT_EQ(compress(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
                     reinterpret_cast<const Bytef*>(input.data()), input.size()),
            Z_OK);
  EXPECT_LT(packed_size, input.size() / 4);
  std::string unpacked(input.size(), '\0');
  uLongf unpacked_size = unpacked.size();
  ASSERT_EQ(uncompress(reinterpret_cast<Bytef*>(unpacked.data()), &unpacked_size,
                       reinterpret_cast<const Bytef*>(packed.data()), packed_size),
            Z_OK);
  EXPECT_EQ(unpacked, input);
}

TEST(ThirdPartyTest, SimdjsonParsesWithoutExceptions) {
  simdjson::dom::parser parser;
  simdjson::padded_string json(std::string(R"([{"a": 1, "b": "x"}, [true, null]])"));
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  simdjson::dom::array array;
  ASSERT_EQ(root.get(array), simdjson::SUCCESS);
  EXPECT_EQ(array.size(), 2u);
  simdjson::padded_string broken(std::string("[1, 2"));
  EXPECT_NE(parser.parse(broken).error(), simdjson::SUCCESS);
}

TEST(ThirdPartyTest, VersionsNameEveryPinnedSource) {
  std::string versions = sluice::VersionsJson();
  for (const char* name : {"\"sluice\"", "\"zlib\":\"1.2.13\"", "\"re2\":\"20220601+dfsg-1\"",
                           "\"simdjson\":\"3.0.1-1\"", "\"nlohmann_json\":\"3.11.2-2\""}) {
    EXPECT_NE(versions.find(name), std::string::npos) << name << " in " << versions;
  }
}

}  // namespace
