"""Tests for generator.outputs.forms: a filled form is accepted by the report reader as it is."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import FIXTURE_AS_OF, FIXTURE_DATA

import generator.site.cache
from generator.build import report_rules
from generator.common.problems import InputError, Problems
from generator.evaluate.observations import Observation
from generator.inputs.load import load_inputs
from generator.inputs.reports import load_reports, read_report
from generator.outputs import form_layout, forms
from generator.outputs.forms import (
    HEADER,
    all_forms,
    form_csv,
    form_links,
    form_spec,
    form_xlsx,
    history_by_board,
    target_kind,
    write_form,
)

YEAR = 2023
READ_UNTIL = dt.date(2024, 3, 31)
"""Rules' as-of for reading every sample report (the build reads up to the later of as-of and
today); the evaluation's as-of below decides which observations count."""
AS_OF = dt.date.fromisoformat(FIXTURE_AS_OF)
BOARDS = ["zouqu", "beigang", "xinwen", "wuxing", "xilin", "yonghong", "nandajie", "hehuachi"]


@pytest.fixture(scope="module")
def inputs():
    return load_inputs(FIXTURE_DATA)


@pytest.fixture(scope="module")
def catalog(inputs):
    return inputs.catalog(YEAR)


@pytest.fixture(scope="module")
def rules(inputs):
    return report_rules(inputs, READ_UNTIL)


@pytest.fixture(scope="module")
def latest(rules):
    problems = Problems()
    reports = load_reports(FIXTURE_DATA / "progress", rules, problems)
    assert not problems
    return history_by_board(reports, AS_OF, YEAR)


