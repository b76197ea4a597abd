"""Status badges, the summary columns (buckets) and the table rows several pages share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.common.formatting import (
    date_text,
    iso_date,
    metric_text,
    number,
    percent,
    score_text,
    short,
    when_text,
)
from generator.common.numerals import quarter_name
from generator.evaluate import ATTENTION, Cell, Evaluation, Rollup, Status
from generator.evaluate.calendar import QUARTERS
from generator.pages.links import board_link, campaign_link, owner_link, unit_link

STATUS_COLORS = {
    Status.DONE: "#1a9850", Status.DONE_LATE: "#91cf60", Status.ON_TRACK: "#4575b4",
    Status.COMPLIANT: "#4575b4", Status.AT_RISK: "#fee08b", Status.BEHIND: "#f28e2b",
    Status.OVERDUE: "#d73027", Status.BREACHED: "#8b0000", Status.NOT_REPORTED: "#6b6b6b",
    Status.NOT_DUE: "#c7c7c7", Status.NOT_APPLICABLE: "#e8e8e8",
}


@dataclass(frozen=True)
class Bucket:
    """A column of the summary tables and charts: one or more statuses counted together."""

    key: str
    label: str
    statuses: tuple[Status, ...]
    color: str


BUCKETS = (
    Bucket("done", "已完成", (Status.DONE, Status.DONE_LATE), STATUS_COLORS[Status.DONE]),
    Bucket("progress", "进行中", (Status.ON_TRACK, Status.COMPLIANT),
           STATUS_COLORS[Status.ON_TRACK]),
    Bucket("at_risk", "预警", (Status.AT_RISK,), STATUS_COLORS[Status.AT_RISK]),
    Bucket("behind", "滞后", (Status.BEHIND,), STATUS_COLORS[Status.BEHIND]),
    Bucket("overdue", "逾期", (Status.OVERDUE,), STATUS_COLORS[Status.OVERDUE]),
    Bucket("breached", "突破红线", (Status.BREACHED,), STATUS_COLORS[Status.BREACHED]),
    Bucket("not_reported", "未上报", (Status.NOT_REPORTED,), STATUS_COLORS[Status.NOT_REPORTED]),
    Bucket("waiting", "未到期/不评估", (Status.NOT_DUE, Status.NOT_APPLICABLE),
           STATUS_COLORS[Status.NOT_DUE]),
)
"""The summary tables' and charts' columns; 已完成 includes 逾期完成, 进行中 includes 守住红线."""
SEVERE = (Status.OVERDUE, Status.BREACHED)
"""Already late: the home page, the briefs and a board's tiles count these together."""
ROLES = {"lead": "主办", "support": "配合"}
KIND_LABELS = {"milestone": "节点任务", "cumulative": "累计数", "level": "水平值",
               "limit": "红线", "recurring": "周期任务", "continuing": "持续性工作",
               "unassessed": "只作公示"}
COMPLIANCE_CLASS = {"on_time": "done", "late": "behind", "missing": "overdue",
                    "not_due": "not-due"}


def listed(words: Sequence[str], last: str = "和") -> str:
    """Words as a Chinese list: 突破红线、逾期未完成、未上报、滞后和预警."""
    if len(words) < 2:
        return "".join(words)
    return "、".join(words[:-1]) + last + words[-1]


def status_words() -> dict[str, str]:
    """The status names the pages' sentences print, from the statuses' and buckets' labels:
    each status by its code, and the groups (severe: 逾期未完成与突破红线, late: the buckets'
    逾期与突破红线, attention: what a board page lists under 需要关注)."""
    severe = [status.label for status in SEVERE]
    late = [bucket.label for bucket in BUCKETS if set(bucket.statuses) <= set(SEVERE)]
    return {**{status.value: status.label for status in Status},
            "severe": listed(severe, "与"), "severe_or": listed(severe, "或"),
            "late": listed(late, "与"), "late_or": listed(late, "或"),
            "attention": listed([status.label for status in ATTENTION])}


def bucket_label(key: str) -> str:
    return next(bucket.label for bucket in BUCKETS if bucket.key == key)


