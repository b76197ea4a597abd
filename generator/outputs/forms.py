"""Quarterly report forms: one prefilled .xlsx (and a CSV twin) per board and quarter.

A filled form is a valid report as it stands: its read-only columns (指标名称, 时限, 目标 ...) are
the informational columns generator.inputs.reports ignores, and its data validation follows the
reader's rules. Same inputs, same bytes: workbook timestamps and zip entry dates are fixed.

Drawing a workbook with openpyxl is the build's slowest step at city scale, so `all_forms` can keep
each workbook in a cache folder under a content hash of everything that decides its bytes (a
`FormSpec`, built from cheap row data first): a hit skips openpyxl entirely.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from generator.common.files import write_atomically
from generator.common.formatting import board_goal, date_text, number, when_text
from generator.common.numerals import quarter_name
from generator.common.problems import InputError, Problems, did_you_mean
from generator.evaluate.calendar import report_due
from generator.evaluate.observations import Observation, collect
from generator.inputs.catalog import Catalog, TargetInfo
from generator.inputs.reports import Slot
from generator.outputs.form_layout import HEADER, FormSpec
from generator.outputs.spreadsheet import safe_row
from generator.site import cache

log = logging.getLogger(__name__)

History = Mapping[str, Sequence[Observation]]
"""Target id -> one board's rows of the year, in quarter order (the form shows the latest one
reported before its own quarter as 上次完成值)."""

QUARTER_LABEL = re.compile(r"(?P<year>\d{4})Q(?P<quarter>[1-4])")
LOOSE_LABEL = re.compile(r"(?P<year>\d{4})\D*?(?P<quarter>\d)\D*")

FILL_HINT = {"count": "填累计数", "percent": "填 0–100 的数", "ratio": "填数值",
             "done": "填 是 或 否"}


def target_kind(info: TargetInfo) -> str:
    """The reader's kind for a target: a metric's kind, or done-type when there is no metric."""
    return info.target.metric.kind if info.target.metric else "done"


def fill_hint(info: TargetInfo) -> str:
    """How to fill 完成值: a running total for counts to reach, a plain number for limits."""
    metric = info.target.metric
    if metric is not None and metric.kind == "count" and metric.op == "<=":
        return "填数字"
    return FILL_HINT[target_kind(info)]


def _rows(catalog: Catalog, board: str, year: int, quarter: int,
          history: History | None) -> list[tuple]:
    """One tuple per target the board must deliver, in plan order; previous values as objects."""
    rows = []
    for info in catalog.board_targets(board):
        seen = next((row for row in reversed((history or {}).get(info.target.id, ()))
                     if row.quarter < quarter), None)  # this year's earlier quarters only
        target = info.target
        name = f"{target.no}. {target.text}" if target.no else target.text
        goal = f"{board_goal(info, board)}（{fill_hint(info)}）"
        previous = None if seen is None else (
            ("是" if seen.done else "否") if seen.done is not None else seen.value)
        rows.append((target.id, info.campaign.name, name, when_text(target), goal, previous,
                     seen.reported_on if seen else None))
    return rows


def form_csv(catalog: Catalog, board: str, year: int, quarter: int,
             history: History | None = None) -> bytes:
    """Return the form as CSV, UTF-8 with BOM and CRLF so Excel opens it as it is."""
    return _csv_bytes(_rows(catalog, board, year, quarter, history), board, f"{year}Q{quarter}")


def _csv_bytes(rows: Sequence[tuple], board: str, label: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for *info, previous, reported in rows:
        previous = number(previous) if isinstance(previous, float) else previous or ""
        writer.writerow(safe_row([*info, previous, reported.isoformat() if reported else "",
                                  "", "", "", "", board, label]))
    return buffer.getvalue().encode("utf-8-sig")


def form_spec(catalog: Catalog, board: str, year: int, quarter: int,
              history: History | None = None,
              rows: Sequence[tuple] | None = None) -> FormSpec:
    """Collect a form's contents; `rows` may be passed when the caller already has them."""
    if rows is None:
        rows = _rows(catalog, board, year, quarter, history)
    slot = Slot(year, quarter, board)
    return FormSpec(board=board, year=year, quarter=quarter, rows=tuple(map(tuple, rows)),
                    kinds=tuple(target_kind(info) for info in catalog.board_targets(board)),
                    due=report_due(year, quarter, catalog.plan.notice.report_day),
                    first=slot.first_day, last=slot.last_day,
                    guide=tuple(guide_lines(catalog, board, year, quarter)))


