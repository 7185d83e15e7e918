#!/usr/bin/env python3
"""Writes the import test cases under tests/data/import/<case>/.

Each case: schema.json (a Dromo schema), input.<ext> (the file), expected.json
and, when needed, mapping.json (a remembered mapping: header text -> field key).
Expected values are written here by hand from what the input means.

expected.json keys (each optional except outcome):
  outcome   "SUCCESSFUL" | "NEEDS_REVIEW" | "FAILED"
  reasons   the reason codes, in order
  rows      the cleaned rows (JSON), exactly
  errors    the cell messages as [rowIndex, fieldKey, code] or [..., level], exactly, in order
  mapping   {fieldKey: fileHeader or null}
  metadata  a subset of the result metadata (objects: keys given; arrays: same length)
  csv / ndjson   the rows in that format, exactly

Run from the repository root: python3 tests/data/import/make_cases.py
"""
import json
import os
import shutil

ROOT = os.path.dirname(os.path.abspath(__file__))
CASES = {}


def case(name, fields, data, outcome="SUCCESSFUL", settings=None, ext="csv", **expected):
    assert name not in CASES, name
    schema = {"name": name, "fields": fields, "settings": {"importIdentifier": name, **(settings or {})}}
    expected = {"outcome": outcome, **expected}
    CASES[name] = (schema, data, ext, expected)


INCLUDE = {"invalidDataBehavior": "INCLUDE_INVALID_ROWS"}


def one(name, field, values, results, errors=(), settings=None, header=None):
    """A single-field import: a header, then one value per row, beside a row
    number column no field maps to (so an empty value is still a row). Invalid
    cells keep their text (INCLUDE_INVALID_ROWS) so every row is in `rows`."""
    head = header or field["label"]
    lines = ["row," + csv_cell(head)] + [f"{i + 1}," + csv_cell(v) for i, v in enumerate(values)]
    key = field["key"]
    case(name, [field], "\n".join(lines) + "\n", settings={**INCLUDE, **(settings or {})},
         rows=[{key: r} for r in results], errors=[list(e[:1]) + [key] + list(e[1:]) for e in errors])


def csv_cell(value):
    if any(c in value for c in ',"\n') or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


# ============================================================== types: string, checkbox
one("string_kept_as_is", {"key": "s", "label": "Text"}, ["hello", "  padded  ", "ünïcödé", "1,2,3"],
    ["hello", "padded", "ünïcödé", "1,2,3"])
one("checkbox_words", {"key": "c", "label": "Active", "type": "checkbox"},
    ["yes", "no", "TRUE", "false", "0", "1", "off", "N", "disabled", "x", "Enabled"],
    [True, False, True, False, False, True, False, False, False, True, True])
case("checkbox_empty_is_false", [{"key": "c", "label": "Active", "type": "checkbox"}, {"key": "n", "label": "Name"}],
     "Name,Active\nAda,\nBob,yes\n", rows=[{"c": False, "n": "Ada"}, {"c": True, "n": "Bob"}], errors=[])

# ============================================================== numbers
one("number_us_notation", {"key": "n", "label": "Amount", "type": "number"},
    ["1,234.5", "12", "-3.25", "+7", "1e3", "0.5"], [1234.5, 12, -3.25, 7, 1000, 0.5])
one("number_european_notation", {"key": "n", "label": "Betrag", "type": "number"},
    ["1.234,5", "12,75", "-3,25", "1.000.000,01"], [1234.5, 12.75, -3.25, 1000000.01])
one("number_currency_symbols", {"key": "n", "label": "Price", "type": "number"},
    ["$ 1,234.57", "€12.50", "£3", "USD 10", "99.90 €"], [1234.57, 12.5, 3, 10, 99.9])
one("number_accounting_negative", {"key": "n", "label": "Balance", "type": "number"},
    ["(3,456.78)", "($12.00)", "5-"], [-3456.78, -12, -5])
one("number_percent_sign", {"key": "n", "label": "Rate", "type": "number"}, ["12.34%", "50%", "0.25"], [0.1234, 0.5, 0.25])
one("number_spaces_and_apostrophes", {"key": "n", "label": "Count", "type": "number"},
    ["1 234 567", "1'234", "1\u00a0000"], [1234567, 1234, 1000])
one("number_not_a_number", {"key": "n", "label": "Amount", "type": "number"}, ["12", "abc", "1.2.3", "12abc"],
    [12, "abc", "1.2.3", "12abc"], errors=[(1, "type.number"), (2, "type.number"), (3, "type.number")])
one("number_min_max", {"key": "n", "label": "Qty", "type": ["number", {"min": 1, "max": 10}]}, ["0", "1", "10", "11"],
    ["0", 1, 10, "11"], errors=[(0, "number.min"), (3, "number.max")])
one("number_preset_integer", {"key": "n", "label": "Qty", "type": ["number", "integer"]}, ["3", "3.5", "4.0"],
    [3, "3.5", 4], errors=[(1, "number.integer")])
one("number_preset_decimal_2", {"key": "n", "label": "Amount", "type": ["number", "decimal_2"]}, ["1.005", "2.344", "7"],
    [1.01, 2.34, 7])
one("number_preset_usd_rounds_to_cents", {"key": "n", "label": "Amount", "type": ["number", {"preset": "usd"}]},
    ["$12.345", "3"], [12.35, 3])
one("number_preset_percent_1", {"key": "n", "label": "Rate", "type": ["number", "percent_1"]}, ["12.34%", "0.5"], [0.1, 0.5])
one("number_round_option", {"key": "n", "label": "Amount", "type": ["number", {"round": 1}]}, ["1.26", "1.24"], [1.3, 1.2])
one("number_output_format", {"key": "n", "label": "Amount", "type": ["number", {"outputFormat": "$0,0.00"}]},
    ["1234.5", "-3"], ["$1,234.50", "-$3.00"])
one("number_output_format_percent", {"key": "n", "label": "Rate", "type": ["number", {"outputFormat": "0.0%"}]},
    ["12.34%"], ["12.3%"])
one("number_decimal_comma_decided_per_column", {"key": "n", "label": "Wert", "type": "number"},
    ["1,5", "2,25", "1.234,5", "3"], [1.5, 2.25, 1234.5, 3])
