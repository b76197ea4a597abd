"""A page to render: where its Markdown goes, which template prints it, and its context."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from generator.outputs.chart_spec import ChartSpec


class PageKind(StrEnum):
    """What a page is; its kind decides its template (TEMPLATES) and what else it comes with
    (a campaign's and a board's page: their data downloads)."""

    HOME = "home"
    NOTICE = "notice"
    ASSESSMENT = "assessment"
    CONTACTS = "contacts"
    UPDATES = "updates"
    PILLAR = "pillar"
    CAMPAIGN = "campaign"
    BOARD = "board"
    UNIT = "unit"
    BRIEF = "brief"
    DISTRICT_BRIEF = "district_brief"
    CASE = "case"
    CASES = "cases"
    RECOMMENDED_CASES = "recommended_cases"


TEMPLATES: dict[PageKind, str] = {
    PageKind.HOME: "home.md.j2", PageKind.NOTICE: "notice.md.j2",
    PageKind.ASSESSMENT: "assessment.md.j2", PageKind.CONTACTS: "contacts.md.j2",
    PageKind.UPDATES: "updates.md.j2", PageKind.PILLAR: "pillar.md.j2",
    PageKind.CAMPAIGN: "campaign.md.j2", PageKind.BOARD: "board.md.j2",
    PageKind.UNIT: "unit.md.j2", PageKind.BRIEF: "brief.md.j2",
    PageKind.DISTRICT_BRIEF: "brief_district.md.j2", PageKind.CASE: "case.md.j2",
    PageKind.CASES: "cases_index.md.j2", PageKind.RECOMMENDED_CASES: "cases_recommended.md.j2",
}
"""The template of each kind of page (generator/pages/templates/)."""


@dataclass(frozen=True)
class Page:
    """One Markdown page to render: where it goes, what kind of page it is, and its context;
    complete when made (see generator.pages.layout), never patched afterwards."""

    path: str
    kind: PageKind
    context: dict[str, Any]
    charts: list[ChartSpec] = field(default_factory=list)

    @property
    def template(self) -> str:
        return TEMPLATES[self.kind]


def source_path(md_path: str) -> str:
    """Where a page's Markdown is written: boards/x.md → boards/x/index.md.

    A page then sits in the folder its URL names, so a relative link in raw HTML means the same
    thing to MkDocs (which resolves it against the page's URL) and to Zensical (which resolves
    it against the Markdown file). Pages link to each other by their short names (x.md).
    """
    if md_path == "index.md" or md_path.endswith("/index.md"):
        return md_path
    return md_path.removesuffix(".md") + "/index.md"
