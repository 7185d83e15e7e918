// Text helpers of the coerce stage: normalising for matching, bigram
// similarity (including non-ASCII text, once undefined behaviour found by
// fuzz_schema), trimming Unicode spaces, and plain numbers read fast.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include "coerce/coerce.h"
#include "coerce/text_memo.h"
#include "coerce/value_column.h"
#include "sluice/json_writer.h"
#include "text/number_text.h"

namespace sluice {
namespace {

// A one-field schema's column coercer, made from `sample`. The coercer refers
// to the field, so both live together, in place.
struct OneField {
  explicit OneField(FieldType type, const std::vector<std::string_view>& sample = {}) {
    field.key = "f";
    field.label = "f";
    field.type = type;
    coercer = MakeCoercer(field, sample);
  }
  OneField(const OneField&) = delete;
  OneField& operator=(const OneField&) = delete;
  //! One cell's coercion.
  Coerced Read(std::string_view text) const {
    Coerced out;
    coercer->Coerce(text, &out);
    return out;
  }

  Field field;
  std::unique_ptr<ColumnCoercer> coercer;
};

// Two pages whose second cannot be read: text placed to end at end() has
// no readable byte after it (a read past it faults).
class GuardedPage {
 public:
  GuardedPage() : size_(static_cast<size_t>(sysconf(_SC_PAGESIZE))) {
    void* pages = mmap(nullptr, 2 * size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED) return;
    pages_ = static_cast<char*>(pages);
    ok_ = mprotect(pages_ + size_, size_, PROT_NONE) == 0;
  }
  ~GuardedPage() {
    if (pages_) munmap(pages_, 2 * size_);
  }
  GuardedPage(const GuardedPage&) = delete;
  GuardedPage& operator=(const GuardedPage&) = delete;
  bool ok() const { return ok_; }
  char* begin() const { return pages_; }
  char* end() const { return pages_ + size_; }  // (the readable page's end)

