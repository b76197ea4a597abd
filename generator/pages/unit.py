"""A unit's page (区局, 市局 …): its targets; for a unit that reports, its record and score."""

from __future__ import annotations

from generator.evaluate import Evaluation
from generator.pages.base import base_context
from generator.pages.layout import SiteLayout
from generator.pages.owner import attention_rows, owner_sections
from generator.pages.page import Page, PageKind
from generator.pages.rows import compliance_row, rollup_row, score_row


def unit_page(ev: Evaluation, layout: SiteLayout, settings, slug: str) -> Page:
    """A unit's page (区局, 市局 …): its targets; for a unit that reports, its record and score."""
    root = "../"
    cells = ev.by_unit.get(slug, [])
    name = cells[0].owner_name if cells else slug
    unit = ev.catalog.units.get(name)
    sections, _, _ = owner_sections(ev, cells, root)
    reports = bool(unit and unit.reports)
    score = next((s for s in ev.unit_scores() if s.slug == slug), None) if reports else None
    context = {
        **base_context(ev, layout, settings, root),
        "unit": {"slug": slug, "name": name, "full_name": unit.full_name if unit else name,
                 "reports": reports},
        "rollup": rollup_row(ev.rollup_of(owner=slug)), "sections": sections,
        "attention": attention_rows(sections),
        "compliance": [compliance_row(r) for r in ev.board_compliance(slug)] if reports else [],
        "me": score_row(score, root, unit=True) if score else None,
    }
    return Page(layout.path(f"units/{slug}.md"), PageKind.UNIT, context)
