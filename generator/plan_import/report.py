"""The Chinese review report: every open question with its source row and draft line."""

from __future__ import annotations

from pathlib import Path

from generator.common.problems import display_path
from generator.plan_import.build import Draft


def review_report(draft: Draft, out: Path, lines: dict[tuple, int]) -> str:
    """List the questions in draft order, each with where it is in the source and the draft."""
    plan = draft.plan
    campaigns = [c for p in plan["pillars"] for g in p["groups"] for c in g["campaigns"]]
    count = sum(len(c["targets"]) for c in campaigns)
    source = display_path(draft.source) if draft.source else "（来源）"
    head = [f"导入报告：{source} → {display_path(out)}",
            f"共 {len(plan['pillars'])} 个类别、{len(campaigns)} 个专项、{count} 项目标任务；"
            f"待确认 {len(draft.questions)} 项。", ""]
    ordered = sorted(draft.questions, key=lambda q: lines.get(_settled(q.path, lines), 0))
    body = []
    for number, question in enumerate(ordered, start=1):
        line = lines.get(_settled(question.path, lines), 0)
        label = _label(plan, question.path)
        body.append(f"{number:>3}. 原文{question.where} → 草稿第 {line} 行{label}："
                    f"{question.message}")
    tail = ["", "下一步：逐条核实以上事项，改好草稿后删除对应的“# 待确认”注释；"
                "然后运行 python -m generator validate（仍有“# 待确认”时会逐条列出并拒绝），"
                "通过后提交。"]
    if not draft.questions:
        tail = ["", "没有待确认事项。请通读草稿后运行 python -m generator validate。"]
    return "\n".join(head + body + tail) + "\n"


def _settled(path: tuple, lines: dict[tuple, int]) -> tuple:
    while path and path not in lines:
        path = path[:-1]
    return path


def _label(plan: dict, path: tuple) -> str:
    """（fenchen-1a）: the id of the deepest target, campaign or pillar on the path."""
    node, found = plan, None
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "id" in node:
            found = node["id"]
    return f"（{found}）" if found else ""
