"""Write the report corpus: good/<form>/ holds one report in every accepted form, bad/<case>/ one
mistake each. Run `python tests/corpus/reports/make_corpus.py` after editing; commit the output.

The output is byte-for-byte reproducible (tests/test_reports.py checks that), so the committed
files always match this script. Each good/<form>/ and bad/<case>/ folder is a progress folder:
it holds <year>Q<n>/<board>.csv|xlsx as data/progress/ does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
REPORT = "2023Q2/beigang"
CSV, XLSX = f"{REPORT}.csv", f"{REPORT}.xlsx"
HEADER = ["target", "value", "reported_on", "note", "evidence"]
CHINESE_HEADER = ["指标编号", "完成值", "上报日期", "说明", "佐证"]
NOTE_1, NOTE_2 = "已创建三级标准化企业", "完成指导服务，含 12 家企业"
EVIDENCE_3 = "会议纪要（6月25日）"

# The canonical report: count, percent, done and ratio targets. Each form below writes the
# same facts differently; the tests check every form reads back to exactly these rows.
CANONICAL = [
    ["biaozhunhua-1a", "1200", "2023-06-25", NOTE_1, ""],
    ["zhongxiao-2a", "50", "2023-06-20", NOTE_2, ""],
    ["fenchen-2", "是", "2023-06-25", "", EVIDENCE_3],
    ["changanma-3", "1.2", "2023-06-21", "", ""],
]


def rows_with(values: list[str], dates: list[str]) -> list[list[str]]:
    """The canonical rows with other spellings of the values and dates."""
    return [[target, value, date, note, evidence] for (target, _, _, note, evidence), value, date
            in zip(CANONICAL, values, dates, strict=True)]


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str = "utf-8",
              newline: str = "\n") -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator=newline).writerows([header, *rows])
    return text.getvalue().encode(encoding)


def lines(*text: str, encoding: str = "utf-8") -> bytes:
    """A hand-written CSV file, one argument per line."""
    return "".join(line + "\n" for line in text).encode(encoding)


def xlsx_bytes(rows: list[list], formats: dict[str, str] | None = None) -> bytes:
    """An .xlsx workbook whose first sheet holds rows; formats maps cells ('B3') to formats."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    book.properties.created = dt.datetime(2023, 7, 1)
    raw = io.BytesIO()
    book.save(raw)
    return stable_zip(raw.getvalue())


def guide_first_xlsx(rows: list[list]) -> bytes:
    """A workbook whose first sheet is 填表说明 and whose report sheet 进展报表 comes second."""
    book = openpyxl.Workbook()
    book.active.title = "填表说明"
    book.active.append(["一、怎样填写：本季度不报的指标，请把整行删除。"])
    sheet = book.create_sheet("进展报表")
    for row in rows:
        sheet.append(row)
    book.properties.created = dt.datetime(2023, 7, 1)
    raw = io.BytesIO()
    book.save(raw)
    return stable_zip(raw.getvalue())


