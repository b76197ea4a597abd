"""Compute stage: evaluate the plan once and index the results for every page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from generator.catalog import Catalog
from generator.status import (
    Cell,
    ComplianceRecord,
    Rollup,
    Status,
    compliance_score,
    evaluate_plan,
    report_compliance,
    rollup,
)

TASK_WEIGHT, REPORT_WEIGHT = 0.8, 0.2
WORST_FIRST = (Status.OVERDUE, Status.MISSING, Status.BEHIND, Status.ON_TRACK, Status.DONE,
               Status.NOT_DUE)


@dataclass(frozen=True)
class BoardScore:
    slug: str
    name: str
    rollup: Rollup
    task_score: float | None
    report_score: float | None
    total: float | None
    rank: int = 0


@dataclass
class Evaluation:
    catalog: Catalog
    as_of: dt.date
    cells: list[Cell]
    compliance: list[ComplianceRecord]
    by_board: dict[str, list[Cell]] = field(default_factory=dict)
    by_target: dict[str, list[Cell]] = field(default_factory=dict)
    by_campaign: dict[str, list[Cell]] = field(default_factory=dict)
    by_pillar: dict[str, list[Cell]] = field(default_factory=dict)
    prefix: str = ""
    """Where this year's pages live: "" for the current year, "2022/" for an archived one."""
    years: tuple[tuple[int, bool], ...] = ()
    """Every plan year with its sample flag, newest first, for the year switcher."""

    @property
    def year(self) -> int:
        return self.catalog.plan.year

    def cell(self, target_id: str, board: str) -> Cell | None:
        return self._cell_index.get((target_id, board))

    def district(self) -> Rollup:
        return rollup(self.cells)

    def campaign_board(self, campaign_id: str, board: str) -> list[Cell]:
        return list(self._campaign_board_index.get((campaign_id, board), ()))

    def board_compliance(self, board: str) -> list[ComplianceRecord]:
        return list(self._compliance_index.get(board, ()))

    # Lookups by key, built once: scanning lists per page made big plans quadratic.
    @cached_property
    def _cell_index(self) -> dict[tuple[str, str], Cell]:
        index: dict[tuple[str, str], Cell] = {}
        for cell in self.cells:
            index.setdefault((cell.target_id, cell.board), cell)
        return index

    @cached_property
    def _campaign_board_index(self) -> dict[tuple[str, str], list[Cell]]:
        index: dict[tuple[str, str], list[Cell]] = defaultdict(list)
        for campaign_id, cells in self.by_campaign.items():
            for cell in cells:
                index[campaign_id, cell.board].append(cell)
        return dict(index)

    @cached_property
    def _compliance_index(self) -> dict[str, list[ComplianceRecord]]:
        index: dict[str, list[ComplianceRecord]] = defaultdict(list)
        for record in self.compliance:
            index[record.board].append(record)
        return dict(index)

    def scores(self) -> list[BoardScore]:
        """Board scores, ranked: higher total first, ties share a rank, then plan order."""
        return list(self._ranked_scores)

    @cached_property
    def _ranked_scores(self) -> list[BoardScore]:
        scores = [self._score(slug) for slug in self.catalog.boards]
        ordered = sorted(scores, key=lambda s: -(s.total if s.total is not None else -1))
        ranked, previous, rank = [], None, 0
        for position, score in enumerate(ordered, start=1):
            if score.total != previous:
                rank, previous = position, score.total
            ranked.append(BoardScore(**{**score.__dict__, "rank": rank}))
        return ranked

    def _score(self, slug: str) -> BoardScore:
        board_rollup = rollup(self.by_board.get(slug, []))
        task = board_rollup.score
        report = compliance_score(self.board_compliance(slug))
        parts = [(task, TASK_WEIGHT), (report, REPORT_WEIGHT)]
        known = [(value, weight) for value, weight in parts if value is not None]
        total = (sum(v * w for v, w in known) / sum(w for _, w in known)) if known else None
        total = round(total, 1) if total is not None else None
        return BoardScore(slug, self.catalog.boards[slug].name, board_rollup, task, report, total)


def evaluate(catalog: Catalog, reports: Sequence, as_of: dt.date,
             baselines: dict[tuple[str, str], float] | None = None) -> Evaluation:
    cells = evaluate_plan(catalog, reports, as_of, baselines)
    evaluation = Evaluation(catalog, as_of, cells, report_compliance(catalog, reports, as_of))
    index: dict[str, dict[str, list[Cell]]] = {
        "board": defaultdict(list), "target": defaultdict(list),
        "campaign": defaultdict(list), "pillar": defaultdict(list)}
    for cell in cells:
        info = catalog.targets[cell.target_id]
        index["board"][cell.board].append(cell)
        index["target"][cell.target_id].append(cell)
        index["campaign"][info.campaign.id].append(cell)
        index["pillar"][info.pillar.id].append(cell)
    evaluation.by_board = dict(index["board"])
    evaluation.by_target = dict(index["target"])
    evaluation.by_campaign = dict(index["campaign"])
    evaluation.by_pillar = dict(index["pillar"])
    return evaluation


def worst_status(cells: Sequence[Cell]) -> Status | None:
    statuses = {cell.status for cell in cells}
    return next((status for status in WORST_FIRST if status in statuses), None)
