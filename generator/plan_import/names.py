"""Board, unit and contact names of data/boards.yaml, as the importer looks them up."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.inputs.models import Directory

ALL_BOARDS = "各板块"
"""The unit that stands for every board (its aliases: 各地区, 各地, 属地 …)."""
OTHERS = ("其他街道", "其他板块", "其余街道", "其余板块", "其他各板块", "其他镇街")
"""“其他街道不少于1家”: every board not named before in the same item."""
LEVELS = {"市": 0, "区": 1, "其他": 2, "板块": 3}


@dataclass(frozen=True)
class Names:
    boards: tuple[str, ...]
    """Board slugs in the directory's fixed order."""
    lookup: dict[str, str]
    """Every name and alias → board slug or unit name."""
    levels: dict[str, int]
    """Unit name → level rank (市 0, 区 1, 其他 2); boards and 各板块 rank 3."""
    contacts: frozenset[str]
    district: str | None = None
    """The district-level unit (区局): who acts when the text says 全区组织."""
    city: str | None = None
    """The first city-level unit (市局): who leads new modules of the city's system."""

    @classmethod
    def of(cls, directory: Directory) -> Names:
        lookup: dict[str, str] = {}
        levels: dict[str, int] = {}
        for board in directory.boards:
            for name in (board.name, board.short, *board.aliases):
                lookup[name] = board.slug
            levels[board.slug] = LEVELS["板块"]
        for unit in directory.units:
            target = ALL_BOARDS if unit.all_boards else unit.name
            for name in (unit.name, *unit.aliases):
                lookup[name] = target
            levels[target] = LEVELS[unit.level]
        boards = tuple(board.slug for board in directory.boards)
        district = next((u.name for u in directory.units if u.level == "区"), None)
        city = next((u.name for u in directory.units if u.level == "市"), None)
        return cls(boards, lookup, levels, frozenset(c.name for c in directory.contacts), district,
                   city)

    def is_board(self, name: str) -> bool:
        return name in self.boards

    def pattern(self, boards_only: bool = False) -> str:
        """Regex alternation of every known name, longest first, so 北港街道 beats 北港."""
        names = [n for n, v in self.lookup.items() if not boards_only or v in self.boards]
        return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))

    def resolve(self, name: str) -> str | None:
        return self.lookup.get(re.sub(r"\s+", "", name))

    def expand(self, owners: list[str]) -> set[str]:
        """Owners with 各板块 replaced by every board slug."""
        out: set[str] = set()
        for owner in owners:
            out |= set(self.boards) if owner == ALL_BOARDS else {owner}
        return out

    def boards_of(self, owners: list[str]) -> list[str]:
        """The board slugs among owners (all of them for 各板块), in directory order."""
        expanded = self.expand(owners)
        return [slug for slug in self.boards if slug in expanded]

    def units_of(self, owners: list[str]) -> list[str]:
        """The owners that are units other than 各板块 (区局, 市局 …)."""
        return [o for o in owners if o != ALL_BOARDS and o not in self.boards]

    def compact(self, slugs: list[str]) -> list[str]:
        """Write every board as 各板块, a subset as slugs in directory order."""
        chosen = [slug for slug in self.boards if slug in slugs]
        return [ALL_BOARDS] if len(chosen) == len(self.boards) else chosen


def split_names(text: str, names: Names) -> tuple[list[str], list[str]]:
    """Split a 责任地区 cell into owners; return (owners, pieces it could not resolve).

    Separators are 、，, and spaces, but a space can also be a line break inside one name
    (北港街 道) and a separator can be missing (区局各辖市区): both are tried.
    """
    owners: list[str] = []
    unknown: list[str] = []
    for piece in re.split(r"[、，,；;/]+", text.strip()):
        piece = piece.strip()
        if not piece:
            continue
        found = _resolve_piece(piece, names)
        if found is None:
            unknown.append(piece)
        for owner in found or []:
            if owner not in owners:
                owners.append(owner)
    return owners, unknown


def _resolve_piece(piece: str, names: Names) -> list[str] | None:
    whole = names.resolve(piece)
    if whole:
        return [whole]
    words = piece.split()
    if len(words) > 1 and all(names.resolve(w) for w in words):
        return [names.resolve(w) for w in words]  # type: ignore[misc]
    return _segment(re.sub(r"\s+", "", piece), names)


def _segment(text: str, names: Names) -> list[str] | None:
    """Cut text into known names, longest first (区局各辖市区 → 区局, 各辖市区)."""
    out: list[str] = []
    pattern = re.compile(names.pattern())
    position = 0
    while position < len(text):
        match = pattern.match(text, position)
        if not match:
            return None
        out.append(names.lookup[match.group(0)])
        position = match.end()
    return out or None


def is_names_cell(text: str, names: Names) -> bool:
    """True when the cell is a list of known boards and units (a 责任地区 cell)."""
    owners, unknown = split_names(text, names)
    return bool(owners) and not unknown


def is_contacts_cell(text: str, names: Names) -> bool:
    pieces = [p for p in re.split(r"[、，,\s]+", text) if p]
    return bool(pieces) and all(p in names.contacts for p in pieces)


def split_contacts(text: str) -> list[str]:
    return [p for p in re.split(r"[、，,；;\s]+", text) if p]
