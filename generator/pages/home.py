"""首页: the district at a glance — ranking, tiles, the heat map, what is due and what is late."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from generator.common.formatting import date_text, percent, short
from generator.common.numerals import chinese_number
from generator.evaluate import Evaluation, Rollup
from generator.pages.base import base_context
from generator.pages.layout import SiteLayout
from generator.pages.links import board_link, campaign_link, pillar_link
from generator.pages.page import Page, PageKind
from generator.pages.rows import (
    bucket_counts,
    bucket_label,
    case_link,
    listed,
    overdue_items,
    rollup_row,
    score_row,
    severe_count,
    status_badge,
    status_words,
)

UPCOMING_DAYS = 60
HEAT_CELLS = 2000
"""Above this many campaign × board cells (a city, not a district: 8 × 40 = 320 here), the home
page's heat map has one row per category instead of per campaign, to keep the page light."""
HOME_OVERDUE = 30
"""Overdue items the home page lists (in board order); the rest are counted per board."""
HOME_OVERDUE_BOARDS = 60
"""Boards named on the home page's per-board overdue count line; the others are counted."""


def home_page(ev: Evaluation, layout: SiteLayout, settings, cases: Sequence = ()) -> Page:
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
                 "cells": [_heat_cell(ev.rollup_of(campaign=campaign.id, owner=b.slug))
                           for b in boards]}
                for pillar in catalog.plan.pillars for group in pillar.groups
                for campaign in group.campaigns]
    overdue = overdue_items(ev, root)
    context = {
        **base_context(ev, layout, settings, root),
        "district": {"done_rate": percent(district.done_rate), "attention": district.attention,
                     "severe": severe_count(district)},
        "ranking": [score_row(score, root) for score in ev.scores()],
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
        "pillars": [{"no": chinese_number(p.no), "name": p.name, "link": pillar_link(root, p.id),
                     **rollup_row(ev.rollup_of(pillar=p.id))}
                    for p in catalog.plan.pillars],
        "notice": {"number": catalog.plan.notice.number, "title": catalog.plan.notice.title},
        "cases": [case_link(case, layout.site_root(root)) for case in cases[:6]],
    }
    return Page(layout.path("index.md"), PageKind.HOME, context)


def _tiles(ev: Evaluation, district: Rollup) -> list[dict[str, str]]:
    catalog = ev.catalog
    counts = bucket_counts(district)
    words = status_words()
    return [
        {"label": "重点专项", "value": str(len(catalog.campaigns)), "cls": ""},
        {"label": "目标任务", "value": str(len(catalog.targets)), "cls": ""},
        {"label": "单元格（指标×承担单位）", "value": str(district.total), "cls": ""},
        {"label": "已完成率", "value": percent(district.done_rate), "cls": ""},
        {"label": listed([bucket_label("at_risk"), bucket_label("behind")], "与"),
         "value": str(counts["at_risk"] + counts["behind"]), "cls": "behind"},
        {"label": words["late"], "value": str(severe_count(district)), "cls": "overdue"},
        {"label": words["not_reported"], "value": str(counts["not_reported"]), "cls": "missing"},
    ]


def _pillar_heat(ev: Evaluation, root: str) -> list[dict[str, Any]]:
    """Heat map rows per category (pillar) × board, for plans too big for one row per campaign."""
    return [{"name": short(f"{chinese_number(p.no)}、{p.name}", 16), "full": p.name,
             "link": pillar_link(root, p.id),
             "cells": [_heat_cell(ev.rollup_of(pillar=p.id, owner=slug))
                       for slug in ev.catalog.boards]}
            for p in ev.catalog.plan.pillars]


def _heat_cell(item: Rollup) -> dict[str, str]:
    if not item.total:
        return {"text": "", "cls": "none", "title": "不涉及"}
    worst = item.worst
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
