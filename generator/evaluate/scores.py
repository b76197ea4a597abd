"""Report compliance, board scores and the ranking, as the plan's `scoring` states them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from generator.evaluate.calendar import QUARTERS, ReportCalendar
from generator.evaluate.model import Cell, Compliance, Rollup
from generator.evaluate.tables import ranking
from generator.inputs.models import Scoring


@dataclass(frozen=True)
class ComplianceRecord:
    owner: str
    quarter: int
    due: dt.date
    status: Compliance
    submitted_on: dt.date | None

    @property
    def board(self) -> str:
        return self.owner


def compliance(owners: Iterable[str], submitted: Mapping[tuple[str, int], dt.date],
               calendar: ReportCalendar, as_of: dt.date) -> list[ComplianceRecord]:
    """Per owner and quarter: 按时 / 迟报 / 未报 against the report day (the 25th)."""
    records = []
    for owner in owners:
        for quarter in QUARTERS:
            due = calendar.due(quarter)
            on = submitted.get((owner, quarter))
            if on is not None:
                status = Compliance.ON_TIME if on <= due else Compliance.LATE
            else:
                status = Compliance.MISSING if as_of > due else Compliance.NOT_DUE
            records.append(ComplianceRecord(owner, quarter, due, status, on))
    return records


def report_score(records: Iterable[ComplianceRecord], scoring: Scoring) -> float | None:
    points = scoring.report_scores
    table = {Compliance.ON_TIME: points.on_time, Compliance.LATE: points.late,
             Compliance.MISSING: points.missing}
    scored = [table[r.status] for r in records if r.status in table]
    return round(sum(scored) / len(scored), 1) if scored else None


def task_score(cells: Iterable[Cell]) -> float | None:
    """The weighted mean of the scored lead cells; None when none is scored yet (or every
    weight is 0: a cell of weight 0 adds nothing to either sum)."""
    scored = [(cell.weight, cell.score) for cell in cells
              if cell.role == "lead" and cell.score is not None]
    total = sum(weight for weight, _ in scored)
    if not total:
        return None
    return round(sum(weight * score for weight, score in scored) / total, 1)


@dataclass(frozen=True)
class OwnerScore:
    slug: str
    name: str
    rollup: Rollup
    task_score: float | None
    report_score: float | None
    total: float | None
    rank: int | None = None
    """None (no rank shown) while nothing of the board can be scored."""


def owner_score(slug: str, name: str, cells: Sequence[Cell],
                records: Sequence[ComplianceRecord], scoring: Scoring,
                counts: Rollup) -> OwnerScore:
    """The owner's task, report and total scores; `counts` is the rollup of its cells (the
    evaluation's, from its tables)."""
    task, report = task_score(cells), report_score(records, scoring)
    total = None
    if task is not None:
        parts = [(task, scoring.task_weight)]
        if report is not None:
            parts.append((report, scoring.report_weight))
        weights = sum(weight for _, weight in parts)
        total = round(sum(value * weight for value, weight in parts) / weights, 1) \
            if weights else None
    return OwnerScore(slug, name, counts, task, report, total)


def ranked(scores: Sequence[OwnerScore], order: Mapping[str, int]) -> list[OwnerScore]:
    """Higher total first; equal totals share a rank; then directory order. No total, no rank."""
    places = ranking([score.total for score in scores], [order[score.slug] for score in scores])
    return [replace(scores[position], rank=rank) for position, rank in places]
