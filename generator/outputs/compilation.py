"""The typical-case compilation (典型案例汇编) for the city: the bureau's recommended cases of a
year as one Word document (the notice's 择优向市局报送).

`compilation()` collects the recommended cases into plain values — each body turned from
markdown-it's token stream (the same CommonMark, tables and strikethrough the case pages use,
raw HTML off: never HTML) into headings, paragraphs, list items, quotes, tables and the
approved pictures — and `compilation_docx()` draws them.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from generator.common.files import write_atomically
from generator.common.formatting import date_text
from generator.common.numerals import chinese_number
from generator.common.problems import InputError, Problems
from generator.inputs.case_markdown import case_parser
from generator.inputs.cases import RECOMMENDED_FILE, Case
from generator.inputs.catalog import Catalog
from generator.outputs.docx_style import PAGE, Span

log = logging.getLogger(__name__)

FOLDER = "downloads/cases"
EXTERNAL = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    """One piece of a case body in Word: what it is, its text, and where it sits."""

    kind: str
    """heading, paragraph, item (of a list), quote, code, image, table or rule."""
    spans: tuple[Span, ...] = ()
    level: int = 0
    """A heading's level (1 一级, 2 二级, 3 三级) or a list item's depth (1, 2 …)."""
    marker: str = ""
    """A list item's number or bullet; "" for a further paragraph of the same item."""
    image: Path | None = None
    alt: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    """A table's rows, the header row first."""

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class CaseEntry:
    number: int
    heading: str
    """一、<title>: the case's heading, in the contents and above the case."""
    byline: str
    """<board>　<campaign>　<date>, under the heading."""
    contact: str
    summary: str
    sample: bool
    blocks: tuple[Block, ...]

    @property
    def bookmark(self) -> str:
        return f"case_{self.number}"


