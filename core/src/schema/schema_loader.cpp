// LoadSchema: walks the schema document key by key (nlohmann/json without
// exceptions: every value's type is checked before it is read), collecting
// every problem with its path instead of stopping at the first.
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "sluice/json_writer.h"
#include "sluice/schema.h"

namespace sluice {
namespace {

// ordered_json: problems are listed in document order.
using json = nlohmann::ordered_json;

struct TypeName {
  FieldType type;
  const char* name;
};
constexpr TypeName kTypeNames[] = {
    {FieldType::kString, "string"},       {FieldType::kNumber, "number"},
    {FieldType::kDate, "date"},           {FieldType::kDatetime, "datetime"},
    {FieldType::kTime, "time"},           {FieldType::kSelect, "select"},
    {FieldType::kMultiSelect, "multi-select"}, {FieldType::kCheckbox, "checkbox"},
    {FieldType::kEmail, "email"},         {FieldType::kUrl, "url"},
    {FieldType::kDomain, "domain"},       {FieldType::kPhoneNumber, "phone-number"},
    {FieldType::kCountry, "country"},     {FieldType::kUsStateTerritory, "us-state-territory"},
    {FieldType::kUsZipCode, "us-zip-code"}, {FieldType::kSsn, "ssn"},
    {FieldType::kUuid, "uuid"},
};

struct ValidatorName {
  ValidatorKind kind;
  const char* name;
};
constexpr ValidatorName kValidatorNames[] = {
    {ValidatorKind::kRequired, "required"},
    {ValidatorKind::kUnique, "unique"},
    {ValidatorKind::kUniqueCaseInsensitive, "unique_case_insensitive"},
    {ValidatorKind::kUniqueWith, "unique_with"},
    {ValidatorKind::kRegexMatch, "regex_match"},
    {ValidatorKind::kRegexExclude, "regex_exclude"},
    {ValidatorKind::kRequireWith, "require_with"},
    {ValidatorKind::kRequireWithout, "require_without"},
    {ValidatorKind::kRequireWithAll, "require_with_all"},
    {ValidatorKind::kRequireWithoutAll, "require_without_all"},
    {ValidatorKind::kRequireWithValues, "require_with_values"},
    {ValidatorKind::kRequireWithoutValues, "require_without_values"},
    {ValidatorKind::kRequireWithAllValues, "require_with_all_values"},
    {ValidatorKind::kRequireWithoutAllValues, "require_without_all_values"},
    {ValidatorKind::kLength, "length"},
    {ValidatorKind::kAlphabetical, "alphabetical"},
};

const char* const kNumberPresets[] = {"default", "percent", "plain", "usd", "usd_accounting", "eur", "gbp",
                                      "integer", "decimal_0", "decimal_1", "decimal_2", "decimal_3", "decimal_4",
                                      "percent_0", "percent_1", "percent_2", "percent_3", "percent_4"};

// Collects problems; each check names the path it looked at.
class Checker {
 public:
  void Add(const std::string& path, const char* code, const std::string& message) {
    problems_.push_back({path, code, message});
  }
  std::vector<SchemaProblem>& problems() { return problems_; }

  bool String(const json& value, const std::string& path, std::string* out) {
    if (!value.is_string()) return WrongType(path, "a string");
    *out = value.get_ref<const std::string&>();
    return true;
  }
  bool Bool(const json& value, const std::string& path, bool* out) {
    if (!value.is_boolean()) return WrongType(path, "true or false");
    *out = value.get<bool>();
    return true;
  }
  bool Count(const json& value, const std::string& path, size_t* out) {
    if (!value.is_number_unsigned()) return WrongType(path, "a non-negative integer");
    *out = static_cast<size_t>(value.get<uint64_t>());
    return true;
  }
  bool Number(const json& value, const std::string& path, double* out) {
    if (!value.is_number()) return WrongType(path, "a number");
    *out = value.get<double>();
    return true;
  }
  bool Strings(const json& value, const std::string& path, std::vector<std::string>* out) {
    if (!value.is_array()) return WrongType(path, "an array of strings");
    bool ok = true;
    for (size_t i = 0; i < value.size(); ++i) {
      std::string item;
      if (String(value[i], path + "[" + std::to_string(i) + "]", &item)) {
        out->push_back(std::move(item));
      } else {
        ok = false;
      }
    }
    return ok;
  }
  bool WrongType(const std::string& path, const char* expected) {
    Add(path, "schema.wrong_type", path + " must be " + expected);
    return false;
  }

