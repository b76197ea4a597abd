"""一页纸: a board's, and the district's, progress on one printable A4 page."""

from __future__ import annotations

from typing import Any

from generator.common.formatting import percent
from generator.common.numerals import chinese_number
from generator.evaluate import Evaluation
from generator.pages.base import base_context
from generator.pages.layout import SiteLayout
from generator.pages.links import board_link, pillar_link
from generator.pages.owner import attention_rows, owner_sections, owner_tiles
from generator.pages.page import Page, PageKind
from generator.pages.rows import (
    bucket_counts,
    compliance_row,
    overdue_items,
    quarter_names,
    rollup_row,
    score_row,
    severe_count,
)


def brief_page(ev: Evaluation, layout: SiteLayout, settings, slug: str) -> Page:
    """一页纸: what a leader needs of one board on one A4 page; the full task list follows."""
    root = "../"
    board = ev.catalog.boards[slug]
    cells = ev.by_board.get(slug, [])
    sections, _, _ = owner_sections(ev, cells, root)
    scores = ev.scores()
    me = next(s for s in scores if s.slug == slug)
    context = {
        **base_context(ev, layout, settings, root),
        "title": f"{board.name}工作进展一页纸", "board": {"name": board.name, "slug": slug},
        "page": board_link(root, slug),
        "tiles": owner_tiles(ev.rollup_of(owner=slug), me, len(scores)),
        "me": score_row(me, root), "rollup": rollup_row(ev.rollup_of(owner=slug)),
        "attention": attention_rows(sections),
        "compliance": [compliance_row(record) for record in ev.board_compliance(slug)],
        "sections": sections,
    }
    return Page(layout.path(f"brief/{slug}.md"), PageKind.BRIEF, context)


def district_brief_page(ev: Evaluation, layout: SiteLayout, settings) -> Page:
    """The district's 一页纸: the ranking, each board's figures, and the items already late."""
    root = "../"
    district = ev.district()
    context = {
        **base_context(ev, layout, settings, root),
        "title": f"全区{ev.year}年度工作进展一页纸",
        "district": {"done_rate": percent(district.done_rate), "attention": district.attention,
                     "total": district.total, "severe": severe_count(district),
                     "not_reported": bucket_counts(district)["not_reported"]},
        "rollup": rollup_row(district),
        "scores": [score_row(score, root) for score in ev.scores()],
        "pillars": [{"no": chinese_number(p.no), "name": p.name,
                     "link": pillar_link(root, p.id),
                     **rollup_row(ev.rollup_of(pillar=p.id))}
                    for p in ev.catalog.plan.pillars],
        "compliance": compliance_matrix(ev, root), "quarters": quarter_names(),
        "late": overdue_items(ev, root),
    }
    return Page(layout.path("brief/index.md"), PageKind.DISTRICT_BRIEF, context)


def compliance_matrix(ev: Evaluation, root: str) -> list[dict[str, Any]]:
    """Per board: its four quarters' 按时 / 迟报 / 未报 / 未到期."""
    return [{"name": board.name, "link": board_link(root, slug),
             "quarters": [compliance_row(r) for r in ev.board_compliance(slug)]}
            for slug, board in ev.catalog.boards.items()]