one("number_grouped_thousands_us", {"key": "n", "label": "Amount", "type": "number"}, ["1,234", "2,500.25"], [1234, 2500.25])
case("number_empty_cells_are_null", [{"key": "n", "label": "Amount", "type": "number"}, {"key": "s", "label": "Name"}],
     "Name,Amount\nAda,\nBob,2\n", rows=[{"n": None, "s": "Ada"}, {"n": 2, "s": "Bob"}], errors=[])

# ============================================================== dates
one("date_iso", {"key": "d", "label": "Date", "type": "date"}, ["2024-03-27", "2024-3-7", "2024/03/27", "2024-03-27T10:15:00Z"],
    ["2024-03-27", "2024-03-07", "2024-03-27", "2024-03-27"])
one("date_us_order_by_data", {"key": "d", "label": "Date", "type": "date"}, ["03/27/2024", "12/01/2024", "1/2/2024"],
    ["2024-03-27", "2024-12-01", "2024-01-02"])
one("date_day_first_by_data", {"key": "d", "label": "Date", "type": "date"}, ["27/03/2024", "12/01/2024", "1/2/2024"],
    ["2024-03-27", "2024-01-12", "2024-02-01"])
one("date_dots_and_dashes", {"key": "d", "label": "Datum", "type": "date"}, ["27.03.2024", "1.2.2024", "27-03-2024"],
    ["2024-03-27", "2024-02-01", "2024-03-27"])
one("date_locale_decides_when_data_cannot", {"key": "d", "label": "Date", "type": ["date", {"locale": "en-GB"}]},
    ["01/02/2024", "03/04/2024"], ["2024-02-01", "2024-04-03"])
one("date_default_locale_is_month_first", {"key": "d", "label": "Date", "type": "date"}, ["01/02/2024"], ["2024-01-02"])
one("date_month_names", {"key": "d", "label": "Date", "type": "date"},
    ["27 Mar 2024", "Mar 27, 2024", "March 27 2024", "27-Mar-24", "Wed, 27 Mar 2024 10:00:00 +0000", "27 September 2024"],
    ["2024-03-27", "2024-03-27", "2024-03-27", "2024-03-27", "2024-03-27", "2024-09-27"])
one("date_two_digit_years", {"key": "d", "label": "Date", "type": "date"}, ["03/27/24", "03/27/99", "03/27/49", "03/27/50"],
    ["2024-03-27", "1999-03-27", "2049-03-27", "1950-03-27"])
one("date_time_part_ignored", {"key": "d", "label": "Date", "type": "date"}, ["2024-03-27 15:20", "03/27/2024 3:20 PM"],
    ["2024-03-27", "2024-03-27"])
one("date_invalid_values", {"key": "d", "label": "Date", "type": "date"}, ["2024-02-30", "13/13/2024", "soon", "2023-02-29", "2024-02-29"],
    ["2024-02-30", "13/13/2024", "soon", "2023-02-29", "2024-02-29"],
    errors=[(0, "type.date"), (1, "type.date"), (2, "type.date"), (3, "type.date")])
one("date_autofix_compact_and_excel_serial", {"key": "d", "label": "Date", "type": "date"}, ["20240327", "45379"],
    ["2024-03-27", "2024-03-28"])
one("date_autofix_off", {"key": "d", "label": "Date", "type": ["date", {"autofix": False}]}, ["20240327", "2024-03-27"],
    ["20240327", "2024-03-27"], errors=[(0, "type.date")])
one("date_output_format", {"key": "d", "label": "Date", "type": ["date", {"outputFormat": "MM/DD/YYYY"}]}, ["2024-03-07"],
    ["03/07/2024"])
one("date_output_format_lowercase_tokens", {"key": "d", "label": "Date", "type": ["date", {"outputFormat": "dd.MM.yyyy"}]},
    ["2024-03-07"], ["07.03.2024"])
case("date_decision_reported", [{"key": "d", "label": "Date", "type": "date"}], "Date\n27/03/2024\n01/02/2024\n",
     rows=[{"d": "2024-03-27"}, {"d": "2024-02-01"}],
     metadata={"fields": {"d": {"decision": "day first (DD/MM): '27/03/2024' has a first part over 12"}},
               "detected": {"decisions": {"d": "day first (DD/MM): '27/03/2024' has a first part over 12"}}})
one("datetime_values", {"key": "t", "label": "When", "type": "datetime"},
    ["2022-03-27T15:20", "2022-03-27 15:20:45", "03/27/2022 3:20 PM", "2022-03-27", "27 Mar 2022 23:59"],
    ["2022-03-27T15:20", "2022-03-27T15:20", "2022-03-27T15:20", "2022-03-27T00:00", "2022-03-27T23:59"])
one("datetime_with_seconds", {"key": "t", "label": "When", "type": ["datetime", {"withSeconds": True}]}, ["2022-03-27 15:20:45"],
    ["2022-03-27T15:20:45"])
one("time_values", {"key": "t", "label": "Time", "type": "time"}, ["15:20", "3:20 PM", "12:00 AM", "15:20:30", "25:00", "noon"],
    ["15:20", "15:20", "00:00", "15:20", "25:00", "noon"], errors=[(4, "type.time"), (5, "type.time")])
one("time_with_seconds", {"key": "t", "label": "Time", "type": ["time", {"withSeconds": True}]}, ["15:20:30", "7:05"],
    ["15:20:30", "07:05:00"])

# ============================================================== select, multi-select
PLANS = [{"label": "Free", "value": "free"}, {"label": "Pro", "value": "pro", "alternateMatches": ["professional"]},
         {"label": "Enterprise", "value": "ent", "exactMatchOnly": True}]
one("select_value_label_alternate", {"key": "p", "label": "Plan", "type": "select", "selectOptions": PLANS},
    ["free", "FREE", " Pro ", "Professional", "ent", "Enterprise"], ["free", "free", "pro", "pro", "ent", "ent"])
one("select_fuzzy_match", {"key": "p", "label": "Plan", "type": "select", "selectOptions": PLANS}, ["Freee", "Professionall"],
    ["free", "pro"], errors=[(0, "select.fuzzy_match", "info"), (1, "select.fuzzy_match", "info")])
one("select_exact_match_only", {"key": "p", "label": "Plan", "type": "select", "selectOptions": PLANS}, ["Enterprize"],
    ["Enterprize"], errors=[(0, "select.no_match")])