 private:
  size_t size_;
  char* pages_ = nullptr;
  bool ok_ = false;
};

TEST(CoerceTextTest, NormalizeForMatch) {
  EXPECT_EQ(NormalizeForMatch("  E-mail  Addr. "), "e mail addr");
  EXPECT_EQ(NormalizeForMatch("Código_Postal"), "codigo postal");
  EXPECT_EQ(NormalizeForMatch("Straße"), "strasse");
  EXPECT_EQ(NormalizeForMatch("O'Brien"), "obrien");
  EXPECT_EQ(NormalizeForMatch("東京 都"), "東京 都");
}

TEST(CoerceTextTest, BigramSimilarityOnAnyBytes) {
  EXPECT_EQ(BigramSimilarity("free", "free"), 1.0);
  EXPECT_GT(BigramSimilarity("freee", "free"), 0.8);
  EXPECT_EQ(BigramSimilarity("a", "abc"), 0.0);
  // Non-ASCII bytes (UTF-8): well defined, and equal strings are similar.
  EXPECT_GT(BigramSimilarity("東京都", "東京"), 0.5);
  EXPECT_EQ(BigramSimilarity("\xC2\xA0\xFF", "\xC2\xA0\xFF"), 1.0);
  EXPECT_LT(BigramSimilarity("\xC3\xA9t\xC3\xA9", "summer"), 0.1);
}

TEST(CoerceTextTest, TrimSpacesKnowsUnicodeSpaces) {
  EXPECT_EQ(TrimSpaces("\xC2\xA0 x \xE2\x80\xAF"), "x");
  EXPECT_EQ(TrimSpaces("\t\r\nx y\n"), "x y");
  EXPECT_EQ(TrimSpaces("   "), "");
  EXPECT_EQ(TrimSpaces("plain"), "plain");
}


// Plain numbers ("-123", "123.45", at most 15 digits) are read without the
// full reading; both must give the same double, and the full reading still
// takes everything else.
TEST(NumberCoercerTest, PlainNumbersReadAsTheFullReadingDoes) {
  OneField one(FieldType::kNumber);
  auto read = [&](std::string_view text) {
    Coerced out = one.Read(text);
    EXPECT_TRUE(out.valid()) << text;
    return out.value.number;
  };
  for (const char* text : {"0", "-0", "7", "007", "12.345", "-3456.78", "0.1", "999999999999999", "123456789.123456",
                           "1234567890123456", "0.000001", "1,234.5", "+5", "(12)", "1e3", "50%", ".5"}) {
    double expected = std::strtod(text, nullptr);
    if (std::string_view(text) == "1,234.5") expected = 1234.5;
    if (std::string_view(text) == "+5") expected = 5;
    if (std::string_view(text) == "(12)") expected = -12;
    if (std::string_view(text) == "50%") expected = 0.5;
    EXPECT_EQ(read(text), expected) << text;
    EXPECT_FALSE(std::signbit(read(text)) && read(text) == 0) << text << " gives -0";
  }
  uint64_t seed = 7;
  for (int i = 0; i < 100000; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    std::string text = std::to_string(seed % 1000000000000000ULL);
    size_t point = (seed >> 50) % text.size();
    if (point > 0) text.insert(point, ".");
    if ((seed >> 40) & 1) text.insert(0, "-");
    ASSERT_EQ(read(text), std::strtod(text.c_str(), nullptr)) << text;
  }
}

// ReadShortDecimal reads eight bytes as one word; a byte at a time, the rule
// is: 1 to 8 bytes, digits, or digits, one point and digits. Every text of
// up to 4 bytes over an alphabet with the bytes next to the digits ('/' and
// ':'), a point, a sign, a space and bytes from 0xFA (which carry when the
// word adds 6 to each byte), and random texts of 5 to 9 bytes over it.
TEST(NumberTextTest, ShortDecimalsReadAsByteByByte) {
  const std::string alphabet = std::string("0159./:- a") + std::string("\xFA\xFF\0", 3);
  auto check = [](const std::string& text) {
    // The rule, a byte at a time.
    bool expected = !text.empty() && text.size() <= 8;
    size_t point = std::string::npos;
    uint64_t value = 0;
    for (size_t i = 0; i < text.size() && expected; ++i) {
      if (text[i] == '.' && point == std::string::npos && i > 0 && i + 1 < text.size()) {
        point = i;
      } else if (text[i] >= '0' && text[i] <= '9') {
        value = value * 10 + static_cast<uint64_t>(text[i] - '0');
      } else {
        expected = false;
      }
    }
    uint64_t digits = 99;
    size_t fraction = 99;
    // (A copy of exactly its bytes: a read past them would show under ASan.)
    std::unique_ptr<char[]> bytes(new char[text.size() + 1]);
    std::memcpy(bytes.get(), text.data(), text.size());
    ASSERT_EQ(ReadShortDecimal(bytes.get(), text.size(), &digits, &fraction), expected) << "'" << text << "'";
    if (!expected) return;
    EXPECT_EQ(digits, value) << text;
    EXPECT_EQ(fraction, point == std::string::npos ? 0 : text.size() - 1 - point) << text;
  };
  std::vector<std::string> texts{""};
  for (size_t length = 1; length <= 4; ++length) {
    std::vector<std::string> longer;
    for (const std::string& text : texts) {
      if (text.size() + 1 != length) continue;
      for (char c : alphabet) longer.push_back(text + c);
    }
    texts.insert(texts.end(), longer.begin(), longer.end());
  }
  for (const std::string& text : texts) check(text);
  uint64_t seed = 11;
  for (int i = 0; i < 200000; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    std::string text;
    const size_t length = 5 + (seed >> 60) % 5;
    for (size_t k = 0; k < length; ++k) {
      const uint64_t pick = (seed >> (4 * k)) & 0xFF;
      // Mostly digits, so that many texts are decimals.
      text.push_back(pick < 200 ? static_cast<char>('0' + pick % 10) : alphabet[pick % alphabet.size()]);
    }
    check(text);
  }
  for (const char* text : {"12345678", "99999999", "00000000", "1234.567", "0.000001", "9.9999999", "1.", ".1", "1..2"}) {
    check(text);
  }
}

// The host rule of emails and domains, written plainly: labels of letters,
// digits and inner hyphens (1-63 bytes), at least two, at most 253 bytes, a
// top-level label not all digits. The coercers' one-pass reading must agree
// on random hosts, and lower the host's case (only the host's) in an email.
bool HostByTheRule(const std::string& host) {
  if (host.empty() || host.size() > 253) return false;
  std::vector<std::string> labels(1);
  for (char c : host) {
    if (c == '.') {
      labels.emplace_back();
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') {
      labels.back().push_back(c);
    } else {
      return false;
    }
  }
  for (const std::string& label : labels) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
  }
  const std::string& top = labels.back();
  return labels.size() >= 2 && top.find_first_not_of("0123456789") != std::string::npos;
}

// (An email's host is checked once per column: read again, the same answer.)
TEST(ContactCoercerTest, HostsReadAsTheRuleSays) {
  OneField email(FieldType::kEmail), domain(FieldType::kDomain);
  uint64_t seed = 7;
  const std::string bytes = "abcXYZ019-.._@ ";
  int valid = 0;
  for (int i = 0; i < 40000; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    std::string host;
    const size_t length = (seed >> 33) % 14;
    for (size_t k = 0; k < length; ++k) host.push_back(bytes[(seed >> (k * 4 % 56)) % bytes.size() ^ (k & 1)]);
    if ((seed >> 60) == 0) host = std::string(64, 'a') + ".com";  // a label too long
    if ((seed >> 60) == 1) host = std::string(63, 'b') + ".com";  // the longest label
    const bool expected = HostByTheRule(host);
    const std::string address = "Ada.L@" + host;  // (the value may view it)
    const Coerced read = email.Read(address);
    ASSERT_EQ(read.valid(), expected) << host;
    if (expected) {
      ++valid;
      std::string lowered = host;
      for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const std::string value(read.value.input.data() ? read.value.input : std::string_view(read.value.text));
      EXPECT_EQ(value, "Ada.L@" + lowered);
    }
    // The host again (its answer kept), after another local part.
    const Coerced again = email.Read("b@" + host);
    ASSERT_EQ(again.valid(), expected) << host;
    if (expected) {
      const bool lower = host.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos;
      EXPECT_EQ(again.value.input.data() != nullptr, lower) << host;  // (a view of the text when nothing is lowered)
    }
    // A domain: the same rule, after its case is lowered and one final dot dropped.
    if (!host.empty() && host.back() != '.') {
      EXPECT_EQ(domain.Read(host).valid(), expected) << host;
    }
  }
  EXPECT_GT(valid, 1000);  // (hosts of both kinds)
}


// An email's local part is read 32 bytes at once (two vectors, only within
// their page): every length to 40, every byte value at every place of it,
// each address last in a page whose next page cannot be read; valid exactly
// when the rule, a byte at a time, says so (letters, digits and
// .!#$%&'*+/=?^_`{|}~- up to the '@').
TEST(ContactCoercerTest, LocalPartsReadAsTheRuleSays) {
  OneField one(FieldType::kEmail);
  const GuardedPage page;
  ASSERT_TRUE(page.ok());
  auto local_byte = [](unsigned char c) {
    return std::isalnum(c) != 0 || std::string_view(".!#$%&'*+/=?^_`{|}~-").find(static_cast<char>(c)) != std::string_view::npos;
  };
  const std::string host = "@example.com";
  for (size_t length = 0; length <= 40; ++length) {
    for (size_t place = 0; place < std::max<size_t>(length, 1); ++place) {
      for (int c = 1; c < 256; ++c) {
        std::string local(length, 'a');
        if (length > 0) local[place] = static_cast<char>(c);
        const std::string text = local + host;
        bool expected = length > 0;
        for (char b : local) expected = expected && local_byte(static_cast<unsigned char>(b));
        // Last in the readable page (read a byte at a time where 32 bytes
        // would cross into the next), and early in it (read as vectors).
        for (char* at : {page.end() - text.size(), page.begin() + 64}) {
          std::memcpy(at, text.data(), text.size());
          std::memset(at + text.size(), 'a', static_cast<size_t>(page.end() - at) - text.size());
          const std::string_view cell(at, text.size());
          ASSERT_EQ(one.Read(cell).valid(), expected) << "'" << text << "'";
          struct Issues final : CellIssueSink {
            size_t count = 0;
            void Report(size_t, std::string_view, const Coerced& coerced) override { count += coerced.issues.size(); }
          } issues;
          ValueColumn values;
          values.Reset(1);
          one.coercer->CoerceCells(&cell, 1, &values, &issues);
          ASSERT_EQ(issues.count == 0, expected) << "'" << text << "' read with its column";
        }
        if (length == 0) break;
      }
    }
  }
}

// Ten-character dates (YYYY-MM-DD, AA/BB/YYYY) are read without the general
// tokenizer; the general reading (the same text after a space) must agree on
// every value and every refusal, in both orders.
TEST(DateCoercerTest, TenCharacterDatesReadAsTheGeneralReadingDoes) {
  int valid = 0;
  for (const char* sample : {"12/31/2020", "31/12/2020"}) {
    OneField one(FieldType::kDate, {sample});
    uint64_t seed = 11;
    const char seps[] = {'-', '/', '.', ' ', 'x'};
    for (int i = 0; i < 50000; ++i) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      char text[11];
      bool year_first = (seed >> 20) & 1;
      char sep = seps[(seed >> 24) % 5];
      char sep2 = (seed >> 28) % 8 == 0 ? seps[(seed >> 31) % 5] : sep;
      for (int k = 0; k < 10; ++k) text[k] = static_cast<char>('0' + (seed >> (k * 5 % 60)) % 10);
      if (year_first) {
        text[0] = '1' + (seed >> 40) % 2;
        text[4] = sep, text[7] = sep2;
        text[5] = '0' + (seed >> 44) % 2;
        text[8] = '0' + (seed >> 46) % 4;
      } else {
        text[2] = sep, text[5] = sep2;
        text[0] = '0' + (seed >> 44) % 4;
        text[3] = '0' + (seed >> 46) % 4;
        text[6] = '1' + (seed >> 40) % 2;
      }
      if ((seed >> 50) % 20 == 0) text[(seed >> 54) % 10] = 'a';
      text[10] = 0;
      Coerced fast = one.Read(text);
      Coerced general = one.Read(std::string(" ") + text);
      ASSERT_EQ(fast.valid(), general.valid()) << text;
      if (fast.valid()) {
        // (A text already ISO is the value as a view of the input.)
        auto value_text = [](const Coerced& c) {
          return std::string(c.value.input.data() ? c.value.input : std::string_view(c.value.text));
        };
        ASSERT_EQ(value_text(fast), value_text(general)) << text;
        ++valid;
      }
    }
  }
  EXPECT_GT(valid, 10000);  // both kinds of answer were checked
}


