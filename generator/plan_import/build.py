"""Assemble the draft plan from the table and the notice, with every open question located."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.inputs.models import Directory
from generator.plan_import import ids, items, targets
from generator.plan_import.names import Names, split_contacts, split_names
from generator.plan_import.notice import read_notice
from generator.plan_import.source import read_source
from generator.plan_import.table import Row, Table, read_table

Path_ = tuple
"""A location in the plan dict: ("pillars", 0, "groups", 1, …, "targets", 2, "owners")."""


@dataclass(frozen=True)
class Question:
    path: Path_
    """Where in the plan the comment goes, e.g. ("pillars", 0, …, "targets", 2, "owners")."""
    where: str
    """Where in the source, e.g. 第 30 行."""
    message: str


@dataclass
class Draft:
    plan: dict
    questions: list[Question] = field(default_factory=list)
    source: Path | None = None

    def ask(self, path: Path_, where: str, message: str) -> None:
        self.questions.append(Question(path, where, message))


def import_plan(path: Path, year: int, directory: Directory) -> Draft:
    """Read FILE and build the draft plan for `year`."""
    names = Names.of(directory)
    table = read_table(read_source(path), names)
    draft = Draft({}, source=path)
    notice = read_notice(table.notice, table.closing, year)
    draft.plan = {"year": year, "notice": notice.fields, "pillars": []}
    for key, (where, message) in notice.questions.items():
        draft.ask(("notice", key), where, message)
    _pillars(table, names, year, notice.fields["date"], draft)
    return draft


def _pillars(table: Table, names: Names, year: int, notice_date, draft: Draft) -> None:
    taken: set[str] = set()
    for p, pillar in enumerate(table.pillars):
        short = pillar.name.split("，")[0].split(",")[0]
        groups: list[dict] = []
        entry = {"id": ids.slug(short, taken, count=1, fallback="p"), "no": pillar.no,
                 "name": pillar.name, "short": short, "groups": groups}
        draft.plan["pillars"].append(entry)
        if pillar.question:
            draft.ask(("pillars", p), pillar.where, pillar.question)
        for g, group in enumerate(pillar.groups):
            campaigns: list[dict] = []
            groups.append({"name": group.name, "campaigns": campaigns})
            for c, row in enumerate(group.rows):
                at = ("pillars", p, "groups", g, "campaigns", c)
                campaign = _campaign(row, names, year, notice_date, taken, draft, at,
                                     group.name)
                campaigns.append(campaign)


def _campaign(row: Row, names: Names, year: int, notice_date, taken: set[str], draft: Draft,
              at: Path_, group: str | None = None) -> dict:
    name = row.name or _derived_name(row)
    if not row.name:
        draft.ask(at + ("name",), row.where, f"本行没有专项名称，暂以具体工作开头“{name}”命名，"
                                             "请改为合适的名称")
    responsible, unknown = split_names(row.responsible, names)
    for piece in unknown:
        draft.ask(at + ("responsible",), row.where,
                  f"责任地区“{piece}”不是 data/boards.yaml 中登记的板块或单位，请改正或先登记")
    responsible += unknown
    contacts = split_contacts(row.contacts)
    for person in contacts:
        if person not in names.contacts:
            draft.ask(at + ("contacts",), row.where,
                      f"联系人“{person}”未在 data/boards.yaml 登记，请先登记或改正")
    for question in row.questions:
        draft.ask(at, row.where, question)
    campaign = {"id": ids.slug(name, taken), "name": name, "work": row.work, "focus": row.focus,
                "responsible": responsible, "contacts": contacts,
                "targets": []}
    if campaign["focus"] is None:
        del campaign["focus"]
    context = targets.Context(names, year, notice_date, responsible, name, group)
    _targets(row, context, campaign, draft, at)
    return campaign


def _derived_name(row: Row) -> str:
    first = re.split(r"[，。；,;]", row.work or row.targets)[0]
    first = re.sub(r"^(?:\d+[.．]\s*)?(?:\d{1,2}月底前|[一二三四]季度|年底前)", "", first.strip())
    return first[:20] or "（请填写专项名称）"


def _targets(row: Row, ctx: targets.Context, campaign: dict, draft: Draft, at: Path_) -> None:
    for ordinal, item in enumerate(items.split_items(row.targets), start=1):
        parts = items.split_parts(item.text, ctx.names, ctx.year)
        decisions: list[targets.Decision] = []
        previous = None
        for part in parts:
            decision = targets.decide(part, previous, ctx)
            decisions.extend(_per_subject(decision))
            previous = decision
        number = item.no if item.no else None
        for index, decision in enumerate(decisions):
            letter = "abcdefghijklmnopqrstuvwxyz"[index] if len(decisions) > 1 else ""
            fields = {"id": f"{campaign['id']}-{ordinal}{letter}",
                      "no": f"{number}{letter}" if number else None, **decision.fields}
            position = at + ("targets", len(campaign["targets"]))
            campaign["targets"].append(_ordered(fields))
            if item.question and index == 0:
                draft.ask(position + ("no",), row.where, item.question)
            for key, message in decision.questions:
                draft.ask(position + ((key,) if key else ()), row.where, message)


def _per_subject(decision: targets.Decision) -> list[targets.Decision]:
    """One target per indicator compared with last year (风险企业数、风险辨识数)."""
    if len(decision.subjects) < 2:
        return [decision]
    out = []
    for subject in decision.subjects:
        fields = {**decision.fields, "metric": {**decision.fields["metric"], "subject": subject}}
        fields["note"] = "原文并列多个指标，每个指标一条，共用原文。"
        asked = [*decision.questions, ("metric", f"原文并列 {len(decision.subjects)} 个指标（"
                                                 f"{'、'.join(decision.subjects)}），已每个指标拆为一条，"
                                                 "请确认")]
        out.append(targets.Decision(fields, asked, decision.own_deadline))
    return out


ORDER = ["id", "no", "text", "deadline", "start", "recurrence", "kind", "owners", "support",
         "metric", "quotas", "baseline", "note"]


def _ordered(fields: dict) -> dict:
    return {key: fields[key] for key in ORDER if key in fields and
            (fields[key] is not None or key == "no")}

