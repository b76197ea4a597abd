"""What each owner reported, quarter by quarter, as the evaluation may use it.

A report for quarter q counts from q's report day on (a late one counts for its own quarter); a
row dated after 数据截至 is kept in the files but not used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Observation:
    """One reported row: the value of one target by one owner in one quarter's report."""

    value: float | None
    done: bool | None
    reported_on: dt.date
    quarter: int
    note: str = ""

    def reaches(self, goal: float | None) -> bool:
        """True when this row shows the goal met (a yes for done-type targets)."""
        if self.done is not None:
            return self.done
        return goal is not None and self.value is not None and self.value >= goal


@dataclass(frozen=True)
class Reported:
    """Everything the evaluation of one year knows of the reports."""

    rows: Mapping[tuple[str, str], tuple[Observation, ...]]
    """(target, owner) -> that owner's rows, one per quarter, in quarter order."""
    submitted: Mapping[tuple[str, int], dt.date]
    """(owner, quarter) -> the report's 上报日期 (the latest date in it)."""

    def history(self, target: str, owner: str, upto: int) -> tuple[Observation, ...]:
        return tuple(o for o in self.rows.get((target, owner), ()) if o.quarter <= upto)


def collect(reports: Iterable, year: int, as_of: dt.date) -> Reported:
    """Index the year's reports by target and owner; rows after as_of are left out."""
    rows: dict[tuple[str, str], list[Observation]] = {}
    submitted: dict[tuple[str, int], dt.date] = {}
    for report in sorted((r for r in reports if r.year == year), key=lambda r: r.quarter):
        used = [row for row in report.rows if row.reported_on <= as_of]
        if not used:
            continue
        submitted[report.board, report.quarter] = max(row.reported_on for row in used)
        for row in used:
            rows.setdefault((row.target, report.board), []).append(Observation(
                row.value, row.done, row.reported_on, report.quarter, row.note))
    return Reported({key: tuple(found) for key, found in rows.items()}, submitted)


def latest(reports: Iterable, year: int, as_of: dt.date) -> dict[tuple[str, str], Observation]:
    """(target, owner) -> the latest row of `year` reported on or before as_of (any quarter)."""
    found = collect(reports, year, as_of)
    return {key: rows[-1] for key, rows in found.rows.items()}