// Dates read the general way are kept per text: a column's texts read again
// and again (more than the memo holds, valid and not, dates and datetimes)
// give what a fresh coercer's first reading gives.
TEST(DateCoercerTest, TextsReadAgainAsTheFirstTime) {
  const char* months[] = {"Jan", "February", "mar", "Sept", "Dec", "Foo"};
  std::vector<std::string> texts;
  for (int i = 0; i < 6000; ++i) {
    const int day = 1 + i % 33, year = 2019 + i % 3;
    const std::string month = months[i / 33 % 6];
    switch (i % 4) {
      case 0: texts.push_back(std::to_string(day) + " " + month + " " + std::to_string(year)); break;
      case 1: texts.push_back(month + " " + std::to_string(day) + ", " + std::to_string(year)); break;
      case 2: texts.push_back(std::to_string(year) + "/" + std::to_string(1 + i % 12) + "/" + std::to_string(day) + " 10:3" + std::to_string(i % 10)); break;
      default: texts.push_back(" " + std::to_string(1 + i % 12) + "-" + std::to_string(day) + "-" + std::to_string(year));
    }
  }
  auto describe = [](const Coerced& c) {
    std::string out = c.value.input.data() ? std::string(c.value.input) : c.value.text;
    for (const CellIssue& issue : c.issues) out += "|" + issue.code + "/" + issue.message;
    return out;
  };
  for (FieldType type : {FieldType::kDate, FieldType::kDatetime}) {
    OneField column(type, {"12/31/2020"});
    size_t valid = 0;
    for (int round = 0; round < 3; ++round) {
      for (size_t i = round; i < texts.size(); i += 1 + round) {  // (rounds in different orders)
        OneField fresh(type, {"12/31/2020"});
        const Coerced first = fresh.Read(texts[i]);
        const Coerced again = column.Read(texts[i]);
        ASSERT_EQ(describe(again), describe(first)) << texts[i];
        valid += first.valid();
      }
    }
    EXPECT_GT(valid, 3000u);
  }
}

