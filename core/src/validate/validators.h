// Stage 7, validate: the schema's validators over coerced columns. Per cell
// (required, regex_match/exclude, length, alphabetical), across fields of a row
// (require_with* and require_*_values), and across rows (unique,
// unique_case_insensitive, unique_with: every duplicate is marked, not just the
// second, through one hash map per validator). Empty cells pass all but the
// require* family. Produces messages only; the outcome is stage 8.
#ifndef SLUICE_VALIDATE_VALIDATORS_H_
#define SLUICE_VALIDATE_VALIDATORS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "coerce/coerce.h"
#include "coerce/value_column.h"
#include "sluice/import.h"
#include "sluice/schema.h"
#include "sluice/table.h"
#include "text/short_text.h"

namespace sluice {

//! One field's data over the data rows.
struct FieldColumn {
  const Field* field = nullptr;
  bool mapped = false;
  std::vector<std::string_view> raw;      //!< per row: the trimmed text, a view into the table ("" when empty)
  ValueColumn values;                     //!< per row: the result value
  std::vector<bool> valid;                //!< per row: no error from coercion
};

//! Rows sharing a key (the unique family): each distinct key once (a view of
//! the caller's bytes when they outlive it, else a copy in one arena), an
//! open-addressing table of group numbers with hash tags, and each row's group
//! (about 32 bytes per distinct key plus 4 per row; no allocation per key).
class Duplicates {
 public:
  //! For `rows` rows: the table is sized for as many distinct keys at once,
  //! at most three quarters full (no rehashing as it fills; 11 bytes a row).
  //! Rows past `rows` grow it.
  explicit Duplicates(size_t rows = 0) : group_(rows, kNone) {
    slots_.assign(rows + rows / 3 + 64, 0);
    groups_.reserve(rows);  // (pages a key never uses are never touched)
  }
  //! `stable`: the key's bytes outlive this (a cell of the table): not copied.
  void Add(size_t row, std::string_view key, bool stable = false) { AddHashed(row, key, Hash(key), stable); }

  // Many keys: hash a batch, Fetch each one's slot, then AddHashed them
  // (AddUniqueKeys does). Over a million keys each slot is a cache miss;
  // asked for together, the misses overlap instead of coming one by one.
  static uint64_t Hash(std::string_view key) { return Mix(HashBytes(key)); }
  //! Asks the memory for the slot where a key of hash `mixed` starts its
  //! probe: a prefetch, or under WebAssembly (no prefetch instruction) a load
  //! whose value nothing waits for.
  void Fetch(uint64_t mixed) {
    if (slots_.empty()) return;
#if defined(__wasm__)
    touched_ += slots_[Home(mixed, slots_.size())];
#else
    __builtin_prefetch(&slots_[Home(mixed, slots_.size())]);
#endif
  }
  //! Add, with the key's Hash already taken.
  void AddHashed(size_t row, std::string_view key, uint64_t mixed, bool stable = false);

  //! How many rows share `row`'s key; 0 when the row added none.
  size_t Count(size_t row) const {
    return row < group_.size() && group_[row] != kNone ? groups_[group_[row]].count : 0;
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Group {
    uint64_t at;      // an offset in arena_ (length's kInArena bit), else the key's address
    uint32_t length;
    uint32_t count;
  };
  static constexpr uint32_t kInArena = 0x80000000u;
  std::string_view Key(const Group& group) const {
    const size_t length = group.length & ~kInArena;
    return (group.length & kInArena) ? std::string_view(arena_.data() + group.at, length)
                                     : std::string_view(reinterpret_cast<const char*>(static_cast<uintptr_t>(group.at)), length);
  }
  void Grow();
  // A key's hash, mixed (a 32-bit size_t hash spreads over 64 bits too): its
  // high half places it (scaled to the table's size, which needs no power of
  // two), its low half is its tag. A slot: the tag in its high 32 bits, the
  // group + 1 in its low 32 bits (0: empty).
  static constexpr uint64_t kTagBits = 0xFFFFFFFF00000000ULL;
  static uint64_t Mix(uint64_t hash) { return hash * 0x9E3779B97F4A7C15ULL; }
  static uint64_t Tag(uint64_t mixed) { return mixed << 32; }
  static size_t Home(uint64_t mixed, size_t slots) { return static_cast<size_t>(((mixed >> 32) * slots) >> 32); }

  PodArray<char> arena_;  // (appends inline, no call)
  std::vector<Group> groups_;
  std::vector<uint64_t> slots_;  // hash tag | group + 1; 0: empty
  std::vector<uint32_t> group_;  // per row
#if defined(__wasm__)
  uint64_t touched_ = 0;         // what Fetch's loads read (kept, so they are made)
#endif
};

//! The unique family's groups over every data row of an import checked in
//! chunks (import.cpp fills them in a first pass over the file, then checks
//! chunk by chunk): rows are numbered from the import's first data row.
struct UniqueIndex {
  std::map<const Validator*, Duplicates> by_validator;  //!< unique, unique_case_insensitive
  std::map<std::string, Duplicates> by_unique_key;      //!< unique_with, by uniqueKey
};

//! Appends the validators' messages for every row to `messages`. With
//! `unique`, the columns hold rows [first_row, first_row + n) of an import
//! and the unique family's counts come from it (messages still name the
//! columns' own rows, 0..n).
void RunValidators(const Schema& schema, const std::vector<const FieldColumn*>& columns, std::vector<CellMessage>* messages,
                   const UniqueIndex* unique = nullptr, size_t first_row = 0);

// For a review session, which re-checks one cell at a time and keeps the
// unique family's groups itself; the same rules and words as RunValidators.

//! Validator `v` of `column` at `row`, for every kind but the unique family:
//! false when it passes, else the message.
bool CheckValidator(const Schema& schema, const std::vector<const FieldColumn*>& columns, const FieldColumn& column,
                    const Validator& v, size_t row, CellMessage* out);
//! What unique / unique_case_insensitive compare (for a non-empty cell).
std::string UniqueKey(const FieldColumn& column, const Validator& v, size_t row);
//! Adds the UniqueKey of rows [0, rows) of `column` with a cell to
//! `duplicates`, as index rows first_index_row + row, in order (`stable`: a
//! view of the cell when the key is the cell as read, the table outliving
//! them; else copied); the keys that are their cells in batches (hashed,
//! their slots fetched together, then added). `cells_are_keys`: every cell
//! is its own key (ColumnCoercer::CellsAreKeys; `v` is `unique`): the
//! column's values are not read (nor need to be there).
void AddUniqueKeys(const FieldColumn& column, const Validator& v, size_t rows, size_t first_index_row, bool stable,
                   Duplicates* duplicates, bool cells_are_keys = false);
std::string UniqueMessage(std::string_view raw, size_t count);
//! What unique_with compares over its member fields; false when every member is empty.
bool UniqueWithKey(const std::vector<const FieldColumn*>& members, size_t row, std::string* key);
std::string UniqueWithMessage(const std::vector<const FieldColumn*>& members, size_t count);

}  // namespace sluice

#endif  // SLUICE_VALIDATE_VALIDATORS_H_
