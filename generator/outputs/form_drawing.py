"""Draw a report form workbook with openpyxl; imported only when a form is not cached."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from copy import copy

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from generator.common.numerals import quarter_name
from generator.outputs.form_layout import (
    DATE_COL,
    GUIDE,
    HEADER,
    READ_ONLY,
    SHEET,
    SLOT_COLUMNS,
    VALUE_COL,
    WIDTHS,
    FormSpec,
)
from generator.outputs.office_zip import stable_zip
from generator.outputs.spreadsheet import safe_cell, safe_row

HEADER_STYLE = (Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79"))
LOCKED_STYLE = (Font(color="595959"), PatternFill("solid", fgColor="EDEDED"))
INPUT_STYLE = (Font(color="000000"), PatternFill("solid", fgColor="FFF8DC"))
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def draw(spec: FormSpec) -> bytes:
    """Draw the spec's workbook: the report sheet, styled and validated, then 填表说明."""
    year, quarter, board = spec.year, spec.quarter, spec.board
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]  # the active one: a new workbook has only this sheet
    sheet.title = SHEET
    sheet.append(HEADER)
    for row in spec.rows:
        sheet.append(safe_row([*row, None, None, None, None, board, f"{year}Q{quarter}"]))
    _style(sheet, len(spec.rows))
    _validate(sheet, spec)
    _guide(book.create_sheet(GUIDE), spec.guide, len(spec.rows))
    moment = dt.datetime(year, 3 * quarter - 2, 1)
    book.properties.creator = book.properties.lastModifiedBy = "钟楼区安全生产工作进展公示平台"
    book.properties.title = f"{year}年{quarter_name(quarter)}进展报表（{board}）"
    book.properties.created = moment
    raw = io.BytesIO()
    book.save(raw)
    return stable_zip(raw.getvalue(), moment)


def _style(sheet, count: int) -> None:
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    sheet.row_dimensions[1].height = 24
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_STYLE
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
    # Style the first data row attribute by attribute (this registers fonts, fills ... in the
    # workbook in the same order as ever), then give every later row a copy of its cells' style
    # arrays: a style depends only on the column, and setting attributes cell by cell hashes
    # every style object again (most of a workbook's time before).
    template = None
    for row in sheet.iter_rows(min_row=2, max_row=count + 1):
        if template is None:
            for index, cell in enumerate(row):
                locked = index < READ_ONLY or index >= len(HEADER) - SLOT_COLUMNS
                cell.font, cell.fill = LOCKED_STYLE if locked else INPUT_STYLE
                cell.protection = Protection(locked=locked)
                cell.border = BORDER
                cell.alignment = Alignment(vertical="top",
                                           wrap_text=index in (1, 2, 3, 4, 9, 10))
            row[6].number_format = "yyyy-mm-dd"
            row[8].number_format = "yyyy-mm-dd"
            template = [cell._style for cell in row]
        else:
            for cell, style in zip(row, template, strict=True):
                cell._style = copy(style)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{count + 1}"


def _validate(sheet, spec: FormSpec) -> None:
    """Excel-side checks mirroring generator.inputs.reports, each with a Chinese input message."""
    rules = {
        "done": DataValidation(type="list", formula1='"是,否"'),
        "count": DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
        "ratio": DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
        "percent": DataValidation(type="decimal", operator="between", formula1="0",
                                  formula2="100"),
    }
    prompts = {
        "done": ("完成类指标", "请选择 是 或 否。", "请填写 是 或 否"),
        "count": ("计数指标", "填写截至上报日期的累计数（0 或正数），如 12。",
                  "请填写数字，如 12（不能为负数）"),
        "ratio": ("比值指标", "填写比值，如 1.2。", "请填写数字，如 1.2（不能为负数）"),
        "percent": ("百分比指标", "填写 0 到 100 之间的数：50 表示 50%。",
                    "请填写 0 到 100 之间的数，如 50"),
    }
    for kind, rule in rules.items():
        title, prompt, error = prompts[kind]
        _messages(rule, title, prompt, error)
    for row, kind in enumerate(spec.kinds, start=2):
        rules[kind].add(f"{VALUE_COL}{row}")
    first, last = spec.first, spec.last
    dates = DataValidation(type="date", operator="between", formula1=str(int(to_excel(first))),
                           formula2=str(int(to_excel(last))))
    _messages(dates, "上报日期",
              f"填写上报日期，如 {spec.due}；"
              f"须在 {first} 至 {last} 之间，且不晚于实际报送当天。",
              f"上报日期应在 {first} 至 {last} 之间")
    count = len(spec.kinds)
    dates.add(f"{DATE_COL}2:{DATE_COL}{count + 1}")
    for rule in (*rules.values(), dates):
        if rule.sqref.ranges:
            sheet.add_data_validation(rule)


def _messages(rule: DataValidation, title: str, prompt: str, error: str) -> None:
    rule.allow_blank = True
    rule.showInputMessage = rule.showErrorMessage = True
    rule.promptTitle, rule.prompt = title, prompt
    rule.errorTitle, rule.error, rule.errorStyle = "填写有误", error, "stop"


def _guide(sheet, lines: Sequence[str], count: int) -> None:
    sheet.column_dimensions["A"].width = 110
    for number_, text in enumerate(lines, start=1):
        cell = sheet.cell(row=number_, column=1, value=safe_cell(text or None))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if number_ == 1:
            cell.font = Font(bold=True, size=14)
        elif text.endswith("：") and text[:2] in ("一、", "二、", "三、"):
            cell.font = Font(bold=True)
    sheet.cell(row=sheet.max_row + 2, column=1,
               value=f"本表共 {count} 个指标，由网站根据任务分解表自动生成。")
