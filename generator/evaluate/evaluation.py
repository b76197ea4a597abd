"""Evaluate a plan year once: every cell, compliance record, score and rank, indexed for pages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from generator.evaluate import tables
from generator.evaluate.calendar import Point, ReportCalendar, periods_completed
from generator.evaluate.model import ITEM_WEIGHT, Cell, Judgement, Rollup, Status, rollup
from generator.evaluate.observations import Reported, collect
from generator.evaluate.rules import Subject, judge
from generator.evaluate.scores import (
    ComplianceRecord,
    OwnerScore,
    compliance,
    owner_score,
    ranked,
)
from generator.inputs.catalog import Catalog, Owner, TargetInfo

if TYPE_CHECKING:
    import pandas as pd

EMPTY = rollup(())
"""The rollup of no cells."""


@dataclass
class Evaluation:
    catalog: Catalog
    as_of: dt.date
    point: Point | None
    """The evaluation point every status is decided at (None before the first report day)."""
    cells: list[Cell]
    compliance: list[ComplianceRecord]
    by_board: dict[str, list[Cell]] = field(default_factory=dict)
    by_unit: dict[str, list[Cell]] = field(default_factory=dict)
    by_target: dict[str, list[Cell]] = field(default_factory=dict)
    by_campaign: dict[str, list[Cell]] = field(default_factory=dict)
    by_pillar: dict[str, list[Cell]] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.catalog.plan.year

    @property
    def ranking_date(self) -> dt.date | None:
        return self.point.date if self.point else None

    def cell(self, target_id: str, owner: str) -> Cell | None:
        return self._cell_index.get((target_id, owner))

    def district(self) -> Rollup:
        return self.rollup_of()

    def rollup_of(self, *, pillar: str | None = None, campaign: str | None = None,
                  owner: str | None = None) -> Rollup:
        """Status counts of the cells of a pillar, a campaign, an owner (board or unit), or a
        pair of them (campaign and owner: one cell of the board × campaign matrix); of every
        cell when none is given. Cells nobody holds count 0 (a Rollup whose total is 0)."""
        wanted = {"pillar": pillar, "campaign": campaign, "owner": owner}
        keys = tuple(key for key in tables.KEYS if wanted[key] is not None)
        values = tuple(wanted[key] for key in keys)
        found = self._rollups(keys).get(values[0] if len(values) == 1 else values)
        return found if found is not None else EMPTY

    def board_compliance(self, owner: str) -> list[ComplianceRecord]:
        return list(self._compliance_index.get(owner, ()))

    def scores(self) -> list[OwnerScore]:
        """Board scores, ranked: higher total first, ties share a rank, then directory order."""
        return list(self._ranked_scores)

    def unit_scores(self) -> list[OwnerScore]:
        """Scores of the reporting units (区局): shown on their page, not ranked with boards."""
        return [self._score(slug, name) for slug, name in self._reporting_units().items()]

    def _reporting_units(self) -> dict[str, str]:
        return {slug: name for slug, name in self.catalog.reporter_names().items()
                if slug not in self.catalog.boards}

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The cells as one pandas frame (see generator.evaluate.tables), built on first use."""
        return tables.cells_frame(self.cells, self.catalog)

    @cached_property
    def _rollup_cache(self) -> dict[tuple[str, ...], dict[Any, Rollup]]:
        return {}

    def _rollups(self, keys: tuple[str, ...]) -> dict[Any, Rollup]:
        """Every rollup by these keys (see tables.KEYS), counted once per evaluation."""
        if keys not in self._rollup_cache:
            self._rollup_cache[keys] = tables.rollups(self.frame, keys)
        return self._rollup_cache[keys]

    @cached_property
    def _cell_index(self) -> dict[tuple[str, str], Cell]:
        return {(cell.target_id, cell.owner): cell for cell in self.cells}

    @cached_property
    def _compliance_index(self) -> dict[str, list[ComplianceRecord]]:
        index: dict[str, list[ComplianceRecord]] = defaultdict(list)
        for record in self.compliance:
            index[record.owner].append(record)
        return dict(index)

    @cached_property
    def _ranked_scores(self) -> list[OwnerScore]:
        scores = [self._score(slug, board.name) for slug, board in self.catalog.boards.items()]
        return ranked(scores, self.catalog.board_order)

    def _score(self, slug: str, name: str) -> OwnerScore:
        cells = self.by_board.get(slug) or self.by_unit.get(slug) or []
        return owner_score(slug, name, cells, self.board_compliance(slug),
                           self.catalog.plan.scoring, self.rollup_of(owner=slug))


# --- building it --------------------------------------------------------------------------------

def evaluate(catalog: Catalog, reports: Sequence, as_of: dt.date,
             baselines: Mapping[tuple[str, str], float] | None = None) -> Evaluation:
    """Evaluate every target × owner of one plan year at the evaluation point of as_of."""
    plan = catalog.plan
    calendar = ReportCalendar(plan.year, plan.notice.report_day)
    point = calendar.point_at(as_of)
    reported = collect(reports, plan.year, as_of)
    weights = default_weights(catalog)
    cells = [evaluate_cell(info, owner, point, calendar, reported,
                           (baselines or {}).get((info.target.id, owner.slug)),
                           weights.get((info.target.id, owner.slug), 0.0), catalog)
             for info in catalog.targets.values() for owner in info.owners]
    records = compliance(catalog.reporter_names(), reported.submitted, calendar, as_of)
    evaluation = Evaluation(catalog, as_of, point, cells, records)
    _index(evaluation)
    return evaluation


