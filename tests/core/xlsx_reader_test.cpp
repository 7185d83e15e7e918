// ExcelSerialToIso: both date systems, the Lotus leap day, rounding and range.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "read/xlsx_reader.h"
#include "text/number_text.h"

namespace sluice {
namespace {

std::string Iso(double serial, bool date1904, SerialKind kind) {
  std::string out;
  return ExcelSerialToIso(serial, date1904, kind, &out) ? out : "(out of range)";
}

// A number cell's text that IsGeneralNumberText accepts is taken as it is:
// it must be exactly what General format (%.15g of the number) shows.
TEST(GeneralNumberTextTest, AcceptedTextIsWhatGeneralFormatShows) {
  auto general = [](const std::string& text) {
    std::string out;
    AppendGeneralNumber(out, std::strtod(text.c_str(), nullptr));
    return out;
  };
  for (const char* yes : {"0", "7", "-7", "12.5", "-0.5", "0.0001", "0.000123456789012345", "123456789012345",
                          "99999999999999.9", "1234567890.12345"}) {
    EXPECT_TRUE(IsGeneralNumberText(yes)) << yes;
    EXPECT_EQ(general(yes), yes);
  }
  for (const char* no : {"", "-", "-0", "+5", "05", "1.50", "1.", ".5", "1e5", "0.00001", "1234567890123456",
                         "12345678901234.56", "1,5", " 5", "5 ", "0x10", "inf", "nan", "--1"}) {
    EXPECT_FALSE(IsGeneralNumberText(no)) << no;
  }
  // Random decimals of up to 17 digits, at many scales: accepted ones equal
  // their General text; %.15g's own texts in that range are all accepted.
  uint64_t seed = 7;
  auto next = [&seed]() { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; };
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    int digits = 1 + static_cast<int>(next() % 17);
    int places = static_cast<int>(next() % (digits + 4));
    std::string text = std::to_string(next() % static_cast<uint64_t>(std::pow(10.0, digits)));
    if (places > 0) {
      if (static_cast<int>(text.size()) <= places) text.insert(0, static_cast<size_t>(places) - text.size() + 1, '0');
      text.insert(text.size() - static_cast<size_t>(places), ".");
    }
    if (next() % 2) text.insert(0, "-");
    if (IsGeneralNumberText(text)) {
      ASSERT_EQ(general(text), text);
      ++accepted;
    }
    char printed[40];
    double value = std::strtod(text.c_str(), nullptr);
    std::snprintf(printed, sizeof printed, "%.15g", value);
    double magnitude = std::fabs(value);
    if (magnitude >= 1e-4 && magnitude < 1e15 && std::string(printed).find('e') == std::string::npos) {
      ASSERT_TRUE(IsGeneralNumberText(printed)) << printed;
    }
  }
  EXPECT_GT(accepted, 50000);
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
