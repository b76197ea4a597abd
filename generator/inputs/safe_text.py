"""Characters no published text may hold, found once for every kind of input file.

Control characters (NUL included) and the bidi overrides that reorder what a reader sees
(U+202A–U+202E, U+2066–U+2069, "Trojan Source") are invisible in an editor and in the pull
request's diff, yet change what the site, a CSV download or a terminal shows. They are refused,
never silently stripped, so the clerk sees the same text as every reader: the message names the
character and where it is. Tab, line feed and carriage return are ordinary file layout.
"""

from __future__ import annotations

import re

HIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                    r"\u2028\u2029\ufffe\uffff]")
HIDDEN_HINT = ("请删除这个看不见的字符（常由从网页、聊天软件复制粘贴带入）：在编辑器中删掉它前后的"
               "几个字重新输入即可")
_NAMES = {"\x00": "空字符 NUL", "\u2028": "行分隔符", "\u2029": "段分隔符"}


def describe(char: str) -> str:
    """U+202E（文字方向控制符） — the code point and, in Chinese, what kind of character it is."""
    code = f"U+{ord(char):04X}"
    if char in _NAMES:
        return f"{code}（{_NAMES[char]}）"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"{code}（文字方向控制符，会让文字显示的顺序与实际不同）"
    if char in "\ufffe\uffff":
        return f"{code}（非字符）"
    return f"{code}（控制字符）"


def hidden_message(char: str, count: int = 1, scope: str = "文件中") -> str:
    more = f"，{scope}共 {count} 处" if count > 1 else ""
    return f"含有看不见的字符 {describe(char)}{more}"


def find_hidden(text: str, pattern: re.Pattern = HIDDEN) -> tuple[int, int, str, int] | None:
    """(line, column, the character, how many there are) of the first hidden character."""
    found = pattern.search(text)
    if found is None:
        return None
    start = found.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, column, found.group(0), len(pattern.findall(text))


def too_long(label: str, text: str, limit: int, hint: str) -> tuple[str, str] | None:
    """(message, hint) when text is longer than limit characters, else None."""
    if len(text) <= limit:
        return None
    return f"{label}过长（{len(text):,} 字，上限 {limit:,} 字）", hint