def _index(evaluation: Evaluation) -> None:
    catalog = evaluation.catalog
    indexes: dict[str, dict[str, list[Cell]]] = {name: defaultdict(list) for name in (
        "board", "unit", "target", "campaign", "pillar")}
    for cell in evaluation.cells:
        info = catalog.targets[cell.target_id]
        indexes["board" if cell.is_board else "unit"][cell.owner].append(cell)
        indexes["target"][cell.target_id].append(cell)
        indexes["campaign"][info.campaign.id].append(cell)
        indexes["pillar"][info.pillar.id].append(cell)
    evaluation.by_board, evaluation.by_unit = dict(indexes["board"]), dict(indexes["unit"])
    evaluation.by_target = dict(indexes["target"])
    evaluation.by_campaign, evaluation.by_pillar = (dict(indexes["campaign"]),
                                                    dict(indexes["pillar"]))


def default_weights(catalog: Catalog) -> dict[tuple[str, str], float]:
    """(target, owner) -> weight of each lead cell: a printed item weighs 1 for each owner that
    leads it, shared by the parts that owner leads; a weight in the plan replaces it."""
    parts: dict[tuple[str, str], list[TargetInfo]] = defaultdict(list)
    for info in catalog.targets.values():
        for owner in info.owners:
            if owner.role == "lead" and info.target.kind != "unassessed":
                parts[info.item, owner.slug].append(info)
    weights = {}
    for (_, slug), infos in parts.items():
        for info in infos:
            weight = info.target.weight
            weights[info.target.id, slug] = ITEM_WEIGHT / len(infos) if weight is None else weight
    return weights


def evaluate_cell(info: TargetInfo, owner: Owner, point: Point | None,
                  calendar: ReportCalendar, reported: Reported, baseline: float | None,
                  weight: float, catalog: Catalog) -> Cell:
    target = info.target
    kind = target.kind or "milestone"
    goal = _goal(info, owner.slug, baseline)
    history = reported.history(target.id, owner.slug, point.quarter if point else 0)
    judgement = _judgement(info, owner, kind, goal, point, calendar, reported, history,
                           catalog.plan.scoring.late_factor)
    latest = history[-1] if history else None
    stale = latest is not None and point is not None and latest.quarter < point.quarter and \
        judgement.status is Status.NOT_REPORTED
    scored = owner.role == "lead" and owner.reports and judgement.score is not None
    return Cell(
        target_id=target.id, owner=owner.slug, owner_name=owner.name, is_board=owner.is_board,
        role=owner.role, kind=kind, status=judgement.status,
        goal=_display_goal(info, kind, goal, calendar), expected=judgement.expected,
        actual=latest.value if latest else None, done=latest.done if latest else None,
        reported_on=latest.reported_on if latest else None,
        quarter=latest.quarter if latest else None, stale=stale,
        note=latest.note if latest else "", explanation=_explain(judgement, info, baseline),
        weight=weight if owner.role == "lead" and owner.reports else 0.0,
        score=judgement.score if scored else None, deadline=deadline_of(info, calendar))


def _judgement(info: TargetInfo, owner: Owner, kind: str, goal: float | None,
               point: Point | None, calendar: ReportCalendar, reported: Reported,
               history: tuple, late_factor: float) -> Judgement:
    if not owner.reports:
        return Judgement(Status.NOT_APPLICABLE, f"由{owner.name}负责，本区不作评估")
    if kind == "unassessed":
        return Judgement(Status.NOT_APPLICABLE, "此项不设考核指标，只作公示")
    if owner.role == "support" and not history:
        return Judgement(Status.NOT_APPLICABLE, "配合事项，未单独上报")
    if point is None:
        return Judgement(Status.NOT_DUE, f"首次报送日为 {calendar.due(1)}")
    # No report for the point's quarter: its report day has passed (a point counts from the day
    # after a report day, and the close comes after the fourth one).
    missed = (owner.slug, point.quarter) not in reported.submitted
    subject = Subject(info.target, kind, goal, _start(info, calendar), calendar, point, history,
                      missed, late_factor)
    return judge(subject)


def _start(info: TargetInfo, calendar: ReportCalendar) -> dt.date:
    target = info.target
    if target.start:
        return target.start
    if target.recurrence:
        return target.recurrence.start
    return dt.date(calendar.year, 1, 1)


def _goal(info: TargetInfo, owner: str, baseline: float | None) -> float | None:
    goal = info.quota_for(owner)
    target = info.target
    if goal is None and target.baseline is not None:
        return target.baseline.value if target.baseline.value is not None else baseline
    return goal


def _display_goal(info: TargetInfo, kind: str, goal: float | None,
                  calendar: ReportCalendar) -> float | None:
    """What the year asks in all: for a recurring count, the times due by the last report."""
    recurrence = info.target.recurrence
    metric = info.target.metric
    if kind == "recurring" and recurrence and metric and metric.kind != "done":
        end = min(recurrence.end or calendar.close, calendar.due(4))
        return float(periods_completed(recurrence.every, recurrence.start, end) *
                     recurrence.times)
    return goal


def deadline_of(info: TargetInfo, calendar: ReportCalendar) -> dt.date | None:
    """When the whole target is due: its deadline, or the end of a recurring target's last
    period; None when the document gives neither."""
    target = info.target
    if target.deadline:
        return target.deadline
    if target.recurrence:
        return target.recurrence.end or calendar.close
    return None


def _explain(judgement: Judgement, info: TargetInfo, baseline: float | None) -> str:
    base = info.target.baseline
    if base is not None and base.value is None and baseline is not None:
        return f"以上一年度数值 {baseline:g} 为目标；{judgement.explanation}"
    return judgement.explanation
