"""更新动态: the page listing what moved on each date, newest first, within the page's caps.

The timeline itself (which reports, status changes and cases each date brought) is computed by
generator.evaluate.timeline; this module only turns its records into the page context.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.common.formatting import date_text, short
from generator.common.numerals import quarter_name
from generator.evaluate import STATUS_ORDER, Compliance, Evaluation, Status
from generator.evaluate.timeline import (
    Baselines,
    DatedCase,
    DayEntry,
    NewReport,
    StatusChange,
    event_dates,
    timeline,
)
from generator.inputs.catalog import Catalog
from generator.inputs.reports import Report
from generator.pages.base import base_context
from generator.pages.layout import SiteLayout
from generator.pages.links import campaign_link, reporter_link
from generator.pages.page import Page, PageKind
from generator.pages.rows import status_badge

MAX_DATES = 40
"""Event dates listed on the page, newest first, for a district (DISTRICT_BOARDS boards); older
ones are counted, not listed. Fewer at scale (see page_caps), never below MIN_DATES."""
MAX_CHANGES = 50
"""Status changes listed per date for a district; the rest are counted, with links to the boards'
pages. Fewer at scale (see page_caps), never below MIN_CHANGES."""
MAX_ROWS = 300
"""Status changes listed on the whole page, newest first: older dates only give their counts."""
MAX_REPORTS = 20
"""New reports listed per date; the rest are counted, with links to the boards' pages."""
MORE_BOARDS = 8
"""Board links on a 另有 … line; the others are reached through 考核排名 (which lists them all)."""
DISTRICT_BOARDS = 8
"""The number of boards the per-date caps are set for (one district: 钟楼区 has eight)."""
MIN_DATES = 10
MIN_CHANGES = 15
COMPLIANCE_CLASS = {Compliance.ON_TIME: "done", Compliance.LATE: "behind"}


@dataclass(frozen=True)
class PageCaps:
    """How much of the timeline the page lists; page_caps scales it to the number of boards."""

    dates: int = MAX_DATES
    changes: int = MAX_CHANGES
    """Status changes per date."""
    rows: int = MAX_ROWS
    """Status changes on the whole page."""
    reports: int = MAX_REPORTS
    """New reports per date."""


def page_caps(boards: int) -> PageCaps:
    """The caps for a plan with this many boards: MAX_DATES dates and MAX_CHANGES changes per
    date for a district, shrinking in proportion as boards grow (80 boards: 10 dates, 15 changes
    per date), so that the page stays light (under 150 KB) at city scale."""
    scale = max(1, boards) / DISTRICT_BOARDS
    if scale <= 1:
        return PageCaps()
    return PageCaps(dates=max(MIN_DATES, int(MAX_DATES / scale)),
                    changes=max(MIN_CHANGES, int(MAX_CHANGES / scale)))


def updates_page(evaluation: Evaluation, reports: Sequence[Report], settings,
                 cases: Sequence[DatedCase] = (), baselines: Baselines = None,
                 layout: SiteLayout | None = None) -> Page:
    """Build updates.md: the newest event dates and what moved on each, within page_caps
    (placed by `layout`; without one, the page of a site of this year alone)."""
    root = ""
    layout = layout or SiteLayout(evaluation.year)
    context = base_context(evaluation, layout, settings, root)
    site = context.get("site_root", root)
    catalog, as_of = evaluation.catalog, evaluation.as_of
    caps = page_caps(len(catalog.boards))
    entries = timeline(catalog, reports, as_of, cases, baselines, limit=caps.dates)
    hidden = max(0, len(event_dates(catalog, reports, as_of, cases)) - caps.dates)
    days, budget = [], caps.rows
    for entry in entries:  # newest first: older dates get what is left of the page's budget
        shown = min(caps.changes, budget)
        days.append(day_context(catalog, entry, root, site, shown, caps.reports))
        budget -= len(days[-1]["changes"])
    context.update({
        "days": days,
        "overview": [_overview_row(day) for day in days],
        "hidden_dates": hidden,
        "max_dates": caps.dates,
        "max_changes": caps.changes,
        "max_rows": caps.rows,
    })
    return Page(layout.path("updates.md"), PageKind.UPDATES, context)


