"""Read the boards' quarterly progress reports: data/progress/<year>Q<n>/<board>.csv|xlsx.

每个板块每季度提交一份报表，每个指标一行，完成值为截至上报日期的累计数。读取规则如下，
凡不符合的都记为问题（中文说明 + 改法），绝不猜测：

1. 位置：data/progress/<年份>Q<季度>/<板块编号>.csv 或 .xlsx；年份 2000–2099，季度 1–4，
   扩展名小写。顶层 README.md 不算报表；以 "." 开头的文件
   （或文件夹中的文件）不读取，其中像报表的（.csv/.xlsx/.xls/.xlsm）
   报错说明，其他（.gitkeep 等）忽略。符号链接一律拒收、从不跟随
   （generator.inputs.sources）。同一季度同一板块只能有一份。
2. 编码（仅 CSV）：先按 UTF-8（可带 BOM）严格解码；失败再按 GB18030 严格解码，且只在以下
   任一条件成立时接受：解码后表头全是已知列名；或 charset-normalizer 判断其为 GB 系编码
   （gb18030/gbk/gb2312）。否则拒收，请另存为"CSV UTF-8"。同样的字节总得到同样的结果。
3. Excel：只读“进展报表”工作表，没有时读第一个工作表；日期单元格、
   Excel 日期序列号均可；设为百分比格式的单元格按显示值读（0.5 显示为
   50% 即 50）。打开前先检查压缩包：解压后过大、外部链接、宏一律拒收；
   读取时拒收隐藏的报表工作表、含数据的隐藏工作表、公式（请粘贴为数值）、
   超过 5000 行的工作表（generator.inputs.workbooks）。
4. 表头：第一个非空行。列名不分顺序、不分大小写，可用中文：target（指标编号/指标）、
   value（完成值）、reported_on（上报日期）为必填列；note（说明）、evidence（佐证）可选；
   报表模板里的只读列 name（指标名称）、campaign（专项）、when（时限）、goal（目标）、
   previous_value（上次完成值）、previous_reported_on（上次上报日期）允许并忽略。
   其他列名一律报错。空行跳过。
5. 指标编号、完成值、上报日期先做 NFKC 规范化（全角转半角：５０％ → 50%）并去掉首尾空白；
   说明、佐证只去首尾空白，原样保留（中文标点不改），各不超过 500 字。
   文件或单元格中的控制字符、NUL、文字方向控制符（U+202A–U+202E、
   U+2066–U+2069）一律拒收并指出位置（generator.inputs.safe_text）。
6. 完成值：数字可带千分位（1,200）；计数指标可带 1–4 个汉字的单位（25家、3 次），但不得含
   万、千、余、约等不确切的字；百分比指标可带 %，"50%" 与 "50" 都是 50，不超过 100；不带 %
   的数一律照字面读，0.5 就是 0.5%，不会当作 50%。不得为负。完成类指标填 是/否、完成/
   未完成/已完成、1/0、yes/no、true/false、√/×。
7. 上报日期：2023-06-25、2023/6/25、2023.6.25、2023年6月25日、20230625、Excel 序列号
   （五位数，如 45102）；可带时间，时间忽略，但须是真实的时间（时 0–23、
   分秒 0–59）；日期须真实存在（没有 6 月 31 日）。Q 季度的报表日期须在
   Q 的第一天到下一季度最后一天之间（允许迟报一个季度），且不晚于数据
   截止日 as_of。
8. 有任何问题的报表整份不用（返回 None）；构建在汇总全部问题后一次性中止。

Reading rules, in English: a report lives at <year>Q<1-4>/<board slug>.csv|xlsx (lower-case
extension, year 2000-2099; a top-level README.md is skipped, and so are dot-files, except that a
hidden file that looks like a report is an error; links are refused, never followed; one file
per board and quarter). CSV bytes are decoded as strict UTF-8 (BOM allowed), else as strict
GB18030 when the decoded header holds only known column names or charset-normalizer's best guess
is a GB encoding (gb18030, gbk, gb2312); anything else is rejected. An .xlsx report is read from
its 进展报表 sheet (else its first), date cells and serials accepted, percent-formatted cells
read as shown; workbooks that inflate past the limit, link other files or hold macros are
refused before loading, and so are a hidden report sheet, hidden sheets holding data, formulas
(paste as values) and sheets over 5000 rows. The first non-empty row is the header (order free,
English or Chinese names; the report form's read-only columns are ignored; unknown names are
errors); empty rows are skipped. Target, value and date cells are NFKC-normalised and stripped;
note and evidence are only stripped and hold at most 500 characters. Control characters, NUL and
bidi overrides are refused where they stand. Numbers may carry thousands separators; count
values may carry a 1-4 character Chinese unit (not 万/千/余/约 ...); percent values may carry %,
and a bare number is taken literally (0.5 means 0.5 %, never 50 %); values must not be
negative, percentages not over 100. Dates take the seven forms listed above and must exist; a
time part must be a real time and is ignored; dates must fall between the quarter's first day
and the end of the following quarter, and not after as_of.
A report with any problem is not returned; every problem is recorded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import charset_normalizer

from generator.common.dates import month_end, months_later
from generator.common.problems import Problems, closest, did_you_mean
from generator.inputs import sources, workbooks
from generator.inputs.safe_text import HIDDEN, HIDDEN_HINT, find_hidden, hidden_message, too_long

logger = logging.getLogger(__name__)

Parsed = TypeVar("Parsed")

SUFFIXES = (".csv", ".xlsx")
REPORT_LIKE = (".csv", ".xlsx", ".xls", ".xlsm")
"""A hidden file with one of these endings was meant as a report: refused, not skipped."""
MAX_NOTE = 500
"""Characters in one 说明 or 佐证 cell: they are published on the board's page."""
NOTE_HINTS = {
    "note": ("说明", "请精简到一两句话；详细材料请作为佐证另行留存，这里写材料名称"),
    "evidence": ("佐证", "请只写佐证材料的名称或网址，不要粘贴材料全文"),
}
MAX_ROWS = 2000
"""Data rows allowed in one report: bounds the work a small, highly compressed .xlsx can cause."""

