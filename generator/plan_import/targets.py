"""Decide one target from one part of an item: owners, measure, period, deadline and kind.

The rules are the ones written at the top of data/plans/2023.yaml; whatever they cannot settle
is returned as a question for a `# 待确认` comment, next to the field it concerns.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from generator.plan_import import items, phrases
from generator.plan_import.items import CONDITIONAL, CONTINUING, Clause, Part, owners_named
from generator.plan_import.names import ALL_BOARDS, OTHERS, Names

UNASSESSED = re.compile(r"上级交办|其他任务$")
SELECTION = re.compile(r"挑选|选择|选取")
"""A count picked once (挑选20家重点企业) is a milestone whatever its size."""
SYSTEM_WORK = re.compile(r"(?:^|[，,])接入|功能模块|系统模块|专家")
CITY_SYSTEM = re.compile(r"功能模块|系统模块|专家")
"""New modules of the city's system and its expert pool: the city bureau leads even when the
row's 责任地区 does not name it (接入 a data feed is led by the row's own highest unit)."""
ENFORCEMENT = re.compile(r"开展[^，。；]{0,24}(?:检查|执法|约谈|考评|巡查|督导)")
"""Inspections and enforcement without a date or a number go on all year (continuing)."""
TEMPLATE_DISTRICT = ("各辖市区",)
"""The city's template word for its districts: for a district's own plan, the district itself."""
NAMED_FIRMS = re.compile(r"在([^，。；、和等]{2,8})和([^，。；、和等]{2,8})(?:推广|开展|实施|建设)")
MENTIONED = re.compile(r"(?:由|交办)({names})(?!统筹)")
"""由区局… / 交办…: a unit the text itself puts in charge ({names} is filled with the units)."""
OWN_PERIOD = re.compile(r"每(?:年|月|季度?|日|天|周)")
"""A period the item states itself (每月, 每季度 …)."""


@dataclass
class Context:
    names: Names
    year: int
    notice: dt.date
    responsible: list[str]
    campaign: str
    group: str | None = None


@dataclass
class Decision:
    fields: dict
    questions: list[tuple[str | None, str]] = field(default_factory=list)
    """(field the question concerns, or None for the whole target; question)."""
    own_deadline: dt.date | None = None
    period: dict | None = None
    named: bool = False
    """The owners were named in the text (not taken from 责任地区)."""
    support: list[str] = field(default_factory=list)
    """The period as read, kept for the next part even when a red line drops it."""
    subjects: list[str] = field(default_factory=list)
    """Several indicators compared with last year: one target each."""


def decide(part: Part, previous: Decision | None, ctx: Context) -> Decision:
    """Turn one part into a target's fields (without id and no) plus its open questions."""
    text = part.text
    out = Decision({"text": text})
    if UNASSESSED.search(text) and not phrases.has_number(text):
        out.fields.update(kind="unassessed", owners=[])
        out.questions.append(("kind", "“上级交办的其他任务”不评分（unassessed），不设承担者、时限和"
                                      "指标，请确认"))
        return out
    measure = _measure(part, ctx, out)
    recurrence = _recurrence(part, previous, ctx, out)
    out.period = recurrence
    owners, support = _owners(part, previous, ctx, out, measure)
    support = list(dict.fromkeys(support + out.support))
    kind = _kind(part, measure, recurrence, out, ctx.year)
    if kind == "limit" and recurrence:  # a red line holds every day: no period, no deadline
        recurrence = None
        out.questions = [q for q in out.questions if q[0] != "recurrence"]
        out.fields["note"] = "红线要求，全年持续适用。"
    if kind == "milestone" and measure is None:
        measure = {"kind": "done", "subject": _subject(part, ctx.names)}
    if kind == "recurring" and recurrence and measure is None and "常态化" not in text:
        measure = {"kind": "count", "op": ">=", "value": recurrence.get("times", 1), "unit": "次",
                   "subject": _subject(part, ctx.names)}
    _dates(part, previous, ctx, out, kind, recurrence)
    out.fields.update(kind=kind, owners=owners)
    if support:
        out.fields["support"] = support
    if recurrence:
        out.fields["recurrence"] = recurrence
    if measure:
        out.fields["metric"] = measure
        quotas = measure.pop("quotas", None)
        baseline = measure.pop("baseline", None)
        if quotas:
            out.fields["quotas"] = quotas
        if baseline:
            out.fields["baseline"] = baseline
    return out