TEST(CheckboxCoercerTest, WordsReadTheSameByEitherPath) {
  OneField one(FieldType::kCheckbox);
  auto read = [&](std::string_view text) { return one.Read(text).value.flag; };
  for (const char* no : {"0", "off", "OFF", "n", "N", "no", "No", "false", "FALSE", "disabled", "Disabled", "n.", "NO!",
                         "  no ", "Disabled ", "fa\xC3\xA7"}) {
    bool expected = std::string_view(no) == "fa\xC3\xA7";  // not a false word
    EXPECT_EQ(read(no), expected) << no;
  }
  for (const char* yes : {"1", "yes", "Y", "true", "TRUE", "on", "x", "enabled", "checked!", "oui"}) EXPECT_TRUE(read(yes)) << yes;
}

// A select column's texts are decided once each: the same text read again
// (exact, fuzzy, custom, no match) gives the first reading's value and issues,
// and each reading is what the same option read as a multi-select part gives.
TEST(ChoiceCoercerTest, TextsReadAgainAsTheFirstTime) {
  auto describe = [](const Coerced& c) {
    std::string out = std::to_string(static_cast<int>(c.value.kind)) + ":";
    out += c.value.kind == CellValue::Kind::kList ? (c.value.list.empty() ? "" : c.value.list[0])
           : c.value.input.data()                 ? std::string(c.value.input)
                                                  : c.value.text;
    for (const CellIssue& issue : c.issues) out += "|" + issue.code + "/" + issue.message;
    return out;
  };
  for (bool custom : {false, true}) {
    SCOPED_TRACE(custom ? "allowCustom" : "options only");
    Field select;
    select.key = select.label = "plan";
    select.type = FieldType::kSelect;
    select.choice.allow_custom = custom;
    select.select_options = {{"Gold", "gold", {"G1"}, false}, {"Silver", "silver", {}, false},
                             {"Platinum", "plat", {}, true}};
    Field multi = select;
    multi.type = FieldType::kMultiSelect;
    std::unique_ptr<ColumnCoercer> once = MakeCoercer(select, {});
    const std::vector<std::string> texts = {"Gold", "gold", "G1", "Golld", "Silvr", "Platinum", "Platinm", "zzz", "", "x"};
    std::vector<std::string> first;
    for (int round = 0; round < 3; ++round) {
      for (size_t i = 0; i < texts.size(); ++i) {
        Coerced read;
        once->Coerce(texts[i], &read);
        if (round == 0) first.push_back(describe(read));
        EXPECT_EQ(describe(read), first[i]) << texts[i];
      }
    }
    std::unique_ptr<ColumnCoercer> parts = MakeCoercer(multi, {});
    for (size_t i = 0; i < texts.size(); ++i) {
      if (texts[i].empty()) continue;
      Coerced part;
      parts->Coerce(texts[i], &part);
      // A part's value is the select's; a select's kind is a string, a part's a list.
      std::string expected = first[i].substr(first[i].find(':'));
      if (part.value.list.empty() && !part.issues.empty()) expected = ":" + first[i].substr(first[i].find('|'));
      EXPECT_EQ(describe(part).substr(describe(part).find(':')), expected) << texts[i];
    }
    EXPECT_EQ(first[0], "1:gold");
    EXPECT_EQ(first[3], "1:gold|select.fuzzy_match/'Golld' was read as 'Gold'");
    EXPECT_EQ(first[5], "1:plat");
    EXPECT_EQ(first[6], custom ? "1:Platinm" : "0:|select.no_match/'Platinm' is not one of the options");
  }
}

