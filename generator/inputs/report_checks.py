"""Valid but suspicious reports: warnings a reviewer should look at, never errors.

Each check compares a row with what the plan asks and with what the same board reported
before in the same year. A warning never stops a build; it is printed by `validate`, shown as a
`::warning` annotation on the pull request and listed in its summary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.common.problems import Problems
from generator.inputs.reports import Report, ReportRow

WILD_FACTOR = 10
"""A value this many times its goal (and at least WILD_MARGIN above it) is probably a typo."""
WILD_MARGIN = 10


@dataclass(frozen=True)
class TargetFacts:
    """What the checks need to know of one target."""

    kind: str
    """The report value's kind: count, percent, ratio or done."""
    op: str
    """The metric's comparison: >=, <= or ==."""
    cumulative: bool
    """True when the value is a running total that cannot go down within a year."""
    goals: Mapping[str, float]
    """Board (or unit) slug -> the number it must reach."""


def report_warnings(reports: Sequence[Report], facts: Mapping[str, TargetFacts],
                    problems: Problems) -> None:
    """Record a warning for each suspicious row or report; reports are in (year, quarter) order."""
    previous: dict[tuple[int, str, str], tuple[float, str]] = {}
    for report in sorted(reports, key=lambda r: (r.year, r.quarter, r.board)):
        _next_quarter_dates(report, problems)
        label = f"{report.year}年第{report.quarter}季度"
        for row in report.rows:
            fact = facts.get(row.target)
            key = (report.year, report.board, row.target)
            if fact is not None and row.value is not None:
                _check_value(report, row, fact, previous.get(key), problems)
                previous[key] = (row.value, label)


def _check_value(report: Report, row: ReportRow, fact: TargetFacts,
                 before: tuple[float, str] | None, problems: Problems) -> None:
    value, goal = row.value, fact.goals.get(report.board)
    assert value is not None
    if fact.kind == "percent" and 0 < value <= 1 and goal is not None and goal > 1 \
            and (before is None or before[0] > 1):
        last = f"，上次报送为 {before[0]:g}" if before else ""
        problems.warn(report.path, row.line, 0,
                      f"完成值 {value:g} 像是小数写法的百分比（目标 {goal:g}%{last}）",
                      f"百分比请填 0–100 的数：{value * 100:g}% 应写作 {value * 100:g} 或 "
                      f"{value * 100:g}%；若确实是 {value:g}%，可忽略此警告")
    if fact.cumulative and before is not None and value < before[0]:
        problems.warn(report.path, row.line, 0,
                      f"累计完成值 {value:g} 低于{before[1]}报送的 {before[0]:g}",
                      "完成值应填截至上报日期的累计数（不是本季度新增数）；如系更正以前的数字，"
                      "请在“说明”中写明")
    if fact.op == ">=" and goal and value >= goal * WILD_FACTOR and value - goal >= WILD_MARGIN:
        problems.warn(report.path, row.line, 0,
                      f"完成值 {value:g} 是目标 {goal:g} 的 {value / goal:.0f} 倍",
                      "请核对是否多写了数字或填错了行")


def _next_quarter_dates(report: Report, problems: Problems) -> None:
    """A report whose every date lies in the next quarter is probably in the wrong folder."""
    following = (report.year, report.quarter + 1) if report.quarter < 4 else (report.year + 1, 1)
    quarters = {(row.reported_on.year, (row.reported_on.month - 1) // 3 + 1)
                for row in report.rows}
    if report.rows and quarters == {following}:
        year, quarter = following
        first = min(report.rows, key=lambda row: row.line)
        problems.warn(report.path, first.line, 0,
                      f"本报表的上报日期都在 {year}年第{quarter}季度，"
                      f"却放在 {report.year}Q{report.quarter} 文件夹",
                      f"如是 {year}Q{quarter} 的报表，请移到 data/progress/{year}Q{quarter}/；"
                      "如是迟报的上季度报表，可忽略此警告")
