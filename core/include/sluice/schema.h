// Schema: a Dromo saved schema (../shared/spec/SCHEMA.md) as the engine uses
// it, and the checks that refuse a schema that does not hold together. Loading
// lists every problem, each with its JSON path and a stable code; a schema that
// loads is complete (regexes compiled, option references resolved).
#ifndef SLUICE_SCHEMA_H_
#define SLUICE_SCHEMA_H_

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace re2 {
class RE2;
}

namespace sluice {

enum class FieldType {
  kString, kNumber, kDate, kDatetime, kTime, kSelect, kMultiSelect, kCheckbox, kEmail, kUrl, kDomain,
  kPhoneNumber, kCountry, kUsStateTerritory, kUsZipCode, kSsn, kUuid,
};

//! The schema name of a type ("phone-number"), and back.
const char* FieldTypeName(FieldType type);
std::optional<FieldType> FieldTypeFromName(std::string_view name);

struct NumberOptions {
  std::string preset = "default";          //!< default percent plain usd ... decimal_0..4 percent_0..4
  std::optional<int> round;                //!< decimal places of the result
  std::string display_format;
  std::string output_format;               //!< set: the result is a string in this format
  std::optional<double> min, max;
  bool integer = false;                    //!< from the `integer` preset
  bool percent = false;                    //!< from the percent presets: "12" reads as 0.12
};

struct DateOptions {
  std::string locale = "en-US";            //!< BCP 47; decides MM/DD vs DD/MM when data cannot
  std::string display_format;
  std::string output_format;               //!< tokens YYYY MM DD HH mm ss; default ISO
  bool autofix = true;
  bool with_seconds = false;               //!< datetime/time: keep seconds in the result
};

struct SelectOption {
  std::string label;
  std::string value;
  std::vector<std::string> alternate_matches;
  bool exact_match_only = false;
};

struct ChoiceOptions {
  bool allow_custom = false;               //!< select: any value is valid
  std::string delimiter = ",";             //!< multi-select
  bool trim_values = true;                 //!< multi-select
};

struct ContactOptions {
  std::vector<std::string> accepted_protocols;  //!< url; default http, https
  std::vector<std::string> accepted_domains;    //!< url
  bool allow_subdomains = true;                 //!< domain
  std::string country;                          //!< phone: ISO 3166 alpha-2 default region
  std::string phone_format = "both";            //!< national | international | both
  bool output_formatted = false;                //!< phone: formatted instead of E.164
};

struct PlaceOptions {
  std::string country_format = "2-letter";      //!< country: 2-letter | 3-letter
  bool output_dash = false;                     //!< us-zip-code (9-digit), ssn
  std::string zip_format = "5-digit";           //!< us-zip-code: 5-digit | 9-digit
  std::optional<int> uuid_version;              //!< uuid
};

enum class ValidatorKind {
  kRequired, kUnique, kUniqueCaseInsensitive, kUniqueWith, kRegexMatch, kRegexExclude,
  kRequireWith, kRequireWithout, kRequireWithAll, kRequireWithoutAll,
  kRequireWithValues, kRequireWithoutValues, kRequireWithAllValues, kRequireWithoutAllValues,
  kLength, kAlphabetical,
};

enum class Level { kError, kWarning, kInfo };
const char* LevelName(Level level);

struct Validator {
  ValidatorKind kind = ValidatorKind::kRequired;
  std::string name;                        //!< as written: "require_with_values"
  std::string error_message;               //!< custom message, if any
  Level level = Level::kError;
  std::string unique_key;                  //!< unique_with
  std::shared_ptr<const re2::RE2> regex;   //!< regex_match / regex_exclude, compiled
  std::vector<std::string> fields;         //!< require_with*: other field keys
  std::vector<std::pair<std::string, std::string>> field_values;  //!< require_*_values
  std::optional<size_t> min, max;          //!< length, in characters
};

struct Field {
  std::string key;
  std::string label;
  std::string description;
  FieldType type = FieldType::kString;
  std::vector<std::string> alternate_matches;
  std::vector<Validator> validators;
  std::vector<SelectOption> select_options;
  std::string invalid_value_message;
  bool read_only = false;
  bool hidden = false;
  bool require_mapping = false;
  bool many_to_one = false;
  NumberOptions number;
  DateOptions date;
  ChoiceOptions choice;
  ContactOptions contact;
  PlaceOptions place;
};

enum class InvalidDataBehavior { kBlockSubmit, kRemoveInvalidRows, kIncludeInvalidRows, kIncludeInvalidRowsAndValues };
const char* InvalidDataBehaviorName(InvalidDataBehavior behavior);

struct Settings {
  std::string import_identifier;
  std::string title;
  InvalidDataBehavior invalid_data_behavior = InvalidDataBehavior::kRemoveInvalidRows;
  std::optional<size_t> max_records;
  std::optional<uint64_t> max_file_size;
  std::optional<char> delimiter;
  bool pass_through_unmapped_columns = false;
  bool allow_custom_fields = false;
  bool allow_empty_submit = false;
  bool allow_invalid_submit = false;
  bool development_mode = false;
  std::optional<size_t> header_row_override;
  bool fuzzy_match_headers = true;
  bool auto_map_headers = false;
  std::string webhook_url;
  std::string needs_review_webhook_url;
};

//! The schema's JavaScript hooks (SCHEMA.md "Hooks"), as source text. The
//! core never runs them: a host's sandbox does, between rounds of the import
//! (hooks.h). `rowDeleteHooks` and `stepHooks` are kept for Dromo schemas but
//! have no moment to run in a headless import.
struct SchemaHooks {
  struct ColumnHook {
    std::string field_key;  //!< Dromo's "fieldName": a field key of the schema
    std::string source;
  };
  std::vector<ColumnHook> column_hooks;
  std::vector<std::string> row_hooks;
  std::vector<std::string> bulk_row_hooks;
  std::string before_finish;  //!< "" when absent
  std::vector<std::string> row_delete_hooks;
  std::vector<std::pair<std::string, std::string>> step_hooks;  //!< (type, source)

