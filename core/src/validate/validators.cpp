// RunValidators: field by field, validator by validator, row by row.
#include "validate/validators.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <cstdint>
#include <functional>


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
    if (!messages) return;
    messages->push_back({row, column.field->key, code, validator.level,
                         validator.error_message.empty() ? message : validator.error_message,
                         std::string(column.raw[row])});
  }
};

// The require family for one row: whether the cell must hold a value, and why.
bool RequireNeeded(const Context& ctx, const Validator& v, size_t row, std::string* why) {
  switch (v.kind) {
    case ValidatorKind::kRequired:
      *why = "a value is required";
      return true;
    case ValidatorKind::kRequireWith:
      *why = "a value is required when any of " + Names(v.fields) + " has one";
      return std::any_of(v.fields.begin(), v.fields.end(), [&](const std::string& k) { return ctx.Present(k, row); });
    case ValidatorKind::kRequireWithAll:
      *why = "a value is required when all of " + Names(v.fields) + " have one";
      return std::all_of(v.fields.begin(), v.fields.end(), [&](const std::string& k) { return ctx.Present(k, row); });
    case ValidatorKind::kRequireWithout:
      *why = "a value is required when any of " + Names(v.fields) + " is empty";
      return std::any_of(v.fields.begin(), v.fields.end(), [&](const std::string& k) { return !ctx.Present(k, row); });
    case ValidatorKind::kRequireWithoutAll:
      *why = "a value is required when all of " + Names(v.fields) + " are empty";
      return std::all_of(v.fields.begin(), v.fields.end(), [&](const std::string& k) { return !ctx.Present(k, row); });
    default: {
      auto matches = [&](const std::pair<std::string, std::string>& fv) { return ctx.Equals(fv.first, row, fv.second); };
      const auto& fvs = v.field_values;
      std::vector<std::string> keys;
      for (const auto& fv : fvs) keys.push_back(fv.first + " = '" + fv.second + "'");
      if (v.kind == ValidatorKind::kRequireWithValues) {
        *why = "a value is required when any of " + Names(keys);
        return std::any_of(fvs.begin(), fvs.end(), matches);
      }
      if (v.kind == ValidatorKind::kRequireWithAllValues) {
        *why = "a value is required when all of " + Names(keys);
        return std::all_of(fvs.begin(), fvs.end(), matches);
      }
      if (v.kind == ValidatorKind::kRequireWithoutValues) {
        *why = "a value is required unless all of " + Names(keys);
        return !std::all_of(fvs.begin(), fvs.end(), matches);
      }
      *why = "a value is required unless any of " + Names(keys);
      return std::none_of(fvs.begin(), fvs.end(), matches);
    }
  }
}

// A length validator passes a text of `bytes` bytes whatever they are: it has
// at least a quarter as many code points as bytes, at most as many.
bool LengthPassesByBytes(const Validator& v, size_t bytes) {
  return (!v.min || bytes / 4 >= *v.min) && (!v.max || bytes <= *v.max);
}

bool RequireFamily(ValidatorKind kind) {
  switch (kind) {
    case ValidatorKind::kRequired:
    case ValidatorKind::kRequireWith:
    case ValidatorKind::kRequireWithout:
    case ValidatorKind::kRequireWithAll:
    case ValidatorKind::kRequireWithoutAll:
    case ValidatorKind::kRequireWithValues:
    case ValidatorKind::kRequireWithoutValues:
    case ValidatorKind::kRequireWithAllValues:
    case ValidatorKind::kRequireWithoutAllValues: return true;
    default: return false;
  }
}

// Validator `v` of `column` at `row`, for every kind but the unique family:
// false when it passes, else the message's code and text.
bool Check(const Context& ctx, const FieldColumn& column, const Validator& v, size_t row, std::string* code,
           std::string* message) {
  std::string_view raw = column.raw[row];
  if (RequireFamily(v.kind)) {
    if (!raw.empty() || !RequireNeeded(ctx, v, row, message)) return false;
    *code = v.name;
    return true;
  }
  switch (v.kind) {
    case ValidatorKind::kRegexMatch:
    case ValidatorKind::kRegexExclude: {
      if (raw.empty() || !v.regex) return false;
      bool matched = RE2::PartialMatch(raw, *v.regex);
      if (v.kind == ValidatorKind::kRegexMatch && !matched) {
        *message = "'" + std::string(raw) + "' does not match the expected pattern";
      } else if (v.kind == ValidatorKind::kRegexExclude && matched) {
        *message = "'" + std::string(raw) + "' matches a pattern that is not allowed";
      } else {
        return false;
      }
      *code = v.name;
      return true;
    }
    case ValidatorKind::kLength: {
      if (raw.empty()) return false;
      if (LengthPassesByBytes(v, raw.size())) return false;  // (most pass without counting)
      size_t n = CodePoints(raw);
      if (v.min && n < *v.min) {
        *message = "must be at least " + std::to_string(*v.min) + " characters long";
      } else if (v.max && n > *v.max) {
        *message = "must be at most " + std::to_string(*v.max) + " characters long";
      } else {
        return false;
      }
      *code = "length";
      return true;
    }
    case ValidatorKind::kAlphabetical:
      if (raw.empty() || AllLetters(raw)) return false;
      *code = "alphabetical";
      *message = "must hold letters only";
      return true;
    default:  // (the required family above; the unique family is checked apart)
      return false;
  }
}

}  // namespace