def _headers(**names: str) -> dict[str, tuple[str, ...]]:
    return {column: (column, *alternatives.split()) for column, alternatives in names.items()}


COLUMNS = _headers(
    target="指标编号 指标", value="完成值", reported_on="上报日期", note="说明", evidence="佐证",
    # Which board and quarter the form was made for: checked against where the file is put.
    board="板块编号", quarter="季度",
    # Informational columns, read-only in the report form (generator.outputs.forms); allowed
    # and ignored.
    name="指标名称", campaign="专项", when="时限", goal="目标",
    previous_value="上次完成值", previous_reported_on="上次上报日期",
)
"""Column -> accepted header names, compared after NFKC and casefolding."""
REQUIRED = ("target", "value", "reported_on")
ALIASES = {alias.casefold(): column for column, names in COLUMNS.items() for alias in names}
GB_ENCODINGS = {"gb18030", "gbk", "gb2312"}

DONE = {
    "是": True, "完成": True, "已完成": True, "1": True, "yes": True, "true": True, "√": True,
    "否": False, "未完成": False, "0": False, "no": False, "false": False, "×": False,
}
KIND_NAMES = {"count": "计数", "percent": "百分比", "ratio": "比值", "done": "完成类"}
VALUE_HINTS = {
    "count": "请填写数字，如 12",
    "percent": "请填写 0 到 100 之间的数，如 50 或 50%",
    "ratio": "请填写数字，如 1.2",
    "done": "请填写 是 或 否（也可填 完成/未完成、1/0）",
}
NUMBER = re.compile(
    r"(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?P<unit>%|[\u4e00-\u9fff]{1,4})?")
INEXACT = set("万千百亿十余多约近几")

TIME = r"(?:[\sT]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
DATES = [re.compile(form + TIME) for form in (
    r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})",
    r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?",
    r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})",
)]
EXCEL_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")

FOLDER = re.compile(r"(?P<year>20\d\d)Q(?P<quarter>[1-4])")
FORM_NAME = re.compile(r"(?P<board>[a-z][a-z0-9-]*?)-(?P<label>\d{4}Q\d)")
"""A form as downloaded from the site: beigang-2023Q3.xlsx (accepted as is)."""
SHEET_NAME = "进展报表"
"""The report sheet of the site's forms; read wherever it is in the workbook."""
TITLE_SEARCH_ROWS = 5
LOOSE_FOLDER = re.compile(r"(?P<year>\d{4})\D*?(?P<quarter>\d)\D*")

Cell = str | dt.date
"""A cell as read: text, or a date from an Excel date cell."""


@dataclass(frozen=True)
class ReportRow:
    target: str
    value: float | None
    """Numeric value; None for done-type rows."""
    done: bool | None
    """For done-type rows; None otherwise."""
    reported_on: dt.date
    note: str
    evidence: str
    line: int
    """1-based line (CSV) or row number (xlsx) in the file."""


@dataclass(frozen=True)
class Report:
    path: Path
    board: str
    year: int
    quarter: int
    rows: tuple[ReportRow, ...]

    @property
    def submitted_on(self) -> dt.date:
        """The latest report date of the rows."""
        return max(row.reported_on for row in self.rows)


