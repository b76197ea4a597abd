"""The site's navigation: the engines' nav, by page title, with every page's source path."""

from __future__ import annotations

from generator.pages.page import source_path


def nav_sources(items, static: frozenset[str] = frozenset()):
    """The navigation with every generated page named by its source_path (the hand-written
    pages of docs/, `static`, stay where they are: they only hold Markdown links)."""
    if isinstance(items, list):
        return [nav_sources(item, static) for item in items]
    if isinstance(items, dict):
        return {title: nav_sources(value, static) for title, value in items.items()}
    if isinstance(items, str) and items.endswith(".md") and items not in static:
        return source_path(items)
    return items
