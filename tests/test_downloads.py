"""Tests for generator.outputs.downloads: each campaign and board page offers its own numbers as files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import posixpath

import pytest
from helpers import FIXTURE_AS_OF, FIXTURE_DATA

from generator.build import report_rules
from generator.common.problems import Problems
from generator.evaluate import evaluate
from generator.inputs.load import load_inputs
from generator.inputs.reports import load_reports
from generator.outputs.downloads import (
    FIELDS,
    all_downloads,
    download_links,
    iso_date,
    page_downloads,
    page_rows,
)
from generator.pages.board import board_page
from generator.pages.campaign import campaign_page
from generator.pages.home import home_page
from generator.pages.page import PageKind

YEAR = 2023
AS_OF = dt.date.fromisoformat(FIXTURE_AS_OF)
LABELS = [label for _, label in FIELDS]


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
def pages(ev, inputs):
    catalog = ev.catalog
    return ([campaign_page(ev, inputs.settings, cid) for cid in catalog.campaigns]
            + [board_page(ev, inputs.settings, slug) for slug in catalog.boards])


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert reader.fieldnames == LABELS
    return list(reader)


def shown(text: str) -> str:
    """A page value as a download holds it: no value is empty."""
    return "" if text == "—" else text


def test_paths_and_links(ev, inputs):
    page = campaign_page(ev, inputs.settings, "biaozhunhua")
    assert sorted(page_downloads(page)) == ["downloads/campaigns/biaozhunhua.csv",
                                            "downloads/campaigns/biaozhunhua.json"]
    assert download_links(page) == {"csv": "../downloads/campaigns/biaozhunhua.csv",
                                    "json": "../downloads/campaigns/biaozhunhua.json"}
    board = board_page(ev, inputs.settings, "beigang")
    assert sorted(page_downloads(board)) == ["downloads/boards/beigang.csv",
                                             "downloads/boards/beigang.json"]
    assert download_links(board) == {"csv": "../downloads/boards/beigang.csv",
                                     "json": "../downloads/boards/beigang.json"}


@pytest.mark.parametrize("shown_as, stored", [
    ("2023年6月25日", "2023-06-25"), ("2023-06-25", "2023-06-25"), ("", "")])
def test_dates_are_iso(shown_as, stored):
    assert iso_date(shown_as) == stored


def test_archived_years_keep_their_own_downloads(ev, inputs):
    page = campaign_page(ev, inputs.settings, "biaozhunhua")
    page.path = "2022/" + page.path  # as build.year_pages places an older year's pages
    files = page_downloads(page)
    assert sorted(files) == ["2022/downloads/campaigns/biaozhunhua.csv",
                             "2022/downloads/campaigns/biaozhunhua.json"]
    assert download_links(page)["csv"] == "../downloads/campaigns/biaozhunhua.csv"
    assert json.loads(files["2022/downloads/campaigns/biaozhunhua.json"])["page"] == \
        "2022/campaigns/biaozhunhua/"


def test_links_resolve_to_the_files(pages):
    for page in pages:
        files = page_downloads(page)
        for link in download_links(page).values():
            assert posixpath.normpath(posixpath.join(posixpath.dirname(page.path), link)) in files


def test_campaign_csv_matches_the_page_cells(pages):
    for page in (p for p in pages if p.kind is PageKind.CAMPAIGN):
        campaign_id = page.context["campaign"]["id"]
        rows = read_csv(page_downloads(page)[f"downloads/campaigns/{campaign_id}.csv"])
        cells = [(target, cell) for target in page.context["targets"] for cell in target["cells"]]
        assert len(rows) == len(cells), page.path
        for row, (target, cell) in zip(rows, cells, strict=True):
            assert row["指标编号"] == target["id"]
            assert row["目标任务"] == target["text"]
            assert row["板块"] == cell["board_name"]
            assert (row["目标"], row["应完成"], row["完成值"]) == (
                shown(cell["quota"]), shown(cell["expected"]), shown(cell["actual"]))
            assert row["状态"] == cell["status"]["text"]
            assert row["上报日期"] == iso_date(cell["reported_on"])
            assert row["说明"].startswith(cell["explanation"])


def test_board_csv_matches_the_page_rows(pages):
    for page in (p for p in pages if p.kind is PageKind.BOARD):
        slug = page.context["board"]["slug"]
        rows = read_csv(page_downloads(page)[f"downloads/boards/{slug}.csv"])
        shown_rows = [row for section in page.context["sections"] for row in section["rows"]]
        assert len(rows) == len(shown_rows)
        for row, cell in zip(rows, shown_rows, strict=True):
            assert (row["指标编号"], row["专项"], row["板块编号"]) == (
                cell["target"]["id"], cell["campaign"], slug)
            assert (row["目标"], row["应完成"], row["完成值"], row["状态"]) == (
                shown(cell["quota"]), shown(cell["expected"]), shown(cell["actual"]),
                cell["status"]["text"])


def test_numbers_are_the_evaluations(ev, pages):
    """Independently of the page: every row's numbers are the evaluated cell's."""
    count = 0
    for page in pages:
        for row in page_rows(page):
            cell = ev.cell(row["target_id"], row["board"])
            assert row["actual"] == ("" if cell.actual_text == "—" else cell.actual_text)
            assert row["quota"] == ("" if cell.quota is None else f"{cell.quota:g}")
            assert row["expected"] == ("" if cell.expected is None else f"{cell.expected:g}")
            assert row["status"] == cell.status.label
            assert row["reported_on"] == (cell.reported_on.isoformat() if cell.reported_on
                                          else "")
            count += 1
    boards = sum(1 for cell in ev.cells if cell.is_board)
    assert count == len(ev.cells) + boards  # on its campaign page; a board's also on its page


def test_a_known_row(ev, inputs):
    rows = page_rows(board_page(ev, inputs.settings, "beigang"))
    row = next(r for r in rows if r["target_id"] == "xianchang-tisheng-2a")
    assert row == {
        "campaign": "中小企业安全生产现场管理提升行动", "target_id": "xianchang-tisheng-2a",
        "no": "2a", "text": "5月底前，各板块完成不低于5%比例企业指导服务；", "board": "beigang",
        "board_name": "北港街道", "quota": "5", "expected": "5", "actual": row["actual"],
        "status": row["status"], "reported_on": row["reported_on"], "note": row["note"]}
    cell = ev.cell("xianchang-tisheng-2a", "beigang")
    assert row["actual"] == cell.actual_text and row["status"] == cell.status.label


def test_json_holds_the_same_rows(pages):
    for page in pages:
        files = page_downloads(page)
        csv_path = next(path for path in files if path.endswith(".csv"))
        document = json.loads(files[csv_path[:-4] + ".json"])
        rows = read_csv(files[csv_path])
        assert document["count"] == len(rows) == len(document["rows"])
        assert document["fields"] == dict(FIELDS)
        assert document["as_of"] == FIXTURE_AS_OF and document["year"] == YEAR
        assert document["sample_data"] is True and document["sample_notice"]
        for record, row in zip(document["rows"], rows, strict=True):
            assert {label: record[key] or "" for key, label in FIELDS} == row


def test_same_bytes_every_time(ev, inputs, pages):
    again = ([campaign_page(ev, inputs.settings, cid) for cid in ev.catalog.campaigns]
             + [board_page(ev, inputs.settings, slug) for slug in ev.catalog.boards])
    assert all_downloads(again) == all_downloads(pages)


def test_all_downloads_skips_other_pages(ev, inputs, pages):
    files = all_downloads([home_page(ev, inputs.settings), *pages])
    assert len(files) == 2 * (len(ev.catalog.campaigns) + len(ev.catalog.boards))