def severe_count(item: Rollup) -> int:
    return sum(item.counts[status] for status in SEVERE)


def quarter_names() -> list[str]:
    return [quarter_name(quarter) for quarter in QUARTERS]


def status_badge(status: Status | None) -> dict[str, str]:
    if status is None:
        return {"text": "—", "cls": "none", "code": ""}
    return {"text": status.label, "cls": status.value.replace("_", "-"), "code": status.value}


def bucket_counts(item: Rollup) -> dict[str, int]:
    """Counts per summary column (see BUCKETS), keyed by the column's key."""
    return {b.key: sum(item.counts[status] for status in b.statuses) for b in BUCKETS}


def rollup_row(item: Rollup) -> dict[str, Any]:
    return {"counts": bucket_counts(item), "total": item.total, "assessed": item.assessed,
            "done_rate": percent(item.done_rate), "attention": item.attention}


def buckets_context() -> list[dict[str, str]]:
    return [{"key": b.key, "label": b.label} for b in BUCKETS]


def target_row(ev: Evaluation, target_id: str) -> dict[str, Any]:
    info = ev.catalog.targets[target_id]
    target = info.target
    quotas = [f"{ev.catalog.boards[slug].short} {number(value)}"
              for slug, value in target.quotas.items()]
    return {
        "id": target.id, "no": target.no or "", "text": target.text, "when": when_text(target),
        "metric": metric_text(target.metric), "quotas": "，".join(quotas),
        "owners": "、".join(ev.catalog.responsible(info, "lead")) or "—",
        "support": "、".join(ev.catalog.responsible(info, "support")),
        "kind": KIND_LABELS.get(target.kind or "", ""),
        "baseline": target.baseline.description if target.baseline else "",
        "note": target.note or "",
    }


def cell_row(ev: Evaluation, cell: Cell, root: str) -> dict[str, Any]:
    board = ev.catalog.boards.get(cell.owner)
    return {
        "board": board.short if board else cell.owner_name, "board_name": cell.owner_name,
        "board_link": owner_link(root, cell), "role": ROLES[cell.role],
        "support": cell.role == "support",
        "quota": number(cell.quota), "expected": number(cell.expected),
        "actual": cell.actual_shown(),
        "status": status_badge(cell.status), "reported_on": iso_date(cell.reported_on),
        "score": number(cell.score), "note": cell.note, "explanation": cell.explanation,
    }


def case_link(case, site_root: str) -> dict[str, str]:
    return {"title": case.title, "link": f"{site_root}{case.page_path}",
            "board": case.board_name,
            "date": date_text(case.date), "summary": case.summary,
            "recommended": case.recommended}


def compliance_row(record) -> dict[str, str]:
    return {"quarter": quarter_name(record.quarter), "due": iso_date(record.due),
            "submitted": iso_date(record.submitted_on) or "—",
            "submitted_on": iso_date(record.submitted_on),
            "status": record.status.label, "cls": COMPLIANCE_CLASS[record.status.value]}


def score_row(score, root: str, highlight: bool = False, unit: bool = False) -> dict[str, Any]:
    link = unit_link(root, score.slug) if unit else board_link(root, score.slug)
    return {**rollup_row(score.rollup),
            "rank": score.rank if score.rank is not None else "—", "name": score.name,
            "link": link,
            "task": score_text(score.task_score), "report": score_text(score.report_score),
            "total": score_text(score.total), "highlight": highlight}


def overdue_items(ev: Evaluation, root: str) -> list[dict[str, str]]:
    """Every overdue or breached target × board, in board order, then plan order."""
    order = ev.catalog.board_order
    rows = []
    for cell in sorted((c for c in ev.cells if c.status in SEVERE and c.is_board),
                       key=lambda c: order[c.board]):  # stable: plan order within a board
        info = ev.catalog.targets[cell.target_id]
        rows.append({"board": ev.catalog.boards[cell.board].short,
                     "slug": cell.board,
                     "board_link": board_link(root, cell.board),
                     "campaign": info.campaign.name,
                     "link": campaign_link(root, info.campaign.id),
                     "text": short(info.target.text, 40), "full_text": info.target.text,
                     "explanation": cell.explanation})
    return rows
