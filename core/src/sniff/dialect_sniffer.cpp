// SniffDialect: each (delimiter, quote) candidate tokenizes the same sample
// (quote-aware, so quoted delimiters and line breaks do not count); the one
// whose most common column count (>= 2) covers the most records wins, then
// the one with more columns, then the one whose cells are cleanest.
#include "sniff/dialect_sniffer.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

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

CandidateStats Measure(std::string_view sample, bool truncated, char delimiter, char quote) {
  CandidateStats stats;
  stats.delimiter = delimiter;
  stats.quote = quote;
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
    auto close_cell = [&](size_t end) {
      std::string_view cell = sample.substr(cell_start, end - cell_start);
      for (char other : kDelimiters) {
        if (other != delimiter && cell.find(other) != std::string_view::npos &&
            !(other == ',' && IsDecimalComma(cell))) {
          ++stats.unclean_cells;
          break;
        }
      }
    };
    while (i < n) {
      char c = sample[i];
      if (in_quotes) {
        if (c == quote) {
          if (i + 1 < n && sample[i + 1] == quote) {
            i += 2;
            continue;
          }
          in_quotes = false;
        }
        ++i;
        continue;
      }
      if (c == quote && (i == cell_start || sample.substr(cell_start, i - cell_start).find_first_not_of(' ') ==
                                                 std::string_view::npos)) {
        in_quotes = true;
        ++stats.quoted_fields;
      } else if (c == delimiter) {
        close_cell(i);
        ++columns;
        cell_start = i + 1;
      } else if (c == '\n' || c == '\r') {
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
  for (size_t i = 0; i < sample.size(); ++i) {
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