def stable_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps, so saving twice gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2023-07-01T00:00:00Z",
                                 content)
            target.writestr(zipfile.ZipInfo(info.filename, (2023, 7, 1, 0, 0, 0)), content,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_members(data: bytes, add: dict[str, bytes] | None = None,
                 patch: dict[str, tuple[bytes, bytes]] | None = None) -> bytes:
    """A workbook's zip with members added, or one piece of a member's XML replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename in (patch or {}):
                old, new = patch[info.filename]
                assert old in content, (info.filename, old)
                content = content.replace(old, new)
            target.writestr(zipfile.ZipInfo(info.filename, (2023, 7, 1, 0, 0, 0)), content,
                            compress_type=zipfile.ZIP_DEFLATED)
        for name, content in (add or {}).items():
            target.writestr(zipfile.ZipInfo(name, (2023, 7, 1, 0, 0, 0)), content,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheets_xlsx(sheets: list[tuple[str, str, list[list]]]) -> bytes:
    """A workbook of (title, state, rows) sheets: state is visible, hidden or veryHidden."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, state, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    book.properties.created = dt.datetime(2023, 7, 1)
    raw = io.BytesIO()
    book.save(raw)
    return stable_zip(raw.getvalue())


def day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


GOOD_CSV = csv_bytes(HEADER, CANONICAL)
GOOD_XLSX = xlsx_bytes([HEADER, *CANONICAL])
FULLWIDTH = str.maketrans("0123456789-%,.abcdefghijklmnopqrstuvwxyz_",
                          "０１２３４５６７８９－％，．ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ＿")


def good_forms() -> dict[str, tuple[str, bytes]]:
    """Form name -> (file suffix, bytes)."""
    dates = [row[2] for row in CANONICAL]
    values = [row[1] for row in CANONICAL]
    return {
        "utf8": (".csv", GOOD_CSV),
        "utf8-bom-crlf": (".csv", csv_bytes(HEADER, CANONICAL, "utf-8-sig", "\r\n")),
        "gb18030": (".csv", csv_bytes(CHINESE_HEADER, CANONICAL, "gb18030")),
        "gb18030-english-header": (".csv", csv_bytes(HEADER, CANONICAL, "gb18030")),
        "chinese-header-reordered": (".csv", csv_bytes(
            ["上报日期", "指标", "指标名称", "完成值", "佐证", "说明"],
            [[date, target, f"{target} 的名称", value, evidence, note]
             for target, value, date, note, evidence in CANONICAL])),
        "fullwidth": (".csv", csv_bytes(
            [name.translate(FULLWIDTH) for name in HEADER],
            [[target.translate(FULLWIDTH), value, date.translate(FULLWIDTH), note, evidence]
             for (target, _, date, note, evidence), value
             in zip(CANONICAL, ["１，２００", "５０％", "是", "１．２"], strict=True)])),
        "units": (".csv", csv_bytes(HEADER, rows_with(["1200家", "50%", "完成", "1.2"], dates))),
        "units-spaced": (".csv", csv_bytes(
            HEADER, rows_with(["1,200 家", "50 %", "已完成", " 1.20 "], dates))),
        "dates-slash": (".csv", csv_bytes(
            HEADER, rows_with(values[:2] + ["1"] + values[3:],
                              ["2023/6/25", "2023/06/20", "2023/6/25", "2023/6/21"]))),
        "dates-dot": (".csv", csv_bytes(
            HEADER, rows_with(values[:2] + ["yes"] + values[3:],
                              ["2023.6.25", "2023.06.20", "2023.6.25", "2023.6.21"]))),
        "dates-chinese": (".csv", csv_bytes(
            HEADER, rows_with(values[:2] + ["√"] + values[3:],
                              ["2023年6月25日", "2023年06月20日",
                               "2023年6月25号", "2023年6月21日"]))),
        "dates-compact": (".csv", csv_bytes(
            HEADER, rows_with(values[:2] + ["TRUE"] + values[3:],
                              ["20230625", "20230620", "20230625", "20230621"]))),
        "dates-excel-serial": (".csv", csv_bytes(
            HEADER, rows_with(values, ["45102", "45097", "45102.75", "45098"]))),
        "dates-with-time": (".csv", csv_bytes(
            HEADER, rows_with(values, ["2023-06-25 14:30", "2023/6/20 09:05:00",
                                       "2023-06-25T08:00:00", "2023年6月21日 17:45"]))),
        "stray-spaces": (".csv", csv_bytes(
            [f" {name} " for name in HEADER],
            [[f" {target}\t", f"  {value} ", f"\u3000{date}", f" {note}  ", f"{evidence} "]
             for target, value, date, note, evidence in CANONICAL])),
        "trailing-commas-and-blank-rows": (".csv", csv_bytes(
            [*HEADER, ""], [[*row, ""] for row in CANONICAL] + [[""] * 6, [""] * 6], "utf-8",
            "\r\n")),
        "xlsx-text": (".xlsx", GOOD_XLSX),
        "xlsx-typed": (".xlsx", xlsx_bytes([HEADER, *[
            [target, float(value) if value[0].isdigit() else value, day(date), note, evidence]
            for target, value, date, note, evidence in CANONICAL]])),
        "xlsx-percent-format": (".xlsx", xlsx_bytes(
            [HEADER, *[[target, value, day(date), note, evidence] for target, value, date, note,
                       evidence in rows_with([1200, 0.5, True, 1.2], dates)]],
            {"B3": "0%", "C2": "yyyy/m/d", "C3": "yyyy/m/d"})),
        "xlsx-serial-dates": (".xlsx", xlsx_bytes(
            [HEADER, *rows_with([1200, 50, 1, 1.2], [45102, 45097, 45102.5, 45098])])),
        "form-file-name": ("-2023Q2.xlsx", xlsx_bytes(
            [["board", "quarter", *HEADER], *[["beigang", "2023Q2", *row] for row in CANONICAL]])),
        "form-columns-csv": (".csv", csv_bytes(
            ["板块编号", "季度", *CHINESE_HEADER],
            [["beigang", "2023Q2", *row] for row in CANONICAL], "utf-8-sig", "\r\n")),
        "guide-sheet-first": (".xlsx", guide_first_xlsx([HEADER, *CANONICAL])),
        "xlsx-chinese-header": (".xlsx", xlsx_bytes([CHINESE_HEADER, *rows_with(
            ["1,200", "50%", "已完成", "1.2"],
            [day("2023-06-25T14:30"), "2023/6/20", day("2023-06-25T08:00"), "2023年6月21日"])])),
    }


def report_rows(*rows: str) -> bytes:
    """A Q2 report for beigang: the header, then the given data lines."""
    return lines(",".join(HEADER), *rows)


def bad_cases() -> dict[str, dict[str, bytes]]:
    """Case name -> {path in the progress folder: bytes}."""
    good_row = "biaozhunhua-1a,12,2023-06-25,,"
    traditional = ("指標編號,完成值,上報日期,說明\n"
                   "biaozhunhua-1a,12,2023-06-25,已完成三級標準化創建\n")
    gb_chinese = ("指标编号,完成值,上报日期,完成情况\n"
                  "biaozhunhua-1a,12,2023-06-25,已完成三级标准化企业创建工作，并组织现场观摩学习\n")
    return {
        # where the file is and what it is called
        "unknown-board": {"2023Q2/beigan.csv": GOOD_CSV},
        "chinese-file-name": {"2023Q2/北港.csv": GOOD_CSV},
        "quarter-5": {"2023Q5/beigang.csv": GOOD_CSV},
        "dashed-folder": {"2023-Q2/beigang.csv": GOOD_CSV},
        "chinese-folder": {"2023年第2季度/beigang.csv": GOOD_CSV},
        "not-in-quarter-folder": {"beigang.csv": GOOD_CSV},
        "too-deep": {"2023Q2/beigang/beigang.csv": GOOD_CSV},
        "old-xls": {"2023Q2/beigang.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)},
        "uppercase-extension": {"2023Q2/beigang.CSV": GOOD_CSV},
        "csv-and-xlsx": {CSV: GOOD_CSV, XLSX: GOOD_XLSX},
        "excel-lock-file": {"2023Q2/~$beigang.xlsx": b"\x06clerk" + bytes(159)},
        "q3-form-in-q2-folder": {"2023Q2/beigang-2023Q3.xlsx": xlsx_bytes(
            [["board", "quarter", *HEADER], ["beigang", "2023Q3", *CANONICAL[0]]])},
        "form-and-csv-of-one-board": {CSV: GOOD_CSV, "2023Q2/beigang-2023Q2.xlsx": GOOD_XLSX},
        # bytes and file formats
        "empty-file": {CSV: b""},
        "only-empty-rows": {CSV: b",,,,\r\n\r\n , ,\r\n"},
        "oversized": {CSV: report_rows(*[good_row + "说明" * 20] * 80)},
        "latin-1": {CSV: report_rows(good_row, "zhongxiao-2a,5,2023-06-25,café,")
                    .replace("é".encode(), "é".encode("latin-1"))},
        "big5": {CSV: traditional.encode("big5")},
        "utf-16": {CSV: "\t".join(HEADER).encode("utf-16")},
        "xlsx-named-csv": {CSV: GOOD_XLSX},
        "csv-named-xlsx": {XLSX: GOOD_CSV},
        "truncated-xlsx": {XLSX: GOOD_XLSX[:600]},
        "empty-workbook": {XLSX: xlsx_bytes([])},
        "unclosed-quote": {CSV: report_rows(good_row, 'fenchen-2,是,2023-06-25,"未闭合,')},
        "text-after-quote": {CSV: report_rows(good_row, 'fenchen-2,是,2023-06-25,"已"完成,')},
        "semicolons": {CSV: lines(";".join(HEADER), good_row.replace(",", ";"))},
        # the header
        "missing-column": {CSV: lines("target,value,note", "biaozhunhua-1a,12,")},
        "unknown-column": {CSV: lines(",".join([*HEADER, "完成情况"]), good_row + ",好")},
        "duplicate-column": {CSV: lines(",".join([*HEADER, "指标编号"]),
                                        good_row + ",biaozhunhua-1a")},
        "data-without-column-name": {CSV: lines(",".join(HEADER) + ",", good_row + ",多出来的")},
        "header-only": {CSV: lines(",".join(HEADER), ",,,,")},
        "gb18030-unknown-column": {CSV: gb_chinese.encode("gb18030")},
        "title-row-above-header": {XLSX: xlsx_bytes(
            [["2023年第二季度安全生产工作进展报表（北港街道）"], HEADER, *CANONICAL])},
        "another-quarters-form": {CSV: lines("板块编号,季度,指标编号,完成值,上报日期",
                                             "beigang,2023Q3,biaozhunhua-1a,12,2023-09-20")},
        "another-boards-form": {CSV: lines("板块编号,季度,指标编号,完成值,上报日期",
                                           "xinwen,2023Q2,biaozhunhua-1a,12,2023-06-25")},
        "only-changed-rows-filled": {CSV: report_rows(
            good_row, "zhongxiao-2a,,,,", "fenchen-2,,,,", "changanma-3,,,,")},
        # the rows
        "unknown-target": {CSV: report_rows("biaozhunhua-1,12,2023-06-25,,")},
        "another-boards-target": {CSV: report_rows("xiaofang-4,3,2023-06-25,,")},
        "duplicate-target": {CSV: report_rows(good_row, "fenchen-2,是,2023-06-25,,",
                                              "biaozhunhua-1a,15,2023-06-26,,")},
        "empty-target": {CSV: report_rows(",12,2023-06-25,,")},
        "empty-value": {CSV: report_rows("biaozhunhua-1a, ,2023-06-25,,")},
        "empty-done-value": {CSV: report_rows("fenchen-2,,2023-06-25,,")},
        "not-a-number": {CSV: report_rows("zhongxiao-2a,50,2023-06-25,,",
                                          "biaozhunhua-1a,n/a,2023-06-25,,")},
        "comma-decimal": {CSV: report_rows('changanma-3,"1,5",2023-06-25,,')},
        "negative": {CSV: report_rows("biaozhunhua-1a,-3,2023-06-25,,")},
        "percent-over-100": {CSV: report_rows("zhongxiao-2a,１２０％,2023-06-25,,")},
        "percent-sign-on-count": {CSV: report_rows("biaozhunhua-1a,50%,2023-06-25,,")},
        "percent-sign-on-ratio": {CSV: report_rows("changanma-3,120%,2023-06-25,,")},
        "unit-on-percent": {CSV: report_rows("zhongxiao-2a,50个,2023-06-25,,")},
        "inexact-number": {CSV: report_rows("biaozhunhua-1a,1.2万,2023-06-25,,")},
        "done-not-recognised": {CSV: report_rows("fenchen-2,进行中,2023-06-25,,")},
        "empty-date": {CSV: report_rows("biaozhunhua-1a,12,,,")},
        "american-date": {CSV: report_rows("biaozhunhua-1a,12,6/25/2023,,")},
        "impossible-date": {CSV: report_rows("biaozhunhua-1a,12,2023-06-31,,")},
        "date-before-quarter": {CSV: report_rows("biaozhunhua-1a,12,2023-03-31,,")},
        "date-after-next-quarter": {CSV: report_rows("biaozhunhua-1a,12,2023-10-01,,")},
        "date-after-as-of": {"2023Q3/beigang.csv": report_rows("biaozhunhua-1a,12,2023-10-20,,")},
        "xlsx-cells": {XLSX: xlsx_bytes([
            ["说明", "指标编号", "完成值", "上报日期"],
            ["", "biaozhunhua-1a", "n/a", day("2023-06-25")],
            [],
            ["", "zhongxiao-2a", day("2023-03-05"), day("2023-06-25")],
            ["", "fenchen-2", True, 45200],
        ])},
        # hostile inputs (issue 15): values that cannot be, text that hides, workbooks that lie
        "impossible-time": {CSV: report_rows("biaozhunhua-1a,12,2023-06-25 99:99,,")},
        "hidden-report-file": {"2023Q2/.beigang.csv": GOOD_CSV},
        "hidden-report-folder": {"2023Q2/.old/beigang.csv": GOOD_CSV},
        "bidi-override-in-note": {CSV: report_rows(
            good_row, "fenchen-2,是,2023-06-25,已完成\u202e整改\u202c,")},
        "nul-in-csv": {CSV: report_rows(good_row, "fenchen-2,是,2023-06-25,已\x00完成,")},
        "note-too-long": {CSV: report_rows(good_row[:-2] + "," + "说" * 501 + ",")},
        "evidence-too-long": {CSV: report_rows(good_row + "材" * 600)},
        "hidden-sheet-with-data": {XLSX: sheets_xlsx([
            ("进展报表", "visible", [HEADER, *CANONICAL]),
            ("草稿", "hidden", [["biaozhunhua-1a", "9999"]])])},
        "hidden-report-sheet": {XLSX: sheets_xlsx([
            ("说明", "visible", [["见进展报表"]]),
            ("进展报表", "hidden", [HEADER, *CANONICAL])])},
        "formula-without-value": {XLSX: xlsx_bytes([HEADER, ["biaozhunhua-1a", "=10+2",
                                                              "2023-06-25"]])},
        "formula-with-forged-value": {XLSX: with_members(
            xlsx_bytes([HEADER, ["biaozhunhua-1a", "=1+1", "2023-06-25"]]),
            patch={"xl/worksheets/sheet1.xml": (b"<f>1+1</f><v></v>", b"<f>1+1</f><v>1200</v>")})},
        "external-link": {XLSX: with_members(GOOD_XLSX, add={
            "xl/externalLinks/externalLink1.xml": b'<externalLink xmlns="http://schemas.'
                                                  b'openxmlformats.org/spreadsheetml/2006/main"/>'})},
        "macro": {XLSX: with_members(GOOD_XLSX, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})},
        "macro-enabled-type": {XLSX: with_members(GOOD_XLSX, patch={"[Content_Types].xml": (
            b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")})},
        "bidi-override-in-xlsx-cell": {XLSX: xlsx_bytes(
            [HEADER, [*CANONICAL[0][:3], "已创建\u2067三级\u2069标准化企业", ""]])},
        "several-problems": {CSV: report_rows(
            "biaozhunhua-1a,十二,2023-06-25,,", "zhongxiao-2a,50%,2023-13-01,,",
            "fenchen-2,是,2023-06-25,,", "fenchen-2,否,2023-06-26,,")},
    }


def write(root: Path) -> None:
    """Write good/ and bad/ under root, replacing what was there."""
    for folder in ("good", "bad"):
        shutil.rmtree(root / folder, ignore_errors=True)
    for form, (suffix, data) in good_forms().items():
        _write(root / "good" / form / f"{REPORT}{suffix}", data)
    for case, files in bad_cases().items():
        for name, data in files.items():
            _write(root / "bad" / case / name, data)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


if __name__ == "__main__":
    write(HERE)
