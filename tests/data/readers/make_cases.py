#!/usr/bin/env python3
"""Writes the reader test cases under tests/data/readers/<case>/.

Each case is an input file (input.csv, input.xlsx, ...), its expected.json and,
when needed, options.json. The expected values are written here by hand from
what the input means, never by running Sluice. XLSX files are assembled with
zipfile from literal XML, so every detail (shared or inline strings, styles,
the 1904 date system, hidden sheets, broken CRCs) is under the test's control.

expected.json: {"rows": [[...]]} is compared exactly with `sluice parse`;
{"inspect": {...}} is compared as a subset with `sluice inspect` (objects: the
keys given; arrays: same length, each element a subset); {"error": "code"}
means both commands fail with that code.

Run from the repository root: python3 tests/data/readers/make_cases.py
"""
import io
import json
import os
import shutil
import struct
import zipfile

ROOT = os.path.dirname(os.path.abspath(__file__))
CASES = {}


def case(name, data, ext, expected, options=None):
    assert name not in CASES, name
    CASES[name] = (data, ext, expected, options)


def text_case(name, text, expected, options=None, encoding="utf-8", ext="csv"):
    data = text if isinstance(text, bytes) else text.encode(encoding)
    case(name, data, ext, expected, options)


# ---------------------------------------------------------------- encodings
ROWS_ACCENTS = [["name", "city"], ["Zoë", "Málaga"], ["Jürgen", "Köln"]]
ACCENTS = "name,city\r\nZoë,Málaga\r\nJürgen,Köln\r\n"
text_case("utf8_plain", ACCENTS, {"rows": ROWS_ACCENTS, "inspect": {"encoding": {"name": "utf-8", "bom": False}}})
text_case("utf8_bom", b"\xef\xbb\xbf" + ACCENTS.encode(), {"rows": ROWS_ACCENTS, "inspect": {"encoding": {"name": "utf-8", "bom": True}}})
text_case("utf16le_bom", b"\xff\xfe" + ACCENTS.encode("utf-16-le"), {"rows": ROWS_ACCENTS, "inspect": {"encoding": {"name": "utf-16le", "bom": True}}})
text_case("utf16be_bom", b"\xfe\xff" + ACCENTS.encode("utf-16-be"), {"rows": ROWS_ACCENTS, "inspect": {"encoding": {"name": "utf-16be", "bom": True}}})
text_case("utf16le_no_bom", ACCENTS.encode("utf-16-le"),
          {"rows": ROWS_ACCENTS, "inspect": {"encoding": {"name": "utf-16le", "bom": False,
                                                          "evidence": "no byte order mark; zero bytes at odd offsets"}}})
text_case("utf16be_no_bom", ACCENTS.encode("utf-16-be"), {"rows": ROWS_ACCENTS, "inspect": {"encoding": {"name": "utf-16be", "bom": False}}})
text_case("utf16le_tab_excel_unicode_text", b"\xff\xfe" + "id\tname\r\n1\tÅsa\r\n2\tŁukasz\r\n".encode("utf-16-le"),
          {"rows": [["id", "name"], ["1", "Åsa"], ["2", "Łukasz"]],
           "inspect": {"format": "tsv", "encoding": {"name": "utf-16le"}, "dialect": {"delimiter": "\t"}}})
text_case("windows1252", "name,note\r\nCafé,“quoted” – 5€\r\nNaïve,™ sign\r\n".encode("cp1252"),
          {"rows": [["name", "note"], ["Café", "“quoted” – 5€"], ["Naïve", "™ sign"]],
           "inspect": {"encoding": {"name": "windows-1252"}}})
text_case("latin1_accents", "prénom;ville\nAndré;Genève\n".encode("latin-1"),
          {"rows": [["prénom", "ville"], ["André", "Genève"]], "inspect": {"encoding": {"name": "windows-1252"}, "dialect": {"delimiter": ";"}}})
text_case("mixed_utf8_and_windows1252", "name,city\nZoë,Málaga\n".encode() + "Jürgen,Köln\n".encode("cp1252"),
          {"rows": [["name", "city"], ["Zoë", "Málaga"], ["Jürgen", "Köln"]],
           "inspect": {"encoding": {"name": "utf-8+windows-1252"}, "notices": [{"code": "mixed_encoding"}]}})
text_case("utf8_truncated_last_character", "a,b\nx,é".encode()[:-1],
          {"rows": [["a", "b"], ["x", "Ã"]], "inspect": {"encoding": {"name": "windows-1252"}}})
text_case("nul_bytes", b"id,name\n1,Al\x00ice\n2,Bob\x00\n",
          {"rows": [["id", "name"], ["1", "Alice"], ["2", "Bob"]], "inspect": {"notices": [{"code": "nul_bytes_removed"}]}})
# A NUL far into the text (byte 614 of 831): past the first blocks the
# WebAssembly build scans sixteen and sixty-four bytes at a time.
NUL_FAR_ROWS = [["id", "note"]] + [[str(i), "row %d plain text" % i] for i in range(1, 41)]
text_case("nul_bytes_far", "".join("%s,%s\n" % tuple(r) for r in NUL_FAR_ROWS).replace("30,row 30 plain text", "30,row 30 plain\0 text"),
          {"rows": NUL_FAR_ROWS, "inspect": {"notices": [{"code": "nul_bytes_removed"}]}})
