"""Reads a minhbach CSV download the way a spreadsheet user's script would
(Python's csv module) and prints its figures as JSON for the Rust test.

Usage: python3 csv_roundtrip.py FILE.csv
Fails when the file has a byte-order mark, is not UTF-8, or has ragged rows.
"""
import csv
import json
import sys

path = sys.argv[1]
raw = open(path, "rb").read()
if raw.startswith(b"\xef\xbb\xbf"):
    sys.exit(f"{path}: starts with a byte-order mark")
raw.decode("utf-8")  # raises on anything but UTF-8

with open(path, newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = []
    for line in reader:
        if len(line) != len(header):
            sys.exit(f"{path}: row of {len(line)} fields, header has {len(header)}")
        rows.append(dict(zip(header, line)))


def number(text):
    return None if text == "" else float(text)


def text(cell):
    """A text cell as written in the report: minhbach puts a ' before a
    text that a spreadsheet would run as a formula (=, +, -, @, tab, CR);
    the README says to drop it."""
    if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return cell[1:]
    return cell


print(json.dumps({
    "header": header,
    "rows": [
        {
            "agency_id": r["agency_id"],
            "indicator_id": r["indicator_id"],
            "period": r["period"],
            "value": number(r["value"]),
            "target": number(r["target"]),
            "report_id": r["report_id"],
            "report_url": r["report_url"],
            "stated": text(r["stated"]),
            "current": r["current"],
        }
        for r in rows
    ],
}, ensure_ascii=False))