one("select_no_match_custom_message", {"key": "p", "label": "Plan", "type": "select", "selectOptions": PLANS,
                                       "invalidValueMessage": "Pick Free, Pro or Enterprise"}, ["gold"], ["gold"],
    errors=[(0, "select.no_match")])
one("select_allow_custom", {"key": "p", "label": "Plan", "type": ["select", {"allowCustom": True}], "selectOptions": PLANS},
    ["gold", "free"], ["gold", "free"])
COLORS = [{"label": "Red", "value": "r"}, {"label": "Green", "value": "g"}, {"label": "Blue", "value": "b"}]
one("multi_select_default_delimiter", {"key": "m", "label": "Colors", "type": "multi-select", "selectOptions": COLORS},
    ["Red, Green", "blue", "red,red"], [["r", "g"], ["b"], ["r"]], errors=[(2, "multi_select.duplicate", "warning")])
one("multi_select_custom_delimiter", {"key": "m", "label": "Colors", "type": ["multi-select", {"delimiter": ";"}],
                                      "selectOptions": COLORS}, ["Red; Blue"], [["r", "b"]])
one("multi_select_unknown_value", {"key": "m", "label": "Colors", "type": "multi-select", "selectOptions": COLORS},
    ["Red, Purple"], ["Red, Purple"], errors=[(0, "select.no_match")])

# ============================================================== contact
one("email_html5_rule", {"key": "e", "label": "Email", "type": "email"},
    ["ada@example.com", "Ada.L+tag@Example.CO.UK", "no-at-sign", "a@localhost", "a@127.0.0.1", "a b@x.io", "a@x.io@y.io"],
    ["ada@example.com", "Ada.L+tag@example.co.uk", "no-at-sign", "a@localhost", "a@127.0.0.1", "a b@x.io", "a@x.io@y.io"],
    errors=[(2, "type.email"), (3, "type.email"), (4, "type.email"), (5, "type.email"), (6, "type.email")])
one("url_normalised", {"key": "u", "label": "Website", "type": "url"},
    ["https://Example.com/Path?q=1", "example.org", "HTTP://EXAMPLE.NET:8080/x", "ftp://example.com", "not a url"],
    ["https://example.com/Path?q=1", "https://example.org", "http://example.net:8080/x", "ftp://example.com", "not a url"],
    errors=[(3, "url.protocol"), (4, "type.url")])
one("url_accepted_protocols_and_domains",
    {"key": "u", "label": "Website", "type": ["url", {"acceptedProtocols": ["https"], "acceptedDomains": ["acme.com"]}]},
    ["https://acme.com", "https://shop.acme.com/x", "http://acme.com", "https://evil.com"],
    ["https://acme.com", "https://shop.acme.com/x", "http://acme.com", "https://evil.com"],
    errors=[(2, "url.protocol"), (3, "url.domain")])
one("domain_values", {"key": "d", "label": "Domain", "type": "domain"}, ["Example.COM", "sub.example.com", "nodot", "-bad.com"],
    ["example.com", "sub.example.com", "nodot", "-bad.com"], errors=[(2, "type.domain"), (3, "type.domain")])
one("domain_no_subdomains", {"key": "d", "label": "Domain", "type": ["domain", {"allowSubdomains": False}]},
    ["example.com", "www.example.com", "example.co.uk", "shop.example.co.uk"],
    ["example.com", "www.example.com", "example.co.uk", "shop.example.co.uk"],
    errors=[(1, "domain.subdomain"), (3, "domain.subdomain")])
one("phone_us_national_forms", {"key": "p", "label": "Phone", "type": ["phone-number", {"country": "US"}]},
    ["(415) 555-0132", "415.555.0132", "1-415-555-0132", "+1 415 555 0132", "4155550132 ext. 12", "555-0132", "(015) 555-0132"],
    ["+14155550132", "+14155550132", "+14155550132", "+14155550132", "+14155550132", "555-0132", "(015) 555-0132"],
    errors=[(5, "type.phone-number"), (6, "type.phone-number")])
one("phone_countries", {"key": "p", "label": "Phone", "type": "phone-number"},
    ["+44 20 7946 0958", "+49 30 901820", "+33 1 42 68 53 00", "+91 98765 43210", "+61 2 9374 4000", "+55 11 91234-5678",
     "+1 604 555 0199", "+81 3-1234-5678", "+44 (0)20 7946 0958", "0044 20 7946 0958"],
    ["+442079460958", "+4930901820", "+33142685300", "+919876543210", "+61293744000", "+5511912345678",
     "+16045550199", "+81312345678", "+442079460958", "+442079460958"])
one("phone_national_with_country_option", {"key": "p", "label": "Phone", "type": ["phone-number", {"country": "GB"}]},
    ["020 7946 0958", "07700 900123", "12345"], ["+442079460958", "+447700900123", "12345"], errors=[(2, "type.phone-number")])
one("phone_de_fr_in_au_br_national", {"key": "p", "label": "Phone", "type": ["phone-number", {"country": "DE"}]},
    ["030 901820", "0171 1234567"], ["+4930901820", "+491711234567"])
one("phone_invalid_numbers", {"key": "p", "label": "Phone", "type": "phone-number"}, ["call me", "+33 12", "+1 123 555 0132"],
    ["call me", "+33 12", "+1 123 555 0132"], errors=[(0, "type.phone-number"), (1, "type.phone-number"), (2, "type.phone-number")])
one("phone_output_formatted", {"key": "p", "label": "Phone", "type": ["phone-number", {"outputFormatted": True}]},
    ["4155550132", "+44 20 7946 0958", "+61 2 9374 4000"], ["+1 415-555-0132", "+44 20 7946 0958", "+61 2 9374 4000"])
one("phone_format_international_only", {"key": "p", "label": "Phone", "type": ["phone-number", {"format": "international"}]},
    ["+14155550132", "4155550132"], ["+14155550132", "4155550132"], errors=[(1, "phone.format")])
one("phone_format_national_only", {"key": "p", "label": "Phone", "type": ["phone-number", {"format": "national", "country": "US"}]},
    ["4155550132", "+14155550132"], ["+14155550132", "+14155550132"], errors=[(1, "phone.format")])

# ============================================================== places and ids
one("country_names_and_codes", {"key": "c", "label": "Country", "type": "country"},
    ["Germany", "DE", "deu", "276", "United Kingdom", "UK", "United States of America", "côte d'ivoire", "Bolivia", "Narnia"],
    ["DE", "DE", "DE", "DE", "GB", "GB", "US", "CI", "BO", "Narnia"], errors=[(9, "type.country")])
