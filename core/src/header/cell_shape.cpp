// ShapeOf: hand-written scans, no regex, no allocation.
#include "header/cell_shape.h"

#include <cctype>

namespace sluice {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view Trim(std::string_view s) {
  size_t begin = 0, end = s.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(s[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
  return s.substr(begin, end - begin);
}

// 1,234.5  -3.2e4  (12.50)  $ 9.99  12%  1.234,56 €
bool LooksNumeric(std::string_view s) {
  size_t i = 0, n = s.size();
  auto skip_spaces = [&] { while (i < n && s[i] == ' ') ++i; };
  if (i < n && s[i] == '(' && s.back() == ')') {
    ++i;
    --n;
  }
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  skip_spaces();
  if (i < n && (s[i] == '$' || s.compare(i, 2, "\xC2\xA3") == 0 || s.compare(i, 3, "\xE2\x82\xAC") == 0)) {
    i += s[i] == '$' ? 1 : (s[i] == '\xC2' ? 2 : 3);
  }
  skip_spaces();
  // Digits with separators: "1234.5", "1,234,567.89", "1.234,5", "1'234": a
  // separator that appears twice must group thousands ("1,2,3" is a list).
  size_t digits = 0, separators = 0, last_separator = 0;
  char repeated = 0, first_separator = 0;
  bool bad_group = false;
  while (i < n && (IsDigit(s[i]) || s[i] == ',' || s[i] == '.' || s[i] == '\'')) {
    if (IsDigit(s[i])) {
      ++digits;
    } else {
      if (separators > 0 && s[i] == first_separator) repeated = s[i];
      if (separators > 0 && i - last_separator != 4) bad_group = bad_group || s[i] == first_separator;
      if (separators == 0) first_separator = s[i];
      ++separators;
      last_separator = i;
    }
    ++i;
  }
  if (digits == 0 || (repeated && bad_group)) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exponent = 0;
    while (i < n && IsDigit(s[i])) ++i, ++exponent;
    if (exponent == 0) return false;
  }
  skip_spaces();
  if (i < n && s[i] == '%') ++i;
  if (i < n && (s.compare(i, 3, "\xE2\x82\xAC") == 0)) i += 3;
  skip_spaces();
  return i == n;
}

const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};

bool StartsWithMonth(std::string_view s) {
  if (s.size() < 3) return false;
  for (const char* month : kMonths) {
    if (std::tolower(static_cast<unsigned char>(s[0])) == month[0] &&
        std::tolower(static_cast<unsigned char>(s[1])) == month[1] &&
        std::tolower(static_cast<unsigned char>(s[2])) == month[2]) {
      return true;
    }
  }
  return false;
}

// 2024-03-27, 03/27/2024, 27.03.24, 2024-03-27T10:00, 27 Mar 2024, Mar 27, 2024
bool LooksLikeDate(std::string_view s) {
  size_t i = 0, n = s.size();
  size_t groups = 0, separators = 0;
  while (i < n && groups < 3) {
    size_t start = i;
    while (i < n && IsDigit(s[i])) ++i;
    size_t length = i - start;
    if (length == 0 || length > 4) break;
    ++groups;
    if (groups < 3 && i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
      ++separators;
      ++i;
    } else {
      break;
    }
  }
  if (groups == 3 && separators == 2) return i == n || s[i] == 'T' || s[i] == ' ';
  // Month names: "27 Mar 2024", "Mar 27, 2024".
  size_t space = s.find(' ');
  if (space == std::string_view::npos) return false;
  std::string_view first = s.substr(0, space), rest = Trim(s.substr(space + 1));
  bool first_digits = !first.empty() && first.size() <= 2 && IsDigit(first[0]);
  if (first_digits && StartsWithMonth(rest)) return rest.size() >= 3 && std::isdigit(static_cast<unsigned char>(rest.back()));
  if (StartsWithMonth(first) && !rest.empty() && IsDigit(rest[0])) return IsDigit(rest.back());
  return false;
}

bool LooksLikeEmail(std::string_view s) {
  size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) return false;
  if (s.find(' ') != std::string_view::npos) return false;
  size_t dot = s.find('.', at + 2);
  return dot != std::string_view::npos && dot + 1 < s.size();
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

}  // namespace

CellShape ShapeOf(std::string_view cell) {
  std::string_view s = Trim(cell);
  if (s.empty()) return CellShape::kEmpty;
  if (LooksLikeDate(s)) return CellShape::kDate;
  if (LooksNumeric(s)) return CellShape::kNumber;
  if (LooksLikeEmail(s)) return CellShape::kEmail;
  for (const char* word : {"true", "false", "yes", "no"}) {
    if (EqualsIgnoreCase(s, word)) return CellShape::kBoolean;
  }
  return CellShape::kText;
}

}  // namespace sluice
