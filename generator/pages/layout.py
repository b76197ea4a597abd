"""Where a plan year's pages live in the site: the newest year at the root, older ones under
<year>/; built once per year (generator.build) and passed to every page function."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.common.urls import markdown_root


@dataclass(frozen=True)
class SiteLayout:
    """One plan year's place in the site, and the years its year switcher lists."""

    year: int
    years: tuple[tuple[int, bool], ...] = ()
    """Every plan year of the site with its sample flag, newest first (none: this year alone)."""

    @classmethod
    def of(cls, year: int, samples: Mapping[int, bool]) -> SiteLayout:
        """The layout of `year` in a site of the plan years `samples` (year -> sample flag)."""
        return cls(year, tuple((y, samples[y]) for y in sorted(samples, reverse=True)))

    @property
    def newest(self) -> int:
        return max((year for year, _ in self.years), default=self.year)

    @property
    def current(self) -> bool:
        """True for the newest year: only its boards offer report forms and calendars."""
        return self.year == self.newest

    @property
    def prefix(self) -> str:
        """Where this year's pages live: "" for the newest year, "2022/" for an archived one."""
        return self.year_prefix(self.year)

    def year_prefix(self, year: int) -> str:
        return "" if year == self.newest else f"{year}/"

    def path(self, page: str) -> str:
        """A page's path in the site from its path in the year (boards/x.md → 2022/boards/x.md)."""
        return self.prefix + page

    def site_root(self, root: str) -> str:
        """The relative path from a page to the site root (root: the path to its year's root)."""
        return root + markdown_root(self.prefix)