one("country_three_letter_output", {"key": "c", "label": "Country", "type": ["country", {"format": "3-letter"}]},
    ["Germany", "fr", "USA"], ["DEU", "FRA", "USA"])
one("us_state_names_and_codes", {"key": "s", "label": "State", "type": "us-state-territory"},
    ["California", "ca", "NY", "district of columbia", "Puerto Rico", "Guam", "Atlantis"],
    ["CA", "CA", "NY", "DC", "PR", "GU", "Atlantis"], errors=[(6, "type.us-state-territory")])
one("us_zip_codes", {"key": "z", "label": "Zip", "type": "us-zip-code"}, ["02134", "2134", "12345-6789", "123456789", "1234567", "ABCDE"],
    ["02134", "02134", "12345", "12345", "1234567", "ABCDE"], errors=[(4, "type.us-zip-code"), (5, "type.us-zip-code")])
one("us_zip_nine_digits_with_dash", {"key": "z", "label": "Zip", "type": ["us-zip-code", {"format": "9-digit", "outputDash": True}]},
    ["123456789", "12345-6789", "12345"], ["12345-6789", "12345-6789", "12345"], errors=[(2, "us_zip_code.nine_digits")])
one("ssn_values", {"key": "s", "label": "SSN", "type": "ssn"}, ["123-45-6789", "123 45 6789", "000-12-3456", "666-12-3456", "123-00-4567", "12345"],
    ["123456789", "123456789", "000-12-3456", "666-12-3456", "123-00-4567", "12345"],
    errors=[(2, "type.ssn"), (3, "type.ssn"), (4, "type.ssn"), (5, "type.ssn")])
one("ssn_output_dash", {"key": "s", "label": "SSN", "type": ["ssn", {"outputDash": True}]}, ["123456789"], ["123-45-6789"])
one("uuid_forms", {"key": "u", "label": "Id", "type": "uuid"},
    ["123E4567-E89B-12D3-A456-426614174000", "{123e4567-e89b-12d3-a456-426614174000}", "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
     "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456", "zzze4567-e89b-12d3-a456-426614174000"],
    ["123e4567-e89b-12d3-a456-426614174000"] * 4 + ["123e4567-e89b-12d3-a456", "zzze4567-e89b-12d3-a456-426614174000"],
    errors=[(4, "type.uuid"), (5, "type.uuid")])
one("uuid_version", {"key": "u", "label": "Id", "type": ["uuid", {"version": 4}]},
    ["f47ac10b-58cc-4372-a567-0e02b2c3d479", "123e4567-e89b-12d3-a456-426614174000"],
    ["f47ac10b-58cc-4372-a567-0e02b2c3d479", "123e4567-e89b-12d3-a456-426614174000"], errors=[(1, "uuid.version")])

# ============================================================== validators
one("validator_required", {"key": "n", "label": "Name", "validators": [{"validate": "required"}]}, ["Ada", "", "  "],
    ["Ada", None, None], errors=[(1, "required"), (2, "required")], header="Name")
one("validator_required_custom_message_and_level",
    {"key": "n", "label": "Name", "validators": [{"validate": "required", "errorMessage": "Name please", "level": "warning"}]},
    ["", "Ada"], [None, "Ada"], errors=[(0, "required", "warning")])
one("validator_unique_marks_every_duplicate", {"key": "id", "label": "Id", "validators": [{"validate": "unique"}]},
    ["1", "2", "1", "3", "1", "2"], ["1", "2", "1", "3", "1", "2"],
    errors=[(0, "unique"), (1, "unique"), (2, "unique"), (4, "unique"), (5, "unique")])
one("validator_unique_is_case_sensitive", {"key": "e", "label": "Code", "validators": [{"validate": "unique"}]},
    ["abc", "ABC"], ["abc", "ABC"])
one("validator_unique_case_insensitive", {"key": "e", "label": "Code", "validators": [{"validate": "unique_case_insensitive"}]},
    ["abc", "ABC", "x"], ["abc", "ABC", "x"], errors=[(0, "unique_case_insensitive"), (1, "unique_case_insensitive")])
one("validator_unique_on_parsed_values", {"key": "n", "label": "Amount", "type": "number", "validators": [{"validate": "unique"}]},
    ["1,000", "1000", "999"], ["1,000", "1000", 999], errors=[(0, "unique"), (1, "unique")])
one("validator_unique_ignores_empty", {"key": "n", "label": "Code", "validators": [{"validate": "unique"}]}, ["", "", "a"],
    [None, None, "a"])
case("validator_unique_with",
     [{"key": "first", "label": "First", "validators": [{"validate": "unique_with", "uniqueKey": "name"}]},
      {"key": "last", "label": "Last", "validators": [{"validate": "unique_with", "uniqueKey": "name"}]},
      {"key": "city", "label": "City"}],
     "First,Last,City\nAda,Lovelace,London\nAda,Byron,London\nAda,Lovelace,Paris\n", settings=INCLUDE,
     rows=[{"first": "Ada", "last": "Lovelace", "city": "London"}, {"first": "Ada", "last": "Byron", "city": "London"},
           {"first": "Ada", "last": "Lovelace", "city": "Paris"}],
     errors=[[0, "first", "unique_with"], [0, "last", "unique_with"], [2, "first", "unique_with"], [2, "last", "unique_with"]])
one("validator_regex_match", {"key": "s", "label": "SKU", "validators": [{"validate": "regex_match", "regex": "^[A-Z]{3}-\\d{3}$"}]},
    ["ABC-123", "abc-123", "ABC-1234"], ["ABC-123", "abc-123", "ABC-1234"], errors=[(1, "regex_match"), (2, "regex_match")])
one("validator_regex_ignore_case", {"key": "s", "label": "SKU", "validators": [
    {"validate": "regex_match", "regex": "^[a-z]{3}-\\d{3}$", "regexOptions": {"ignoreCase": True}}]}, ["ABC-123", "ab-1"],
    ["ABC-123", "ab-1"], errors=[(1, "regex_match")])
one("validator_regex_exclude", {"key": "s", "label": "Note", "validators": [{"validate": "regex_exclude", "regex": "(?i)test"}]},
    ["real", "a TEST row"], ["real", "a TEST row"], errors=[(1, "regex_exclude")])
