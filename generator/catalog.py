"""An indexed, read-only view of the directory and one plan: who owns what, where it sits."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from generator.models import Board, Campaign, Directory, Group, Pillar, Plan, Target


@dataclass(frozen=True)
class TargetInfo:
    target: Target
    campaign: Campaign
    group: Group
    pillar: Pillar
    boards: tuple[str, ...]
    """Slugs of the boards that must deliver this target (named quotas or 各板块)."""
    units: tuple[str, ...]
    """Non-board owners (区局, 市局 ...)."""

    def quota_for(self, board: str) -> float | None:
        """Return the number this board must reach, or None for done-type targets."""
        if board in self.target.quotas:
            return self.target.quotas[board]
        metric = self.target.metric
        return metric.value if metric else None


@dataclass
class Catalog:
    directory: Directory
    plan: Plan
    boards: dict[str, Board] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    campaign_pillar: dict[str, Pillar] = field(default_factory=dict)
    campaign_group: dict[str, Group] = field(default_factory=dict)
    targets: dict[str, TargetInfo] = field(default_factory=dict)
    board_order: dict[str, int] = field(default_factory=dict)
    """Board slug -> its position in the directory, the order boards are listed in."""
    all_boards_units: frozenset[str] = frozenset()
    """Names of the units that stand for every board (各板块)."""

    @classmethod
    def build(cls, directory: Directory, plan: Plan) -> Catalog:
        catalog = cls(directory, plan)
        catalog.boards = {board.slug: board for board in directory.boards}
        catalog.board_order = {slug: index for index, slug in enumerate(catalog.boards)}
        catalog.all_boards_units = frozenset(u.name for u in directory.units if u.all_boards)
        for pillar in plan.pillars:
            for group in pillar.groups:
                for campaign in group.campaigns:
                    catalog._add_campaign(pillar, group, campaign)
        return catalog

    def _add_campaign(self, pillar: Pillar, group: Group, campaign: Campaign) -> None:
        self.campaigns[campaign.id] = campaign
        self.campaign_pillar[campaign.id] = pillar
        self.campaign_group[campaign.id] = group
        for target in campaign.targets:
            boards, units = self.expand_owners(target)
            self.targets[target.id] = TargetInfo(target, campaign, group, pillar, boards, units)

    def expand_owners(self, target: Target) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Split owners into board slugs (expanding 各板块) and other units."""
        slugs: set[str] = set(target.quotas)
        units: list[str] = []
        every = False
        for owner in target.owners:
            if owner in self.boards:
                slugs.add(owner)
            elif owner in self.all_boards_units:
                every = True
            elif owner not in units:
                units.append(owner)
        if every:
            return tuple(self.boards), tuple(units)
        # Sort the few named boards rather than scan every board: a city has hundreds.
        ordered = sorted((s for s in slugs if s in self.board_order), key=self.board_order.get)
        return tuple(ordered), tuple(units)

    def board_targets(self, board: str) -> list[TargetInfo]:
        return list(self._by_board.get(board, ()))

    @cached_property
    def _by_board(self) -> dict[str, list[TargetInfo]]:
        """Each board's targets in plan order, built once (asking per board was quadratic)."""
        index: dict[str, list[TargetInfo]] = {}
        for info in self.targets.values():
            for board in info.boards:
                index.setdefault(board, []).append(info)
        return index
