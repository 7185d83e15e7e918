// Select and multi-select: a value matches an option's value, label or an
// alternate match (case, spacing, punctuation and accents ignored), then, unless
// the option is exactMatchOnly, the most similar option above 0.8; allowCustom
// takes anything. Multi-select splits on its delimiter; a repeated value is a
// warning.
#include <map>

#include "coerce/coerce.h"
#include "coerce/text_memo.h"

namespace sluice {
namespace {

constexpr double kFuzzyOptionThreshold = 0.8;

class ChoiceCoercer : public ColumnCoercer {
 public:
  explicit ChoiceCoercer(const Field& field) : field_(field) {
    for (size_t i = 0; i < field.select_options.size(); ++i) {
      const SelectOption& option = field.select_options[i];
      exact_.emplace(NormalizeForMatch(option.value), i);
      exact_.emplace(NormalizeForMatch(option.label), i);
      for (const std::string& alternate : option.alternate_matches) exact_.emplace(NormalizeForMatch(alternate), i);
    }
  }

  void Coerce(std::string_view text, Coerced* out) const override {
    if (field_.type == FieldType::kSelect) {
      // An exact match (most cells) sets the option's value without a copy in
      // between; a column repeats a few texts, so each text's match is kept.
      if (const size_t* known = known_.Find(text)) {
        out->SetInputText(field_.select_options[*known].value);  // (the field's, as long as this coercer)
        return;
      }
      auto exact = exact_.find(NormalizeForMatch(text));
      if (exact != exact_.end()) {
        known_.Add(text, exact->second);
        out->SetInputText(field_.select_options[exact->second].value);
        return;
      }
      std::string value;
      if (!Match(text, &value, out)) return;
      out->SetString(value);
      return;
    }
    out->value.kind = CellValue::Kind::kList;
    out->value.list.clear();
    std::vector<std::string>& list = out->value.list;
    const std::string& delimiter = field_.choice.delimiter;
    size_t start = 0;
    std::map<std::string, int> seen;
    for (;;) {
      size_t end = text.find(delimiter, start);
      std::string_view part = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      if (field_.choice.trim_values) part = TrimSpaces(part);
      if (!part.empty()) {
        std::string value;
        if (!Match(part, &value, out)) return;
        if (seen[value]++ == 1) {
          out->issues.push_back({"multi_select.duplicate", Level::kWarning, "'" + value + "' is listed more than once"});
        } else if (seen[value] == 1) {
          list.push_back(std::move(value));
        }
      }
      if (end == std::string_view::npos) break;
      start = end + delimiter.size();
    }
  }

 private:
  bool Match(std::string_view text, std::string* value, Coerced* out) const {
    std::string normalized = NormalizeForMatch(text);
    auto exact = exact_.find(normalized);
    if (exact != exact_.end()) {
      *value = field_.select_options[exact->second].value;
      return true;
    }
    // Fuzzy: the most similar option, when clearly similar and allowed.
    double best = 0;
    const SelectOption* best_option = nullptr;
    for (const SelectOption& option : field_.select_options) {
      if (option.exact_match_only) continue;
      double score = std::max(BigramSimilarity(normalized, NormalizeForMatch(option.label)),
                              BigramSimilarity(normalized, NormalizeForMatch(option.value)));
      for (const std::string& alternate : option.alternate_matches) {
        score = std::max(score, BigramSimilarity(normalized, NormalizeForMatch(alternate)));
      }
      if (score > best) {
        best = score;
        best_option = &option;
      }
    }
    if (best_option && best >= kFuzzyOptionThreshold) {
      *value = best_option->value;
      out->issues.push_back({"select.fuzzy_match", Level::kInfo,
                             "'" + std::string(text) + "' was read as '" + best_option->label + "'"});
      return true;
    }
    if (field_.choice.allow_custom) {
      *value = std::string(text);
      return true;
    }
    out->Fail("select.no_match", !field_.invalid_value_message.empty()
                                     ? field_.invalid_value_message
                                     : "'" + std::string(text) + "' is not one of the options");
    return false;
  }

  const Field& field_;
  std::multimap<std::string, size_t> exact_;  // normalized text -> option index
  // Texts of this column already matched exactly (one coercer reads one column, in order).
  mutable TextMemo<size_t> known_;
};

}  // namespace

std::unique_ptr<ColumnCoercer> MakeChoiceCoercer(const Field& field) { return std::make_unique<ChoiceCoercer>(field); }

}  // namespace sluice
