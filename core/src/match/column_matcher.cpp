// MatchColumns: score every pair, keep those above the threshold, assign the
// best first. Deterministic: ties go to the earlier column, then field.
#include "match/column_matcher.h"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "coerce/coerce.h"
#include "text/number_text.h"

namespace sluice {
namespace {

constexpr size_t kValueSample = 100;

// "firstName" and "first_name" -> "first name".
std::string SplitKey(std::string_view key) {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    if (i > 0 && c >= 'A' && c <= 'Z' && key[i - 1] >= 'a' && key[i - 1] <= 'z') out.push_back(' ');
    out.push_back(c);
  }
  return NormalizeForMatch(out);
}

std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> tokens;
  size_t start = 0;
  while (start < s.size()) {
    size_t space = s.find(' ', start);
    if (space == std::string_view::npos) space = s.size();
    if (space > start) tokens.push_back(s.substr(start, space - start));
    start = space + 1;
  }
  return tokens;
}

std::string Compact(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ') out.push_back(c);
  }
  return out;
}

double TokenSimilarity(std::string_view a, std::string_view b) {
  if (a == b) return 1;
  size_t shorter = std::min(a.size(), b.size());
  if (shorter >= 3 && (a.substr(0, shorter) == b.substr(0, shorter))) return 0.9;  // "addr" of "address"
  return BigramSimilarity(a, b);
}

// Normalized strings; 1 when equal.
double NormalizedSimilarity(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return 0;
  if (a == b) return 1;
  std::string ca = Compact(a), cb = Compact(b);
  if (ca == cb) return 0.98;
  std::vector<std::string_view> ta = Tokens(a), tb = Tokens(b);
  double sum = 0;
  for (std::string_view x : ta) {
    double best = 0;
    for (std::string_view y : tb) best = std::max(best, TokenSimilarity(x, y));
    sum += best;
  }
  for (std::string_view y : tb) {
    double best = 0;
    for (std::string_view x : ta) best = std::max(best, TokenSimilarity(x, y));
    sum += best;
  }
  double tokens = sum / static_cast<double>(ta.size() + tb.size());
  return std::max(tokens, BigramSimilarity(ca, cb));
}

const char* TypeNoun(FieldType type) {
  switch (type) {
    case FieldType::kNumber: return "numbers";
    case FieldType::kDate: return "dates";
    case FieldType::kDatetime: return "dates and times";
    case FieldType::kTime: return "times";
    case FieldType::kSelect:
    case FieldType::kMultiSelect: return "options of the field";
    case FieldType::kCheckbox: return "yes/no values";
    case FieldType::kEmail: return "email addresses";
    case FieldType::kUrl: return "URLs";
    case FieldType::kDomain: return "domains";
    case FieldType::kPhoneNumber: return "phone numbers";
    case FieldType::kCountry: return "countries";
    case FieldType::kUsStateTerritory: return "US states";
    case FieldType::kUsZipCode: return "ZIP codes";
    case FieldType::kSsn: return "social security numbers";
    case FieldType::kUuid: return "UUIDs";
    default: return "values";
  }
}

struct Candidate {
  size_t column;
  size_t field;
  double confidence;
  std::string reason;
};

}  // namespace

double NameSimilarity(std::string_view header, std::string_view name) {
  return NormalizedSimilarity(NormalizeForMatch(header), NormalizeForMatch(name));
}

