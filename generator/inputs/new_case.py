"""`python -m generator new-case`: a case file for a clerk to complete, its answers checked.

The answers are checked with the loader's own rules (generator.inputs.case_fields), so a
skeleton that is written is one the loader accepts once its body is filled in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from generator.inputs.case_fields import SLUG, board_problem, campaign_problem, text_problem
from generator.inputs.catalog import Catalog

SKELETON_PROMPTS = ("请写清楚针对什么问题、采取了哪些措施、谁来做、怎么做。",
                    "请写取得的效果；数字请注明来源和统计口径。",
                    "请写可供其他板块借鉴的做法。")
"""The prompts `new-case` writes into a body; a case still holding one is not finished."""


@dataclass(frozen=True)
class NewCase:
    """The answers to `new-case`'s questions: what goes into the new file's head."""

    board: str
    campaign: str
    title: str
    date: dt.date
    summary: str
    tags: tuple[str, ...] = ()


def default_slug(new: NewCase, taken: Iterable[str] = ()) -> str:
    """An ASCII file name from the date and campaign id, e.g. 2023-06-15-fenchen."""
    base = f"{new.date.isoformat()}-{new.campaign}"
    taken = set(taken)
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def new_case_problems(fields: Mapping[str, Any], slug: str | None,
                      catalogs: Mapping[int, Catalog]) -> list[tuple[str, str, str]]:
    """Check new-case answers as the loader would; return (option, message, hint) triples.

    fields holds board, campaign, title, date, summary and tags; missing ones are skipped.
    """
    found: list[tuple[str, tuple[str, str] | None]] = []
    day = fields.get("date")
    catalog = catalogs.get(day.year) if day else None
    if day and catalog is None:
        years = "、".join(str(y) for y in sorted(catalogs))
        found.append(("date", (f"日期 {day.isoformat()} 不在任何年度计划内", f"可用年份：{years}")))
    catalog = catalog or catalogs[max(catalogs)]
    checks = {"board": lambda v: board_problem(v, catalog),
              "campaign": lambda v: campaign_problem(v, catalog),
              "title": lambda v: text_problem("title", v),
              "summary": lambda v: text_problem("summary", v)}
    for name, check in checks.items():
        if fields.get(name) is not None:
            found.append((name, check(fields[name])))
    found += [("tags", text_problem("tags", tag)) for tag in fields.get("tags") or ()]
    if slug is not None and not SLUG.match(slug):
        found.append(("slug", (f"文件名 '{slug}' 不符合规则",
                               "只能使用小写英文字母、数字和连字符，如 2023-06-15-fenchen")))
    return [(f"--{name}", *problem) for name, problem in found if problem]


def skeleton(new: NewCase) -> str:
    """A case file with the head filled in and the body's usual sections to complete."""
    def scalar(value) -> str:
        return yaml.safe_dump(value, allow_unicode=True, width=1000,
                              default_flow_style=True).strip().removesuffix("...").strip()

    tags = "".join(f"\n  - {scalar(tag)}" for tag in new.tags) or " []"
    return (
        "---\n"
        f"title: {scalar(new.title)}\n"
        f"board: {new.board}\n"
        f"campaign: {new.campaign}\n"
        f"date: {new.date.isoformat()}\n"
        f"summary: {scalar(new.summary)}\n"
        f"tags:{tags}\n"
        "# contact: 联系单位或科室（可选；不要写个人手机号）\n"
        "# 插图：把图片（PNG/JPG/WebP，每张不超过 2 MB）上传到本文件夹，\n"
        "#       正文写 ![图片说明](文件名.jpg)\n"
        "---\n\n"
        f"## 做法\n\n{SKELETON_PROMPTS[0]}\n\n"
        f"## 成效\n\n{SKELETON_PROMPTS[1]}\n\n"
        f"## 经验\n\n{SKELETON_PROMPTS[2]}\n"
    )
