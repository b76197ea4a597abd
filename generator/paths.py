"""Where the build reads and writes; kept light so the no-op check needs no heavy imports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    data: Path = Path("data")
    static: Path = Path("docs")
    out: Path = Path("build/docs")
    cache: Path = Path(".cache")