@dataclass(frozen=True)
class Compilation:
    year: int
    issuer: str
    date: dt.date
    sample: str | None
    """The sample-data explanation, or None when every case is real."""
    cases: tuple[CaseEntry, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return f"{self.year}年度典型案例汇编"

    @property
    def subtitle(self) -> str:
        return "（推荐报送市局）"

    @property
    def foreword(self) -> str:
        return (f"本汇编收录{self.year}年度各板块报送、经{self.issuer}审核推荐报送市局的典型案例"
                f"{len(self.cases)}篇，按案例日期排列。每篇注明报送板块、所属重点专项和日期。")


# --- the contents ---------------------------------------------------------------------------

def recommended_cases(cases: Sequence[Case], year: int) -> list[Case]:
    """The bureau's recommended cases of a year, oldest first."""
    chosen = [case for case in cases if case.year == year and case.recommended]
    return sorted(chosen, key=lambda case: (case.date, case.page_path))


def compilation(catalog: Catalog, settings, cases: Sequence[Case], as_of: dt.date
                ) -> Compilation:
    """The compilation of the plan year's recommended cases among `cases`."""
    plan = catalog.plan
    chosen = recommended_cases(cases, plan.year)
    return Compilation(plan.year, plan.notice.issuer, as_of, sample_text(settings, chosen),
                       tuple(entry(number, case) for number, case in enumerate(chosen, 1)))


def sample_text(settings, cases: Sequence[Case]) -> str | None:
    if settings.sample_data:
        return settings.sample_notice
    if any(case.sample for case in cases):
        return "本汇编中标注“示例”的案例是演示用的示例，单位、数字和做法均为虚构，不是官方材料。"
    return None


def entry(number: int, case: Case) -> CaseEntry:
    title = case.title + ("（示例）" if case.sample else "")
    return CaseEntry(number, f"{chinese_number(number)}、{title}",
                     f"{case.board_name}　{case.campaign_name}　{date_text(case.date)}",
                     case.contact or "", case.summary, case.sample,
                     body_blocks(case.body, case.images, case.source.parent))


# --- a case body, from markdown-it's tokens -------------------------------------------------

def body_blocks(body: str, images: Mapping[str, str], folder: Path) -> tuple[Block, ...]:
    """Turn a case body into Word blocks; only images validation approved (`images`: URL as
    markdown-it normalises it → file in `folder`) are pictures, others stay as their text."""
    walk = _Walk(images, folder)
    tokens = case_parser().parse(body)
    index = 0
    while index < len(tokens):
        index = walk.token(tokens, index) + 1
    return tuple(walk.blocks)


@dataclass
class _Walk:
    images: Mapping[str, str]
    folder: Path
    blocks: list[Block] = field(default_factory=list)
    lists: list[list] = field(default_factory=list)
    """Open lists, innermost last: [ordered, items so far]."""
    quotes: int = 0
    marker: str = ""
    """The marker of a list item whose first paragraph is still to come."""

    def token(self, tokens: list[Token], index: int) -> int:
        """Handle tokens[index]; return the index of the last token it used."""
        token = tokens[index]
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            self.lists.append([kind == "ordered_list_open", int(token.attrGet("start") or 1) - 1])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            current = self.lists[-1]
            current[1] += 1
            self.marker = f"{current[1]}." if current[0] else "•"
        elif kind in ("blockquote_open", "blockquote_close"):
            self.quotes += 1 if kind == "blockquote_open" else -1
        elif kind == "heading_open":
            level = min(max(int(token.tag[1]) - 1, 1), 3)  # # and ## are 一级, ### 二级 …
            spans = tuple(s for part in inline_parts(tokens[index + 1], {}, self.folder)
                          if isinstance(part, tuple) for s in part)
            self.blocks.append(Block("heading", spans, level))
            return index + 2
        elif kind == "paragraph_open":
            self.paragraph(tokens[index + 1])
            return index + 2
        elif kind in ("fence", "code_block"):
            self.code(token.content)
        elif kind == "hr":
            self.blocks.append(Block("rule"))
        elif kind == "table_open":
            return self.table(tokens, index)
        return index

    def paragraph(self, inline: Token) -> None:
        for part in inline_parts(inline, self.images, self.folder):
            if isinstance(part, Block):
                self.blocks.append(part)
            elif self.lists:
                self.blocks.append(Block("item", part, len(self.lists), self.marker))
                self.marker = ""
            else:
                self.blocks.append(Block("quote" if self.quotes else "paragraph", part))

    def code(self, content: str) -> None:
        spans: list[Span] = []
        for number, line in enumerate(content.rstrip("\n").split("\n")):
            spans += ([Span("", brk=True)] if number else []) + [Span(line, code=True)]
        self.blocks.append(Block("code", tuple(spans)))

    def table(self, tokens: list[Token], index: int) -> int:
        rows: list[tuple[str, ...]] = []
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                rows.append(())
            elif token.type == "inline":
                text = "".join(s.text for part in inline_parts(token, {}, self.folder)
                               if isinstance(part, tuple) for s in part)
                rows[-1] += (text,)
            index += 1
        self.blocks.append(Block("table", rows=tuple(rows)))
        return index


def inline_parts(inline: Token, images: Mapping[str, str], folder: Path
                 ) -> list[tuple[Span, ...] | Block]:
    """A paragraph's runs; an approved image splits it (a picture is a paragraph of its own)."""
    parts: list[tuple[Span, ...] | Block] = []
    spans: list[Span] = []
    style = {"strong": 0, "em": 0, "s": 0}
    href = ""
    children = inline.children or []
    for index, child in enumerate(children):
        kind = child.type
        if kind.endswith("_open") and kind[:-5] in style:
            style[kind[:-5]] += 1
        elif kind.endswith("_close") and kind[:-6] in style:
            style[kind[:-6]] -= 1
        elif kind in ("text", "code_inline") and child.content:
            spans.append(Span(child.content, bold=style["strong"] > 0, italic=style["em"] > 0,
                              strike=style["s"] > 0, code=kind == "code_inline"))
        elif kind == "softbreak" and _soft_break(children, index):
            spans.append(Span(" "))
        elif kind == "hardbreak":
            spans.append(Span("", brk=True))
        elif kind == "link_open":
            href = str(child.attrGet("href") or "")
        elif kind == "link_close":
            spans += _link_target(href, children, index)
            href = ""
        elif kind == "image":
            source = str(child.attrGet("src") or "")
            if source in images:
                parts += [tuple(spans)] if "".join(s.text for s in spans).strip() else []
                parts.append(Block("image", image=folder / images[source], alt=child.content))
                spans = []
            else:  # not a file validation approved: its words, as the page shows them
                spans.append(Span(child.content))
    if "".join(span.text for span in spans).strip():
        parts.append(tuple(spans))
    return parts


def _soft_break(children: list[Token], index: int) -> str:
    """A line break in the source joins Chinese without a space (as the case pages do)."""
    before = children[index - 1].content[-1:] if index > 0 else ""
    after = children[index + 1].content[:1] if index + 1 < len(children) else ""
    return "" if _is_wide(before) or _is_wide(after) else " "


def _is_wide(char: str) -> bool:
    return bool(char) and ord(char) >= 0x2E80


def _link_target(href: str, children: list[Token], index: int) -> list[Span]:
    """On paper a link shows where it goes: 「文字（https://…）」, unless the text is the URL."""
    if not EXTERNAL.match(href):
        return []
    shown = re.sub(r"^mailto:", "", href, flags=re.IGNORECASE)
    text = children[index - 1].content if index > 0 else ""
    return [] if text.strip() == shown else [Span(f"（{shown}）")]


# --- the command line and the site ----------------------------------------------------------

def compilation_name(year: int) -> str:
    return f"{year}-compilation.docx"


def compilation_files(catalog: Catalog, settings, cases: Sequence[Case], as_of: dt.date
                      ) -> dict[str, bytes]:
    """downloads/cases/<year>-compilation.docx, when the year has recommended cases."""
    document = compilation(catalog, settings, cases, as_of)
    if not document.cases:
        return {}
    return {f"{FOLDER}/{compilation_name(document.year)}": compilation_docx(document)}


def compilation_link(files: Mapping[str, bytes], root: str = "../") -> str | None:
    """The recommended-cases page's link to the compilation among `files` (None: none)."""
    found = sorted(path for path in files if re.fullmatch(rf"{FOLDER}/\d{{4}}-compilation\.docx",
                                                           path))
    return root + found[-1] if found else None


def check_year(text: str, catalogs: Mapping[int, Catalog], cases: Sequence[Case]) -> Catalog:
    """The catalog of the year `text` names; raise InputError when it is not a plan year or
    has no recommended case."""
    problems = Problems()
    years = "、".join(str(known) for known in sorted(catalogs))
    year = int(text) if re.fullmatch(r"\d{4}", text.strip()) else None
    if year is None:
        problems.add("--year", message=f"年度 '{text}' 不对：应写成四位数字",
                     hint=f"可用的年度：{years}")
    elif year not in catalogs:
        problems.add("--year", message=f"没有 {year} 年度的任务分解表", hint=f"可用的年度：{years}")
    elif not recommended_cases(cases, year):
        problems.add("--year", message=f"{year} 年度还没有推荐报送市局的典型案例",
                     hint=f"区局审核后在 data/cases/{RECOMMENDED_FILE} 中登记，"
                          f"如 “  - {year}/beigang/{year}-07-12-fenchen”")
    if problems or year is None:  # a year that is not a number is one of the problems
        raise InputError(problems)
    return catalogs[year]


def write_compilation(catalog: Catalog, settings, cases: Sequence[Case], as_of: dt.date,
                      out_dir: Path) -> Path:
    """Write <out_dir>/<year>-compilation.docx; return its path."""
    document = compilation(catalog, settings, cases, as_of)
    path = Path(out_dir) / compilation_name(document.year)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, compilation_docx(document))
    log.info("wrote %s", path)
    return path


