"""Open-data export: one record per target, as JSON and as CSV that Excel opens."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from generator.catalog import Catalog, TargetInfo

CSV_FIELDS = ["id", "campaign_id", "campaign", "pillar", "group", "no", "text", "deadline",
              "start", "recurrence", "metric_kind", "metric_op", "metric_value", "metric_unit",
              "metric_total", "quotas", "boards", "responsible", "contacts", "baseline"]


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
        "quotas": dict(target.quotas),
        "boards": list(info.boards),
        "responsible": list(info.units) + (["各板块"] if info.boards else []),
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


def targets_csv(catalog: Catalog) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for info in catalog.targets.values():
        writer.writerow(_flatten(target_record(info, catalog)))
    return buffer.getvalue().encode("utf-8-sig")


def _flatten(record: dict[str, Any]) -> dict[str, str]:
    metric = record["metric"] or {}
    recurrence = record["recurrence"]
    return {
        **{key: record[key] if record[key] is not None else "" for key in
           ("id", "campaign_id", "campaign", "pillar", "group", "no", "text", "deadline",
            "start")},
        "recurrence": "" if recurrence is None else
        f"{recurrence['every']}×{recurrence['times']} from {recurrence['start']}",
        "metric_kind": metric.get("kind", ""), "metric_op": metric.get("op", ""),
        "metric_value": _num(metric.get("value")), "metric_unit": metric.get("unit") or "",
        "metric_total": _num(metric.get("total")),
        "quotas": ";".join(f"{k}={_num(v)}" for k, v in record["quotas"].items()),
        "boards": ";".join(record["boards"]), "responsible": ";".join(record["responsible"]),
        "contacts": ";".join(record["contacts"]),
        "baseline": (record["baseline"] or {}).get("description", ""),
    }


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