# --- measure ----------------------------------------------------------------------------------

def _measure(part: Part, ctx: Context, out: Decision) -> dict | None:
    found = [t for c in part.clauses for t in c.thresholds]
    base = next((c.baseline for c in part.clauses if c.baseline), None)
    quotas = _quotas(part.clauses, ctx.names, out)
    if len(found) > 1:
        listed = "、".join(t.phrase for t in found)
        out.questions.append(("metric", f"本条含多个量化要求（{listed}），只按第一个填写，"
                                        "请确认是否应拆成几条"))
    threshold = found[0] if found else None
    metric: dict[str, object]
    if base:
        metric = {"kind": "count", "op": ">=", "value": base.value, "unit": base.unit,
                  "subject": base.subjects[0]}
        metric["baseline"] = _clean({"ref": "previous_year", "description": base.description,
                                     "value": base.value})
        if len(base.subjects) > 1:
            out.subjects = list(base.subjects)
        return _clean(metric)
    if threshold is None and not quotas:
        return None
    unit = threshold.unit if threshold else next((u for _, _, u in _raw_quotas(part)), None)
    metric = {"kind": _metric_kind(threshold, unit), "op": threshold.op if threshold else ">=",
              "value": threshold.value if threshold else None, "unit": unit,
              "subject": _subject(part, ctx.names)}
    if quotas:
        metric["value"] = None
        if threshold:
            metric["total"] = threshold.value
            if threshold.value is not None:
                _check_total(quotas, threshold.value, out)
        metric["quotas"] = quotas
    return _clean(metric)


def _metric_kind(threshold: phrases.Threshold | None, unit: str | None) -> str:
    if unit == "%":
        return "percent"
    if threshold and unit is None and "." in threshold.phrase:
        return "ratio"
    if threshold and unit is None and "值" in threshold.phrase:
        return "ratio"
    return "count"


def _raw_quotas(part: Part):
    return [entry for c in part.clauses for entry in c.quotas]


def _quotas(clauses: list[Clause], names: Names, out: Decision) -> dict[str, float]:
    """Per-board numbers; 其他街道 takes every board not named before it."""
    quotas: dict[str, float] = {}
    for listed, value, _unit in [entry for c in clauses for entry in c.quotas]:
        for name in listed:
            slugs = [s for s in names.boards if s not in quotas] if name in OTHERS else [name]
            for slug in slugs:
                if slug in quotas:
                    out.questions.append(("quotas", f"板块 {slug} 的数字出现两次，请核对"))
                quotas[slug] = int(value) if float(value).is_integer() else value
    return quotas


def _check_total(quotas: dict[str, float], total: float, out: Decision) -> None:
    added = sum(quotas.values())
    if abs(added - total) > 1e-9:
        out.questions.append(("quotas", f"各板块数字之和为 {added:g}，与原文总数 {total:g} 不符，"
                                        "请核对原文"))


def _clean(metric: dict) -> dict:
    return {key: value for key, value in metric.items() if value is not None}


def _subject(part: Part, names: Names | None = None) -> str:
    """What is measured, in the document's words: the main clause without time and owner."""
    for clause in part.clauses:
        body = re.sub(r"^[，,\s]+|[，,；;。\s]+$", "", clause.text)
        body = items.TIME_PREFIX.sub("", body)
        if names is not None:
            body = re.sub(rf"^(?:{names.pattern()})(?:[、和与及](?:{names.pattern()}))*", "", body)
        if len(body) >= 4 and not clause.quotas and not phrases.UNKNOWN_TIME.fullmatch(body):
            return body[:40]
    return part.text[:40]


