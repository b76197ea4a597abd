"""What a data submission changes, in Chinese Markdown: the pull request's job summary.

`python -m generator diff --base <ref>` loads data/ as it is now and data/ as it was at <ref>
(read with `git archive`, never checked out), evaluates both at the same 数据截至 date, and
lists per board the targets whose status changes (from → to), new cases, changed files, the
plan numbers that changed (they need the bureau's approval), every warning and every problem.
A reviewer runs the same command locally; CI writes it to $GITHUB_STEP_SUMMARY.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.common.problems import InputError, Problem, printable

MAX_ROWS = 200
"""Status changes listed in full; more than this (a new year, a re-based plan) are counted."""


@dataclass(frozen=True)
class StatusChange:
    board: str
    target: str
    text: str
    before: str
    after: str


@dataclass
class Comparison:
    base: str
    as_of: dt.date | None = None
    files: list[tuple[str, str]] = field(default_factory=list)
    """(what happened, path): 新增 / 修改 / 删除."""
    changes: list[StatusChange] = field(default_factory=list)
    cases: list[tuple[str, str, str]] = field(default_factory=list)
    """(board name, title, path) of cases that are new in this submission."""
    plan_changes: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    base_note: str = ""
    """Why the base could not be read or evaluated, if so."""


# --- reading the base ------------------------------------------------------------------------

def extract_data(ref: str, repo: Path, dest: Path) -> Path:
    """Write data/ as it was at ref into dest (via `git archive`); return dest/data.

    Raises ValueError with a Chinese reason when git or the ref is not available.
    """
    try:
        archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", ref, "data"],
                                 capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ValueError(f"无法运行 git：{error}") from None
    if archive.returncode != 0:
        reason = archive.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise ValueError(f"无法读取 {ref} 的 data/：{reason[0]}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")  # no links, no paths leaving dest
    return dest / "data"


def file_changes(base: Path, head: Path) -> list[tuple[str, str]]:
    """Files added, changed and removed under data/, in path order."""
    def listing(root: Path) -> dict[str, bytes]:
        if not root.is_dir():
            return {}
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and not p.is_symlink()}

    old, new = listing(base), listing(head)
    changes = []
    for name in sorted(old.keys() | new.keys()):
        if name not in old:
            changes.append(("新增", f"data/{name}"))
        elif name not in new:
            changes.append(("删除", f"data/{name}"))
        elif old[name] != new[name]:
            changes.append(("修改", f"data/{name}"))
    return changes


# --- comparing two evaluations ---------------------------------------------------------------

def _statuses(loaded) -> dict[tuple[int, str, str], tuple[str, str]]:
    """(year, board, target) -> (status label, target text) for every evaluated cell."""
    from generator.build import evaluate_year

    found = {}
    for year in sorted(loaded.inputs.plans):
        evaluation = evaluate_year(loaded.inputs, loaded.reports, year, loaded.as_of)
        catalog = evaluation.catalog
        for cell in evaluation.cells:
            text = catalog.targets[cell.target_id].target.text
            found[year, cell.owner, cell.target_id] = (cell.status.label, text)
    return found


def status_changes(base, head) -> list[StatusChange]:
    """Cells whose status differs between the base and the head, newest year first."""
    before = _statuses(base) if base is not None else {}
    after = _statuses(head)
    boards = {board.slug: board.name for board in head.inputs.directory.boards}
    order = {slug: index for index, slug in enumerate(boards)}
    changes = []
    for key in sorted(after, key=lambda k: (-k[0], order.get(k[1], len(order)), k[2])):
        year, board, target = key
        old = before.get(key, ("—", ""))[0]
        new, text = after[key]
        if old != new:
            changes.append(StatusChange(boards.get(board, board), target, text, old, new))
    return changes


def new_cases(base, head) -> list[tuple[str, str, str]]:
    known = {case.key for case in base.cases} if base is not None else set()
    return [(case.board_name, case.title, f"data/cases/{case.key}.md")
            for case in head.cases if case.key not in known]


def plan_changes(base, head) -> list[str]:
    """Quotas, totals and goals that differ from the base: the bureau must approve them."""
    if base is None:
        return []
    lines = []
    for year, plan in sorted(head.inputs.plans.items()):
        old_plan = base.inputs.plans.get(year)
        if old_plan is None:
            lines.append(f"新增 {year} 年度计划（data/plans/{year}.yaml）")
            continue
        old = {t.id: t for t in _targets(old_plan)}
        for target in _targets(plan):
            lines += [f"{year} 年 {target.id}：{change}"
                      for change in _number_changes(old.get(target.id), target)]
    return lines


def _targets(plan) -> Iterator:
    for pillar in plan.pillars:
        for group in pillar.groups:
            for campaign in group.campaigns:
                yield from campaign.targets


def _number_changes(old, new) -> list[str]:
    if old is None:
        return ["新增指标"]
    found = []
    for slug in sorted(old.quotas.keys() | new.quotas.keys()):
        before, after = old.quotas.get(slug), new.quotas.get(slug)
        if before != after:
            found.append(f"{slug} 任务数 {_num(before)} → {_num(after)}")
    for name in ("value", "total"):
        before = getattr(old.metric, name, None) if old.metric else None
        after = getattr(new.metric, name, None) if new.metric else None
        if before != after:
            found.append(f"{'目标值' if name == 'value' else '全区合计'} {_num(before)} → "
                         f"{_num(after)}")
    return found


def _num(value: float | None) -> str:
    return "（无）" if value is None else f"{value:g}"


# --- the whole comparison --------------------------------------------------------------------

def compare(repo: Path, data: Path, base_ref: str, as_of: dt.date | None) -> Comparison:
    """Load the head (data/ as it is) and the base (data/ at base_ref) and compare them."""
    from generator.build import load_everything
    from generator.common.paths import Paths

    result = Comparison(base_ref)
    try:
        head = load_everything(Paths(data=data), as_of)
    except InputError as error:
        result.problems = error.problems.sorted()
        result.warnings = error.problems.sorted_warnings()
        head = None
    with tempfile.TemporaryDirectory(prefix="portal-base-") as scratch:
        try:
            base_data = extract_data(base_ref, repo, Path(scratch))
        except ValueError as error:
            result.base_note, base_data = str(error), Path(scratch) / "missing"
        result.files = file_changes(base_data, data)
        if head is None:
            return result
        result.as_of, result.warnings = head.as_of, list(head.warnings)
        base = None
        if base_data.is_dir():
            try:
                base = load_everything(Paths(data=base_data), head.as_of)
            except InputError as error:
                count = len(error.problems)
                result.base_note = f"{base_ref} 的数据本身未通过校验（{count} 个问题）"
    result.changes = status_changes(base, head)
    result.cases = new_cases(base, head)
    result.plan_changes = plan_changes(base, head)
    return result


# --- Markdown ----------------------------------------------------------------------------------

def cell(text: str) -> str:
    """Text safe in a Markdown table cell of the summary (no markup, no line break, no pipe)."""
    from generator.common.escape import markdown_inline

    return markdown_inline(printable(str(text)))


def markdown(result: Comparison) -> str:
    lines = [f"## 本次提交的数据变化（与 {cell(result.base)} 相比）", ""]
    if result.problems:
        lines += [f"**校验未通过：{len(result.problems)} 个问题，须修改后才能合并。**", ""]
    else:
        date = f"，数据截至 {result.as_of}" if result.as_of else ""
        note = f"，{len(result.warnings)} 条警告（请审核人关注）" if result.warnings else ""
        lines += [f"校验通过{date}{note}。", ""]
    if result.base_note:
        lines += [f"> 注意：{cell(result.base_note)}；以下按全部为新数据列出。", ""]
    lines += _section("问题（须修改）", [_problem(p) for p in result.problems])
    lines += _section("警告（不影响合并，请核对）", [_problem(p) for p in result.warnings])
    lines += _section("计划数字的改动（须区局审核批准）",
                      [f"- {cell(x)}" for x in result.plan_changes])
    lines += _section("改动的文件", [f"- {what} {cell(path)}" for what, path in result.files])
    lines += _changes_section(result.changes)
    lines += _section("新增典型案例", [f"- {cell(board)}：{cell(title)}（{cell(path)}）"
                                    for board, title, path in result.cases])
    return "\n".join(lines).rstrip() + "\n"


def _problem(problem: Problem) -> str:
    return f"- {cell(problem.where())}：{cell(problem.text())}"


def _section(title: str, items: Sequence[str]) -> list[str]:
    return [f"### {title}", "", *items, ""] if items else []


def _changes_section(changes: Sequence[StatusChange]) -> list[str]:
    if not changes:
        return ["### 状态变化", "", "本次提交不改变任何指标的状态。", ""]
    lines = [f"### 状态变化（{len(changes)} 项）", ""]
    board = None
    for change in changes[:MAX_ROWS]:
        if change.board != board:
            board = change.board
            lines += [f"#### {cell(board)}", "", "| 指标 | 目标任务 | 原状态 | 新状态 |",
                      "|---|---|---|---|"]
        text = change.text if len(change.text) <= 40 else change.text[:39] + "…"
        lines.append(f"| {cell(change.target)} | {cell(text)} | {cell(change.before)} | "
                     f"{cell(change.after)} |")
    if len(changes) > MAX_ROWS:
        lines += ["", f"另有 {len(changes) - MAX_ROWS} 项状态变化未列出。"]
    return [*lines, ""]