 private:
  std::vector<SchemaProblem> problems_;
};

std::string Quote(const std::string& text) { return "'" + text + "'"; }

// ---- types and their options

void LoadNumberOptions(const json& options, const std::string& path, NumberOptions* out, Checker* check) {
  auto apply_preset = [&](const std::string& preset, const std::string& at) {
    if (std::find(std::begin(kNumberPresets), std::end(kNumberPresets), preset) == std::end(kNumberPresets)) {
      check->Add(at, "type.unknown_preset", "unknown number preset " + Quote(preset));
      return;
    }
    out->preset = preset;
    out->integer = preset == "integer";
    out->percent = preset.rfind("percent", 0) == 0;
    if (preset.rfind("decimal_", 0) == 0 || preset.rfind("percent_", 0) == 0) {
      out->round = preset.back() - '0';
    }
    if (preset == "usd" || preset == "usd_accounting" || preset == "eur" || preset == "gbp") out->round = 2;
  };
  if (options.is_string()) {
    apply_preset(options.get_ref<const std::string&>(), path);
    return;
  }
  if (!options.is_object()) {
    check->Add(path, "type.bad_options", "number options must be a preset name or an object");
    return;
  }
  if (options.contains("preset")) {
    std::string preset;
    if (check->String(options["preset"], path + ".preset", &preset)) apply_preset(preset, path + ".preset");
  }
  for (auto it = options.begin(); it != options.end(); ++it) {
    const std::string& key = it.key();
    std::string at = path + "." + key;
    if (key == "preset") continue;
    if (key == "round") {
      size_t places = 0;
      if (check->Count(it.value(), at, &places)) {
        if (places > 10) {
          check->Add(at, "type.bad_options", "round must be between 0 and 10");
        } else {
          out->round = static_cast<int>(places);
        }
      }
    } else if (key == "displayFormat") {
      check->String(it.value(), at, &out->display_format);
    } else if (key == "outputFormat") {
      check->String(it.value(), at, &out->output_format);
    } else if (key == "min" || key == "max") {
      double bound = 0;
      if (check->Number(it.value(), at, &bound)) (key == "min" ? out->min : out->max) = bound;
    } else {
      check->Add(at, "schema.unknown_key", "unknown number option " + Quote(key));
    }
  }
  if (out->min && out->max && *out->min > *out->max) {
    check->Add(path, "type.bad_options", "min is greater than max");
  }
}

void LoadDateOptions(const json& options, const std::string& path, FieldType type, DateOptions* out, Checker* check) {
  if (!options.is_object()) {
    check->Add(path, "type.bad_options", "date options must be an object");
    return;
  }
  for (auto it = options.begin(); it != options.end(); ++it) {
    const std::string& key = it.key();
    std::string at = path + "." + key;
    if (key == "locale") {
      if (check->String(it.value(), at, &out->locale) && (out->locale.size() < 2 || out->locale.size() > 35)) {
        check->Add(at, "type.bad_options", "locale must be a BCP 47 tag such as en-US or de-DE");
      }
    } else if (key == "displayFormat") {
      check->String(it.value(), at, &out->display_format);
    } else if (key == "outputFormat") {
      check->String(it.value(), at, &out->output_format);
    } else if (key == "autofix" && type == FieldType::kDate) {
      check->Bool(it.value(), at, &out->autofix);
    } else if (key == "withSeconds" && type != FieldType::kDate) {
      check->Bool(it.value(), at, &out->with_seconds);
    } else {
      check->Add(at, "schema.unknown_key", std::string("unknown ") + FieldTypeName(type) + " option " + Quote(key));
    }
  }
}

void LoadTypeOptions(const json& options, const std::string& path, Field* field, Checker* check) {
  auto object_only = [&]() {
    if (!options.is_object()) {
      check->Add(path, "type.bad_options", std::string(FieldTypeName(field->type)) + " options must be an object");
      return false;
    }
    return true;
  };
  auto unknown = [&](const std::string& key) {
    check->Add(path + "." + key, "schema.unknown_key",
               std::string("unknown ") + FieldTypeName(field->type) + " option " + Quote(key));
  };
  switch (field->type) {
    case FieldType::kNumber:
      LoadNumberOptions(options, path, &field->number, check);
      return;
    case FieldType::kDate:
    case FieldType::kDatetime:
    case FieldType::kTime:
      LoadDateOptions(options, path, field->type, &field->date, check);
      return;
    default:
      break;
  }
  if (!object_only()) return;
  for (auto it = options.begin(); it != options.end(); ++it) {
    const std::string& key = it.key();
    std::string at = path + "." + key;
    const json& value = it.value();
    switch (field->type) {
      case FieldType::kSelect:
        if (key == "allowCustom") {
          check->Bool(value, at, &field->choice.allow_custom);
        } else {
          unknown(key);
        }
        break;
      case FieldType::kMultiSelect:
        if (key == "delimiter") {
          if (check->String(value, at, &field->choice.delimiter) && field->choice.delimiter.empty()) {
            check->Add(at, "type.bad_options", "the delimiter must not be empty");
          }
        } else if (key == "trimValues") {
          check->Bool(value, at, &field->choice.trim_values);
        } else if (key == "allowCustom") {
          check->Bool(value, at, &field->choice.allow_custom);
        } else {
          unknown(key);
        }
        break;
      case FieldType::kUrl:
        if (key == "acceptedProtocols") {
          check->Strings(value, at, &field->contact.accepted_protocols);
        } else if (key == "acceptedDomains") {
          check->Strings(value, at, &field->contact.accepted_domains);
        } else {
          unknown(key);
        }
        break;
      case FieldType::kDomain:
        if (key == "allowSubdomains") {
          check->Bool(value, at, &field->contact.allow_subdomains);
        } else {
          unknown(key);
        }
        break;
      case FieldType::kPhoneNumber:
        if (key == "country") {
          if (check->String(value, at, &field->contact.country)) {
            std::string& country = field->contact.country;
            std::transform(country.begin(), country.end(), country.begin(), ::toupper);
            if (country.size() != 2) check->Add(at, "type.bad_options", "country must be an ISO 3166 alpha-2 code");
          }
        } else if (key == "format") {
          if (check->String(value, at, &field->contact.phone_format) && field->contact.phone_format != "national" &&
              field->contact.phone_format != "international" && field->contact.phone_format != "both") {
            check->Add(at, "type.bad_options", "format must be national, international or both");
          }
        } else if (key == "outputFormatted") {
          check->Bool(value, at, &field->contact.output_formatted);
        } else {
          unknown(key);
        }
        break;
      case FieldType::kCountry:
        if (key == "format") {
          if (check->String(value, at, &field->place.country_format) && field->place.country_format != "2-letter" &&
              field->place.country_format != "3-letter") {
            check->Add(at, "type.bad_options", "format must be 2-letter or 3-letter");
          }
        } else {
          unknown(key);
        }
        break;
      case FieldType::kUsZipCode:
        if (key == "outputDash") {
          check->Bool(value, at, &field->place.output_dash);
        } else if (key == "format") {
          if (check->String(value, at, &field->place.zip_format) && field->place.zip_format != "5-digit" &&
              field->place.zip_format != "9-digit") {
            check->Add(at, "type.bad_options", "format must be 5-digit or 9-digit");
          }
        } else {
          unknown(key);
        }
        break;
      case FieldType::kSsn:
        if (key == "outputDash") {
          check->Bool(value, at, &field->place.output_dash);
        } else {
          unknown(key);
        }
        break;
      case FieldType::kUuid:
        if (key == "version") {
          size_t version = 0;
          if (check->Count(value, at, &version)) {
            if (version < 1 || version > 8) {
              check->Add(at, "type.bad_options", "version must be between 1 and 8");
            } else {
              field->place.uuid_version = static_cast<int>(version);
            }
          }
        } else {
          unknown(key);
        }
        break;
      default:
        unknown(key);
    }
  }
}

void LoadType(const json& type, const std::string& path, Field* field, Checker* check) {
  const json* name = &type;
  const json* options = nullptr;
  if (type.is_array()) {
    if (type.empty() || type.size() > 2) {
      check->Add(path, "type.bad_options", "type must be \"name\" or [\"name\", options]");
      return;
    }
    name = &type[0];
    if (type.size() == 2) options = &type[1];
  }
  if (!name->is_string()) {
    check->Add(path, "schema.wrong_type", "type must be \"name\" or [\"name\", options]");
    return;
  }
  std::optional<FieldType> parsed = FieldTypeFromName(name->get_ref<const std::string&>());
  if (!parsed) {
    check->Add(type.is_array() ? path + "[0]" : path, "type.unknown",
               "unknown type " + Quote(name->get_ref<const std::string&>()));
    return;
  }
  field->type = *parsed;
  if (field->type == FieldType::kPhoneNumber) field->contact.phone_format = "both";
  if (options) LoadTypeOptions(*options, path + "[1]", field, check);
}

// ---- validators

std::optional<ValidatorKind> ValidatorFromName(const std::string& name) {
  for (const ValidatorName& entry : kValidatorNames) {
    if (name == entry.name) return entry.kind;
  }
  return std::nullopt;
}

bool NeedsFields(ValidatorKind kind) {
  return kind == ValidatorKind::kRequireWith || kind == ValidatorKind::kRequireWithout ||
         kind == ValidatorKind::kRequireWithAll || kind == ValidatorKind::kRequireWithoutAll;
}

bool NeedsFieldValues(ValidatorKind kind) {
  return kind == ValidatorKind::kRequireWithValues || kind == ValidatorKind::kRequireWithoutValues ||
         kind == ValidatorKind::kRequireWithAllValues || kind == ValidatorKind::kRequireWithoutAllValues;
}

// Compiles a regex with RE2. Constructs RE2 cannot run in linear time
// (backreferences, lookaround) are told apart from plain syntax errors.
void CompileRegex(const std::string& pattern, const json* options_json, const std::string& path, Validator* validator,
                  Checker* check) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(8 << 20);
  std::string prefix;
  if (options_json) {
    if (!options_json->is_object()) {
      check->WrongType(path + ".regexOptions", "an object");
    } else {
      for (auto it = options_json->begin(); it != options_json->end(); ++it) {
        bool on = false;
        std::string at = path + ".regexOptions." + it.key();
        if (!check->Bool(it.value(), at, &on)) continue;
        if (it.key() == "ignoreCase") {
          options.set_case_sensitive(!on);
        } else if (it.key() == "dotAll") {
          options.set_dot_nl(on);
        } else if (it.key() == "multiline") {
          if (on) prefix = "(?m)";
        } else if (it.key() == "unicode") {
          // RE2 always matches UTF-8 text by code point.
        } else {
          check->Add(at, "schema.unknown_key", "unknown regex option " + Quote(it.key()));
        }
      }
    }
  }
  auto regex = std::make_shared<RE2>(prefix + pattern, options);
  if (regex->ok()) {
    validator->regex = std::move(regex);
    return;
  }
  RE2::ErrorCode code = regex->error_code();
  bool not_linear = code == RE2::ErrorBadPerlOp || (code == RE2::ErrorBadEscape && pattern.find('\\') != std::string::npos &&
                                                    pattern.find_first_of("123456789", pattern.find('\\')) ==
                                                        pattern.find('\\') + 1);
  if (not_linear) {
    check->Add(path + ".regex", "regex.not_linear",
               "the regex uses a construct that cannot run in linear time (a backreference or lookaround): " +
                   regex->error());
  } else {
    check->Add(path + ".regex", "regex.invalid", "the regex is not valid: " + regex->error());
  }
}

void LoadValidator(const json& value, const std::string& path, Validator* out, Checker* check) {
  if (!value.is_object()) {
    check->WrongType(path, "an object");
    return;
  }
  auto validate = value.find("validate");
  if (validate == value.end() || !validate->is_string()) {
    check->Add(path + ".validate", "validator.missing_option", "a validator needs \"validate\": its name");
    return;
  }
  out->name = validate->get_ref<const std::string&>();
  std::optional<ValidatorKind> kind = ValidatorFromName(out->name);
  if (!kind) {
    check->Add(path + ".validate", "validator.unknown", "unknown validator " + Quote(out->name));
    return;
  }
  out->kind = *kind;
  const json* regex_options = nullptr;
  std::string pattern;
  bool has_pattern = false;
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string& key = it.key();
    std::string at = path + "." + key;
    const json& v = it.value();
    if (key == "validate") continue;
    if (key == "errorMessage") {
      check->String(v, at, &out->error_message);
    } else if (key == "level") {
      std::string level;
      if (check->String(v, at, &level)) {
        if (level == "error") {
          out->level = Level::kError;
        } else if (level == "warning") {
          out->level = Level::kWarning;
        } else if (level == "info") {
          out->level = Level::kInfo;
        } else {
          check->Add(at, "schema.wrong_type", "level must be error, warning or info");
        }
      }
    } else if (key == "uniqueKey" && out->kind == ValidatorKind::kUniqueWith) {
      check->String(v, at, &out->unique_key);
    } else if (key == "regex" && (out->kind == ValidatorKind::kRegexMatch || out->kind == ValidatorKind::kRegexExclude)) {
      has_pattern = check->String(v, at, &pattern);
    } else if (key == "regexOptions" &&
               (out->kind == ValidatorKind::kRegexMatch || out->kind == ValidatorKind::kRegexExclude)) {
      regex_options = &v;
    } else if (key == "fields" && NeedsFields(out->kind)) {
      check->Strings(v, at, &out->fields);
    } else if (key == "fieldValues" && NeedsFieldValues(out->kind)) {
      if (!v.is_object()) {
        check->WrongType(at, "an object of field key to value");
      } else {
        for (auto fv = v.begin(); fv != v.end(); ++fv) {
          if (fv.value().is_string()) {
            out->field_values.emplace_back(fv.key(), fv.value().get_ref<const std::string&>());
          } else if (fv.value().is_number() || fv.value().is_boolean()) {
            out->field_values.emplace_back(fv.key(), fv.value().dump());
          } else {
            check->WrongType(at + "." + fv.key(), "a string");
          }
        }
      }
    } else if ((key == "min" || key == "max") && out->kind == ValidatorKind::kLength) {
      size_t bound = 0;
      if (check->Count(v, at, &bound)) (key == "min" ? out->min : out->max) = bound;
    } else {
      check->Add(at, "schema.unknown_key", "unknown option " + Quote(key) + " for validator " + Quote(out->name));
    }
  }
  // Required options of each kind.
  if (out->kind == ValidatorKind::kUniqueWith && out->unique_key.empty()) {
    check->Add(path + ".uniqueKey", "validator.missing_option", "unique_with needs a uniqueKey");
  }
  if ((out->kind == ValidatorKind::kRegexMatch || out->kind == ValidatorKind::kRegexExclude)) {
    if (!value.contains("regex")) {
      check->Add(path + ".regex", "validator.missing_option", out->name + " needs a regex");
    } else if (has_pattern) {
      CompileRegex(pattern, regex_options, path, out, check);
    }
  }
  if (NeedsFields(out->kind) && out->fields.empty() && !value.contains("fields")) {
    check->Add(path + ".fields", "validator.missing_option", out->name + " needs fields: the keys it depends on");
  }
  if (NeedsFieldValues(out->kind) && out->field_values.empty() && !value.contains("fieldValues")) {
    check->Add(path + ".fieldValues", "validator.missing_option", out->name + " needs fieldValues");
  }
  if (out->kind == ValidatorKind::kLength) {
    if (!out->min && !out->max) {
      check->Add(path, "validator.missing_option", "length needs min, max or both");
    } else if (out->min && out->max && *out->min > *out->max) {
      check->Add(path, "validator.missing_option", "length: min is greater than max");
    }
  }
}