def draw(spec: FormSpec) -> bytes:
    """Draw a workbook (imports openpyxl on first use: cached forms never need it)."""
    from generator.outputs.form_drawing import draw as draw_workbook

    return draw_workbook(spec)


def form_xlsx(catalog: Catalog, board: str, year: int, quarter: int,
              history: History | None = None) -> bytes:
    """Return the form as an .xlsx workbook: the report sheet first, then 填表说明."""
    return draw(form_spec(catalog, board, year, quarter, history))


def guide_lines(catalog: Catalog, board: str, year: int, quarter: int) -> list[str]:
    """The 填表说明 sheet's text, one paragraph per line; headings end with a full-width colon."""
    name = catalog.boards[board].name
    slot = Slot(year, quarter, board)
    due = report_due(year, quarter, catalog.plan.notice.report_day)
    folder = f"data/progress/{year}Q{quarter}"
    return [
        f"{year}年{quarter_name(quarter)}安全生产工作进展报表 — {name}（{board}）",
        f"依据：{catalog.plan.notice.number}，每季度末月{catalog.plan.notice.report_day}日报送进展；"
        f"本季度报送日为 {date_text(due)}。",
        "",
        "一、怎样填写：",
        "1. 灰色列（指标编号、专项、指标名称、时限、目标、上次完成值、上次上报日期）是预填信息，"
        "请勿修改；报送时除“指标编号”外都会被忽略。",
        "2. 每一行填写黄色的“完成值”和“上报日期”，“说明”“佐证”可选（如佐证材料名称、链接）。",
        "3. 完成值是截至上报日期的累计数，不是本季度新增数。",
        "4. 完成值和上报日期不能留空：本季度不报的指标，请把整行删除。",
        "5. 不要增加、删除或改名列，不要在表头上方插入标题行；只读取“进展报表”工作表。",
        f"6. 最后两列“板块编号”“季度”（{board}、{year}Q{quarter}）说明本表属于哪个板块、哪个季度，"
        "请勿修改：放错板块或季度文件夹的报表会被退回。",
        "",
        "二、填写规则（与网站的报表检查一致）：",
        "1. 计数指标：填数字，可带千分位（1,200）或单位（25家、3 次），不要用“万”“余”“约”等字。",
        "2. 百分比指标：填 0 到 100 之间的数，如 50 或 50%；不带 % 的数照字面读，0.5 表示 0.5%，"
        "不是 50%。",
        "3. 比值指标：填数字，如 1.2。完成值都不能为负数。",
        "4. 完成类指标：填 是 或 否（也可填 完成/未完成、1/0）。",
        f"5. 上报日期：写成 {due} 这样的日期（也可写 {due.year}/{due.month}/{due.day}、"
        f"{date_text(due)}）；须在 {slot.first_day} 至 {slot.last_day} 之间（允许迟报一个季度），"
        "且不能晚于实际报送当天。",
        "6. 全角数字和字母（如 ５０％）会自动按半角读取。",
        "",
        "三、怎样提交：",
        f"1. 保存为 Excel 工作簿（.xlsx），保留下载时的文件名 {board}-{year}Q{quarter}.xlsx"
        f"（也可命名为 {board}.xlsx）；也可另存为“CSV UTF-8（逗号分隔）”，扩展名为 .csv。"
        "同一季度只提交一份。",
        f"2. 放到仓库的 {folder}/ 文件夹，通过拉取请求（pull request）提交。",
        "3. 拉取请求的检查会逐条列出问题所在的行、列和改法；本地可运行 make validate 自查。",
        "4. 各专项的联络人见网站“关于 → 工作联络人”页面。",
    ]


# --- every form, for the site ----------------------------------------------------------------

def history_by_board(reports: Sequence, as_of: dt.date, year: int) -> Mapping[str, History]:
    """Board -> target id -> its rows of `year` reported on or before as_of, quarter by quarter."""
    grouped: dict[str, dict[str, tuple[Observation, ...]]] = {}
    for (target, board), rows in collect(reports, year, as_of).rows.items():
        grouped.setdefault(board, {})[target] = rows
    return grouped


def form_name(year: int, quarter: int, board: str, suffix: str) -> str:
    """beigang-2023Q3.xlsx: a downloaded form says whose and which quarter it is, and the reader
    accepts the name as it is."""
    return f"{board}-{year}Q{quarter}{suffix}"


