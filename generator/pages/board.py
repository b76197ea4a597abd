"""A board's page (板块): its targets by pillar, what needs attention, its reports and score."""

from __future__ import annotations

from collections.abc import Sequence

from generator.common.numerals import chinese_number
from generator.evaluate import Evaluation
from generator.outputs.calendar_feed import calendar_links
from generator.outputs.downloads import BOARDS, download_links
from generator.outputs.forms import form_links
from generator.pages.base import base_context
from generator.pages.charts import chart_ref, chart_rows, status_chart
from generator.pages.layout import SiteLayout
from generator.pages.links import brief_link
from generator.pages.owner import attention_rows, owner_sections, owner_tiles
from generator.pages.page import Page, PageKind
from generator.pages.rows import case_link, compliance_row, rollup_row, score_row

SCORE_ROWS = 30
"""Above this many boards, a board page compares itself with the top ten and its neighbours
in the ranking rather than with every board (考核排名 lists them all)."""


def board_page(ev: Evaluation, layout: SiteLayout, settings, slug: str, cases: Sequence = ()
               ) -> Page:
    """A board's page; the newest year's also offers the board's report forms and calendar."""
    root = "../"
    catalog = ev.catalog
    board = catalog.boards[slug]
    cells = ev.by_board.get(slug, [])
    sections, chart_names, chart_rollups = owner_sections(ev, cells, root)
    attention = attention_rows(sections)
    scores = ev.scores()
    pillars = chinese_number(len(catalog.plan.pillars))
    chart = status_chart(f"board-{ev.year}-{slug}", f"{board.name}：各类别指标状态",
                         chart_names, chart_rollups,
                         f"{board.name}按{pillars}个类别统计的指标状态堆叠条形图，数据见下表")
    me = next(s for s in scores if s.slug == slug)
    board_rollup = ev.rollup_of(owner=slug)
    context = {
        **base_context(ev, layout, settings, root),
        "board": {"slug": slug, "name": board.name, "short": board.short,
                  "aliases": "、".join(board.aliases)},
        "rollup": rollup_row(board_rollup),
        "tiles": owner_tiles(board_rollup, me, len(scores)),
        "lead_count": sum(1 for c in cells if c.role == "lead"),
        "support_count": sum(1 for c in cells if c.role == "support"),
        "brief": brief_link(root, slug),
        "sections": sections,
        "attention": attention,
        "compliance": [compliance_row(record) for record in ev.board_compliance(slug)],
        "scores": [score_row(score, root, highlight=score.slug == slug)
                   for score in compared_scores(scores, slug)],
        "me": score_row(me, root),
        "chart": chart_ref(layout.site_root(root), chart),
        "chart_rows": chart_rows(chart),
        "downloads": download_links(BOARDS, slug),
        "forms": form_links(catalog, slug, root) if layout.current else None,
        "calendar": calendar_links(catalog, root)[slug] if layout.current else None,
        "cases": [case_link(case, layout.site_root(root)) for case in cases],
    }
    return Page(layout.path(f"boards/{slug}.md"), PageKind.BOARD, context, [chart])


def compared_scores(scores: Sequence, slug: str) -> list:
    """The ranking rows a board page shows: every board, or the top ten and its neighbours."""
    if len(scores) <= SCORE_ROWS:
        return list(scores)
    here = next(index for index, score in enumerate(scores) if score.slug == slug)
    return [score for index, score in enumerate(scores) if index < 10 or abs(index - here) <= 5]
