"""Open questions (`# 待确认：…` comments) left in a plan file for a person to answer."""

from __future__ import annotations

import re
from pathlib import Path

MARK = "# 待确认："
_FOUND = re.compile(r"#\s*待确认[：:]?\s*(.*)$")


def open_questions(path: Path) -> list[tuple[int, str]]:
    """Return (line, question) for every `# 待确认` comment in the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []  # the YAML loader reports unreadable files
    return questions_in(text)


def questions_in(text: str) -> list[tuple[int, str]]:
    """Return (line, question) for every `# 待确认` comment in YAML text."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FOUND.search(line)
        if match and _is_comment(line, match.start()):
            found.append((number, match.group(1).strip()))
    return found


def _is_comment(line: str, at: int) -> bool:
    """A '#' inside a quoted value is text, not a comment: count the quotes before it."""
    before = line[:at]
    return before.count('"') % 2 == 0 and before.count("'") % 2 == 0
