"""Problems found in input files, collected and reported together.

Errors stop the build; warnings (valid but suspicious input) are shown beside them and in the
pull-request summary, and never fail anything.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]

# Characters that would change how a message reads or acts in a terminal or a CI log: line
# breaks (a new line starting with "::" is a GitHub workflow command), other control
# characters, and bidi overrides that reorder what the reader sees.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069\u200e\u200f]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": " "}


def printable(text: str) -> str:
    """Show control and bidi characters as escapes, so a message stays one inert line."""
    return _UNPRINTABLE.sub(lambda m: _ESCAPES.get(m.group(0), f"\\u{ord(m.group(0)):04x}"), text)


def escape_data(text: str) -> str:
    """Escape a workflow command's message as GitHub's toolkit does (escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (escapeProperty)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def column_letters(column: int) -> str:
    """Excel's name for a 1-based column: 1 → A, 8 → H, 28 → AB."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file, located as precisely as we can."""

    path: str
    line: int = 0
    column: int = 0
    message: str = ""
    hint: str = ""
    severity: Severity = "error"

    def where(self) -> str:
        """`file:line:column`, or as Excel names a cell for a workbook: `file 第19行 H列（H19）`."""
        if not self.line:
            return self.path
        if self.path.endswith(".xlsx"):
            if not self.column:
                return f"{self.path} 第{self.line}行"
            letters = column_letters(self.column)
            return f"{self.path} 第{self.line}行 {letters}列（{letters}{self.line}）"
        return f"{self.path}:{self.line}" + (f":{self.column}" if self.column else "")

    def text(self) -> str:
        return self.message + (f" — {self.hint}" if self.hint else "")

    def format(self) -> str:
        label = "警告：" if self.severity == "warning" else ""
        return printable(f"{self.where()}: {label}{self.text()}")

    def annotation(self) -> str:
        """Render as a GitHub Actions workflow command, shown on the pull request's diff."""
        parts = [f"file={escape_property(self.path)}"]
        if self.line:
            parts.append(f"line={self.line}")
        if self.column and not self.path.endswith(".xlsx"):
            parts.append(f"col={self.column}")
        body = self.text()
        if self.path.endswith(".xlsx") and self.line:
            body = f"{self.where().removeprefix(self.path).strip()}: {body}"
        return f"::{self.severity} {','.join(parts)}::{escape_data(printable(body))}"


@dataclass
class Problems:
    """Errors and warnings, in the order found; the build stops once, after collecting them all.

    Truth and length count errors only: warnings never stop anything.
    """

    items: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def add(self, path: str | Path, line: int = 0, column: int = 0, message: str = "",
            hint: str = "") -> None:
        self.items.append(Problem(display_path(path), line, column, message, hint))

    def warn(self, path: str | Path, line: int = 0, column: int = 0, message: str = "",
             hint: str = "") -> None:
        self.warnings.append(Problem(display_path(path), line, column, message, hint,
                                     "warning"))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)
        self.warnings.extend(other.warnings)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))

    def sorted_warnings(self) -> list[Problem]:
        return sorted(set(self.warnings))


class InputError(Exception):
    """Raised when input data has problems; carries every problem found."""

    def __init__(self, problems: Problems):
        super().__init__(f"发现 {len(problems)} 个问题")
        self.problems = problems


class OutputError(InputError):
    """Raised when a generated folder cannot be written; the last good output is kept."""

    def __init__(self, path: str | Path, message: str, hint: str = ""):
        problems = Problems()
        problems.add(path, message=message, hint=hint)
        super().__init__(problems)


REASONS: dict[int | None, str] = {errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额",
           errno.EROFS: "只读文件系统", errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限"}


def os_reason(error: OSError) -> str:
    """Say in a few Chinese words why the disk refused, e.g. 磁盘空间不足."""
    return REASONS.get(error.errno, error.strerror or type(error).__name__)


def cannot_write(folder: Path, error: OSError) -> OutputError:
    """The error for a folder of generated files that cannot be written, with how to fix it."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = "请清理磁盘空间后重新运行"
    elif error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = "请确认该文件夹和它所在的文件夹可以写入后重新运行"
    else:
        hint = "请检查该文件夹后重新运行"
    return OutputError(folder, f"无法写入（{os_reason(error)}）", hint)


def display_path(path: str | Path) -> str:
    """Show paths relative to the working directory, with forward slashes, as clerks see them."""
    path = Path(path)
    # Resolve the folder, never the name itself: a link is shown as the link, not as the file
    # outside the repository it points at.
    absolute = Path(os.path.abspath(path))
    try:
        path = (absolute.parent.resolve() / absolute.name).relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        pass
    return str(path).replace(os.sep, "/")


def closest(word: str, choices: Collection[str]) -> str | None:
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
