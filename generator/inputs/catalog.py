"""An indexed, read-only view of the directory and one plan: who owns what, where it sits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from generator.inputs.models import Board, Campaign, Directory, Group, Pillar, Plan, Target, Unit

Role = Literal["lead", "support"]
ROLE_NAMES = {"lead": "主办", "support": "配合"}
PART = re.compile(r"^(?P<item>.+-\d+)[a-z]$")
"""A sub-item's id (biaozhunhua-1a): its printed item is biaozhunhua-1."""


@dataclass(frozen=True)
class Owner:
    """Who delivers a target, in which role: a board, or a unit such as 区局 or 市局."""

    slug: str
    """Board slug, or the unit's slug (its name when it has none)."""
    name: str
    short: str
    is_board: bool
    role: Role
    reports: bool
    """Boards report; a unit does when the directory says so (区局). The others' cells are
    shown but not assessed here."""


@dataclass(frozen=True)
class TargetInfo:
    target: Target
    campaign: Campaign
    group: Group
    pillar: Pillar
    owners: tuple[Owner, ...]
    """Every owner in plan order: leads first (boards in directory order), then supporters."""

    @property
    def boards(self) -> tuple[str, ...]:
        """Slugs of the boards that take part, in either role (they report on it)."""
        return tuple(owner.slug for owner in self.owners if owner.is_board)

    @property
    def units(self) -> tuple[str, ...]:
        """Names of the non-board owners (区局, 市局 ...)."""
        return tuple(owner.name for owner in self.owners if not owner.is_board)

    @property
    def reporters(self) -> tuple[str, ...]:
        """Slugs of the owners who report on this target (boards and reporting units)."""
        return tuple(owner.slug for owner in self.owners if owner.reports)

    @property
    def item(self) -> str:
        """The printed item this target is (a part of): parts share its weight."""
        match = PART.match(self.target.id)
        return match["item"] if match else self.target.id

    def owner(self, slug: str) -> Owner | None:
        return next((owner for owner in self.owners if owner.slug == slug), None)

    def quota_for(self, slug: str) -> float | None:
        """The number this owner must reach, or None for done-type targets."""
        if slug in self.target.quotas:
            return self.target.quotas[slug]
        metric = self.target.metric
        return metric.value if metric else None


@dataclass
class Catalog:
    directory: Directory
    plan: Plan
    boards: dict[str, Board] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    """Unit name -> unit."""
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
        catalog.units = {unit.name: unit for unit in directory.units}
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
            self.targets[target.id] = TargetInfo(target, campaign, group, pillar,
                                                 self.expand_owners(target))

    def expand_owners(self, target: Target) -> tuple[Owner, ...]:
        """Leads (owners, and boards given a quota), then supporters; 各板块 is every board."""
        owners: dict[str, Owner] = {}
        roles: tuple[tuple[Role, list[str]], ...] = (
            ("lead", [*target.owners, *target.quotas]), ("support", target.support))
        for role, names in roles:
            boards, units = self._split(names)
            # Sort the few named boards rather than scan every board: a city has hundreds.
            for slug in sorted(boards, key=self.board_order.__getitem__):
                board = self.boards[slug]
                owners.setdefault(slug, Owner(slug, board.name, board.short, True, role, True))
            for name in units:
                unit = self.units.get(name)
                slug = (unit.slug if unit and unit.slug else name)
                owners.setdefault(slug, Owner(slug, name, name, False, role,
                                              bool(unit and unit.reports)))
        return tuple(owners.values())

    def _split(self, names) -> tuple[set[str], list[str]]:
        boards: set[str] = set()
        units: list[str] = []
        for name in names:
            if name in self.boards:
                boards.add(name)
            elif name in self.all_boards_units:
                boards.update(self.boards)
            elif name not in units:
                units.append(name)
        return boards, units

    def responsible(self, info: TargetInfo, role: Role | None = None) -> list[str]:
        """Who is responsible, as pages, feeds and open data print it: units by name, boards by
        short name, or 各板块 when every board takes part in that role."""
        chosen = [owner for owner in info.owners if role is None or owner.role == role]
        names = [owner.name for owner in chosen if not owner.is_board]
        boards = [owner for owner in chosen if owner.is_board]
        if boards and len(boards) == len(self.boards) and len(self.boards) > 1:
            names.append("各板块")
        else:
            names += [owner.short for owner in boards]
        return names

    def board_targets(self, board: str) -> list[TargetInfo]:
        return list(self._by_owner.get(board, ()))

    def reporter_names(self) -> dict[str, str]:
        """Slug -> name of everyone who reports: the boards, then the reporting units."""
        names = {slug: board.name for slug, board in self.boards.items()}
        names.update({unit.slug: unit.name for unit in self.directory.units
                      if unit.reports and unit.slug})
        return names

    @cached_property
    def _by_owner(self) -> dict[str, list[TargetInfo]]:
        """Each reporter's targets in plan order, built once (asking per board was quadratic)."""
        index: dict[str, list[TargetInfo]] = {}
        for info in self.targets.values():
            for slug in info.reporters:
                index.setdefault(slug, []).append(info)
        return index
