// Dates, datetimes and times: ISO 8601, RFC 2822 and month names ("27 Mar
// 2024", "Mar 27, 2024"), numeric dates with / . - and two-digit years, with
// MM/DD or DD/MM decided per column (a first part over 12 proves DD/MM), then
// the locale; with autofix, YYYYMMDD and Excel serial numbers. A time part is
// read (datetime, time) or ignored (date). Results are ISO text unless an
// outputFormat says otherwise.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "coerce/coerce.h"
#include "coerce/text_memo.h"
#include "coerce/value_column.h"
#include "text/civil_date.h"

namespace sluice {
namespace {

struct DateParts {
  int year = 0, month = 0, day = 0;
  bool has_date = false;
  int hour = 0, minute = 0, second = 0;
  bool has_time = false;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }  // isalpha in the C locale

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int DaysIn(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}
bool ValidDate(int y, int m, int d) { return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= DaysIn(y, m); }

int ExpandYear(int year, size_t digits) {
  if (digits > 2) return year;
  return year < 50 ? 2000 + year : 1900 + year;  // two-digit years: 00-49 -> 2000s
}

constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};

int MonthFromName(std::string_view word) {
  static constexpr std::string_view kFull[] = {"january", "february", "march", "april", "may", "june", "july",
                                      "august", "september", "october", "november", "december"};
  if (word.size() < 3 || word.size() > 9) return 0;  // "may" .. "september"
  char bytes[9];
  for (size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    bytes[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view lower(bytes, word.size());
  if (lower == "sept") return 9;
  for (int m = 0; m < 12; ++m) {
    if (lower.substr(0, 3) == kMonths[m] && (lower.size() == 3 || lower == kFull[m])) return m + 1;
  }
  return 0;
}

// A small tokenizer: numbers, words, and the separators between them.
struct Token {
  enum Kind { kNumber, kWord, kSep } kind;
  std::string_view text;
  int value = 0;
};

// Tokens of one cell: the first ones held inline (a date has a dozen at the
// most), so reading a cell allocates nothing.
class TokenList {
 public:
  void push_back(const Token& token) {
    if (size_ < kInline) {
      inline_[size_++] = token;
      return;
    }
    if (heap_.empty()) heap_.assign(inline_, inline_ + kInline);
    heap_.push_back(token);
    ++size_;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Token& operator[](size_t i) const { return size_ <= kInline ? inline_[i] : heap_[i]; }
  const Token& back() const { return (*this)[size_ - 1]; }

 private:
  static constexpr size_t kInline = 24;
  Token inline_[kInline];
  std::vector<Token> heap_;
  size_t size_ = 0;
};

TokenList Tokenize(std::string_view s) {
  TokenList tokens;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    size_t start = i;
    if (IsDigit(c)) {
      while (i < s.size() && IsDigit(s[i])) ++i;
      Token t{Token::kNumber, s.substr(start, i - start)};
      t.value = -1;
      if (i - start <= 9) {
        t.value = 0;
        for (char digit : t.text) t.value = t.value * 10 + (digit - '0');
      }
      tokens.push_back(t);
    } else if (IsLetter(c)) {
      while (i < s.size() && IsLetter(s[i])) ++i;
      tokens.push_back({Token::kWord, s.substr(start, i - start)});
    } else {
      ++i;
      if (c != ' ') tokens.push_back({Token::kSep, s.substr(start, 1)});
      else if (!tokens.empty() && tokens.back().kind != Token::kSep) tokens.push_back({Token::kSep, " "});
    }
  }
  return tokens;
}

// "15:20", "3:20 PM", "15:20:30.5", with any zone suffix ignored. `rest` is
// what follows the date.
bool ParseTime(std::string_view rest, DateParts* parts) {
  size_t i = 0;
  while (i < rest.size() && (rest[i] == ' ' || rest[i] == 'T' || rest[i] == 't' || rest[i] == ',')) ++i;
  if (i == rest.size()) return true;  // no time
  int values[3] = {0, 0, 0};
  int count = 0;
  while (count < 3) {
    size_t start = i;
    while (i < rest.size() && IsDigit(rest[i])) ++i;
    if (i == start || i - start > 2) return false;
    values[count++] = std::atoi(std::string(rest.substr(start, i - start)).c_str());
    if (i < rest.size() && rest[i] == ':' && count < 3) {
      ++i;
      continue;
    }
    break;
  }
  if (count < 2) return false;
  if (i < rest.size() && (rest[i] == '.' || rest[i] == ',')) {  // fractions of a second
    ++i;
    while (i < rest.size() && IsDigit(rest[i])) ++i;
  }
  while (i < rest.size() && rest[i] == ' ') ++i;
  std::string suffix;
  for (; i < rest.size(); ++i) suffix.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(rest[i]))));
  int hour = values[0];
  if (suffix.rfind("AM", 0) == 0 || suffix.rfind("A.M.", 0) == 0 || suffix.rfind("PM", 0) == 0 ||
      suffix.rfind("P.M.", 0) == 0) {
    if (hour < 1 || hour > 12) return false;
    bool pm = suffix[0] == 'P';
    hour = hour % 12 + (pm ? 12 : 0);
    suffix.erase(0, suffix[1] == '.' ? 4 : 2);
    while (!suffix.empty() && suffix[0] == ' ') suffix.erase(0, 1);
  }
  // A zone (Z, +02:00, UTC, GMT, EST...) is accepted and ignored.
  bool zone_ok = suffix.empty() || suffix == "Z" || suffix[0] == '+' || suffix[0] == '-' ||
                 (suffix.size() <= 5 && std::all_of(suffix.begin(), suffix.end(), ::isalpha)) ||
                 suffix.rfind("GMT", 0) == 0 || suffix.rfind("UTC", 0) == 0;
  if (!zone_ok) return false;
  if (hour > 23 || values[1] > 59 || values[2] > 60) return false;
  parts->hour = hour;
  parts->minute = values[1];
  parts->second = values[2] == 60 ? 59 : values[2];
  parts->has_time = true;
  return true;
}