// ---- select options

void LoadSelectOptions(const json& value, const std::string& path, Field* field, Checker* check) {
  if (!value.is_array()) {
    check->WrongType(path, "an array of {label, value}");
    return;
  }
  std::set<std::string> values;
  for (size_t i = 0; i < value.size(); ++i) {
    std::string at = path + "[" + std::to_string(i) + "]";
    const json& option = value[i];
    if (!option.is_object()) {
      check->WrongType(at, "an object {label, value}");
      continue;
    }
    SelectOption out;
    bool has_value = false;
    for (auto it = option.begin(); it != option.end(); ++it) {
      std::string key_at = at + "." + it.key();
      if (it.key() == "label") {
        check->String(it.value(), key_at, &out.label);
      } else if (it.key() == "value") {
        if (it.value().is_string()) {
          out.value = it.value().get_ref<const std::string&>();
          has_value = true;
        } else if (it.value().is_number() || it.value().is_boolean()) {
          out.value = it.value().dump();
          has_value = true;
        } else {
          check->WrongType(key_at, "a string");
        }
      } else if (it.key() == "alternateMatches") {
        check->Strings(it.value(), key_at, &out.alternate_matches);
      } else if (it.key() == "exactMatchOnly") {
        check->Bool(it.value(), key_at, &out.exact_match_only);
      } else {
        check->Add(key_at, "schema.unknown_key", "unknown select option key " + Quote(it.key()));
      }
    }
    if (!has_value) {
      check->Add(at + ".value", "select.bad_option", "a select option needs a value");
      continue;
    }
    if (out.label.empty()) out.label = out.value;
    if (!values.insert(out.value).second) {
      check->Add(at + ".value", "select.bad_option", "the option value " + Quote(out.value) + " appears twice");
    }
    field->select_options.push_back(std::move(out));
  }
}

