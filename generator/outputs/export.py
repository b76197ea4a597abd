"""Open data: the targets (JSON and CSV that Excel opens), and the evaluation's cells and ranking.

cells.json and ranking.json are written from the evaluated model itself: the same numbers,
statuses and ranks every page shows (the ranking and the rollups are pandas' work, see
generator.evaluate.tables). The CSV is a pandas frame written by `DataFrame.to_csv`, pandas
imported only when it is written. The JSON documents stay `json.dumps`: they nest the records
in a document (year, dates, scoring), and `DataFrame.to_json` writes `"key":value`, escapes
"/" as "\\/" and rounds floats to 15 digits at most, so its bytes would differ.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import TYPE_CHECKING, Any

from generator.evaluate import Evaluation
from generator.inputs.catalog import Catalog, TargetInfo
from generator.outputs.spreadsheet import safe_cell

if TYPE_CHECKING:
    import pandas as pd

CSV_FIELDS = ["id", "campaign_id", "campaign", "pillar", "group", "no", "text", "kind",
              "deadline", "start", "recurrence", "metric_kind", "metric_op", "metric_value",
              "metric_unit", "metric_total", "quotas", "boards", "lead", "support",
              "responsible", "contacts", "baseline", "weight"]


def target_record(info: TargetInfo, catalog: Catalog) -> dict[str, Any]:
    target, metric = info.target, info.target.metric
    recurrence = target.recurrence
    return {
        "id": target.id, "campaign_id": info.campaign.id, "campaign": info.campaign.name,
        "pillar": info.pillar.name, "group": info.group.name, "no": target.no,
        "text": target.text,
        "deadline": target.deadline.isoformat() if target.deadline else None,
        "start": target.start.isoformat() if target.start else None,
        "recurrence": None if recurrence is None else {
            "every": recurrence.every, "start": recurrence.start.isoformat(),
            "end": recurrence.end.isoformat() if recurrence.end else None,
            "times": recurrence.times},
        "metric": None if metric is None else {
            "kind": metric.kind, "op": metric.op, "value": metric.value, "unit": metric.unit,
            "total": metric.total},
        "kind": target.kind,
        "quotas": dict(target.quotas),
        "boards": list(info.boards),
        "lead": [owner.slug for owner in info.owners if owner.role == "lead"],
        "support": [owner.slug for owner in info.owners if owner.role == "support"],
        "responsible": [_name(catalog, name) for name in info.campaign.responsible],
        "weight": target.weight,
        "contacts": list(info.campaign.contacts),
        "baseline": None if target.baseline is None else {
            "ref": target.baseline.ref, "description": target.baseline.description,
            "value": target.baseline.value},
    }


def targets_json(catalog: Catalog) -> bytes:
    records = [target_record(info, catalog) for info in catalog.targets.values()]
    document = {"year": catalog.plan.year, "source": catalog.plan.notice.number,
                "count": len(records), "targets": records}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def targets_frame(catalog: Catalog) -> pd.DataFrame:
    """One row per target in plan order, the columns of CSV_FIELDS, as the CSV prints them
    (values kept as they are: object columns, nothing inferred)."""
    import pandas as pd

    rows = [_flatten(target_record(info, catalog)) for info in catalog.targets.values()]
    return pd.DataFrame(rows, columns=CSV_FIELDS, dtype=object)


def targets_csv(catalog: Catalog) -> bytes:
    return spreadsheet_csv(targets_frame(catalog))


def spreadsheet_csv(frame: pd.DataFrame) -> bytes:
    """CSV that Excel and WPS open as they should: UTF-8 with a BOM, CRLF line ends, quoted only
    where needed (the csv module's excel dialect), every cell through safe_cell."""
    buffer = io.BytesIO()
    frame.map(safe_cell).to_csv(buffer, index=False, lineterminator="\r\n",
                                encoding="utf-8-sig")
    return buffer.getvalue()


def _flatten(record: dict[str, Any]) -> dict[str, str]:
    metric = record["metric"] or {}
    recurrence = record["recurrence"]
    return {
        **{key: record[key] if record[key] is not None else "" for key in
           ("id", "campaign_id", "campaign", "pillar", "group", "no", "text", "kind", "deadline",
            "start")},
        "recurrence": "" if recurrence is None else
        f"{recurrence['every']}×{recurrence['times']} from {recurrence['start']}",
        "metric_kind": metric.get("kind", ""), "metric_op": metric.get("op", ""),
        "metric_value": _num(metric.get("value")), "metric_unit": metric.get("unit") or "",
        "metric_total": _num(metric.get("total")),
        "quotas": ";".join(f"{k}={_num(v)}" for k, v in record["quotas"].items()),
        "boards": ";".join(record["boards"]), "lead": ";".join(record["lead"]),
        "support": ";".join(record["support"]), "responsible": ";".join(record["responsible"]),
        "weight": _num(record["weight"]),
        "contacts": ";".join(record["contacts"]),
        "baseline": (record["baseline"] or {}).get("description", ""),
    }


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _name(catalog: Catalog, name: str) -> str:
    """A 责任地区 entry as the document writes it: a board by its name, a unit as it is."""
    return catalog.boards[name].name if name in catalog.boards else name


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def cells_json(evaluation: Evaluation) -> bytes:
    """Every target × owner as evaluated: the open data behind every status on the site."""
    cells = [{"target": cell.target_id, "owner": cell.owner if cell.is_board else cell.owner_name,
              "role": cell.role, "kind": cell.kind, "deadline": _iso(cell.deadline),
              "status": cell.status.value, "expected": cell.expected,
              "actual": (cell.done if cell.done is not None else cell.actual),
              "reported_on": _iso(cell.reported_on), "weight": round(cell.weight, 4),
              "score": cell.score}
             for cell in evaluation.cells]
    return _dump({"year": evaluation.year, "as_of": evaluation.as_of.isoformat(),
                  "ranking_date": _iso(evaluation.ranking_date), "count": len(cells),
                  "cells": cells})


def ranking_json(evaluation: Evaluation) -> bytes:
    boards = [{"board": score.slug, "name": score.name, "rank": score.rank, "score": score.total,
               "task_score": score.task_score, "report_score": score.report_score}
              for score in evaluation.scores()]
    scoring = evaluation.catalog.plan.scoring
    return _dump({"year": evaluation.year, "as_of": evaluation.as_of.isoformat(),
                  "ranking_date": _iso(evaluation.ranking_date),
                  "scoring": scoring.model_dump(), "boards": boards})


def _dump(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