def form_path(year: int, quarter: int, board: str, suffix: str) -> str:
    return f"forms/{year}Q{quarter}/{form_name(year, quarter, board, suffix)}"


def all_forms(catalog: Catalog, histories: Mapping[str, History] | None,
              year: int, cache_dir: Path | None = None) -> dict[str, bytes]:
    """Return forms/<year>Q<q>/<board>.xlsx and .csv for every board and quarter.

    With a `cache_dir`, each workbook is read from <cache_dir>/<key>.xlsx when its FormSpec's
    key is there, else drawn and stored; None draws every workbook (same bytes either way).
    """
    files = {}
    hits = 0
    for quarter in range(1, 5):
        for board in catalog.boards:
            rows = _rows(catalog, board, year, quarter, (histories or {}).get(board))
            spec = form_spec(catalog, board, year, quarter, rows=rows)
            data, hit = cache.get_or_make(cache_dir, spec.key(), ".xlsx",
                                          functools.partial(draw, spec))
            hits += hit
            files[form_path(year, quarter, board, ".xlsx")] = data
            files[form_path(year, quarter, board, ".csv")] = _csv_bytes(rows, board,
                                                                        f"{year}Q{quarter}")
    if cache_dir is not None:
        log.debug("forms: %d of %d workbooks from cache", hits, len(files) // 2)
    return files


def form_links(catalog: Catalog, board: str, root: str = "../") -> list[dict[str, str]]:
    """One row per quarter with links to the board's forms, from a page at `root`."""
    year = catalog.plan.year
    return [{"quarter": quarter_name(q),
             "due": date_text(report_due(year, q, catalog.plan.notice.report_day)),
             "xlsx": root + form_path(year, q, board, ".xlsx"),
             "csv": root + form_path(year, q, board, ".csv")} for q in range(1, 5)]


# --- the command line's `template` -----------------------------------------------------------

def parse_form_request(catalog: Catalog, board: str, quarter_label: str) -> tuple[str, int, int]:
    """Check a board slug and a quarter label like 2023Q2; raise InputError explaining each."""
    problems = Problems()
    if board not in catalog.boards:
        problems.add("--board", message=f"未知的板块编号 '{board}'",
                     hint=_board_hint(catalog, board))
    year, quarter = catalog.plan.year, 0
    match = QUARTER_LABEL.fullmatch(quarter_label.strip())
    if match and int(match["year"]) == year:
        quarter = int(match["quarter"])
    else:
        problems.add("--quarter", message=_quarter_message(quarter_label, year),
                     hint=_quarter_hint(quarter_label, year))
    if problems:
        raise InputError(problems)
    return board, year, quarter


def _board_hint(catalog: Catalog, word: str) -> str:
    for board in catalog.boards.values():
        if word.strip() in (board.name, board.short, *board.aliases):
            return f"是否应为 '{board.slug}'？（{board.name}的板块编号）"
    return did_you_mean(word, list(catalog.boards), "板块编号")


def _quarter_message(label: str, year: int) -> str:
    match = QUARTER_LABEL.fullmatch(label.strip())
    if match:
        return f"没有 {match['year']} 年度的任务分解表：当前年度为 {year}"
    return f"季度 '{label}' 不对：应写成 {year}Q1 至 {year}Q4"


def _quarter_hint(label: str, year: int) -> str:
    choices = [f"{year}Q{q}" for q in range(1, 5)]
    loose = LOOSE_LABEL.fullmatch(label.strip())
    if loose and loose["quarter"] in "1234":
        return f"是否应为 '{year}Q{loose['quarter']}'？"
    if loose:
        return f"季度只能是 1 到 4：{'、'.join(choices)}"
    return did_you_mean(label, choices, "季度")


def write_form(catalog: Catalog, board: str, quarter_label: str, out_dir: Path,
               history: History | None = None) -> list[Path]:
    """Write <out_dir>/<year>Q<q>/<board>.xlsx and .csv; return the paths written."""
    board, year, quarter = parse_form_request(catalog, board, quarter_label)
    folder = Path(out_dir) / f"{year}Q{quarter}"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, make in ((".xlsx", form_xlsx), (".csv", form_csv)):
        path = folder / form_name(year, quarter, board, suffix)
        write_atomically(path, make(catalog, board, year, quarter, history))
        written.append(path)
    log.info("wrote %s", ", ".join(map(str, written)))
    return written
