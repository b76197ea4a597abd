"""Cells a spreadsheet would run as a formula, neutralised in every CSV and workbook we publish.

A target's text or a clerk's note that starts with = + - @ (or a tab or carriage return) is
read by Excel and WPS as a formula when the CSV or workbook is opened: `=HYPERLINK(...)` would
become a live link, `=cmd|...` worse (OWASP, "CSV Injection"). Such a text cell is published with
a single quote in front, which spreadsheets show as text. Numbers stay numbers: `-3`, `+2.5`
and the `-` that stands for "no value" are left as they are, so the files still add up.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet may show it: a risky text gets a leading ', the rest as is."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if value == "-" or PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_row(values) -> list:
    """safe_cell for every value of a row."""
    return [safe_cell(value) for value in values]
