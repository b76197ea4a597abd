"""更新动态: what moved on each date, derived from the reports and cases themselves.

No git history is needed (CI clones may be shallow), and the same data always gives the same page.
An event date is a day on which a report was submitted (`Report.submitted_on`), a typical case is
dated, or a report day (an evaluation point: statuses are decided there) falls. The plan is
evaluated once at each event date and compared with the evaluation at the previous one (before
the first: the day before it); every target × owner whose status differs is a status change of
that date. A report day moves statuses by itself (a report counts from its quarter's report day,
a judgement date passes → 逾期, a missed report → 未上报), and what changed between the last event
date and as-of is a final entry dated as-of, labelled 截至数据日期. The evaluations use
`generator.evaluate.evaluate`, exactly as the other pages do, so applying every change in order to
the first evaluation gives the statuses the site shows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from generator.common.formatting import date_text, short
from generator.common.numerals import chinese_number
from generator.evaluate import STATUS_ORDER, Cell, Compliance, Evaluation, Status, evaluate
from generator.evaluate.calendar import ReportCalendar, report_due
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

Baselines = Mapping[tuple[str, str], float] | None


class DatedCase(Protocol):
    """What the page needs of a typical case (generator.inputs.cases.Case fits)."""

    @property
    def date(self) -> dt.date: ...

    @property
    def title(self) -> str: ...

    @property
    def board_name(self) -> str: ...

    @property
    def page_path(self) -> str: ...


@dataclass(frozen=True)
class NewReport:
    """A quarterly report submitted on an entry's date."""

    board: str
    year: int
    quarter: int
    submitted_on: dt.date
    due: dt.date
    """The 25th (notice.report_day) of the quarter's last month."""
    rows: int

    @property
    def compliance(self) -> Compliance:
        return Compliance.ON_TIME if self.submitted_on <= self.due else Compliance.LATE


@dataclass(frozen=True)
class StatusChange:
    """One target × board whose status differs from the previous evaluation."""

    target_id: str
    board: str
    old: Status
    new: Status
    reported: bool
    """True when the board's reported figure changed too; False when time alone moved it."""
    explanation: str
    """Why the new status holds (Cell.explanation)."""


@dataclass(frozen=True)
class DayEntry:
    """What happened on one date."""

    date: dt.date
    since: dt.date
    """The date the statuses are compared with: the previous entry's date, or the day before."""
    reports: tuple[NewReport, ...]
    changes: tuple[StatusChange, ...]
    cases: tuple[DatedCase, ...]
    at_as_of: bool
    """True for the entry dated as-of (截至数据日期)."""


# --- the timeline ----------------------------------------------------------------------------

def timeline(catalog: Catalog, reports: Sequence[Report], as_of: dt.date,
             cases: Sequence[DatedCase] = (), baselines: Baselines = None,
             limit: int | None = None) -> list[DayEntry]:
    """List what changed on each event date up to as_of, newest first.

    The first entry is dated as_of: what time alone changed since the last event date (or the
    event of that day). With limit, only the newest `limit` event dates (and as_of) are
    evaluated; their entries are the same as in the full timeline.
    """
    submitted = reports_by_day(catalog, reports, as_of)
    dated = cases_by_day(cases, as_of)
    events = sorted(submitted.keys() | dated.keys() | decision_days(catalog, as_of))
    if not events:
        return []
    shown = events[-limit:] if limit else events
    skipped = len(events) - len(shown)
    since = events[skipped - 1] if skipped else events[0] - dt.timedelta(days=1)
    points = shown + ([as_of] if as_of > shown[-1] else [])
    known = dict(baselines) if baselines else None
    before = evaluate(catalog, reports, since, known).cells
    entries = []
    for day in points:  # one evaluation per date, each compared with the one before
        after = evaluate(catalog, reports, day, known).cells
        entries.append(DayEntry(day, since, tuple(submitted.get(day, ())),
                                status_changes(catalog, before, after),
                                tuple(dated.get(day, ())), day == as_of))
        before, since = after, day
    return entries[::-1]