namespace {

// Visits every row whose key another row shares, with its group's size.
template <typename Visit>
void ForEachDuplicate(const Duplicates& duplicates, size_t first_row, size_t rows, Visit visit) {
  for (size_t row = 0; row < rows; ++row) {
    size_t count = duplicates.Count(first_row + row);
    if (count > 1) visit(row, count);
  }
}

}  // namespace

void Duplicates::AddHashed(size_t row, std::string_view key, uint64_t mixed, bool stable) {
  if (row >= group_.size()) group_.resize(std::max(row + 1, group_.size() * 2), kNone);
  if ((groups_.size() + 1) * 4 > slots_.size() * 3) Grow();
  const size_t size = slots_.size();
  const uint64_t tag = Tag(mixed);
  size_t slot = Home(mixed, size);
  // A slot holds its key's hash tag beside the group: another key's slot is
  // passed over without reading its group or its bytes (a cache miss each,
  // over a million keys).
  while (slots_[slot] != 0) {
    if ((slots_[slot] & kTagBits) == tag) {
      const uint32_t g = static_cast<uint32_t>(slots_[slot]) - 1;
      Group& group = groups_[g];
      if ((group.length & ~kInArena) == key.size() && SameBytes(Key(group).data(), key.data(), key.size())) {
        ++group.count;
        group_[row] = g;
        return;
      }
    }
    if (++slot == size) slot = 0;
  }
  // (The group's fields stored one by one: a Group built whole was built on
  // the stack and copied, and its copy waited on the stores just made.)
  Group& group = groups_.emplace_back();
  group.count = 1;
  if (stable) {
    group.at = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(key.data()));
    group.length = static_cast<uint32_t>(key.size());
  } else {
    group.at = arena_.size();
    group.length = static_cast<uint32_t>(key.size()) | kInArena;
    arena_.Append(key.data(), key.size());
  }
  slots_[slot] = tag | groups_.size();
  group_[row] = static_cast<uint32_t>(groups_.size() - 1);
}

void Duplicates::Grow() {
  std::vector<uint64_t> slots(slots_.empty() ? 64 : slots_.size() * 2, 0);
  const size_t size = slots.size();
  for (size_t g = 0; g < groups_.size(); ++g) {
    const uint64_t mixed = Hash(Key(groups_[g]));
    size_t slot = Home(mixed, size);
    while (slots[slot] != 0) {
      if (++slot == size) slot = 0;
    }
    slots[slot] = Tag(mixed) | (g + 1);
  }
  slots_ = std::move(slots);
}

void RunValidators(const Schema& schema, const std::vector<const FieldColumn*>& columns, std::vector<CellMessage>* messages,
                   const UniqueIndex* unique, size_t first_row) {
  Context ctx{schema, columns, messages};
  const size_t rows = columns.empty() ? 0 : columns.front()->raw.size();

  // unique_with groups: uniqueKey -> the fields that carry it.
  std::map<std::string, std::vector<std::pair<const FieldColumn*, const Validator*>>> unique_with;

  for (const FieldColumn* column_pointer : columns) {
    const FieldColumn& column = *column_pointer;
    if (!column.mapped) continue;
    for (const Validator& v : column.field->validators) {
      switch (v.kind) {
        case ValidatorKind::kUnique:
        case ValidatorKind::kUniqueCaseInsensitive: {
          auto add = [&](size_t row, size_t count) { ctx.Add(column, row, v, v.name, UniqueMessage(column.raw[row], count)); };
          auto known = unique ? unique->by_validator.find(&v) : std::map<const Validator*, Duplicates>::const_iterator();
          if (unique && known != unique->by_validator.end()) {
            ForEachDuplicate(known->second, first_row, rows, add);
            break;
          }
          Duplicates duplicates(rows);
          AddUniqueKeys(column, v, rows, 0, true, &duplicates);
          ForEachDuplicate(duplicates, 0, rows, add);
          break;
        }
        case ValidatorKind::kUniqueWith:
          unique_with[v.unique_key].emplace_back(&column, &v);
          break;
        default: {
          std::string code, message;
          auto check = [&](size_t row) {
            if (Check(ctx, column, v, row, &code, &message)) ctx.Add(column, row, v, code, message);
          };
          const std::string_view* raw = column.raw.data();
          if (RequireFamily(v.kind)) {
            // A filled cell passes the required family: only the empty ones are checked.
            for (size_t row = 0; row < rows; ++row) {
              if (raw[row].empty()) check(row);
            }
          } else if (v.kind == ValidatorKind::kLength) {
            // An empty cell passes, and so does one whose bytes are within the
            // bounds as code points (Check's own first test).
            for (size_t row = 0; row < rows; ++row) {
              if (!raw[row].empty() && !LengthPassesByBytes(v, raw[row].size())) check(row);
            }
          } else {
            for (size_t row = 0; row < rows; ++row) check(row);
          }
        }
      }
    }
  }

  // unique_with: the combination over every field carrying the same key.
  for (const auto& entry : unique_with) {
    const auto& members = entry.second;  // (a structured binding cannot be captured in C++17)
    std::vector<const FieldColumn*> member_columns;
    for (const auto& member : members) member_columns.push_back(member.first);
    auto add = [&](size_t row, size_t count) {
      for (const auto& [column, validator] : members) {
        ctx.Add(*column, row, *validator, "unique_with", UniqueWithMessage(member_columns, count));
      }
    };
    auto known = unique ? unique->by_unique_key.find(entry.first) : std::map<std::string, Duplicates>::const_iterator();
    if (unique && known != unique->by_unique_key.end()) {
      ForEachDuplicate(known->second, first_row, rows, add);
      continue;
    }
    Duplicates duplicates(rows);
    std::string key;
    for (size_t row = 0; row < rows; ++row) {
      key.clear();
      if (UniqueWithKey(member_columns, row, &key)) duplicates.Add(row, key);
    }
    ForEachDuplicate(duplicates, 0, rows, add);
  }
}

