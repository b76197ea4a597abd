"""The dates an assessment rests on: report days, evaluation points, judgement dates.

The notice asks for progress on the 25th of each quarter's last month. Statuses are decided at
those report days (and at the year's close), never at an arbitrary 数据截至 date months later:
between two report days a board's status does not drift.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.common.dates import month_end

QUARTERS = (1, 2, 3, 4)


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def periods_completed(every: str, start: dt.date, until: dt.date) -> int:
    """Whole periods (day, month, quarter, year) from start that ended on or before `until`."""
    if until < start:
        return 0
    if every == "day":
        return (until - start).days
    months = {"month": 1, "quarter": 3, "year": 12}[every]
    elapsed = (until.year - start.year) * 12 + until.month - start.month
    if until == month_end(until):
        elapsed += 1
    return max(0, elapsed // months)


def report_due(year: int, quarter: int, report_day: int) -> dt.date:
    """The day a quarter's progress report is due (the 25th of its last month)."""
    return dt.date(year, quarter * 3, report_day)


@dataclass(frozen=True)
class Point:
    """An evaluation point: a report day, or the close of the year."""

    date: dt.date
    quarter: int
    """The quarter whose report is the latest one due: 1–4 (4 at the close)."""
    closed: bool = False
    """True at the close of the plan year (12-31): every deadline of the year has passed."""


@dataclass(frozen=True)
class ReportCalendar:
    year: int
    report_day: int

    def due(self, quarter: int) -> dt.date:
        return report_due(self.year, quarter, self.report_day)

    @property
    def close(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def points(self) -> tuple[Point, ...]:
        return (*(Point(self.due(q), q) for q in QUARTERS), Point(self.close, 4, closed=True))

    def point_at(self, as_of: dt.date) -> Point | None:
        """The evaluation point as_of stands at; None until the first report day has passed.

        A report day counts from the next day: on the 25th itself reports are still coming in
        and nothing due that day is late yet. The year's close counts on 12-31 itself, so that
        12-31 and any later day (with no new data) give the same statuses and the same ranking.
        """
        reached = [point for point in self.points()
                   if (point.date <= as_of if point.closed else point.date < as_of)]
        return reached[-1] if reached else None

    def previous(self, point: Point) -> Point | None:
        points = self.points()
        index = points.index(point)
        return points[index - 1] if index else None

    def next(self, point: Point) -> Point | None:
        points = self.points()
        index = points.index(point)
        return points[index + 1] if index + 1 < len(points) else None

    def judgement(self, deadline: dt.date) -> tuple[dt.date, int]:
        """When completion by `deadline` is judged, and in which quarter's report it must show.

        It is the first report day on or after the deadline (work done by 03-31 is reported on
        06-25); a deadline after the last report day (12-31) is judged at the year's close, on
        the fourth quarter's report.
        """
        for quarter in QUARTERS:
            if self.due(quarter) >= deadline:
                return self.due(quarter), quarter
        return max(self.close, deadline), 4

    def first_quarter_from(self, start: dt.date) -> int | None:
        """The first quarter whose report day falls on or after `start` (None: after Q4's)."""
        return next((q for q in QUARTERS if self.due(q) >= start), None)