enum class Order { kMonthFirst, kDayFirst };

// The two ten-character forms most files use, read without tokenizing:
// YYYY-MM-DD and AA/BB/YYYY in the column's order (any of - / . used twice),
// exactly as ParseDate reads them.
bool TenCharacterDate(std::string_view t, Order order, DateParts* parts) {
  if (t.size() != 10) return false;
  auto digits = [&](size_t from, size_t count) {
    int value = 0;
    for (size_t k = from; k < from + count; ++k) {
      if (!IsDigit(t[k])) return -1;
      value = value * 10 + (t[k] - '0');
    }
    return value;
  };
  auto sep = [](char c) { return c == '-' || c == '/' || c == '.'; };
  if (sep(t[4]) && t[7] == t[4]) {
    int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
    if (y < 0 || m < 0 || d < 0) return false;
    parts->year = y, parts->month = m, parts->day = d;
  } else if (sep(t[2]) && t[5] == t[2]) {
    int a = digits(0, 2), b = digits(3, 2), y = digits(6, 4);
    if (a < 0 || b < 0 || y < 0) return false;
    parts->year = y;
    parts->month = order == Order::kMonthFirst ? a : b;
    parts->day = order == Order::kMonthFirst ? b : a;
  } else {
    return false;
  }
  parts->has_date = true;
  return true;
}

