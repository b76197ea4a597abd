"""Read the phrases of one target: deadlines, start dates, periods, thresholds and baselines.

Each reader is a pure function of the text (and the plan year); what it cannot settle it
returns as a question string for the draft's `# 待确认` comments.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator.common.dates import month_end
from generator.common.numerals import parse_chinese_number

_BRACKETS = re.compile(r"（[^（）]*）|\([^()]*\)")
UNITS = r"(?:%|％|轮次|人次|家|个|次|部|道|节|条|件|人|名|场|项|处|台|套|份|期|篇|所|轮)"
NUMBER = r"(\d+(?:\.\d+)?)"


def _month_end(year: int, month: int) -> dt.date:
    return month_end(dt.date(year, month, 1))


def _quarter(text: str) -> int:
    return parse_chinese_number(text) or 0  # the patterns only match 一二三四 and 1-4


# --- deadlines ------------------------------------------------------------------------------

_DEADLINES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:前|之前)"), "day"),
    (re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?:底底?前|底|末|份)(?![起开])"), "month"),
    (re.compile(r"(?:(\d{4})\s*(?=年))?(?:本年底|年底前?|年末|年内|全年)"), "year"),
    (re.compile(r"(?<!每)([一二三四1-4])季度(?:末|底|内|前)?(?![起开])"), "quarter"),
    (re.compile(r"(上|下)半年(?![起开])"), "half"),
]
UNKNOWN_TIME = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})月(?:上旬|中旬|下旬|初|中)"
                           r"|\d{1,2}月前"
                           r"|国庆|春节|元旦|汛期|年中|近期|尽快|适时")


@dataclass(frozen=True)
class When:
    date: dt.date | None
    phrase: str | None = None
    """The words the date was read from, e.g. 6月底底前."""
    at: int = -1
    """Where the phrase starts in the text."""
    question: str | None = None


def deadline(text: str, year: int) -> When:
    """The first deadline phrase of text (outside brackets if there is one), or a question."""
    for candidate in (_BRACKETS.sub(lambda m: " " * len(m.group(0)), text), text):
        found = _first_deadline(candidate, year)
        if found.date is not None or found.question:
            return found
    unknown = UNKNOWN_TIME.search(text)
    if unknown:
        return When(None, unknown.group(0), unknown.start(),
                    f"无法识别的时限“{unknown.group(0)}”，请填写 deadline（如 {year}-10-15）")
    return When(None)


def _first_deadline(text: str, year: int) -> When:
    best: tuple[int, str, re.Match] | None = None
    for pattern, kind in _DEADLINES:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), kind, match)
    if best is None:
        return When(None)
    at, kind, match = best
    date, stated_year = _deadline_date(kind, match, year)
    question = None
    if stated_year and stated_year != year:
        question = f"时限“{match.group(0)}”写的是 {stated_year} 年，与计划年度 {year} 不一致"
    return When(date, match.group(0).strip(), at, question)


def _deadline_date(kind: str, match: re.Match, year: int) -> tuple[dt.date, int | None]:
    stated = int(match.group(1)) if kind in ("day", "month", "year") and match.group(1) else None
    if kind == "day":
        return dt.date(year, int(match.group(2)), int(match.group(3))), stated
    if kind == "month":
        return _month_end(year, int(match.group(2))), stated
    if kind == "year":
        return dt.date(year, 12, 31), stated
    if kind == "quarter":
        return _month_end(year, _quarter(match.group(1)) * 3), None
    return (dt.date(year, 6, 30) if match.group(1) == "上" else dt.date(year, 12, 31)), None


# --- start and recurrence ---------------------------------------------------------------------

_START = [
    (re.compile(r"(\d{1,2})月份?(?:起|开始)"), "month"),
    (re.compile(r"([一二三四1-4])季度(?:起|开始)"), "quarter"),
    (re.compile(r"下半年(?:起|开始)"), "half"),
]
_EVERY = {
    "day": re.compile(r"每(?:日|天)|日报"),
    "week": re.compile(r"每周"),
    "month": re.compile(r"每(?:个)?月"),
    "quarter": re.compile(r"每(?:个)?季度?"),
    "half": re.compile(r"每半年"),
}


def start(text: str, year: int) -> When:
    """A start phrase (3月份起, 二季度起, 下半年起)."""
    for pattern, kind in _START:
        match = pattern.search(text)
        if match:
            if kind == "month":
                date = dt.date(year, int(match.group(1)), 1)
            elif kind == "quarter":
                date = dt.date(year, _quarter(match.group(1)) * 3 - 2, 1)
            else:
                date = dt.date(year, 7, 1)
            return When(date, match.group(0), match.start())
    return When(None)


@dataclass(frozen=True)
class Period:
    every: str
    """day, month, quarter or year (the model's periods); week and half are mapped with a questio"
      "n."""
    times: int = 1
    phrase: str = ""
    question: str | None = None


def period(text: str) -> Period | None:
    """The period of a recurring duty (每月, 每季度, 日报 …), with how many times per period."""
    for every, pattern in _EVERY.items():
        match = pattern.search(text)
        if not match:
            continue
        times = _times(text[match.end():])
        if every == "week":
            return Period("month", 4 * times, match.group(0),
                          "原文“每周”，周期只能写 day/month/quarter/year，暂按每月 4 次填写，请确"
                          "认")
        if every == "half":
            return Period("year", 2 * times, match.group(0),
                          "原文“每半年”，周期只能写 day/month/quarter/year，暂按每年 2 次填写，请"
                          "确认")
        return Period(every, times, match.group(0))
    return None


def _times(rest: str) -> int:
    match = re.match(r"[^，。；]*?(?:不少于|至少|不低于)\s*(\d+)\s*次", rest)
    return int(match.group(1)) if match else 1


def first_period_start(every: str, notice: dt.date, year: int) -> dt.date:
    """The first whole period that begins on or after the notice date (duties start then)."""
    if notice.year != year:
        return dt.date(year, 1, 1)
    if every == "day":
        return notice
    if every == "month":
        return notice if notice.day == 1 else _next_month(notice)
    if every == "quarter":
        first = (notice.month - 1) // 3 * 3 + 1
        begin = dt.date(year, first, 1)
        return begin if begin == notice else _add_months(begin, 3)
    return dt.date(year, 1, 1)


def _next_month(day: dt.date) -> dt.date:
    return _add_months(day.replace(day=1), 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


# --- thresholds -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Threshold:
    op: str
    value: float | None
    unit: str | None
    phrase: str
    at: int = 0


_LIMIT_WORDS = r"不得超过|不超过|不高于|不得高于|不大于|控制在"
_GE_WORDS = r"不得低于|不低于|均不少于|各不少于|不少于|不得少于|至少|达到|确保"
_COUNT_VERBS = (r"完成|培育|选树|选择|挑选|对|组织开展|开展|组织|创建|建成|建设|提供|推选|打造|"
                r"评审|检查|录制|培训|举办|召开")
_THRESHOLDS = [
    (re.compile(rf"(?:{_LIMIT_WORDS})\s*{NUMBER}\s*({UNITS})?"), "<="),
    (re.compile(rf"(?:{_GE_WORDS})\s*{NUMBER}\s*({UNITS})?"), ">="),
    (re.compile(rf"率\s*{NUMBER}\s*(%|％)"), ">="),
    (re.compile(rf"(?<![~～\d.])(?:{_COUNT_VERBS})\s*{NUMBER}\s*({UNITS})(?![~～\d])"), ">="),
    (re.compile(r"至少[^，。；]{0,12}?([一二两三四五六七八九十])\s*(次)"), ">="),
]
_FORBID = re.compile(r"严禁|不得出现|杜绝")
_BASELINE = re.compile(r"不得?低于去年(?:水平|同期(?:水平)?|全区平均|平均)?"
                       r"(?:[（(](\d+(?:\.\d+)?)\s*([^）)\d]*)[）)])?")


def thresholds(text: str) -> list[Threshold]:
    """Every threshold stated in text, in order (ranges such as 7~10个 are not thresholds)."""
    found: list[Threshold] = []
    taken: list[tuple[int, int]] = []
    for pattern, op in _THRESHOLDS:
        for match in pattern.finditer(text):
            if any(a <= match.start() < b for a, b in taken) or _in_range(text, match):
                continue
            raw = match.group(1)
            value = float(parse_chinese_number(raw) or raw)
            unit = match.group(2)
            unit = "%" if unit == "％" else unit
            found.append(Threshold(op, value, unit, match.group(0), match.start()))
            taken.append((match.start(), match.end()))
    forbid = _FORBID.search(text)
    if forbid and not any(t.op == "<=" for t in found):
        found.append(Threshold("<=", 0.0, None, forbid.group(0), forbid.start()))
    return sorted(found, key=lambda t: t.at)


def _in_range(text: str, match: re.Match) -> bool:
    after = text[match.end(1):match.end(1) + 1]
    return after in ("~", "～", "-", "至")


@dataclass(frozen=True)
class BaselineRef:
    description: str
    subjects: tuple[str, ...]
    """The indicators compared with last year (较大以上风险企业数, 较大以上风险辨识数)."""
    value: float | None
    unit: str | None


def baseline(text: str) -> BaselineRef | None:
    """不低于去年水平 and its indicators; a stated figure (9.2条) becomes the value."""
    match = _BASELINE.search(text)
    if not match:
        return None
    head = re.split(r"[，；。,]", text[:match.start()])[-1]
    subjects = re.sub(r"等(?:主要)?指标$|等$", "", head.strip())
    parts = tuple(s for s in re.split(r"[、和及]", subjects) if s) or (subjects,)
    value = float(match.group(1)) if match.group(1) else None
    unit = (match.group(2) or "").strip() or None
    description = (head + match.group(0)).strip()
    return BaselineRef(description, parts, value, unit)


def has_number(text: str) -> bool:
    return bool(re.search(r"\d", text))