@dataclass(frozen=True)
class ReportRules:
    boards: frozenset[str]
    """Known board slugs."""
    target_kinds: Mapping[str, str]
    """Target id -> "count" | "percent" | "ratio" | "done"."""
    board_targets: Mapping[str, frozenset[str]]
    """Board slug -> target ids that board must report."""
    as_of: dt.date
    max_bytes: int = 1_000_000


@dataclass(frozen=True)
class Slot:
    """Which board and quarter a report is for, from its path."""

    year: int
    quarter: int
    board: str

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> dt.date:
        """Last day a report may be dated: the end of the following quarter."""
        return month_end(months_later(dt.date(self.year, 3 * self.quarter, 1), 3))


@dataclass(frozen=True)
class Row:
    line: int
    cells: tuple[Cell, ...]


class CellError(Exception):
    """A cell that cannot be used; carries the message and how to fix it."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass
class FileProblems:
    """Record problems against one file and remember whether there were any."""

    path: Path
    problems: Problems
    count: int = 0

    def __call__(self, line: int, column: int, message: str, hint: str = "") -> None:
        self.problems.add(self.path, line, column, message, hint)
        self.count += 1


# --- stage 0: find the files -----------------------------------------------------------------

def load_reports(progress_dir: Path, rules: ReportRules, problems: Problems) -> list[Report]:
    """Read every report under progress_dir, sorted by (year, quarter, board).

    Every problem is recorded; reports with problems are left out.
    """
    reports = []
    files = _report_files(Path(progress_dir), problems)
    first: dict[tuple[Path, str], Path] = {}
    for path in sorted(files, key=lambda p: (p.parent, p.suffix != ".csv", p.name)):
        board = _board_of(path.stem)
        twin = first.setdefault((path.parent, board), path)
        if twin != path:
            problems.add(path, message=f"同一季度已有 {twin.name}：每个板块每季度只能有一份报表",
                         hint=f"请删除 {twin.name} 或 {path.name}")
        elif report := read_report(path, rules, problems):
            reports.append(report)
    return sorted(reports, key=lambda report: (report.year, report.quarter, report.board))


def _report_files(progress_dir: Path, problems: Problems) -> list[Path]:
    """List the files two levels down; anything placed elsewhere is a problem."""
    if not progress_dir.is_dir():
        logger.info("%s does not exist: no reports yet", progress_dir)
        return []
    files = []
    for path in sources.files(progress_dir, problems):  # links are refused, never followed
        relative = path.relative_to(progress_dir)
        if any(part.startswith(".") for part in relative.parts):
            if path.name.lstrip(".").lower().endswith(REPORT_LIKE):
                problems.add(path, message=_hidden_message(relative), hint=_hidden_hint(relative))
            continue
        if len(relative.parts) == 2:
            files.append(path)
        elif relative != Path("README.md"):
            problems.add(path, message="报表位置不对：应为 <年份>Q<季度>/<板块编号>.csv",
                         hint="请移到季度文件夹中，如 2023Q2/beigang.csv")
    return files


def _hidden_message(relative: Path) -> str:
    if relative.name.startswith("."):
        return "文件名以“.”开头，是隐藏文件：不会被当作报表读取"
    folder = next(part for part in relative.parts if part.startswith("."))
    return f"所在的文件夹 '{folder}' 以“.”开头，是隐藏文件夹：其中的报表不会被读取"


def _hidden_hint(relative: Path) -> str:
    if relative.name.startswith("."):
        return (f"如果这是报表，请改名为 {relative.name.lstrip('.')}（去掉开头的“.”）；"
                "如不是，请删除它")
    return "请把报表移到季度文件夹中，如 data/progress/2023Q2/beigang.csv"


def read_report(path: Path, rules: ReportRules, problems: Problems) -> Report | None:
    """Read one report; return None and record why if it cannot be used."""
    path = Path(path)
    flag = FileProblems(path, problems)
    slot = _locate(path, rules, flag)
    if slot is None:
        return None
    table = _read_table(path, rules, flag)
    if table is None:
        return None
    header, body = table[0], table[1:]
    if title := _title_row(header, body):
        flag(header.line, 0, f"第 {header.line} 行“{title}”是标题，不是表头",
             "请删除表头上方的标题行：第一行应是表头（指标编号、完成值、上报日期 …）")
        return None
    columns = _map_header(header, body, flag)
    if columns is None:
        return None
    if not body:
        flag(header.line, 0, "报表没有数据行", "请在表头下每个指标填写一行")
        return None
    if not _slot_columns_match(body, columns, slot, flag):
        return None
    body = _without_unfilled_rows(body, columns, flag)
    rows = _read_rows(body, columns, slot, rules, flag)
    if flag.count:
        return None
    return Report(path, slot.board, slot.year, slot.quarter, tuple(rows))


# --- stage 1: the file's name says which board and quarter ------------------------------------

def _board_of(stem: str) -> str:
    """The board a file name names: beigang.csv and beigang-2023Q3.xlsx both say beigang."""
    form = FORM_NAME.fullmatch(stem)
    return form["board"] if form else stem


def _locate(path: Path, rules: ReportRules, flag: FileProblems) -> Slot | None:
    """Check the folder and file name; return the board and quarter they name."""
    folder = FOLDER.fullmatch(path.parent.name)
    if folder is None:
        flag(0, 0, *_folder_problem(path.parent.name))
    suffix_ok = _check_suffix(path, flag)
    board = _board_of(path.stem)
    form = FORM_NAME.fullmatch(path.stem)
    if board not in rules.boards:
        flag(0, 0, f"未知的板块编号 '{board}'", _board_hint(board, rules.boards))
    named_elsewhere = False
    if form is not None and folder is not None and form["label"] != folder[0]:
        named_elsewhere = True
        flag(0, 0, f"文件名表明这是 {form['label']} 的报表，却放在 {folder[0]} 文件夹",
             f"请把它移到 data/progress/{form['label']}/；如确是 {folder[0]} 的报表，"
             f"请从网站下载 {folder[0]} 的报表模板重新填写")
    if folder is None or not suffix_ok or board not in rules.boards or named_elsewhere:
        return None
    return Slot(int(folder["year"]), int(folder["quarter"]), board)


def _board_hint(board: str, boards: frozenset[str]) -> str:
    if board.startswith("~$"):
        return "这是 Excel 打开文件时生成的临时文件，请关闭 Excel 后删除"
    return did_you_mean(board, boards, "板块") + "（文件名须为板块编号，如 beigang.csv）"


def _folder_problem(name: str) -> tuple[str, str]:
    usage = "文件夹名须为 年份Q季度，如 2023Q2"
    loose = LOOSE_FOLDER.fullmatch(name)
    if loose and FOLDER.fullmatch(guess := f"{loose['year']}Q{loose['quarter']}"):
        return f"季度文件夹名 '{name}' 不对", f"是否应为 '{guess}'？{usage}"
    if loose and loose["quarter"] not in "1234":
        return f"季度文件夹名 '{name}' 不对：季度只能是 Q1–Q4", usage
    return f"季度文件夹名 '{name}' 不对", usage


def _check_suffix(path: Path, flag: FileProblems) -> bool:
    if path.suffix in SUFFIXES:
        return True
    if path.suffix.lower() in SUFFIXES:
        hint = f"请把扩展名改为小写：{path.stem}{path.suffix.lower()}"
    elif path.suffix.lower() == ".xls":
        hint = "这是旧版 Excel 文件，请在 Excel 中另存为「Excel 工作簿 (*.xlsx)」或「CSV UTF-8」"
    else:
        hint = "报表须为 .csv 或 .xlsx 文件"
    flag(0, 0, f"不支持的文件类型 '{path.suffix or path.name}'", hint)
    return False


# --- stage 2: bytes to rows of cells ----------------------------------------------------------

def _read_table(path: Path, rules: ReportRules, flag: FileProblems) -> list[Row] | None:
    """Read the file's non-empty rows, the header first."""
    try:
        size = path.lstat().st_size
        if size > rules.max_bytes:
            flag(0, 0, f"文件过大：{size:,} 字节，上限 {rules.max_bytes:,} 字节",
                 "请只保留本板块本季度的报表，每个指标一行")
            return None
        data = sources.read_bytes(path)
    except OSError as error:
        flag(0, 0, f"无法读取文件：{error.strerror}", "请检查文件是否完整、可读")
        return None
    except sources.ReadRefused as refused:
        flag(0, 0, refused.message, refused.hint)
        return None
    if path.suffix == ".xlsx":
        rows = _xlsx_rows(data, flag)
    else:
        text = _decode(data, flag)
        rows = None if text is None or _has_hidden(text, flag) else _csv_rows(text, flag)
    if rows is None:
        return None
    if not rows:
        flag(0, 0, "文件是空的", "请按模板填写：表头 target,value,reported_on,note,evidence，"
             "其下每个指标一行")
        return None
    return rows


