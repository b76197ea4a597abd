"""Pure functions from the evaluated plan to page contexts and chart specs (no I/O)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.common.formatting import (
    chinese_number,
    date_text,
    iso_date,
    metric_text,
    number,
    percent,
    score_text,
    short,
    when_text,
)
from generator.evaluate import (
    ATTENTION,
    STATUS_ORDER,
    Cell,
    Evaluation,
    Rollup,
    Status,
    rollup,
    worst_status,
)
from generator.evaluate.calendar import report_due
from generator.outputs.chart_spec import PALETTE, BarSeries, ChartSpec, missing_word

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
UPCOMING_DAYS = 60
HEAT_CELLS = 2000
"""Above this many campaign × board cells (a city, not a district: 8 × 40 = 320 here), the home
page's heat map has one row per category instead of per campaign, to keep the page light."""
HOME_OVERDUE = 30
"""Overdue items the home page lists (in board order); the rest are counted per board."""
HOME_OVERDUE_BOARDS = 60
"""Boards named on the home page's per-board overdue count line; the others are counted."""
SCORE_ROWS = 30
"""Above this many boards, a board page compares itself with the top ten and its neighbours
in the ranking rather than with every board (考核排名 lists them all)."""
ROLES = {"lead": "主办", "support": "配合"}


def source_path(md_path: str) -> str:
    """Where a page's Markdown is written: boards/x.md → boards/x/index.md.

    A page then sits in the folder its URL names, so a relative link in raw HTML means the same
    thing to MkDocs (which resolves it against the page's URL) and to Zensical (which resolves
    it against the Markdown file). Pages link to each other by their short names (x.md).
    """
    if md_path == "index.md" or md_path.endswith("/index.md"):
        return md_path
    return md_path.removesuffix(".md") + "/index.md"


def nav_sources(items, static: frozenset[str] = frozenset()):
    """The navigation with every generated page named by its source_path (the hand-written
    pages of docs/, `static`, stay where they are: they only hold Markdown links)."""
    if isinstance(items, list):
        return [nav_sources(item, static) for item in items]
    if isinstance(items, dict):
        return {title: nav_sources(value, static) for title, value in items.items()}
    if isinstance(items, str) and items.endswith(".md") and items not in static:
        return source_path(items)
    return items


@dataclass
class Page:
    """One Markdown page to render: where it goes, which template, and its context."""

    path: str
    template: str
    context: dict[str, Any]
    charts: list[ChartSpec] = field(default_factory=list)


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


def board_link(root: str, slug: str) -> str:
    return f"{root}boards/{slug}.md"


def unit_link(root: str, slug: str) -> str:
    return f"{root}units/{slug}.md"


def owner_link(root: str, cell: Cell) -> str:
    return board_link(root, cell.owner) if cell.is_board else unit_link(root, cell.owner)


def reporter_link(catalog, root: str, slug: str) -> str:
    """A reporter's page: a board's, or a reporting unit's (区局)."""
    return board_link(root, slug) if slug in catalog.boards else unit_link(root, slug)


def campaign_link(root: str, campaign_id: str) -> str:
    return f"{root}campaigns/{campaign_id}.md"


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


KIND_LABELS = {"milestone": "节点任务", "cumulative": "累计数", "level": "水平值",
               "limit": "红线", "recurring": "周期任务", "continuing": "持续性工作",
               "unassessed": "只作公示"}


def cell_row(ev: Evaluation, cell: Cell, root: str) -> dict[str, Any]:
    board = ev.catalog.boards.get(cell.owner)
    return {
        "board": board.short if board else cell.owner_name, "board_name": cell.owner_name,
        "board_link": owner_link(root, cell), "role": ROLES[cell.role],
        "quota": number(cell.quota), "expected": number(cell.expected),
        "actual": cell.actual_text + ("（旧）" if cell.stale else ""),
        "status": status_badge(cell.status), "reported_on": iso_date(cell.reported_on),
        "score": number(cell.score), "note": cell.note, "explanation": cell.explanation,
    }


# --- charts ----------------------------------------------------------------------------------

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


# --- pages -----------------------------------------------------------------------------------

