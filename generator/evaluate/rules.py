"""The rule of each target kind: what one owner's reports mean at one evaluation point.

Every rule here is printed, with a worked example, on the site's 方法说明 page (docs/method.md)
and pinned by a hand-computed test in tests/test_rules.py; change the three together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from generator.evaluate.calendar import Point, ReportCalendar, periods_completed
from generator.evaluate.model import FULL_SCORE, Judgement, Status
from generator.evaluate.observations import Observation
from generator.inputs.models import Target

NO_GOAL = "缺少目标值，无法评估"


@dataclass(frozen=True)
class Subject:
    """One target for one owner, at one evaluation point."""

    target: Target
    kind: str
    goal: float | None
    """The owner's number: quota, threshold, limit, or times per period."""
    start: dt.date
    calendar: ReportCalendar
    point: Point
    history: tuple[Observation, ...]
    """The owner's rows for this target in the reports of quarters 1 … point.quarter."""
    missed: bool
    """The owner has no report for the point's quarter, and its report day has passed."""
    late_factor: float
    """Share of the points a completion earns when it comes after its judgement report."""

    @property
    def latest(self) -> Observation | None:
        return self.history[-1] if self.history else None

    @property
    def deadline(self) -> dt.date:
        return self.target.deadline or self.calendar.close

    def row_of(self, quarter: int) -> Observation | None:
        """The row in the owner's own report for `quarter` (never a carried-over value)."""
        return next((row for row in self.history if row.quarter == quarter), None)

    def next_point(self) -> Point | None:
        return self.calendar.next(self.point)


def judge(subject: Subject) -> Judgement:
    """Apply the rule of the subject's kind."""
    if subject.point.date < subject.start:
        return Judgement(Status.NOT_DUE, f"自 {subject.start} 起执行")
    return RULES[subject.kind](subject)


# --- completion and its date ------------------------------------------------------------------

def achieved_from(history: tuple[Observation, ...], goal: float | None) -> int | None:
    """The quarter from which every later row still shows the goal met, or None.

    A later correction below the goal undoes an earlier completion: the latest row is the truth.
    """
    quarter = None
    for row in history:
        if row.reaches(goal):
            quarter = row.quarter if quarter is None else quarter
        else:
            quarter = None
    return quarter


def _ratio(value: float | None, goal: float | None) -> float:
    if value is None or not goal:
        return 0.0
    return max(0.0, min(value / goal, 1.0))


def _completed(subject: Subject, quarter: int, judged_in: int, goal: float | None
               ) -> Judgement:
    """Done in time (in or before the judgement quarter's report), or done late."""
    if quarter <= judged_in:
        return Judgement(Status.DONE, f"第{quarter}季度报表显示已完成", goal, FULL_SCORE)
    return Judgement(Status.DONE_LATE,
                     f"第{quarter}季度报表才显示完成，应在第{judged_in}季度报表中完成", goal,
                     round(FULL_SCORE * subject.late_factor, 1))


def _missing(subject: Subject) -> str:
    """Why there is no value: the whole report is missing, or this row of it."""
    if subject.missed:
        return f"未报送第{subject.point.quarter}季度报表"
    return "报表中没有此项的数值"


def _not_reported(subject: Subject, scored: bool, expected: float | None = None) -> Judgement:
    return Judgement(Status.NOT_REPORTED, _missing(subject), expected, 0.0 if scored else None)


def _quarters(subject: Subject) -> range:
    """The quarters whose report days fall from the start to the point (none when the start is
    after the fourth report day)."""
    first = subject.calendar.first_quarter_from(subject.start)
    return range(first, subject.point.quarter + 1) if first else range(0)


# --- milestone: done once by a deadline -------------------------------------------------------

def milestone(subject: Subject) -> Judgement:
    target = subject.target
    done_type = target.metric is None or target.metric.kind == "done"
    goal = None if done_type else subject.goal
    if not done_type and goal is None:
        return Judgement(Status.NOT_APPLICABLE, NO_GOAL)
    judged_on, judged_in = subject.calendar.judgement(subject.deadline)
    judged = subject.point.date >= judged_on
    quarter = achieved_from(subject.history, goal)
    if quarter is not None:
        return _completed(subject, quarter, judged_in, goal)
    if subject.missed:
        return _not_reported(subject, judged, goal)
    latest = subject.latest
    value = latest.value if latest else None
    if judged:
        return Judgement(Status.OVERDUE, f"截止日期 {subject.deadline} 已过，未完成", goal,
                         round(FULL_SCORE * _ratio(value, goal) * subject.late_factor, 1))
    for step in target.milestones:
        if step.date <= subject.point.date and (value or 0) < step.value:
            return Judgement(Status.BEHIND, f"未达到 {step.date} 应完成的 {step.value:g}",
                             step.value, round(FULL_SCORE * _ratio(value, step.value), 1))
    following = subject.next_point()
    if following is not None and following.date >= judged_on:
        return Judgement(Status.AT_RISK,
                         f"截止日期 {subject.deadline}，下一次报送即为核验，尚未完成", goal)
    if latest is None:
        return Judgement(Status.NOT_DUE, f"截止日期 {subject.deadline}，于 {judged_on} 核验")
    return Judgement(Status.ON_TRACK, f"截止日期 {subject.deadline}，尚未完成", goal)


