"""考核排名: every board's score and rank, the status of its cells, and how scores are made."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.common.formatting import date_text, number
from generator.evaluate import Compliance, Evaluation
from generator.evaluate.model import FULL_SCORE, ITEM_WEIGHT
from generator.pages.base import base_context
from generator.pages.charts import chart_ref, chart_rows, status_chart
from generator.pages.layout import SiteLayout
from generator.pages.page import Page, PageKind
from generator.pages.rows import score_row


def assessment_page(ev: Evaluation, layout: SiteLayout, settings,
                    bulletins: Sequence[dict[str, str]] = ()) -> Page:
    """The ranking; `bulletins` links the quarterly bulletins (Word) made for this year."""
    root = ""
    scores = ev.scores()
    chart = status_chart(f"assessment-{ev.year}", "各板块指标状态", [s.name for s in scores],
                         [s.rollup for s in scores], "各板块指标状态堆叠条形图，数据见下表")
    context = {**base_context(ev, layout, settings, root),
               "scores": [score_row(score, root) for score in scores],
               "chart": chart_ref(layout.site_root(root), chart), "chart_rows": chart_rows(chart),
               "scoring": scoring_context(ev), "bulletins": list(bulletins)}
    return Page(layout.path("assessment.md"), PageKind.ASSESSMENT, context, [chart])


def scoring_context(ev: Evaluation) -> dict[str, Any]:
    """The plan's scoring, as the ranking and method pages print it."""
    scoring = ev.catalog.plan.scoring
    points = scoring.report_scores
    return {"task": number(round(scoring.task_weight * 100, 1)),
            "report": number(round(scoring.report_weight * 100, 1)),
            "late": number(round(scoring.late_factor * 100, 1)),
            "report_points": [{"label": Compliance.ON_TIME.label, "points": number(points.on_time)},
                              {"label": Compliance.LATE.label, "points": number(points.late)},
                              {"label": Compliance.MISSING.label,
                               "points": number(points.missing)}],
            "full": number(FULL_SCORE), "item_weight": number(ITEM_WEIGHT),
            "ranking_date": date_text(ev.ranking_date)}
