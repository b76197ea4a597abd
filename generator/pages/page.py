"""A page to render: where its Markdown goes, which template prints it, and its context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.outputs.chart_spec import ChartSpec


@dataclass
class Page:
    """One Markdown page to render: where it goes, which template, and its context."""

    path: str
    template: str
    context: dict[str, Any]
    charts: list[ChartSpec] = field(default_factory=list)


def source_path(md_path: str) -> str:
    """Where a page's Markdown is written: boards/x.md → boards/x/index.md.

    A page then sits in the folder its URL names, so a relative link in raw HTML means the same
    thing to MkDocs (which resolves it against the page's URL) and to Zensical (which resolves
    it against the Markdown file). Pages link to each other by their short names (x.md).
    """
    if md_path == "index.md" or md_path.endswith("/index.md"):
        return md_path
    return md_path.removesuffix(".md") + "/index.md"
