// Stage 6, coerce: a cell's text -> the field type's result value, or a cell
// message. Column at a time: a ColumnCoercer first looks at the column's values
// to make the decisions that belong to a column (decimal comma or point, day
// or month first), then parses each cell with them. One file per type family
// (numbers, dates, choices, contact, places); validators are stage 7.
#ifndef SLUICE_COERCE_COERCE_H_
#define SLUICE_COERCE_COERCE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/schema.h"
#include "text/utf8.h"

namespace sluice {

//! A result value: null, text, number, boolean, or a list of texts.
struct CellValue {
  enum class Kind : uint8_t { kNull, kString, kNumber, kBool, kList };
  Kind kind = Kind::kNull;
  std::string text;  //!< kString; for kNumber, the number's exact text when set
  //! kString: a view instead of `text`, valid until the next cell: the
  //! coercer's input as it came (StringCoercer), or a text the coercer keeps
  //! (an option's value). kNumber: the input when it is the number's JSON
  //! text already (shortest, as written).
  std::string_view input;
  //! kString: `input` is in static storage (a built-in table's code), so a
  //! column may keep the view instead of a copy.
  bool input_static = false;
  double number = 0;
  bool flag = false;
  std::vector<std::string> list;

  static CellValue Null() { return {}; }
  static CellValue String(std::string s) {
    CellValue v;
    v.kind = Kind::kString;
    v.text = std::move(s);
    return v;
  }
  static CellValue Number(double n) {
    CellValue v;
    v.kind = Kind::kNumber;
    v.number = n;
    return v;
  }
  static CellValue Bool(bool b) {
    CellValue v;
    v.kind = Kind::kBool;
    v.flag = b;
    return v;
  }
};

//! A message about one cell, before it is placed in a row.
struct CellIssue {
  std::string code;
  Level level = Level::kError;
  std::string message;
};

struct Coerced {
  CellValue value;
  std::vector<CellIssue> issues;  //!< an error-level issue makes the cell invalid
  // Setters reuse the buffers of `value`: one Coerced serves a whole column
  // without allocating per cell.
  void SetString(std::string_view text) {
    value.kind = CellValue::Kind::kString;
    value.input = {};
    value.input_static = false;
    value.text.assign(text.data(), text.size());
  }
  //! The value is `text`, which stays valid until the value is stored: the
  //! input text itself (ValueColumn::Set then points into the table, no copy)
  //! or a text the coercer keeps (copied once, by the column).
  void SetInputText(std::string_view text) {
    value.kind = CellValue::Kind::kString;
    value.input = text.data() ? text : std::string_view("", 0);
    value.input_static = false;
  }
  //! The value is `text` in static storage (never copied).
  void SetStaticText(std::string_view text) {
    SetInputText(text);
    value.input_static = true;
  }
  //! `written`: the input, when it is the number's shortest text (JSON's).
  void SetNumber(double number, std::string_view written = {}) {
    value.kind = CellValue::Kind::kNumber;
    value.number = number;
    value.input = written;
  }
  void SetBool(bool flag) {
    value.kind = CellValue::Kind::kBool;
    value.flag = flag;
  }
  void Reset() {
    value.kind = CellValue::Kind::kNull;
    value.input = {};
    value.input_static = false;
    value.list.clear();
    issues.clear();
  }
  void Fail(std::string code, std::string message) {
    issues.push_back({std::move(code), Level::kError, std::move(message)});
  }
  bool valid() const {
    for (const CellIssue& issue : issues) {
      if (issue.level == Level::kError) return false;
    }
    return true;
  }
};

class ValueColumn;

//! Where a column's coercion reports the cells that have issues.
class CellIssueSink {
 public:
  //! Cell `row` (of the texts given), read from `text`, has `coerced.issues`.
  virtual void Report(size_t row, std::string_view text, const Coerced& coerced) = 0;

 protected:
  ~CellIssueSink() = default;
};

class ColumnCoercer {
 public:
  virtual ~ColumnCoercer() = default;
  //! Parses one non-empty cell (already trimmed).
  virtual void Coerce(std::string_view text, Coerced* out) const = 0;
  //! A column's cells at once: for each non-empty text of texts[0, n)
  //! (trimmed), its value into `values` (that row) and its issues to `sink`,
  //! as Coerce reads it; rows with an empty text are not touched. Coercers
  //! with a loop of their own (numbers, checkboxes, countries, selects,
  //! emails, dates) store their common cells without a call or a Coerced per
  //! cell and send the rest through Coerce; the others' is the base's loop
  //! over Coerce (coerce.cpp).
  virtual void CoerceCells(const std::string_view* texts, size_t n, ValueColumn* values, CellIssueSink* sink) const;
  //! Whether every non-empty text of texts[0, n) is its own key for the
  //! `unique` validator: coerced, it would be in error or a value whose
  //! Text() is the text itself (UniqueKey). Numbers tell it from the texts,
  //! more cheaply than coercing them (the first pass of an import read in
  //! passes needs only the keys); the others: false (coerce to know).
  virtual bool CellsAreKeys(const std::string_view* texts, size_t n) const {
    (void)texts;
    (void)n;
    return false;
  }

 protected:
  //! One cell as CoerceCells reads it through Coerce (`scratch`: reused);
  //! defined in value_column.h.
  void CoerceCell(size_t row, std::string_view text, Coerced* scratch, ValueColumn* values, CellIssueSink* sink) const;

 public:
  //! Decisions made for the column and why ("" when there were none to make).
  virtual std::string Decision() const { return ""; }
};

//! The coercer of `field` for a column whose values include `sample` (the
//! column's non-empty cells, trimmed; used for column decisions).
std::unique_ptr<ColumnCoercer> MakeCoercer(const Field& field, const std::vector<std::string_view>& sample);

//! Trims ASCII and Unicode spaces (NBSP, thin and narrow spaces) at both ends.
std::string_view TrimSpacesSlow(std::string_view text);  //!< the general case of TrimSpaces
inline std::string_view TrimSpaces(std::string_view text) {
  // ASCII non-space at both ends (the common cell): nothing to trim, no call.
  if (!text.empty()) {
    if (VisibleAscii(text.front()) && VisibleAscii(text.back())) return text;
  }
  return TrimSpacesSlow(text);
}

// One factory per family (defined in numbers.cpp, dates.cpp, ...).
std::unique_ptr<ColumnCoercer> MakeNumberCoercer(const Field& field, const std::vector<std::string_view>& sample);
std::unique_ptr<ColumnCoercer> MakeDateCoercer(const Field& field, const std::vector<std::string_view>& sample);
std::unique_ptr<ColumnCoercer> MakeChoiceCoercer(const Field& field);
std::unique_ptr<ColumnCoercer> MakeContactCoercer(const Field& field);
std::unique_ptr<ColumnCoercer> MakePlaceCoercer(const Field& field);

//! Lower-cased, accents removed (Latin letters), punctuation as spaces, spaces
//! collapsed: the form in which headers, option labels and names are compared.
std::string NormalizeForMatch(std::string_view text);

//! Similarity of two normalized strings in [0, 1] (character bigrams).
double BigramSimilarity(std::string_view a, std::string_view b);

}  // namespace sluice

#endif  // SLUICE_COERCE_COERCE_H_