// A column's cells read at once (CoerceCells: numbers' own loop, the other
// types' loop over Coerce) give each cell the value and issues Coerce and
// ValueColumn::Set give it, empty texts left as they were; numbers under
// every rule (min, max, integer, round, outputFormat, percent).
TEST(ColumnCoercerTest, CellsReadAtOnceAsOneByOne) {
  std::vector<std::string> texts = {"", "0", "-0", "7", "-7", "12.50", "12.5", "007", "1e3", "1,234.5", "(3.50)", "12%",
                                    "abc", "99999999999999999999", "0.00001", "3.", ".5", "-", "1.25", "100", "-100.75",
                                    "2020-01-31", "31/01/2020", "Jan 5, 2020", "yes", "no", "a@b.co", "Gold", "US",
                                    "gold", "Silver", "silver", "Golld", "Pro", "Prof", "A@B.CO", "x@y", "France",
                                    "2020-01-31 10:30", "2020-02-30", "Gold", "US", "Silver", "A@B.CO", "31/01/2020"};
  uint64_t seed = 5;
  for (int i = 0; i < 3000; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    const int64_t whole = static_cast<int64_t>(seed >> 40) % 200000 - 100000;
    std::string text = std::to_string(whole);
    if ((seed >> 20) % 3 == 0) text += "." + std::to_string((seed >> 24) % 1000);
    texts.push_back(text);
  }
  std::vector<std::string_view> views(texts.begin(), texts.end());
  struct Recorded final : CellIssueSink {
    std::vector<std::string> seen;
    void Report(size_t row, std::string_view text, const Coerced& coerced) override {
      for (const CellIssue& issue : coerced.issues) {
        seen.push_back(std::to_string(row) + " " + std::string(text) + " " + issue.code + " " + issue.message);
      }
    }
  };
  std::vector<Field> fields;
  for (int rule = 0; rule < 7; ++rule) {
    Field number;
    number.key = number.label = "n";
    number.type = FieldType::kNumber;
    if (rule == 1) number.number.min = 0;
    if (rule == 2) number.number.max = 50.5;
    if (rule == 3) number.number.integer = true;
    if (rule == 4) number.number.round = 1;
    if (rule == 5) number.number.output_format = "0,0.00";
    if (rule == 6) number.number.percent = true;
    fields.push_back(number);
  }
  for (FieldType type : {FieldType::kDate, FieldType::kDatetime, FieldType::kCheckbox, FieldType::kEmail,
                         FieldType::kCountry, FieldType::kSelect}) {
    Field other;
    other.key = other.label = "o";
    other.type = type;
    other.select_options = {{"Gold", "gold", {}, false}, {"Silver", "Silver", {}, false}, {"Pro", "pro", {}, true}};
    fields.push_back(other);
  }
  for (const Field& field : fields) {
    SCOPED_TRACE(FieldTypeName(field.type));
    std::unique_ptr<ColumnCoercer> coercer = MakeCoercer(field, {"1.5", "2020-01-31"});
    ValueColumn at_once, one_by_one;
    at_once.Reset(views.size());
    one_by_one.Reset(views.size());
    Recorded at_once_issues, one_by_one_issues;
    coercer->CoerceCells(views.data(), views.size(), &at_once, &at_once_issues);
    for (size_t i = 0; i < views.size(); ++i) {
      if (views[i].empty()) continue;
      Coerced coerced;
      coercer->Coerce(views[i], &coerced);
      if (!coerced.issues.empty()) one_by_one_issues.Report(i, views[i], coerced);
      one_by_one.Set(i, coerced.value, views[i]);
    }
    EXPECT_EQ(at_once_issues.seen, one_by_one_issues.seen);
    for (size_t i = 0; i < views.size(); ++i) {
      ASSERT_EQ(at_once.kind(i), one_by_one.kind(i)) << texts[i];
      ASSERT_EQ(at_once.Text(i), one_by_one.Text(i)) << texts[i];
      ASSERT_EQ(at_once.NumberAsRead(i), one_by_one.NumberAsRead(i)) << texts[i];
    }
    EXPECT_EQ(at_once.kind(0), CellValue::Kind::kNull);  // (the empty text: untouched)
  }
}

