// Stage 5, match: which file column feeds which schema field. Each (column,
// field) pair is scored from the header against the field's key, label and
// alternateMatches (exact after normalising, else fuzzy token and character
// similarity) and from the column's values against the field's type; pairs are
// then assigned one to one (many to one for manyToOne fields), best first. A
// remembered mapping wins where its headers are present.
#ifndef SLUICE_MATCH_COLUMN_MATCHER_H_
#define SLUICE_MATCH_COLUMN_MATCHER_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/import.h"
#include "sluice/schema.h"

namespace sluice {

//! Below this confidence a column stays unmapped.
constexpr double kMappingThreshold = 0.6;

struct MatchRequest {
  std::vector<std::string> headers;                       //!< one per column
  std::vector<std::vector<std::string_view>> samples;     //!< non-empty values per column
  const std::map<std::string, std::string>* remembered = nullptr;
  bool fuzzy = true;                                      //!< matchingStep.fuzzyMatchHeaders
};

//! The mapping, ordered by column.
std::vector<ColumnMatch> MatchColumns(const MatchRequest& request, const Schema& schema);

//! How similar a header is to a field name, in [0, 1] (1: equal after normalising).
double NameSimilarity(std::string_view header, std::string_view name);

}  // namespace sluice

#endif  // SLUICE_MATCH_COLUMN_MATCHER_H_
