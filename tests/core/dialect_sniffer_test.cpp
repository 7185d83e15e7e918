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

// Delimiters that split the rows alike: the one whose cells hold no other
// candidate delimiter wins (a comma in a number with a decimal comma is not
// one), else the first of comma, semicolon, tab, pipe; inside quotes too.
TEST(DialectSnifferTest, CellsHoldingAnotherDelimiterBreakTies) {
  EXPECT_EQ(SniffDialect("1,5;x\n2,5;y\n-3.000,25;z\n", std::nullopt).delimiter, ';');
  EXPECT_EQ(SniffDialect("a,b;x\nc,d;y\n", std::nullopt).delimiter, ',');
  // (A quote after the cell's start is a character: both split alike, each has one unclean cell.)
  EXPECT_EQ(SniffDialect("a|\"b;c\"\nd|\"e;f\"\n", std::nullopt).delimiter, ';');
  EXPECT_EQ(SniffDialect("a|\"b;c\"|1\nd|\"e;f\"|2\n", std::nullopt).delimiter, '|');
  EXPECT_EQ(SniffDialect("\"a|b\";c\n\"d|e\";f\n", std::nullopt).delimiter, ';');
  EXPECT_EQ(SniffDialect("a\t\"b|c\"\nd\t\"e|f\"\n", std::nullopt).delimiter, '\t');
  // Doubled quotes inside a quoted cell keep it open.
  DialectReport doubled = SniffDialect("\"x \"\"q\"\"; y\",2\n\"z\",3\n", std::nullopt);
  EXPECT_EQ(doubled.delimiter, ',');
  EXPECT_EQ(doubled.evidence.rfind("comma splits 2 of 2 sampled rows into 2 columns", 0), 0u) << doubled.evidence;
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