// The date at the start of `s`; `used` gets how many bytes it took.
bool ParseDate(std::string_view s, Order order, bool autofix, DateParts* parts, size_t* used) {
  // Skip a weekday name: "Wed, 27 Mar 2024".
  TokenList tokens = Tokenize(s);
  size_t t = 0;
  if (t < tokens.size() && tokens[t].kind == Token::kWord && MonthFromName(tokens[t].text) == 0 &&
      tokens[t].text.size() >= 3) {
    ++t;
    if (t < tokens.size() && tokens[t].kind == Token::kSep) ++t;
  }
  auto end_of = [&](size_t k) { return static_cast<size_t>(tokens[k].text.data() + tokens[k].text.size() - s.data()); };
  auto number = [&](size_t k) { return k < tokens.size() && tokens[k].kind == Token::kNumber; };
  auto sep = [&](size_t k) { return k < tokens.size() && tokens[k].kind == Token::kSep; };
  auto date_sep = [&](size_t k) {
    return sep(k) && (tokens[k].text == "-" || tokens[k].text == "/" || tokens[k].text == ".");
  };

  // 1. Three numbers: Y-M-D, or A/B/Y in the column's order.
  if (number(t) && date_sep(t + 1) && number(t + 2) && date_sep(t + 3) && number(t + 4) &&
      tokens[t + 1].text == tokens[t + 3].text) {
    const Token &a = tokens[t], &b = tokens[t + 2], &c = tokens[t + 4];
    if (a.text.size() == 4) {
      parts->year = a.value, parts->month = b.value, parts->day = c.value;
    } else if (c.text.size() == 4 || c.text.size() == 2) {
      parts->year = ExpandYear(c.value, c.text.size());
      parts->month = order == Order::kMonthFirst ? a.value : b.value;
      parts->day = order == Order::kMonthFirst ? b.value : a.value;
    } else {
      return false;
    }
    if (a.text.size() > 4 || b.text.size() > 2 || (a.text.size() != 4 && a.text.size() > 2)) return false;
    *used = end_of(t + 4);
    parts->has_date = true;
    return true;
  }
  // 2. Month names: "27 Mar 2024", "27-Mar-24", "Mar 27, 2024", "March 2024"? (no day: refused).
  if (number(t) && tokens[t].text.size() <= 2 && t + 2 < tokens.size()) {
    size_t m = sep(t + 1) ? t + 2 : t + 1;
    if (m < tokens.size() && tokens[m].kind == Token::kWord && MonthFromName(tokens[m].text)) {
      size_t y = sep(m + 1) ? m + 2 : m + 1;
      if (number(y) && (tokens[y].text.size() == 4 || tokens[y].text.size() == 2)) {
        parts->day = tokens[t].value;
        parts->month = MonthFromName(tokens[m].text);
        parts->year = ExpandYear(tokens[y].value, tokens[y].text.size());
        parts->has_date = true;
        *used = end_of(y);
        return true;
      }
    }
  }
  if (t < tokens.size() && tokens[t].kind == Token::kWord && MonthFromName(tokens[t].text)) {
    size_t d = sep(t + 1) ? t + 2 : t + 1;
    if (number(d) && tokens[d].text.size() <= 2) {
      size_t y = sep(d + 1) ? d + 2 : d + 1;
      if (number(y) && (tokens[y].text.size() == 4 || tokens[y].text.size() == 2)) {
        parts->month = MonthFromName(tokens[t].text);
        parts->day = tokens[d].value;
        parts->year = ExpandYear(tokens[y].value, tokens[y].text.size());
        parts->has_date = true;
        *used = end_of(y);
        return true;
      }
    }
  }
  // 3. With autofix: YYYYMMDD, and Excel serial day numbers.
  if (autofix && number(t)) {
    const Token& n = tokens[t];
    if (n.text.size() == 8 && t + 1 == tokens.size()) {
      parts->year = n.value / 10000, parts->month = n.value / 100 % 100, parts->day = n.value % 100;
      parts->has_date = true;
      *used = end_of(t);
      return true;
    }
    if (n.text.size() == 5 && (t + 1 == tokens.size() || (sep(t + 1) && tokens[t + 1].text == "." && t + 3 >= tokens.size()))) {
      // An Excel serial (1900 system; five digits: 1927 to 2173), e.g. a date
      // column saved as numbers. A bare year such as "2024" is not one.
      CivilDate civil = CivilFromDays(DaysFromExcelSerial(n.value, /*date1904=*/false));
      parts->year = static_cast<int>(civil.year);
      parts->month = static_cast<int>(civil.month);
      parts->day = static_cast<int>(civil.day);
      parts->has_date = true;
      *used = s.size();
      return true;
    }
  }
  return false;
}

std::string Pad(int value, int width) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%0*d", width, value);
  return buffer;
}

// Output formats: YYYY yyyy YY yy MM M DD dd D d HH H hh h mm ss A a; other
// characters as they are.
std::string Format(const DateParts& p, const std::string& format) {
  std::string out;
  for (size_t i = 0; i < format.size();) {
    auto take = [&](const char* token) {
      size_t n = std::strlen(token);
      if (format.compare(i, n, token) == 0) {
        i += n;
        return true;
      }
      return false;
    };
    int hour12 = p.hour % 12 == 0 ? 12 : p.hour % 12;
    if (take("YYYY") || take("yyyy")) out += Pad(p.year, 4);
    else if (take("YY") || take("yy")) out += Pad(p.year % 100, 2);
    else if (take("MM")) out += Pad(p.month, 2);
    else if (take("DD") || take("dd")) out += Pad(p.day, 2);
    else if (take("HH")) out += Pad(p.hour, 2);
    else if (take("hh")) out += Pad(hour12, 2);
    else if (take("mm")) out += Pad(p.minute, 2);
    else if (take("ss")) out += Pad(p.second, 2);
    else if (take("M")) out += std::to_string(p.month);
    else if (take("D") || take("d")) out += std::to_string(p.day);
    else if (take("H")) out += std::to_string(p.hour);
    else if (take("h")) out += std::to_string(hour12);
    else if (take("A")) out += p.hour < 12 ? "AM" : "PM";
    else if (take("a")) out += p.hour < 12 ? "am" : "pm";
    else out.push_back(format[i++]);
  }
  return out;
}