def site_root(ev: Evaluation, root: str) -> str:
    """The relative path from a page to the site root (root is the path to its year's root)."""
    return root + "../" * ev.prefix.count("/")


def base_context(ev: Evaluation, settings, root: str) -> dict[str, Any]:
    site = site_root(ev, root)
    return {
        "root": root, "site_root": site, "year": ev.year, "as_of": date_text(ev.as_of),
        "judged_at": judged_at(ev), "buckets": buckets_context(),
        "sample": settings.sample_data, "sample_notice": settings.sample_notice,
        "plan_sample": ev.catalog.plan.sample,
        "guide_url": guide_url(settings),
        "downloads": None, "forms": None, "calendar": None,
        "statuses": [status_badge(s) for s in STATUS_ORDER],
        "report_day": ev.catalog.plan.notice.report_day,
        "years": [{"year": year, "sample": sample, "current": year == ev.year,
                   "link": f"{site}{year_prefix(ev, year)}index.md"}
                  for year, sample in ev.years],
    }


def judged_at(ev: Evaluation) -> str:
    """How old the data the statuses rest on is: the report day they are decided at."""
    if ev.point is None:
        first = report_due(ev.year, 1, ev.catalog.plan.notice.report_day)
        return f"第一季度报送日（{date_text(first)}）之前，尚无状态"
    if ev.point.closed:
        return f"状态按 {ev.year} 年全年（截至 {date_text(ev.point.date)}）核定"
    return f"状态按 {date_text(ev.point.date)} 应报的第{_pillar_no(ev.point.quarter)}季度报表核定"


def guide_url(settings) -> str | None:
    """The contribution guide in the repository, when the settings name one."""
    return f"{settings.repo_url.rstrip('/')}/blob/main/CONTRIBUTING.md" if settings.repo_url \
        else None


def year_prefix(ev: Evaluation, year: int) -> str:
    """Pages of the newest year live at the site root, older years under <year>/."""
    newest = max((y for y, _ in ev.years), default=ev.year)
    return "" if year == newest else f"{year}/"


def campaign_page(ev: Evaluation, settings, campaign_id: str, cases: Sequence = ()) -> Page:
    root = "../"
    catalog = ev.catalog
    campaign = catalog.campaigns[campaign_id]
    pillar, group = catalog.campaign_pillar[campaign_id], catalog.campaign_group[campaign_id]
    targets = []
    for target in campaign.targets:
        row = target_row(ev, target.id)
        row["cells"] = [cell_row(ev, cell, root) for cell in ev.by_target.get(target.id, [])]
        row["district_only"] = not row["cells"]
        targets.append(row)
    chart = campaign_chart(ev, campaign_id)
    context = {
        **base_context(ev, settings, root),
        "campaign": {"id": campaign.id, "name": campaign.name, "work": campaign.work or "",
                     "focus": campaign.focus or "", "contacts": "、".join(campaign.contacts),
                     "responsible": "、".join(_display_units(ev, campaign.responsible))},
        "pillar": {"name": pillar.name, "link": f"{root}pillars/{pillar.id}.md"},
        "group": group.name or "",
        "targets": targets,
        "rollup": rollup_row(rollup(ev.by_campaign.get(campaign_id, []))),
        "chart": chart_ref(site_root(ev, root), chart),
        "chart_rows": _chart_rows(chart),
        "cases": [case_link(case, site_root(ev, root)) for case in cases],
    }
    return Page(f"campaigns/{campaign_id}.md", "campaign.md.j2", context, [chart] if chart else [])


def _display_units(ev: Evaluation, names: Sequence[str]) -> list[str]:
    return [ev.catalog.boards[n].name if n in ev.catalog.boards else n for n in names]


def _chart_rows(chart: ChartSpec | None) -> dict[str, Any] | None:
    """The chart's numbers as a table, printed beside it."""
    if chart is None:
        return None
    rows = []
    for index, category in enumerate(chart.categories):
        cells = [missing_word(s, index) if s.values[index] is None else number(s.values[index])
                 for s in chart.series]
        rows.append({"label": category, "cells": cells})
    return {"headers": [s.label for s in chart.series], "rows": rows}