// ---- fields

void LoadField(const json& value, const std::string& path, Field* field, Checker* check) {
  if (!value.is_object()) {
    check->WrongType(path, "an object");
    return;
  }
  if (!value.contains("key")) check->Add(path + ".key", "field.missing_key", "a field needs a key");
  if (!value.contains("label")) check->Add(path + ".label", "field.missing_label", "a field needs a label");
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string& key = it.key();
    std::string at = path + "." + key;
    const json& v = it.value();
    if (key == "key") {
      if (check->String(v, at, &field->key) && field->key.empty()) {
        check->Add(at, "field.missing_key", "a field's key must not be empty");
      }
    } else if (key == "label") {
      check->String(v, at, &field->label);
    } else if (key == "description") {
      check->String(v, at, &field->description);
    } else if (key == "type") {
      LoadType(v, at, field, check);
    } else if (key == "alternateMatches") {
      check->Strings(v, at, &field->alternate_matches);
    } else if (key == "validators") {
      if (!v.is_array()) {
        check->WrongType(at, "an array");
        continue;
      }
      for (size_t i = 0; i < v.size(); ++i) {
        Validator validator;
        LoadValidator(v[i], at + "[" + std::to_string(i) + "]", &validator, check);
        field->validators.push_back(std::move(validator));
      }
    } else if (key == "selectOptions") {
      LoadSelectOptions(v, at, field, check);
    } else if (key == "invalidValueMessage") {
      check->String(v, at, &field->invalid_value_message);
    } else if (key == "readOnly") {
      check->Bool(v, at, &field->read_only);
    } else if (key == "hidden") {
      check->Bool(v, at, &field->hidden);
    } else if (key == "requireMapping") {
      check->Bool(v, at, &field->require_mapping);
    } else if (key == "manyToOne") {
      check->Bool(v, at, &field->many_to_one);
    } else {
      check->Add(at, "field.unknown_key", "unknown field key " + Quote(key));
    }
  }
  if ((field->type == FieldType::kSelect || field->type == FieldType::kMultiSelect) && field->select_options.empty() &&
      !field->choice.allow_custom) {
    check->Add(path + ".selectOptions", "select.no_options", "a " + std::string(FieldTypeName(field->type)) +
                                                                 " field needs selectOptions (or allowCustom)");
  }
  if (field->hidden && !field->validators.empty()) {
    check->Add(path + ".validators", "validator.hidden_field", "a hidden field takes no validators");
  }
}