one("validator_regex_is_linear_on_hostile_input",
    {"key": "s", "label": "Text", "validators": [{"validate": "regex_match", "regex": "^(a+)+$"}]},
    ["a" * 5000 + "!", "aaaa"], ["a" * 5000 + "!", "aaaa"], errors=[(0, "regex_match")])
one("validator_length", {"key": "s", "label": "Code", "validators": [{"validate": "length", "min": 2, "max": 4}]},
    ["a", "ab", "abcd", "abcde", "äöü", ""], ["a", "ab", "abcd", "abcde", "äöü", None], errors=[(0, "length"), (3, "length")])
one("validator_alphabetical", {"key": "s", "label": "Name", "validators": [{"validate": "alphabetical"}]},
    ["Ada", "Zoë", "Ada1", "Mary Ann"], ["Ada", "Zoë", "Ada1", "Mary Ann"], errors=[(2, "alphabetical"), (3, "alphabetical")])

REQ_FIELDS = lambda validator: [  # noqa: E731
    {"key": "a", "label": "A"}, {"key": "b", "label": "B"},
    {"key": "c", "label": "C", "validators": [validator]}]
REQ_DATA = "id,A,B,C\n1,x,y,\n2,x,,\n3,,,\n4,,y,\n"
case("validator_require_with", REQ_FIELDS({"validate": "require_with", "fields": ["a", "b"]}), REQ_DATA, settings=INCLUDE,
     errors=[[0, "c", "require_with"], [1, "c", "require_with"], [3, "c", "require_with"]])
case("validator_require_with_all", REQ_FIELDS({"validate": "require_with_all", "fields": ["a", "b"]}), REQ_DATA, settings=INCLUDE,
     errors=[[0, "c", "require_with_all"]])
case("validator_require_without", REQ_FIELDS({"validate": "require_without", "fields": ["a", "b"]}), REQ_DATA, settings=INCLUDE,
     errors=[[1, "c", "require_without"], [2, "c", "require_without"], [3, "c", "require_without"]])
case("validator_require_without_all", REQ_FIELDS({"validate": "require_without_all", "fields": ["a", "b"]}), REQ_DATA,
     settings=INCLUDE, errors=[[2, "c", "require_without_all"]])
REQV_DATA = "id,A,B,C\n1,yes,1,\n2,no,1,\n3,yes,2,\n4,YES,1,done\n"
case("validator_require_with_values", REQ_FIELDS({"validate": "require_with_values", "fieldValues": {"a": "yes", "b": "2"}}),
     REQV_DATA, settings=INCLUDE, errors=[[0, "c", "require_with_values"], [2, "c", "require_with_values"]])
case("validator_require_with_all_values",
     REQ_FIELDS({"validate": "require_with_all_values", "fieldValues": {"a": "yes", "b": "2"}}), REQV_DATA, settings=INCLUDE,
     errors=[[2, "c", "require_with_all_values"]])
case("validator_require_without_values",
     REQ_FIELDS({"validate": "require_without_values", "fieldValues": {"a": "yes", "b": "1"}}), REQV_DATA, settings=INCLUDE,
     errors=[[1, "c", "require_without_values"], [2, "c", "require_without_values"]])
case("validator_require_without_all_values",
     REQ_FIELDS({"validate": "require_without_all_values", "fieldValues": {"a": "yes", "b": "1"}}), REQV_DATA, settings=INCLUDE,
     errors=[])
case("validator_empty_cells_pass_non_required", [
    {"key": "e", "label": "Email", "type": "email", "validators": [{"validate": "regex_match", "regex": "^x"},
                                                                  {"validate": "length", "min": 3}]},
    {"key": "n", "label": "Name"}], "Name,Email\nAda,\n", rows=[{"e": None, "n": "Ada"}], errors=[])

# ============================================================== matching
CONTACT = [{"key": "first_name", "label": "First Name"}, {"key": "last_name", "label": "Last Name", "alternateMatches": ["Surname"]},
           {"key": "email", "label": "Email Address", "type": "email"}, {"key": "phone", "label": "Phone number",
                                                                          "type": ["phone-number", {"country": "US"}]}]