def sheet_rows(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return list(book.worksheets[0].iter_rows(values_only=True))


def fill_value(kind: str, index: int):
    """A clerk's answer for one row: 是/否 alternately, a percentage, a count, a ratio."""
    return {"done": "是" if index % 2 else "否", "percent": 50, "count": 3 + index,
            "ratio": 1.2}[kind]


# --- contents --------------------------------------------------------------------------------

@pytest.mark.parametrize("board", BOARDS)
def test_one_row_per_target_the_board_must_deliver(catalog, board):
    expected = [info.target.id for info in catalog.board_targets(board)]
    rows = sheet_rows(form_xlsx(catalog, board, YEAR, 2, None))
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == expected
    text = form_csv(catalog, board, YEAR, 2, None)
    assert text.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert tuple(table[0]) == HEADER
    assert [row[0] for row in table[1:]] == expected


def test_prefilled_columns(catalog, latest):
    rows = {row[0]: row for row in sheet_rows(form_xlsx(catalog, "beigang", YEAR, 3,
                                                        latest["beigang"]))}
    assert rows["biaozhunhua-1a"][1:5] == (
        "企业安全生产标准化达标创建",
        "1a. 12月底前，推动三级安全生产标准化创建94家，其中邹区镇25家，北港街道25家，新闻街道22家，"
        "五星街道8家，西林街道8家，永红街道4家，南大街街道1家，荷花池街道1家；",
        "2023年12月31日前", "不少于 25家（填累计数）")
    seen = latest["beigang"]["biaozhunhua-1a"][-2]
    assert seen.quarter == 2  # the latest row before the Q3 form's own quarter
    assert rows["biaozhunhua-1a"][5] == seen.value
    assert rows["biaozhunhua-1a"][6].date() == seen.reported_on
    assert rows["biaozhunhua-1a"][7:] == (None, None, None, None, "beigang", "2023Q3")
    assert rows["xianchang-tisheng-1"][4] == "完成即可（填 是 或 否）"
    assert rows["xianchang-tisheng-1"][5] == (
        "是" if latest["beigang"]["xianchang-tisheng-1"][-1].done else "否")
    assert rows["xianchang-tisheng-2a"][4] == "不少于 5%（填 0–100 的数）"
    assert rows["fenchen-1a"][4] == "不超过 2家（填数字）"


def test_previous_values_come_from_earlier_quarters_only(catalog, latest):
    """A 2023Q2 form never shows what was reported for Q2 or later."""
    later = {tid for tid, rows in latest["beigang"].items() if all(r.quarter >= 2 for r in rows)}
    assert later
    rows = {row[0]: row for row in sheet_rows(form_xlsx(catalog, "beigang", YEAR, 2,
                                                        latest["beigang"]))}
    assert all(rows[tid][5] is None and rows[tid][6] is None for tid in later)
    first = sheet_rows(form_xlsx(catalog, "beigang", YEAR, 1, latest["beigang"]))
    assert all(row[5] is None for row in first[1:])


def test_last_years_values_are_not_this_years_previous_values(catalog, latest):
    """Values are running totals per year: a 2022 figure is no 上次完成值 for 2023."""
    assert all(row.reported_on.year == 2023 for board in latest.values()
               for rows in board.values() for row in rows)
    rows = sheet_rows(form_xlsx(catalog, "beigang", YEAR, 1, latest["beigang"]))
    row = next(row for row in rows if row[0] == "biaozhunhua-1a")
    assert row[5:7] == (None, None)  # a Q1 form has no earlier quarter of the year


def test_the_previous_value_is_the_latest_before_the_forms_quarter(catalog):
    q1 = Observation(3.0, None, dt.date(2023, 3, 20), 1)
    q2 = Observation(5.0, None, dt.date(2023, 6, 20), 2)
    rows = sheet_rows(form_xlsx(catalog, "beigang", YEAR, 3, {"biaozhunhua-1a": (q1, q2)}))
    assert next(row for row in rows if row[0] == "biaozhunhua-1a")[5:7] == (
        5, dt.datetime(2023, 6, 20))
    rows = sheet_rows(form_xlsx(catalog, "beigang", YEAR, 2, {"biaozhunhua-1a": (q1, q2)}))
    assert next(row for row in rows if row[0] == "biaozhunhua-1a")[5] == 3


def test_workbook_layout(catalog):
    book = openpyxl.load_workbook(io.BytesIO(form_xlsx(catalog, "beigang", YEAR, 2, None)))
    assert book.sheetnames == ["进展报表", "填表说明"]
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "B2"
    assert sheet["A1"].font.b
    assert sheet["A2"].protection.locked and not sheet["H2"].protection.locked
    assert (sheet["L2"].value, sheet["M2"].value) == ("beigang", "2023Q2")
    assert sheet["L2"].protection.locked and sheet["M2"].protection.locked
    assert sheet["A2"].fill.fgColor.rgb != sheet["H2"].fill.fgColor.rgb
    assert sheet.column_dimensions["C"].width == 60
    guide = "\n".join(str(row[0]) for row in book["填表说明"].iter_rows(values_only=True)
                      if row[0])
    for phrase in ("2023年第二季度安全生产工作进展报表 — 北港街道（beigang）",
                   "本季度报送日为 2023年6月25日",
                   "保留下载时的文件名 beigang-2023Q2.xlsx（也可命名为 beigang.xlsx）",
                   "放到仓库的 data/progress/2023Q2/ 文件夹，通过拉取请求（pull request）提交",
                   "最后两列“板块编号”“季度”（beigang、2023Q2）说明本表属于哪个板块、哪个季度",
                   "0.5 表示 0.5%，不是 50%",
                   "须在 2023-04-01 至 2023-09-30 之间（允许迟报一个季度）",
                   "填 是 或 否（也可填 完成/未完成、1/0）"):
        assert phrase in guide


def test_data_validation_follows_the_reader(catalog):
    book = openpyxl.load_workbook(io.BytesIO(form_xlsx(catalog, "beigang", YEAR, 2, None)))
    sheet = book.worksheets[0]
    infos = catalog.board_targets("beigang")
    by_cell = {}
    for rule in sheet.data_validations.dataValidation:
        for cell_range in rule.sqref.ranges:
            for row in range(cell_range.min_row, cell_range.max_row + 1):
                by_cell[f"{cell_range.coord[0]}{row}"] = rule
    for row, info in enumerate(infos, start=2):
        rule = by_cell[f"H{row}"]
        kind = target_kind(info)
        expected = {"done": ("list", None, '"是,否"', None),
                    "count": ("decimal", "greaterThanOrEqual", "0", None),
                    "ratio": ("decimal", "greaterThanOrEqual", "0", None),
                    "percent": ("decimal", "between", "0", "100")}[kind]
        assert (rule.type, rule.operator, rule.formula1, rule.formula2) == expected, info.target.id
        assert rule.showInputMessage and rule.prompt and rule.allow_blank
        date_rule = by_cell[f"I{row}"]
        assert (date_rule.type, date_rule.operator) == ("date", "between")
        assert (date_rule.formula1, date_rule.formula2) == ("45017", "45199")  # 4-01 to 9-30
        assert "须在 2023-04-01 至 2023-09-30 之间" in date_rule.prompt
    assert {target_kind(info) for info in infos} == {"done", "count", "percent", "ratio"}


# --- round trip through the reader ----------------------------------------------------------

def filled_xlsx(data: bytes, catalog, board: str) -> tuple[bytes, dict]:
    """Fill 完成值 and 上报日期 as a clerk in Excel would; return the bytes and what was filled."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    expected = {}
    for index, info in enumerate(catalog.board_targets(board)):
        row, kind = index + 2, target_kind(info)
        value = fill_value(kind, index)
        if kind == "percent" and index % 2:  # typed as 50%: Excel stores 0.5, shows 50%
            sheet[f"H{row}"].value, sheet[f"H{row}"].number_format = value / 100, "0%"
        else:
            sheet[f"H{row}"].value = value
        sheet[f"I{row}"].value = dt.date(2023, 6, 20 + index % 5)
        sheet[f"J{row}"].value = f"说明 {index}" if index % 3 == 0 else None
        expected[info.target.id] = (value, dt.date(2023, 6, 20 + index % 5))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), expected


def check_read(path: Path, rules, expected: dict, catalog) -> None:
    problems = Problems()
    report = read_report(path, rules, problems)
    assert [p.format() for p in problems.items] == []
    assert report is not None and report.board == "beigang" and report.quarter == 2
    assert [row.target for row in report.rows] == list(expected)
    for row in report.rows:
        value, day = expected[row.target]
        if target_kind(catalog.targets[row.target]) == "done":
            assert (row.done, row.value) == (value == "是", None)
        else:
            assert (row.value, row.done) == (pytest.approx(value), None)
        assert row.reported_on == day


def test_filled_xlsx_is_accepted_as_it_is(tmp_path, catalog, rules, latest):
    data, expected = filled_xlsx(form_xlsx(catalog, "beigang", YEAR, 2, latest["beigang"]),
                                 catalog, "beigang")
    path = tmp_path / "2023Q2" / "beigang.xlsx"
    path.parent.mkdir()
    path.write_bytes(data)
    check_read(path, rules, expected, catalog)
    kinds = {target_kind(catalog.targets[t]) for t in expected}
    assert kinds == {"done", "count", "percent", "ratio"}


def test_filled_csv_is_accepted_as_it_is(tmp_path, catalog, rules, latest):
    text = form_csv(catalog, "beigang", YEAR, 2, latest["beigang"]).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    value_at, date_at = HEADER.index("完成值"), HEADER.index("上报日期")
    expected = {}
    for index, row in enumerate(table[1:]):
        kind = target_kind(catalog.targets[row[0]])
        value = fill_value(kind, index)
        row[value_at] = f"{value}%" if kind == "percent" and index % 2 else str(value)
        row[date_at] = f"2023/6/{20 + index % 5}"
        expected[row[0]] = (value, dt.date(2023, 6, 20 + index % 5))
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(table)
    path = tmp_path / "2023Q2" / "beigang.csv"
    path.parent.mkdir()
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    check_read(path, rules, expected, catalog)


def test_unfilled_form_is_rejected_once_with_the_forms_own_rule(tmp_path, catalog, rules):
    """Rows left unfilled are one message (the form's rule), not a silent zero or 51 messages."""
    path = tmp_path / "2023Q2" / "beigang.csv"
    path.parent.mkdir()
    path.write_bytes(form_csv(catalog, "beigang", YEAR, 2, None))
    problems = Problems()
    assert read_report(path, rules, problems) is None
    rows = len(catalog.board_targets("beigang"))
    assert [(p.line, p.message, p.hint) for p in problems.items] == [
        (2, f"第 2、3、4、5、6… 行只有指标编号，没有完成值和上报日期（共 {rows} 行）",
         "按报表的填表说明：本季度不报的指标，请把整行删除；要报的指标填写完成值和上报日期")]


def test_a_form_in_another_quarters_folder_is_refused(tmp_path, catalog, rules, latest):
    data, _ = filled_xlsx(form_xlsx(catalog, "beigang", YEAR, 3, latest["beigang"]),
                          catalog, "beigang")
    for name in ("beigang-2023Q3.xlsx", "beigang.xlsx"):
        path = tmp_path / name / "2023Q2" / name
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        problems = Problems()
        assert read_report(path, rules, problems) is None
        assert [p.format().split(": ", 1)[1] for p in problems.items] == [
            "文件名表明这是 2023Q3 的报表，却放在 2023Q2 文件夹 — 请把它移到 data/progress/2023Q3/；"
            "如确是 2023Q2 的报表，请从网站下载 2023Q2 的报表模板重新填写"
            if name != "beigang.xlsx" else
            "这是 2023Q3 的报表（表中“季度”为 2023Q3），却放在 2023Q2 文件夹 — "
            "请把它移到 data/progress/2023Q3/；2023Q2 的报表请下载 2023Q2 的报表模板填写"]


# --- all forms, determinism, links -----------------------------------------------------------

def test_all_forms(catalog, latest):
    files = all_forms(catalog, latest, YEAR)
    assert len(files) == 64
    assert sorted(files) == sorted(f"forms/{YEAR}Q{q}/{b}-{YEAR}Q{q}.{s}" for q in range(1, 5)
                                   for b in BOARDS for s in ("xlsx", "csv"))
    assert files["forms/2023Q3/beigang-2023Q3.xlsx"] == form_xlsx(catalog, "beigang", YEAR, 3,
                                                           latest["beigang"])
    assert all_forms(catalog, latest, YEAR) == files


def test_same_bytes_every_time(catalog, latest):
    first = form_xlsx(catalog, "xinwen", YEAR, 4, latest["xinwen"])
    assert form_xlsx(catalog, "xinwen", YEAR, 4, latest["xinwen"]) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in archive.infolist()} == {(2023, 10, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2023-10-01T00:00:00Z</dcterms:created>" in core
    assert "2023-10-01T00:00:00Z</dcterms:modified>" in core


# --- the workbook cache ----------------------------------------------------------------------

def digest(files: dict[str, bytes]) -> str:
    """One hash over the paths and each file's sha256, in path order."""
    total = hashlib.sha256()
    for name in sorted(files):
        total.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return total.hexdigest()


PINNED = {"latest": "0e36db08459611a222cd7d2a7537db4f75099f9380fa942bafa788f586174e8e",
          "none": "00f7d7e917d3d81ac70e1936010302191929212b51f3eefd006cedadb33d9644"}
"""digest(all_forms(...)) for the fixture data, taken when the forms gained their board and
quarter columns (FORM_VERSION 2) and the plan its kinds and roles: cached or drawn, the bytes
must stay these. Other openpyxl versions may write other bytes."""


@pytest.mark.skipif(openpyxl.__version__ != "3.1.5", reason="pinned with openpyxl 3.1.5")
def test_bytes_as_before_the_cache(tmp_path, catalog, latest):
    assert digest(all_forms(catalog, latest, YEAR)) == PINNED["latest"]
    assert digest(all_forms(catalog, None, YEAR)) == PINNED["none"]
    assert digest(all_forms(catalog, latest, YEAR, tmp_path / "forms")) == PINNED["latest"]


def test_cached_forms_are_the_same_bytes(tmp_path, catalog, latest, monkeypatch):
    cache = tmp_path / "cache" / "forms"
    uncached = all_forms(catalog, latest, YEAR)
    assert all_forms(catalog, latest, YEAR, cache) == uncached  # cold: drawn and stored
    stored = sorted(path.name for path in cache.iterdir())
    assert len(stored) == 32 and all(name.endswith(".xlsx") for name in stored)  # no temp files
    for path in cache.iterdir():
        assert generator.site.cache.read(cache, path.stem, ".xlsx") in uncached.values()

    def no_drawing(spec):
        raise AssertionError(f"drew {spec.board} {spec.quarter} despite the cache")

    monkeypatch.setattr(forms, "draw", no_drawing)
    assert all_forms(catalog, latest, YEAR, cache) == uncached  # warm: openpyxl not used


def test_a_changed_value_draws_only_that_boards_forms(tmp_path, catalog, latest):
    cache = tmp_path / "forms"
    all_forms(catalog, latest, YEAR, cache)
    before = set(cache.iterdir())
    changed = {board: dict(values) for board, values in latest.items()}
    target, rows = next(iter(changed["beigang"].items()))
    changed["beigang"][target] = (*rows[:-1], dataclasses.replace(
        rows[-1], value=(rows[-1].value or 0) + 1, done=None))
    files = all_forms(catalog, changed, YEAR, cache)
    assert files == all_forms(catalog, changed, YEAR)
    drawn = set(cache.iterdir()) - before
    assert 1 <= len(drawn) <= 3  # the later quarters of beigang that show the value


def test_cache_key_covers_what_the_workbook_shows(catalog, latest):
    spec = form_spec(catalog, "beigang", YEAR, 3, latest["beigang"])
    assert form_spec(catalog, "beigang", YEAR, 3, latest["beigang"]).key() == spec.key()
    row = spec.rows[0]
    keys = {spec.key(),
            form_spec(catalog, "beigang", YEAR, 4, latest["beigang"]).key(),
            form_spec(catalog, "xinwen", YEAR, 3, latest["xinwen"]).key(),
            dataclasses.replace(spec, rows=((row[0], row[1], row[2] + "。", *row[3:]),
                                            *spec.rows[1:])).key(),
            dataclasses.replace(spec, guide=(*spec.guide, "")).key(),
            dataclasses.replace(spec, kinds=("done",) * len(spec.kinds)).key()}
    assert len(keys) == 6


def test_cache_key_follows_the_form_version(catalog, latest, monkeypatch):
    spec = form_spec(catalog, "beigang", YEAR, 3, latest["beigang"])
    key = spec.key()
    monkeypatch.setattr(form_layout, "FORM_VERSION", form_layout.FORM_VERSION + "-next")
    assert spec.key() != key


def test_form_links(catalog):
    links = form_links(catalog, "beigang")
    assert links[1] == {"quarter": "第二季度", "due": "2023年6月25日",
                        "xlsx": "../forms/2023Q2/beigang-2023Q2.xlsx",
                        "csv": "../forms/2023Q2/beigang-2023Q2.csv"}


# --- write_form (the `template` command) -----------------------------------------------------

BOARD, QUARTER = "--board: 未知的板块编号 ", "--quarter: 季度 "
USAGE = "不对：应写成 2023Q1 至 2023Q4"

def test_write_form(tmp_path, catalog, latest):
    written = write_form(catalog, "beigang", "2023Q2", tmp_path, latest["beigang"])
    assert written == [tmp_path / "2023Q2" / "beigang-2023Q2.xlsx",
                       tmp_path / "2023Q2" / "beigang-2023Q2.csv"]
    assert written[0].read_bytes() == form_xlsx(catalog, "beigang", YEAR, 2, latest["beigang"])
    assert written[1].read_bytes() == form_csv(catalog, "beigang", YEAR, 2, latest["beigang"])
    assert sorted(p.name for p in (tmp_path / "2023Q2").iterdir()) == [
        "beigang-2023Q2.csv", "beigang-2023Q2.xlsx"]


@pytest.mark.parametrize("board, quarter, messages", [
    ("beigan", "2023Q2", [f"{BOARD}'beigan' — 是否应为 'beigang'？"]),
    ("北港街道", "2023Q2", [f"{BOARD}'北港街道' — 是否应为 'beigang'？（北港街道的板块编号）"]),
    ("高新园", "2023Q2", [f"{BOARD}'高新园' — 是否应为 'zouqu'？（邹区镇的板块编号）"]),
    ("beigang", "2023q2", [f"{QUARTER}'2023q2' {USAGE} — 是否应为 '2023Q2'？"]),
    ("beigang", "2023-2", [f"{QUARTER}'2023-2' {USAGE} — 是否应为 '2023Q2'？"]),
    ("beigang", "2022Q2", ["--quarter: 没有 2022 年度的任务分解表：当前年度为 2023 — "
                           "是否应为 '2023Q2'？"]),
    ("beigang", "2023Q5", [f"{QUARTER}'2023Q5' {USAGE} — "
                           "季度只能是 1 到 4：2023Q1、2023Q2、2023Q3、2023Q4"]),
    ("xx", "Q3", [f"{BOARD}'xx' — 可用的板块编号有：beigang、hehuachi、nandajie、"
                  "wuxing、xilin、xinwen、yonghong、zouqu",
                  f"{QUARTER}'Q3' {USAGE} — 是否应为 '2023Q3'？"]),
])
def test_write_form_explains_a_wrong_board_or_quarter(tmp_path, catalog, board, quarter,
                                                      messages):
    with pytest.raises(InputError) as caught:
        write_form(catalog, board, quarter, tmp_path / "out")
    assert [problem.format() for problem in caught.value.problems.items] == messages
    assert not (tmp_path / "out").exists()


def test_forms_take_the_goal_words_from_formatting_not_from_the_calendar():
    """The form's 目标 and the calendar's 板块目标 are one formatter (formatting.board_goal)."""
    from test_imports import import_graph

    assert "generator.outputs.calendar_feed" not in import_graph()["generator.outputs.forms"]