# --- period -----------------------------------------------------------------------------------

def _recurrence(part: Part, previous: Decision | None, ctx: Context, out: Decision
                ) -> dict | None:
    text = part.text
    period = phrases.period(text)
    if period is None and part.reason == "measure" and previous is not None \
            and previous.period and not OWN_PERIOD.search(text):
        out.questions += [q for q in previous.questions if q[0] == "recurrence"]
        return dict(previous.period)
    if period is None or period.every == "year" and period.times == 1:
        return None
    if period.question:
        out.questions.append(("recurrence", period.question))
    begin = phrases.start(text, ctx.year).date
    if begin is None:
        begin = dt.date(ctx.year, 1, 1)
        later = phrases.first_period_start(period.every, ctx.notice, ctx.year)
        if later != begin:
            out.questions.append(("recurrence", f"原文未写起始时间，按全年执行（{begin}）填写；"
                                                f"发文日期为 {ctx.notice}，如发文前的周期不计，"
                                                f"请改为 {later}"))
    recurrence = {"every": period.every, "start": begin, "end": dt.date(ctx.year, 12, 31)}
    if period.times > 1:
        recurrence["times"] = period.times
    return recurrence


# --- owners -----------------------------------------------------------------------------------

def _owners(part: Part, previous: Decision | None, ctx: Context, out: Decision,
            measure: dict | None) -> tuple[list[str], list[str]]:
    names, text = ctx.names, part.text
    named = owners_named(part.clauses) + _mentioned(text, names)
    named += [o for c in part.clauses if c.encourage for o in c.lead]
    named = [names.district if o in TEMPLATE_DISTRICT and names.district else o for o in named]
    named = list(dict.fromkeys(named))
    support = [s for c in part.clauses for s in c.support]
    out.named = bool(named)
    if measure and measure.get("quotas"):
        return _quota_owners(part, ctx, out, measure, named), support
    if re.search(r"(?:^|[，,])全区组织", items.TIME_PREFIX.sub("", text.strip())):
        out.questions.append(("owners", f"条目写“全区组织”，承担者按 {names.district} 填写；"
                                        "如各板块也承担，请补上"))
    if named:
        named, helpers = _narrow(named, ctx, out)
        return _late_owner(part, named, ctx, out), list(dict.fromkeys(support + helpers))
    return _unnamed(part, previous, ctx, out, measure, support)


def _quota_owners(part: Part, ctx: Context, out: Decision, measure: dict,
                  named: list[str]) -> list[str]:
    """Boards given numbers lead; the district adding them up (全区…其中…) supports."""
    names = ctx.names
    boards = names.compact(list(measure["quotas"]))
    if ALL_BOARDS in owners_named(part.clauses) and boards != [ALL_BOARDS]:
        out.questions.append(("owners", f"条目写“各板块/各地区”，但只给 {len(boards)} 个"
                                        "板块分配了数字，承担者按这些板块填写，请确认"))
    units = [u for u in names.units_of(named) if u != names.district]
    totals = names.district in named or measure.get("total") is not None
    if totals and names.district in ctx.responsible + named:
        out.support = [names.district]
    elif ALL_BOARDS in owners_named(part.clauses) and ALL_BOARDS not in ctx.responsible:
        # as in _narrow: the row names some boards and its units; the units support them
        out.support = [u for u in names.units_of(ctx.responsible) if u not in units]
    return units + boards


def _mentioned(text: str, names: Names) -> list[str]:
    """Owners named mid-sentence: 第一次交办区局处理，第二次由市局组织约谈."""
    pattern = re.compile(MENTIONED.pattern.format(names=names.pattern()))
    return [names.lookup[m.group(1)] for m in pattern.finditer(text)]


