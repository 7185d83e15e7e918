// SniffDialect: each (delimiter, quote) candidate tokenizes the same sample
// (quote-aware, so quoted delimiters and line breaks do not count); the one
// whose most common column count (>= 2) covers the most records wins, then
// the one with more columns, then the one whose cells are cleanest.
#include "sniff/dialect_sniffer.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <vector>

#include "text/bytes16.h"

namespace sluice {
namespace {

constexpr size_t kSampleBytes = 256 * 1024;
constexpr size_t kSampleRecords = 500;
constexpr char kDelimiters[] = {',', ';', '\t', '|'};
constexpr char kQuotes[] = {'"', '\''};

struct CandidateStats {
  char delimiter = ',';
  char quote = '"';
  size_t records = 0;        // non-blank records in the sample
  size_t width = 1;          // most common column count among those >= 2
  size_t consistent = 0;     // records with exactly `width` columns
  size_t unclean_cells = 0;  // cells holding another candidate delimiter
  size_t quoted_fields = 0;  // fields that open with the quote character
};

bool IsDecimalComma(std::string_view cell) {
  // "1,5" or "-1.234,56": a number written with a decimal comma.
  size_t comma = cell.rfind(',');
  if (comma == std::string_view::npos || comma == 0 || comma + 1 == cell.size()) return false;
  for (size_t i = 0; i < cell.size(); ++i) {
    char c = cell[i];
    if (!((c >= '0' && c <= '9') || c == '.' || (i == comma) || (i == 0 && (c == '-' || c == '+')))) return false;
  }
  return true;
}

// What a scan stops at: flags per byte value (none: passed over). A forced
// delimiter may also be the quote or a line end: the byte has both flags.
enum ByteClass : uint8_t { kPlain = 0, kQuote = 1, kDelimiter = 2, kLineEnd = 4, kOther = 8, kComma = 16 };

// The first byte at or after `i` whose class is not kPlain (or the end).
size_t NextStop(const uint8_t* classes, std::string_view s, size_t i) {
  while (i < s.size() && classes[static_cast<unsigned char>(s[i])] == kPlain) ++i;
  return i;
}

CandidateStats Measure(std::string_view sample, bool truncated, char delimiter, char quote) {
  CandidateStats stats;
  stats.delimiter = delimiter;
  stats.quote = quote;
  // A cell is unclean when it holds another candidate delimiter (a comma
  // only when the cell is not a number with a decimal comma): those bytes
  // are stops too, inside quotes or not.
  uint8_t classes[256] = {};
  for (char other : kDelimiters) {
    if (other != delimiter) classes[static_cast<unsigned char>(other)] = other == ',' ? kComma : kOther;
  }
  classes[static_cast<unsigned char>('\n')] |= kLineEnd;
  classes[static_cast<unsigned char>('\r')] |= kLineEnd;
  classes[static_cast<unsigned char>(delimiter)] |= kDelimiter;
  classes[static_cast<unsigned char>(quote)] |= kQuote;
  std::map<size_t, size_t> widths;  // column count -> records
  size_t i = 0, n = sample.size();
  while (i < n && stats.records < kSampleRecords) {
    if (sample[i] == '\n' || sample[i] == '\r') {
      ++i;
      continue;  // blank line
    }
    size_t columns = 1;
    bool complete = false;
    size_t cell_start = i;
    bool in_quotes = false;
    bool other = false, comma = false;  // the cell's other delimiters so far
    auto close_cell = [&](size_t end) {
      if (other || (comma && !IsDecimalComma(sample.substr(cell_start, end - cell_start)))) ++stats.unclean_cells;
      other = comma = false;
    };
    while ((i = NextStop(classes, sample, i)) < n) {
      const char c = sample[i];
      const uint8_t kind = classes[static_cast<unsigned char>(c)];
      if (kind & (kOther | kComma)) {  // (another candidate: no other part)
        (kind == kOther ? other : comma) = true;
        ++i;
        continue;
      }
      if (in_quotes) {
        if (kind & kQuote) {
          if (i + 1 < n && sample[i + 1] == quote) {
            i += 2;
            continue;
          }
          in_quotes = false;
        }
        ++i;
        continue;
      }
      if ((kind & kQuote) && (i == cell_start || sample.substr(cell_start, i - cell_start).find_first_not_of(' ') ==
                                                    std::string_view::npos)) {
        in_quotes = true;
        ++stats.quoted_fields;
      } else if (kind & kDelimiter) {
        close_cell(i);
        ++columns;
        cell_start = i + 1;
      } else if (kind & kLineEnd) {
        close_cell(i);
        complete = true;
        break;
      }
      ++i;
    }
    if (!complete && i >= n) {
      if (truncated) break;  // the sample cut this record short: ignore it
      close_cell(n);
    }
    ++stats.records;
    ++widths[columns];
  }
  for (const auto& [width, count] : widths) {
    if (width >= 2 && (count > stats.consistent || (count == stats.consistent && width > stats.width))) {
      stats.width = width;
      stats.consistent = count;
    }
  }
  return stats;
}

bool Better(const CandidateStats& a, const CandidateStats& b) {
  if (a.consistent != b.consistent) return a.consistent > b.consistent;
  if (a.width != b.width) return a.width > b.width;
  return a.unclean_cells < b.unclean_cells;  // ties keep the earlier candidate
}

const char* DelimiterName(char delimiter) {
  switch (delimiter) {
    case ',': return "comma";
    case ';': return "semicolon";
    case '\t': return "tab";
    case '|': return "pipe";
    default: return "delimiter";
  }
}

std::string LineEnding(std::string_view sample, char quote) {
  size_t crlf = 0, lf = 0, cr = 0;
  bool in_quotes = false;
  // The next quote or line end: sixteen bytes at a time where there are
  // vectors (lines run long between them), then byte by byte.
  auto next = [&](size_t i) {
#if defined(SLUICE_BYTES16)
    for (; i + 16 <= sample.size(); i += 16) {
      const Bytes16 w(sample.data() + i);
      const uint32_t stops = w.Equal(quote) | w.Equal('\n') | w.Equal('\r');
      if (stops) return i + static_cast<size_t>(__builtin_ctz(stops));
    }
#endif
    while (i < sample.size() && sample[i] != quote && sample[i] != '\n' && sample[i] != '\r') ++i;
    return i;
  };
  for (size_t i = 0; (i = next(i)) < sample.size(); ++i) {
    char c = sample[i];
    if (c == quote) in_quotes = !in_quotes;  // "" toggles twice: no change
    if (in_quotes) continue;
    if (c == '\r') {
      if (i + 1 < sample.size() && sample[i + 1] == '\n') {
        ++crlf;
        ++i;
      } else {
        ++cr;
      }
    } else if (c == '\n') {
      ++lf;
    }
  }
  int kinds = (crlf > 0) + (lf > 0) + (cr > 0);
  if (kinds == 0) return "none";
  if (kinds > 1) return "mixed";
  return crlf ? "crlf" : lf ? "lf" : "cr";
}

std::string Evidence(const CandidateStats& best, const std::vector<CandidateStats>& all) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, "%s splits %zu of %zu sampled rows into %zu columns", DelimiterName(best.delimiter),
                best.consistent, best.records, best.width);
  std::string evidence = buffer;
  for (const CandidateStats& other : all) {
    if (other.delimiter == best.delimiter || other.quote != best.quote || other.consistent == 0) continue;
    std::snprintf(buffer, sizeof buffer, "; %s: %zu rows into %zu", DelimiterName(other.delimiter), other.consistent,
                  other.width);
    evidence += buffer;
  }
  return evidence;
}

}  // namespace

