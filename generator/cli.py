"""Command line: `python -m generator validate|build|publish|…`; thin layer over the library."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import logging
import os
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.common.problems import InputError, Problem, Problems, display_path
from generator.site.engines import DEFAULT_ENGINE, ENGINES

log = logging.getLogger("generator")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，收到 '{text}'") from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("data"), help="数据目录（默认 data）")
    parser.add_argument("--as-of", type=_date, default=None,
                        help="数据截至日期 YYYY-MM-DD（默认今天）；"
                             "相同输入和日期生成完全相同的结果")


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
    publish = commands.add_parser("publish",
                                  help="用站点引擎构建（--strict），成功后替换 site/")
    publish.add_argument("--site", type=Path, default=Path("site"), help="站点输出目录")
    publish.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                         help="站点引擎：mkdocs（默认）或 zensical")
    sample = commands.add_parser("make-sample",
                                 help="重新生成演示用的示例季度报表（覆盖 data/progress）")
    sample.add_argument("--data", type=Path, default=Path("data"), help="数据目录（默认 data）")
    template = commands.add_parser("template",
                                   help="生成某板块某季度的报表模板（已预填指标的 .xlsx 和 .csv）")
    template.add_argument("--data", type=Path, default=Path("data"), help="数据目录（默认 data）")
    template.add_argument("--board", required=True, help="板块编号，如 beigang")
    template.add_argument("--quarter", required=True, help="季度，如 2023Q2")
    template.add_argument("--out", type=Path, default=Path("forms"),
                          help="输出目录（写入 <out>/2023Q2/beigang.xlsx）")
    for register in _EXTRA_COMMANDS:
        register(commands)
    return root


_EXTRA_COMMANDS: list[Callable] = []


def print_warnings(warnings: Sequence[Problem]) -> None:
    """Warnings go to stderr like errors (and become ::warning annotations in CI)."""
    for warning in warnings:
        print(warning.format(), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for warning in warnings:
            print(warning.annotation())


def report_problems(problems: Problems, *, wrote_nothing: bool = True) -> None:
    items = problems.sorted()
    for problem in items:
        print(problem.format(), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in items:
            print(problem.annotation())
    warnings = problems.sorted_warnings()
    print_warnings(warnings)
    tail = "未生成任何文件，上次生成的结果保持不变。" if wrote_nothing else ""
    extra = f"（另有 {len(warnings)} 条警告）" if warnings else ""
    print(f"发现 {len(items)} 个问题{extra}。{tail}", file=sys.stderr)


def run_validate(args) -> int:
    from generator.build import Paths, load_everything

    loaded = load_everything(Paths(data=args.data), args.as_of)
    print_warnings(loaded.warnings)
    targets = sum(len(c.targets) for c in loaded.inputs.catalogs.values())
    extra = f"；{len(loaded.warnings)} 条警告（见上，不影响生成）" if loaded.warnings else ""
    print(f"数据校验通过：{len(loaded.inputs.plans)} 个年度计划，{targets} 项目标任务，"
          f"{len(loaded.reports)} 份季度报表，{len(loaded.cases)} 个典型案例"
          f"（数据截至 {loaded.as_of}）{extra}。")
    return 0


def run_build(args) -> int:
    from generator.common.paths import Paths
    from generator.site import fingerprint

    paths = Paths(data=args.data, out=args.out)
    key = fingerprint.fingerprint(paths, args.as_of, dt.date.today())
    previous = fingerprint.unchanged(paths, key)
    if previous is not None:  # nothing changed: skip importing and running the pipeline
        print(f"输入未变：{previous['pages']} 个页面、{previous['charts']} 张图表已是最新"
              f"（数据截至 {previous['as_of']}）：写入 0 个文件，"
              f"未变 {previous['files']} 个，删除 0 个。")
        return 0
    from generator.build import build

    result = build(paths, args.as_of, key=key)
    stats = result.stats
    print(f"已生成 {result.pages} 个页面、{result.charts} 张图表（数据截至 {result.as_of}）："
          f"写入 {stats.written} 个文件，未变 {stats.unchanged} 个，删除 {stats.removed} 个。")
    return 0


def run_publish(args) -> int:
    from generator.site.publish import publish

    return publish(args.site, engine=args.engine)


def run_make_sample(args) -> int:
    from generator.inputs.load import load_inputs
    from generator.sample import write_samples

    inputs = load_inputs(args.data)
    count = write_samples(inputs.catalogs, args.data / "progress")
    years = "、".join(str(year) for year in sorted(inputs.catalogs))
    print(f"已写入 {count} 份 {years} 年示例报表到 {args.data / 'progress'}"
          "（示例数据，非官方统计）。")
    return 0


NEW_CASE_FIELDS = {
    "board": "板块编号（如 beigang）",
    "campaign": "重点专项编号（如 fenchen，见专项页面网址）",
    "title": "案例标题（60 字以内）",
    "date": "案例日期（YYYY-MM-DD，如 2023-06-15）",
    "summary": "摘要（200 字以内）",
    "tags": "标签（用逗号或顿号分隔，可留空）",
}


def _register_new_case(commands) -> None:
    new = commands.add_parser(
        "new-case", help="新建一个典型案例文件（案例信息已填好的模板）并显示其内容",
        description="在 data/cases/<年份>/<板块>/ 下新建案例文件。缺少的选项在终端中会逐项提问；"
                    "非交互运行（如脚本、CI）时必须全部提供。")
    new.add_argument("--data", type=Path, default=Path("data"), help="数据目录（默认 data）")
    new.add_argument("--board", help=NEW_CASE_FIELDS["board"])
    new.add_argument("--campaign", help=NEW_CASE_FIELDS["campaign"])
    new.add_argument("--title", help=NEW_CASE_FIELDS["title"])
    new.add_argument("--date", type=_date, help=NEW_CASE_FIELDS["date"])
    new.add_argument("--summary", help=NEW_CASE_FIELDS["summary"])
    new.add_argument("--tags", help=NEW_CASE_FIELDS["tags"] + "；不要标签时写 --tags ''")
    new.add_argument("--slug", help="文件名（不含 .md），只能用小写英文字母、数字和连字符；"
                                    "默认为 日期-专项编号，如 2023-06-15-fenchen")
    new.set_defaults(handler=run_new_case)


_EXTRA_COMMANDS.append(_register_new_case)
_EXTRA_COMMANDS.append(lambda commands: __import__(
    "generator.plan_import.command", fromlist=["register"]).register(commands))


def _ask(name: str, check: Callable[[object], str | None]) -> object:
    """Ask in the terminal until check() accepts the answer (it returns a complaint or None)."""
    while True:
        answer = _parse_field(name, input(f"{NEW_CASE_FIELDS[name]}：").strip())
        complaint = check(answer)
        if complaint is None:
            return answer
        print(complaint, file=sys.stderr)


def _parse_field(name: str, text: str | None) -> object:
    """Turn a flag or an answer into its value: a date, a tuple of tags, or stripped text."""
    if text is None:
        return None
    if name == "tags":
        return tuple(t.strip() for t in re.split(r"[,，、;；]", text) if t.strip())
    if name == "date" and not isinstance(text, dt.date):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return ""
    return text.strip() if isinstance(text, str) else text


def _new_case_fields(args, catalogs) -> tuple[dict, Problems]:
    """Take each field from its flag, or ask for it in a terminal; a missing one is a problem."""
    from generator.inputs.new_case import new_case_problems

    def check(name: str, value: object) -> str | None:
        if value in ("", None) and name != "tags":
            return "不能为空" if name != "date" else "日期格式应为 YYYY-MM-DD，如 2023-06-15"
        found = new_case_problems({name: value}, None, catalogs)
        return " — ".join(found[0][1:]) if found else None

    fields, problems = {}, Problems()
    for name in NEW_CASE_FIELDS:
        value = _parse_field(name, getattr(args, name))
        if value is None and sys.stdin.isatty():
            value = _ask(name, functools.partial(check, name))
        if value is None:
            problems.add(f"--{name}", message=f"缺少 --{name}（{NEW_CASE_FIELDS[name]}）",
                         hint="在终端中运行时会逐项提问；非交互运行时必须提供全部选项")
        fields[name] = value
    return fields, problems


def run_new_case(args) -> int:
    from generator.common.files import write_atomically
    from generator.inputs import new_case
    from generator.inputs.load import load_inputs

    catalogs = load_inputs(args.data).catalogs
    fields, problems = _new_case_fields(args, catalogs)
    for option, message, hint in new_case.new_case_problems(fields, args.slug, catalogs):
        problems.add(option, message=message, hint=hint)
    if problems:
        return _new_case_refused(problems)
    new = new_case.NewCase(**fields)
    folder = args.data / "cases" / str(new.date.year) / new.board
    slug = args.slug or new_case.default_slug(new, [p.stem for p in folder.glob("*.md")])
    path = folder / f"{slug}.md"
    if path.exists():
        problems.add(path, message="文件已存在", hint="请用 --slug 指定另一个文件名")
        return _new_case_refused(problems)
    text = new_case.skeleton(new)
    write_atomically(path, text.encode("utf-8"))
    print(f"已新建案例文件 {display_path(path)}：\n\n{text}")
    print("下一步：补写正文（做法、成效、经验），图片放在同一文件夹，然后运行 make validate 检查。")
    return 0


def _new_case_refused(problems: Problems) -> int:
    report_problems(problems, wrote_nothing=False)
    print("未写入任何文件。", file=sys.stderr)
    return 1


def _register_diff(commands) -> None:
    diff = commands.add_parser(
        "diff", help="列出本次提交相对基准分支改变了什么（状态变化、新案例、警告），供审核",
        description="比较 data/ 的当前内容与基准（如 origin/main）的 data/：每个板块哪些指标的状态"
                    "改变、新增的典型案例、改动的文件、计划数字的改动、警告和问题。输出 Markdown；"
                    "在 GitHub Actions 中同时写入任务摘要（$GITHUB_STEP_SUMMARY）。")
    diff.add_argument("--base", required=True, help="基准：分支、标签或提交，如 origin/main")
    diff.add_argument("--data", type=Path, default=Path("data"), help="数据目录（默认 data）")
    diff.add_argument("--as-of", type=_date, default=None, help="数据截至日期 YYYY-MM-DD")
    diff.add_argument("--summary", type=Path, default=None,
                      help="另把摘要追加写入此文件"
                           "（默认：环境变量 GITHUB_STEP_SUMMARY 所指的文件）")
    diff.set_defaults(handler=run_diff)


_EXTRA_COMMANDS.append(_register_diff)


def run_diff(args) -> int:
    from generator.outputs.submission import compare, markdown

    result = compare(Path.cwd(), args.data, args.base, args.as_of)
    text = markdown(result)
    print(text, end="")
    target = args.summary or (Path(os.environ["GITHUB_STEP_SUMMARY"])
                              if os.environ.get("GITHUB_STEP_SUMMARY") else None)
    if target is not None:
        with target.open("a", encoding="utf-8") as summary:
            summary.write(text)
    return 1 if result.problems else 0


def _register_documents(commands) -> None:
    for name, option, text, what in (
            ("bulletin", "--quarter", "某季度的工作进展通报",
             "季度，如 2023Q3（报送日已过的季度；写入 <out>/2023Q3.docx）"),
            ("compilation", "--year", "某年度推荐报送市局的典型案例汇编",
             "年度，如 2023（写入 <out>/2023-compilation.docx）")):
        command = commands.add_parser(name, help=f"生成{text}（Word 文档 .docx）",
                                      description=f"生成{text}（Word 文档），与网站下载的相同。")
        _common(command)
        command.add_argument(option, required=True, help=what)
        command.add_argument("--out", type=Path, default=Path("documents"),
                             help="输出目录（默认 documents）")
        command.set_defaults(handler=run_bulletin if name == "bulletin" else run_compilation)


_EXTRA_COMMANDS.append(_register_documents)


def run_bulletin(args) -> int:
    from generator.build import Paths, evaluate_year, load_everything
    from generator.outputs.bulletin import bulletin_as_of, parse_quarter, write_bulletin

    loaded = load_everything(Paths(data=args.data), args.as_of)
    plans = loaded.inputs.plans
    year, quarter = parse_quarter(args.quarter, plans, loaded.as_of)
    day = bulletin_as_of(plans[year], quarter, loaded.as_of)
    evaluation = evaluate_year(loaded.inputs, loaded.reports, year, day)
    path = write_bulletin(evaluation, loaded.inputs.settings, loaded.cases, args.out)
    print(f"已生成工作进展通报 {display_path(path)}（{year}Q{quarter}，数据截至 {day}）。")
    return 0


def run_compilation(args) -> int:
    from generator.build import Paths, load_everything
    from generator.outputs.compilation import check_year, write_compilation

    loaded = load_everything(Paths(data=args.data), args.as_of)
    catalog = check_year(args.year, loaded.inputs.catalogs, loaded.cases)
    path = write_compilation(catalog, loaded.inputs.settings, loaded.cases, loaded.as_of,
                             args.out)
    print(f"已生成典型案例汇编 {display_path(path)}。")
    return 0


def run_template(args) -> int:
    from generator.build import Paths, load_everything
    from generator.outputs.forms import history_by_board, write_form

    loaded = load_everything(Paths(data=args.data), None)
    year = max(loaded.inputs.plans)
    history = history_by_board(loaded.reports, loaded.as_of, year).get(args.board)
    written = write_form(loaded.inputs.catalog(year), args.board, args.quarter, args.out, history)
    print("已生成报表模板：" + "、".join(map(str, written)) + "（两者选一份填写提交）")
    return 0


HANDLERS = {"validate": run_validate, "build": run_build, "publish": run_publish,
            "make-sample": run_make_sample, "template": run_template}


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
    except ModuleNotFoundError as error:  # run with a Python that lacks the project's packages
        print(f"缺少运行所需的 Python 包 '{error.name}'：请先运行 make site（它会创建 .venv 并"
              f"安装全部依赖），然后用 .venv/bin/python -m generator {args.command} …",
              file=sys.stderr)
        return 1
    except Exception as error:  # the last guard: users never see a traceback
        if args.debug:
            traceback.print_exc()
        print(f"内部错误：{type(error).__name__}: {error} — 这不是数据的问题，请把这条信息和"
              "所用命令报告给维护人员（加 --debug 可看到详细信息）", file=sys.stderr)
        return 2