def _narrow(named: list[str], ctx: Context, out: Decision) -> tuple[list[str], list[str]]:
    """各板块 in a row whose 责任地区 lists only some boards means those (the units support);
    in a row with no board at all it is the city's template word for the district (区局)."""
    if ALL_BOARDS not in named or ALL_BOARDS in ctx.responsible:
        return named, []
    boards = ctx.names.boards_of(ctx.responsible)
    units = ctx.names.units_of(ctx.responsible)
    others = [o for o in named if o != ALL_BOARDS]
    if boards:
        out.questions.append(("owners", f"条目写“各板块/各地区”，本行责任地区只列出 "
                                        f"{'、'.join(boards)}，承担者按这些板块填写，"
                                        f"{'、'.join(units) or '无'} 配合，请确认"))
        return others + boards, [u for u in units if u not in others]
    if units:
        out.questions.append(("owners", "条目写“各地区/各板块”，但本行责任地区没有板块（市级模板"
                                        "用语），"
                                        f"承担者按责任地区 {'、'.join(units)} 填写，请确认"))
        return others + [u for u in units if u not in others], []
    return named, []


def _unnamed(part: Part, previous: Decision | None, ctx: Context, out: Decision,
             measure: dict | None, support: list[str]) -> tuple[list[str], list[str]]:
    """Owners of a part that names none, by the rules of the 2023 plan's header."""
    names, text, responsible = ctx.names, part.text, ctx.responsible
    if previous is not None and previous.named and \
            names.expand(previous.fields["owners"]) <= names.expand(responsible):
        out.named = True  # 各板块险扫码逾期率…，企业主要负责人参与度…: the same owner goes on
        return list(previous.fields["owners"]), list(previous.fields.get("support", []))
    units, boards = names.units_of(responsible), names.boards_of(responsible)
    firms = NAMED_FIRMS.search(text)
    if firms:
        out.questions.append(("owners", f"本条点名具体企业（{firms.group(1)}、{firms.group(2)}），"
                                        "承担者应为企业所在板块（及区局），暂按责任地区填写，请确认"))
    bare = items.TIME_PREFIX.sub("", text.strip())
    measured = measure is not None and measure.get("kind") != "done" and "baseline" not in measure
    city = any(names.levels.get(u) == 0 for u in units)
    module = "模块" in (ctx.group or "") and city and not measured  # 已使用模块: city system rows
    if units and boards and (SYSTEM_WORK.search(bare) or SYSTEM_WORK.search(ctx.campaign)
                             or module):
        return _system_owners(ctx, out, bool(CITY_SYSTEM.search(bare)))
    if measured and units and boards and not re.search(r"每|各", text) and \
            not phrases.period(text) and (measure or {}).get("kind") == "count":
        out.fields["note"] = f"原文为全区数量，未分配到各板块，按{names.district}统筹理解。"
        return [names.district or units[0]], support
    if measured and boards and names.district in units:
        return names.compact(boards), [names.district]  # 属地工作: boards lead, the district helps
    if city and boards:
        out.questions.append(("owners", f"条目未点名承担者，按责任地区（{'、'.join(responsible)}）"
                                        "共同承担填写；请确认谁主办、谁配合"))
    return list(responsible), support


def _system_owners(ctx: Context, out: Decision, city_system: bool
                   ) -> tuple[list[str], list[str]]:
    """City system work (接入、模块、专家库) is led by the city bureau; the rest of the row helps"
      "."""
    names, responsible = ctx.names, ctx.responsible
    units = names.units_of(responsible)
    lead = min(units, key=lambda u: names.levels.get(u, 9))
    if city_system and names.city and names.levels.get(lead) != 0:
        lead = names.city
    out.questions.append(("owners", f"条目未点名承担者，属系统建设类工作，暂按 {lead} 主办、"
                                    "本行其他责任地区配合填写，请确认"))
    return [lead], [o for o in responsible if o != lead]


