"""Make the demonstration progress reports (示例数据): invented, but consistent and reproducible.

Every board gets a character (diligent, late, lagging …) so that every status and every
report-compliance case occurs at the demo as-of date. Nothing here is official data.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
from dataclasses import dataclass
from pathlib import Path

from generator.common.files import write_atomically
from generator.evaluate.calendar import ReportCalendar, periods_completed
from generator.inputs.catalog import Catalog, TargetInfo

HEADER = ["指标编号", "指标名称", "完成值", "上报日期", "说明", "佐证"]


@dataclass(frozen=True)
class Character:
    effort: float
    """Share of each quota reached by year end (1.0 = exactly on target)."""
    delay_days: tuple[int, int, int, int]
    """Days after (+) or before (−) the 25th that each quarter's report arrives."""
    skipped: tuple[int, ...] = ()
    """Quarters with no report at all."""
    omits: float = 0.0
    """Share of its targets the board never reports on (so 未上报 occurs)."""
    drops_unstarted: bool = False
    """Leaves out the rows of work not started before its deadline, as the form allows
    (本季度不报的指标请整行删除): such targets show 未到期 until there is something to report."""


CHARACTERS = {
    "zouqu": Character(1.15, (-3, -2, -4, -3)),
    "beigang": Character(1.05, (-1, 0, -2, -1)),
    "xinwen": Character(0.95, (-2, 6, -1, 0)),
    "wuxing": Character(0.85, (-1, -3, 0, -2), skipped=(2,), omits=0.05),
    "xilin": Character(0.7, (0, -1, 3, -1), drops_unstarted=True),
    "yonghong": Character(1.0, (-2, -2, -2, -2), drops_unstarted=True),
    "nandajie": Character(0.9, (0, -1, -1, 0), skipped=(1,)),
    "hehuachi": Character(0.8, (4, 2, 5, 1), omits=0.15),
    "quju": Character(1.0, (-1, -1, -2, -1)),
}
PER_QUARTER = ("continuing",)
"""Kinds whose every quarterly report says whether the work was done that quarter."""


def _rng(*parts: str) -> random.Random:
    digest = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def progress_share(info: TargetInfo, on: dt.date, year: int) -> float:
    """Share of the year's work done by `on`: work starts at the target's start, ends at its end."""
    start = info.target.start or (info.target.recurrence.start if info.target.recurrence
                                  else dt.date(year, 1, 1))
    end = info.target.deadline or dt.date(year, 12, 31)
    if on <= start:
        return 0.0
    # Work goes on after the deadline (up to half as much again), so a board that is slow
    # finishes late: the sample shows 逾期完成 as well as 逾期未完成.
    return min(1.5, (on - start).days / max((end - start).days, 1)) ** 0.9


def sample_value(info: TargetInfo, board: str, on: dt.date, year: int, effort: float,
                 last_year: float | None = None) -> str | None:
    """The cumulative value a board of this character would report on `on`, as report text."""
    target, metric = info.target, info.target.metric
    rng = _rng(target.id, board)
    own = effort * rng.uniform(0.85, 1.15)
    share = progress_share(info, on, year)
    if target.kind in PER_QUARTER or (target.kind == "recurring" and (
            metric is None or metric.kind == "done")):
        quarter_rng = _rng(target.id, board, on.isoformat())
        return "完成" if quarter_rng.random() < min(own, 1.0) ** 2 else "未完成"
    if metric is None or metric.kind == "done":
        return "完成" if share * own >= rng.uniform(0.55, 1.0) else "未完成"
    quota = info.quota_for(board)
    if target.recurrence and metric.kind == "count" and target.recurrence.every != "day":
        periods = periods_completed(target.recurrence.every, target.recurrence.start, on)
        return str(max(0, round(periods * target.recurrence.times * min(own, 1.1))))
    if quota is None:
        base = last_year or (target.baseline.value if target.baseline else None) or 10
        return f"{round(base * own * (0.8 + 0.2 * share)):g}"
    if metric.op == "<=":
        breach = own < 0.8 and rng.random() < 0.7
        return f"{quota + 1:g}" if breach else f"{max(0, quota - rng.randint(0, 1)):g}"
    if metric.kind == "count":
        return str(int(quota * own * share))
    level = quota * own * (0.6 + 0.4 * share)
    cap = 100 if metric.kind == "percent" else level
    return f"{min(round(level, 1), cap):g}"


def board_report(catalog: Catalog, board: str, quarter: int,
                 previous: Catalog | None = None) -> str | None:
    """One board's quarterly report as CSV text, or None when this character skips it."""
    character = CHARACTERS[board]
    if quarter in character.skipped:
        return None
    year = catalog.plan.year
    calendar = ReportCalendar(year, catalog.plan.notice.report_day)
    on = calendar.due(quarter) + dt.timedelta(days=character.delay_days[quarter - 1])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for info in catalog.board_targets(board):
        owner = info.owner(board)
        if owner is None or owner.role != "lead" or info.target.kind == "unassessed":
            continue  # supporters do not report; 只作公示 items have nothing to report
        if _start(info, year) > calendar.due(quarter):
            continue
        if _rng("omit", info.target.id, board).random() < character.omits:
            continue
        last_year = _last_year(previous, info.target.id, board)
        value = sample_value(info, board, on, year, character.effort, last_year)
        deadline = info.target.deadline
        if character.drops_unstarted and value in ("未完成", "0") and deadline and on < deadline:
            continue
        note = "示例数据" if value is not None else ""
        writer.writerow([info.target.id, info.campaign.name, value, on.isoformat(), note, ""])
    return buffer.getvalue()


def _start(info: TargetInfo, year: int) -> dt.date:
    target = info.target
    return target.start or (target.recurrence.start if target.recurrence else dt.date(year, 1, 1))


def _last_year(previous: Catalog | None, target_id: str, board: str) -> float | None:
    """The previous year's figure for the same target: a baseline target's floor."""
    if previous is None or target_id not in previous.targets:
        return None
    return previous.targets[target_id].quota_for(board)


def write_samples(catalogs: dict[int, Catalog], progress_dir: Path) -> int:
    """Write every board's sample reports for Q1–Q4 of every plan year; return the file count."""
    count = 0
    for year, catalog in sorted(catalogs.items()):
        for quarter in range(1, 5):
            for board in catalog.reporter_names():
                text = board_report(catalog, board, quarter, catalogs.get(year - 1))
                path = progress_dir / f"{year}Q{quarter}" / f"{board}.csv"
                if text is None:
                    path.unlink(missing_ok=True)
                    continue
                write_atomically(path, text.encode("utf-8-sig"))
                count += 1
    return count
