// JsonWriter: nesting, escaping, invalid UTF-8 and numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <limits>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/json_writer.h"

namespace sluice {
namespace {

TEST(JsonWriterTest, NestsArraysAndObjects) {
  JsonWriter out;
  out.BeginObject();
  out.Key("a");
  out.BeginArray();
  out.Int(1);
  out.String("x");
  out.BeginObject();
  out.EndObject();
  out.Null();
  out.Bool(true);
  out.EndArray();
  out.Key("b");
  out.Raw("{\"c\":false}");
  out.EndObject();
  EXPECT_EQ(out.str(), R"({"a":[1,"x",{},null,true],"b":{"c":false}})");
}

TEST(JsonWriterTest, EscapesWhatJsonRequires) {
  std::string out;
  JsonWriter::AppendQuoted(out, std::string("q\"b\\n\nr\rt\tb\bf\f\x01\x1f", 17));
  EXPECT_EQ(out, R"("q\"b\\n\nr\rt\tb\bf\f\u0001\u001f\u0000")");  // the 17th byte is NUL
}

TEST(JsonWriterTest, KeepsValidUtf8) {
  std::string out;
  JsonWriter::AppendQuoted(out, "caf\xC3\xA9 \xE6\x9D\xB1 \xF0\x9F\x98\x80");
  EXPECT_EQ(out, "\"caf\xC3\xA9 \xE6\x9D\xB1 \xF0\x9F\x98\x80\"");
}

TEST(JsonWriterTest, ReplacesInvalidUtf8) {
  const char* cases[] = {
      "\xFF",              // never valid
      "\xC3",              // truncated
      "\xC0\xAF",          // overlong '/'
      "\xED\xA0\x80",      // UTF-16 surrogate
      "\xF4\x90\x80\x80",  // beyond U+10FFFF
      "\xE6\x9D",          // truncated 3-byte
  };
  for (const char* input : cases) {
    std::string out;
    JsonWriter::AppendQuoted(out, input);
    nlohmann::json parsed = nlohmann::json::parse(out, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << out;
    EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos) << out;
  }
}

TEST(JsonWriterTest, WritesShortestRoundTrippingDoubles) {
  auto text = [](double v) {
    JsonWriter out;
    out.Double(v);
    return out.Take();
  };
  EXPECT_EQ(text(0.1), "0.1");
  EXPECT_EQ(text(1234.5), "1234.5");
  EXPECT_EQ(text(-3456.78), "-3456.78");
  EXPECT_EQ(std::strtod(text(0.1 + 0.2).c_str(), nullptr), 0.1 + 0.2);
  EXPECT_EQ(text(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(text(std::numeric_limits<double>::infinity()), "null");
}

// Strings are scanned sixteen or eight bytes at a time: every special byte, at any
// position of any word, must still be escaped as the byte-by-byte rules say.
TEST(JsonWriterTest, EscapesAtEveryPositionOfLongStrings) {
  auto reference = [](const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
            out += buffer;
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
    }
    return out + "\"";
  };
  const std::string pieces[] = {"a", "b", "Z", "0", " ", "\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xe2\x82\xac",
                                "\xf0\x9f\x98\x80", "/"};
  uint64_t seed = 3;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    size_t length = (seed >> 33) % 40;
    for (size_t k = 0; k < length; ++k) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      // Mostly plain letters, so long runs take the eight-byte path.
      text += (seed >> 60) < 12 ? pieces[(seed >> 40) % 4] : pieces[(seed >> 40) % 15];
    }
    JsonWriter out;
    out.String(text);
    ASSERT_EQ(out.str(), reference(text)) << text;
  }
}

// WriteQuoted stores whole words where QuotedBound leaves room: into a buffer
// of exactly that size (ASan builds catch a byte past it) it writes what
// AppendQuoted appends, for every length around the word sizes, plain or not,
// and fills the bound for the worst case (control bytes).
TEST(JsonWriterTest, WritesQuotedWithinItsBound) {
  const std::string pieces[] = {"a", "Z", "7", "\"", "\\", "\x01", "\x7f", "\xc3\xa9", "\xff", "\xe2\x82"};
  uint64_t seed = 11;
  auto next = [&seed]() { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const size_t length = (next() >> 33) % 40;
    const bool plain = i % 2 == 0;
    while (text.size() < length) text += plain ? pieces[(next() >> 40) % 3] : pieces[(next() >> 40) % 10];
    std::string expected;
    JsonWriter::AppendQuoted(expected, text);
    std::vector<char> exact(JsonWriter::QuotedBound(text.size()));
    char* end = JsonWriter::WriteQuoted(exact.data(), text);
    ASSERT_LE(end, exact.data() + exact.size());
    ASSERT_EQ(std::string(exact.data(), end), expected) << text;
  }
  for (size_t n = 0; n < 20; ++n) {
    const std::string controls(n, '\x01');
    std::vector<char> exact(JsonWriter::QuotedBound(n));
    EXPECT_EQ(JsonWriter::WriteQuoted(exact.data(), controls), exact.data() + exact.size());
  }
}

// Short decimals skip printf; they must print as the printf loop prints them
// (%.15g, then 16 and 17 digits until the text reads back) and read back.
TEST(JsonWriterTest, ShortDecimalsPrintAsPrintfDoes) {
  auto by_printf = [](double v) {
    char buffer[32];
    int length = 0;
    for (int precision = 15; precision <= 17; ++precision) {
      length = std::snprintf(buffer, sizeof buffer, "%.*g", precision, v);
      if (std::strtod(buffer, nullptr) == v) break;
    }
    return std::string(buffer, static_cast<size_t>(length));
  };
  uint64_t seed = 42;
  auto next = [&seed]() { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; };
  int checked = 0;
  for (int i = 0; i < 200000; ++i) {
    // A decimal with 1-15 digits and 1-8 of them after the point, either sign; and some doubles of any bits.
    int digits = 1 + static_cast<int>(next() % 15);
    int places = 1 + static_cast<int>(next() % std::min(8, digits));
    uint64_t whole = next() % static_cast<uint64_t>(std::pow(10.0, digits));
    double v = static_cast<double>(whole) / std::pow(10.0, places) * (next() % 2 ? -1 : 1);
    if (i % 10 == 0) {
      uint64_t bits = next();
      std::memcpy(&v, &bits, sizeof v);
      if (!std::isfinite(v)) continue;
    }
    if (v == std::floor(v)) continue;  // whole numbers take the integer path
    JsonWriter out;
    out.Double(v);
    ASSERT_EQ(out.str(), by_printf(v)) << "bits of " << v;
    ASSERT_EQ(std::strtod(out.str().c_str(), nullptr), v);
    ++checked;
  }
  EXPECT_GT(checked, 150000);
}

TEST(JsonWriterTest, WritesIntegerExtremes) {
  JsonWriter out;
  out.BeginArray();
  out.Int(std::numeric_limits<int64_t>::min());
  out.Int(std::numeric_limits<int64_t>::max());
  out.EndArray();
  EXPECT_EQ(out.str(), "[-9223372036854775808,9223372036854775807]");
}

}  // namespace
}  // namespace sluice
