"""Compute stage: the status of every target × board at an as-of date, and rollups.

The rules here are the ones printed on the site's 方法说明 page (docs/method.md);
change both together.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from generator.catalog import Catalog, TargetInfo
from generator.models import Target


class Status(StrEnum):
    DONE = "已完成"
    ON_TRACK = "进行中"
    BEHIND = "滞后"
    OVERDUE = "逾期"
    MISSING = "未上报"
    NOT_DUE = "未到期"


STATUS_ORDER = tuple(Status)
STATUS_SCORE = {Status.DONE: 100, Status.ON_TRACK: 80, Status.BEHIND: 50,
                Status.OVERDUE: 0, Status.MISSING: 0}


class Compliance(StrEnum):
    ON_TIME = "按时"
    LATE = "迟报"
    MISSING = "未报"
    NOT_DUE = "未到期"


COMPLIANCE_SCORE = {Compliance.ON_TIME: 100, Compliance.LATE: 60, Compliance.MISSING: 0}


@dataclass(frozen=True)
class Observation:
    """The latest reported value of one target by one board."""

    value: float | None
    done: bool | None
    reported_on: dt.date
    quarter: str
    note: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class Cell:
    target_id: str
    board: str
    status: Status
    quota: float | None
    expected: float | None
    actual: float | None
    done: bool | None
    reported_on: dt.date | None
    quarter: str | None
    note: str
    explanation: str

    @property
    def actual_text(self) -> str:
        if self.done is not None:
            return "是" if self.done else "否"
        return "—" if self.actual is None else f"{self.actual:g}"


# --- dates -----------------------------------------------------------------------------------

def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def report_due(year: int, quarter: int, report_day: int) -> dt.date:
    """Progress for a quarter is due on report_day of the quarter's last month (the 25th)."""
    return dt.date(year, quarter * 3, report_day)


def target_start(target: Target, year: int) -> dt.date:
    if target.start:
        return target.start
    if target.recurrence:
        return target.recurrence.start
    return dt.date(year, 1, 1)


def target_end(target: Target) -> dt.date | None:
    if target.deadline:
        return target.deadline
    if target.recurrence and target.recurrence.end:
        return target.recurrence.end
    return None


def first_report_due(target: Target, year: int, report_day: int) -> dt.date:
    """The first quarterly report date on which this target's progress can be asked for."""
    start = target_start(target, year)
    due = report_due(year, quarter_of(start), report_day)
    if due < start:
        quarter = quarter_of(start) + 1
        due = report_due(year + (quarter > 4), (quarter - 1) % 4 + 1, report_day)
    return due


