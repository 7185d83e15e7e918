// RunValidators: field by field, validator by validator, row by row.
#include "validate/validators.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <unordered_map>


namespace sluice {
namespace {

size_t CodePoints(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string LowerAscii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return text;
}

bool AllLetters(std::string_view text) {
  static const RE2* letters = new RE2("^\\p{L}+$");  // compiled once, never destroyed
  return RE2::FullMatch(text, *letters);
}

std::string Names(const std::vector<std::string>& keys) {
  std::string out;
  for (const std::string& key : keys) out += (out.empty() ? "" : ", ") + key;
  return out;
}

struct Context {
  const Schema& schema;
  const std::vector<const FieldColumn*>& columns;
  std::vector<CellMessage>* messages;

  const FieldColumn* Column(const std::string& key) const {
    for (const FieldColumn* column : columns) {
      if (column->field->key == key) return column;
    }
    return nullptr;
  }
  bool Present(const std::string& key, size_t row) const {
    const FieldColumn* column = Column(key);
    return column && column->mapped && !column->raw[row].empty();
  }
  bool Equals(const std::string& key, size_t row, const std::string& expected) const {
    const FieldColumn* column = Column(key);
    if (!column || !column->mapped) return false;
    return LowerAscii(std::string(column->raw[row])) == LowerAscii(expected) ||
           LowerAscii(column->values.Text(row)) == LowerAscii(expected);
  }
  void Add(const FieldColumn& column, size_t row, const Validator& validator, const std::string& code,
           const std::string& message) const {
    messages->push_back({row, column.field->key, code, validator.level,
                         validator.error_message.empty() ? message : validator.error_message,
                         std::string(column.raw[row])});
  }
};

void RequireFamily(const Context& ctx, const FieldColumn& column, const Validator& v, size_t rows) {
  for (size_t row = 0; row < rows; ++row) {
    if (!column.raw[row].empty()) continue;
    bool needed = false;
    std::string why;
    switch (v.kind) {
      case ValidatorKind::kRequired:
        needed = true;
        why = "a value is required";
        break;
      case ValidatorKind::kRequireWith:
        needed = std::any_of(v.fields.begin(), v.fields.end(), [&](const std::string& k) { return ctx.Present(k, row); });
        why = "a value is required when any of " + Names(v.fields) + " has one";
        break;
      case ValidatorKind::kRequireWithAll:
        needed = std::all_of(v.fields.begin(), v.fields.end(), [&](const std::string& k) { return ctx.Present(k, row); });
        why = "a value is required when all of " + Names(v.fields) + " have one";
        break;
      case ValidatorKind::kRequireWithout:
        needed = std::any_of(v.fields.begin(), v.fields.end(), [&](const std::string& k) { return !ctx.Present(k, row); });
        why = "a value is required when any of " + Names(v.fields) + " is empty";
        break;
      case ValidatorKind::kRequireWithoutAll:
        needed = std::all_of(v.fields.begin(), v.fields.end(), [&](const std::string& k) { return !ctx.Present(k, row); });
        why = "a value is required when all of " + Names(v.fields) + " are empty";
        break;
      default: {
        auto matches = [&](const std::pair<std::string, std::string>& fv) { return ctx.Equals(fv.first, row, fv.second); };
        const auto& fvs = v.field_values;
        std::vector<std::string> keys;
        for (const auto& fv : fvs) keys.push_back(fv.first + " = '" + fv.second + "'");
        if (v.kind == ValidatorKind::kRequireWithValues) {
          needed = std::any_of(fvs.begin(), fvs.end(), matches);
          why = "a value is required when any of " + Names(keys);
        } else if (v.kind == ValidatorKind::kRequireWithAllValues) {
          needed = std::all_of(fvs.begin(), fvs.end(), matches);
          why = "a value is required when all of " + Names(keys);
        } else if (v.kind == ValidatorKind::kRequireWithoutValues) {
          needed = !std::all_of(fvs.begin(), fvs.end(), matches);
          why = "a value is required unless all of " + Names(keys);
        } else {
          needed = std::none_of(fvs.begin(), fvs.end(), matches);
          why = "a value is required unless any of " + Names(keys);
        }
      }
    }
    if (needed) ctx.Add(column, row, v, v.name, why);
  }
}

}  // namespace

void RunValidators(const Schema& schema, const std::vector<const FieldColumn*>& columns, std::vector<CellMessage>* messages) {
  Context ctx{schema, columns, messages};
  const size_t rows = columns.empty() ? 0 : columns.front()->raw.size();

  // unique_with groups: uniqueKey -> the fields that carry it.
  std::map<std::string, std::vector<std::pair<const FieldColumn*, const Validator*>>> unique_with;

  for (const FieldColumn* column_pointer : columns) {
    const FieldColumn& column = *column_pointer;
    if (!column.mapped) continue;
    for (const Validator& v : column.field->validators) {
      switch (v.kind) {
        case ValidatorKind::kRequired:
        case ValidatorKind::kRequireWith:
        case ValidatorKind::kRequireWithout:
        case ValidatorKind::kRequireWithAll:
        case ValidatorKind::kRequireWithoutAll:
        case ValidatorKind::kRequireWithValues:
        case ValidatorKind::kRequireWithoutValues:
        case ValidatorKind::kRequireWithAllValues:
        case ValidatorKind::kRequireWithoutAllValues:
          RequireFamily(ctx, column, v, rows);
          break;
        case ValidatorKind::kUnique:
        case ValidatorKind::kUniqueCaseInsensitive: {
          std::unordered_map<std::string, std::vector<size_t>> seen;
          for (size_t row = 0; row < rows; ++row) {
            if (column.raw[row].empty()) continue;
            std::string key = column.valid[row] ? column.values.Text(row) : std::string(column.raw[row]);
            if (v.kind == ValidatorKind::kUniqueCaseInsensitive) key = LowerAscii(key);
            seen[key].push_back(row);
          }
          std::vector<std::pair<size_t, size_t>> duplicates;  // (row, group size)
          for (const auto& [key, group] : seen) {
            if (group.size() < 2) continue;
            for (size_t row : group) duplicates.emplace_back(row, group.size());
          }
          std::sort(duplicates.begin(), duplicates.end());
          for (const auto& [row, count] : duplicates) {
            ctx.Add(column, row, v, v.name, "'" + std::string(column.raw[row]) + "' appears in " + std::to_string(count) + " rows");
          }
          break;
        }
        case ValidatorKind::kUniqueWith:
          unique_with[v.unique_key].emplace_back(&column, &v);
          break;
        case ValidatorKind::kRegexMatch:
        case ValidatorKind::kRegexExclude:
          for (size_t row = 0; row < rows; ++row) {
            if (column.raw[row].empty() || !v.regex) continue;
            bool matched = RE2::PartialMatch(column.raw[row], *v.regex);
            if (v.kind == ValidatorKind::kRegexMatch && !matched) {
              ctx.Add(column, row, v, v.name, "'" + std::string(column.raw[row]) + "' does not match the expected pattern");
            } else if (v.kind == ValidatorKind::kRegexExclude && matched) {
              ctx.Add(column, row, v, v.name, "'" + std::string(column.raw[row]) + "' matches a pattern that is not allowed");
            }
          }
          break;
        case ValidatorKind::kLength:
          for (size_t row = 0; row < rows; ++row) {
            if (column.raw[row].empty()) continue;
            size_t n = CodePoints(column.raw[row]);
            if (v.min && n < *v.min) {
              ctx.Add(column, row, v, "length", "must be at least " + std::to_string(*v.min) + " characters long");
            } else if (v.max && n > *v.max) {
              ctx.Add(column, row, v, "length", "must be at most " + std::to_string(*v.max) + " characters long");
            }
          }
          break;
        case ValidatorKind::kAlphabetical:
          for (size_t row = 0; row < rows; ++row) {
            if (!column.raw[row].empty() && !AllLetters(column.raw[row])) {
              ctx.Add(column, row, v, "alphabetical", "must hold letters only");
            }
          }
          break;
      }
    }
  }

  // unique_with: the combination over every field carrying the same key.
  for (const auto& [unique_key, members] : unique_with) {
    std::unordered_map<std::string, std::vector<size_t>> seen;
    for (size_t row = 0; row < rows; ++row) {
      std::string key;
      bool any = false;
      for (const auto& [column, validator] : members) {
        any |= !column->raw[row].empty();
        key += (column->valid[row] ? column->values.Text(row) : std::string(column->raw[row])) + '\x1f';
      }
      if (any) seen[key].push_back(row);
    }
    std::vector<std::pair<size_t, size_t>> duplicates;
    for (const auto& [key, group] : seen) {
      if (group.size() < 2) continue;
      for (size_t row : group) duplicates.emplace_back(row, group.size());
    }
    std::sort(duplicates.begin(), duplicates.end());
    std::string names;
    for (const auto& [column, validator] : members) names += (names.empty() ? "" : ", ") + column->field->key;
    for (const auto& [row, count] : duplicates) {
      for (const auto& [column, validator] : members) {
        ctx.Add(*column, row, *validator, "unique_with",
                "the combination of " + names + " appears in " + std::to_string(count) + " rows");
      }
    }
  }
}

}  // namespace sluice
