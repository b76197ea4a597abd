"""Tests for generator.pages: page kinds and their templates, the site layout, page contexts."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from helpers import FIXTURE_AS_OF, FIXTURE_DATA, ROOT

from generator.build import evaluate_year, load_everything
from generator.common.paths import Paths
from generator.pages.layout import SiteLayout
from generator.pages.page import TEMPLATES, Page, PageKind
from generator.pages.render import render_page
from generator.pages.year import year_pages

TEMPLATE_FOLDER = ROOT / "generator/pages/templates"


def test_every_kind_has_a_template_and_every_template_a_kind():
    files = sorted(path.name for path in TEMPLATE_FOLDER.glob("*.j2")
                   if not path.name.startswith("_"))  # _macros.md.j2 is imported, not rendered
    assert list(TEMPLATES) == list(PageKind)
    assert sorted(TEMPLATES.values()) == files
    assert len(set(TEMPLATES.values())) == len(TEMPLATES)


def test_a_page_s_template_comes_from_its_kind():
    assert Page("boards/x.md", PageKind.BOARD, {}).template == "board.md.j2"
    assert Page("brief/index.md", PageKind.DISTRICT_BRIEF, {}).template == "brief_district.md.j2"


# --- the site layout ---------------------------------------------------------------------------

def test_an_archived_year_lives_under_its_year():
    layout = SiteLayout.of(2022, {2022: True, 2023: False})
    assert layout.years == ((2023, False), (2022, True))
    assert (layout.prefix, layout.current, layout.newest) == ("2022/", False, 2023)
    assert layout.path("boards/beigang.md") == "2022/boards/beigang.md"
    assert layout.site_root("../") == "../../" and layout.site_root("") == "../"
    assert (layout.year_prefix(2023), layout.year_prefix(2022)) == ("", "2022/")


def test_the_newest_year_lives_at_the_root():
    layout = SiteLayout.of(2023, {2022: True, 2023: False})
    assert (layout.prefix, layout.current) == ("", True)
    assert layout.path("index.md") == "index.md" and layout.site_root("../") == "../"
    alone = SiteLayout(2023)
    assert (alone.prefix, alone.current, alone.years) == ("", True, ())


@pytest.fixture(scope="module")
def loaded():
    return load_everything(Paths(data=FIXTURE_DATA), dt.date.fromisoformat(FIXTURE_AS_OF))


def pages_of(loaded, year: int, bulletins=()) -> dict[str, Page]:
    inputs = loaded.inputs
    layout = SiteLayout.of(year, {y: plan.sample for y, plan in inputs.plans.items()})
    evaluation = evaluate_year(inputs, loaded.reports, year, loaded.as_of)
    pages = year_pages(evaluation, layout, inputs.settings, loaded.reports, bulletins=bulletins)
    return {page.path: page for page in pages}


def test_an_archived_year_s_pages_are_complete_as_made(loaded):
    pages = pages_of(loaded, 2022)
    assert all(path.startswith("2022/") for path in pages)
    board = pages["2022/boards/beigang.md"]
    assert board.context["downloads"] == {"csv": "../downloads/boards/beigang.csv",
                                          "json": "../downloads/boards/beigang.json"}
    assert (board.context["forms"], board.context["calendar"]) == (None, None)
    assert board.context["site_root"] == "../../"
    assert pages["2022/assessment.md"].context["bulletins"] == []
    assert [(y["year"], y["current"], y["link"]) for y in pages["2022/index.md"].context["years"]
            ] == [(2023, False, "../index.md"), (2022, True, "../2022/index.md")]


def test_the_newest_year_s_boards_offer_forms_and_a_calendar(loaded):
    bulletins = [{"label": "2023年第一季度", "link": "downloads/bulletins/2023Q1.docx"}]
    pages = pages_of(loaded, 2023, bulletins)
    assert "boards/beigang.md" in pages and "updates.md" in pages
    board = pages["boards/beigang.md"]
    assert board.context["calendar"] == "../calendar/beigang.ics"
    assert board.context["forms"][0] == {
        "quarter": "第一季度", "due": "2023年3月25日",
        "xlsx": "../forms/2023Q1/beigang-2023Q1.xlsx",
        "csv": "../forms/2023Q1/beigang-2023Q1.csv"}
    assert pages["assessment.md"].context["bulletins"] == bulletins
    assert '<a href="../downloads/bulletins/2023Q1.docx">2023年第一季度</a>' in render_page(
        pages["assessment.md"])


def test_pages_are_not_patched_after_they_are_made():
    page = Page("index.md", PageKind.HOME, {})
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.path = "2022/index.md"  # type: ignore[misc]
