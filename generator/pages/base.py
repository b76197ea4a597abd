"""The context every page of a plan year starts from: the year, the data date, the banners."""

from __future__ import annotations

from typing import Any

from generator.common.formatting import chinese_number, date_text
from generator.evaluate import STATUS_ORDER, Evaluation
from generator.evaluate.calendar import report_due
from generator.pages.rows import buckets_context, status_badge


def site_root(ev: Evaluation, root: str) -> str:
    """The relative path from a page to the site root (root is the path to its year's root)."""
    return root + "../" * ev.prefix.count("/")


def base_context(ev: Evaluation, settings, root: str) -> dict[str, Any]:
    site = site_root(ev, root)
    return {
        "root": root, "site_root": site, "year": ev.year, "as_of": date_text(ev.as_of),
        "judged_at": judged_at(ev), "buckets": buckets_context(),
        "sample": settings.sample_data, "sample_notice": settings.sample_notice,
        "plan_sample": ev.catalog.plan.sample,
        "guide_url": guide_url(settings),
        "downloads": None, "forms": None, "calendar": None,
        "statuses": [status_badge(s) for s in STATUS_ORDER],
        "report_day": ev.catalog.plan.notice.report_day,
        "years": [{"year": year, "sample": sample, "current": year == ev.year,
                   "link": f"{site}{year_prefix(ev, year)}index.md"}
                  for year, sample in ev.years],
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


def year_prefix(ev: Evaluation, year: int) -> str:
    """Pages of the newest year live at the site root, older years under <year>/."""
    newest = max((y for y, _ in ev.years), default=ev.year)
    return "" if year == newest else f"{year}/"