# --- cumulative: a continuous count, pro-rated ------------------------------------------------

def expected_by(subject: Subject, goal: float, day: dt.date) -> float:
    """The goal × the share of the time from start to deadline elapsed by `day`.

    Only asked before the judgement, of the point's report day (on or after the start) or of
    the one before it (0 when before the start). Every such day is before the deadline, so the
    share stays below 1 and the span is positive; a deadline on or before the start is judged
    at every point from the start on and never asks.
    """
    share = max((day - subject.start).days / (subject.deadline - subject.start).days, 0.0)
    return round(goal * share, 1)


def cumulative(subject: Subject) -> Judgement:
    goal = subject.goal
    if not goal:
        return Judgement(Status.NOT_APPLICABLE, NO_GOAL)
    judged_on, judged_in = subject.calendar.judgement(subject.deadline)
    judged = subject.point.date >= judged_on
    expected = goal if judged else expected_by(subject, goal, subject.point.date)
    quarter = achieved_from(subject.history, goal)
    if quarter is not None:
        return _completed(subject, quarter, judged_in, goal)
    latest = subject.latest
    if subject.missed or (latest is None and expected > 0):
        return _not_reported(subject, expected > 0, expected)
    if latest is None or latest.value is None:
        return Judgement(Status.NOT_DUE, f"截止日期 {subject.deadline}，尚无应完成数")
    value = latest.value
    if judged:
        text = f"截止日期 {subject.deadline} 已过，完成 {value:g}/{goal:g}"
        return Judgement(Status.OVERDUE, text, goal,
                         round(FULL_SCORE * _ratio(value, goal) * subject.late_factor, 1))
    if expected == 0:
        return Judgement(Status.ON_TRACK, "尚无应完成数", 0.0)
    score = round(FULL_SCORE * _ratio(value, expected), 1)
    if value >= expected:
        return Judgement(Status.ON_TRACK, f"按时间进度应完成 {expected:g}", expected, score)
    previous = subject.calendar.previous(subject.point)
    earlier = expected_by(subject, goal, previous.date) if previous else 0.0
    if value >= earlier:
        return Judgement(Status.AT_RISK,
                         f"按时间进度应完成 {expected:g}，落后不到一个季度", expected, score)
    return Judgement(Status.BEHIND, f"按时间进度应完成 {expected:g}，落后超过一个季度", expected,
                     score)


# --- level: a rate or an average that must reach a value --------------------------------------

def level(subject: Subject) -> Judgement:
    goal = subject.goal
    if goal is None:
        return Judgement(Status.NOT_APPLICABLE, NO_GOAL)
    if goal == 0:
        return Judgement(Status.NOT_APPLICABLE, "基数为 0，“不低于”无从评估")
    judged_on, judged_in = subject.calendar.judgement(subject.deadline)
    judged = subject.point.date >= judged_on
    latest = subject.latest
    if subject.missed or (judged and latest is None):
        return _not_reported(subject, judged, goal)
    if judged:
        quarter = achieved_from(subject.history, goal)
        if quarter is not None:
            return _completed(subject, quarter, judged_in, goal)
        assert latest is not None  # judged with no row at all is not_reported, above
        value = latest.value
        text = f"{judged_on} 核验时未达到 {goal:g}" + (
            f"，最新为 {value:g}" if value is not None else "")
        return Judgement(Status.OVERDUE, text, goal,
                         round(FULL_SCORE * _ratio(value, goal) * subject.late_factor, 1))
    following = subject.next_point()
    last_chance = following is not None and following.date >= judged_on
    if latest is None or latest.value is None:
        status = Status.AT_RISK if last_chance else Status.NOT_DUE
        return Judgement(status, f"截止日期 {subject.deadline}，尚无数值", goal)
    value = latest.value
    if value >= goal:
        return Judgement(Status.ON_TRACK, f"已达到 {goal:g}，须保持到截止日期", goal)
    if last_chance:
        return Judgement(Status.AT_RISK, f"{value:g}，尚未达到 {goal:g}，下一次报送即为核验",
                         goal)
    projected = projection(subject.history, subject.deadline)
    if projected is not None and projected < goal:
        return Judgement(Status.AT_RISK, f"按目前趋势截止时约为 {projected:g}，达不到 {goal:g}",
                         goal)
    return Judgement(Status.ON_TRACK, f"{value:g}，截止前须达到 {goal:g}", goal)


def projection(history: tuple[Observation, ...], deadline: dt.date) -> float | None:
    """The last two reported values extended in a straight line to the deadline."""
    points = [(row.reported_on, row.value) for row in history if row.value is not None]
    if len(points) < 2 or points[-1][0] <= points[-2][0]:
        return None
    (day0, value0), (day1, value1) = points[-2], points[-1]
    slope = (value1 - value0) / (day1 - day0).days
    return round(value1 + slope * (deadline - day1).days, 1)


