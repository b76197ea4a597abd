"""Import FILE, check the draft against the schema, and write it with its review report."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from generator.common.files import write_atomically
from generator.common.problems import InputError, Problems, display_path
from generator.inputs.models import Directory, Plan
from generator.inputs.schema import validate_model
from generator.inputs.validate import Checker, check_plan
from generator.inputs.yamlio import load_yaml_file, read_yaml
from generator.plan_import.build import Draft, import_plan
from generator.plan_import.emit import to_yaml
from generator.plan_import.report import review_report
from generator.plan_import.source import ReadError


def load_directory(path: Path) -> Directory:
    """data/boards.yaml, validated; its problems stop the import."""
    problems = Problems()
    data, marks = load_yaml_file(path, problems) if path.exists() else (None, {})
    if not path.exists():
        problems.add(path, message="找不到板块与单位名录",
                     hint="导入需要 data/boards.yaml（用 --data 指定数据目录）")
    directory = validate_model(Directory, data, path, marks, problems) if not problems else None
    if directory is None:
        raise InputError(problems)
    return directory


def draft_text(source: Path, year: int, out: Path, directory: Directory
               ) -> tuple[str, str, Draft]:
    """The draft YAML and its review report; a file that cannot be read raises InputError."""
    try:
        draft = import_plan(source, year, directory)
    except ReadError as error:
        problems = Problems()
        problems.add(source, message=error.message, hint=error.hint)
        raise InputError(problems) from None
    comments: dict[tuple, list[str]] = defaultdict(list)
    for question in draft.questions:
        comments[question.path].append(f"{question.message}（原文{question.where}）")
    header = [f"{year} 年度计划草稿（模型 generator.inputs.models.Plan）",
              f"由 python -m generator import-plan 从 {display_path(source)} 导入。",
              "请逐条核实下文标为“待确认”的注释，改好后删除该注释；",
              "文件中还有这样的注释时，validate 会逐条列出并拒绝本文件。"]
    text, lines = to_yaml(draft.plan, comments, header)
    _check(text, out, directory)
    return text, review_report(draft, out, lines), draft


def _check(text: str, out: Path, directory: Directory) -> None:
    """The importer must write a plan the loader accepts (open questions apart)."""
    problems = Problems()
    data, marks = read_yaml(out, text, problems)
    plan = validate_model(Plan, data, out, marks, problems)
    if plan is not None:
        check_plan(plan, directory, Checker(out, marks, problems))
    if problems:
        print("注意：草稿还有以下问题，请一并改正：", file=sys.stderr)
        for problem in problems.sorted():
            print("  " + problem.format(), file=sys.stderr)


def write_draft(source: Path, year: int, out: Path, boards: Path) -> str:
    """Write the draft to out and return the review report."""
    text, report, _ = draft_text(source, year, out, load_directory(boards))
    write_atomically(out, text.encode("utf-8"))
    return report