  //! True when no hook would run in an import.
  bool runs_nothing() const {
    return column_hooks.empty() && row_hooks.empty() && bulk_row_hooks.empty() && before_finish.empty();
  }
};

struct Schema {
  std::string id;
  std::string name;
  std::vector<Field> fields;
  Settings settings;
  std::string hooks_json;  //!< the hooks object as JSON text ("" when absent)
  SchemaHooks hooks;

  //! The field with `key`, or nullptr.
  const Field* FindField(std::string_view key) const;
};

//! One reason a schema was refused: where (a JSON path such as
//! "$.fields[2].validators[0].regex"), a stable code, and a message.
struct SchemaProblem {
  std::string path;
  std::string code;
  std::string message;
};

struct SchemaLoad {
  std::optional<Schema> schema;          //!< set when there is no problem
  std::vector<SchemaProblem> problems;   //!< every problem found, in document order
};

//! Loads and checks a schema document (`{id?, name?, fields, settings?, hooks?}`).
//! Codes: schema.invalid_json, schema.too_deep, schema.not_object, schema.unknown_key,
//! schema.wrong_type, field.missing_key, field.missing_label, field.duplicate_key,
//! field.unknown_key, type.unknown, type.bad_options, type.unknown_preset,
//! select.no_options, select.bad_option, validator.unknown, validator.missing_option,
//! validator.unknown_field, validator.hidden_field, regex.invalid, regex.not_linear,
//! setting.unknown, setting.bad_value, hooks.unknown_key, hooks.missing_key, hooks.empty_source,
//! hooks.unknown_field.
SchemaLoad LoadSchema(std::string_view json);

//! The problems as JSON: [{"path", "code", "message"}...].
std::string SchemaProblemsToJson(const std::vector<SchemaProblem>& problems);

//! The deepest nesting of arrays and objects in JSON text (brackets inside
//! strings do not count), in one pass without parsing. Used to refuse
//! documents nested deeper than kMaxJsonNesting before any recursive code
//! (serialising, walking) sees them.
size_t JsonNestingDepth(std::string_view json);
constexpr size_t kMaxJsonNesting = 64;

}  // namespace sluice

#endif  // SLUICE_SCHEMA_H_
