"""Find the header, align each row's cells, and cut the table into pillars, groups and rows.

Word's text export drops empty cells, prints `<p>` fragments without the first column and
prints a merged cell's text once, somewhere in its span; .docx and .xlsx keep every column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.plan_import.names import Names, is_names_cell
from generator.plan_import.source import Line, ReadError, Source

PILLAR = re.compile(r"^\s*([一二三四五六七八九十]+)\s*、\s*(.+)$")
COLUMNS = {
    "category": ("类别", "类型", "分类"),
    "name": ("重点专项", "专项", "项目", "重点工作"),
    "work": ("具体工作", "工作内容", "主要内容"),
    "targets": ("目标任务", "目标", "任务"),
    "responsible": ("责任地区", "责任单位", "责任板块", "牵头单位"),
    "contacts": ("联系人", "联络人"),
}
_SENTENCE = re.compile(r"[，。；,;]")


def squeeze(text: str) -> str:
    """Labels lose the spaces a merged cell's line breaks leave (微模 块 → 微模块)."""
    return re.sub(r"\s+", "", text)


@dataclass
class Row:
    where: str
    responsible: str
    contacts: str
    targets: str
    name: str | None = None
    work: str | None = None
    focus: str | None = None
    group: str | None = None
    pillar: str | None = None
    form: str = "plain"
    """plain (name + work), module (name, no work), grouped (group in the name column)."""
    short_work: bool = False
    """The work cell is a short label: a campaign name when the name cell holds a group."""
    spanning: bool = False
    """A row of one cell across the table (完成上级交办的其他任务)."""
    questions: list[str] = field(default_factory=list)


@dataclass
class Group:
    name: str | None
    rows: list[Row] = field(default_factory=list)


@dataclass
class Pillar:
    no: int
    name: str
    where: str
    groups: list[Group] = field(default_factory=list)
    question: str | None = None


@dataclass
class Table:
    notice: list[Line]
    title: str | None
    pillars: list[Pillar]
    closing: Line | None
    header_where: str


def read_table(source: Source, names: Names) -> Table:
    """Cut the source into notice lines, the table's pillars and rows, and the closing line."""
    header_at, columns = _header(source)
    notice = [line for line in source.lines[:header_at]]
    title = notice[-1].cells[0] if notice and not notice[-1].is_row else None
    body = list(source.lines[header_at + 1:])
    closing = _closing(body)
    if closing is not None:
        body.remove(closing)
    entries = [_entry(line, columns, names) for line in body if any(c.strip() for c in line.cells)]
    return Table(_paragraphs(notice), title, _pillars(entries), closing,
                 source.lines[header_at].where)


def _paragraphs(lines: list[Line]) -> list[Line]:
    """Notice lines as single-cell paragraphs (spreadsheet rows before the header are joined)."""
    return [Line(line.where, (" ".join(c for c in line.cells if c),), False, line.block)
            for line in lines if any(line.cells)]


def _header(source: Source) -> tuple[int, dict[str, int]]:
    for index, line in enumerate(source.lines):
        cells = [squeeze(c) for c in line.cells]
        if line.is_row and "目标任务" in cells or _has(cells, "targets") and _has(cells, "respons"
                                                                                         "ible"):
            columns = {}
            for key, words in COLUMNS.items():
                for position, cell in enumerate(cells):
                    if cell in words and key not in columns:
                        columns[key] = position
            if "targets" in columns and "responsible" in columns:
                return index, columns
    raise ReadError("找不到任务分解表的表头",
                    "表头一行应包含“目标任务”和“责任地区”（或“责任单位”）两列")


def _has(cells: list[str], key: str) -> bool:
    return any(cell in COLUMNS[key] for cell in cells)


def _closing(body: list[Line]) -> Line | None:
    """The sentence printed under the table (请各地统筹好……), if the last line is one."""
    for line in reversed(body):
        filled = [c for c in line.cells if c.strip()]
        if not filled:
            continue
        return line if len(filled) == 1 and filled[0].strip().endswith("。") \
            and len(filled[0]) > 20 else None
    return None


