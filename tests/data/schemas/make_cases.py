#!/usr/bin/env python3
"""Writes the schema test cases under tests/data/schemas/<case>/: schema.json
and expected.json {"valid": bool, "problems": [[json path, code], ...]} (every
problem, in document order). Written by hand from what each schema means.
Run from the repository root: python3 tests/data/schemas/make_cases.py"""
import json
import os
import shutil

ROOT = os.path.dirname(os.path.abspath(__file__))
CASES = {}


def case(name, schema, problems=()):
    assert name not in CASES, name
    CASES[name] = (schema, {"valid": not problems, "problems": [list(p) for p in problems]})


def fields(*items, settings=None):
    doc = {"name": "s", "fields": list(items)}
    if settings is not None:
        doc["settings"] = settings
    return doc


F = {"key": "a", "label": "A"}

case("valid_minimal", fields(F))
case("valid_every_type", fields(*[{"key": f"k{i}", "label": t, "type": t} for i, t in enumerate(
    ["string", "number", "date", "datetime", "time", "checkbox", "email", "url", "domain", "phone-number", "country",
     "us-state-territory", "us-zip-code", "ssn", "uuid"])],
    {"key": "sel", "label": "Sel", "type": "select", "selectOptions": [{"label": "A", "value": "a"}]},
    {"key": "multi", "label": "Multi", "type": "multi-select", "selectOptions": [{"label": "A", "value": "a"}]}))
case("valid_every_validator", fields(
    {"key": "a", "label": "A", "validators": [
        {"validate": "required"}, {"validate": "unique"}, {"validate": "unique_case_insensitive"},
        {"validate": "unique_with", "uniqueKey": "k"}, {"validate": "regex_match", "regex": "^a"},
        {"validate": "regex_exclude", "regex": "b", "regexOptions": {"ignoreCase": True, "dotAll": True, "multiline": True,
                                                                      "unicode": True}},
        {"validate": "require_with", "fields": ["b"]}, {"validate": "require_without", "fields": ["b"]},
        {"validate": "require_with_all", "fields": ["b"]}, {"validate": "require_without_all", "fields": ["b"]},
        {"validate": "require_with_values", "fieldValues": {"b": "x"}},
        {"validate": "require_without_values", "fieldValues": {"b": "x"}},
        {"validate": "require_with_all_values", "fieldValues": {"b": "x"}},
        {"validate": "require_without_all_values", "fieldValues": {"b": "x"}},
        {"validate": "length", "min": 1, "max": 3, "errorMessage": "1 to 3", "level": "warning"},
        {"validate": "alphabetical"}]},
    {"key": "b", "label": "B"}))
case("valid_type_options", fields(
    {"key": "n", "label": "N", "type": ["number", {"preset": "usd", "round": 2, "min": 0, "max": 10, "outputFormat": "0.00",
                                                   "displayFormat": "$0.00"}]},
    {"key": "p", "label": "P", "type": ["number", "percent_2"]},
    {"key": "d", "label": "D", "type": ["date", {"locale": "de-DE", "outputFormat": "DD.MM.YYYY", "autofix": False}]},
    {"key": "t", "label": "T", "type": ["time", {"withSeconds": True}]},
    {"key": "ph", "label": "Ph", "type": ["phone-number", {"country": "gb", "format": "national", "outputFormatted": True}]},
    {"key": "c", "label": "C", "type": ["country", {"format": "3-letter"}]},
    {"key": "z", "label": "Z", "type": ["us-zip-code", {"format": "9-digit", "outputDash": True}]},
    {"key": "u", "label": "U", "type": ["uuid", {"version": 4}]},
    {"key": "url", "label": "Url", "type": ["url", {"acceptedProtocols": ["https"], "acceptedDomains": ["x.io"]}]},
    {"key": "dom", "label": "Dom", "type": ["domain", {"allowSubdomains": False}]},
    {"key": "m", "label": "M", "type": ["multi-select", {"delimiter": ";", "trimValues": False}],
     "selectOptions": [{"label": "A", "value": "a", "alternateMatches": ["aa"], "exactMatchOnly": True}]}))
