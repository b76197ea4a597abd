"""Where the build reads and writes; kept light so the no-op check needs no heavy imports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SITE_CONFIG = "mkdocs.yml"
"""Name of the engine configuration the build writes beside the pages (build/mkdocs.yml)."""


@dataclass(frozen=True)
class Paths:
    data: Path = Path("data")
    static: Path = Path("docs")
    out: Path = Path("build/docs")
    cache: Path = Path(".cache")
    config: Path = Path("mkdocs.yml")
    """The project's hand-written MkDocs configuration, which the generated one INHERITs."""

    @property
    def site_config(self) -> Path:
        """The generated configuration both site engines read: build/mkdocs.yml."""
        return self.out.parent / SITE_CONFIG
