"""Tests for generator.pages: page kinds and their templates, the site layout, page contexts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from helpers import FIXTURE_AS_OF, FIXTURE_DATA, ROOT

from generator.build import evaluate_year, load_everything
from generator.common.paths import Paths
from generator.evaluate import evaluate
from generator.inputs.catalog import Catalog
from generator.pages import home
from generator.pages.assessment import assessment_page
from generator.pages.board import board_page
from generator.pages.contacts import contacts_page
from generator.pages.layout import SiteLayout
from generator.pages.notice import notice_page
from generator.pages.page import TEMPLATES, Page, PageKind
from generator.pages.render import render_page
from generator.pages.rows import listed, status_words
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


# --- each fact once: templates print what the code and the data hold --------------------------

def template_text(path) -> str:
    """A template's own words: without its Jinja tags, HTML tags and attribute lists."""
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", path.read_text(encoding="utf-8"),
                  flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text)
    return re.sub(r"\{ [#.][^}]*\}", " ", text)


ALLOWED_NUMBERS = {"assessment.md.j2": ["0"]}
"""The numbers a template still states itself: the 0 a cell's points start from."""


@pytest.mark.parametrize("path", sorted(TEMPLATE_FOLDER.glob("*.j2")), ids=lambda p: p.name)
def test_templates_state_no_fact_of_their_own(path):
    text = template_text(path)
    assert re.findall(r"\d+", text) == ALLOWED_NUMBERS.get(path.name, [])
    assert not re.search(r"[一二三四五六七八九十]+[个大](板块|类别)", text)  # counts of the plan's
    words = status_words()
    for group in ("attention", "severe", "severe_or", "late", "late_or"):
        assert words[group] not in text, group


def test_status_words_come_from_the_statuses():
    assert (listed(["甲"]), listed(["甲", "乙"], "与"), listed(["甲", "乙", "丙"])) == (
        "甲", "甲与乙", "甲、乙和丙")
    words = status_words()
    assert words["attention"] == "突破红线、逾期未完成、未上报、滞后和预警"
    assert (words["severe"], words["severe_or"]) == ("逾期未完成与突破红线", "逾期未完成或突破红线")
    assert (words["late"], words["late_or"]) == ("逾期与突破红线", "逾期或突破红线")
    assert (words["not_reported"], words["done_late"]) == ("未上报", "逾期完成")


@pytest.fixture(scope="module")
def other_plan(loaded):
    """The fixture's 2023 plan with another report day, other weights and report points, and
    three of its four pillars."""
    catalog = loaded.inputs.catalog(2023)
    plan = catalog.plan
    scoring = plan.scoring.model_copy(update={
        "task_weight": 0.7, "report_weight": 0.3,
        "report_scores": plan.scoring.report_scores.model_copy(update={"late": 50})})
    changed = plan.model_copy(update={
        "notice": plan.notice.model_copy(update={"report_day": 20}), "scoring": scoring,
        "pillars": plan.pillars[:3]})
    ev = evaluate(Catalog.build(catalog.directory, changed), [], dt.date(2023, 10, 10))
    return ev, loaded.inputs.settings


def test_pages_print_the_plan_s_facts(other_plan, monkeypatch):
    ev, settings = other_plan
    layout = SiteLayout(2023)
    board = render_page(board_page(ev, layout, settings, "beigang"))
    assert "每季度末月 20 日前报送工作进展" in board
    assert "在每季度末的第 20 日" in render_page(contacts_page(ev, layout, settings))
    ranking = render_page(assessment_page(ev, layout, settings))
    assert "任务得分 × 70% + 报送得分 × 30%" in ranking
    assert "按时 100、迟报 50、未报 0；取平均" in ranking
    monkeypatch.setattr(home, "UPCOMING_DAYS", 45)
    front = render_page(home.home_page(ev, layout, settings))
    assert "## 三大类别" in front and "全区八个板块" in front
    assert "即将到期（" in front and " 天内）" in front and "45 天内" in front
    assert "附件表格按三个类别整理" in render_page(notice_page(ev, layout, settings))
