"""A pillar's page (类别): its groups' campaigns, each with its counts, and its chart."""

from __future__ import annotations

from generator.common.formatting import short
from generator.common.numerals import chinese_number
from generator.evaluate import Evaluation
from generator.pages.base import base_context
from generator.pages.charts import chart_ref, chart_rows, status_chart
from generator.pages.layout import SiteLayout
from generator.pages.links import campaign_link
from generator.pages.page import Page, PageKind
from generator.pages.rows import rollup_row


def pillar_page(ev: Evaluation, layout: SiteLayout, settings, pillar_id: str) -> Page:
    root = "../"
    pillar = next(p for p in ev.catalog.plan.pillars if p.id == pillar_id)
    groups, names, rollups = [], [], []
    for group in pillar.groups:
        rows = []
        for campaign in group.campaigns:
            item = ev.rollup_of(campaign=campaign.id)
            rows.append({"name": campaign.name, "link": campaign_link(root, campaign.id),
                         "targets": len(campaign.targets), "contacts": "、".join(campaign.contacts),
                         "focus": campaign.focus or "", **rollup_row(item)})
            if item.total:
                names.append(short(campaign.name, 14))
                rollups.append(item)
        groups.append({"name": group.name or "", "rows": rows})
    chart = status_chart(f"pillar-{ev.year}-{pillar_id}", f"{pillar.name}：各专项指标状态",
                         names, rollups, f"{pillar.name}各专项指标状态堆叠条形图，数据见下表") \
        if rollups else None
    context = {
        **base_context(ev, layout, settings, root),
        "pillar": {"no": chinese_number(pillar.no), "name": pillar.name, "short": pillar.short},
        "groups": groups,
        "rollup": rollup_row(ev.rollup_of(pillar=pillar_id)),
        "chart": chart_ref(layout.site_root(root), chart), "chart_rows": chart_rows(chart),
    }
    return Page(layout.path(f"pillars/{pillar_id}.md"), PageKind.PILLAR, context,
                [chart] if chart else [])
