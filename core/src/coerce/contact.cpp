// Email (the HTML5 rule, without dotless or IP hosts), URL (protocols and
// domains as configured, normalised), domain, and phone numbers (E.164 out;
// numbering rules for US/CA, GB, DE, FR, IN, AU, BR, and any other country
// code as generic E.164).
#include <algorithm>
#include <cctype>
#include <cstdint>

#include "coerce/coerce.h"
#include "coerce/text_memo.h"
#include "coerce/value_column.h"
#include "text/bytes16.h"

namespace sluice {
namespace {

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// A host's bytes as flags, one table lookup each: not a host byte (anything
// but letters, digits, '-' and '.'), an upper-case letter, the dot.
enum HostFlag : uint8_t { kNotHost = 1, kUpper = 2, kDot = 4 };
constexpr struct HostBytes {
  uint8_t flags[256];
  constexpr HostBytes() : flags() {
    for (int c = 0; c < 256; ++c) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
      flags[c] = static_cast<uint8_t>((ok ? 0 : kNotHost) | (c >= 'A' && c <= 'Z' ? kUpper : 0) | (c == '.' ? kDot : 0));
    }
  }
} kHostBytes;

// A label of a host: 1-63 bytes, not starting or ending with a hyphen.
bool ValidLabel(std::string_view host, size_t begin, size_t end) {
  return end > begin && end - begin <= 63 && host[begin] != '-' && host[end - 1] != '-';
}

// Host names: labels of letters, digits and inner hyphens, at least two labels,
// and a top-level label that is not all digits (no IP addresses). One pass;
// `upper`: whether a letter is upper case.
bool ValidHost(std::string_view host, bool* upper = nullptr) {
  const size_t n = host.size();
  if (n == 0 || n > 253) return false;
  size_t labels = 0, start = 0;
  uint8_t all = 0;  // every byte's flags
  for (size_t i = 0; i < n; ++i) {
    const uint8_t flags = kHostBytes.flags[static_cast<unsigned char>(host[i])];
    all |= flags;
    if (flags & kDot) {
      if (!ValidLabel(host, start, i)) return false;
      ++labels;
      start = i + 1;
    }
  }
  if ((all & kNotHost) || labels == 0 || !ValidLabel(host, start, n)) return false;
  bool digits_only = true;  // the top-level label
  for (size_t i = start; i < n; ++i) digits_only = digits_only && IsDigit(host[i]);
  if (upper) *upper = (all & kUpper) != 0;
  return !digits_only;
}

const char* const kTwoPartSuffixes[] = {"co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au",
                                        "co.nz", "co.jp", "com.br", "co.in", "com.mx", "co.za", "com.cn"};

size_t RegistrableLabels(const std::string& host) {
  for (const char* suffix : kTwoPartSuffixes) {
    std::string dotted = std::string(".") + suffix;
    if (host.size() > dotted.size() && host.compare(host.size() - dotted.size(), dotted.size(), dotted) == 0) return 3;
  }
  return 2;
}

// ---- phone numbers

struct CountryRule {
  const char* region;
  const char* code;  // country calling code
  size_t min_length, max_length;  // national significant number
  const char* first_digits;       // allowed first digits of the NSN
};

const CountryRule kRules[] = {
    {"US", "1", 10, 10, "23456789"}, {"CA", "1", 10, 10, "23456789"}, {"GB", "44", 9, 10, "1235789"},
    {"DE", "49", 6, 13, "123456789"}, {"FR", "33", 9, 9, "123456789"}, {"IN", "91", 10, 10, "123456789"},
    {"AU", "61", 9, 9, "23478"},     {"BR", "55", 10, 11, "123456789"},
};

const CountryRule* RuleForRegion(const std::string& region) {
  for (const CountryRule& rule : kRules) {
    if (region == rule.region) return &rule;
  }
  return nullptr;
}

const CountryRule* RuleForCode(const std::string& digits, size_t* code_length) {
  for (const CountryRule& rule : kRules) {
    size_t n = std::char_traits<char>::length(rule.code);
    if (digits.compare(0, n, rule.code) == 0) {
      *code_length = n;
      return &rule;
    }
  }
  return nullptr;
}

bool NsnFits(const CountryRule& rule, const std::string& nsn) {
  if (nsn.size() < rule.min_length || nsn.size() > rule.max_length) return false;
  if (std::string(rule.first_digits).find(nsn[0]) == std::string::npos) return false;
  if (std::string(rule.code) == "1" && (nsn[3] < '2')) return false;  // NANP exchange code [2-9]XX
  if (std::string(rule.code) == "55" && (nsn[0] == '0' || nsn[1] == '0')) return false;  // BR area codes
  return true;
}

// "+1 415-555-0132" for NANP; elsewhere groups of four from the end
// ("+44 20 7946 0958", "+61 2 9374 4000").
std::string Grouped(const std::string& code, const std::string& nsn) {
  if (code == "1") return "+1 " + nsn.substr(0, 3) + "-" + nsn.substr(3, 3) + "-" + nsn.substr(6);
  std::string out;
  size_t lead = nsn.size() % 4 == 0 ? 4 : nsn.size() % 4;
  out = "+" + code + " " + nsn.substr(0, lead);
  for (size_t i = lead; i < nsn.size(); i += 4) out += " " + nsn.substr(i, 4);
  return out;
}

class ContactCoercer : public ColumnCoercer {
 public:
  explicit ContactCoercer(const Field& field) : field_(field) {}

