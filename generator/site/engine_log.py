"""What a site engine's warnings mean, in Chinese, for the person who ran the build.

`mkdocs build --strict` and `zensical build --strict` stop on the first warning class they
count (a link to a missing page, a missing anchor) and print English log lines. The generator
escapes every data string, so a warning here means a hand-written page under docs/ or a bug;
either way the reader gets one Chinese line per warning, with the page and the link, before the
engine's own log.
"""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

# MkDocs 1.6 (mkdocs/structure/pages.py): the three link warnings, then anything else.
_MKDOCS = [
    (re.compile(r"Doc file '(?P<page>[^']+)' contains a link '(?P<link>[^']+)', but the target "
                r"(?:'[^']+' )?is not found among documentation files\."),
     "链接“{link}”指向的页面不存在"),
    (re.compile(r"Doc file '(?P<page>[^']+)' contains a link '(?P<link>[^']+)', but there is "
                r"no such anchor on this page\."),
     "链接“{link}”指向本页中不存在的锚点"),
    (re.compile(r"Doc file '(?P<page>[^']+)' contains a link '(?P<link>[^']+)', but the doc "
                r"'(?P<other>[^']+)' does not contain an anchor '(?P<anchor>[^']+)'\."),
     "链接“{link}”指向的锚点 {anchor} 在 {other} 中不存在"),
]
_MKDOCS_WARNING = re.compile(r"^WARNING\s*-\s*(?P<text>.+)$")

# Zensical 0.0.x: "Warning: page does not exist", then a box whose first line is "[ file:l:c ]".
_ZENSICAL_WARNING = re.compile(r"^Warning:\s*(?P<text>.+)$")
_ZENSICAL_PLACE = re.compile(r"\[\s*(?P<place>[^\s\]]+:\d+:\d+)\s*\]")
_ZENSICAL = {"page does not exist": "链接指向的页面不存在",
             "anchor does not exist": "链接指向的锚点不存在"}

HINT = ("如果这个页面是 docs/ 中手写的页面，请改正链接；如果是生成的页面，"
        "说明数据中的文字未被正确转义，请把这条消息报告给维护人员。")


def explain(log: str, docs: str) -> list[str]:
    """One Chinese line per warning in an engine's log; page paths are shown under docs."""
    lines = [_ANSI.sub("", line).strip() for line in log.splitlines()]
    found: list[str] = []
    for number, line in enumerate(lines):
        if match := _MKDOCS_WARNING.match(line):
            found.append(_mkdocs_line(match.group("text"), docs))
        elif match := _ZENSICAL_WARNING.match(line):
            found.append(_zensical_line(match.group("text"), lines[number + 1:number + 3], docs))
    return found


def _mkdocs_line(text: str, docs: str) -> str:
    for pattern, message in _MKDOCS:
        if match := pattern.fullmatch(text.strip()):
            return f"{docs}/{match.group('page')}: {message.format(**match.groupdict())}"
    return f"MkDocs 警告：{text.strip()}"


def _zensical_line(text: str, following: list[str], docs: str) -> str:
    place = next((m.group("place") for line in following
                  if (m := _ZENSICAL_PLACE.search(line))), None)
    message = _ZENSICAL.get(text.strip(), f"Zensical 警告：{text.strip()}")
    return f"{docs}/{place}: {message}" if place else message