def _decode(data: bytes, flag: FileProblems) -> str | None:
    """Decode CSV bytes as UTF-8, or as GB18030 when that is clearly what they are."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        first_bad_line = data[: error.start].count(b"\n") + 1
    if problem := _binary_problem(data):
        flag(0, 0, *problem)
        return None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and (_header_is_known(text) or _looks_gb(data)):
        logger.info("%s: read as GB18030", flag.path)
        return text
    flag(first_bad_line, 0, "文件编码无法识别：既不是 UTF-8，也不像 GB18030 中文",
         "请在 Excel 中「另存为 → CSV UTF-8（逗号分隔）」后重新提交")
    return None


def _has_hidden(text: str, flag: FileProblems) -> bool:
    """Refuse a control or bidi character anywhere in the file (generator.inputs.safe_text)."""
    if found := find_hidden(text):
        line, column, char, count = found
        flag(line, column, hidden_message(char, count), HIDDEN_HINT)
    return found is not None


def _binary_problem(data: bytes) -> tuple[str, str] | None:
    """Name the file formats clerks most often save by mistake."""
    if data.startswith(b"PK\x03\x04"):
        return "这是 Excel 工作簿，扩展名却是 .csv", "请把扩展名改为 .xlsx，或另存为 CSV UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("文件是 UTF-16 编码（Excel 的「Unicode 文本」）",
                "请在 Excel 中「另存为 → CSV UTF-8（逗号分隔）」后重新提交")
    return None


def _header_is_known(text: str) -> bool:
    """True when the first non-empty row consists of known column names only."""
    for cells in csv.reader(io.StringIO(text[:4096], newline="")):
        names = [_clean(cell).casefold() for cell in cells if _clean(cell)]
        if names:
            return all(name in ALIASES for name in names)
    return False


def _looks_gb(data: bytes) -> bool:
    best = charset_normalizer.from_bytes(data).best()
    return best is not None and best.encoding in GB_ENCODINGS


def _csv_rows(text: str, flag: FileProblems) -> list[Row] | None:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, line = [], 1
    try:
        for cells in reader:
            if _has_content(cells):
                rows.append(Row(line, tuple(cells)))
            line = reader.line_num + 1
    except csv.Error as error:
        flag(line, 0, f"CSV 格式有误：{_csv_reason(error)}",
             "含逗号、换行或引号的内容要整体放在英文双引号内，内容里的引号写两遍（\"\"）；"
             "用 Excel 另存为 CSV UTF-8 即可")
        return None
    return rows


def _csv_reason(error: csv.Error) -> str:
    reason = str(error)
    if "unexpected end of data" in reason:
        return "引号没有闭合"
    if "expected after" in reason:
        return "引号后面应紧跟逗号"
    if "field larger than" in reason:
        return "单元格内容过长"
    return reason


def _xlsx_rows(data: bytes, flag: FileProblems) -> list[Row] | None:
    import openpyxl  # CSV reports, the common case, never load it

    if problem := workbooks.zip_problem(data):  # before anything is inflated
        flag(0, 0, *problem)
        return None
    try:
        # data_only=False: formulas are seen as formulas, to be refused (generator.inputs.workbooks)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds of errors on damaged files
        logger.debug("%s: %r", flag.path, error)
        flag(0, 0, "无法作为 Excel 工作簿打开", _not_xlsx_hint(data))
        return None
    try:
        return _sheet_rows(book, flag)
    except Exception as error:  # damage inside the sheet surfaces only while reading it
        logger.debug("%s: %r", flag.path, error)
        flag(0, 0, "Excel 工作簿已损坏，无法读取",
             "请在 Excel 中打开检查，另存为 .xlsx 后重新提交")
        return None
    finally:
        book.close()


def _not_xlsx_hint(data: bytes) -> str:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "这是旧版 .xls 文件，请在 Excel 中另存为「Excel 工作簿 (*.xlsx)」"
    if not data.startswith(b"PK\x03\x04"):
        return "文件不是 Excel 工作簿；如是 CSV 文本，请把扩展名改为 .csv"
    return "请在 Excel 中打开检查，另存为「Excel 工作簿 (*.xlsx)」后重新提交"


def _sheet_rows(book, flag: FileProblems) -> list[Row] | None:
    if not book.worksheets:
        return []
    sheet = book[SHEET_NAME] if SHEET_NAME in book.sheetnames else book.worksheets[0]
    before = flag.count
    _check_hidden_sheets(book, sheet, flag)
    sheet.reset_dimensions()  # trust the cells, not a stated size that may span whole columns
    rows, formulas = [], 0
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if number > workbooks.MAX_SHEET_ROWS:
            flag(0, 0, f"工作表过大：超过 {workbooks.MAX_SHEET_ROWS} 行（空行也算）",
                 "表格下方可能有大量空行或格式：请删除多余的行，或从网站下载报表模板重新填写")
            return None
        formulas += _check_cells(number, cells, formulas, flag)
        row = Row(number, tuple(_xlsx_cell(cell) for cell in cells))
        if _has_content(row.cells):
            rows.append(row)
        if len(rows) > MAX_ROWS + 1:
            flag(0, 0, f"工作表过大：超过 {MAX_ROWS} 行数据",
                 "请只保留本板块本季度的报表，每个指标一行")
            return None
    if formulas > workbooks.MAX_FORMULA_MESSAGES:
        flag(0, 0, f"共有 {formulas} 个单元格是公式（以上只列出前 "
             f"{workbooks.MAX_FORMULA_MESSAGES} 个）", workbooks.PASTE_VALUES)
    return rows if flag.count == before else None


def _check_hidden_sheets(book, sheet, flag: FileProblems) -> None:
    """Read only what Excel shows: the report sheet visible, no hidden sheet holding data."""
    if getattr(sheet, "sheet_state", "visible") != "visible":
        flag(0, 0, *workbooks.hidden_sheet_message(sheet.title, is_read=True))
    for name in workbooks.hidden_sheets_with_data(book, sheet):
        flag(0, 0, *workbooks.hidden_sheet_message(name, is_read=False))


def _check_cells(number: int, cells, formulas: int, flag: FileProblems) -> int:
    """Flag formulas (the first few) and hidden characters in one row; count its formulas."""
    found = 0
    for column, cell in enumerate(cells, start=1):
        if workbooks.is_formula(cell):
            if formulas + found < workbooks.MAX_FORMULA_MESSAGES:
                flag(number, column, *workbooks.formula_message(cell))
            found += 1
        elif isinstance(cell.value, str) and (hidden := HIDDEN.search(cell.value)):
            count = len(HIDDEN.findall(cell.value))
            flag(number, column, hidden_message(hidden.group(0), count, "单元格中"), HIDDEN_HINT)
    return found


def _xlsx_cell(cell) -> Cell:
    """Turn a cell into what the clerk sees: text, or a date."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, int | float):
        text = _plain_number(value)
        return _plain_number(Decimal(text) * 100) + "%" if "%" in cell.number_format else text
    return value if isinstance(value, str | dt.date) else str(value)


