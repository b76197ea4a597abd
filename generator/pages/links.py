"""The links between pages, from a page at `root` (the path back to its year's root)."""

from __future__ import annotations

from generator.evaluate import Cell


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


def pillar_link(root: str, pillar_id: str) -> str:
    return f"{root}pillars/{pillar_id}.md"


def brief_link(root: str, slug: str) -> str:
    return f"{root}brief/{slug}.md"
