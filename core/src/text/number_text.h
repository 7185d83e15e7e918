// Numbers as text, the two ways the readers and writers need: the shortest
// text that reads back as the same double (JSON), and Excel's "General"
// display (15 significant digits), which is what a person saw in the sheet.
#ifndef SLUICE_TEXT_NUMBER_TEXT_H_
#define SLUICE_TEXT_NUMBER_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

//! `fraction` (0..1) as a whole percent for people: 0.844 -> "84%".
std::string PercentText(double fraction);

//! The most bytes WriteInteger and WriteShortestDouble write ("-1.2345678901234567e-308").
inline constexpr size_t kNumberTextBound = 32;

//! Appends `value` in decimal.
void AppendInteger(std::string& out, int64_t value);
//! Writes `value` in decimal at `out` (room for kNumberTextBound); returns the end.
char* WriteInteger(char* out, int64_t value);

//! 10^0 .. 10^15, each exact as a double (decimals of up to 15 digits are
//! read and written through them).
inline constexpr double kPowersOfTen[16] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

//! Appends the shortest of %.15g..%.17g that reads back as `value`; NaN and
//! infinities (not JSON) as "null".
void AppendShortestDouble(std::string& out, double value);
//! Writes what AppendShortestDouble appends at `out` (room for kNumberTextBound); returns the end.
char* WriteShortestDouble(char* out, double value);

//! Whether `text` is a number as AppendGeneralNumber writes it ("-12.5",
//! "0.0001", "123456789012345"; not "1.50", "007", "1e5", "0.00001", "-0"):
//! a reader may take such text as it is.
bool IsGeneralNumberText(std::string_view text);

//! Appends `value` as Excel shows it in General format: 15 significant digits,
//! no trailing zeros ("0.1" for 0.1000000000000000055, "3" for 2.9999999999999996).
void AppendGeneralNumber(std::string& out, double value);

}  // namespace sluice

#endif  // SLUICE_TEXT_NUMBER_TEXT_H_