def case_link(case, site_root: str) -> dict[str, str]:
    return {"title": case.title, "link": f"{site_root}{case.page_path}",
            "board": case.board_name,
            "date": date_text(case.date), "summary": case.summary,
            "recommended": case.recommended}


def board_page(ev: Evaluation, settings, slug: str, cases: Sequence = ()) -> Page:
    root = "../"
    catalog = ev.catalog
    board = catalog.boards[slug]
    cells = ev.by_board.get(slug, [])
    sections, chart_names, chart_rollups = owner_sections(ev, cells, root)
    attention = attention_rows(sections)
    scores = ev.scores()
    chart = status_chart(f"board-{ev.year}-{slug}", f"{board.name}：各类别指标状态",
                         chart_names, chart_rollups,
                         f"{board.name}按四个类别统计的指标状态堆叠条形图，数据见下表")
    me = next(s for s in scores if s.slug == slug)
    board_rollup = rollup(cells)
    context = {
        **base_context(ev, settings, root),
        "board": {"slug": slug, "name": board.name, "short": board.short,
                  "aliases": "、".join(board.aliases)},
        "rollup": rollup_row(board_rollup),
        "tiles": owner_tiles(board_rollup, me, len(scores)),
        "lead_count": sum(1 for c in cells if c.role == "lead"),
        "support_count": sum(1 for c in cells if c.role == "support"),
        "brief": f"{root}brief/{slug}.md",
        "sections": sections,
        "attention": attention,
        "compliance": [_compliance_row(record) for record in ev.board_compliance(slug)],
        "scores": [_score_row(score, root, highlight=score.slug == slug)
                   for score in _compared_scores(scores, slug)],
        "me": _score_row(me, root),
        "chart": chart_ref(site_root(ev, root), chart),
        "chart_rows": _chart_rows(chart),
        "cases": [case_link(case, site_root(ev, root)) for case in cases],
    }
    return Page(f"boards/{slug}.md", "board.md.j2", context, [chart])