case("valid_settings", fields(F, settings={
    "importIdentifier": "x", "title": "T", "invalidDataBehavior": "INCLUDE_INVALID_ROWS_AND_VALUES", "maxRecords": 5,
    "maxFileSize": 1000, "delimiter": "\\t", "passThroughUnmappedColumns": True, "allowCustomFields": False,
    "allowEmptySubmit": True, "developmentMode": True, "autoMapHeaders": True, "webhookUrl": "https://x.io/h",
    "needsReviewWebhookUrl": None, "backendSync": False, "backendSyncMode": "FULL_DATA", "displayEncoding": True,
    "matchingStep": {"headerRowOverride": 0, "fuzzyMatchHeaders": True, "matchToSchema": True}}))
case("valid_dromo_readonly_attributes", {"id": "abc", "name": "s", "fields": [F], "created_date": "2024-01-01",
                                          "hooks": {"rowHooks": ["(r) => r"]}})

case("invalid_json", "{", [["$", "schema.invalid_json"]])
case("not_an_object", [F], [["$", "schema.not_object"]])
case("missing_fields", {"name": "s"}, [["$.fields", "schema.wrong_type"]])
case("unknown_top_level_key", {"name": "s", "fields": [F], "colour": "red"}, [["$.colour", "schema.unknown_key"]])
case("field_missing_key_and_label", fields({"type": "string"}), [["$.fields[0].key", "field.missing_key"],
                                                                 ["$.fields[0].label", "field.missing_label"]])
case("field_duplicate_key", fields(F, {"key": "a", "label": "Again"}), [["$.fields[1].key", "field.duplicate_key"]])
case("field_unknown_key", fields({"key": "a", "label": "A", "colour": "red"}), [["$.fields[0].colour", "field.unknown_key"]])
case("type_unknown", fields({"key": "a", "label": "A", "type": "money"}), [["$.fields[0].type", "type.unknown"]])
case("type_unknown_in_array_form", fields({"key": "a", "label": "A", "type": ["money", {}]}), [["$.fields[0].type[0]", "type.unknown"]])
case("type_unknown_preset", fields({"key": "a", "label": "A", "type": ["number", "yen"]}), [["$.fields[0].type[1]", "type.unknown_preset"]])
case("type_unknown_option", fields({"key": "a", "label": "A", "type": ["date", {"timezone": "UTC"}]}),
     [["$.fields[0].type[1].timezone", "schema.unknown_key"]])
case("type_bad_option_values", fields({"key": "a", "label": "A", "type": ["phone-number", {"country": "USA", "format": "fancy"}]}),
     [["$.fields[0].type[1].country", "type.bad_options"], ["$.fields[0].type[1].format", "type.bad_options"]])
case("number_min_over_max", fields({"key": "a", "label": "A", "type": ["number", {"min": 5, "max": 1}]}),
     [["$.fields[0].type[1]", "type.bad_options"]])
case("select_without_options", fields({"key": "a", "label": "A", "type": "select"}), [["$.fields[0].selectOptions", "select.no_options"]])
case("select_duplicate_option_value", fields({"key": "a", "label": "A", "type": "select",
                                              "selectOptions": [{"label": "X", "value": "x"}, {"label": "Y", "value": "x"}]}),
     [["$.fields[0].selectOptions[1].value", "select.bad_option"]])
case("validator_unknown", fields({"key": "a", "label": "A", "validators": [{"validate": "is_prime"}]}),
     [["$.fields[0].validators[0].validate", "validator.unknown"]])
case("validator_without_name", fields({"key": "a", "label": "A", "validators": [{"regex": "x"}]}),
     [["$.fields[0].validators[0].validate", "validator.missing_option"]])
case("unique_with_without_unique_key", fields({"key": "a", "label": "A", "validators": [{"validate": "unique_with"}]}),
     [["$.fields[0].validators[0].uniqueKey", "validator.missing_option"]])
case("regex_missing", fields({"key": "a", "label": "A", "validators": [{"validate": "regex_match"}]}),
     [["$.fields[0].validators[0].regex", "validator.missing_option"]])
