"""Small pure helpers that turn model values into the words the pages print."""

from __future__ import annotations

import datetime as dt

from generator.inputs.catalog import TargetInfo
from generator.inputs.models import Metric, Recurrence, Target

EVERY = {"day": "每日", "month": "每月", "quarter": "每季度", "year": "每年"}
OPS = {">=": "不少于", "<=": "不超过", "==": "等于"}


def iso_date(day: dt.date | None) -> str:
    """Compact date for table cells (2023-06-25), which must stay narrow on A4."""
    return day.isoformat() if day else ""


def date_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def recurrence_text(recurrence: Recurrence | None) -> str:
    if recurrence is None:
        return ""
    text = f"{date_text(recurrence.start)}起{EVERY[recurrence.every]}"
    if recurrence.times > 1:
        text += f"不少于{recurrence.times}次"
    if recurrence.end:
        text += f"，至{date_text(recurrence.end)}"
    return text


def when_text(target: Target) -> str:
    """One phrase saying when a target is due: a date, a rhythm, or 持续."""
    parts = []
    if target.start and not target.recurrence:
        parts.append(f"{date_text(target.start)}起")
    if target.recurrence:
        parts.append(recurrence_text(target.recurrence))
    if target.deadline:
        parts.append(f"{date_text(target.deadline)}前")
    return "，".join(parts) or "全年持续"


def number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}"


def score_text(value: float | None) -> str:
    """A score with one decimal always (93.0 beside 96.9, not 93), "—" when there is none."""
    return "—" if value is None else f"{value:.1f}"


def metric_text(metric: Metric | None) -> str:
    if metric is None:
        return "—"
    if metric.kind == "done":
        return "完成即可"
    value = "按板块分配" if metric.value is None else f"{number(metric.value)}{metric.unit or ''}"
    text = f"{OPS[metric.op]} {value}"
    if metric.total is not None:
        text += f"（全区合计 {number(metric.total)}{metric.unit or ''}）"
    return text


def board_goal(info: TargetInfo, board: str) -> str:
    """The words for what one board must reach: 不少于 25家, 完成即可, or the baseline."""
    metric = info.target.metric
    if metric is None or metric.kind == "done":
        return "完成即可"
    quota = info.quota_for(board)
    if quota is None:
        return info.target.baseline.description if info.target.baseline else metric_text(metric)
    return f"{OPS[metric.op]} {number(quota)}{metric.unit or ''}"


def percent(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
