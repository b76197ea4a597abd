"""What a report form holds and where: its columns and sheets, and the FormSpec of one workbook.

`forms` builds the specs (and the CSV twin) and caches the workbooks; `form_drawing` (which imports
openpyxl) draws a spec. Both read this module and neither reads the other's internals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from importlib import metadata

FORM_VERSION = "3"
"""Part of every cache key: bump it whenever the drawing code changes what a workbook holds."""

HEADER = ("指标编号", "专项", "指标名称", "时限", "目标", "上次完成值", "上次上报日期",
          "完成值", "上报日期", "说明", "佐证", "板块编号", "季度")
READ_ONLY = 7
"""The first seven columns are prefilled; the reader ignores all but 指标编号."""
SLOT_COLUMNS = 2
"""The last two columns say which board and quarter the form is for: the reader refuses a form
filed under another board's or quarter's folder."""
WIDTHS = (24, 22, 60, 26, 28, 12, 14, 12, 14, 30, 30, 12, 10)
VALUE_COL, DATE_COL = "H", "I"
SHEET, GUIDE = "进展报表", "填表说明"


@dataclass(frozen=True)
class FormSpec:
    """Everything that decides one workbook's bytes, as plain values (its repr is the cache key).

    `form_drawing.draw` reads nothing else: no catalog, no clock. Anything new the drawing code
    uses must become a field here (or bump FORM_VERSION), or a stale workbook would be served
    from cache.
    """

    board: str
    year: int
    quarter: int
    rows: tuple[tuple, ...]
    """One tuple per target, as `forms._rows` returns them (values, not yet text)."""
    kinds: tuple[str, ...]
    """The reader's kind of each row's target: picks the 完成值 validation."""
    due: dt.date
    first: dt.date
    last: dt.date
    """The report date's example (the due day) and allowed range."""
    guide: tuple[str, ...]

    def key(self) -> str:
        text = repr((FORM_VERSION, _openpyxl_version(), self))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _openpyxl_version() -> str:
    return metadata.version("openpyxl")