std::vector<ColumnMatch> MatchColumns(const MatchRequest& request, const Schema& schema) {
  const size_t columns = request.headers.size();
  std::vector<ColumnMatch> out;
  std::vector<bool> column_taken(columns, false);
  std::vector<size_t> field_uses(schema.fields.size(), 0);

  auto field_index = [&](const std::string& key) -> size_t {
    for (size_t f = 0; f < schema.fields.size(); ++f) {
      if (schema.fields[f].key == key) return f;
    }
    return schema.fields.size();
  };
  auto take = [&](size_t column, size_t field, double confidence, std::string reason) {
    column_taken[column] = true;
    ++field_uses[field];
    out.push_back({column, request.headers[column], schema.fields[field].key, confidence, std::move(reason)});
  };

  // 1. A remembered mapping, where its headers are present.
  if (request.remembered) {
    for (size_t column = 0; column < columns; ++column) {
      auto it = request.remembered->find(std::string(TrimSpaces(request.headers[column])));
      if (it == request.remembered->end()) continue;
      size_t field = field_index(it->second);
      if (field == schema.fields.size()) continue;
      if (field_uses[field] > 0 && !schema.fields[field].many_to_one) continue;
      take(column, field, 1.0, "remembered from an earlier import");
    }
  }

  // 2. Every remaining pair, scored.
  std::vector<Candidate> candidates;
  for (size_t column = 0; column < columns; ++column) {
    if (column_taken[column]) continue;
    std::string header = NormalizeForMatch(request.headers[column]);
    if (header.empty()) continue;
    for (size_t f = 0; f < schema.fields.size(); ++f) {
      const Field& field = schema.fields[f];
      struct Name {
        std::string normalized;
        std::string text;
        const char* what;
      };
      std::vector<Name> names = {{SplitKey(field.key), field.key, "key"}, {NormalizeForMatch(field.label), field.label, "label"}};
      for (const std::string& alternate : field.alternate_matches) {
        names.push_back({NormalizeForMatch(alternate), alternate, "alternate match"});
      }
      double best = 0;
      const Name* best_name = nullptr;
      for (const Name& name : names) {
        double score = name.normalized == header ? 1.0 : request.fuzzy ? NormalizedSimilarity(header, name.normalized) : 0.0;
        if (!request.fuzzy && Compact(name.normalized) == Compact(header)) score = 0.98;
        if (score > best) {
          best = score;
          best_name = &name;
        }
      }
      if (!best_name || best < 0.4) continue;
      std::string reason;
      double confidence = best;
      if (best >= 0.98 && std::string(best_name->what) == "alternate match") {
        reason = "alternate match '" + best_name->text + "'";
      } else if (best >= 0.98) {
        reason = std::string(best == 1.0 ? "exact match of " : "match (spacing aside) of ") + best_name->what + " '" +
                 best_name->text + "'";
      } else {
        reason = PercentText(best) + " similar to " + best_name->what + " '" + best_name->text + "'";
      }
      // Values against the type, for typed fields.
      const std::vector<std::string_view>& sample = request.samples[column];
      if (field.type != FieldType::kString && !sample.empty()) {
        std::vector<std::string_view> head(sample.begin(), sample.begin() + std::min(sample.size(), kValueSample));
        std::unique_ptr<ColumnCoercer> coercer = MakeCoercer(field, head);
        size_t fit = 0;
        for (std::string_view value : head) {
          Coerced coerced;
          coercer->Coerce(TrimSpaces(value), &coerced);
          fit += coerced.valid();
        }
        double fraction = static_cast<double>(fit) / static_cast<double>(head.size());
        if (best < 0.98) confidence = 0.8 * best + 0.2 * fraction;
        reason += "; " + PercentText(fraction) + " of values are " + TypeNoun(field.type);
      }
      if (confidence >= kMappingThreshold) candidates.push_back({column, f, confidence, std::move(reason)});
    }
  }

  // 3. Best first, one column per field unless manyToOne.
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    if (a.column != b.column) return a.column < b.column;
    return a.field < b.field;
  });
  for (Candidate& candidate : candidates) {
    if (column_taken[candidate.column]) continue;
    if (field_uses[candidate.field] > 0 && !schema.fields[candidate.field].many_to_one) continue;
    take(candidate.column, candidate.field, candidate.confidence, std::move(candidate.reason));
  }
  std::sort(out.begin(), out.end(), [](const ColumnMatch& a, const ColumnMatch& b) { return a.column < b.column; });
  return out;
}

}  // namespace sluice
