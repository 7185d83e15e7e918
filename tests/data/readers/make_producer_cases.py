#!/usr/bin/python3
"""Writes the producer_* reader cases: files made by real spreadsheet software
rather than by hand, so the readers meet the XML those programs actually write.

- openpyxl (Debian's python3-openpyxl): shared strings, styles with date
  formats, booleans, hidden sheets, the 1904 date system.
- LibreOffice (Debian's libreoffice-calc-nogui, headless): a CSV with a title
  row converted to .xlsx (LibreOffice recognises the dates and numbers and
  writes its own styles), and the same sheet as .ods and legacy .xls, which
  Sluice must refuse by name.

The expected values are written here from the source data, not from Sluice.
Needs: apt-get install python3-openpyxl libreoffice-calc-nogui (not needed by
the build or the tests, which use the committed files).
Run from the repository root: /usr/bin/python3 tests/data/readers/make_producer_cases.py
"""
import datetime
import os
import subprocess
import sys
import tempfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, ROOT)
from make_cases import write_case  # noqa: E402  (the one way cases are written)


def saved(workbook):
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        workbook.save(tmp.name)
        with open(tmp.name, "rb") as f:
            return f.read()


def openpyxl_types():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Orders"
    ws.append(["order_id", "customer", "ordered_on", "shipped_at", "amount", "paid", "note"])
    ws.append([1001, "Zoë Müller", datetime.date(2024, 3, 28), datetime.datetime(2024, 3, 29, 14, 5, 0), 19.99, True, None])
    ws.append([1002, "李雷", datetime.date(2023, 12, 31), datetime.datetime(2024, 1, 2, 9, 0, 30), 1234.5, False, "gift, wrapped"])
    ws.append([1003, "O'Brien", datetime.date(1999, 1, 1), datetime.datetime(2000, 2, 29, 0, 0, 0), -3, True, "50% off"])
    hidden = wb.create_sheet("Lookup")
    hidden.append(["code", "label"])
    hidden.append(["A", "Alpha"])
    hidden.sheet_state = "hidden"
    return saved(wb)


def openpyxl_1904():
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Mac"
    ws.append(["event", "on"])
    ws.append(["launch", datetime.date(2024, 3, 28)])
    ws.append(["epoch", datetime.date(1904, 1, 1)])
    return saved(wb)


CSV_FOR_LIBREOFFICE = (
    "Regional sales Q1,,,\n"
    "region,rep,amount,closed\n"
    "North,Ada,1200.50,2024-03-28\n"
    "South,Bob,980,2024-03-29\n"
    "East,Cy,150.25,2024-03-30\n"
)


def libreoffice(csv_text, target):
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "sales.csv")
        with open(source, "w", encoding="utf-8") as f:
            f.write(csv_text)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", target, "--outdir", tmp, source],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
        ext = target.split(":")[0]
        with open(os.path.join(tmp, f"sales.{ext}"), "rb") as f:
            return f.read()


def main():
    write_case("producer_openpyxl_types_and_hidden_sheet", openpyxl_types(), "xlsx", {
        "rows": [["order_id", "customer", "ordered_on", "shipped_at", "amount", "paid", "note"],
                 ["1001", "Zoë Müller", "2024-03-28", "2024-03-29T14:05:00", "19.99", "TRUE"],
                 ["1002", "李雷", "2023-12-31", "2024-01-02T09:00:30", "1234.5", "FALSE", "gift, wrapped"],
                 ["1003", "O'Brien", "1999-01-01", "2000-02-29T00:00:00", "-3", "TRUE", "50% off"]],
        "inspect": {"format": "xlsx", "header": {"row": 0},
                    "sheets": [{"name": "Orders", "visible": True, "selected": True},
                               {"name": "Lookup", "rows": 2, "columns": 2, "visible": False, "selected": False}]}})
    write_case("producer_openpyxl_1904_dates", openpyxl_1904(), "xlsx", {
        "rows": [["event", "on"], ["launch", "2024-03-28"], ["epoch", "1904-01-01"]]})
    write_case("producer_libreoffice_xlsx_title_row", libreoffice(CSV_FOR_LIBREOFFICE, "xlsx"), "xlsx", {
        "rows": [["Regional sales Q1"], ["region", "rep", "amount", "closed"],
                 ["North", "Ada", "1200.5", "2024-03-28"], ["South", "Bob", "980", "2024-03-29"],
                 ["East", "Cy", "150.25", "2024-03-30"]],
        "inspect": {"format": "xlsx", "header": {"row": 1}}})
    write_case("producer_libreoffice_ods", libreoffice(CSV_FOR_LIBREOFFICE, "ods"), "ods", {"error": "unsupported_format"})
    write_case("producer_libreoffice_legacy_xls", libreoffice(CSV_FOR_LIBREOFFICE, "xls"), "xls", {"error": "unsupported_format"})
    print("producer cases written")


if __name__ == "__main__":
    main()
