// DetectHeaderRow: confidence and evidence on tables built in place.
#include <gtest/gtest.h>

#include "header/header_detector.h"
#include "sluice/read.h"

namespace sluice {
namespace {

HeaderReport HeaderOf(const std::string& csv) {
  Result<ReadResult> read = ReadTable(csv);
  EXPECT_TRUE(read.ok());
  return DetectHeaderRow(read.value().table);
}

TEST(HeaderDetectorTest, TypedColumnsUnderTextTitlesGiveHighConfidence) {
  HeaderReport report = HeaderOf("id,email,joined\n1,a@x.io,2024-01-02\n2,b@x.io,2024-01-03\n");
  ASSERT_TRUE(report.row.has_value());
  EXPECT_EQ(*report.row, 0u);
  EXPECT_GE(report.confidence, 0.9);
  EXPECT_NE(report.evidence[0].find("3 of 3 titled columns hold numbers, dates or emails"), std::string::npos)
      << report.evidence[0];
}

TEST(HeaderDetectorTest, TitleRowsAreSkippedAndSaidSo) {
  HeaderReport report = HeaderOf("Export of 2024\n\nname,amount\nAda,12.5\nBob,3\n");
  ASSERT_TRUE(report.row.has_value());
  EXPECT_EQ(*report.row, 2u);
  bool told = false;
  for (const std::string& line : report.evidence) told |= line.find("like a title") != std::string::npos;
  EXPECT_TRUE(told);
}

TEST(HeaderDetectorTest, DataOnlyFilesHaveNoConfidentHeader) {
  HeaderReport report = HeaderOf("1,2.5,2024-01-01\n2,3.5,2024-01-02\n3,4.5,2024-01-03\n");
  EXPECT_FALSE(report.row.has_value());
  EXPECT_LT(report.confidence, kHeaderConfidenceThreshold);
}

TEST(HeaderDetectorTest, EmptyTableHasNoHeader) {
  Table table;
  table.EndRow();
  HeaderReport report = DetectHeaderRow(table);
  EXPECT_FALSE(report.row.has_value());
  EXPECT_EQ(report.confidence, 0);
}

}  // namespace
}  // namespace sluice