def day_context(catalog: Catalog, entry: DayEntry, root: str, site_root: str,
                max_changes: int = MAX_CHANGES, max_reports: int = MAX_REPORTS
                ) -> dict[str, Any]:
    """Everything the template prints for one date."""
    shown, rest = entry.changes[:max_changes], entry.changes[max_changes:]
    listed, unlisted = entry.reports[:max_reports], entry.reports[max_reports:]
    return {
        "anchor": f"day-{entry.date.isoformat()}",
        "date": date_text(entry.date),
        "label": "截至数据日期" if entry.at_as_of else "",
        "summary": summary(entry),
        "counts": {"reports": len(entry.reports), "changes": len(entry.changes),
                   "done": entry.became()[Status.DONE], "cases": len(entry.cases)},
        "reports": [_report_row(catalog, report, root) for report in listed],
        "more_reports": _more(catalog, root, [report.board for report in unlisted]),
        "changes": [_change_row(catalog, change, root) for change in shown],
        "more": _more(catalog, root, [change.board for change in rest]),
        "cases": [{"title": case.title, "board": case.board_name,
                   "link": f"{site_root}{case.page_path}"} for case in entry.cases],
    }


def _more(catalog: Catalog, root: str, boards: Sequence[str]) -> dict[str, Any] | None:
    """The 另有 N 项 line: how many were left out, and links to (the first few of) their boards."""
    if not boards:
        return None
    slugs = list(dict.fromkeys(boards))
    return {"count": len(boards),
            "boards": [{"name": catalog.reporter_names().get(slug, slug),
                        "link": reporter_link(catalog, root, slug)}
                       for slug in slugs[:MORE_BOARDS]],
            "other_boards": len(slugs[MORE_BOARDS:])}


def summary(entry: DayEntry) -> str:
    """One sentence: 3 份报表，12 项状态变化，其中 5 项变为已完成、2 项变为逾期。"""
    parts = []
    if entry.reports:
        late = sum(1 for report in entry.reports if report.compliance is Compliance.LATE)
        parts.append(f"{len(entry.reports)} 份报表" + (f"（{late} 份迟报）" if late else ""))
    if entry.cases:
        parts.append(f"{len(entry.cases)} 个典型案例")
    if entry.changes:
        became = entry.became()
        moved = "、".join(f"{became[status]} 项变为{status.label}"
                         for status in STATUS_ORDER if became[status])
        parts.append(f"{len(entry.changes)} 项状态变化，其中 {moved}")
    else:
        parts.append("状态无变化")
    text = "，".join(parts) + "。"
    if entry.reports or entry.cases:
        return text
    # nothing was submitted: say what the statuses are compared with, and that time moved them
    cause = "因时间推移，" if entry.changes else ""
    return f"与 {date_text(entry.since)} 相比，{cause}{text}"


def _overview_row(day: dict[str, Any]) -> dict[str, Any]:
    return {"anchor": day["anchor"], "date": day["date"], "label": day["label"], **day["counts"]}


def _report_row(catalog: Catalog, report: NewReport, root: str) -> dict[str, Any]:
    compliance = report.compliance
    return {"board": catalog.reporter_names().get(report.board, report.board),
            "link": reporter_link(catalog, root, report.board),
            "quarter": f"{report.year} 年{quarter_name(report.quarter)}",
            "due": date_text(report.due), "rows": report.rows,
            "status": {"text": compliance.label, "cls": COMPLIANCE_CLASS[compliance]}}


def _change_row(catalog: Catalog, change: StatusChange, root: str) -> dict[str, Any]:
    info = catalog.targets[change.target_id]
    board = catalog.boards.get(change.board)
    owner = info.owner(change.board)
    cause = "新上报" if change.reported else "时间推移"
    return {"board": board.short if board else (owner.name if owner else change.board),
            "board_link": reporter_link(catalog, root, change.board),
            "campaign": info.campaign.name,
            "link": f"{campaign_link(root, info.campaign.id)}#{change.target_id}",
            "text": short(info.target.text, 40),
            "old": status_badge(change.old), "new": status_badge(change.new),
            "reason": f"{cause}：{change.explanation}" if change.explanation else cause}