// ---- settings

void LoadSettings(const json& value, const std::string& path, Settings* out, Checker* check) {
  if (!value.is_object()) {
    check->WrongType(path, "an object");
    return;
  }
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string& key = it.key();
    std::string at = path + "." + key;
    const json& v = it.value();
    if (key == "importIdentifier") {
      check->String(v, at, &out->import_identifier);
    } else if (key == "title") {
      check->String(v, at, &out->title);
    } else if (key == "invalidDataBehavior") {
      std::string behavior;
      if (!check->String(v, at, &behavior)) continue;
      if (behavior == "BLOCK_SUBMIT") {
        out->invalid_data_behavior = InvalidDataBehavior::kBlockSubmit;
      } else if (behavior == "REMOVE_INVALID_ROWS") {
        out->invalid_data_behavior = InvalidDataBehavior::kRemoveInvalidRows;
      } else if (behavior == "INCLUDE_INVALID_ROWS") {
        out->invalid_data_behavior = InvalidDataBehavior::kIncludeInvalidRows;
      } else if (behavior == "INCLUDE_INVALID_ROWS_AND_VALUES") {
        out->invalid_data_behavior = InvalidDataBehavior::kIncludeInvalidRowsAndValues;
      } else {
        check->Add(at, "setting.bad_value", "invalidDataBehavior must be BLOCK_SUBMIT, REMOVE_INVALID_ROWS, "
                                            "INCLUDE_INVALID_ROWS or INCLUDE_INVALID_ROWS_AND_VALUES");
      }
    } else if (key == "maxRecords") {
      size_t n = 0;
      if (!v.is_null() && check->Count(v, at, &n)) out->max_records = n;
    } else if (key == "maxFileSize") {
      size_t n = 0;
      if (!v.is_null() && check->Count(v, at, &n)) out->max_file_size = n;
    } else if (key == "delimiter") {
      std::string delimiter;
      if (v.is_null() || !check->String(v, at, &delimiter)) continue;
      if (delimiter == "\\t") delimiter = "\t";
      if (delimiter.size() != 1) {
        check->Add(at, "setting.bad_value", "delimiter must be one character");
      } else {
        out->delimiter = delimiter[0];
      }
    } else if (key == "passThroughUnmappedColumns") {
      check->Bool(v, at, &out->pass_through_unmapped_columns);
    } else if (key == "allowCustomFields") {
      check->Bool(v, at, &out->allow_custom_fields);
    } else if (key == "allowEmptySubmit") {
      check->Bool(v, at, &out->allow_empty_submit);
    } else if (key == "allowInvalidSubmit") {
      check->Bool(v, at, &out->allow_invalid_submit);
    } else if (key == "developmentMode") {
      check->Bool(v, at, &out->development_mode);
    } else if (key == "autoMapHeaders") {
      check->Bool(v, at, &out->auto_map_headers);
    } else if (key == "webhookUrl") {
      if (!v.is_null()) check->String(v, at, &out->webhook_url);
    } else if (key == "needsReviewWebhookUrl") {
      if (!v.is_null()) check->String(v, at, &out->needs_review_webhook_url);
    } else if (key == "matchingStep") {
      if (!v.is_object()) {
        check->WrongType(at, "an object");
        continue;
      }
      for (auto m = v.begin(); m != v.end(); ++m) {
        std::string m_at = at + "." + m.key();
        if (m.key() == "headerRowOverride") {
          size_t row = 0;
          if (!m.value().is_null() && check->Count(m.value(), m_at, &row)) out->header_row_override = row;
        } else if (m.key() == "fuzzyMatchHeaders") {
          check->Bool(m.value(), m_at, &out->fuzzy_match_headers);
        } else if (m.key() == "matchToSchema") {
          bool ignored;
          check->Bool(m.value(), m_at, &ignored);
        } else {
          check->Add(m_at, "setting.unknown", "unknown matchingStep setting " + Quote(m.key()));
        }
      }
    } else if (key == "backendSync" || key == "manualInputDisabled" || key == "manualInputOnly" ||
               key == "displayEncoding") {
      bool ignored;  // accepted for Dromo compatibility; the headless engine has no UI for them
      check->Bool(v, at, &ignored);
    } else if (key == "backendSyncMode") {
      std::string mode;
      if (check->String(v, at, &mode) && mode != "DISABLED" && mode != "FULL_DATA" && mode != "MAPPINGS_ONLY") {
        check->Add(at, "setting.bad_value", "backendSyncMode must be DISABLED, FULL_DATA or MAPPINGS_ONLY");
      }
    } else if (key == "styleOverrides") {
      if (!v.is_object()) check->WrongType(at, "an object");
    } else if (key == "initialData") {
      if (!v.is_null() && !v.is_array()) check->WrongType(at, "an array or null");
    } else {
      check->Add(at, "setting.unknown", "unknown setting " + Quote(key));
    }
  }
}