text_case("cesu8_surrogate", b"id,name\n1,x\xed\xa0\x80y\n",
          {"rows": [["id", "name"], ["1", "x\ufffdy"]], "inspect": {"notices": [{"code": "invalid_surrogate"}]}})
text_case("utf16_lone_surrogate", b"\xff\xfe" + "a,b\n1,".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le"),
          {"rows": [["a", "b"], ["1", "\ufffdx"]], "inspect": {"encoding": {"name": "utf-16le"}, "notices": [{"code": "invalid_surrogate"}]}})
text_case("utf16_odd_length", b"\xff\xfe" + "a,b\n1,2".encode("utf-16-le") + b"\x41",
          {"rows": [["a", "b"], ["1", "2\ufffd"]], "inspect": {"notices": [{"code": "truncated_code_unit"}]}})
text_case("utf16_supplementary", b"\xff\xfe" + "emoji,name\n😀,Ada\n".encode("utf-16-le"),
          {"rows": [["emoji", "name"], ["😀", "Ada"]]})
text_case("utf8_bom_semicolon_excel_europe", b"\xef\xbb\xbf" + "Nom;Montant\r\nÉlodie;1 234,50\r\nLéa;99,90\r\n".encode(),
          {"rows": [["Nom", "Montant"], ["Élodie", "1 234,50"], ["Léa", "99,90"]],
           "inspect": {"encoding": {"bom": True}, "dialect": {"delimiter": ";", "lineEnding": "crlf"}}})

# ---------------------------------------------------------------- line endings
ROWS_AB = [["a", "b"], ["1", "2"], ["3", "4"]]
text_case("line_endings_crlf", "a,b\r\n1,2\r\n3,4\r\n", {"rows": ROWS_AB, "inspect": {"dialect": {"lineEnding": "crlf"}}})
text_case("line_endings_lf", "a,b\n1,2\n3,4\n", {"rows": ROWS_AB, "inspect": {"dialect": {"lineEnding": "lf"}}})
text_case("line_endings_cr", "a,b\r1,2\r3,4\r", {"rows": ROWS_AB, "inspect": {"dialect": {"lineEnding": "cr"}}})
text_case("line_endings_mixed", "a,b\r\n1,2\n3,4\r", {"rows": ROWS_AB, "inspect": {"dialect": {"lineEnding": "mixed"}}})
text_case("no_final_newline", "a,b\n1,2\n3,4", {"rows": ROWS_AB})
text_case("crlf_inside_quotes", 'id,address\r\n1,"1 Main St\r\nSpringfield"\r\n',
          {"rows": [["id", "address"], ["1", "1 Main St\r\nSpringfield"]], "inspect": {"dialect": {"lineEnding": "crlf"}}})
text_case("single_line_no_newline", "only,one,row", {"rows": [["only", "one", "row"]], "inspect": {"dialect": {"lineEnding": "none"}}})

# ---------------------------------------------------------------- dialects
text_case("dialect_comma", "id,name,email\n1,Ada,ada@example.com\n2,Bob,bob@example.com\n",
          {"rows": [["id", "name", "email"], ["1", "Ada", "ada@example.com"], ["2", "Bob", "bob@example.com"]],
           "inspect": {"format": "csv", "dialect": {"delimiter": ",", "quote": "\""}}})
text_case("dialect_semicolon_decimal_comma", "item;price;qty\nTea;1,5;2\nCake;2,25;1\nJam;3,1;4\n",
          {"rows": [["item", "price", "qty"], ["Tea", "1,5", "2"], ["Cake", "2,25", "1"], ["Jam", "3,1", "4"]],
           "inspect": {"format": "delimited", "dialect": {"delimiter": ";"}}})
text_case("dialect_semicolon_decimal_comma_tie", "1,5;2,5;3\n4,5;5,5;6\n",
          {"rows": [["1,5", "2,5", "3"], ["4,5", "5,5", "6"]], "inspect": {"dialect": {"delimiter": ";"}}})
text_case("dialect_tab", "id\tname\tnote\n1\tAda\tlikes, commas\n2\tBob\tok\n",
          {"rows": [["id", "name", "note"], ["1", "Ada", "likes, commas"], ["2", "Bob", "ok"]],
           "inspect": {"format": "tsv", "dialect": {"delimiter": "\t"}}}, ext="tsv")
text_case("dialect_pipe", "id|name|note\n1|Ada|a, b; c\n2|Bob|x\n",
          {"rows": [["id", "name", "note"], ["1", "Ada", "a, b; c"], ["2", "Bob", "x"]], "inspect": {"dialect": {"delimiter": "|"}}})
text_case("dialect_schema_delimiter_wins", "a;b,c\n1;2,3\n",
          {"rows": [["a;b", "c"], ["1;2", "3"]],
           "inspect": {"dialect": {"delimiter": ",", "evidence": "the schema's delimiter setting (comma)"}}},
          options={"delimiter": ","})
