"""Tests for generator.outputs.downloads: each campaign and board page offers its own numbers as files.

The files are made from the evaluation, as the pages are: a row built from a cell is checked
against values computed by hand, and the files against the pages they sit beside.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import posixpath

import pytest
from helpers import FIXTURE_AS_OF, FIXTURE_DATA

from generator.build import report_rules
from generator.common.problems import Problems
from generator.evaluate import Status, evaluate
from generator.inputs.load import load_inputs
from generator.inputs.reports import load_reports
from generator.outputs.downloads import (
    BOARDS,
    CAMPAIGNS,
    FIELDS,
    board_rows,
    campaign_rows,
    cell_row,
    download_links,
    year_downloads,
)
from generator.pages.board import board_page
from generator.pages.campaign import campaign_page
from generator.pages.layout import SiteLayout
from generator.pages.page import PageKind

YEAR = 2023
AS_OF = dt.date.fromisoformat(FIXTURE_AS_OF)
LABELS = [label for _, label in FIELDS]
TARGET = "xianchang-tisheng-2a"


@pytest.fixture(scope="module")
def inputs():
    return load_inputs(FIXTURE_DATA)


@pytest.fixture(scope="module")
def ev(inputs):
    problems = Problems()
    reports = load_reports(FIXTURE_DATA / "progress", report_rules(inputs, dt.date(2024, 3, 31)),
                           problems)
    assert not problems
    return evaluate(inputs.catalog(YEAR), reports, AS_OF)


@pytest.fixture(scope="module")
def files(ev, inputs):
    return year_downloads(ev, inputs.settings)


@pytest.fixture(scope="module")
def pages(ev, inputs):
    catalog = ev.catalog
    return ([campaign_page(ev, SiteLayout(YEAR), inputs.settings, cid) for cid in catalog.campaigns]
            + [board_page(ev, SiteLayout(YEAR), inputs.settings, slug) for slug in catalog.boards])


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert reader.fieldnames == LABELS
    return list(reader)


def shown(text: str) -> str:
    """A page value as a download holds it: no value is empty."""
    return "" if text == "—" else text


# --- a row from a cell, by hand ----------------------------------------------------------------

def known_cell(ev, **values):
    """Beigang's cell of xianchang-tisheng-2a with the given values."""
    return dataclasses.replace(ev.cell(TARGET, "beigang"), **values)


FIXED = {"campaign": "中小企业安全生产现场管理提升行动", "target_id": TARGET, "no": "2a",
         "text": "5月底前，各板块完成不低于5%比例企业指导服务；", "board": "beigang",
         "board_name": "北港街道"}


def test_a_row_from_a_cell(ev):
    cell = known_cell(ev, goal=12.0, expected=7.5, actual=3.0, done=None, stale=True,
                      status=Status.BEHIND, reported_on=dt.date(2023, 6, 20), note="台账已补",
                      explanation="第二季度报表显示 3，应完成 7.5")
    assert cell_row(ev.catalog, cell) == {
        **FIXED, "quota": "12", "expected": "7.5", "actual": "3（旧）", "status": "滞后",
        "reported_on": "2023-06-20", "note": "第二季度报表显示 3，应完成 7.5；台账已补"}


@pytest.mark.parametrize(("values", "expected"), [
    ({"actual": None, "done": True}, {"actual": "是"}),
    ({"actual": None, "done": False}, {"actual": "否"}),
    ({"actual": None, "done": None}, {"actual": ""}),
    ({"actual": 0.25, "done": None}, {"actual": "0.25"}),
    ({"actual": 1200000.0, "done": None}, {"actual": "1.2e+06"}),  # as the page prints it
    ({"goal": None, "expected": None}, {"quota": "", "expected": ""}),
    ({"goal": 0.0, "expected": 2.0}, {"quota": "0", "expected": "2"}),
    ({"reported_on": None}, {"reported_on": ""}),
    ({"reported_on": dt.date(2023, 12, 5)}, {"reported_on": "2023-12-05"}),
    ({"note": "", "explanation": "未上报"}, {"note": "未上报"}),
    ({"status": Status.NOT_DUE}, {"status": "未到期"}),
])
def test_row_values(ev, values, expected):
    base = {"actual": 3.0, "done": None, "stale": False, "goal": 5.0, "expected": 5.0,
            "reported_on": dt.date(2023, 9, 23), "note": "示例数据", "explanation": "已完成",
            "status": Status.DONE}
    row = cell_row(ev.catalog, known_cell(ev, **{**base, **values}))
    assert {key: row[key] for key in expected} == expected


def test_a_known_row(ev):
    """Beigang reported 5.9 on 2023-09-23 (Q3, note 示例数据); the level of 5% was reached by the
    deadline's report (5.3 in Q2), so the target is done."""
    row = next(r for r in board_rows(ev, "beigang") if r["target_id"] == TARGET)
    assert row == {**FIXED, "quota": "5", "expected": "5", "actual": "5.9", "status": "已完成",
                   "reported_on": "2023-09-23", "note": row["note"]}
    assert row["note"].endswith("；示例数据")


