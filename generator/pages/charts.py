"""The chart specs the pages show, and each chart's numbers as the table printed beside it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.common.formatting import number
from generator.evaluate import Cell, Evaluation, Rollup, Status
from generator.outputs.chart_spec import PALETTE, BarSeries, ChartSpec, missing_word
from generator.pages.rows import BUCKETS, bucket_counts


def progress_share(cell: Cell) -> float | None:
    """How far a board has come on one target, in percent of its quota (None when unreported)."""
    if cell.reported_on is None or cell.status is Status.NOT_APPLICABLE:
        return None
    if cell.done is not None:
        return 100.0 if cell.done else 0.0
    if cell.quota in (None, 0) or cell.actual is None:
        return 100.0 if cell.status in (Status.DONE, Status.DONE_LATE) else 0.0
    return round(min(cell.actual / cell.quota, 1.5) * 100, 1)


def campaign_chart(ev: Evaluation, campaign_id: str) -> ChartSpec | None:
    campaign = ev.catalog.campaigns[campaign_id]
    infos = [ev.catalog.targets[t.id] for t in campaign.targets if ev.by_target.get(t.id)]
    infos = [info for info in infos if info.target.kind not in ("limit", "unassessed")]
    concerned = {slug for info in infos for slug in info.boards}
    boards = sorted(concerned, key=ev.catalog.board_order.__getitem__)
    if not infos or not boards:
        return None
    series = []
    for index, info in enumerate(infos[:6]):
        values = tuple(_share_or_none(ev, info.target.id, slug) for slug in boards)
        missing = tuple("" if slug in info.boards else "不涉及" for slug in boards)
        label = f"指标 {info.target.no or index + 1}"
        series.append(BarSeries(label, values, PALETTE[index % len(PALETTE)], missing))
    names = tuple(ev.catalog.boards[slug].short for slug in boards)
    return ChartSpec(
        name=f"campaign-{ev.year}-{campaign_id}", kind="hbar",
        title=f"{campaign.name}：各板块完成进度", categories=names, series=tuple(series),
        xlabel="完成进度（占目标的百分比）", xmax=100, reference=100, reference_label="目标",
        alt=f"{campaign.name}各板块完成进度条形图，数据见下表",
    )


def _share_or_none(ev: Evaluation, target_id: str, board: str) -> float | None:
    cell = ev.cell(target_id, board)
    return progress_share(cell) if cell else None


def status_chart(name: str, title: str, categories: Sequence[str],
                 rollups: Sequence[Rollup], alt: str) -> ChartSpec:
    counts = [bucket_counts(r) for r in rollups]
    series = tuple(BarSeries(b.label, tuple(float(c[b.key]) for c in counts), b.color)
                   for b in BUCKETS)
    return ChartSpec(name=name, kind="stacked_hbar", title=title, categories=tuple(categories),
                     series=series, xlabel="指标数（指标 × 板块）", alt=alt)


def chart_ref(site_root: str, spec: ChartSpec | None) -> dict[str, str] | None:
    """Charts of every year share assets/charts/ at the site root; their names carry the year."""
    if spec is None:
        return None
    return {"name": spec.name, "src": f"{site_root}assets/charts/{spec.name}.svg",
            "alt": spec.alt, "title": spec.title}


def chart_rows(chart: ChartSpec | None) -> dict[str, Any] | None:
    """The chart's numbers as a table, printed beside it."""
    if chart is None:
        return None
    rows = []
    for index, category in enumerate(chart.categories):
        cells = [missing_word(s, index) if s.values[index] is None else number(s.values[index])
                 for s in chart.series]
        rows.append({"label": category, "cells": cells})
    return {"headers": [s.label for s in chart.series], "rows": rows}