# --- one row ----------------------------------------------------------------------------------

def _entry(line: Line, columns: dict[str, int], names: Names) -> Row | tuple[str, str]:
    """A pillar label printed on its own (returned as text), or an aligned row."""
    filled = [c.strip() for c in line.cells if c.strip()]
    if len(filled) == 1:
        if PILLAR.match(filled[0]):
            return filled[0], line.where
        text = filled[0]
        row = Row(line.where, "", "", text, name=squeeze(text), spanning=True)
        row.questions.append("本行为通栏一行，没有类别、责任地区和联系人，已作为最后一个类别下的"
                             "单独一组，请确认归属")
        return row
    cells = _aligned(line, columns, names)
    return _fields(line, cells)


def _aligned(line: Line, columns: dict[str, int], names: Names) -> dict[str, str]:
    cells = [c.strip() for c in line.cells]
    width = max(columns.values()) + 1
    if line.is_row and len(cells) >= width and not line.fragment and \
            is_names_cell(cells[columns["responsible"]], names):
        return {key: cells[index] for key, index in columns.items()}
    return _by_content(line, cells, names)


def _by_content(line: Line, cells: list[str], names: Names) -> dict[str, str]:
    """Align a row that lost cells: 责任地区 is the last cell naming only known owners."""
    while cells and not cells[-1]:
        cells.pop()
    where = next((i for i in range(len(cells) - 1, 0, -1) if is_names_cell(cells[i], names)),
                 None)
    if where is None:
        raise _RowError(line, "找不到责任地区一格")
    out = {"responsible": cells[where], "targets": cells[where - 1],
           "contacts": cells[where + 1] if where + 1 < len(cells) else ""}
    left = cells[:where - 1]
    if line.fragment:
        left = [""] + left
    if len(left) >= 3:
        out.update(category=left[-3], name=left[-2], work=left[-1])
        return out
    out["missing"] = "yes"
    first, second = (left + ["", ""])[:2]
    if PILLAR.match(first):
        out.update(category=first, name=second, work="")
    elif not first:
        out.update(category="", name="" if _SENTENCE.search(second) else second,
                   work=second if _SENTENCE.search(second) else "")
    elif second.startswith("小切口") or not re.fullmatch(r".{0,4}(?:工作|专项|模块|任务)", first):
        out.update(category="", name=first, work=second)
    else:
        out.update(category=first, name="", work=second)
    return out


class _RowError(ReadError):
    def __init__(self, line: Line, message: str):
        super().__init__(f"{line.where}：{message}",
                         "请确认这一行有“责任地区”一格（如“区局、各板块”），且名称已在 data/board"
                         "s.yaml 登记")


def _fields(line: Line, cells: dict[str, str]) -> Row:
    row = Row(line.where, cells.get("responsible", ""), cells.get("contacts", ""),
              cells.get("targets", ""))
    category = cells.get("category", "").strip()
    if PILLAR.match(category):
        row.pillar = category
    elif category:
        row.group = squeeze(category)
    name, work = cells.get("name", "").strip(), cells.get("work", "").strip()
    if "小切口：" in work or "小切口:" in work:
        work, _, focus = re.split(r"(小切口[：:])", work, maxsplit=1)
        row.focus, work = focus.strip(), work.strip()
    _name_and_work(row, name, work)
    if cells.get("missing"):
        row.questions.append(f"本行比表头少一格，已按内容对齐为：专项“{row.name or '（无）'}”、"
                             f"具体工作“{_clip(row.work)}”、目标任务“{_clip(row.targets)}”，请核对")
    if not row.targets.strip() and row.work:
        row.targets = row.work
        row.questions.append("本行目标任务栏为空，暂以具体工作内容作为唯一一项目标，请核对")
    return row