  // Email: an address whose host is known valid and in lower case (most
  // cells) is the cell itself at once; the rest as Coerce reads them.
  void CoerceCells(const std::string_view* texts, size_t n, ValueColumn* values, CellIssueSink* sink) const override {
    if (field_.type != FieldType::kEmail) return ColumnCoercer::CoerceCells(texts, n, values, sink);
    Coerced coerced;
    for (size_t i = 0; i < n; ++i) {
      const std::string_view text = texts[i];
      if (text.empty()) continue;
      const size_t at = LocalPart(text);
      const HostAnswer* known =
          at > 0 && at < text.size() && text[at] == '@' ? hosts_.Find(text.substr(at + 1)) : nullptr;
      if (known && known->valid && !known->upper) {
        values->SetCell(i, text);
      } else {
        CoerceCell(i, text, &coerced, values, sink);
      }
    }
  }

  void Coerce(std::string_view text, Coerced* out) const override {
    switch (field_.type) {
      case FieldType::kEmail: Email(text, out); return;
      case FieldType::kUrl: Url(text, out); return;
      case FieldType::kDomain: Domain(text, out); return;
      default: Phone(text, out); return;
    }
  }

 private:
  // The local part's length: its bytes (letters, digits and
  // .!#$%&'*+/=?^_`{|}~-) up to the '@', which it cannot hold.
  static size_t LocalPart(std::string_view text) {
    static const struct LocalChars {
      bool table[256];
      constexpr LocalChars() : table() {
        for (int c = 0; c < 256; ++c) table[c] = IsAlnum(static_cast<char>(c));
        for (char c : std::string_view(".!#$%&'*+/=?^_`{|}~-")) table[static_cast<unsigned char>(c)] = true;
      }
    } kLocal;
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t at = 0;
#if defined(SLUICE_BYTES16)
    // The first 32 bytes as two vectors, read only within their page: a bit
    // per byte that is not the local part's, the first one set (or the
    // text's end) its end, with no branch on where it is.
    if ((n >= 32) | Bytes16::Readable(text.data(), 32)) {
      const uint64_t odd = NotLocal(Bytes16(text.data())) | uint64_t{NotLocal(Bytes16(text.data() + 16))} << 16;
      const size_t limit = std::min<size_t>(n, 32);
      at = static_cast<size_t>(__builtin_ctzll((odd & ((uint64_t{1} << limit) - 1)) | uint64_t{1} << limit));
      if (at < 32) return at;  // (else 32 bytes of it and more text: on below)
    }
#endif
    // Four bytes a test while all four are the local part's (one branch, not four).
    while (at + 4 <= n && (kLocal.table[s[at]] & kLocal.table[s[at + 1]] & kLocal.table[s[at + 2]] &
                           kLocal.table[s[at + 3]])) {
      at += 4;
    }
    while (at < n && kLocal.table[s[at]]) ++at;
    return at;
  }

#if defined(SLUICE_BYTES16)
  // Bit i set when byte i cannot be in a local part: controls, space, bytes
  // over 0x7E, and "(),:;<>@[\].
  static uint32_t NotLocal(const Bytes16& v) {
    return v.Below('!') | v.Equal(0x7F) | v.Equal('"') | v.Within('(', ')') | v.Equal(',') | v.Within(':', '<') |
           v.Equal('>') | v.Equal('@') | v.Within('[', ']');
  }
#endif