bool CheckValidator(const Schema& schema, const std::vector<const FieldColumn*>& columns, const FieldColumn& column,
                    const Validator& v, size_t row, CellMessage* out) {
  std::vector<CellMessage> messages;
  Context ctx{schema, columns, &messages};
  std::string code, message;
  if (!column.mapped || !Check(ctx, column, v, row, &code, &message)) return false;
  ctx.Add(column, row, v, code, message);
  *out = std::move(messages.back());
  return true;
}

namespace {

// The common cases without building the key: an invalid cell's key is its
// text; a valid one's is its value's text, most often the cell as read.
// (A number written as its cell: its text is the cell, column.raw[row].)
bool UniqueKeyIsCell(const FieldColumn& column, const Validator& v, size_t row) {
  return v.kind == ValidatorKind::kUnique &&
         (!column.valid[row] || column.values.NumberAsRead(row) || column.values.TextIs(row, column.raw[row]));
}

}  // namespace

void AddUniqueKeys(const FieldColumn& column, const Validator& v, size_t rows, size_t first_index_row, bool stable,
                   Duplicates* duplicates, bool cells_are_keys) {
  // The keys that are their cells, hashed in row order, then added, each
  // key's slot asked for kAhead keys before it is added (the slot has come
  // by then; asked for just before, as a batch of 16 was, the first ones
  // still waited on memory).
  constexpr size_t kAhead = 16;
  std::vector<std::pair<size_t, uint64_t>> batch;  // (row, hash)
  batch.reserve(rows);
  auto flush = [&]() {
    const size_t n = batch.size();
    for (size_t k = 0; k < std::min(kAhead, n); ++k) duplicates->Fetch(batch[k].second);
    for (size_t k = 0; k < n; ++k) {
      if (k + kAhead < n) duplicates->Fetch(batch[k + kAhead].second);
      const size_t row = batch[k].first;
      duplicates->AddHashed(first_index_row + row, column.raw[row], batch[k].second, stable);
    }
    batch.clear();
  };
  for (size_t row = 0; row < rows; ++row) {
    if (column.raw[row].empty()) continue;
    if (!cells_are_keys && !UniqueKeyIsCell(column, v, row)) {
      flush();  // the keys go in in row order
      std::string key = UniqueKey(column, v, row);
      // Most keys are the cell as read (a view of the table, when it outlives
      // the index): kept as that view, not copied.
      if (key == column.raw[row]) {
        duplicates->Add(first_index_row + row, column.raw[row], stable);
      } else {
        duplicates->Add(first_index_row + row, key);
      }
      continue;
    }
    batch.emplace_back(row, Duplicates::Hash(column.raw[row]));
  }
  flush();
}

std::string UniqueKey(const FieldColumn& column, const Validator& v, size_t row) {
  std::string key = column.valid[row] ? column.values.Text(row) : std::string(column.raw[row]);
  return v.kind == ValidatorKind::kUniqueCaseInsensitive ? LowerAscii(std::move(key)) : key;
}

std::string UniqueMessage(std::string_view raw, size_t count) {
  return "'" + std::string(raw) + "' appears in " + std::to_string(count) + " rows";
}

bool UniqueWithKey(const std::vector<const FieldColumn*>& members, size_t row, std::string* key) {
  bool any = false;
  key->clear();
  for (const FieldColumn* column : members) {
    any |= !column->raw[row].empty();
    *key += (column->valid[row] ? column->values.Text(row) : std::string(column->raw[row])) + '\x1f';
  }
  return any;
}

std::string UniqueWithMessage(const std::vector<const FieldColumn*>& members, size_t count) {
  std::string names;
  for (const FieldColumn* column : members) names += (names.empty() ? "" : ", ") + column->field->key;
  return "the combination of " + names + " appears in " + std::to_string(count) + " rows";
}

}  // namespace sluice