// References between fields: keys named by validators must exist.
// ---- hooks (run by a host's sandbox; here only their shape is checked)

void LoadHookSource(const json& value, const std::string& path, std::string* out, Checker* check) {
  if (!check->String(value, path, out)) return;
  if (out->find_first_not_of(" \t\r\n") == std::string::npos) {
    check->Add(path, "hooks.empty_source", path + " holds no code");
  }
}

void LoadHookSources(const json& value, const std::string& path, std::vector<std::string>* out, Checker* check) {
  if (!value.is_array()) {
    check->WrongType(path, "an array of JavaScript sources");
    return;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    std::string source;
    LoadHookSource(value[i], path + "[" + std::to_string(i) + "]", &source, check);
    out->push_back(std::move(source));
  }
}

// A list of {<name>: ..., callback: source} objects (columnHooks, stepHooks).
void LoadNamedHooks(const json& value, const std::string& path, const char* name_key,
                    std::vector<std::pair<std::string, std::string>>* out, Checker* check) {
  if (!value.is_array()) {
    check->WrongType(path, "an array of objects");
    return;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    std::string at = path + "[" + std::to_string(i) + "]";
    if (!value[i].is_object()) {
      check->WrongType(at, "an object");
      continue;
    }
    std::pair<std::string, std::string> hook;
    bool has_name = false, has_callback = false;
    for (auto it = value[i].begin(); it != value[i].end(); ++it) {
      if (it.key() == name_key) {
        has_name = check->String(it.value(), at + "." + name_key, &hook.first);
      } else if (it.key() == "callback") {
        LoadHookSource(it.value(), at + ".callback", &hook.second, check);
        has_callback = true;
      } else {
        check->Add(at + "." + it.key(), "hooks.unknown_key", "unknown key " + Quote(it.key()));
      }
    }
    if (!has_name) check->Add(at + "." + name_key, "hooks.missing_key", at + " needs " + name_key);
    if (!has_callback) check->Add(at + ".callback", "hooks.missing_key", at + " needs callback");
    out->push_back(std::move(hook));
  }
}