text_case("dialect_single_column", "email\nada@example.com\nbob@example.com\n",
          {"rows": [["email"], ["ada@example.com"], ["bob@example.com"]],
           "inspect": {"dialect": {"delimiter": ",", "evidence": "no delimiter splits the rows: one column"}}})
text_case("dialect_quoted_commas_in_semicolon_file", 'name;note\n"Doe, Jane";"a, b, c, d"\n"Roe, Rick";"e, f, g"\nAl;"h, i"\n',
          {"rows": [["name", "note"], ["Doe, Jane", "a, b, c, d"], ["Roe, Rick", "e, f, g"], ["Al", "h, i"]],
           "inspect": {"dialect": {"delimiter": ";"}}})
text_case("dialect_single_quote", "id,name\n1,'Doe, Jane'\n2,'Roe, Rick'\n",
          {"rows": [["id", "name"], ["1", "Doe, Jane"], ["2", "Roe, Rick"]], "inspect": {"dialect": {"delimiter": ",", "quote": "'"}}})
text_case("dialect_apostrophes_stay_text", "id,name\n1,O'Brien\n2,D'Arcy\n3,Lee\n",
          {"rows": [["id", "name"], ["1", "O'Brien"], ["2", "D'Arcy"], ["3", "Lee"]], "inspect": {"dialect": {"quote": "\""}}})

# ---------------------------------------------------------------- CSV reading
text_case("quoted_delimiter", 'name,age\n"Doe, Jane",42\n', {"rows": [["name", "age"], ["Doe, Jane", "42"]]})
text_case("doubled_quotes", 'quote,who\n"He said ""hi""",x\n', {"rows": [["quote", "who"], ['He said "hi"', "x"]]})
text_case("newline_in_quotes", 'note,x\n"line one\nline two",y\n', {"rows": [["note", "x"], ["line one\nline two", "y"]]})
text_case("lone_quote_in_unquoted_field", 'item,size\n5" pipe,d\n', {"rows": [["item", "size"], ['5" pipe', "d"]]})
text_case("trailing_delimiter", "a,b,\n1,2,\n", {"rows": [["a", "b", ""], ["1", "2", ""]]})
text_case("ragged_short_rows", "a,b,c\n1,2,3\n4\n5,6\n",
          {"rows": [["a", "b", "c"], ["1", "2", "3"], ["4"], ["5", "6"]],
           "inspect": {"header": {"row": 0}, "ragged": {"expectedColumns": 3, "shortRows": 2, "longRows": 0, "examples": [2, 3]}}})
text_case("ragged_long_rows", "a,b\n1,2\n3,4,5,6\n7,8\n",
          {"rows": [["a", "b"], ["1", "2"], ["3", "4", "5", "6"], ["7", "8"]],
           "inspect": {"columns": 4, "ragged": {"expectedColumns": 2, "shortRows": 0, "longRows": 1, "examples": [2]}}})
text_case("blank_lines", "a,b\n\n1,2\r\n\r\n\n3,4\n\n", {"rows": [["a", "b"], [], ["1", "2"], [], [], ["3", "4"]],
                                                     "inspect": {"ragged": {"shortRows": 0, "longRows": 0}}})
text_case("whitespace_around_quoted_fields", 'a, "b, c" ,d\n1,  "2"  ,3\n', {"rows": [["a", "b, c", "d"], ["1", "2", "3"]]})
text_case("text_after_closing_quote", 'a,b\n"x"y,z\n', {"rows": [["a", "b"], ["xy", "z"]]})
text_case("unterminated_quote", 'a,b\n1,"open\n2,3\n',
          {"rows": [["a", "b"], ["1", "open\n2,3\n"]], "inspect": {"notices": [{"code": "unterminated_quote"}]}})
text_case("empty_fields", ',,\n"",x,""\n', {"rows": [["", "", ""], ["", "x", ""]]})
text_case("unicode_content", "word,meaning\n東京,Tokyo\n😀,smile\nçà,ok\n",
          {"rows": [["word", "meaning"], ["東京", "Tokyo"], ["😀", "smile"], ["çà", "ok"]]})
text_case("control_characters_kept", "a,b\nx\x01y,\x1f\n", {"rows": [["a", "b"], ["x\x01y", "\x1f"]]})
text_case("cell_too_large", "a,b\n1," + "x" * 200 + "\n", {"error": "cell_too_large"}, options={"limits": {"maxCellBytes": 100}})
text_case("too_many_columns", "a,b,c,d,e,f,g\n", {"error": "too_many_columns"}, options={"limits": {"maxColumns": 5}})
text_case("spaces_kept_in_unquoted_fields", "a,b\n  x  , y\n", {"rows": [["a", "b"], ["  x  ", " y"]]})

# ---------------------------------------------------------------- header rows
text_case("header_below_title_rows",
          "Acme Corp customer export\nGenerated 2024-03-01 by admin\n\nid,name,email,signup\n"
          "1,Ada,ada@example.com,2024-01-05\n2,Bob,bob@example.com,2024-02-11\n3,Cy,cy@example.com,2024-02-12\n",
          {"inspect": {"header": {"row": 3}, "rows": 7, "ragged": {"expectedColumns": 4, "shortRows": 0, "longRows": 0}}})