def _plain_number(value: float | Decimal) -> str:
    """Write a number without exponent or trailing zeros: 1200.0 -> '1200', 0.07 -> '0.07'."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return format(number.normalize(), "f")


def _has_content(cells) -> bool:
    return any(_text(cell).strip() for cell in cells)


def _text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell.isoformat()


def _clean(cell: Cell) -> str:
    """Normalise a structured cell: full-width forms to ASCII, no surrounding spaces."""
    return unicodedata.normalize("NFKC", _text(cell)).strip()


# --- stage 3: the header names the columns ----------------------------------------------------

def _is_header(row: Row) -> bool:
    names = [_clean(cell).casefold() for cell in row.cells if _clean(cell)]
    known = {ALIASES[name] for name in names if name in ALIASES}
    return bool(names) and len(known) == len(names) and all(c in known for c in REQUIRED)


def _title_row(header: Row, body: list[Row]) -> str | None:
    """The text of a title row typed above the real header, or None."""
    texts = [_text(cell).strip() for cell in header.cells if _text(cell).strip()]
    if len(texts) > 2 or _is_header(header):
        return None
    if any(_is_header(row) for row in body[:TITLE_SEARCH_ROWS]):
        return " ".join(texts)[:40]
    return None

def _map_header(header: Row, body: list[Row], flag: FileProblems) -> dict[str, int] | None:
    """Map each known column to its index; None when a required column is missing."""
    names = [_clean(cell) for cell in header.cells]
    if len([name for name in names if name]) == 1 and re.search(r"[,;\t]", "".join(names)):
        flag(header.line, 0, "表头只有一列：各列没有用英文逗号分隔",
             "请用英文逗号 , 分隔各列，或用 Excel 另存为 CSV UTF-8")
        return None
    width = max(len(row.cells) for row in [header, *body])
    columns: dict[str, int] = {}
    for index in range(width):
        name = names[index] if index < len(names) else ""
        column = ALIASES.get(name.casefold())
        if not name:
            if _has_content(_cell_at(row, index) for row in body):
                flag(header.line, index + 1, f"第 {index + 1} 列有数据但没有列名",
                     "请填写列名（如 note、evidence）或删除该列的内容")
        elif column is None:
            flag(header.line, index + 1, f"未知的列 '{name}'", _column_hint(name))
        elif column in columns:
            flag(header.line, index + 1,
                 f"列 '{name}' 与第 {columns[column] + 1} 列重复（都表示 {column}）",
                 "请删除其中一列")
        else:
            columns[column] = index
    for column in REQUIRED:
        if column not in columns:
            flag(header.line, 0, f"缺少必填列 {_column_label(column)}",
                 "表头须包含 " + "、".join(_column_label(name) for name in REQUIRED))
    return columns if all(column in columns for column in REQUIRED) else None


def _column_hint(name: str) -> str:
    best = closest(name.casefold(), list(ALIASES))
    if best:
        return f"是否应为 '{best}'？"
    listed = "、".join(_column_label(column) for column in COLUMNS)
    return f"可用的列有：{listed}；多余的列请删除"


def _column_label(column: str) -> str:
    return f"{column}（{COLUMNS[column][1]}）"


def _cell_at(row: Row, index: int | None) -> Cell:
    return row.cells[index] if index is not None and index < len(row.cells) else ""


# --- stage 4: each row, cell by cell ----------------------------------------------------------

def _slot_columns_match(body: list[Row], columns: dict[str, int], slot: Slot,
                        flag: FileProblems) -> bool:
    """A form names its board and quarter: it must be filed where it belongs (one message)."""
    expected = {"board": slot.board, "quarter": f"{slot.year}Q{slot.quarter}"}
    for column, here in expected.items():
        if column not in columns:
            continue
        for row in body:
            written = _clean(_cell_at(row, columns[column]))
            if written and written.casefold() != here.casefold():
                flag(row.line, columns[column] + 1, *_misfiled(column, written, here, slot))
                return False
    return True


def _misfiled(column: str, written: str, here: str, slot: Slot) -> tuple[str, str]:
    place = f"data/progress/{slot.year}Q{slot.quarter}/"
    if column == "board":
        return (f"这是 {written} 的报表（表中“板块编号”为 {written}），却放在 {slot.board} 的位置",
                f"每个板块只提交自己的报表：{written} 的报表应命名为 {written}.xlsx（或 .csv）"
                f"放在 {place}；{slot.board} 请下载本板块的报表模板")
    return (f"这是 {written} 的报表（表中“季度”为 {written}），却放在 {here} 文件夹",
            f"请把它移到 data/progress/{written}/；{here} 的报表请下载 {here} 的报表模板填写")


def _without_unfilled_rows(body: list[Row], columns: dict[str, int],
                           flag: FileProblems) -> list[Row]:
    """Rows with a target but neither value nor date break the form's rule: say so once."""
    def unfilled(row: Row) -> bool:
        return bool(_clean(_cell_at(row, columns["target"]))) and not any(
            _clean(_cell_at(row, columns[name])) for name in ("value", "reported_on"))

    empty = [row.line for row in body if unfilled(row)]
    if empty:
        shown = "、".join(map(str, empty[:5])) + ("…" if len(empty) > 5 else "")
        flag(empty[0], 0, f"第 {shown} 行只有指标编号，没有完成值和上报日期（共 {len(empty)} 行）",
             "按报表的填表说明：本季度不报的指标，请把整行删除；要报的指标填写完成值和上报日期")
    return [row for row in body if not unfilled(row)]