void LoadHooks(const json& value, const std::string& path, SchemaHooks* out, Checker* check) {
  if (!value.is_object()) {
    check->WrongType(path, "an object");
    return;
  }
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string& key = it.key();
    std::string at = path + "." + key;
    if (key == "rowHooks") {
      LoadHookSources(it.value(), at, &out->row_hooks, check);
    } else if (key == "bulkRowHooks") {
      LoadHookSources(it.value(), at, &out->bulk_row_hooks, check);
    } else if (key == "rowDeleteHooks") {
      LoadHookSources(it.value(), at, &out->row_delete_hooks, check);
    } else if (key == "beforeFinishCallback") {
      if (!it.value().is_null()) LoadHookSource(it.value(), at, &out->before_finish, check);
    } else if (key == "columnHooks") {
      std::vector<std::pair<std::string, std::string>> hooks;
      LoadNamedHooks(it.value(), at, "fieldName", &hooks, check);
      for (auto& [field, source] : hooks) out->column_hooks.push_back({std::move(field), std::move(source)});
    } else if (key == "stepHooks") {
      LoadNamedHooks(it.value(), at, "type", &out->step_hooks, check);
    } else {
      check->Add(at, "hooks.unknown_key", "unknown hooks key " + Quote(key));
    }
  }
}

