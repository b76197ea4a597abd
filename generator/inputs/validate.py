"""Cross-checks that a schema cannot express: references, uniqueness, sums, dates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from generator.common.problems import Problems, did_you_mean
from generator.inputs.models import Directory, Plan, Target
from generator.inputs.yamlio import Marks, mark_for


class Checker:
    """Record problems at the YAML position of a model location."""

    def __init__(self, path: Path, marks: Marks, problems: Problems):
        self.path, self.marks, self.problems = path, marks, problems

    def __call__(self, loc: tuple, message: str, hint: str = "") -> None:
        line, column = mark_for(self.marks, loc)
        self.problems.add(self.path, line, column, message, hint)


def check_directory(directory: Directory, check: Checker) -> None:
    """Names, slugs and aliases must each mean exactly one thing."""
    seen: dict[str, tuple] = {}
    for index, board in enumerate(directory.boards):
        for key, name in [("slug", board.slug), ("name", board.name)]:
            _unique(seen, name, ("boards", index, key), check)
    for index, unit in enumerate(directory.units):
        _unique(seen, unit.name, ("units", index, "name"), check)
        if unit.slug is not None:
            _unique(seen, unit.slug, ("units", index, "slug"), check)
        if unit.reports and unit.slug is None:
            check(("units", index, "reports"), f"单位 '{unit.name}' 要报送进展，但没有 slug",
                  "报送文件名用 slug，如 slug: quju（data/progress/2023Q2/quju.csv）")
    for index, contact in enumerate(directory.contacts):
        if contact.unit not in {unit.name for unit in directory.units}:
            check(("contacts", index, "unit"), f"联系人所属单位 '{contact.unit}' 未登记",
                  did_you_mean(contact.unit, [u.name for u in directory.units], "单位"))
    names = Counter(contact.name for contact in directory.contacts)
    for index, contact in enumerate(directory.contacts):
        if names[contact.name] > 1:
            check(("contacts", index, "name"), f"联系人 '{contact.name}' 重复登记", "请删除重复项")


def _unique(seen: dict[str, tuple], name: str, loc: tuple, check: Checker) -> None:
    if name in seen:
        check(loc, f"名称 '{name}' 重复：已在第 {seen[name][1] + 1} 项使用", "名称和编号必须唯一")
    else:
        seen[name] = loc


def iter_targets(plan: Plan) -> Iterator[tuple[tuple, Target]]:
    """Yield each target with its location in the plan file."""
    for p, pillar in enumerate(plan.pillars):
        for g, group in enumerate(pillar.groups):
            for c, campaign in enumerate(group.campaigns):
                for t, target in enumerate(campaign.targets):
                    yield ("pillars", p, "groups", g, "campaigns", c, "targets", t), target


def iter_campaigns(plan: Plan):
    for p, pillar in enumerate(plan.pillars):
        for g, group in enumerate(pillar.groups):
            for c, campaign in enumerate(group.campaigns):
                yield ("pillars", p, "groups", g, "campaigns", c), campaign


def check_plan(plan: Plan, directory: Directory, check: Checker) -> None:
    """Check ids, references, quotas and dates of one year's plan."""
    boards = {board.slug for board in directory.boards}
    board_names = {board.name: board.slug for board in directory.boards}
    owners = boards | {unit.name for unit in directory.units}
    contacts = {contact.name for contact in directory.contacts}
    _check_unique_ids(plan, check)
    for loc, campaign in iter_campaigns(plan):
        for i, unit in enumerate(campaign.responsible):
            _check_owner(unit, owners, board_names, loc + ("responsible", i), check)
        for i, name in enumerate(campaign.contacts):
            if name not in contacts:
                check(loc + ("contacts", i), f"联系人 '{name}' 未在 data/boards.yaml 登记",
                      did_you_mean(name, contacts, "联系人"))
    for loc, target in iter_targets(plan):
        for key in ("owners", "support"):
            for i, owner in enumerate(getattr(target, key)):
                _check_owner(owner, owners, board_names, loc + (key, i), check)
        _check_quotas(target, boards, loc, check)
        _check_dates(target, plan.year, loc, check)
        _check_kind(target, loc, check)