// The default ISO results, written directly (the hot path: no format parsing,
// no allocation): up to "YYYY-MM-DDTHH:MM:SS".
class IsoText {
 public:
  void Digits(int value, int width) {
    for (int i = width - 2; i >= 0; i -= 2) {  // two digits at a time
      std::memcpy(bytes_ + size_ + static_cast<size_t>(i), kPairs + 2 * (value % 100), 2);
      value /= 100;
    }
    if (width & 1) bytes_[size_] = static_cast<char>('0' + value % 10);
    size_ += static_cast<size_t>(width);
  }
  void Char(char c) { bytes_[size_++] = c; }
  std::string_view view() const { return {bytes_, size_}; }
  bool empty() const { return size_ == 0; }

 private:
  static constexpr char kPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  char bytes_[20];
  size_t size_ = 0;
};

void AppendIsoDate(const DateParts& p, IsoText* out) {
  out->Digits(p.year, 4);
  out->Char('-');
  out->Digits(p.month, 2);
  out->Char('-');
  out->Digits(p.day, 2);
}

void AppendIsoTime(const DateParts& p, bool with_seconds, IsoText* out) {
  out->Digits(p.hour, 2);
  out->Char(':');
  out->Digits(p.minute, 2);
  if (with_seconds) {
    out->Char(':');
    out->Digits(p.second, 2);
  }
}

bool MonthFirstLocale(const std::string& locale) {
  return locale == "en-US" || locale == "en" || locale == "en-PH" || locale == "es-US" || locale == "en-us";
}

// Numeric dates without a 4-digit first part: which part could be the month?
void Evidence(std::string_view text, int* day_first, int* month_first) {
  TokenList tokens = Tokenize(text);
  if (tokens.size() >= 5 && tokens[0].kind == Token::kNumber && tokens[2].kind == Token::kNumber &&
      tokens[4].kind == Token::kNumber && tokens[0].text.size() <= 2) {
    if (tokens[0].value > 12 && tokens[2].value <= 12) ++*day_first;
    if (tokens[2].value > 12 && tokens[0].value <= 12) ++*month_first;
  }
}

// The ISO text of a value: the input itself when it was written so (no copy).
void SetIso(std::string_view input, std::string_view iso, Coerced* out) {
  if (input == iso) {
    out->SetInputText(input);
  } else {
    out->SetString(iso);
  }
}

class DateCoercer : public ColumnCoercer {
 public:
  DateCoercer(const Field& field, const std::vector<std::string_view>& sample) : type_(field.type), options_(field.date) {
    if (type_ == FieldType::kTime) return;
    int day_first = 0, month_first = 0;
    std::string day_example, month_example;
    for (std::string_view text : sample) {
      int d = day_first, m = month_first;
      Evidence(text, &day_first, &month_first);
      if (day_first > d && day_example.empty()) day_example = std::string(text);
      if (month_first > m && month_example.empty()) month_example = std::string(text);
    }
    if (day_first > month_first) {
      order_ = Order::kDayFirst;
      decision_ = "day first (DD/MM): '" + day_example + "' has a first part over 12";
    } else if (month_first > day_first) {
      order_ = Order::kMonthFirst;
      decision_ = "month first (MM/DD): '" + month_example + "' has a second part over 12";
    } else {
      order_ = MonthFirstLocale(options_.locale) ? Order::kMonthFirst : Order::kDayFirst;
      decision_ = std::string(order_ == Order::kMonthFirst ? "month first (MM/DD)" : "day first (DD/MM)") +
                  ": no value tells, so the locale " + options_.locale + " decides";
    }
    if (day_first > 0 && month_first > 0) {
      decision_ += " (" + std::to_string(std::min(day_first, month_first)) + " values disagree)";
    }
  }