# --- drawing --------------------------------------------------------------------------------

HEADINGS = {1: "GovHeading1", 2: "GovHeading2", 3: "GovHeading3"}
ITEM_INDENT = 32.0
"""Points each list level indents (two characters of 三号 type)."""


def compilation_docx(document: Compilation) -> bytes:
    """Draw the compilation (imports python-docx on first use)."""
    from generator.outputs.docx_writer import document_writer

    writer = document_writer(document.title, document.issuer, document.date, document.sample,
                             subject="典型案例汇编", keywords=str(document.year),
                             numbered_cover=False)
    _cover(writer, document)
    _contents(writer, document)
    for case in document.cases:
        _case(writer, case)
    return writer.to_bytes()


def _cover(writer, document: Compilation) -> None:
    writer.para("GovCoverTitle", document.title)
    writer.para("GovCentered", document.subtitle)
    writer.para("GovCoverIssuer", document.issuer)
    writer.para("GovCentered", date_text(document.date))


def _contents(writer, document: Compilation) -> None:
    writer.para("GovTitle", "目　录", new_page=True)
    writer.para("GovBody", document.foreword)
    for case in document.cases:
        writer.contents_line([case.heading], case.bookmark)
        writer.para("GovTocDetail", case.byline)


def _case(writer, case: CaseEntry) -> None:
    writer.para("GovTitle", case.heading, bookmark=case.bookmark, new_page=True)
    writer.para("GovByline", case.byline)
    if case.contact:
        writer.para("GovByline", f"联系单位：{case.contact}")
    writer.para("GovAbstract", [Span("【摘要】", bold=True), case.summary])
    for block in case.blocks:
        _block(writer, block)


def _block(writer, block: Block) -> None:
    if block.kind == "heading":
        writer.para(HEADINGS[block.level], block.spans)
    elif block.kind == "item":
        # As Chinese documents number points: the marker opens an indented line; nested
        # lists step in by two characters more.
        marker = [Span(f"{block.marker} ")] if block.marker else []
        writer.para("GovItem", [*marker, *block.spans],
                    indent=(ITEM_INDENT * (block.level - 1), ITEM_INDENT))
    elif block.kind == "image" and block.image is not None:
        writer.picture(block.image.read_bytes(), block.alt)
        if block.alt.strip():
            writer.para("GovCaption", block.alt)
    elif block.kind == "table" and block.rows:
        columns = max(len(row) for row in block.rows)
        rows = [row + ("",) * (columns - len(row)) for row in block.rows]
        writer.table(rows[0], rows[1:], [PAGE.text_width / columns] * columns,
                     left=[True] * columns)
    elif block.kind == "code":
        writer.para("GovCode", block.spans)
    elif block.kind == "rule":
        writer.para("GovSpacer")
    else:
        writer.para("GovQuote" if block.kind == "quote" else "GovBody", block.spans)