DialectReport SniffDialect(std::string_view text, std::optional<char> forced_delimiter) {
  std::string_view sample = text.substr(0, kSampleBytes);
  bool truncated = sample.size() < text.size();
  DialectReport report;

  std::vector<CandidateStats> all;
  for (char quote : kQuotes) {
    if (forced_delimiter) {
      all.push_back(Measure(sample, truncated, *forced_delimiter, quote));
    } else {
      for (char delimiter : kDelimiters) all.push_back(Measure(sample, truncated, delimiter, quote));
    }
  }
  // A single quote competes only where it opens fields, and wins only when
  // clearly better: apostrophes in text ("O'Brien") are far more common.
  CandidateStats best = all.front();
  for (const CandidateStats& candidate : all) {
    if (candidate.quote == '\'' && candidate.quoted_fields == 0) continue;
    if (Better(candidate, best)) best = candidate;
  }
  if (best.quote == '\'') {
    for (const CandidateStats& candidate : all) {
      if (candidate.quote == '"' && candidate.delimiter == best.delimiter &&
          candidate.consistent * 10 >= best.consistent * 9) {
        best = candidate;
        break;
      }
    }
  }

  report.delimiter = best.delimiter;
  report.quote = best.quote;
  report.line_ending = LineEnding(sample, best.quote);
  if (forced_delimiter) {
    report.evidence = std::string("the schema's delimiter setting (") + DelimiterName(best.delimiter) + ")";
  } else if (best.consistent == 0) {
    report.delimiter = ',';
    report.evidence = "no delimiter splits the rows: one column";
  } else {
    report.evidence = Evidence(best, all);
  }
  return report;
}

bool LooksDelimited(std::string_view text) {
  std::string_view sample = text.substr(0, kSampleBytes);
  bool truncated = sample.size() < text.size();
  for (char delimiter : kDelimiters) {
    CandidateStats stats = Measure(sample, truncated, delimiter, '"');
    if (stats.consistent >= 2 && stats.consistent * 10 >= stats.records * 8) return true;
  }
  return false;
}

}  // namespace sluice
