// Frame encoding: binary-safe round trips, and hostile frames rejected.
#include <gtest/gtest.h>

#include <string>

#include "sluice_edge/envelope.h"

namespace sluice::edge {
namespace {

TEST(EnvelopeTest, RoundTripsBinaryParts) {
  Frame frame;
  std::string binary("\0\xFF\r\n\"SLE1", 9);
  frame.Add("request", "{}");
  frame.Add("body", binary);
  frame.Add("empty", "");
  std::string bytes = EncodeFrame(frame);
  Result<Frame> decoded = DecodeFrame(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded.value().parts().size(), 3u);
  EXPECT_EQ(*decoded.value().Find("body"), binary);
  EXPECT_EQ(*decoded.value().Find("empty"), "");
  EXPECT_EQ(decoded.value().Find("missing"), nullptr);
}

TEST(EnvelopeTest, RejectsBadMagicAndTruncation) {
  Frame frame;
  frame.Add("body", "0123456789");
  std::string bytes = EncodeFrame(frame);
  EXPECT_EQ(DecodeFrame("").error().code, "envelope_malformed");
  EXPECT_EQ(DecodeFrame("XXXX\0\0\0\0").error().code, "envelope_malformed");
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    Result<Frame> decoded = DecodeFrame(std::string_view(bytes).substr(0, cut));
    ASSERT_FALSE(decoded.ok()) << "cut at " << cut;
    EXPECT_EQ(decoded.error().code, "envelope_malformed");
  }
  EXPECT_FALSE(DecodeFrame(bytes + "x").ok());  // trailing bytes
}

TEST(EnvelopeTest, RejectsLengthsPastTheEnd) {
  // One part whose name claims 4 GiB.
  std::string bytes("SLE1\x01\0\0\0\xFF\xFF\xFF\xFF", 12);
  EXPECT_FALSE(DecodeFrame(bytes).ok());
  // A count far larger than the parts present.
  std::string many("SLE1\xFF\xFF\xFF\x7F", 8);
  EXPECT_FALSE(DecodeFrame(many).ok());
}

}  // namespace
}  // namespace sluice::edge