// TextMemo reads texts a word at a time: texts of every length up to 40
// bytes that differ in one byte, at any position, are told apart (and found
// again), as are texts that are prefixes of each other.
TEST(TextMemoTest, TellsTextsApartByEveryByte) {
  TextMemo<size_t> memo;
  std::vector<std::string> kept;
  for (size_t n = 0; n <= 40; ++n) {
    std::string base;
    for (size_t k = 0; k < n; ++k) base.push_back(static_cast<char>('a' + (k * 7 + n) % 26));
    kept.push_back(base);
    for (size_t at = 0; at < n; ++at) {
      std::string other = base;
      other[at] = static_cast<char>(other[at] ^ 0x20);
      kept.push_back(other);
    }
  }
  ASSERT_LT(kept.size(), TextMemo<size_t>::kCapacity);
  for (size_t i = 0; i < kept.size(); ++i) {
    ASSERT_EQ(memo.Find(kept[i]), nullptr) << kept[i];
    memo.Add(kept[i], i);
  }
  for (size_t i = 0; i < kept.size(); ++i) {
    const size_t* found = memo.Find(kept[i]);
    ASSERT_NE(found, nullptr) << kept[i];
    EXPECT_EQ(*found, i) << kept[i];
  }
  EXPECT_EQ(memo.Find("abcdefghijklmnopqrstuvwxyz!"), nullptr);
}

