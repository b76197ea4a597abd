"""Per-page data downloads: the numbers a campaign or board page shows, as CSV and JSON.

Built from the page's own context, so a download always says what its page says. One row per
target × board; values are the page's words, with "—" (no value) left empty and dates in ISO form.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import PurePosixPath
from typing import Any

from generator.outputs.spreadsheet import safe_row
from generator.pages.page import Page, PageKind

FIELDS = (
    ("campaign", "专项"), ("target_id", "指标编号"), ("no", "序号"), ("text", "目标任务"),
    ("board", "板块编号"), ("board_name", "板块"), ("quota", "目标"), ("expected", "应完成"),
    ("actual", "完成值"), ("status", "状态"), ("reported_on", "上报日期"), ("note", "说明"),
)
"""JSON key -> CSV column (the page's table headings)."""
KINDS = {PageKind.CAMPAIGN: "campaigns", PageKind.BOARD: "boards"}
"""The kinds of page that have downloads, and the folder of each kind's files."""
CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def has_downloads(page: Page) -> bool:
    return page.kind in KINDS


def _where(page: Page) -> tuple[str, str, str]:
    """(year prefix, campaigns|boards, id) for a page at [<year>/]campaigns/<id>.md."""
    path = PurePosixPath(page.path)
    prefix = "".join(f"{part}/" for part in path.parts[:-2])  # archived years live under <year>/
    return prefix, KINDS[page.kind], path.stem


def download_paths(page: Page) -> dict[str, str]:
    """Map csv/json to the files' paths from the site root: [<year>/]downloads/<kind>/<id>.*."""
    prefix, kind, stem = _where(page)
    return {suffix: f"{prefix}downloads/{kind}/{stem}.{suffix}" for suffix in ("csv", "json")}


def download_links(page: Page) -> dict[str, str]:
    """Map csv/json to links relative to the page: ../downloads/<kind>/<id>.*."""
    _, kind, stem = _where(page)
    return {suffix: f"../downloads/{kind}/{stem}.{suffix}" for suffix in ("csv", "json")}


def page_rows(page: Page) -> list[dict[str, str]]:
    """The page's table rows, one per target × board, keyed by FIELDS' JSON keys."""
    context = page.context
    rows = []
    if page.kind is PageKind.CAMPAIGN:
        for target in context["targets"]:
            for cell in target["cells"]:
                rows.append(_row(context["campaign"]["name"], target, cell, _slug(cell)))
    else:
        for section in context["sections"]:
            for row in section["rows"]:
                rows.append(_row(row["campaign"], row["target"], row, context["board"]["slug"]))
    return rows


def _row(campaign: str, target: dict[str, Any], cell: dict[str, Any], slug: str) -> dict[str, str]:
    note = cell["explanation"] + (f"；{cell['note']}" if cell["note"] else "")
    return {
        "campaign": campaign, "target_id": target["id"], "no": target["no"],
        "text": target["text"], "board": slug, "board_name": cell["board_name"],
        "quota": _value(cell["quota"]), "expected": _value(cell["expected"]),
        "actual": _value(cell["actual"]), "status": cell["status"]["text"],
        "reported_on": iso_date(cell["reported_on"]), "note": note,
    }


def _slug(cell: dict[str, Any]) -> str:
    """A board's slug, from the page's link to it (../boards/<slug>.md)."""
    return PurePosixPath(cell["board_link"]).stem


def _value(text: str) -> str:
    return "" if text == "—" else text


def iso_date(text: str) -> str:
    """2023年6月25日 -> 2023-06-25; ISO dates and empty text stay as they are."""
    match = CHINESE_DATE.fullmatch(text)
    if not match:
        return text
    year, month, day = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def page_downloads(page: Page) -> dict[str, bytes]:
    """Return the page's CSV (UTF-8 with BOM) and JSON, keyed by path from the site root."""
    rows = page_rows(page)
    paths = download_paths(page)
    return {paths["csv"]: _csv(rows), paths["json"]: _json(page, rows)}


def _csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _, label in FIELDS])
    for row in rows:
        writer.writerow(safe_row(row[key] for key, _ in FIELDS))
    return buffer.getvalue().encode("utf-8-sig")


def _json(page: Page, rows: list[dict[str, str]]) -> bytes:
    context = page.context
    prefix, kind, stem = _where(page)
    title = context["campaign"]["name"] if kind == "campaigns" else context["board"]["name"]
    document = {
        "page": f"{prefix}{kind}/{stem}/", "title": title, "year": context["year"],
        "as_of": iso_date(context["as_of"]), "sample_data": context["sample"],
        "sample_notice": context["sample_notice"] if context["sample"] else None,
        "fields": dict(FIELDS),
        "count": len(rows),
        "rows": [{key: row[key] or None for key, _ in FIELDS} for row in rows],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def all_downloads(pages: list[Page]) -> dict[str, bytes]:
    """Downloads for every campaign and board page among pages."""
    files: dict[str, bytes] = {}
    for page in pages:
        if has_downloads(page):
            files.update(page_downloads(page))
    return files