void CheckReferences(const Schema& schema, Checker* check) {
  for (size_t i = 0; i < schema.hooks.column_hooks.size(); ++i) {
    const std::string& key = schema.hooks.column_hooks[i].field_key;
    if (!key.empty() && !schema.FindField(key)) {
      check->Add("$.hooks.columnHooks[" + std::to_string(i) + "].fieldName", "hooks.unknown_field",
                 "no field has the key " + Quote(key));
    }
  }
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    const Field& field = schema.fields[i];
    for (size_t v = 0; v < field.validators.size(); ++v) {
      const Validator& validator = field.validators[v];
      std::string path = "$.fields[" + std::to_string(i) + "].validators[" + std::to_string(v) + "]";
      for (size_t k = 0; k < validator.fields.size(); ++k) {
        if (!schema.FindField(validator.fields[k])) {
          check->Add(path + ".fields[" + std::to_string(k) + "]", "validator.unknown_field",
                     "no field has the key " + Quote(validator.fields[k]));
        }
      }
      for (const auto& [key, expected] : validator.field_values) {
        if (!schema.FindField(key)) {
          check->Add(path + ".fieldValues." + key, "validator.unknown_field", "no field has the key " + Quote(key));
        }
      }
    }
  }
}

}  // namespace

const char* FieldTypeName(FieldType type) {
  for (const TypeName& entry : kTypeNames) {
    if (entry.type == type) return entry.name;
  }
  return "string";
}

std::optional<FieldType> FieldTypeFromName(std::string_view name) {
  for (const TypeName& entry : kTypeNames) {
    if (name == entry.name) return entry.type;
  }
  return std::nullopt;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kError: return "error";
    case Level::kWarning: return "warning";
    case Level::kInfo: return "info";
  }
  return "error";
}

const char* InvalidDataBehaviorName(InvalidDataBehavior behavior) {
  switch (behavior) {
    case InvalidDataBehavior::kBlockSubmit: return "BLOCK_SUBMIT";
    case InvalidDataBehavior::kRemoveInvalidRows: return "REMOVE_INVALID_ROWS";
    case InvalidDataBehavior::kIncludeInvalidRows: return "INCLUDE_INVALID_ROWS";
    case InvalidDataBehavior::kIncludeInvalidRowsAndValues: return "INCLUDE_INVALID_ROWS_AND_VALUES";
  }
  return "REMOVE_INVALID_ROWS";
}

const Field* Schema::FindField(std::string_view key) const {
  for (const Field& field : fields) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

size_t JsonNestingDepth(std::string_view json) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

SchemaLoad LoadSchema(std::string_view text) {
  SchemaLoad load;
  Checker check;
  if (JsonNestingDepth(text) > kMaxJsonNesting) {
    load.problems.push_back({"$", "schema.too_deep", "the schema nests deeper than " +
                                                         std::to_string(kMaxJsonNesting) + " levels"});
    return load;
  }
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    load.problems.push_back({"$", "schema.invalid_json", "the schema is not valid JSON"});
    return load;
  }
  if (!document.is_object()) {
    load.problems.push_back({"$", "schema.not_object", "the schema must be a JSON object"});
    return load;
  }
  Schema schema;
  if (!document.contains("fields")) check.Add("$.fields", "schema.wrong_type", "the schema needs fields");
  for (auto it = document.begin(); it != document.end(); ++it) {
    const std::string& key = it.key();
    std::string at = "$." + key;
    const json& v = it.value();
    if (key == "id") {
      if (!v.is_null()) check.String(v, at, &schema.id);
    } else if (key == "name") {
      check.String(v, at, &schema.name);
    } else if (key == "fields") {
      if (!v.is_array()) {
        check.WrongType(at, "an array of fields");
        continue;
      }
      std::set<std::string> keys;
      for (size_t i = 0; i < v.size(); ++i) {
        Field field;
        std::string field_path = at + "[" + std::to_string(i) + "]";
        LoadField(v[i], field_path, &field, &check);
        if (!field.key.empty() && !keys.insert(field.key).second) {
          check.Add(field_path + ".key", "field.duplicate_key", "the key " + Quote(field.key) + " is used twice");
        }
        schema.fields.push_back(std::move(field));
      }
    } else if (key == "settings") {
      LoadSettings(v, at, &schema.settings, &check);
    } else if (key == "hooks") {
      LoadHooks(v, at, &schema.hooks, &check);
      if (v.is_object()) schema.hooks_json = v.dump();
    } else if (key == "created_date" || key == "modified_date" || key == "organization") {
      // Read-only attributes a Dromo client may send back: accepted, ignored.
    } else {
      check.Add(at, "schema.unknown_key", "unknown schema key " + Quote(key));
    }
  }
  CheckReferences(schema, &check);
  load.problems = std::move(check.problems());
  if (load.problems.empty()) load.schema = std::move(schema);
  return load;
}

std::string SchemaProblemsToJson(const std::vector<SchemaProblem>& problems) {
  JsonWriter out;
  out.BeginArray();
  for (const SchemaProblem& problem : problems) {
    out.BeginObject();
    out.Key("path");
    out.String(problem.path);
    out.Key("code");
    out.String(problem.code);
    out.Key("message");
    out.String(problem.message);
    out.EndObject();
  }
  out.EndArray();
  return out.Take();
}

}  // namespace sluice
