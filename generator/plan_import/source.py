"""Read a task table from .docx, .xlsx or text exported from Word into numbered lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".tsv"}
_TAG = re.compile(r"</?p>")


class ReadError(Exception):
    """The file cannot be read as a task table; carries a Chinese message and a hint."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class Line:
    """One paragraph (one cell) or one table row of the source, with where it was found."""

    where: str
    """Human location, e.g. 第 34 行 (text), 表格第 5 行 (docx), 工作表“Sheet1”第 5 行 (xlsx)."""
    cells: tuple[str, ...]
    is_row: bool
    block: int = 0
    """Blank-line separated block of a text export; 0 for docx and xlsx."""
    fragment: bool = False
    """A `<p>` row of a text export: a table fragment printed without its first column."""


@dataclass(frozen=True)
class Source:
    path: Path
    kind: str
    """"text", "docx" or "xlsx"."""
    lines: tuple[Line, ...]


def read_source(path: Path) -> Source:
    """Read FILE by its suffix; raise ReadError with a Chinese message when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix in (".doc", ".xls", ".wps", ".et"):
        target = ".docx" if suffix in (".doc", ".wps") else ".xlsx"
        raise ReadError(f"不支持旧版 {suffix} 格式", f"请在 Word/Excel 中另存为 {target} 后再导入")
    if suffix not in TEXT_SUFFIXES | {".docx", ".xlsx", ".xlsm"}:
        raise ReadError(f"无法识别的文件类型 '{suffix or '（无扩展名）'}'",
                        "请提供 .docx、.xlsx 或从 Word 导出的 .txt 文件")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ReadError(f"无法读取文件：{error.strerror}", "请确认文件存在且可读") from None
    if size > MAX_BYTES:
        raise ReadError(f"文件过大（{size:,} 字节）", "任务分解表通常不超过 1 MB，请确认是否选错"
                                                      "了文件")
    if suffix in TEXT_SUFFIXES:
        return Source(path, "text", tuple(text_lines(_decode(path.read_bytes()))))
    try:
        if suffix == ".docx":
            return Source(path, "docx", tuple(docx_lines(path)))
        return Source(path, "xlsx", tuple(xlsx_lines(path)))
    except Exception as error:  # noqa: BLE001 - any parser failure is a bad file, not a bug
        raise ReadError(f"无法打开 {suffix} 文件（{type(error).__name__}）",
                        "文件可能已损坏或不是真正的 Office 文件，"
                        "请用 Word/Excel 打开后重新另存") from None


def _decode(raw: bytes) -> str:
    """Word saves text as UTF-8 or as the system code page (GB18030 on Chinese Windows)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("文本文件既不是 UTF-8 也不是 GBK 编码", "请在 Word 中另存为“纯文本”，编码选 U"
                                                            "TF-8")


def text_lines(text: str) -> list[Line]:
    """Split a Word text export: tab-separated lines are rows, other lines are paragraphs."""
    lines, block, blank = [], 0, True
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            blank = True
            continue
        if blank:
            block, blank = block + 1, False
        where = f"第 {number} 行"
        if "\t" in raw or "<p>" in raw:
            cells = tuple(_TAG.sub("", cell).strip() for cell in raw.split("\t"))
            lines.append(Line(where, cells, True, block, fragment="<p>" in raw))
        else:
            lines.append(Line(where, (raw.strip(),), False, block))
    return lines


def docx_lines(path: Path) -> list[Line]:
    """Paragraphs and table rows of a .docx in document order; merged cells handled."""
    import docx  # lazy: only the importer needs python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[Line] = []
    paragraphs = tables = 0
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs += 1
            text = Paragraph(element, document).text.strip()
            if text:
                lines.append(Line(f"第 {paragraphs} 段", (text,), False))
        elif tag == "tbl":
            tables += 1
            lines.extend(_docx_rows(Table(element, document), tables))
    return lines


def _docx_rows(table, number: int) -> list[Line]:
    """Rows of one Word table; a cell spanning columns keeps its text in its first column only.

    python-docx repeats a vertically merged cell's text in every row it spans, which is what we
    want for 类别 and 责任地区 printed once for several rows.
    """
    prefix = "表格" if number == 1 else f"第 {number} 个表格"
    lines = []
    for index, row in enumerate(table.rows, start=1):
        cells, previous = [], None
        for cell in row.cells:
            same = previous is not None and cell._tc is previous._tc
            cells.append("" if same else " ".join(p.text.strip() for p in cell.paragraphs
                                                   if p.text.strip()))
            previous = cell
        lines.append(Line(f"{prefix}第 {index} 行", tuple(cells), True))
    return lines


def xlsx_lines(path: Path) -> list[Line]:
    """Rows of the first worksheet; a merged range's value fills its first column downwards."""
    import openpyxl  # lazy

    workbook = openpyxl.load_workbook(path, data_only=True)
    sheet = workbook.worksheets[0]
    values = [[_cell_text(cell.value) for cell in row] for row in sheet.iter_rows()]
    for merged in sheet.merged_cells.ranges:
        top = values[merged.min_row - 1][merged.min_col - 1]
        for row in range(merged.min_row, merged.max_row + 1):
            values[row - 1][merged.min_col - 1] = top
    lines = []
    for number, cells in enumerate(values, start=1):
        if any(cells):
            lines.append(Line(f"工作表“{sheet.title}”第 {number} 行", tuple(cells), True))
    return lines


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r", "").replace("\n", " ").strip()