text_case("header_absent_all_data",
          "1,Ada,ada@example.com,2024-01-05\n2,Bob,bob@example.com,2024-02-11\n3,Cy,cy@example.com,2024-02-12\n",
          {"inspect": {"header": {"row": None}}})
text_case("header_override", "junk line\nid,name\n1,Ada\n",
          {"inspect": {"header": {"row": 1, "confidence": 1, "evidence": ["matchingStep.headerRowOverride"]}}},
          options={"headerRowOverride": 1})
text_case("header_override_out_of_range", "id,name\n1,Ada\n", {"error": "header_row_out_of_range"}, options={"headerRowOverride": 5})
text_case("header_all_text_table", "first,last,city\nAda,Lovelace,London\nGrace,Hopper,Arlington\n",
          {"inspect": {"header": {"row": 0}}})
text_case("header_after_blank_lines", "\n\n\nsku,qty,price\nA1,3,9.99\nB2,1,19.50\n",
          {"rows": [[], [], [], ["sku", "qty", "price"], ["A1", "3", "9.99"], ["B2", "1", "19.50"]], "inspect": {"header": {"row": 3}}})
text_case("header_numbers_table_title", "Table 1,,\nsku,qty,price\nA1,3,9.99\nB2,1,19.50\nC3,7,1.25\n",
          {"inspect": {"header": {"row": 1}}})
text_case("header_salesforce_report",
          '"Opportunity Name","Amount","Close Date","Stage"\n"Acme renewal","12,000.00","3/31/2024","Closed Won"\n'
          '"Globex pilot","4,500.00","4/15/2024","Prospecting"\n\n\n"Grand Totals (2 records)","16,500.00",,\n',
          {"inspect": {"header": {"row": 0}}})

# ---------------------------------------------------------------- JSON
text_case("json_array_of_objects", '[{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bob"}]',
          {"rows": [["id", "name"], ["1", "Ada"], ["2", "Bob"]],
           "inspect": {"format": "json", "dialect": None, "header": {"row": 0, "confidence": 1}}}, ext="json")
text_case("json_key_union_first_seen_order", '[{"b": 1}, {"a": 2, "b": 3}, {"c": 4}]',
          {"rows": [["b", "a", "c"], ["1"], ["3", "2"], ["", "", "4"]]}, ext="json")
text_case("json_array_of_arrays", '[["id","name"],[1,"Ada"],[2,"Bob"]]',
          {"rows": [["id", "name"], ["1", "Ada"], ["2", "Bob"]], "inspect": {"format": "json", "header": {"row": 0}}}, ext="json")
text_case("json_nested_values_as_text", '[{"id": 1, "tags": ["a", "b"], "meta": {"x": 1}}]',
          {"rows": [["id", "tags", "meta"], ["1", '["a","b"]', '{"x":1}']]}, ext="json")
text_case("json_scalars", '[{"n": 1.5, "big": 12345678901234567890, "neg": -3, "t": true, "f": false, "z": null, "e": 1e3}]',
          {"rows": [["n", "big", "neg", "t", "f", "z", "e"], ["1.5", "12345678901234567890", "-3", "true", "false", "", "1000"]]},
          ext="json")
text_case("json_wrapped_array", '{"data": [{"id": 1}, {"id": 2}]}',
          {"rows": [["id"], ["1"], ["2"]], "inspect": {"notices": [{"code": "json_wrapped_array"}]}}, ext="json")
text_case("json_invalid", '[{"id": 1,]', {"error": "json_invalid"}, ext="json")
text_case("json_too_deep", '[[[[[[1]]]]]]', {"error": "json_too_deep"}, options={"limits": {"maxJsonDepth": 3}}, ext="json")
text_case("json_array_of_scalars", '[1, 2, 3]', {"error": "json_shape"}, ext="json")
text_case("bare_number_is_one_cell", '42', {"rows": [["42"]], "inspect": {"format": "csv"}}, ext="json")
text_case("json_mixed_rows", '[{"a": 1}, [1, 2]]', {"error": "json_shape"}, ext="json")
text_case("json_object_root", '{"a": 1, "b": 2}', {"error": "json_shape"}, ext="json")
text_case("json_empty_array", '[]', {"error": "empty_file"}, ext="json")
text_case("json_utf16_bom", b"\xff\xfe" + '[{"名前": "Ada"}]'.encode("utf-16-le"),
          {"rows": [["名前"], ["Ada"]], "inspect": {"format": "json", "encoding": {"name": "utf-16le"}}}, ext="json")
text_case("json_escapes", '[{"s": "a\\"b\\\\c\\n\\u00e9\\ud83d\\ude00"}]', {"rows": [["s"], ["a\"b\\c\né😀"]]}, ext="json")
text_case("csv_starting_with_bracket", "[id],[name]\n1,Ada\n2,Bob\n",
          {"rows": [["[id]", "[name]"], ["1", "Ada"], ["2", "Bob"]],
           "inspect": {"format": "csv", "notices": [{"code": "not_json"}],
                       "formatEvidence": "starts with '[' or '{' but is not JSON, and its rows split consistently"}})

