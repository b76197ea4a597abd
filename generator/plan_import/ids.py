"""Readable ASCII ids from Chinese names: pinyin of the first words (粉尘涉爆 → fenchen-shebao)."""

from __future__ import annotations

import logging
import re
from functools import cache

_HAN = re.compile(r"[\u4e00-\u9fff]+")


@cache
def _tools():
    import jieba  # lazy: ~1 s to load its dictionary
    from pypinyin import lazy_pinyin

    jieba.setLogLevel(logging.WARNING)
    return jieba, lazy_pinyin


def words(name: str) -> list[str]:
    """Chinese words of name; a one-character word joins the word after it (小 切口 → 小切口)."""
    jieba, _ = _tools()
    out: list[str] = []
    carry = ""
    for word in jieba.lcut("".join(_HAN.findall(name))):
        if len(word) == 1 and not carry:
            carry = word
            continue
        out.append(carry + word)
        carry = ""
    if carry:
        out.append(carry)
    return out


def slug(name: str, taken: set[str], count: int = 3, fallback: str = "c") -> str:
    """A unique id from the pinyin of the first `count` words of name, e.g. zhongda-weixianyuan."""
    _, lazy_pinyin = _tools()
    parts = ["".join(lazy_pinyin(word)) for word in words(name)[:count]]
    base = re.sub(r"[^a-z0-9-]", "", "-".join(p for p in parts if p).lower())[:40].strip("-")
    if not base or not base[0].isalpha():
        base = f"{fallback}{len(taken) + 1:02d}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate
