"""The evaluated model: statuses, cells, rollups — what every page, chart and download reads."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

Role = Literal["lead", "support"]


class Status(StrEnum):
    """A cell's status; the value is the stable code used in the open data."""

    DONE = "done"
    DONE_LATE = "done_late"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"
    OVERDUE = "overdue"
    COMPLIANT = "compliant"
    BREACHED = "breached"
    NOT_REPORTED = "not_reported"
    NOT_DUE = "not_due"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Status.DONE: "已完成", Status.DONE_LATE: "逾期完成", Status.ON_TRACK: "进行中",
    Status.AT_RISK: "预警", Status.BEHIND: "滞后", Status.OVERDUE: "逾期未完成",
    Status.COMPLIANT: "守住红线", Status.BREACHED: "突破红线", Status.NOT_REPORTED: "未上报",
    Status.NOT_DUE: "未到期", Status.NOT_APPLICABLE: "不评估",
}
STATUS_ORDER = tuple(Status)
WORST_FIRST = (Status.BREACHED, Status.OVERDUE, Status.NOT_REPORTED, Status.BEHIND,
               Status.AT_RISK, Status.DONE_LATE, Status.ON_TRACK, Status.COMPLIANT, Status.DONE,
               Status.NOT_DUE, Status.NOT_APPLICABLE)
"""For a summary colour: the status that most needs attention comes first."""
ATTENTION = (Status.BREACHED, Status.OVERDUE, Status.NOT_REPORTED, Status.BEHIND, Status.AT_RISK)
"""The statuses a board page lists under 需要关注."""


class Compliance(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    NOT_DUE = "not_due"

    @property
    def label(self) -> str:
        return {"on_time": "按时", "late": "迟报", "missing": "未报", "not_due": "未到期"}[self]


FULL_SCORE = 100.0
"""A cell's points when its target is fully met on time; partial progress scales from 0."""
ITEM_WEIGHT = 1.0
"""The weight of one printed item of the plan for each owner leading it (its parts share it)."""


@dataclass(frozen=True)
class Judgement:
    """What a kind's rule decides for one cell at one evaluation point."""

    status: Status
    explanation: str
    expected: float | None = None
    score: float | None = None
    """0–FULL_SCORE, or None when nothing is expected yet (the cell is not scored)."""


@dataclass(frozen=True)
class Cell:
    """One target × one owner (a board, or a unit such as 区局), evaluated."""

    target_id: str
    owner: str
    """Board slug, or a unit's slug (or its name when it has none)."""
    owner_name: str
    is_board: bool
    role: Role
    kind: str
    status: Status
    goal: float | None
    """What the whole target asks of this owner (quota, threshold, limit, times)."""
    expected: float | None
    """What is expected by the evaluation date."""
    actual: float | None
    done: bool | None
    reported_on: dt.date | None
    quarter: int | None
    """The quarter of the report the value comes from."""
    stale: bool
    """True when the owner missed the latest report and the value is an older one."""
    note: str
    explanation: str
    weight: float
    """The cell's weight in its owner's task score (0 for support and unscored cells)."""
    score: float | None
    deadline: dt.date | None

    @property
    def board(self) -> str:
        return self.owner

    @property
    def quota(self) -> float | None:
        return self.goal

    @property
    def actual_text(self) -> str:
        if self.done is not None:
            return "是" if self.done else "否"
        return "—" if self.actual is None else f"{self.actual:g}"

    def actual_shown(self, blank: str = "—") -> str:
        """The reported value as pages and downloads print it (`blank` when there is none),
        marked （旧） when it is an older quarter's because the owner missed the latest report."""
        shown = blank if self.actual is None and self.done is None else self.actual_text
        return shown + ("（旧）" if self.stale else "")


@dataclass(frozen=True)
class Rollup:
    counts: dict[Status, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def assessed(self) -> int:
        """Cells whose status says something about progress (not 未到期, not 不评估)."""
        return self.total - self.counts[Status.NOT_DUE] - self.counts[Status.NOT_APPLICABLE]

    @property
    def done(self) -> int:
        return self.counts[Status.DONE] + self.counts[Status.DONE_LATE]

    @property
    def done_rate(self) -> float | None:
        """Finished (on time or late) among the cells that are assessed."""
        return self.done / self.assessed if self.assessed else None

    @property
    def attention(self) -> int:
        return sum(self.counts[status] for status in ATTENTION)

    @property
    def worst(self) -> Status | None:
        """The status among these cells that most needs attention (WORST_FIRST order)."""
        return next((status for status in WORST_FIRST if self.counts[status]), None)


def rollup(cells: Iterable[Cell]) -> Rollup:
    counts = Counter(cell.status for cell in cells)
    return Rollup({status: counts[status] for status in STATUS_ORDER})