def _name_and_work(row: Row, name: str, work: str) -> None:
    """First reading of the name and work cells; `_resolve_groups` settles short work cells."""
    colon = re.match(r"^([^，。；：:]{2,10})[：:](.+)$", work)
    if colon:
        row.group = squeeze(name) if name else row.group
        row.name, row.work, row.form = squeeze(colon.group(1)), colon.group(2).strip(), "grouped"
    elif work and not name and _is_label(work):
        row.name, row.work, row.form = squeeze(work), None, "grouped"
    else:
        row.name, row.work = (squeeze(name) if name else None), work or None
        row.form = "module" if name and not work and not row.focus else "plain"
        row.short_work = bool(name and work and _is_label(work))


def _is_label(text: str) -> bool:
    return not _SENTENCE.search(text) and len(text) <= 24


def _resolve_groups(rows: list[Row]) -> None:
    """A name cell beside a short work cell is a group label when a neighbouring row prints its
    campaign name in the work column (the group's merged cell): 新增模块试运行 + 三同时模块."""
    for index, row in enumerate(rows):
        if not row.short_work:
            continue
        near = rows[max(index - 1, 0):index] + rows[index + 1:index + 2]
        if any(other.form == "grouped" and not other.short_work for other in near):
            row.group, row.name, row.work, row.form = row.name, squeeze(row.work or ""), None, \
                "grouped"


def _clip(text: str | None, size: int = 16) -> str:
    if not text:
        return "（空）"
    return text if len(text) <= size else text[:size] + "…"


# --- pillars and groups -------------------------------------------------------------------------

def _pillars(entries: list[Row | tuple[str, str]]) -> list[Pillar]:
    """Give each row its pillar and group; a label printed mid-span covers its whole group."""
    rows: list[Row] = []
    labels: list[tuple[int, str, str]] = []  # (first row it may cover, label, where printed)
    for entry in entries:
        if isinstance(entry, tuple):
            labels.append((len(rows), *entry))
            continue
        if entry.pillar and (not labels or squeeze(labels[-1][1]) != squeeze(entry.pillar)):
            labels.append((len(rows), entry.pillar, entry.where))
        rows.append(entry)
    if not rows:
        raise ReadError("表头之后没有任何任务行", "请确认文件包含完整的任务分解表")
    _resolve_groups(rows)
    return _assemble(rows, labels, _group_starts(rows))


def _group_starts(rows: list[Row]) -> list[int]:
    """Rows that begin a group: a new group label, or a new pillar label with a new row form."""
    starts, group, form, pillar = [0], rows[0].group if rows else None, None, None
    for index, row in enumerate(rows):
        new_pillar = row.pillar is not None and row.pillar != pillar
        if index and (row.group and row.group != group or row.spanning
                      or new_pillar and not row.group and row.form != form):
            starts.append(index)
        if row.group:
            group = row.group
        if index == 0 or index in starts:
            form = row.form
        pillar = row.pillar or pillar
    return starts


def _assemble(rows: list[Row], labels: list[tuple[int, str, str]], starts: list[int]
              ) -> list[Pillar]:
    if not labels:
        labels = [(0, "一、（原文未印类别）", rows[0].where if rows else "")]
    pillars: list[Pillar] = []
    bounds: list[int] = []
    for number, (at, label, where) in enumerate(labels, start=1):
        begin = max((s for s in starts if s <= at), default=0)
        begin = max(begin, bounds[-1] + 1) if bounds else 0
        bounds.append(begin)
        printed = PILLAR.match(label)
        text = squeeze(printed.group(2) if printed else label)
        pillar = Pillar(number, text, where)
        if begin != at:
            pillar.question = (f"类别“{text}”在原文中印在{where}（合并单元格的中部），已把自"
                               f"{rows[begin].where}起的各行归入本类别，请核对本类别包含的专项")
        pillars.append(pillar)
    for index, row in enumerate(rows):
        pillar = pillars[max(i for i, b in enumerate(bounds) if b <= index)]
        if index in starts or not pillar.groups or index in bounds:
            pillar.groups.append(Group(row.group if not row.spanning else None))
        pillar.groups[-1].rows.append(row)
    return pillars
