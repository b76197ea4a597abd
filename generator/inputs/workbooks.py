"""An .xlsx report is read as Excel shows it, and only after its zip has been looked at.

A workbook is a zip of XML files. Before openpyxl parses anything, the zip's own directory is
checked: the sizes its members inflate to (a 240 MB sheet of empty rows, or of shared strings,
fits in a few hundred KB), links to other workbooks (xl/externalLinks/: values from files the
reviewer cannot see) and macros (vbaProject.bin: code). Then, while the sheet is read, hidden
sheets holding data and formulas are refused: a formula's value is whatever the file says it was
when last saved, which a reviewer opening it in Excel does not see (Excel recalculates), and
which a tool can set to anything.
"""

from __future__ import annotations

import io
import zipfile
import zlib

DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)
"""What a damaged zip raises while being listed or read; openpyxl then says it is damaged."""

MAX_INFLATED_BYTES = 16 * 1024 * 1024
"""All members together, inflated. A filled form of 60 targets inflates to about 60 KB; a
city-size one to well under 2 MB."""
MAX_SHEET_ROWS = 5000
"""Rows (empty ones included) read from the report sheet before giving up."""
MAX_FORMULA_MESSAGES = 10
PASTE_VALUES = ("请粘贴为数值：选中这些单元格，复制后右键「选择性粘贴 → 数值」，保存后重新提交")
MACRO_TYPE = b"macroEnabled"
"""In [Content_Types].xml, the main part of an .xlsm is application/vnd.ms-excel.sheet.
macroEnabled.main+xml."""
TEMPLATE_HINT = "请从网站下载报表模板重新填写，或在 Excel 中另存为「Excel 工作簿 (*.xlsx)」"


def zip_problem(data: bytes) -> tuple[str, str] | None:
    """What makes a workbook unsafe to open, read from its zip directory alone; or None.

    A file that is not a zip at all is left to openpyxl, which says it cannot open it.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _archive_problem(archive)
    except DAMAGE:
        return None


def _archive_problem(archive: zipfile.ZipFile) -> tuple[str, str] | None:
    infos = archive.infolist()
    names = [info.filename for info in infos]
    macro = any(name.lower().endswith("vbaproject.bin") for name in names)
    if macro or _macro_type(archive):
        return ("工作簿含有宏（VBA 代码）" if macro else "这是启用宏的工作簿（.xlsm 格式）",
                "报表不能含有宏：" + TEMPLATE_HINT + "（不要选“启用宏的工作簿”）")
    if any(name.startswith("xl/externalLinks/") or name == "xl/connections.xml"
           for name in names):
        return ("工作簿链接了其他文件或数据源（外部链接）：其中的值来自审核人看不到的文件",
                "请在 Excel 中「数据 → 编辑链接 → 断开链接」，把数据粘贴为数值后重新提交")
    inflated = sum(info.file_size for info in infos)
    if inflated > MAX_INFLATED_BYTES:
        return (f"Excel 文件解压后过大（{inflated / 1048576:,.0f} MB，"
                f"上限 {MAX_INFLATED_BYTES // 1048576} MB）",
                "工作表中可能有大量空行、空列或格式：请只保留报表内容，" + TEMPLATE_HINT)
    return None


def _macro_type(archive: zipfile.ZipFile) -> bool:
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return False
    return info.file_size <= 1024 * 1024 and MACRO_TYPE in archive.read(info)


def is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f"


def formula_text(cell) -> str:
    """The formula as Excel shows it in the formula bar, shortened: '=SUM(H2:H5)'."""
    value = cell.value
    text = str(getattr(value, "text", value) or "")
    text = text if text.startswith("=") else "=" + text
    return text if len(text) <= 30 else text[:29] + "…"


def formula_message(cell) -> tuple[str, str]:
    return (f"单元格是公式 '{formula_text(cell)}'：网站不计算公式，"
            "也无法核实文件中保存的计算结果", PASTE_VALUES)


def hidden_sheets_with_data(book, read) -> list[str]:
    """Names of the sheets, other than the one read, that are hidden and hold any value."""
    found = []
    for sheet in book.worksheets:
        if sheet is read or getattr(sheet, "sheet_state", "visible") == "visible":
            continue
        sheet.reset_dimensions()  # the cells themselves, not a stated size of whole columns
        if any(cell.value not in (None, "") for row in sheet.iter_rows() for cell in row):
            found.append(sheet.title)
    return found


def hidden_sheet_message(name: str, is_read: bool) -> tuple[str, str]:
    unhide = "在 Excel 中右键任一工作表标签 →「取消隐藏」检查其内容"
    if is_read:
        return (f"工作表“{name}”是隐藏的：报表要读取的工作表必须看得见",
                f"请{unhide}，取消隐藏后保存，再重新提交")
    return (f"工作表“{name}”是隐藏的，里面有数据：审核人在 Excel 中看不到它",
            f"请{unhide}：不需要的工作表请删除，需要的请取消隐藏后重新提交")