def _read_rows(body: list[Row], columns: dict[str, int], slot: Slot,
               rules: ReportRules, flag: FileProblems) -> list[ReportRow]:
    seen: dict[str, int] = {}
    rows = []
    for row in body:
        if parsed := _read_row(row, columns, slot, rules, seen, flag):
            rows.append(parsed)
    return rows


def _read_row(row: Row, columns: dict[str, int], slot: Slot, rules: ReportRules,
              seen: dict[str, int], flag: FileProblems) -> ReportRow | None:
    """Read one data row; record a problem per unusable cell."""

    def attempt(column: str, parse: Callable[..., Parsed], *args: object) -> Parsed | None:
        index = columns.get(column)
        try:
            return parse(_cell_at(row, index), *args)
        except CellError as error:
            flag(row.line, 0 if index is None else index + 1, error.message, error.hint)
            return None

    target = attempt("target", _parse_target, slot.board, rules, seen)
    if target:
        seen[target] = row.line
    measure = attempt("value", _parse_value, rules.target_kinds[target]) if target else None
    reported_on = attempt("reported_on", _parse_date, slot, rules.as_of)
    if target is None or measure is None or reported_on is None:
        return None
    note, evidence = (_text(_cell_at(row, columns.get(name))).strip()
                      for name in ("note", "evidence"))
    for name, text in (("note", note), ("evidence", evidence)):
        label, hint = NOTE_HINTS[name]
        if found := too_long(label, text, MAX_NOTE, hint):
            flag(row.line, columns[name] + 1, *found)
    return ReportRow(target, *measure, reported_on, note, evidence, row.line)