def periods_completed(every: str, start: dt.date, as_of: dt.date) -> int:
    """Count whole periods (day, month, quarter, year) from start that ended on or before as_of."""
    if as_of < start:
        return 0
    if every == "day":
        return (as_of - start).days
    months = {"month": 1, "quarter": 3, "year": 12}[every]
    elapsed = (as_of.year - start.year) * 12 + as_of.month - start.month
    if as_of.day == _month_end(as_of).day:
        elapsed += 1
    return max(0, elapsed // months)


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


# --- one cell --------------------------------------------------------------------------------

def evaluate(info: TargetInfo, board: str, seen: Observation | None, as_of: dt.date,
             year: int, report_day: int, baseline: float | None = None) -> Cell:
    """Decide the status of one target for one board at as_of."""
    target = info.target
    quota = info.quota_for(board)
    if target.baseline and quota is None:
        quota = target.baseline.value if target.baseline.value is not None else baseline
        if quota is not None and target.baseline.value is None:
            cell = _judge_or_wait(info, board, seen, quota, as_of, year, report_day)
            return _with_base(cell, quota)
    return _judge_or_wait(info, board, seen, quota, as_of, year, report_day)


def _with_base(cell: Cell, base: float) -> Cell:
    return replace(cell, explanation=f"以上一年度数值 {base:g} 为目标；{cell.explanation}")


def _judge_or_wait(info: TargetInfo, board: str, seen: Observation | None, quota: float | None,
                   as_of: dt.date, year: int, report_day: int) -> Cell:
    target = info.target
    start = target_start(target, year)
    if start > as_of:
        return _cell(info, board, Status.NOT_DUE, quota, None, seen, f"自 {start} 起执行")
    if seen is None:
        due = first_report_due(target, year, report_day)
        if due < as_of:
            return _cell(info, board, Status.MISSING, quota, None, None,
                         f"{due} 起应上报进展，截至数据日期未上报")
        return _cell(info, board, Status.NOT_DUE, quota, None, None, f"首次上报日为 {due}")
    return _judge(info, board, seen, quota, as_of, year)


def _judge(info: TargetInfo, board: str, seen: Observation, quota: float | None,
           as_of: dt.date, year: int) -> Cell:
    target = info.target
    metric = target.metric
    end = target_end(target)
    past_end = end is not None and as_of > end
    if seen.done is not None or metric is None or metric.kind == "done":
        finished = bool(seen.done) if seen.done is not None else (seen.value or 0) > 0
        return _done_type(info, board, seen, quota, finished, past_end, end)
    if quota is None:
        status = Status.DONE if past_end else Status.ON_TRACK
        return _cell(info, board, status, None, None, seen, "缺少目标值（如去年基数），按已上报计")
    if metric.op == "<=":
        return _limit(info, board, seen, quota, past_end)
    if target.recurrence and metric.kind == "count" and target.recurrence.every != "day":
        return _recurring(info, board, seen, as_of, past_end)
    return _threshold(info, board, seen, quota, as_of, year, past_end)


def _done_type(info, board, seen, quota, finished, past_end, end) -> Cell:
    if finished:
        return _cell(info, board, Status.DONE, quota, None, seen, "已报告完成")
    if past_end:
        return _cell(info, board, Status.OVERDUE, quota, None, seen, f"截止日期 {end} 已过，未完成")
    return _cell(info, board, Status.ON_TRACK, quota, None, seen, "尚未完成，未到截止日期")


def _limit(info, board, seen, limit, past_end) -> Cell:
    value = seen.value or 0
    if value <= limit:
        return _cell(info, board, Status.DONE, limit, limit, seen,
                     f"{value:g} 在限值 {limit:g} 以内")
    status = Status.OVERDUE if past_end else Status.BEHIND
    return _cell(info, board, status, limit, limit, seen, f"{value:g} 超过限值 {limit:g}")


def _recurring(info, board, seen, as_of, past_end) -> Cell:
    recurrence = info.target.recurrence
    end = recurrence.end or dt.date(as_of.year, 12, 31)
    periods = periods_completed(recurrence.every, recurrence.start, min(as_of, end))
    expected = float(periods * recurrence.times)
    total = float(periods_completed(recurrence.every, recurrence.start, end) * recurrence.times)
    value = seen.value or 0
    if as_of >= end:
        status = Status.DONE if value >= total else Status.OVERDUE
        return _cell(info, board, status, total, total, seen, f"全期应完成 {total:g} 次")
    status = Status.ON_TRACK if value >= expected else Status.BEHIND
    return _cell(info, board, status, total, expected, seen, f"截至目前应完成 {expected:g} 次")


def _threshold(info, board, seen, quota, as_of, year, past_end) -> Cell:
    value = seen.value or 0
    if value >= quota:
        return _cell(info, board, Status.DONE, quota, quota, seen, f"已达到目标 {quota:g}")
    if past_end:
        return _cell(info, board, Status.OVERDUE, quota, quota, seen, "截止日期已过，未达到目标")
    if info.target.metric.kind != "count":
        return _cell(info, board, Status.ON_TRACK, quota, quota, seen, "水平类指标，截止前未达标")
    expected = expected_by(info.target, quota, as_of, year)
    status = Status.ON_TRACK if value >= expected else Status.BEHIND
    return _cell(info, board, status, quota, expected, seen, f"按时间进度应完成 {expected:g}")


def expected_by(target: Target, quota: float, as_of: dt.date, year: int) -> float:
    """Pro-rata share of a count quota by as_of, from the target's start to its deadline."""
    start = target_start(target, year)
    end = target_end(target) or dt.date(year, 12, 31)
    if as_of >= end:
        return quota
    span = max((end - start).days, 1)
    share = max(0, (as_of - start).days) / span
    return round(quota * share, 1)


def _cell(info: TargetInfo, board: str, status: Status, quota, expected,
          seen: Observation | None, explanation: str) -> Cell:
    return Cell(
        target_id=info.target.id, board=board, status=status, quota=quota, expected=expected,
        actual=seen.value if seen else None, done=seen.done if seen else None,
        reported_on=seen.reported_on if seen else None, quarter=seen.quarter if seen else None,
        note=seen.note if seen else "", explanation=explanation,
    )


# --- the whole plan --------------------------------------------------------------------------

@dataclass(frozen=True)
class Rollup:
    counts: dict[Status, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def applicable(self) -> int:
        return self.total - self.counts.get(Status.NOT_DUE, 0)

    @property
    def done_rate(self) -> float | None:
        return self.counts.get(Status.DONE, 0) / self.applicable if self.applicable else None

    @property
    def score(self) -> float | None:
        if not self.applicable:
            return None
        points = sum(STATUS_SCORE[s] * n for s, n in self.counts.items() if s in STATUS_SCORE)
        return points / self.applicable


def rollup(cells: Iterable[Cell]) -> Rollup:
    counts = Counter(cell.status for cell in cells)
    return Rollup({status: counts.get(status, 0) for status in STATUS_ORDER})


def latest_observations(reports: Sequence, as_of: dt.date) -> dict[tuple[str, str], Observation]:
    """Keep, per (target, board), the latest row reported on or before as_of."""
    latest: dict[tuple[str, str], Observation] = {}
    for report in reports:
        quarter = f"{report.year}Q{report.quarter}"
        for row in report.rows:
            if row.reported_on > as_of:
                continue
            key = (row.target, report.board)
            current = latest.get(key)
            if current is None or (row.reported_on, quarter) >= (current.reported_on,
                                                                   current.quarter):
                latest[key] = Observation(row.value, row.done, row.reported_on, quarter,
                                          row.note, row.evidence)
    return latest


def evaluate_plan(catalog: Catalog, reports: Sequence, as_of: dt.date,
                  baselines: dict[tuple[str, str], float] | None = None) -> list[Cell]:
    """Evaluate every target × board; the order follows the plan and the board list."""
    year, report_day = catalog.plan.year, catalog.plan.notice.report_day
    seen = latest_observations([r for r in reports if r.year == year], as_of)
    baselines = baselines or {}
    cells = []
    for info in catalog.targets.values():
        for board in info.boards:
            key = (info.target.id, board)
            cells.append(evaluate(info, board, seen.get(key), as_of, year, report_day,
                                  baselines.get(key)))
    return cells


@dataclass(frozen=True)
class ComplianceRecord:
    board: str
    quarter: int
    due: dt.date
    status: Compliance
    submitted_on: dt.date | None


def report_compliance(catalog: Catalog, reports: Sequence, as_of: dt.date
                      ) -> list[ComplianceRecord]:
    """Per board and quarter: 按时 / 迟报 / 未报 against the 25th of the quarter's last month."""
    year, report_day = catalog.plan.year, catalog.plan.notice.report_day
    submitted = {(r.board, r.quarter): r.submitted_on for r in reports if r.year == year}
    records = []
    for board in catalog.boards:
        for quarter in range(1, 5):
            due = report_due(year, quarter, report_day)
            on = submitted.get((board, quarter))
            if on is not None and on <= as_of:
                status = Compliance.ON_TIME if on <= due else Compliance.LATE
            else:
                on = None
                status = Compliance.MISSING if due < as_of else Compliance.NOT_DUE
            records.append(ComplianceRecord(board, quarter, due, status, on))
    return records


def compliance_score(records: Iterable[ComplianceRecord]) -> float | None:
    scored = [COMPLIANCE_SCORE[r.status] for r in records if r.status in COMPLIANCE_SCORE]
    return sum(scored) / len(scored) if scored else None
