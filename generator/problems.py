"""Problems found in input files, collected and reported together."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file, located as precisely as we can."""

    path: str
    line: int = 0
    column: int = 0
    message: str = ""
    hint: str = ""

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    def annotation(self) -> str:
        """Render as a GitHub Actions workflow command, shown on the pull request's diff."""
        parts = [f"file={self.path}"]
        if self.line:
            parts.append(f"line={self.line}")
        if self.column:
            parts.append(f"col={self.column}")
        body = self.message + (f" — {self.hint}" if self.hint else "")
        body = body.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error {','.join(parts)}::{body}"


@dataclass
class Problems:
    """An ordered collection of problems; the build stops once, after collecting them all."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str | Path, line: int = 0, column: int = 0, message: str = "",
            hint: str = "") -> None:
        self.items.append(Problem(display_path(path), line, column, message, hint))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))


class InputError(Exception):
    """Raised when input data has problems; carries every problem found."""

    def __init__(self, problems: Problems):
        super().__init__(f"发现 {len(problems)} 个问题")
        self.problems = problems


def display_path(path: str | Path) -> str:
    """Show paths relative to the working directory, with forward slashes, as clerks see them."""
    path = Path(path)
    try:
        path = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        pass
    return str(path).replace(os.sep, "/")


def closest(word: str, choices: list[str] | set[str] | tuple[str, ...]) -> str | None:
    """Return the choice most like `word`, if any is reasonably close."""
    matches = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.5)
    return matches[0] if matches else None


def did_you_mean(word: str, choices, what: str = "") -> str:
    """Build a hint suggesting the closest valid choice, or listing the valid choices."""
    best = closest(word, choices)
    if best:
        return f"是否应为 '{best}'？"
    listed = "、".join(sorted(choices)[:12])
    return f"可用的{what}有：{listed}" if listed else ""
