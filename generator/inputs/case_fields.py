"""A case's head values, checked alike by the loader and by `new-case`.

Known board and campaign, a date in the plan year, text without characters that mean code on a
web page, within its length, and nothing personal: a case is published to everyone.
"""

from __future__ import annotations

import datetime as dt
import re

from generator.common.problems import closest, did_you_mean
from generator.inputs.catalog import Catalog

MAX_LENGTHS = {"title": 60, "summary": 200, "contact": 60, "tags": 20}
MAX_TAGS = 8
FIELD_LABELS = {"title": "标题", "summary": "摘要", "contact": "联系人", "tags": "标签"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SPECIAL_CHARS_HINT = ("尖括号、花括号和 & 在网页中有特殊含义：书名号请用《》，括号请用（），"
                      "& 请写作“和”")


def board_problem(value: str, catalog: Catalog) -> tuple[str, str] | None:
    if value in catalog.boards:
        return None
    return f"未知的板块编号 '{value}'", board_hint(value, catalog)


def board_hint(value: str, catalog: Catalog) -> str:
    for board in catalog.boards.values():
        if value in (board.name, board.short, *board.aliases):
            return f"是否应为 '{board.slug}'（{board.name}）？板块要写编号"
    return did_you_mean(value, list(catalog.boards), "板块编号")


def campaign_problem(value: str, catalog: Catalog) -> tuple[str, str] | None:
    if value in catalog.campaigns:
        return None
    for campaign in catalog.campaigns.values():
        if value == campaign.name:
            return (f"未知的重点专项编号 '{value}'",
                    f"是否应为 '{campaign.id}'（{campaign.name}）？专项要写编号")
    best = closest(value, list(catalog.campaigns))
    hint = f"是否应为 '{best}'（{catalog.campaigns[best].name}）？" if best else \
        "专项编号见各专项页面的网址，如 campaigns/fenchen/ 中的 fenchen"
    return f"未知的重点专项编号 '{value}'", hint


def date_problem(value: dt.date, year: int) -> tuple[str, str] | None:
    if value.year == year:
        return None
    return (f"日期 {value.isoformat()} 不在 {year} 年度内",
            f"案例日期应在 {year}-01-01 至 {year}-12-31 之间；"
            f"其他年度的案例请放到 data/cases/{value.year}/ 下")


def text_problem(name: str, value: str | None) -> tuple[str, str] | None:
    """Refuse characters that mean code on a web page, line breaks and overlong text."""
    if value is None:
        return None
    label = FIELD_LABELS[name]
    for char in "<>{}&":
        if char in value:
            return (f"{label}中不能使用字符 '{char}'", SPECIAL_CHARS_HINT)
    if name != "summary" and "\n" in value.strip():
        return f"{label}不能换行", "请写在一行内"
    if not value.strip():
        return f"{label}不能为空", "请填写内容"
    limit = MAX_LENGTHS[name]
    if len(value.strip()) > limit:
        return (f"{label}过长（{len(value.strip())} 字，上限 {limit} 字）",
                "请精简，细节写在正文里" if name != "tags" else "标签请用简短的词，如 粉尘")
    return None


# --- privacy: a case is published to everyone -----------------------------------------------

MOBILE = re.compile(r"(?<![\d.])1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
ID_CARD = re.compile(r"(?<![\dXx])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])"
                     r"(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dXx])")
PERSONAL_MAIL = re.compile(
    r"[\w.+-]+@(?:qq|vip\.qq|foxmail|163|126|yeah|188|139|sina|sohu|aliyun|gmail|hotmail|"
    r"outlook|live|icloud|me|yahoo)\.(?:com|cn|com\.cn|net)\b", re.IGNORECASE)
PRIVACY_HINT = "案例会在网站上公开发布"


def privacy_problem(text: str) -> tuple[tuple[str, str], str] | None:
    """A personal mobile number, ID-card number or personal e-mail address, masked; or None.

    Office landlines (0519-8xxxxxxx) and official mailboxes are fine: they are how the public
    reaches an office.
    """
    if found := ID_CARD.search(text):
        number = found.group(0)
        return ((f"含有身份证号码 '{number[:6]}********{number[-4:]}'",
                 f"{PRIVACY_HINT}，请删除身份证号码"), number)
    if found := MOBILE.search(text):
        digits = re.sub(r"\D", "", found.group(0))
        return ((f"含有个人手机号 '{digits[:3]}****{digits[-4:]}'",
                 f"{PRIVACY_HINT}，请删除个人手机号；如需联系方式，请写单位办公电话"
                 "（如 0519-8xxxxxxx）"), found.group(0))
    if found := PERSONAL_MAIL.search(text):
        local, domain = found.group(0).split("@", 1)
        return ((f"含有个人邮箱 '{local[:2]}***@{domain}'",
                 f"{PRIVACY_HINT}，请删除个人邮箱，或改为单位的公务邮箱"), found.group(0))
    return None