def _check_unique_ids(plan: Plan, check: Checker) -> None:
    seen: set[str] = set()
    for loc, campaign in iter_campaigns(plan):
        if campaign.id in seen:
            check(loc + ("id",), f"专项编号 '{campaign.id}' 重复", "每个专项的 id 必须唯一")
        seen.add(campaign.id)
    for loc, target in iter_targets(plan):
        if target.id in seen:
            check(loc + ("id",), f"指标编号 '{target.id}' 重复",
                  "每个指标的 id 必须唯一，可加后缀如 -2")
        seen.add(target.id)
    for p, pillar in enumerate(plan.pillars):
        if pillar.id in seen:
            check(("pillars", p, "id"), f"类别编号 '{pillar.id}' 重复", "id 必须唯一")
        seen.add(pillar.id)


def _check_owner(name: str, owners: set[str], board_names: dict[str, str], loc: tuple,
                 check: Checker) -> None:
    if name in owners:
        return
    if name in board_names:
        check(loc, f"板块请写编号而不是名称：'{name}'", f"请改为 '{board_names[name]}'")
        return
    check(loc, f"未知的责任单位或板块 '{name}'", did_you_mean(name, owners, "单位和板块"))


def _check_quotas(target: Target, boards: set[str], loc: tuple, check: Checker) -> None:
    for slug, value in target.quotas.items():
        if slug not in boards:
            check(loc + ("quotas", slug, "<key>"), f"未知的板块编号 '{slug}'",
                  did_you_mean(slug, boards, "板块编号"))
        if value < 0:
            check(loc + ("quotas", slug), f"板块 '{slug}' 的任务数不能为负数：{value:g}", "")
    metric = target.metric
    if metric and metric.total is not None and target.quotas:
        total = sum(target.quotas.values())
        if abs(total - metric.total) > 1e-9:
            check(loc + ("quotas",),
                  f"各板块任务数之和为 {total:g}，与原文总数 {metric.total:g} 不符",
                  "请核对各板块数字或 metric.total")
    unvalued = metric and metric.kind != "done" and metric.value is None
    if unvalued and not target.quotas and target.baseline is None:
        check(loc + ("metric",), "可量化指标缺少目标值",
              "请填写 metric.value，或按板块填写 quotas，或以 baseline 指明以去年为基数")


KIND_NAMES = {"milestone": "节点任务", "cumulative": "累计数", "level": "水平值", "limit": "红线",
              "recurring": "周期任务", "continuing": "持续性工作", "unassessed": "只作公示"}


def _check_kind(target: Target, loc: tuple, check: Checker) -> None:
    """Each kind needs what its rule reads (方法说明 explains the kinds)."""
    kinds = "、".join(f"{kind}（{name}）" for kind, name in KIND_NAMES.items())
    if target.kind is None:
        check(loc + ("id",), f"指标 '{target.id}' 缺少 kind（判定方式）", f"请填写 kind：{kinds}")
        return
    metric = target.metric
    name = KIND_NAMES[target.kind]
    if target.kind != "unassessed" and not target.owners:
        check(loc + ("owners",), f"{name}指标必须有主办单位（owners）",
              "请填写 owners；无承担者、只作公示的条目写 kind: unassessed")
    if target.kind == "recurring" and target.recurrence is None:
        check(loc + ("kind",), "周期任务（recurring）缺少 recurrence",
              "请填写 recurrence：every、start")
    if target.kind == "limit" and (metric is None or metric.op != "<="):
        check(loc + ("kind",), "红线（limit）指标的 metric.op 应为 \"<=\"",
              "“不得超过 N”写作 op: \"<=\"、value: N")
    if target.kind in ("cumulative", "level") and metric is not None and metric.op == "<=":
        check(loc + ("kind",), f"“不得超过”类指标应为 limit，而不是 {target.kind}",
              "请改为 kind: limit")
    if target.kind in ("cumulative", "level") and (metric is None or metric.kind == "done"):
        check(loc + ("kind",), f"{name}指标需要数值型的 metric（count/percent/ratio）",
              "完成即可的任务请用 kind: milestone")


def _check_dates(target: Target, year: int, loc: tuple, check: Checker) -> None:
    dates = [("deadline", target.deadline), ("start", target.start)]
    if target.recurrence:
        dates += [("recurrence", target.recurrence.start), ("recurrence", target.recurrence.end)]
    for key, value in dates:
        if value is not None and value.year != year:
            check(loc + (key,), f"日期 {value.isoformat()} 不在计划年度 {year} 年内",
                  f"请填写 {year} 年的日期")
