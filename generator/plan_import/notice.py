"""Read the covering notice: number, title, issuer, date, recipients, requirements …"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from generator.common.numerals import parse_chinese_number
from generator.plan_import.source import Line


@dataclass
class NoticeReading:
    fields: dict
    questions: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Field → (where in the source, question)."""


NUMBER = re.compile(r"\S{1,12}〔\d{4}〕\d+号")
"""The document's number: 钟应急〔2023〕12号."""
DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
"""A line that is only a date: the issuing date under the issuer."""
ATTACHMENT = re.compile(r"^附件[：:]\s*(.+)$")
"""附件：… — the title of the attached task table."""
REQUIREMENT = re.compile(r"^([一二三四五六七八九十]+)、([^。]{2,20})。(.+)$")
"""一、加强组织领导。…: a numbered requirement of the notice, its title and its text."""
REPORT_DAY = re.compile(r"每季度末的?第\s*(\d{1,2})\s*日")
"""每季度末的第25日: the day of each quarter's last month on which progress is due."""


def read_notice(lines: list[Line], closing: Line | None, year: int) -> NoticeReading:
    """Fill every notice field the lines state; ask about each one they do not."""
    texts = [(line.where, line.cells[0].strip()) for line in lines]
    reading = NoticeReading({})
    found = {
        "number": _first(texts, lambda t: NUMBER.fullmatch(t) and t),
        "title": _first(texts, lambda t: t.startswith("关于") and t.endswith("通知") and t),
        "issuer": _issuer(texts),
        "date": _date(texts),
        "recipients": _first(texts, lambda t: t.endswith(("：", ":")) and len(t) < 120
                             and re.split(r"[、，,]", t.rstrip("：:"))),
        "preamble": _preamble(texts),
        "requirements": _requirements(texts),
        "attachment": _first(texts, lambda t: (named := ATTACHMENT.match(t)) and named.group(1)),
        "closing": (closing.cells[0].strip(), closing.where) if closing else (None, None),
    }
    where = lines[0].where if lines else "文件开头"
    for key, (value, at) in found.items():
        if value:
            reading.fields[key] = value
        else:
            reading.fields[key] = _placeholder(key, year)
            reading.questions[key] = (at or where, f"原文中找不到通知的 {key}（{LABELS[key]}），"
                                                   "已填入占位内容，请照抄原文")
    _report_day(texts, reading, where)
    if isinstance(reading.fields["date"], dt.date) and reading.fields["date"].year != year \
            and "date" not in reading.questions:
        reading.questions["date"] = (found["date"][1] or where,
                                     f"发文日期 {reading.fields['date']} 不在"
                                     f"计划年度 {year} 年内，请确认年份")
    return reading


LABELS = {"number": "文号", "title": "标题", "issuer": "发文单位", "date": "发文日期",
          "recipients": "主送单位", "preamble": "开头一段", "requirements": "工作要求",
          "attachment": "附件名称", "closing": "表下说明"}


def _placeholder(key: str, year: int):
    if key == "date":
        return dt.date(year, 1, 1)
    if key == "recipients":
        return ["（请填写）"]
    if key == "requirements":
        return [{"no": 1, "title": "（请填写）", "text": "（请填写）"}]
    return "（请填写）"


def _first(texts, test) -> tuple[object, str | None]:
    for where, text in texts:
        value = test(text)
        if value:
            return value, where
    return None, None


def _issuer(texts: list[tuple[str, str]]) -> tuple[object, str | None]:
    """The signature line above the date; else the letterhead without its 文件."""
    for index, (_, text) in enumerate(texts):
        if DATE.match(text) and index:
            return texts[index - 1][1], texts[index - 1][0]
    return _first(texts, lambda t: t.endswith("文件") and t[:-2])


def _date(texts) -> tuple[dt.date | None, str | None]:
    for where, text in texts:
        match = DATE.match(text)
        if match:
            try:
                return dt.date(*map(int, match.groups())), where
            except ValueError:
                return None, where
    return None, None


def _preamble(texts) -> tuple[str | None, str | None]:
    """The paragraph after the recipients line."""
    for index, (_, text) in enumerate(texts[:-1]):
        if text.endswith(("：", ":")) and len(text) < 120:
            where, following = texts[index + 1]
            return (following, where) if not REQUIREMENT.match(following) else (None, None)
    return None, None


def _requirements(texts) -> tuple[list[dict] | None, str | None]:
    out: list[dict] = []
    first = None
    for where, text in texts:
        match = REQUIREMENT.match(text)
        if match and parse_chinese_number(match.group(1)) == len(out) + 1:
            out.append({"no": len(out) + 1, "title": match.group(2), "text": match.group(3)})
            first = first or where
    return (out or None), first


def _report_day(texts, reading: NoticeReading, where: str) -> None:
    for _, text in texts:
        match = REPORT_DAY.search(text)
        if match:
            reading.fields["report_day"] = int(match.group(1))
            return
    reading.fields["report_day"] = 25
    reading.questions["report_day"] = (where, "原文中找不到“每季度末的第 N 日”报送日，"
                                              "暂按 25 日填写，请确认")