def decision_days(catalog: Catalog, as_of: dt.date) -> set[dt.date]:
    """The days up to as_of on which statuses are decided anew: the day after each report day
    (reports count from then) and the year's close; between them no status moves by itself."""
    calendar = ReportCalendar(catalog.plan.year, catalog.plan.notice.report_day)
    days = {point.date if point.closed else point.date + dt.timedelta(days=1)
            for point in calendar.points()}
    return {day for day in days if day <= as_of}


def event_dates(catalog: Catalog, reports: Sequence[Report], as_of: dt.date,
                cases: Sequence[DatedCase] = ()) -> list[dt.date]:
    """Every date up to as_of with a report, a case or a report day, oldest first."""
    return sorted(reports_by_day(catalog, reports, as_of).keys()
                  | cases_by_day(cases, as_of).keys() | decision_days(catalog, as_of))


def reports_by_day(catalog: Catalog, reports: Sequence[Report], as_of: dt.date
                   ) -> dict[dt.date, list[NewReport]]:
    """The plan year's reports submitted on or before as_of, by day, in board order."""
    year, report_day = catalog.plan.year, catalog.plan.notice.report_day
    order = _board_order(catalog)
    by_day: dict[dt.date, list[NewReport]] = defaultdict(list)
    for report in reports:
        if report.year != year or not report.rows or report.submitted_on > as_of:
            continue
        due = report_due(report.year, report.quarter, report_day)
        by_day[report.submitted_on].append(NewReport(
            report.board, report.year, report.quarter, report.submitted_on, due,
            len(report.rows)))
    for day_reports in by_day.values():
        day_reports.sort(key=lambda r: (order.get(r.board, len(order)), r.board, r.quarter))
    return dict(by_day)


def cases_by_day(cases: Iterable[DatedCase], as_of: dt.date) -> dict[dt.date, list[DatedCase]]:
    by_day: dict[dt.date, list[DatedCase]] = defaultdict(list)
    for case in sorted(cases, key=lambda case: (case.date, case.page_path)):
        if case.date <= as_of:
            by_day[case.date].append(case)
    return dict(by_day)


def status_changes(catalog: Catalog, before: Sequence[Cell], after: Sequence[Cell]
                   ) -> tuple[StatusChange, ...]:
    """Compare two evaluations of the same plan; list the changes by board, then plan order."""
    order = _board_order(catalog)
    changes = []
    for old, new in zip(before, after, strict=True):
        if (old.target_id, old.owner) != (new.target_id, new.owner):
            raise ValueError("evaluations of different plans cannot be compared")
        if old.status != new.status:
            changes.append(StatusChange(new.target_id, new.board, old.status, new.status,
                                        _observed(old) != _observed(new), new.explanation))
    return tuple(sorted(changes, key=lambda change: order.get(change.board, len(order))))


def _observed(cell: Cell) -> tuple:
    return cell.reported_on, cell.quarter, cell.actual, cell.done


def _board_order(catalog: Catalog) -> dict[str, int]:
    return {slug: index for index, slug in enumerate(catalog.boards)}



# --- the page --------------------------------------------------------------------------------

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
                   "done": _became(entry.changes)[Status.DONE], "cases": len(entry.cases)},
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
        became = _became(entry.changes)
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


def _became(changes: Sequence[StatusChange]) -> Counter[Status]:
    counts = Counter(change.new for change in changes)
    return Counter({status: counts.get(status, 0) for status in STATUS_ORDER})


def _overview_row(day: dict[str, Any]) -> dict[str, Any]:
    return {"anchor": day["anchor"], "date": day["date"], "label": day["label"], **day["counts"]}


def _report_row(catalog: Catalog, report: NewReport, root: str) -> dict[str, Any]:
    compliance = report.compliance
    return {"board": catalog.reporter_names().get(report.board, report.board),
            "link": reporter_link(catalog, root, report.board),
            "quarter": f"{report.year} 年第{chinese_number(report.quarter)}季度",
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

