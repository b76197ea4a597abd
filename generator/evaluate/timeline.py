"""The timeline behind 更新动态: what moved on each date, derived from the reports and cases.

No git history is needed (CI clones may be shallow), and the same data always gives the same
timeline. An event date is a day on which a report was submitted (`Report.submitted_on`), a
typical case is dated, or a report day (an evaluation point: statuses are decided there) falls.
The plan is evaluated once at each event date and compared with the evaluation at the previous
one (before the first: the day before it); every target × owner whose status differs is a status
change of that date. A report day moves statuses by itself (a report counts from its quarter's
report day, a judgement date passes → 逾期, a missed report → 未上报), and what changed between
the last event date and as-of is a final entry dated as-of, labelled 截至数据日期. The
evaluations use `generator.evaluate.evaluate`, exactly as the other pages do, so applying every
change in order to the first evaluation gives the statuses the site shows.

Pure functions of the plan, the reports and the cases; the records (`DayEntry`, `NewReport`,
`StatusChange`) are what generator.pages.updates prints.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from generator.evaluate.calendar import ReportCalendar, report_due
from generator.evaluate.evaluation import evaluate
from generator.evaluate.model import STATUS_ORDER, Cell, Compliance, Status
from generator.inputs.catalog import Catalog
from generator.inputs.reports import Report

Baselines = Mapping[tuple[str, str], float] | None
"""(target id, owner) → its baseline figure, passed to every evaluation as `evaluate` takes it."""


class DatedCase(Protocol):
    """What the timeline needs of a typical case (generator.inputs.cases.Case fits)."""

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

    def became(self) -> Counter[Status]:
        """How many of the day's changes ended in each status (every status, zeros included)."""
        counts = Counter(change.new for change in self.changes)
        return Counter({status: counts.get(status, 0) for status in STATUS_ORDER})


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
    order = catalog.board_order
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
    order = catalog.board_order
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