  // Dates (ISO results): a ten-character date, or a text read before, is
  // stored at once (the cell itself when it is already ISO, else its ISO
  // text); the rest as Coerce reads them.
  void CoerceCells(const std::string_view* texts, size_t n, ValueColumn* values, CellIssueSink* sink) const override {
    if (type_ != FieldType::kDate || !options_.output_format.empty()) {
      return ColumnCoercer::CoerceCells(texts, n, values, sink);
    }
    Coerced coerced;
    for (size_t i = 0; i < n; ++i) {
      const std::string_view text = texts[i];
      if (text.empty()) continue;
      DateParts parts;
      const IsoText* known = nullptr;
      IsoText iso;
      if (TenCharacterDate(text, order_, &parts)) {
        if (!ValidDate(parts.year, parts.month, parts.day)) {
          known = nullptr;
        } else if (text[4] == '-' && text[7] == '-') {  // YYYY-MM-DD (its digits read): its own ISO text
          values->SetCell(i, text);
          continue;
        } else {
          AppendIsoDate(parts, &iso);
          known = &iso;
        }
      } else {
        known = read_.Find(text);
        if (known && known->empty()) known = nullptr;  // (a failure: its message from Coerce)
      }
      if (!known) {
        CoerceCell(i, text, &coerced, values, sink);
      } else if (known->view() == text) {
        values->SetCell(i, text);
      } else {
        values->SetText(i, known->view());
      }
    }
  }

  void Coerce(std::string_view text, Coerced* out) const override {
    DateParts parts;
    const char* code = type_ == FieldType::kDate ? "type.date" : type_ == FieldType::kDatetime ? "type.datetime" : "type.time";
    auto fail = [&]() { out->Fail(code, "'" + std::string(text) + "' is not a " + FieldTypeName(type_)); };
    if (type_ == FieldType::kTime) {
      // A time, or a datetime whose time is taken.
      if (!ParseTime(text, &parts) || !parts.has_time) {
        size_t used = 0;
        DateParts with_date;
        if (!ParseDate(text, order_, false, &with_date, &used) || !ParseTime(text.substr(used), &with_date) ||
            !with_date.has_time) {
          fail();
          return;
        }
        parts = with_date;
      }
      if (!options_.output_format.empty()) {
        out->SetString(Format(parts, options_.output_format));
        return;
      }
      IsoText iso;
      AppendIsoTime(parts, options_.with_seconds, &iso);
      out->SetString(iso.view());
      return;
    }
    if (type_ == FieldType::kDate && options_.output_format.empty() && TenCharacterDate(text, order_, &parts)) {
      if (!ValidDate(parts.year, parts.month, parts.day)) {
        fail();
        return;
      }
      IsoText iso;
      AppendIsoDate(parts, &iso);
      SetIso(text, iso.view(), out);
      return;
    }
    // The general reading (a thousand instructions and more): a column
    // repeats its dates, so each text's ISO result (or failure) is kept.
    const bool iso_out = options_.output_format.empty();
    if (iso_out) {
      if (const IsoText* known = read_.Find(text)) {
        if (known->empty()) return fail();
        return SetIso(text, known->view(), out);
      }
    }
    size_t used = 0;
    if (!ParseDate(text, order_, options_.autofix || type_ != FieldType::kDate, &parts, &used) ||
        !ValidDate(parts.year, parts.month, parts.day) || !ParseTime(text.substr(used), &parts)) {
      if (iso_out) read_.Add(text, IsoText());
      return fail();
    }
    if (!iso_out) {
      out->SetString(Format(parts, options_.output_format));
      return;
    }
    IsoText iso;
    AppendIsoDate(parts, &iso);
    if (type_ != FieldType::kDate) {
      iso.Char('T');
      AppendIsoTime(parts, options_.with_seconds, &iso);
    }
    read_.Add(text, iso);
    SetIso(text, iso.view(), out);
  }

  std::string Decision() const override { return decision_; }

 private:
  FieldType type_;
  DateOptions options_;
  Order order_ = Order::kMonthFirst;
  std::string decision_;
  // Dates and datetimes read the general way, as ISO text (empty: not a date).
  mutable TextMemo<IsoText> read_;
};

}  // namespace

std::unique_ptr<ColumnCoercer> MakeDateCoercer(const Field& field, const std::vector<std::string_view>& sample) {
  return std::make_unique<DateCoercer>(field, sample);
}

}  // namespace sluice
