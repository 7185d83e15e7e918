// Select and multi-select: a value matches an option's value, label or an
// alternate match (case, spacing, punctuation and accents ignored), then, unless
// the option is exactMatchOnly, the most similar option above 0.8; allowCustom
// takes anything. A select column's texts are decided once each (the issues
// are made for every cell). Multi-select splits on its delimiter; a repeated
// value is a warning.
#include <map>

#include "coerce/coerce.h"
#include "coerce/text_memo.h"
#include "coerce/value_column.h"
#include "text/short_text.h"

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
      if (option.exact_match_only) continue;
      fuzzy_.push_back({i, NormalizeForMatch(option.label)});
      fuzzy_.push_back({i, NormalizeForMatch(option.value)});
      for (const std::string& alternate : option.alternate_matches) fuzzy_.push_back({i, NormalizeForMatch(alternate)});
    }
  }

  // Select: a text already decided as an option's value is that value at
  // once; the rest as Coerce reads them.
  void CoerceCells(const std::string_view* texts, size_t n, ValueColumn* values, CellIssueSink* sink) const override {
    if (field_.type != FieldType::kSelect) return ColumnCoercer::CoerceCells(texts, n, values, sink);
    Coerced coerced;
    for (size_t i = 0; i < n; ++i) {
      if (texts[i].empty()) continue;
      const Outcome* known = known_.Find(texts[i]);
      if (known && known->kind == Outcome::kExact) {
        const std::string& value = field_.select_options[known->option].value;
        if (value.size() == texts[i].size() && SameBytes(value.data(), texts[i].data(), value.size())) {
          values->SetCell(i, texts[i]);  // (as Set keeps a value equal to its cell)
        } else {
          values->SetText(i, value);
        }
      } else {
        CoerceCell(i, texts[i], &coerced, values, sink);
      }
    }
  }

  void Coerce(std::string_view text, Coerced* out) const override {
    if (field_.type == FieldType::kSelect) {
      // A column repeats a few texts, its wrong ones too: each text's outcome
      // is kept (an exact match sets the option's value without a copy).
      const Outcome* known = known_.Find(text);
      const Outcome outcome = known ? *known : Decide(text);
      if (!known) known_.Add(text, outcome);
      switch (outcome.kind) {
        case Outcome::kExact:
          out->SetInputText(field_.select_options[outcome.option].value);  // (the field's, as long as this coercer)
          return;
        case Outcome::kFuzzy:
          out->SetInputText(field_.select_options[outcome.option].value);
          return Fuzzy(text, field_.select_options[outcome.option], out);
        case Outcome::kCustom: return out->SetString(text);
        case Outcome::kNone: return NoMatch(text, out);
      }
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
  struct Outcome {
    enum Kind : uint8_t { kExact, kFuzzy, kCustom, kNone } kind;
    size_t option;  // kExact, kFuzzy
  };

  // What a text is: an option's value, label or alternate (normalized); the
  // most similar option when clearly similar and allowed; custom; none.
  Outcome Decide(std::string_view text) const {
    const std::string normalized = NormalizeForMatch(text);
    auto exact = exact_.find(normalized);
    if (exact != exact_.end()) return {Outcome::kExact, exact->second};
    double best = 0;
    size_t best_option = SIZE_MAX;
    for (const auto& [option, form] : fuzzy_) {
      const double score = BigramSimilarity(normalized, form);
      if (score > best) {
        best = score;
        best_option = option;
      }
    }
    if (best_option != SIZE_MAX && best >= kFuzzyOptionThreshold) return {Outcome::kFuzzy, best_option};
    return {field_.choice.allow_custom ? Outcome::kCustom : Outcome::kNone, 0};
  }

  static void Fuzzy(std::string_view text, const SelectOption& option, Coerced* out) {
    out->issues.push_back({"select.fuzzy_match", Level::kInfo, "'" + std::string(text) + "' was read as '" + option.label + "'"});
  }

  void NoMatch(std::string_view text, Coerced* out) const {
    out->Fail("select.no_match", !field_.invalid_value_message.empty()
                                     ? field_.invalid_value_message
                                     : "'" + std::string(text) + "' is not one of the options");
  }

  // A multi-select's part: its option's value, or false (the cell failed).
  bool Match(std::string_view text, std::string* value, Coerced* out) const {
    const Outcome outcome = Decide(text);
    switch (outcome.kind) {
      case Outcome::kExact: *value = field_.select_options[outcome.option].value; return true;
      case Outcome::kFuzzy:
        *value = field_.select_options[outcome.option].value;
        Fuzzy(text, field_.select_options[outcome.option], out);
        return true;
      case Outcome::kCustom: *value = std::string(text); return true;
      case Outcome::kNone: NoMatch(text, out); return false;
    }
    return false;
  }

  const Field& field_;
  std::multimap<std::string, size_t> exact_;  // normalized text -> option index
  std::vector<std::pair<size_t, std::string>> fuzzy_;  // option index, a form it is matched by (normalized)
  // Select: the texts of this column already decided (one coercer reads one column, in order).
  mutable TextMemo<Outcome> known_;
};

}  // namespace

std::unique_ptr<ColumnCoercer> MakeChoiceCoercer(const Field& field) { return std::make_unique<ChoiceCoercer>(field); }

}  // namespace sluice
