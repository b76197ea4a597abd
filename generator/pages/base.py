"""The context every page of a plan year starts from: the year, the data date, the banners."""

from __future__ import annotations

from typing import Any

from generator.common.formatting import date_text
from generator.common.numerals import chinese_number
from generator.evaluate import STATUS_ORDER, Evaluation
from generator.evaluate.calendar import report_due
from generator.pages.layout import SiteLayout
from generator.pages.rows import buckets_context, status_badge, status_words


def base_context(ev: Evaluation, layout: SiteLayout, settings, root: str) -> dict[str, Any]:
    """What every page of the year prints: root is the path from the page to its year's root."""
    site = layout.site_root(root)
    return {
        "root": root, "site_root": site, "year": ev.year, "as_of": date_text(ev.as_of),
        "judged_at": judged_at(ev), "buckets": buckets_context(),
        "sample": settings.sample_data, "sample_notice": settings.sample_notice,
        "plan_sample": ev.catalog.plan.sample,
        "guide_url": guide_url(settings),
        "statuses": [status_badge(s) for s in STATUS_ORDER], "status_words": status_words(),
        "pillar_count": chinese_number(len(ev.catalog.plan.pillars)),
        "report_day": ev.catalog.plan.notice.report_day,
        "years": [{"year": year, "sample": sample, "current": year == layout.year,
                   "link": f"{site}{layout.year_prefix(year)}index.md"}
                  for year, sample in layout.years],
    }


def judged_at(ev: Evaluation) -> str:
    """How old the data the statuses rest on is: the report day they are decided at."""
    if ev.point is None:
        first = report_due(ev.year, 1, ev.catalog.plan.notice.report_day)
        return f"第一季度报送日（{date_text(first)}）之前，尚无状态"
    if ev.point.closed:
        return f"状态按 {ev.year} 年全年（截至 {date_text(ev.point.date)}）核定"
    quarter = chinese_number(ev.point.quarter)
    return f"状态按 {date_text(ev.point.date)} 应报的第{quarter}季度报表核定"


def guide_url(settings) -> str | None:
    """The contribution guide in the repository, when the settings name one."""
    return f"{settings.repo_url.rstrip('/')}/blob/main/CONTRIBUTING.md" if settings.repo_url \
        else None