def _parse_target(cell: Cell, board: str, rules: ReportRules, seen: dict[str, int]) -> str:
    target = _clean(cell).lower()
    own = rules.board_targets.get(board, frozenset())
    listed = "、".join(sorted(own)[:12])
    if not target:
        raise CellError("指标编号为空", f"请填写指标编号；{board} 须上报的指标有：{listed}")
    if target not in rules.target_kinds:
        best = closest(target, own) or closest(target, list(rules.target_kinds))
        hint = f"是否应为 '{best}'？" if best else f"{board} 须上报的指标有：{listed}"
        raise CellError(f"未知的指标编号 '{_text(cell).strip()}'", hint)
    if target not in own:
        raise CellError(f"指标 '{target}' 不是 {board} 的任务",
                        f"请删除该行；{board} 须上报的指标有：{listed}")
    if target in seen:
        raise CellError(f"指标 '{target}' 重复：第 {seen[target]} 行已填写",
                        "每个指标只填一行（截至上报日期的累计值），请删除多余的行")
    return target


def _parse_value(cell: Cell, kind: str) -> tuple[float | None, bool | None]:
    """Return (value, done): a number for measured targets, a yes/no for done-type ones."""
    text, raw = _clean(cell), _text(cell).strip()
    if not text:
        raise CellError("完成值为空", VALUE_HINTS[kind])
    if kind == "done":
        if text.casefold() not in DONE:
            raise CellError(f"完成情况无法识别，收到 '{raw}'", VALUE_HINTS[kind])
        return None, DONE[text.casefold()]
    match = NUMBER.fullmatch(text)
    if match is None:
        raise CellError(f"完成值必须是数字，收到 '{raw}'", VALUE_HINTS[kind])
    _check_unit(match["unit"], kind, raw)
    number = float(match["number"].replace(",", ""))
    if number < 0:
        raise CellError(f"完成值不能为负数，收到 '{raw}'", "请填写截至上报日期的累计数（0 或正数）")
    if kind == "percent" and number > 100:
        raise CellError(f"百分比不能超过 100，收到 '{raw}'", VALUE_HINTS[kind])
    return number, None