# --- limit: a red line, re-checked at every report --------------------------------------------

def limit(subject: Subject) -> Judgement:
    ceiling = subject.goal
    if ceiling is None:
        return Judgement(Status.NOT_APPLICABLE, NO_GOAL)
    quarters = _quarters(subject)
    if not quarters:
        return Judgement(Status.NOT_DUE, "尚未到第一次报送")
    rows = {q: subject.row_of(q) for q in quarters}
    kept = [q for q, row in rows.items() if row and row.value is not None and row.value <= ceiling]
    score = round(FULL_SCORE * len(kept) / len(quarters), 1)
    current = rows[subject.point.quarter]
    if current is None or current.value is None:
        return Judgement(Status.NOT_REPORTED, _missing(subject), ceiling, score)
    broken = [q for q in quarters if q not in kept and rows[q] is not None]
    if current.value > ceiling:
        return Judgement(Status.BREACHED, f"{current.value:g} 超过红线 {ceiling:g}", ceiling,
                         score)
    history = f"；第{'、'.join(map(str, broken))}季度曾突破" if broken else ""
    return Judgement(Status.COMPLIANT, f"{current.value:g}，未超过 {ceiling:g}{history}", ceiling,
                     score)


# --- recurring: per period ----------------------------------------------------------------------

def recurring(subject: Subject) -> Judgement:
    target = subject.target
    if target.metric is None or target.metric.kind == "done":
        return _per_quarter(subject, every_quarter_counts=True)
    recurrence = target.recurrence
    assert recurrence is not None  # the plan checks that a recurring target has one
    end = min(recurrence.end or subject.calendar.close, subject.calendar.close)
    # Only periods that ended by the report day are asked for: December is not in the 12-25 one.
    demand = min(subject.calendar.due(subject.point.quarter), end)
    expected = float(periods_completed(recurrence.every, recurrence.start, demand)
                     * recurrence.times)
    if expected == 0:
        return Judgement(Status.NOT_DUE, "尚无已结束的周期", 0.0)
    latest = subject.latest
    if subject.missed or latest is None or latest.value is None:
        return _not_reported(subject, True, expected)
    value = latest.value
    score = round(FULL_SCORE * _ratio(value, expected), 1)
    text = f"截至 {demand} 应完成 {expected:g} 次，完成 {value:g} 次"
    if value >= expected:
        return Judgement(Status.DONE if subject.point.closed else Status.ON_TRACK, text,
                         expected, score)
    if subject.point.closed:
        return Judgement(Status.OVERDUE, text, expected, score)
    if expected - value <= recurrence.times:
        return Judgement(Status.AT_RISK, text + "，差一个周期", expected, score)
    return Judgement(Status.BEHIND, text, expected, score)


# --- continuing: a duty confirmed quarter by quarter ------------------------------------------

def continuing(subject: Subject) -> Judgement:
    return _per_quarter(subject, every_quarter_counts=False)


def _per_quarter(subject: Subject, every_quarter_counts: bool) -> Judgement:
    """Each quarter's own report must confirm the work (是); one 完成 never closes it forever.

    For a recurring duty (每季度…) a quarter left out is a shortfall even when the latest one is
    confirmed; a continuing duty (持续推进) is judged on the latest quarter, its record scored.
    """
    quarters = _quarters(subject)
    if not quarters:
        return Judgement(Status.NOT_DUE, "尚未到第一次报送")
    confirmed = [q for q in quarters if (row := subject.row_of(q)) and row.done]
    score = round(FULL_SCORE * len(confirmed) / len(quarters), 1)
    expected = float(len(quarters))
    current = subject.row_of(subject.point.quarter)
    text = f"{len(quarters)} 个季度中 {len(confirmed)} 个季度报告已开展"
    if current is None or current.done is None:
        return Judgement(Status.NOT_REPORTED, f"{_missing(subject)}；{text}", expected, score)
    missing = len(quarters) - len(confirmed)
    if subject.point.closed:
        status = Status.DONE if not missing else (
            Status.OVERDUE if every_quarter_counts else Status.BEHIND)
        return Judgement(status, text, expected, score)
    if not current.done:
        return Judgement(Status.BEHIND, f"本季度报告未开展；{text}", expected, score)
    if every_quarter_counts and missing:
        return Judgement(Status.AT_RISK if missing == 1 else Status.BEHIND, text, expected, score)
    return Judgement(Status.ON_TRACK, text, expected, score)


RULES: dict[str, Callable[[Subject], Judgement]] = {
    "milestone": milestone, "cumulative": cumulative, "level": level, "limit": limit,
    "recurring": recurring, "continuing": continuing,
}
"""The rule of each assessed kind; an unassessed target never reaches them (evaluation says
不评估 for it before any rule is asked)."""