case("regex_backreference_not_linear", fields({"key": "a", "label": "A", "validators": [{"validate": "regex_match", "regex": "(a)\\1"}]}),
     [["$.fields[0].validators[0].regex", "regex.not_linear"]])
case("regex_lookahead_not_linear", fields({"key": "a", "label": "A", "validators": [{"validate": "regex_exclude", "regex": "^(?=x)"}]}),
     [["$.fields[0].validators[0].regex", "regex.not_linear"]])
case("regex_syntax_error", fields({"key": "a", "label": "A", "validators": [{"validate": "regex_match", "regex": "(unclosed"}]}),
     [["$.fields[0].validators[0].regex", "regex.invalid"]])
case("regex_unknown_option", fields({"key": "a", "label": "A", "validators": [
    {"validate": "regex_match", "regex": "x", "regexOptions": {"global": True}}]}),
     [["$.fields[0].validators[0].regexOptions.global", "schema.unknown_key"]])
case("require_with_unknown_field", fields({"key": "a", "label": "A", "validators": [{"validate": "require_with", "fields": ["b", "a"]}]}),
     [["$.fields[0].validators[0].fields[0]", "validator.unknown_field"]])
case("require_values_unknown_field", fields({"key": "a", "label": "A", "validators": [
    {"validate": "require_with_values", "fieldValues": {"zz": "1"}}]}),
     [["$.fields[0].validators[0].fieldValues.zz", "validator.unknown_field"]])
case("require_with_missing_fields", fields({"key": "a", "label": "A", "validators": [{"validate": "require_with"}]}),
     [["$.fields[0].validators[0].fields", "validator.missing_option"]])
case("length_without_bounds", fields({"key": "a", "label": "A", "validators": [{"validate": "length"}]}),
     [["$.fields[0].validators[0]", "validator.missing_option"]])
case("validator_option_of_another_validator", fields({"key": "a", "label": "A", "validators": [{"validate": "required", "regex": "x"}]}),
     [["$.fields[0].validators[0].regex", "schema.unknown_key"]])
case("hidden_field_with_validators", fields({"key": "a", "label": "A", "hidden": True, "validators": [{"validate": "required"}]}),
     [["$.fields[0].validators", "validator.hidden_field"]])
case("setting_unknown", fields(F, settings={"colour": "red"}), [["$.settings.colour", "setting.unknown"]])
case("setting_bad_values", fields(F, settings={"invalidDataBehavior": "DROP", "maxRecords": "ten", "delimiter": ";;",
                                                "matchingStep": {"headerRowOverride": -1, "sortBy": 1}}),
     [["$.settings.invalidDataBehavior", "setting.bad_value"], ["$.settings.maxRecords", "schema.wrong_type"],
      ["$.settings.delimiter", "setting.bad_value"], ["$.settings.matchingStep.headerRowOverride", "schema.wrong_type"],
      ["$.settings.matchingStep.sortBy", "setting.unknown"]])
case("every_problem_listed", {"name": 3, "fields": [{"key": "a", "label": "A", "type": "nope"},
                                                    {"key": "a", "label": "B", "validators": [{"validate": "x"}]}],
                              "settings": {"maxRecords": -5}},
     [["$.name", "schema.wrong_type"], ["$.fields[0].type", "type.unknown"], ["$.fields[1].validators[0].validate", "validator.unknown"],
      ["$.fields[1].key", "field.duplicate_key"], ["$.settings.maxRecords", "schema.wrong_type"]])


def main():
    for name in os.listdir(ROOT):
        path = os.path.join(ROOT, name)
        if os.path.isdir(path):
            shutil.rmtree(path)
    for name, (schema, expected) in sorted(CASES.items()):
        folder = os.path.join(ROOT, name)
        os.makedirs(folder)
        with open(os.path.join(folder, "schema.json"), "w", encoding="utf-8") as f:
            f.write(schema if isinstance(schema, str) else json.dumps(schema, indent=1) + "\n")
        with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
            json.dump(expected, f, indent=1)
            f.write("\n")
    print(f"{len(CASES)} cases written to {ROOT}")


if __name__ == "__main__":
    main()
