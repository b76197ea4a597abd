"""Command line: `python -m generator validate|build|publish|…`; thin layer over the library."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.problems import InputError, Problems

log = logging.getLogger("generator")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，收到 '{text}'") from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("data"), help="数据目录（默认 data）")
    parser.add_argument("--as-of", type=_date, default=None,
                        help="数据截至日期 YYYY-MM-DD（默认今天）；相同输入和日期生成完全相同的结果")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m generator",
                                   description="钟楼区安全生产工作进展公示平台 生成器")
    root.add_argument("--debug", action="store_true", help="出错时显示程序内部的调用栈")
    commands = root.add_subparsers(dest="command", required=True, metavar="命令")
    validate = commands.add_parser("validate", help="校验 data/ 下的全部数据，不生成文件")
    _common(validate)
    build = commands.add_parser("build", help="校验数据并生成页面、图表和开放数据到 build/docs")
    _common(build)
    build.add_argument("--out", type=Path, default=Path("build/docs"), help="输出目录")
    publish = commands.add_parser("publish", help="运行 mkdocs build --strict，成功后替换 site/")
    publish.add_argument("--site", type=Path, default=Path("site"), help="站点输出目录")
    sample = commands.add_parser("make-sample", help="重新生成演示用的示例季度报表（覆盖 data/progress）")
    sample.add_argument("--data", type=Path, default=Path("data"), help="数据目录（默认 data）")
    for register in _EXTRA_COMMANDS:
        register(commands)
    return root


_EXTRA_COMMANDS: list[Callable] = []


def report_problems(problems: Problems, *, wrote_nothing: bool = True) -> None:
    items = problems.sorted()
    for problem in items:
        print(problem.format(), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in items:
            print(problem.annotation())
    tail = "未生成任何文件，上次生成的结果保持不变。" if wrote_nothing else ""
    print(f"发现 {len(items)} 个问题。{tail}", file=sys.stderr)


def run_validate(args) -> int:
    from generator.build import Paths, load_everything

    loaded = load_everything(Paths(data=args.data), args.as_of)
    targets = sum(len(c.targets) for c in loaded.inputs.catalogs.values())
    print(f"数据校验通过：{len(loaded.inputs.plans)} 个年度计划，{targets} 项目标任务，"
          f"{len(loaded.reports)} 份季度报表（数据截至 {loaded.as_of}）。")
    return 0


def run_build(args) -> int:
    from generator.build import Paths, build

    result = build(Paths(data=args.data, out=args.out), args.as_of)
    stats = result.stats
    print(f"已生成 {result.pages} 个页面、{result.charts} 张图表（数据截至 {result.as_of}）："
          f"写入 {stats.written} 个文件，未变 {stats.unchanged} 个，删除 {stats.removed} 个。")
    return 0


def run_publish(args) -> int:
    from generator.publish import publish

    return publish(args.site)


def run_make_sample(args) -> int:
    from generator.load import load_inputs
    from generator.sample import write_samples

    inputs = load_inputs(args.data)
    year = max(inputs.plans)
    count = write_samples(inputs.catalog(year), args.data / "progress")
    print(f"已写入 {count} 份 {year} 年示例报表到 {args.data / 'progress'}（示例数据，非官方统计）。")
    return 0


HANDLERS = {"validate": run_validate, "build": run_build, "publish": run_publish,
            "make-sample": run_make_sample}


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    args = parser().parse_args(argv)
    try:
        handler = HANDLERS.get(args.command) or args.handler
        return handler(args)
    except InputError as error:
        report_problems(error.problems)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as error:  # the last guard: users never see a traceback
        if args.debug:
            traceback.print_exc()
        print(f"内部错误：{type(error).__name__}: {error} — 这不是数据的问题，请把这条信息和"
              "所用命令报告给维护人员（加 --debug 可看到详细信息）", file=sys.stderr)
        return 2