  void Email(std::string_view text, Coerced* out) const {
    // The local part in one pass; the host cannot hold another '@' (ValidHost
    // takes letters, digits, - and .).
    const size_t at = LocalPart(text);
    // A column repeats its hosts: each one's answer is kept.
    bool upper = false;
    bool ok = at > 0 && at < text.size() && text[at] == '@';
    if (ok) {
      const std::string_view host = text.substr(at + 1);
      const HostAnswer* known = hosts_.Find(host);
      const HostAnswer answer = known ? *known : HostAnswer{ValidHost(host, &upper), upper};
      if (!known) hosts_.Add(host, answer);
      ok = answer.valid;
      upper = answer.upper;
    }
    if (!ok) {
      out->Fail("type.email", "'" + std::string(text) + "' is not an email address");
      return;
    }
    // The local part as written, the host in lower case: the text itself when
    // its host is (most addresses), else in the value's own buffer.
    if (!upper) {
      out->SetInputText(text);
      return;
    }
    out->SetString(text);
    std::string& value = out->value.text;
    for (size_t i = at + 1; i < value.size(); ++i) {
      if (value[i] >= 'A' && value[i] <= 'Z') value[i] = static_cast<char>(value[i] + 32);
    }
  }

  void Url(std::string_view text, Coerced* out) const {
    std::string scheme = "https";
    std::string_view rest = text;
    size_t marker = text.find("://");
    if (marker != std::string_view::npos) {
      scheme = Lower(text.substr(0, marker));
      rest = text.substr(marker + 3);
    }
    size_t host_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, host_end);
    std::string tail(host_end == std::string_view::npos ? "" : rest.substr(host_end));
    std::string host = Lower(authority.substr(0, authority.find(':')));
    std::string port = authority.find(':') == std::string_view::npos ? "" : std::string(authority.substr(authority.find(':')));
    bool ok = !scheme.empty() && (ValidHost(host) || host == "localhost") && tail.find(' ') == std::string::npos &&
              authority.find('@') == std::string_view::npos;
    for (size_t i = 1; ok && i < port.size(); ++i) ok = IsDigit(port[i]);
    if (ok && port.size() == 1) ok = false;
    if (!ok) {
      out->Fail("type.url", "'" + std::string(text) + "' is not a URL");
      return;
    }
    std::vector<std::string> protocols = field_.contact.accepted_protocols;
    if (protocols.empty()) protocols = {"http", "https"};
    if (std::find(protocols.begin(), protocols.end(), scheme) == protocols.end()) {
      out->Fail("url.protocol", "the protocol " + scheme + " is not accepted");
      return;
    }
    if (!field_.contact.accepted_domains.empty()) {
      bool accepted = false;
      for (const std::string& domain : field_.contact.accepted_domains) {
        std::string d = Lower(domain);
        accepted |= host == d || (host.size() > d.size() && host.compare(host.size() - d.size() - 1, d.size() + 1, "." + d) == 0);
      }
      if (!accepted) {
        out->Fail("url.domain", "the domain " + host + " is not accepted");
        return;
      }
    }
    out->SetString(scheme + "://" + host + port + tail);
  }

