"""Write the draft plan as YAML, each open question as a `# 待确认：…` comment above its line."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import yaml

from generator.plan_import.questions import MARK

Path_ = tuple


def to_yaml(data: dict, comments: dict[Path_, list[str]], header: list[str]
            ) -> tuple[str, dict[Path_, int]]:
    """Render data; return the text and the line of each commented path's first comment."""
    writer = _Writer(_settle(data, comments))
    writer.lines.extend(f"# {line}" if line else "#" for line in header)
    writer.lines.append("")
    writer.mapping(data, 0, ())
    return "\n".join(writer.lines) + "\n", writer.placed


def _settle(data: dict, comments: dict[Path_, list[str]]) -> dict[Path_, list[str]]:
    """Move a comment on a field that is not written (e.g. recurrence) up to its parent."""
    settled: dict[Path_, list[str]] = defaultdict(list)
    for path, messages in comments.items():
        while path and not _exists(data, path):
            path = path[:-1]
        settled[path].extend(messages)
    return settled


def _exists(data, path: Path_) -> bool:
    node = data
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return False
    return True


class _Writer:
    def __init__(self, comments: dict[Path_, list[str]]):
        self.comments = comments
        self.lines: list[str] = []
        self.placed: dict[Path_, int] = {}

    def comment(self, path: Path_, indent: int) -> None:
        for message in self.comments.get(path, []):
            self.placed.setdefault(path, len(self.lines) + 1)
            self.lines.append(" " * indent + MARK + message)

    def mapping(self, data: dict, indent: int, path: Path_, dash: bool = False) -> None:
        for index, (key, value) in enumerate(data.items()):
            here = path + (key,)
            first = dash and index == 0
            if not first:
                self.comment(here, indent)
            prefix = " " * (indent - 2) + "- " if first else " " * indent
            self.value(prefix + _key(key) + ":", value, indent, here)

    def value(self, head: str, value, indent: int, path: Path_) -> None:
        if isinstance(value, dict) and value:
            self.lines.append(head)
            self.mapping(value, indent + 2, path)
        elif isinstance(value, list) and value and any(isinstance(v, dict) for v in value):
            self.lines.append(head)
            for index, item in enumerate(value):
                self.comment(path + (index,), indent + 2)
                if isinstance(item, dict):
                    self.comment(path + (index, next(iter(item))), indent + 2)
                    self.mapping(item, indent + 4, path + (index,), dash=True)
        elif isinstance(value, list) and value and _flow_fits(value, len(head)):
            self.lines.append(f"{head} [{', '.join(scalar(v) for v in value)}]")
        elif isinstance(value, list) and value:
            self.lines.append(head)
            for index, item in enumerate(value):
                self.comment(path + (index,), indent + 2)
                self.lines.append(" " * (indent + 2) + "- " + scalar(item))
        else:
            empty = "[]" if isinstance(value, list) else "{}" if isinstance(value, dict) else None
            self.lines.append(f"{head} {empty or scalar(value)}")


def _flow_fits(values: list, width: int) -> bool:
    shown = [scalar(v) for v in values]
    return all(not s.startswith('"') for s in shown) and width + sum(len(s) + 2 for s in shown) < 90


def _key(key) -> str:
    return '"no"' if key == "no" else str(key)


def scalar(value) -> str:
    """One YAML scalar; text stays plain when YAML reads it back unchanged, else JSON-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if _plain_ok(text) else json.dumps(text, ensure_ascii=False)


_SPECIAL_START = tuple("[]{}*&!|>'\"%@`-?:,#")


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or text.startswith(_SPECIAL_START):
        return False
    if any(mark in text for mark in (": ", " #", "\t", "\n")) or text.endswith(":"):
        return False
    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        return False