def owner_tiles(item: Rollup, score, boards: int) -> list[dict[str, str]]:
    """The figures a leader reads first. Rates stay neutral: only statuses carry a colour, so
    a low figure is never shown in a reassuring green."""
    counts = bucket_counts(item)
    rank = f"第 {score.rank} 名 / {boards}" if score.rank is not None else "暂无排名"
    severe = counts["overdue"] + counts["breached"]
    return [
        {"label": f"综合得分（{rank}）", "value": score_text(score.total), "cls": "score"},
        {"label": "需要关注", "value": str(item.attention),
         "cls": "behind" if item.attention else ""},
        {"label": "逾期未完成与突破红线", "value": str(severe), "cls": "overdue" if severe else ""},
        {"label": "未上报", "value": str(counts["not_reported"]),
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
        pillar_rollup = rollup(own)
        sections.append({"name": f"{_pillar_no(pillar.no)}、{pillar.name}",
                         "rows": [_board_target_row(ev, cell, root) for cell in own],
                         "rollup": rollup_row(pillar_rollup)})
        names.append(pillar.name)
        rollups.append(pillar_rollup)
    return sections, names, rollups


def attention_rows(sections: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows that need attention (突破红线, 逾期, 未上报, 滞后, 预警), worst first."""
    order = {status.value: index for index, status in enumerate(ATTENTION)}
    rows = [row for section in sections for row in section["rows"]
            if row["status"]["code"] in order]
    return sorted(rows, key=lambda row: order[row["status"]["code"]])


def brief_page(ev: Evaluation, settings, slug: str) -> Page:
    """一页纸: what a leader needs of one board on one A4 page; the full task list follows."""
    root = "../"
    board = ev.catalog.boards[slug]
    cells = ev.by_board.get(slug, [])
    sections, _, _ = owner_sections(ev, cells, root)
    scores = ev.scores()
    me = next(s for s in scores if s.slug == slug)
    context = {
        **base_context(ev, settings, root),
        "title": f"{board.name}工作进展一页纸", "board": {"name": board.name, "slug": slug},
        "page": board_link(root, slug),
        "tiles": owner_tiles(rollup(cells), me, len(scores)),
        "me": _score_row(me, root), "rollup": rollup_row(rollup(cells)),
        "attention": attention_rows(sections),
        "compliance": [_compliance_row(record) for record in ev.board_compliance(slug)],
        "sections": sections,
    }
    return Page(f"brief/{slug}.md", "brief.md.j2", context)


def district_brief_page(ev: Evaluation, settings) -> Page:
    """The district's 一页纸: the ranking, each board's figures, and the items already late."""
    root = "../"
    district = ev.district()
    counts = bucket_counts(district)
    late = [row for row in overdue_items(ev, root)]
    context = {
        **base_context(ev, settings, root),
        "title": f"全区{ev.year}年度工作进展一页纸",
        "district": {"done_rate": percent(district.done_rate), "attention": district.attention,
                     "total": district.total, "severe": counts["overdue"] + counts["breached"],
                     "not_reported": counts["not_reported"]},
        "rollup": rollup_row(district),
        "scores": [_score_row(score, root) for score in ev.scores()],
        "pillars": [{"no": _pillar_no(p.no), "name": p.name, "link": f"{root}pillars/{p.id}.md",
                     **rollup_row(rollup(ev.by_pillar.get(p.id, [])))}
                    for p in ev.catalog.plan.pillars],
        "compliance": compliance_matrix(ev, root),
        "late": late,
    }
    return Page("brief/index.md", "brief_district.md.j2", context)


def compliance_matrix(ev: Evaluation, root: str) -> list[dict[str, Any]]:
    """Per board: its four quarters' 按时 / 迟报 / 未报 / 未到期."""
    return [{"name": board.name, "link": board_link(root, slug),
             "quarters": [_compliance_row(r) for r in ev.board_compliance(slug)]}
            for slug, board in ev.catalog.boards.items()]


def unit_page(ev: Evaluation, settings, slug: str) -> Page:
    """A unit's page (区局, 市局 …): its targets; for a unit that reports, its record and score."""
    root = "../"
    cells = ev.by_unit.get(slug, [])
    name = cells[0].owner_name if cells else slug
    unit = ev.catalog.units.get(name)
    sections, _, _ = owner_sections(ev, cells, root)
    reports = bool(unit and unit.reports)
    score = next((s for s in ev.unit_scores() if s.slug == slug), None) if reports else None
    context = {
        **base_context(ev, settings, root),
        "unit": {"slug": slug, "name": name, "full_name": unit.full_name if unit else name,
                 "reports": reports},
        "rollup": rollup_row(rollup(cells)), "sections": sections,
        "attention": attention_rows(sections),
        "compliance": [_compliance_row(r) for r in ev.board_compliance(slug)] if reports else [],
        "me": _score_row(score, root, unit=True) if score else None,
    }
    return Page(f"units/{slug}.md", "unit.md.j2", context)


def _compared_scores(scores: Sequence, slug: str) -> list:
    """The ranking rows a board page shows: every board, or the top ten and its neighbours."""
    if len(scores) <= SCORE_ROWS:
        return list(scores)
    here = next(index for index, score in enumerate(scores) if score.slug == slug)
    return [score for index, score in enumerate(scores) if index < 10 or abs(index - here) <= 5]


def _board_target_row(ev: Evaluation, cell: Cell, root: str) -> dict[str, Any]:
    info = ev.catalog.targets[cell.target_id]
    return {**cell_row(ev, cell, root), "campaign": info.campaign.name,
            "campaign_link": campaign_link(root, info.campaign.id),
            "contacts": "、".join(info.campaign.contacts),
            "target": target_row(ev, cell.target_id)}


def _pillar_no(no: int) -> str:
    return chinese_number(no)


COMPLIANCE_CLASS = {"on_time": "done", "late": "behind", "missing": "overdue",
                    "not_due": "not-due"}


def _compliance_row(record) -> dict[str, str]:
    return {"quarter": f"第{_pillar_no(record.quarter)}季度", "due": iso_date(record.due),
            "submitted": iso_date(record.submitted_on) or "—",
            "status": record.status.label, "cls": COMPLIANCE_CLASS[record.status.value]}


def _score_row(score, root: str, highlight: bool = False, unit: bool = False
               ) -> dict[str, Any]:
    link = unit_link(root, score.slug) if unit else board_link(root, score.slug)
    return {**rollup_row(score.rollup),
            "rank": score.rank if score.rank is not None else "—", "name": score.name,
            "link": link,
            "task": score_text(score.task_score), "report": score_text(score.report_score),
            "total": score_text(score.total), "highlight": highlight}


def pillar_page(ev: Evaluation, settings, pillar_id: str) -> Page:
    root = "../"
    pillar = next(p for p in ev.catalog.plan.pillars if p.id == pillar_id)
    groups, names, rollups = [], [], []
    for group in pillar.groups:
        rows = []
        for campaign in group.campaigns:
            item = rollup(ev.by_campaign.get(campaign.id, []))
            rows.append({"name": campaign.name, "link": campaign_link(root, campaign.id),
                         "targets": len(campaign.targets), "contacts": "、".join(campaign.contacts),
                         "focus": campaign.focus or "", **rollup_row(item)})
            if item.total:
                names.append(short(campaign.name, 14))
                rollups.append(item)
        groups.append({"name": group.name or "", "rows": rows})
    chart = status_chart(f"pillar-{ev.year}-{pillar_id}", f"{pillar.name}：各专项指标状态",
                         names, rollups, f"{pillar.name}各专项指标状态堆叠条形图，数据见下表") \
        if rollups else None
    context = {
        **base_context(ev, settings, root),
        "pillar": {"no": _pillar_no(pillar.no), "name": pillar.name, "short": pillar.short},
        "groups": groups,
        "rollup": rollup_row(rollup(ev.by_pillar.get(pillar_id, []))),
        "chart": chart_ref(site_root(ev, root), chart), "chart_rows": _chart_rows(chart),
    }
    return Page(f"pillars/{pillar_id}.md", "pillar.md.j2", context, [chart] if chart else [])


def assessment_page(ev: Evaluation, settings) -> Page:
    root = ""
    scores = ev.scores()
    chart = status_chart(f"assessment-{ev.year}", "各板块指标状态", [s.name for s in scores],
                         [s.rollup for s in scores], "各板块指标状态堆叠条形图，数据见下表")
    context = {**base_context(ev, settings, root),
               "scores": [_score_row(score, root) for score in scores],
               "chart": chart_ref(site_root(ev, root), chart), "chart_rows": _chart_rows(chart),
               "scoring": scoring_context(ev)}
    return Page("assessment.md", "assessment.md.j2", context, [chart])


def scoring_context(ev: Evaluation) -> dict[str, Any]:
    """The plan's scoring, as the ranking and method pages print it."""
    scoring = ev.catalog.plan.scoring
    points = scoring.report_scores
    return {"task": number(round(scoring.task_weight * 100, 1)),
            "report": number(round(scoring.report_weight * 100, 1)),
            "late": number(round(scoring.late_factor * 100, 1)),
            "on_time": number(points.on_time), "late_report": number(points.late),
            "missing": number(points.missing), "ranking_date": date_text(ev.ranking_date)}


def home_page(ev: Evaluation, settings, cases: Sequence = ()) -> Page:
    root = ""
    catalog = ev.catalog
    district = ev.district()
    boards = list(catalog.boards.values())
    by_pillar = len(catalog.campaigns) * len(boards) > HEAT_CELLS
    if by_pillar:
        heat = _pillar_heat(ev, root)
    else:
        heat = [{"name": short(campaign.name, 16), "full": campaign.name,
                 "link": campaign_link(root, campaign.id),
                 "cells": [_heat_cell(ev.campaign_board(campaign.id, b.slug)) for b in boards]}
                for pillar in catalog.plan.pillars for group in pillar.groups
                for campaign in group.campaigns]
    overdue = overdue_items(ev, root)
    counts = bucket_counts(district)
    context = {
        **base_context(ev, settings, root),
        "district": {"done_rate": percent(district.done_rate), "attention": district.attention,
                     "severe": counts["overdue"] + counts["breached"]},
        "ranking": [_score_row(score, root) for score in ev.scores()],
        "tiles": _tiles(ev, district),
        "boards": [{"short": b.short, "link": board_link(root, b.slug)} for b in boards],
        "heat": heat,
        "heat_rows": "类别" if by_pillar else "重点专项",
        "board_count": chinese_number(len(boards)), "upcoming_days": UPCOMING_DAYS,
        "upcoming": upcoming_deadlines(ev, root),
        "overdue": overdue,
        "overdue_shown": overdue[:HOME_OVERDUE],
        "overdue_boards": _overdue_boards(overdue[HOME_OVERDUE:], ev, root)
        if len(overdue) > HOME_OVERDUE else None,
        "pillars": [{"no": _pillar_no(p.no), "name": p.name, "link": f"pillars/{p.id}.md",
                     **rollup_row(rollup(ev.by_pillar.get(p.id, [])))}
                    for p in catalog.plan.pillars],
        "notice": {"number": catalog.plan.notice.number, "title": catalog.plan.notice.title},
        "cases": [case_link(case, site_root(ev, root)) for case in cases[:6]],
    }
    return Page("index.md", "home.md.j2", context)


def _tiles(ev: Evaluation, district: Rollup) -> list[dict[str, str]]:
    catalog = ev.catalog
    counts = bucket_counts(district)
    return [
        {"label": "重点专项", "value": str(len(catalog.campaigns)), "cls": ""},
        {"label": "目标任务", "value": str(len(catalog.targets)), "cls": ""},
        {"label": "单元格（指标×承担单位）", "value": str(district.total), "cls": ""},
        {"label": "已完成率", "value": percent(district.done_rate), "cls": ""},
        {"label": "预警与滞后", "value": str(counts["at_risk"] + counts["behind"]),
         "cls": "behind"},
        {"label": "逾期与突破红线", "value": str(counts["overdue"] + counts["breached"]),
         "cls": "overdue"},
        {"label": "未上报", "value": str(counts["not_reported"]), "cls": "missing"},
    ]


def _pillar_heat(ev: Evaluation, root: str) -> list[dict[str, Any]]:
    """Heat map rows per category (pillar) × board, for plans too big for one row per campaign."""
    cells: dict[tuple[str, str], list[Cell]] = {}
    for cell in ev.cells:
        pillar = ev.catalog.targets[cell.target_id].pillar.id
        cells.setdefault((pillar, cell.owner), []).append(cell)
    return [{"name": short(f"{_pillar_no(p.no)}、{p.name}", 16), "full": p.name,
             "link": f"{root}pillars/{p.id}.md",
             "cells": [_heat_cell(cells.get((p.id, slug), [])) for slug in ev.catalog.boards]}
            for p in ev.catalog.plan.pillars]


def _heat_cell(cells: Sequence[Cell]) -> dict[str, str]:
    if not cells:
        return {"text": "", "cls": "none", "title": "不涉及"}
    item = rollup(cells)
    worst = worst_status(cells)
    text = f"{item.done}/{item.assessed}" if item.assessed else "—"
    title = "，".join(f"{s.label}{n}" for s, n in item.counts.items() if n)
    return {"text": text, "cls": status_badge(worst)["cls"], "title": title}


def upcoming_deadlines(ev: Evaluation, root: str) -> list[dict[str, object]]:
    """Targets whose deadline falls within the next UPCOMING_DAYS days after as_of."""
    horizon = ev.as_of + dt.timedelta(days=UPCOMING_DAYS)
    items = []
    for info in ev.catalog.targets.values():
        deadline = info.target.deadline
        if deadline and ev.as_of <= deadline <= horizon:
            items.append((deadline, info))
    items.sort(key=lambda pair: (pair[0], pair[1].target.id))
    return [{"date": date_text(d), "campaign": info.campaign.name,
             "link": campaign_link(root, info.campaign.id), "text": short(info.target.text, 50),
             "days": (d - ev.as_of).days} for d, info in items]


def overdue_items(ev: Evaluation, root: str) -> list[dict[str, str]]:
    """Every overdue or breached target × board, in board order, then plan order."""
    order = ev.catalog.board_order
    rows = []
    late = (Status.OVERDUE, Status.BREACHED)
    for cell in sorted((c for c in ev.cells if c.status in late and c.is_board),
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


def _overdue_boards(rest: Sequence[dict[str, str]], ev: Evaluation, root: str
                    ) -> dict[str, Any]:
    """The home page's line for the overdue items it does not list: how many, and per board
    (in board order, at most HOME_OVERDUE_BOARDS boards) how many, linking to the board page."""
    counts: dict[str, int] = {}
    for row in rest:
        counts[row["slug"]] = counts.get(row["slug"], 0) + 1
    boards = [{"name": ev.catalog.boards[slug].short, "link": board_link(root, slug), "count": n}
              for slug, n in counts.items()]
    return {"count": len(rest), "boards": boards[:HOME_OVERDUE_BOARDS],
            "other_boards": len(boards[HOME_OVERDUE_BOARDS:]),
            "other_count": sum(b["count"] for b in boards[HOME_OVERDUE_BOARDS:])}


def contacts_page(ev: Evaluation, settings) -> Page:
    """Per contact: their campaigns. Per board: whom it reports to, and for how many of its
    targets (the board page names the contact of each target)."""
    root = ""
    catalog = ev.catalog
    people = []
    for contact in catalog.directory.contacts:
        campaigns = [c for c in catalog.campaigns.values() if contact.name in c.contacts]
        people.append({"name": contact.name, "kind": contact.kind, "unit": contact.unit,
                       "campaigns": [{"name": c.name, "link": campaign_link(root, c.id)}
                                     for c in campaigns]})
    rank = {contact.name: index for index, contact in enumerate(catalog.directory.contacts)}
    counts: dict[str, dict[str, int]] = {slug: {} for slug in catalog.boards}
    for info in catalog.targets.values():  # one pass over targets × their boards
        for slug in info.boards:
            tally = counts.setdefault(slug, {})
            for name in info.campaign.contacts:
                tally[name] = tally.get(name, 0) + 1
    boards = []
    for board in catalog.boards.values():
        tally = counts[board.slug]
        names = sorted(tally, key=lambda name: (-tally[name], rank.get(name, len(rank)), name))
        boards.append({"name": board.name, "slug": board.slug,
                       "link": board_link(root, board.slug),
                       "contacts": [{"name": name, "count": tally[name]} for name in names]})
    context = {**base_context(ev, settings, root), "people": people, "boards": boards,
               "report_day": catalog.plan.notice.report_day}
    return Page("contacts.md", "contacts.md.j2", context)


def notice_page(ev: Evaluation, settings) -> Page:
    notice = ev.catalog.plan.notice
    context = {**base_context(ev, settings, ""), "notice": notice,
               "requirements": [{"no_text": chinese_number(r.no), "title": r.title,
                                 "text": r.text} for r in notice.requirements],
               "date": date_text(notice.date), "recipients": "、".join(notice.recipients),
               "pillars": [{"no": _pillar_no(p.no), "name": p.name, "link": f"pillars/{p.id}.md"}
                           for p in ev.catalog.plan.pillars]}
    return Page("notice.md", "notice.md.j2", context)


def all_pages(ev: Evaluation, settings, cases_by_campaign=None, cases_by_board=None,
              latest_cases: Sequence = ()) -> list[Page]:
    """Every page of one year's portal, in a stable order."""
    cases_by_campaign = cases_by_campaign or {}
    cases_by_board = cases_by_board or {}
    pages = [home_page(ev, settings, latest_cases), notice_page(ev, settings),
             assessment_page(ev, settings), contacts_page(ev, settings)]
    pages += [pillar_page(ev, settings, p.id) for p in ev.catalog.plan.pillars]
    pages += [campaign_page(ev, settings, cid, cases_by_campaign.get(cid, ()))
              for cid in ev.catalog.campaigns]
    pages += [board_page(ev, settings, slug, cases_by_board.get(slug, ()))
              for slug in ev.catalog.boards]
    pages += [unit_page(ev, settings, slug) for slug in ev.by_unit]
    pages += [district_brief_page(ev, settings)]
    pages += [brief_page(ev, settings, slug) for slug in ev.catalog.boards]
    return pages
