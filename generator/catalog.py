"""An indexed, read-only view of the directory and one plan: who owns what, where it sits."""

from __future__ import annotations

from dataclasses import dataclass, field

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

    @classmethod
    def build(cls, directory: Directory, plan: Plan) -> Catalog:
        catalog = cls(directory, plan)
        catalog.boards = {board.slug: board for board in directory.boards}
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
        all_boards = {unit.name for unit in self.directory.units if unit.all_boards}
        slugs: set[str] = set(target.quotas)
        units: list[str] = []
        for owner in target.owners:
            if owner in self.boards:
                slugs.add(owner)
            elif owner in all_boards:
                slugs.update(self.boards)
            elif owner not in units:
                units.append(owner)
        ordered = tuple(slug for slug in self.boards if slug in slugs)
        return ordered, tuple(units)

    def board_targets(self, board: str) -> list[TargetInfo]:
        return [info for info in self.targets.values() if board in info.boards]

    def campaign_targets(self, campaign_id: str) -> list[TargetInfo]:
        return [info for info in self.targets.values() if info.campaign.id == campaign_id]

    def unit_names(self) -> set[str]:
        names = set()
        for unit in self.directory.units:
            names.add(unit.name)
        return names