# ---------------------------------------------------------------- refused and empty
case("unsupported_xls_ole2", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "xls", {"error": "unsupported_format"})
case("unsupported_pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "pdf", {"error": "unsupported_format"})
case("unsupported_gzip", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\x00" * 20, "csv", {"error": "unsupported_format"})
text_case("unsupported_html_table_saved_as_xls",
          "<html><body><table><tr><td>id</td><td>name</td></tr><tr><td>1</td><td>Ada</td></tr></table></body></html>\n",
          {"error": "unsupported_format"}, ext="xls")
text_case("unsupported_excel_2003_xml",
          '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>\n',
          {"error": "unsupported_format"}, ext="xml")
case("unsupported_binary_garbage", bytes((i * 37 + 11) % 256 for i in range(2048)), "csv", {"error": "unsupported_format"})
case("empty_file", b"", "csv", {"error": "empty_file"})
text_case("only_blank_lines", "\n\r\n\n", {"error": "empty_file"})
text_case("only_bom", b"\xef\xbb\xbf", {"error": "empty_file"})


# ---------------------------------------------------------------- XLSX
def col_name(index):
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def sheet_xml(rows, dimension=True, raw_rows=None, extra=""):
    """rows: list of rows; a cell is None (absent), a str (shared string), or a
    dict {t, v, s, f, is, r} written literally."""
    out = []
    max_c = 0
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, cell in enumerate(row):
            if cell is None:
                continue
            max_c = max(max_c, c + 1)
            ref = f"{col_name(c)}{r}"
            if isinstance(cell, dict):
                attrs = f' r="{cell.get("r", ref)}"' if cell.get("r", ref) else ""
                if "t" in cell:
                    attrs += f' t="{cell["t"]}"'
                if "s" in cell:
                    attrs += f' s="{cell["s"]}"'
                inner = ""
                if "f" in cell:
                    inner += f"<f>{cell['f']}</f>"
                if "v" in cell:
                    inner += f"<v>{cell['v']}</v>"
                if "is" in cell:
                    inner += f"<is>{cell['is']}</is>"
                cells.append(f"<c{attrs}>{inner}</c>" if inner else f"<c{attrs}/>")
            else:
                cells.append(("S", ref, cell))
        out.append((r, cells))
    return out, max_c


def build_xlsx(sheets, shared=None, styles=None, date1904=False, absolute=False, compression=zipfile.ZIP_DEFLATED,
               raw_parts=None, omit=()):
    """sheets: list of (name, rows | raw sheet xml, state)."""
    shared = list(shared or [])
    index = {s: i for i, s in enumerate(shared)}
    parts = {}
    sheet_entries, rels = [], []
    for n, (name, rows, state) in enumerate(sheets, start=1):
        if isinstance(rows, str):
            xml = rows
        else:
            built, max_c = sheet_xml(rows)
            body = []
            for r, cells in built:
                rendered = []
                for cell in cells:
                    if isinstance(cell, tuple):
                        _, ref, text = cell
                        if text not in index:
                            index[text] = len(shared)
                            shared.append(text)
                        rendered.append(f'<c r="{ref}" t="s"><v>{index[text]}</v></c>')
                    else:
                        rendered.append(cell)
                body.append(f'<row r="{r}">{"".join(rendered)}</row>')
            dim = f'<dimension ref="A1:{col_name(max(max_c, 1) - 1)}{max(len(rows), 1)}"/>'
            xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   f'{dim}<sheetData>{"".join(body)}</sheetData></worksheet>')
        parts[f"xl/worksheets/sheet{n}.xml"] = xml
        state_attr = f' state="{state}"' if state != "visible" else ""
        sheet_entries.append(f'<sheet name="{name}" sheetId="{n}"{state_attr} r:id="rId{n}"/>')
        target = f"/xl/worksheets/sheet{n}.xml" if absolute else f"worksheets/sheet{n}.xml"
        rels.append(f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="{target}"/>')
    k = len(sheets)
    if shared:
        items = "".join(s if s.startswith("<si>") else f'<si><t xml:space="preserve">{s}</t></si>' for s in shared)
        parts["xl/sharedStrings.xml"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                         f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(shared)}" uniqueCount="{len(shared)}">{items}</sst>')
        rels.append(f'<Relationship Id="rId{k + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
    if styles:
        parts["xl/styles.xml"] = styles
        rels.append(f'<Relationship Id="rId{k + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>')
    pr = '<workbookPr date1904="1"/>' if date1904 else '<workbookPr defaultThemeVersion="166925"/>'
    parts["xl/workbook.xml"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                                f'{pr}<sheets>{"".join(sheet_entries)}</sheets></workbook>')
    parts["xl/_rels/workbook.xml.rels"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                           '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                           f'{"".join(rels)}</Relationships>')
    parts["_rels/.rels"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                            '</Relationships>')
    parts["[Content_Types].xml"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                                    '<Default Extension="xml" ContentType="application/xml"/></Types>')
    parts.update(raw_parts or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"] + \
                sorted(p for p in parts if p.startswith("xl/") and p not in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")):
            if name in parts and name not in omit:
                info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = compression
                z.writestr(info, parts[name])
    return buffer.getvalue()


STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
          '<numFmt numFmtId="165" formatCode="[h]:mm:ss"/>'
          '<numFmt numFmtId="166" formatCode="&quot;$&quot;#,##0.00;[Red]\\-&quot;$&quot;#,##0.00"/></numFmts>'
          '<cellXfs count="8">'
          '<xf numFmtId="0"/>'     # 0 General
          '<xf numFmtId="14"/>'    # 1 m/d/yyyy
          '<xf numFmtId="22"/>'    # 2 m/d/yy h:mm
          '<xf numFmtId="20"/>'    # 3 h:mm
          '<xf numFmtId="164"/>'   # 4 custom yyyy-mm-dd
          '<xf numFmtId="165"/>'   # 5 elapsed [h]:mm:ss
          '<xf numFmtId="166"/>'   # 6 currency with [Red]: a number
          '<xf numFmtId="10"/>'    # 7 0.00%: a number
          '</cellXfs></styleSheet>')


def n(v, s=None, **kw):
    cell = {"v": v}
    if s is not None:
        cell["s"] = s
    cell.update(kw)
    return cell


case("xlsx_shared_strings", build_xlsx([("Contacts", [["name", "email"], ["Ada", "ada@example.com"], ["Bob", "bob@example.com"]], "visible")]),
     "xlsx", {"rows": [["name", "email"], ["Ada", "ada@example.com"], ["Bob", "bob@example.com"]],
              "inspect": {"format": "xlsx", "encoding": {"name": "binary"}, "dialect": None, "header": {"row": 0},
                          "sheets": [{"name": "Contacts", "rows": 3, "columns": 2, "visible": True, "selected": True}]}})
case("xlsx_inline_strings", build_xlsx([("S", [[{"t": "inlineStr", "is": "<t>id</t>"}, {"t": "inlineStr", "is": "<t>label</t>"}],
                                               [n("1"), {"t": "inlineStr", "is": "<r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r>"}]], "visible")]),
     "xlsx", {"rows": [["id", "label"], ["1", "rich text"]]})
case("xlsx_numbers_general", build_xlsx([("S", [["a", "b", "c", "d", "e", "f"],
                                                [n("0.1"), n("2.9999999999999996"), n("1E-3"), n("123456789012"), n("-0"), n("1234.5", 6)],
                                                [n("0.123", 7), n("1.0000000000000002"), n("-2.5"), n("1e+20"), n("0.30000000000000004"), n("7")]], "visible")],
                                        styles=STYLES),
     "xlsx", {"rows": [["a", "b", "c", "d", "e", "f"], ["0.1", "3", "0.001", "123456789012", "0", "1234.5"],
                       ["0.123", "1", "-2.5", "1e+20", "0.3", "7"]]})
case("xlsx_booleans_and_errors", build_xlsx([("S", [["flag", "err"], [{"t": "b", "v": "1"}, {"t": "e", "v": "#N/A"}],
                                                    [{"t": "b", "v": "0"}, {"t": "e", "v": "#DIV/0!"}]], "visible")]),
     "xlsx", {"rows": [["flag", "err"], ["TRUE", "#N/A"], ["FALSE", "#DIV/0!"]]})
case("xlsx_cached_formula_results", build_xlsx([("S", [["a", "b", "sum", "label"],
                                                       [n("1"), n("2"), n("3", f="A2+B2"), {"t": "str", "f": "&quot;x&quot;&amp;A2", "v": "x1"}],
                                                       [n("4"), n("5"), {"f": "A3+B3"}, {"t": "str", "f": "&quot;y&quot;", "v": "y"}]], "visible")]),
     "xlsx", {"rows": [["a", "b", "sum", "label"], ["1", "2", "3", "x1"], ["4", "5", "", "y"]]})
case("xlsx_dates_1900", build_xlsx([("S", [["date", "custom", "datetime", "time", "elapsed", "plain"],
                                           [n("45379", 1), n("45379", 4), n("45379.6388888889", 2), n("0.75", 3), n("1.5", 5), n("45379")],
                                           [n("1", 1), n("59", 1), n("61", 1), n("36526.5", 2), n("0.0000115740740741", 3), n("2958465", 1)]], "visible")],
                                   styles=STYLES),
     "xlsx", {"rows": [["date", "custom", "datetime", "time", "elapsed", "plain"],
                       ["2024-03-28", "2024-03-28", "2024-03-28T15:20:00", "18:00:00", "36:00:00", "45379"],
                       ["1900-01-01", "1900-02-28", "1900-03-01", "2000-01-01T12:00:00", "00:00:01", "9999-12-31"]]})
case("xlsx_dates_1904", build_xlsx([("S", [["date", "datetime"], [n("0", 1), n("43917.25", 2)], [n("1462", 1), n("1", 2)]], "visible")],
                                   styles=STYLES, date1904=True),
     "xlsx", {"rows": [["date", "datetime"], ["1904-01-01", "2024-03-28T06:00:00"], ["1908-01-02", "1904-01-02T00:00:00"]]})
case("xlsx_lotus_leap_day", build_xlsx([("S", [["d"], [n("60", 1)]], "visible")], styles=STYLES),
     "xlsx", {"rows": [["d"], ["1900-02-29"]]})
case("xlsx_title_rows_above_header",
     build_xlsx([("Report", [["Quarterly sales report"], ["Region: EMEA"], [], ["region", "rep", "amount", "closed"],
                             ["North", "Ada", n("1200.5"), n("45379", 1)], ["South", "Bob", n("980"), n("45380", 1)],
                             ["East", "Cy", n("150"), n("45381", 1)]], "visible")], styles=STYLES),
     "xlsx", {"inspect": {"header": {"row": 3}, "rows": 7,
                          "preview": [["Quarterly sales report"], ["Region: EMEA"], [], ["region", "rep", "amount", "closed"],
                                      ["North", "Ada", "1200.5", "2024-03-28"], ["South", "Bob", "980", "2024-03-29"],
                                      ["East", "Cy", "150", "2024-03-30"]]}})
case("xlsx_multi_sheet_first_visible_with_data",
     build_xlsx([("Empty", [], "visible"), ("Secret", [["x"], ["hidden data"]], "hidden"),
                 ("Data", [["id", "name"], [n("1"), "Ada"]], "visible"), ("Notes", [["note"], ["n1"], ["n2"]], "visible")]),
     "xlsx", {"rows": [["id", "name"], ["1", "Ada"]],
              "inspect": {"sheets": [{"name": "Empty", "rows": 0, "columns": 0, "visible": True, "selected": False},
                                     {"name": "Secret", "rows": 2, "columns": 1, "visible": False, "selected": False},
                                     {"name": "Data", "rows": 2, "columns": 2, "visible": True, "selected": True},
                                     {"name": "Notes", "rows": 3, "columns": 1, "visible": True, "selected": False}]}})
case("xlsx_named_sheet", build_xlsx([("Data", [["id"], [n("1")]], "visible"), ("Other Sheet", [["code"], ["X"]], "visible")]),
     "xlsx", {"rows": [["code"], ["X"]], "inspect": {"sheets": [{"selected": False}, {"selected": True}]}},
     options={"sheet": "Other Sheet"})
case("xlsx_named_hidden_sheet", build_xlsx([("Data", [["id"], [n("1")]], "visible"), ("Hidden", [["code"], ["X"]], "hidden")]),
     "xlsx", {"rows": [["code"], ["X"]], "inspect": {"notices": [{"code": "hidden_sheet"}]}}, options={"sheet": "Hidden"})
case("xlsx_sheet_not_found", build_xlsx([("Data", [["id"]], "visible")]), "xlsx", {"error": "sheet_not_found"}, options={"sheet": "Nope"})
case("xlsx_all_sheets_empty", build_xlsx([("A", [], "visible"), ("B", [], "visible")]), "xlsx", {"error": "workbook_empty"})
case("xlsx_gaps_between_rows_and_cells",
     build_xlsx([("S", '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                       '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="C1" t="inlineStr"><is><t>c</t></is></c></row>'
                       '<row r="4"><c r="B4"><v>2</v></c></row>'
                       '<row r="5"><c><v>5</v></c><c><v>6</v></c></row>'
                       '</sheetData></worksheet>', "visible")]),
     "xlsx", {"rows": [["a", "", "c"], [], [], ["", "2"], ["5", "6"]]})
case("xlsx_trailing_formatted_empty_cells_and_rows",
     build_xlsx([("S", '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                       '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" s="1"/><c r="C1" s="1"/></row>'
                       '<row r="2"><c r="A2"><v>1</v></c></row>'
                       '<row r="3" ht="20" customHeight="1"/><row r="9"><c r="D9" s="1"/></row>'
                       '</sheetData></worksheet>', "visible")], styles=STYLES),
     "xlsx", {"rows": [["a"], ["1"]]})
case("xlsx_escapes_and_entities",
     build_xlsx([("S", [["text", "n"], ["line_x000D__x000A_break", n("1")], ["a &amp; b &lt;c&gt; &#233; _x005F_x", n("2")]], "visible")]),
     "xlsx", {"rows": [["text", "n"], ["line\r\nbreak", "1"], ["a & b <c> é _x", "2"]]})
case("xlsx_rich_text_with_phonetic",
     build_xlsx([("S", [["name"], ["<si><r><t>東</t></r><r><t>京</t></r><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh></si>"]], "visible")]),
     "xlsx", {"rows": [["name"], ["東京"]]})
case("xlsx_stored_entries", build_xlsx([("S", [["id"], [n("7")]], "visible")], compression=zipfile.ZIP_STORED),
     "xlsx", {"rows": [["id"], ["7"]]})
def large_sheet_case(rows):
    """A sheet and shared strings larger than the reader's 128 KB window, every
    kind of cell in every row, so that tokens and cells fall across windows."""
    import datetime
    sheet, expected = [["id", "name", "date", "flag", "formula"]], [["id", "name", "date", "flag", "formula"]]
    for i in range(1, rows + 1):
        name = f"customer number {i:05d} of the large sheet" + (" R&amp;D" if i % 5 == 0 else "")
        serial = 45000 + i % 365
        day = (datetime.date(1899, 12, 30) + datetime.timedelta(days=serial)).isoformat()
        flag = {"t": "inlineStr", "is": f"<t>inline {i}</t>"} if i % 7 == 0 else {"t": "b", "v": str(i % 2)}
        formula = {"t": "str", "v": f"{i} &lt; {i + 1}"} if i % 3 == 0 else n(f"{i}.5")
        sheet.append([n(str(i)), name, n(str(serial), 1), flag, formula])
        expected.append([str(i), name.replace("&amp;", "&"), day,
                         f"inline {i}" if i % 7 == 0 else ("TRUE" if i % 2 else "FALSE"),
                         f"{i} < {i + 1}" if i % 3 == 0 else f"{i}.5"])
    return build_xlsx([("S", sheet, "visible")], styles=STYLES), {"rows": expected}


LARGE_XLSX, LARGE_EXPECTED = large_sheet_case(2000)
case("xlsx_large_sheet_across_windows", LARGE_XLSX, "xlsx", LARGE_EXPECTED)

case("xlsx_absolute_targets", build_xlsx([("S", [["id"], [n("7")]], "visible")], absolute=True), "xlsx", {"rows": [["id"], ["7"]]})
case("xlsx_named_csv", build_xlsx([("S", [["id", "name"], [n("1"), "Ada"]], "visible")]), "csv",
     {"rows": [["id", "name"], ["1", "Ada"]], "inspect": {"format": "xlsx"}})
case("xlsx_zip_bomb", build_xlsx([("S", '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                        + " " * (4 << 20) + '<sheetData/></worksheet>', "visible")]),
     "xlsx", {"error": "zip_bomb"}, options={"limits": {"maxCompressionRatio": 100}})
case("xlsx_over_total_size_limit", build_xlsx([("S", [["id"], [n("1")]], "visible")]), "xlsx", {"error": "zip_too_large"},
     options={"limits": {"maxUncompressedBytes": 500}})
case("xlsx_truncated_download", build_xlsx([("S", [["id"], [n("1")]], "visible")])[:300], "xlsx", {"error": "zip_corrupt"})
case("xlsx_missing_sheet_part", build_xlsx([("S", [["id"], [n("1")]], "visible")], omit=("xl/worksheets/sheet1.xml",)), "xlsx",
     {"error": "xlsx_corrupt"})
case("xlsx_bad_shared_string_index", build_xlsx([("S", '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                                                       '<row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData></worksheet>', "visible")]),
     "xlsx", {"error": "xlsx_corrupt"})
case("xlsx_doctype_refused", build_xlsx([("S", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>', "visible")]),
     "xlsx", {"error": "xlsx_corrupt"})
case("xlsx_too_many_columns", build_xlsx([("S", [["a"] * 8], "visible")]), "xlsx", {"error": "too_many_columns"},
     options={"limits": {"maxColumns": 5}})


def patch_central(data, name, fn):
    """Applies fn(bytearray, offset_of_central_entry) to the entry `name`."""
    buf = bytearray(data)
    at = buf.rfind(b"PK\x05\x06")
    count, size, offset = struct.unpack_from("<HII", buf, at + 10)
    pos = offset
    for _ in range(count):
        nlen, elen, clen = struct.unpack_from("<HHH", buf, pos + 28)
        if buf[pos + 46:pos + 46 + nlen].decode() == name:
            fn(buf, pos)
        pos += 46 + nlen + elen + clen
    return bytes(buf)


good = build_xlsx([("S", [["id"], [n("1")]], "visible")])
case("xlsx_crc_mismatch", patch_central(good, "xl/worksheets/sheet1.xml", lambda b, p: struct.pack_into("<I", b, p + 16, 0xDEADBEEF)),
     "xlsx", {"error": "zip_corrupt"})
case("xlsx_encrypted_entry", patch_central(good, "xl/worksheets/sheet1.xml", lambda b, p: struct.pack_into("<H", b, p + 8, 1)),
     "xlsx", {"error": "zip_unsupported"})


def other_zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


case("unsupported_ods", other_zip([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>")]),
     "ods", {"error": "unsupported_format"})
case("unsupported_docx", other_zip([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w/>")]), "docx",
     {"error": "unsupported_format"})
case("unsupported_plain_zip", other_zip([("data.csv", "a,b\n1,2\n")]), "zip", {"error": "unsupported_format"})


def write_case(name, data, ext, expected, options=None):
    """Writes one case folder (used by make_producer_cases.py too)."""
    folder = os.path.join(ROOT, name)
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    with open(os.path.join(folder, f"input.{ext}"), "wb") as f:
        f.write(data)
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
        f.write("\n")
    if options is not None:
        with open(os.path.join(folder, "options.json"), "w", encoding="utf-8") as f:
            json.dump(options, f)
            f.write("\n")


def main():
    # producer_* cases belong to make_producer_cases.py.
    for name in os.listdir(ROOT):
        path = os.path.join(ROOT, name)
        if os.path.isdir(path) and not name.startswith("producer_"):
            shutil.rmtree(path)
    for name, (data, ext, expected, options) in sorted(CASES.items()):
        write_case(name, data, ext, expected, options)
    print(f"{len(CASES)} cases written to {ROOT}")


if __name__ == "__main__":
    main()
