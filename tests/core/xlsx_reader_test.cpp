// ExcelSerialToIso: both date systems, the Lotus leap day, rounding and range.
#include <gtest/gtest.h>

#include <string>

#include "read/xlsx_reader.h"

namespace sluice {
namespace {

std::string Iso(double serial, bool date1904, SerialKind kind) {
  std::string out;
  return ExcelSerialToIso(serial, date1904, kind, &out) ? out : "(out of range)";
}

TEST(ExcelSerialTest, Dates1900) {
  EXPECT_EQ(Iso(1, false, SerialKind::kDate), "1900-01-01");
  EXPECT_EQ(Iso(59, false, SerialKind::kDate), "1900-02-28");
  EXPECT_EQ(Iso(60, false, SerialKind::kDate), "1900-02-29");
  EXPECT_EQ(Iso(61, false, SerialKind::kDate), "1900-03-01");
  EXPECT_EQ(Iso(25569, false, SerialKind::kDate), "1970-01-01");
  EXPECT_EQ(Iso(45292, false, SerialKind::kDate), "2024-01-01");
  EXPECT_EQ(Iso(2958465, false, SerialKind::kDate), "9999-12-31");
}

TEST(ExcelSerialTest, Dates1904) {
  EXPECT_EQ(Iso(0, true, SerialKind::kDate), "1904-01-01");
  EXPECT_EQ(Iso(45292 - 1462, true, SerialKind::kDate), "2024-01-01");
}

TEST(ExcelSerialTest, TimesRoundToTheSecond) {
  EXPECT_EQ(Iso(45292.5, false, SerialKind::kDateTime), "2024-01-01T12:00:00");
  EXPECT_EQ(Iso(0.999999999, false, SerialKind::kTime), "00:00:00");  // rounds up to the next day
  EXPECT_EQ(Iso(45292.999999999, false, SerialKind::kDateTime), "2024-01-02T00:00:00");
  EXPECT_EQ(Iso(1.25, false, SerialKind::kDuration), "30:00:00");
}

TEST(ExcelSerialTest, OutOfRange) {
  EXPECT_EQ(Iso(-1, false, SerialKind::kDate), "(out of range)");
  EXPECT_EQ(Iso(2958466, false, SerialKind::kDate), "(out of range)");
}

}  // namespace
}  // namespace sluice
