// SniffDialect: the delimiter and quote it picks, and the evidence it gives.
#include <gtest/gtest.h>

#include "sniff/dialect_sniffer.h"

namespace sluice {
namespace {

TEST(DialectSnifferTest, EvidenceNamesTheWinnerAndItsRivals) {
  DialectReport report = SniffDialect("a;b;c\n1;2,5;3\n4;5;6\n", std::nullopt);
  EXPECT_EQ(report.delimiter, ';');
  EXPECT_EQ(report.evidence.rfind("semicolon splits 3 of 3 sampled rows into 3 columns", 0), 0u) << report.evidence;
}

TEST(DialectSnifferTest, ForcedDelimiterWins) {
  DialectReport report = SniffDialect("a;b\n1;2\n", ',');
  EXPECT_EQ(report.delimiter, ',');
  EXPECT_EQ(report.evidence, "the schema's delimiter setting (comma)");
}

TEST(DialectSnifferTest, QuotedLineBreaksDoNotSplitRecords) {
  DialectReport report = SniffDialect("a|b\n\"x\ny|z\"|w\n1|2\n", std::nullopt);
  EXPECT_EQ(report.delimiter, '|');
  EXPECT_EQ(report.line_ending, "lf");
}

TEST(DialectSnifferTest, ARecordCutByTheSampleIsIgnored) {
  // 300 KB of consistent rows: the sample ends mid-record, which must not count.
  std::string text;
  while (text.size() < 300 * 1024) text += "alpha\tbeta\tgamma\n";
  EXPECT_EQ(SniffDialect(text, std::nullopt).delimiter, '\t');
  EXPECT_TRUE(LooksDelimited(text));
}

TEST(DialectSnifferTest, ProseIsNotDelimited) {
  EXPECT_FALSE(LooksDelimited("[this is a note]\nanother line of prose\n"));
}

}  // namespace
}  // namespace sluice