// A number read as written is written back as its text, of any length (the
// copy is by overlapping words below 17 bytes), the buffer past it untouched.
TEST(ValueColumnTest, NumbersAsReadAreWrittenAsTheirText) {
  ValueColumn column;
  column.Reset(1);
  std::string text;
  for (size_t n = 1; n <= 24; ++n) {
    text = (n % 2 ? "-" : "") + std::string(n - n % 2, '7');
    if (n > 4) text[n / 2] = '.';
    column.SetNumber(0, 1.5, text, true);
    char out[64];
    std::memset(out, '#', sizeof out);
    const std::string_view raw = text;
    char* end = column.WriteJsonAsRead(0, &raw, out);
    EXPECT_EQ(std::string(out, end), text);
    EXPECT_EQ(*end, '#');
  }
}

// Strings are written as JsonWriter quotes them (ValueColumn's inline path
// for 1 or 3 to 32 bytes with nothing to escape, the writer's for the rest): every
// length to 40, a byte to escape or check at each place, and the value last
// in a page of memory the next page of which cannot be read (the inline path
// reads a whole vector only where that cannot fault).
TEST(ValueColumnTest, StringsAreWrittenAsTheWriterQuotesThem) {
  const std::string specials[] = {"\"", "\\", "\n", "\x01", "\x7F", "\xC3\xA9", "\xFF"};
  std::vector<std::string> values;
  for (size_t n = 0; n <= 40; ++n) {
    std::string plain;
    for (size_t i = 0; i < n; ++i) plain.push_back(static_cast<char>('a' + i % 26));
    values.push_back(plain);
    for (size_t at = 0; at < n; ++at) {
      for (const std::string& special : specials) values.push_back(plain.substr(0, at) + special + plain.substr(at + 1));
    }
  }
  const GuardedPage page;
  ASSERT_TRUE(page.ok());
  char* const page_end = page.end();
  ValueColumn column;
  column.Reset(1);
  for (const std::string& value : values) {
    std::string expected;
    JsonWriter::AppendQuoted(expected, value);
    char* const last = page_end - value.size();  // (the value's last byte the page's last)
    std::memcpy(last, value.data(), value.size());
    for (const char* text : {value.data(), static_cast<const char*>(last)}) {
      column.SetCell(0, std::string_view(text, value.size()));
      std::vector<char> out(JsonWriter::QuotedBound(value.size()) + 1, '#');  // (its room, then a byte it keeps)
      char* end = column.WriteJson(0, out.data());
      EXPECT_EQ(std::string(out.data(), end), expected) << value;
      EXPECT_EQ(out.back(), '#') << value;
      // The import writers' way: room for JsonRoom (from 1 byte, one vector).
      out.assign(column.JsonRoom(0) + 1, '#');
      const std::string_view raw = value;
      end = column.WriteJsonAsRead(0, &raw, out.data());
      EXPECT_EQ(std::string(out.data(), end), expected) << value;
      EXPECT_EQ(out.back(), '#') << value;
    }
  }
}

// TextIs answers what comparing Text() would, without building it where it
// can: numbers against plain and tricky texts, strings, booleans.
TEST(ValueColumnTest, TextIsAnswersAsTextDoes) {
  const double numbers[] = {0, -0.0, 1, -1, 7, 76, -76, 0.76, 1e14, 999999999999999, 1e15, 1e16, 2.5, 100, -100};
  const char* texts[] = {"", "0", "-0", "00", "1", "-1", "01", "7", "76", "076", "-76", "0.76", "76.0", "1e2", "100",
                         "-100", "100000000000000", "999999999999999", "1000000000000000", "10000000000000000",
                         "2.5", "abc", "7a", "-", "+7", " 7"};
  ValueColumn column;
  column.Reset(std::size(numbers) + 3);
  size_t row = 0;
  for (double n : numbers) {
    CellValue value = CellValue::Number(n);
    column.Set(row++, value, "");
  }
  column.Set(row++, CellValue::String("76"), "76");
  column.Set(row++, CellValue::String("x y"), "x y");
  column.SetBool(row++, true);
  for (size_t r = 0; r < row; ++r) {
    for (const char* text : texts) EXPECT_EQ(column.TextIs(r, text), column.Text(r) == text) << r << " " << text;
  }
}

}  // namespace
}  // namespace sluice
