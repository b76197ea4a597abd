"""Per-page data downloads: the numbers a campaign's or a board's page shows, as CSV and JSON.

Made from the evaluation, as the pages are, and formatted here: one row per target × owner,
numbers as the pages print them (generator.common.formatting.number), no value left empty,
dates in ISO form. A campaign's file has every owner of its targets, a board's its own cells.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from generator.common.formatting import iso_date, number
from generator.evaluate import Cell, Evaluation
from generator.inputs.catalog import Catalog
from generator.outputs.spreadsheet import safe_row

FIELDS = (
    ("campaign", "专项"), ("target_id", "指标编号"), ("no", "序号"), ("text", "目标任务"),
    ("board", "板块编号"), ("board_name", "板块"), ("quota", "目标"), ("expected", "应完成"),
    ("actual", "完成值"), ("status", "状态"), ("reported_on", "上报日期"), ("note", "说明"),
)
"""JSON key -> CSV column (the page's table headings)."""
CAMPAIGNS, BOARDS = "campaigns", "boards"
"""The folders of the campaigns' and the boards' pages, and of their downloads."""
SUFFIXES = ("csv", "json")


def download_links(folder: str, name: str) -> dict[str, str]:
    """Map csv/json to links from the page <folder>/<name>.md: ../downloads/<folder>/<name>.*."""
    return {suffix: f"../downloads/{folder}/{name}.{suffix}" for suffix in SUFFIXES}


def download_paths(prefix: str, folder: str, name: str) -> dict[str, str]:
    """Map csv/json to the files' paths from the site root: [<year>/]downloads/<folder>/<name>.*
    (prefix: "" for the newest year, "<year>/" for an archived one)."""
    return {suffix: f"{prefix}downloads/{folder}/{name}.{suffix}" for suffix in SUFFIXES}


def cell_row(catalog: Catalog, cell: Cell) -> dict[str, str]:
    """One target × owner, keyed by FIELDS' JSON keys; "" where the page shows "—"."""
    info = catalog.targets[cell.target_id]
    return {
        "campaign": info.campaign.name, "target_id": cell.target_id,
        "no": info.target.no or "", "text": info.target.text,
        "board": cell.owner, "board_name": cell.owner_name,
        "quota": _number(cell.quota), "expected": _number(cell.expected),
        "actual": cell.actual_shown(blank=""), "status": cell.status.label,
        "reported_on": iso_date(cell.reported_on),
        "note": cell.explanation + (f"；{cell.note}" if cell.note else ""),
    }


def _number(value: float | None) -> str:
    return "" if value is None else number(value)


def campaign_rows(ev: Evaluation, campaign_id: str) -> list[dict[str, str]]:
    """The campaign's targets in plan order, each with its owners' cells in catalog order."""
    return [cell_row(ev.catalog, cell) for target in ev.catalog.campaigns[campaign_id].targets
            for cell in ev.by_target.get(target.id, [])]


def board_rows(ev: Evaluation, slug: str) -> list[dict[str, str]]:
    """The board's cells by pillar, in plan order within each (as its page lists them)."""
    catalog = ev.catalog
    order = {pillar.id: index for index, pillar in enumerate(catalog.plan.pillars)}
    cells = sorted(ev.by_board.get(slug, []),
                   key=lambda cell: order[catalog.targets[cell.target_id].pillar.id])
    return [cell_row(catalog, cell) for cell in cells]


def year_downloads(ev: Evaluation, settings, prefix: str = "") -> dict[str, bytes]:
    """Every campaign's and board's CSV (UTF-8 with BOM) and JSON of one plan year, keyed by
    path from the site root."""
    files: dict[str, bytes] = {}
    for campaign_id, campaign in ev.catalog.campaigns.items():
        files.update(page_downloads(ev, settings, prefix, CAMPAIGNS, campaign_id, campaign.name,
                                    campaign_rows(ev, campaign_id)))
    for slug, board in ev.catalog.boards.items():
        files.update(page_downloads(ev, settings, prefix, BOARDS, slug, board.name,
                                    board_rows(ev, slug)))
    return files


def page_downloads(ev: Evaluation, settings, prefix: str, folder: str, name: str, title: str,
                   rows: Sequence[dict[str, str]]) -> dict[str, bytes]:
    """The CSV and JSON of the page <prefix><folder>/<name>.md, whose heading is `title`."""
    paths = download_paths(prefix, folder, name)
    document = {
        "page": f"{prefix}{folder}/{name}/", "title": title, "year": ev.year,
        "as_of": ev.as_of.isoformat(), "sample_data": settings.sample_data,
        "sample_notice": settings.sample_notice if settings.sample_data else None,
        "fields": dict(FIELDS),
        "count": len(rows),
        "rows": [{key: row[key] or None for key, _ in FIELDS} for row in rows],
    }
    return {paths["csv"]: _csv(rows), paths["json"]: _json(document)}


def _csv(rows: Sequence[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _, label in FIELDS])
    for row in rows:
        writer.writerow(safe_row(row[key] for key, _ in FIELDS))
    return buffer.getvalue().encode("utf-8-sig")


def _json(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