case("match_exact_key_label_alternate", CONTACT, "first_name,Surname,EMAIL ADDRESS,Phone Number\nAda,Lovelace,ada@x.io,4155550132\n",
     mapping={"first_name": "first_name", "last_name": "Surname", "email": "EMAIL ADDRESS", "phone": "Phone Number"},
     metadata={"fields": {"first_name": {"confidence": 1, "reason": "exact match of key 'first_name'"},
                          "last_name": {"confidence": 1, "reason": "alternate match 'Surname'"},
                          "email": {"confidence": 1}}},
     rows=[{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@x.io", "phone": "+14155550132"}])
case("match_fuzzy_headers", CONTACT, "First,Last,E-mail Addr.,Tel. number\nAda,Lovelace,ada@x.io,4155550132\n",
     mapping={"first_name": "First", "last_name": "Last", "email": "E-mail Addr.", "phone": "Tel. number"})
case("match_ignores_case_spacing_punctuation_accents", [{"key": "zip", "label": "Código postal"}, {"key": "city", "label": "City"}],
     "codigo_postal, CITY \n28001,Madrid\n", mapping={"zip": "codigo_postal", "city": "CITY"})
case("match_below_threshold_stays_unmapped", CONTACT, "Favourite colour,Email Address\nblue,ada@x.io\n",
     mapping={"first_name": None, "last_name": None, "email": "Email Address", "phone": None},
     rows=[{"first_name": None, "last_name": None, "email": "ada@x.io", "phone": None}])
case("match_one_column_per_field", [{"key": "email", "label": "Email", "type": "email"}],
     "Email,Email\na@x.io,b@x.io\n", mapping={"email": "Email"}, metadata={"fields": {"email": {"fileHeaderIndex": 0}}},
     rows=[{"email": "a@x.io"}])
case("match_many_to_one", [{"key": "tags", "label": "Tag", "manyToOne": True}, {"key": "id", "label": "Id", "type": "number"}],
     "Id,Tag 1,Tag 2,Tag 3\n1,a,,c\n2,x,y,z\n", rows=[{"tags": ["a", None, "c"], "id": 1}, {"tags": ["x", "y", "z"], "id": 2}],
     metadata={"fields": {"tags": {"fileHeaderIndex": 1, "fileHeaderIndexes": [1, 2, 3]}}})
case("match_remembered_mapping_wins", CONTACT, "Col A,Col B,Email Address,Phone\nAda,Lovelace,ada@x.io,4155550132\n",
     mapping_file={"Col A": "first_name", "Col B": "last_name"},
     mapping={"first_name": "Col A", "last_name": "Col B", "email": "Email Address", "phone": "Phone"},
     metadata={"fields": {"first_name": {"confidence": 1, "reason": "remembered from an earlier import"}}})
case("match_remembered_mapping_absent_headers_ignored", CONTACT, "First Name,Email Address\nAda,ada@x.io\n",
     mapping_file={"Nope": "last_name"}, mapping={"first_name": "First Name", "last_name": None, "email": "Email Address",
                                                  "phone": None})
case("match_fuzzy_off", [{"key": "first_name", "label": "First Name"}, {"key": "email", "label": "Email"}],
     "First,EMAIL\nAda,a@x.io\n", settings={"matchingStep": {"fuzzyMatchHeaders": False}},
     mapping={"first_name": None, "email": "EMAIL"})
case("match_value_evidence_in_reason", [{"key": "email", "label": "Email Address", "type": "email"}],
     "Mail address\na@x.io\nb@x.io\n", metadata={"fields": {"email": {"fileHeader": "Mail address"}}},
     rows=[{"email": "a@x.io"}, {"email": "b@x.io"}])

# ============================================================== outcomes and reasons
case("outcome_required_field_unmapped", [{"key": "email", "label": "Email", "validators": [{"validate": "required"}]},
                                         {"key": "name", "label": "Name"}],
     "Name\nAda\n", outcome="NEEDS_REVIEW", reasons=["field_unmapped"])
case("outcome_require_mapping_unmapped", [{"key": "sku", "label": "SKU", "requireMapping": True}, {"key": "name", "label": "Name"}],
     "Name\nAda\n", outcome="NEEDS_REVIEW", reasons=["field_unmapped"])
case("outcome_header_not_confident", [{"key": "id", "label": "Id", "type": "number"}, {"key": "amount", "label": "Amount", "type": "number"}],
     "1,2.5\n2,3.5\n3,4.5\n", outcome="NEEDS_REVIEW", reasons=["header_not_confident"])
case("outcome_block_submit_with_errors", [{"key": "n", "label": "Amount", "type": "number"}], "Amount\n1\nabc\n",
     outcome="NEEDS_REVIEW", reasons=["invalid_data"], settings={"invalidDataBehavior": "BLOCK_SUBMIT"})
case("outcome_block_submit_clean", [{"key": "n", "label": "Amount", "type": "number"}], "Amount\n1\n2\n",
     settings={"invalidDataBehavior": "BLOCK_SUBMIT"}, rows=[{"n": 1}, {"n": 2}])
case("outcome_failed_unreadable", [{"key": "n", "label": "Name"}], "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 20,
     outcome="FAILED", reasons=["unsupported_format"])
case("outcome_failed_empty_file", [{"key": "n", "label": "Name"}], "", outcome="FAILED", reasons=["empty_file"])
case("outcome_failed_header_only", [{"key": "n", "label": "Name"}], "Name\n", outcome="FAILED", reasons=["no_data_rows"])
case("outcome_allow_empty_submit", [{"key": "n", "label": "Name"}], "Name\n", settings={"allowEmptySubmit": True}, rows=[])
case("outcome_warnings_do_not_block", [{"key": "n", "label": "Name", "validators": [{"validate": "required", "level": "warning"}]},
                                       {"key": "x", "label": "X"}],
     "Name,X\n,1\n", settings={"invalidDataBehavior": "BLOCK_SUBMIT"}, rows=[{"n": None, "x": "1"}],
     errors=[[0, "n", "required", "warning"]])
case("outcome_xlsx_input_reads_through", [{"key": "name", "label": "Name"}, {"key": "email", "label": "Email", "type": "email"}],
     open(os.path.join(ROOT, "..", "readers", "xlsx_shared_strings", "input.xlsx"), "rb").read(), ext="xlsx",
     rows=[{"name": "Ada", "email": "ada@example.com"}, {"name": "Bob", "email": "bob@example.com"}],
     metadata={"detected": {"format": "xlsx", "sheet": "Contacts", "delimiter": None}})

# ============================================================== invalidDataBehavior, output
BEHAVIOR_FIELDS = [{"key": "id", "label": "Id", "type": "number"}, {"key": "email", "label": "Email", "type": "email"}]
BEHAVIOR_DATA = "Id,Email\n1,a@x.io\n2,bad\n3,c@x.io\n"
case("behavior_remove_invalid_rows_default", BEHAVIOR_FIELDS, BEHAVIOR_DATA,
     rows=[{"id": 1, "email": "a@x.io"}, {"id": 3, "email": "c@x.io"}], errors=[[1, "email", "type.email"]],
     metadata={"num_data_rows": 3, "num_output_rows": 2, "rowsWithError": 1})
case("behavior_include_invalid_rows", BEHAVIOR_FIELDS, BEHAVIOR_DATA, settings={"invalidDataBehavior": "INCLUDE_INVALID_ROWS"},
     rows=[{"id": 1, "email": "a@x.io"}, {"id": 2, "email": "bad"}, {"id": 3, "email": "c@x.io"}])
case("behavior_include_invalid_rows_and_values", BEHAVIOR_FIELDS, BEHAVIOR_DATA,
     settings={"invalidDataBehavior": "INCLUDE_INVALID_ROWS_AND_VALUES"},
     rows=[{"id": 1, "email": "a@x.io"},
           {"id": 2, "email": "bad", "$errors": {"email": [{"code": "type.email", "message": "'bad' is not an email address"}]}},
           {"id": 3, "email": "c@x.io"}])
case("behavior_block_submit_keeps_all_rows_for_review", BEHAVIOR_FIELDS, BEHAVIOR_DATA, outcome="NEEDS_REVIEW",
     reasons=["invalid_data"], settings={"invalidDataBehavior": "BLOCK_SUBMIT"},
     rows=[{"id": 1, "email": "a@x.io"}, {"id": 2, "email": "bad"}, {"id": 3, "email": "c@x.io"}])
case("setting_max_records", [{"key": "id", "label": "Id", "type": "number"}], "Id\n1\n2\n3\n4\n", settings={"maxRecords": 2},
     rows=[{"id": 1}, {"id": 2}], metadata={"num_data_rows": 2, "droppedRows": 2})
case("setting_pass_through_unmapped_columns", [{"key": "id", "label": "Id", "type": "number"}], "Id,Notes,Extra\n1,hello,\n",
     settings={"passThroughUnmappedColumns": True}, rows=[{"id": 1, "$unmapped": {"1": "hello", "2": ""}}],
     metadata={"rawHeaders": ["Id", "Notes", "Extra"]})
case("setting_delimiter_from_schema", [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}], "A;B\n1;2,5\n",
     settings={"delimiter": ";"}, rows=[{"a": "1", "b": "2,5"}], metadata={"detected": {"delimiter": ";"}})
case("setting_header_row_override", [{"key": "a", "label": "A"}], "junk\nA\nx\n", settings={"matchingStep": {"headerRowOverride": 1}},
     rows=[{"a": "x"}], metadata={"detected": {"headerRow": 1}})
case("output_csv_neutralises_formulas", [{"key": "f", "label": "F"}, {"key": "n", "label": "N", "type": "number"}],
     'F,N\n=SUM(A1),-5\n"+cmd",3\n@x,1\n"a,b",2\n', csv='f,n\r\n\'=SUM(A1),-5\r\n\'+cmd,3\r\n\'@x,1\r\n"a,b",2\r\n')
case("output_ndjson", [{"key": "id", "label": "Id", "type": "number"}], "Id\n1\n2\n", ndjson='{"id":1}\n{"id":2}\n')
case("output_json_input_file", [{"key": "id", "label": "id", "type": "number"}, {"key": "tags", "label": "tags"}],
     '[{"id": 1, "tags": ["a"]}, {"id": "2"}]', ext="json", rows=[{"id": 1, "tags": '["a"]'}, {"id": 2, "tags": None}])
case("output_metadata_detected", [{"key": "n", "label": "Name"}], "\ufeffName\r\nAda\r\n",
     metadata={"detected": {"format": "csv", "encoding": "utf-8", "delimiter": ",", "headerRow": 0, "sheet": None},
               "rawHeaders": ["Name"], "num_data_rows": 1})
case("output_blank_rows_are_not_data", [{"key": "n", "label": "Name", "validators": [{"validate": "required"}]}],
     "Name\nAda\n\n,\nBob\n", rows=[{"n": "Ada"}, {"n": "Bob"}], metadata={"num_data_rows": 2})

# ============================================================== more inputs and edge cases
one("number_exponents_and_small_values", {"key": "n", "label": "Value", "type": "number"}, ["1.5e-3", "2E+2", "-4e1", ".5"],
    [0.0015, 200, -40, 0.5])
one("number_accounting_with_grouping", {"key": "n", "label": "Value", "type": "number"}, ["(1,234)", "1,234,567"], [-1234, 1234567])
one("date_weekday_and_abbreviations", {"key": "d", "label": "Date", "type": "date"}, ["Sept 5, 2024", "Thu, 5 Sep 2024", "5 sept 2024"],
    ["2024-09-05", "2024-09-05", "2024-09-05"])
one("date_disagreeing_values_follow_the_majority", {"key": "d", "label": "Date", "type": "date"},
    ["13/01/2024", "14/01/2024", "01/13/2024"], ["2024-01-13", "2024-01-14", "01/13/2024"], errors=[(2, "type.date")])
one("time_noon_and_midnight", {"key": "t", "label": "Time", "type": "time"}, ["12:00 PM", "12:30 AM", "0:05"], ["12:00", "00:30", "00:05"])
one("checkbox_single_letters", {"key": "c", "label": "Flag", "type": "checkbox"}, ["Y", "y", "n", "N", "t"], [True, True, False, False, True])
one("select_numeric_option_values", {"key": "p", "label": "Size", "type": "select",
                                     "selectOptions": [{"label": "Small", "value": 1}, {"label": "Large", "value": 2}]},
    ["small", "2", "Large"], ["1", "2", "2"])
one("multi_select_untrimmed", {"key": "m", "label": "Colors", "type": ["multi-select", {"trimValues": False}],
                               "selectOptions": COLORS}, ["Red,Blue"], [["r", "b"]])
one("email_uppercase_domain_lowered", {"key": "e", "label": "Email", "type": "email"}, ["Ada@EXAMPLE.com"], ["Ada@example.com"])
one("country_alpha3_to_alpha2", {"key": "c", "label": "Country", "type": "country"}, ["FRA", "gbr", "jpn", "Deutschland", "Holland"],
    ["FR", "GB", "JP", "DE", "NL"])
one("us_zip_with_spaces_and_plus_four", {"key": "z", "label": "Zip", "type": "us-zip-code"}, [" 90210 ", "90210 1234", "021341234"],
    ["90210", "90210", "02134"])
one("ssn_with_spaces", {"key": "s", "label": "SSN", "type": ["ssn", {"outputDash": True}]}, ["123 45 6789", "987-65-4320"],
    ["123-45-6789", "987-65-4320"], errors=[(1, "type.ssn")])
one("url_with_port_and_fragment", {"key": "u", "label": "Link", "type": "url"}, ["https://x.io:8443/a#b", "http://x.io:", "https://@x.io"],
    ["https://x.io:8443/a#b", "http://x.io:", "https://@x.io"], errors=[(1, "type.url"), (2, "type.url")])
one("phone_brazil_and_india_national", {"key": "p", "label": "Phone", "type": ["phone-number", {"country": "BR"}]},
    ["(11) 91234-5678", "11 3456-7890", "0 11 3456-7890"], ["+5511912345678", "+551134567890", "+551134567890"])
one("phone_australia_and_france_national", {"key": "p", "label": "Phone", "type": ["phone-number", {"country": "AU"}]},
    ["02 9374 4000", "0412 345 678", "01 23 45 67 89"], ["+61293744000", "+61412345678", "01 23 45 67 89"],
    errors=[(2, "type.phone-number")])
one("phone_generic_international", {"key": "p", "label": "Phone", "type": "phone-number"}, ["+81 3 1234 5678", "+7 495 123-45-67", "+1234"],
    ["+81312345678", "+74951234567", "+1234"], errors=[(2, "type.phone-number")])
one("validator_required_and_unique_together", {"key": "id", "label": "Id", "validators": [{"validate": "required"}, {"validate": "unique"}]},
    ["a", "", "a"], ["a", None, "a"], errors=[(0, "unique"), (1, "required"), (2, "unique")])
case("validator_unique_with_three_fields",
     [{"key": k, "label": k.upper(), "validators": [{"validate": "unique_with", "uniqueKey": "u"}]} for k in ("a", "b", "c")],
     "A,B,C\n1,2,3\n1,2,4\n1,2,3\n", settings=INCLUDE,
     errors=[[0, "a", "unique_with"], [0, "b", "unique_with"], [0, "c", "unique_with"],
             [2, "a", "unique_with"], [2, "b", "unique_with"], [2, "c", "unique_with"]])
case("validator_two_unique_with_groups",
     [{"key": "a", "label": "A", "validators": [{"validate": "unique_with", "uniqueKey": "x"}]},
      {"key": "b", "label": "B", "validators": [{"validate": "unique_with", "uniqueKey": "x"}, {"validate": "unique_with", "uniqueKey": "y"}]},
      {"key": "c", "label": "C", "validators": [{"validate": "unique_with", "uniqueKey": "y"}]}],
     "A,B,C\n1,2,3\n1,9,3\n5,2,3\n", settings=INCLUDE,
     errors=[[0, "b", "unique_with"], [0, "c", "unique_with"], [2, "b", "unique_with"], [2, "c", "unique_with"]])
one("validator_length_on_multibyte_text", {"key": "s", "label": "Code", "validators": [{"validate": "length", "max": 2}]},
    ["日本", "日本語"], ["日本", "日本語"], errors=[(1, "length")])
case("match_zip_and_dob_alternates", [{"key": "zip", "label": "ZIP code", "type": "us-zip-code", "alternateMatches": ["Postal Code"]},
                                      {"key": "dob", "label": "Date of birth", "type": "date", "alternateMatches": ["DOB"]}],
     "Postal code,DOB\n02134,1990-05-01\n", mapping={"zip": "Postal code", "dob": "DOB"},
     rows=[{"zip": "02134", "dob": "1990-05-01"}])
case("match_unrelated_header_stays_unmapped", [{"key": "phone", "label": "Phone number", "type": "phone-number"}],
     "Notes,Mobile\nhi,+14155550132\n", mapping={"phone": None})
case("match_remembered_mapping_unknown_field_ignored", [{"key": "a", "label": "A"}], "Col,A\nx,y\n",
     mapping_file={"Col": "nope"}, mapping={"a": "A"})
case("input_tsv_and_utf16", [{"key": "name", "label": "Name"}, {"key": "city", "label": "City"}],
     "\ufeffName\tCity\r\nZoë\tMálaga\r\n".encode("utf-16-le"), rows=[{"name": "Zoë", "city": "Málaga"}],
     metadata={"detected": {"format": "tsv", "encoding": "utf-16le", "delimiter": "\t"}})
case("input_windows1252_option_matching", [{"key": "c", "label": "Ciudad", "type": "select",
                                            "selectOptions": [{"label": "Málaga", "value": "AGP"}, {"label": "Cádiz", "value": "XRY"}]}],
     "Ciudad\nM\xe1laga\nCADIZ\n".encode("latin-1").replace(b"M\xc3\xa1laga", b"M\xe1laga"),
     rows=[{"c": "AGP"}, {"c": "XRY"}], metadata={"detected": {"encoding": "windows-1252"}})
case("input_title_rows_above_header", [{"key": "id", "label": "Id", "type": "number"}, {"key": "email", "label": "Email", "type": "email"}],
     "Customer export\nGenerated today\n\nId,Email\n1,a@x.io\n2,b@x.io\n", rows=[{"id": 1, "email": "a@x.io"}, {"id": 2, "email": "b@x.io"}],
     metadata={"detected": {"headerRow": 3}})
case("input_json_array_of_arrays", [{"key": "id", "label": "id", "type": "number"}], '[["id"], [1], [2]]', ext="json",
     rows=[{"id": 1}, {"id": 2}])
case("input_header_override_out_of_range", [{"key": "a", "label": "A"}], "A\nx\n", outcome="FAILED",
     settings={"matchingStep": {"headerRowOverride": 9}}, reasons=["header_row_out_of_range"])
case("output_csv_many_to_one_and_pass_through", [{"key": "tags", "label": "Tag", "manyToOne": True}],
     "Tag 1,Tag 2,Note\na,b,=x\n", settings={"passThroughUnmappedColumns": True}, csv="tags,Note\r\n\"a,b\",'=x\r\n")
case("output_csv_include_invalid_rows", [{"key": "n", "label": "N", "type": "number"}], "N\n1\nbad\n",
     settings=INCLUDE, csv="n\r\n1\r\nbad\r\n")
case("output_read_only_and_hidden_fields_included", [{"key": "a", "label": "A", "readOnly": True}, {"key": "b", "label": "B", "hidden": True}],
     "A,B\nx,y\n", rows=[{"a": "x", "b": "y"}])
case("setting_max_records_counts_after_blank_rows", [{"key": "id", "label": "Id"}], "Id\n1\n\n2\n3\n", settings={"maxRecords": 2},
     rows=[{"id": "1"}, {"id": "2"}], metadata={"droppedRows": 1})
case("metadata_errors_truncated", [{"key": "n", "label": "N", "type": "number"}], "N\n" + "x\n" * 1005,
     settings=INCLUDE, metadata={"errorCount": 1005, "errorsTruncated": True, "rowsWithError": 1005})


def main():
    for name in os.listdir(ROOT):
        path = os.path.join(ROOT, name)
        if os.path.isdir(path):
            shutil.rmtree(path)
    for name, (schema, data, ext, expected) in sorted(CASES.items()):
        folder = os.path.join(ROOT, name)
        os.makedirs(folder)
        mapping_file = expected.pop("mapping_file", None)
        with open(os.path.join(folder, "schema.json"), "w", encoding="utf-8") as f:
            json.dump(schema, f, ensure_ascii=False, indent=1)
            f.write("\n")
        with open(os.path.join(folder, f"input.{ext}"), "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
            json.dump(expected, f, ensure_ascii=False, indent=1)
            f.write("\n")
        if mapping_file is not None:
            with open(os.path.join(folder, "mapping.json"), "w", encoding="utf-8") as f:
                json.dump(mapping_file, f, ensure_ascii=False)
                f.write("\n")
    print(f"{len(CASES)} cases written to {ROOT}")


if __name__ == "__main__":
    main()
