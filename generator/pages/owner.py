"""What a board's and a unit's pages share: their target rows by pillar, what needs attention,
the figures a leader reads first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.common.formatting import percent, score_text
from generator.common.numerals import chinese_number
from generator.evaluate import ATTENTION, Cell, Evaluation, Rollup
from generator.pages.links import campaign_link
from generator.pages.rows import (
    bucket_counts,
    cell_row,
    rollup_row,
    severe_count,
    status_words,
    target_row,
)


def owner_tiles(item: Rollup, score, boards: int) -> list[dict[str, str]]:
    """The figures a leader reads first. Rates stay neutral: only statuses carry a colour, so
    a low figure is never shown in a reassuring green."""
    counts = bucket_counts(item)
    words = status_words()
    rank = f"第 {score.rank} 名 / {boards}" if score.rank is not None else "暂无排名"
    severe = severe_count(item)
    return [
        {"label": f"综合得分（{rank}）", "value": score_text(score.total), "cls": "score"},
        {"label": "需要关注", "value": str(item.attention),
         "cls": "behind" if item.attention else ""},
        {"label": words["severe"], "value": str(severe), "cls": "overdue" if severe else ""},
        {"label": words["not_reported"], "value": str(counts["not_reported"]),
         "cls": "missing" if counts["not_reported"] else ""},
        {"label": "已完成率", "value": percent(item.done_rate), "cls": ""},
        {"label": "承担指标", "value": str(item.total), "cls": ""},
    ]


def owner_sections(ev: Evaluation, cells: Sequence[Cell], root: str
                   ) -> tuple[list[dict[str, Any]], list[str], list[Rollup]]:
    """An owner's target rows by pillar, with each pillar's rollup (and the chart's inputs)."""
    catalog = ev.catalog
    sections, names, rollups = [], [], []
    for pillar in catalog.plan.pillars:
        own = [c for c in cells if catalog.targets[c.target_id].pillar.id == pillar.id]
        if not own:
            continue
        pillar_rollup = ev.rollup_of(pillar=pillar.id, owner=own[0].owner)
        sections.append({"name": f"{chinese_number(pillar.no)}、{pillar.name}",
                         "rows": [owner_target_row(ev, cell, root) for cell in own],
                         "rollup": rollup_row(pillar_rollup)})
        names.append(pillar.name)
        rollups.append(pillar_rollup)
    return sections, names, rollups


def owner_target_row(ev: Evaluation, cell: Cell, root: str) -> dict[str, Any]:
    info = ev.catalog.targets[cell.target_id]
    return {**cell_row(ev, cell, root), "campaign": info.campaign.name,
            "campaign_link": campaign_link(root, info.campaign.id),
            "contacts": "、".join(info.campaign.contacts),
            "target": target_row(ev, cell.target_id)}


def attention_rows(sections: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows that need attention (突破红线, 逾期, 未上报, 滞后, 预警), worst first."""
    order = {status.value: index for index, status in enumerate(ATTENTION)}
    rows = [row for section in sections for row in section["rows"]
            if row["status"]["code"] in order]
    return sorted(rows, key=lambda row: order[row["status"]["code"]])