  void Domain(std::string_view text, Coerced* out) const {
    std::string host = Lower(text);
    if (host.size() > 1 && host.back() == '.') host.pop_back();
    if (!ValidHost(host)) {
      out->Fail("type.domain", "'" + std::string(text) + "' is not a domain");
      return;
    }
    if (!field_.contact.allow_subdomains &&
        static_cast<size_t>(std::count(host.begin(), host.end(), '.')) + 1 > RegistrableLabels(host)) {
      out->Fail("domain.subdomain", "'" + std::string(text) + "' is a subdomain");
      return;
    }
    out->SetString(host);
  }

  void Phone(std::string_view text, Coerced* out) const {
    auto fail = [&]() { out->Fail("type.phone-number", "'" + std::string(text) + "' is not a phone number"); };
    // 1. Digits, an international prefix, and an extension to drop.
    std::string_view s = text;
    std::string lower = Lower(s);
    for (const char* marker : {"ext.", "ext", " x", "#"}) {
      size_t at = lower.find(marker);
      if (at != std::string::npos && at > 0) {
        s = s.substr(0, at);
        lower = lower.substr(0, at);
      }
    }
    s = TrimSpaces(s);
    bool international = false;
    std::string digits;
    for (size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (IsDigit(c)) {
        digits.push_back(c);
      } else if (c == '+' && digits.empty() && !international) {
        international = true;
      } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '/') {
        fail();
        return;
      }
    }
    if (!international && digits.size() > 2 && digits.compare(0, 2, "00") == 0) {
      international = true;
      digits.erase(0, 2);
    }
    const std::string& format = field_.contact.phone_format;
    if ((international && format == "national") || (!international && format == "international")) {
      out->Fail("phone.format", format == "national" ? "a national number is expected, without a country code"
                                                     : "an international number is expected, with + and a country code");
      return;
    }
    // 2. The country code and national significant number.
    std::string code, nsn;
    const CountryRule* rule = nullptr;
    if (international) {
      size_t code_length = 0;
      rule = RuleForCode(digits, &code_length);
      if (rule) {
        code = rule->code;
        nsn = digits.substr(code_length);
        if (code == "1") {
          rule = RuleForRegion("US");
        }
      } else {
        // Any other country: E.164 allows up to 15 digits in all.
        if (digits.size() < 8 || digits.size() > 15 || digits[0] == '0') {
          fail();
          return;
        }
        out->SetString("+" + digits);
        return;
      }
    } else {
      std::string region = field_.contact.country.empty() ? "US" : field_.contact.country;
      rule = RuleForRegion(region);
      if (!rule) {
        fail();  // a national number for a country without rules cannot be checked
        return;
      }
      code = rule->code;
      nsn = digits;
      if (code == "1" && nsn.size() == 11 && nsn[0] == '1') nsn.erase(0, 1);  // NANP trunk prefix
      if (code != "1" && !nsn.empty() && nsn[0] == '0') nsn.erase(0, 1);     // trunk prefix 0
    }
    if (code != "1" && !nsn.empty() && nsn[0] == '0') nsn.erase(0, 1);  // "+44 (0)20 ..."
    if (nsn.empty() || !NsnFits(*rule, nsn)) {
      fail();
      return;
    }
    out->SetString(field_.contact.output_formatted ? Grouped(code, nsn) : "+" + code + nsn);
  }

  struct HostAnswer {
    bool valid, upper;
  };
  const Field& field_;
  mutable TextMemo<HostAnswer> hosts_;  // email: hosts already checked
};

}  // namespace

std::unique_ptr<ColumnCoercer> MakeContactCoercer(const Field& field) { return std::make_unique<ContactCoercer>(field); }

}  // namespace sluice