# --- the files ---------------------------------------------------------------------------------

def test_paths_and_links(ev, inputs, files):
    assert {"downloads/campaigns/biaozhunhua.csv", "downloads/campaigns/biaozhunhua.json",
            "downloads/boards/beigang.csv", "downloads/boards/beigang.json"} <= files.keys()
    assert len(files) == 2 * (len(ev.catalog.campaigns) + len(ev.catalog.boards))
    assert download_links(CAMPAIGNS, "biaozhunhua") == {
        "csv": "../downloads/campaigns/biaozhunhua.csv",
        "json": "../downloads/campaigns/biaozhunhua.json"}
    assert download_links(BOARDS, "beigang") == {"csv": "../downloads/boards/beigang.csv",
                                                 "json": "../downloads/boards/beigang.json"}


def test_archived_years_keep_their_own_downloads(ev, inputs):
    files = year_downloads(ev, inputs.settings, "2022/")
    assert all(path.startswith("2022/downloads/") for path in files)
    assert json.loads(files["2022/downloads/campaigns/biaozhunhua.json"])["page"] == \
        "2022/campaigns/biaozhunhua/"


def test_every_page_links_to_its_own_files(pages, files):
    for page in pages:
        links = page.context["downloads"]
        assert set(links) == {"csv", "json"}
        for link in links.values():
            assert posixpath.normpath(posixpath.join(posixpath.dirname(page.path), link)) in files


def test_campaign_csv_says_what_the_page_says(pages, files):
    for page in (p for p in pages if p.kind is PageKind.CAMPAIGN):
        campaign_id = page.context["campaign"]["id"]
        rows = read_csv(files[f"downloads/campaigns/{campaign_id}.csv"])
        cells = [(target, cell) for target in page.context["targets"] for cell in target["cells"]]
        assert len(rows) == len(cells), page.path
        for row, (target, cell) in zip(rows, cells, strict=True):
            assert row["指标编号"] == target["id"]
            assert row["目标任务"] == target["text"]
            assert row["板块"] == cell["board_name"]
            assert (row["目标"], row["应完成"], row["完成值"]) == (
                shown(cell["quota"]), shown(cell["expected"]), shown(cell["actual"]))
            assert row["状态"] == cell["status"]["text"]
            assert row["上报日期"] == cell["reported_on"]
            assert row["说明"].startswith(cell["explanation"])


def test_board_csv_says_what_the_page_says(pages, files):
    for page in (p for p in pages if p.kind is PageKind.BOARD):
        slug = page.context["board"]["slug"]
        rows = read_csv(files[f"downloads/boards/{slug}.csv"])
        shown_rows = [row for section in page.context["sections"] for row in section["rows"]]
        assert len(rows) == len(shown_rows)
        for row, cell in zip(rows, shown_rows, strict=True):
            assert (row["指标编号"], row["专项"], row["板块编号"]) == (
                cell["target"]["id"], cell["campaign"], slug)
            assert (row["目标"], row["应完成"], row["完成值"], row["状态"]) == (
                shown(cell["quota"]), shown(cell["expected"]), shown(cell["actual"]),
                cell["status"]["text"])


def test_every_cell_is_on_its_campaign_s_file_and_a_board_s_on_its_board_s(ev):
    campaign_keys = [(row["target_id"], row["board"]) for cid in ev.catalog.campaigns
                     for row in campaign_rows(ev, cid)]
    board_keys = [(row["target_id"], row["board"]) for slug in ev.catalog.boards
                  for row in board_rows(ev, slug)]
    assert sorted(campaign_keys) == sorted((c.target_id, c.owner) for c in ev.cells)
    assert sorted(board_keys) == sorted((c.target_id, c.owner) for c in ev.cells if c.is_board)


def test_json_holds_the_same_rows(files):
    for csv_path in (path for path in files if path.endswith(".csv")):
        document = json.loads(files[csv_path[:-4] + ".json"])
        rows = read_csv(files[csv_path])
        assert document["count"] == len(rows) == len(document["rows"])
        assert document["fields"] == dict(FIELDS)
        assert document["as_of"] == FIXTURE_AS_OF and document["year"] == YEAR
        assert document["sample_data"] is True and document["sample_notice"]
        for record, row in zip(document["rows"], rows, strict=True):
            assert {label: record[key] or "" for key, label in FIELDS} == row


def test_json_names_its_page(files):
    document = json.loads(files["downloads/boards/beigang.json"])
    assert (document["page"], document["title"]) == ("boards/beigang/", "北港街道")
    document = json.loads(files["downloads/campaigns/biaozhunhua.json"])
    assert document["page"] == "campaigns/biaozhunhua/"


def test_same_bytes_every_time(ev, inputs, files):
    assert year_downloads(ev, inputs.settings) == files
