"""Tests for generator.pages: page kinds and their templates, the site layout, page contexts."""

from __future__ import annotations

from helpers import ROOT

from generator.pages.page import TEMPLATES, Page, PageKind

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
