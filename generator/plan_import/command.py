"""`python -m generator import-plan FILE --year YYYY --out PATH [--report FILE]`."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.common.files import write_atomically
from generator.common.problems import InputError, Problems, display_path

HELP = "从任务分解表（.docx、.xlsx 或 Word 导出的文本）导入年度计划草稿，列出待确认事项"


def register(commands) -> None:
    """Add the import-plan command to the CLI's subcommands."""
    command = commands.add_parser(
        "import-plan", help=HELP,
        description=HELP + "。草稿中规则无法确定的地方写成“# 待确认：…”注释，"
                           "validate 会拒绝仍有待确认事项的计划。")
    command.add_argument("file", type=Path, metavar="FILE", help="任务分解表文件")
    command.add_argument("--year", type=int, required=True, help="计划年度，如 2024")
    command.add_argument("--out", type=Path, required=True,
                         help="草稿输出路径，如 data/plans/2024.yaml")
    command.add_argument("--report", type=Path, default=None, help="另存一份导入报告（文本）")
    command.add_argument("--data", type=Path, default=Path("data"),
                         help="数据目录（读取其中的 boards.yaml，默认 data）")
    command.add_argument("--force", action="store_true", help="覆盖已存在的 --out 文件")
    command.set_defaults(handler=run)


def run(args) -> int:
    from generator.plan_import.write import write_draft

    problems = Problems()
    if not args.file.exists():
        problems.add(args.file, message="找不到要导入的文件", hint="请检查文件路径和文件名")
    if args.out.exists() and not args.force:
        problems.add(args.out, message="输出文件已存在，未覆盖",
                     hint="请换一个 --out 路径，或确认后加 --force 覆盖（已做的修改会丢失）")
    if not 2000 <= args.year <= 2100:
        problems.add("--year", message=f"计划年度 {args.year} 不合理", hint="请写四位年份，如 2024")
    if problems:
        raise InputError(problems)
    report = write_draft(args.file, args.year, args.out, args.data / "boards.yaml")
    print(report, end="")
    if args.report:
        write_atomically(args.report, report.encode("utf-8"))
        print(f"导入报告已另存为 {display_path(args.report)}", file=sys.stderr)
    return 0