def _check_unit(unit: str | None, kind: str, raw: str) -> None:
    """Allow % on percent targets and a plain unit word (家, 个, 次) on count targets."""
    if unit is None or (unit == "%" and kind == "percent"):
        return
    if INEXACT & set(unit):
        raise CellError(f"完成值必须是确切的数字，收到 '{raw}'",
                        "请写出完整数字，如 250000，不要用“万”“余”“约”等字")
    if unit == "%" or kind != "count":
        raise CellError(f"{KIND_NAMES[kind]}指标的完成值不能带 '{unit}'，收到 '{raw}'",
                        VALUE_HINTS[kind])


def _parse_date(cell: Cell, slot: Slot, as_of: dt.date) -> dt.date:
    date = cell if isinstance(cell, dt.date) else _date_from_text(_clean(cell), _text(cell).strip())
    if not slot.first_day <= date <= slot.last_day:
        raise CellError(
            f"上报日期 {date} 不在 {slot.year}年第{slot.quarter}季度报表的有效期内",
            f"{slot.year}Q{slot.quarter} 的报表日期应在 {slot.first_day} 至 "
            f"{slot.last_day} 之间；如属其他季度，请放到对应的季度文件夹")
    if date > as_of:
        raise CellError(f"上报日期 {date} 晚于数据截止日 {as_of}", "不能填写将来的日期，请核对")
    return date


def _date_from_text(text: str, raw: str) -> dt.date:
    if not text:
        raise CellError("上报日期为空", "请填写上报日期，如 2023-06-25")
    if EXCEL_SERIAL.fullmatch(text):
        from openpyxl.utils.datetime import from_excel  # imported only when a serial appears

        return from_excel(float(text)).date()
    for form in DATES:
        if match := form.fullmatch(text):
            _check_time(match, raw)
            return _real_date(int(match["y"]), int(match["m"]), int(match["d"]), raw)
    raise CellError(f"上报日期无法识别，收到 '{raw}'", "请写成 2023-06-25 这样的日期（年-月-日）")


def _real_date(year: int, month: int, day: int, raw: str) -> dt.date:
    """The date, or why it does not exist: 2023-06-31, 2023-13-01, 2023-02-29."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        pass
    if not 1 <= month <= 12:
        hint = "月份只能是 1 到 12"
    else:
        days = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        hint = f"{year} 年 {month} 月只有 {days} 天"
    raise CellError(f"上报日期不存在，收到 '{raw}'", f"请核对：{hint}；写成 2023-06-25 这样的日期")


def _check_time(match: re.Match, raw: str) -> None:
    """A time after the date is ignored, but it must be a time: 14:30, never 99:99."""
    if match["hour"] is None:
        return
    if int(match["hour"]) > 23 or int(match["minute"]) > 59 or int(match["second"] or 0) > 59:
        raise CellError(f"上报日期中的时间不存在，收到 '{raw}'",
                        "时间可以不写；如要写，请写成 2023-06-25 14:30 这样（时 0–23，分 0–59）")