def _late_owner(part: Part, named: list[str], ctx: Context, out: Decision) -> list[str]:
    """An owner named only in a later sentence owns it; the first sentence is the row's."""
    for index, clause in enumerate(part.clauses):
        if not clause.lead or clause.quotas:
            continue
        first = part.clauses[0].text.strip()
        scope = first.endswith("的。") or first.startswith(("涉及", "对于", "凡"))
        heading = len(first) <= 15 and first.endswith("。")
        if index and clause.sentence_start and not heading and not scope:
            out.questions.append(("owners", "本条第一句未点名承担者，按本行责任地区填写；"
                                            "如第一句也只由后一句点名的单位承担，请改正"))
            return list(dict.fromkeys(ctx.responsible + named))
        break
    return named


# --- kind and dates ---------------------------------------------------------------------------

def _kind(part: Part, measure: dict | None, recurrence: dict | None, out: Decision,
          year: int) -> str:
    text = part.text.strip()
    if measure and measure.get("op") == "<=":
        return "limit"
    if recurrence:
        return "recurring"
    if measure and ("baseline" in measure or measure["kind"] in ("percent", "ratio")
                    or "平均" in text):
        return "level"
    if measure:
        values = list(measure.get("quotas", {}).values()) or [measure.get("value") or 0]
        return "milestone" if SELECTION.search(text) or max(values) <= 3 else "cumulative"
    if CONTINUING.search(text) or CONDITIONAL.match(text):
        if phrases.deadline(text, year).date:
            out.questions.append(("kind", "本条既写了时限又是持续性/常态化要求，按 continuing 填"
                                          "写；"
                                          "如应在时限前一次完成，请改为 milestone 并写 metric"))
        return "continuing"
    when = phrases.deadline(text, year)
    if when.date is None and not when.question:
        guess = "continuing" if ENFORCEMENT.search(text) else "milestone"
        out.questions.append(("kind", f"本条没有时限也没有量化指标，类型无法确定，暂按 {guess} "
                                      "填写（continuing：全年持续开展；milestone：年底前完成一次），"
                                      "请确认"))
        return guess
    return "milestone"


def _dates(part: Part, previous: Decision | None, ctx: Context, out: Decision, kind: str,
           recurrence: dict | None) -> None:
    when = phrases.deadline(part.text, ctx.year)
    if when.question:
        out.questions.append(("deadline", when.question))
    inherited = previous.own_deadline if previous is not None and \
        part.reason in ("owner", "measure") else None
    out.own_deadline = when.date or inherited
    begin = phrases.start(part.text, ctx.year).date
    if begin and not recurrence:
        out.fields["start"] = begin
    if recurrence or kind == "unassessed" or CONDITIONAL.match(part.text.strip()) or \
            out.fields.get("note") == "红线要求，全年持续适用。":
        return
    deadline = out.own_deadline
    if kind == "continuing" and previous is not None and previous.own_deadline and \
            previous.own_deadline < ctx.notice and part.reason == "nature":
        out.fields["start"] = ctx.notice
        out.own_deadline = None
        out.questions.append(("start", f"本条为持续性要求，本条目的时限 {previous.own_deadline} "
                                       f"早于发文日期，按自发文日 {ctx.notice} 起持续执行"
                                       "（不设截止日）填写，请确认"))
        return
    if deadline is None:
        deadline = dt.date(ctx.year, 12, 31)
        out.fields["note"] = _join_note(out.fields.get("note"), "原文未写时限，按年度任务理解。")
    elif deadline < ctx.notice:
        out.questions.append(("deadline", f"时限 {deadline}（“{when.phrase}”）早于发文日期 "
                                          f"{ctx.notice}，请确认"))
    out.fields["deadline"] = deadline


def _join_note(first: str | None, second: str) -> str:
    return f"{first}{second}" if first else second
