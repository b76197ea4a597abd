"""A campaign's page (重点专项): its targets, each with every owner's cell, and its chart."""

from __future__ import annotations

from collections.abc import Sequence

from generator.evaluate import Evaluation
from generator.outputs.downloads import CAMPAIGNS, download_links
from generator.pages.base import base_context
from generator.pages.charts import campaign_chart, chart_ref, chart_rows
from generator.pages.layout import SiteLayout
from generator.pages.links import pillar_link
from generator.pages.page import Page, PageKind
from generator.pages.rows import case_link, cell_row, rollup_row, target_row


def campaign_page(ev: Evaluation, layout: SiteLayout, settings, campaign_id: str,
                  cases: Sequence = ()) -> Page:
    root = "../"
    catalog = ev.catalog
    campaign = catalog.campaigns[campaign_id]
    pillar, group = catalog.campaign_pillar[campaign_id], catalog.campaign_group[campaign_id]
    targets = []
    for target in campaign.targets:
        row = target_row(ev, target.id)
        row["cells"] = [cell_row(ev, cell, root) for cell in ev.by_target.get(target.id, [])]
        row["district_only"] = not row["cells"]
        targets.append(row)
    chart = campaign_chart(ev, campaign_id)
    context = {
        **base_context(ev, layout, settings, root),
        "campaign": {"id": campaign.id, "name": campaign.name, "work": campaign.work or "",
                     "focus": campaign.focus or "", "contacts": "、".join(campaign.contacts),
                     "responsible": "、".join(_display_units(ev, campaign.responsible))},
        "pillar": {"name": pillar.name, "link": pillar_link(root, pillar.id)},
        "group": group.name or "",
        "targets": targets,
        "rollup": rollup_row(ev.rollup_of(campaign=campaign_id)),
        "chart": chart_ref(layout.site_root(root), chart),
        "chart_rows": chart_rows(chart),
        "downloads": download_links(CAMPAIGNS, campaign_id),
        "cases": [case_link(case, layout.site_root(root)) for case in cases],
    }
    return Page(layout.path(f"campaigns/{campaign_id}.md"), PageKind.CAMPAIGN, context,
                [chart] if chart else [])


def _display_units(ev: Evaluation, names: Sequence[str]) -> list[str]:
    return [ev.catalog.boards[n].name if n in ev.catalog.boards else n for n in names]
