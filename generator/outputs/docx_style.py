"""How the Word documents look: A4 page, GB/T 9704-like faces, and the text that may go in them.

Plain values only (no python-docx here), so the bulletin and the compilation can build their
contents without importing it; `generator.outputs.docx_writer` draws with these faces.

Fonts. GB/T 9704 sets a document's title in 小标宋, first-level headings in 黑体, second-level
ones in 楷体 and the body in 仿宋_GB2312 (三号, 16 pt). Those fonts are not free and are not on
the machines that build the site, and LibreOffice does not follow a font table's alternative
names: a run that asks for 仿宋_GB2312 comes out in a Japanese sans face mixed with DejaVu. So
each paragraph style is *named* after the official font (「正文（仿宋_GB2312）」 …) while its
East Asian font (w:eastAsia) is a free one that is installed (fonts-noto-cjk). On a bureau PC
with the official fonts, changing these few styles' fonts sets the whole document in them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
MONO = "Noto Sans Mono CJK SC"
LATIN = "Times New Roman"
"""Digits and Latin letters, as Chinese documents set them (LibreOffice: Liberation Serif)."""
RED = "C00000"
SAMPLE_LINE = "示例数据（演示），不是官方统计"
"""The line every document built from sample data starts with (and every page's header)."""


@dataclass(frozen=True)
class Page:
    """A4 with the margins of GB/T 9704 (版心 156 mm × 225 mm), in millimetres."""

    width: float = 210
    height: float = 297
    top: float = 37
    bottom: float = 35
    left: float = 28
    right: float = 26
    header: float = 15
    footer: float = 24
    """From the page's bottom edge: puts the page number about 7 mm below the text block."""

    @property
    def text_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def text_height(self) -> float:
        return self.height - self.top - self.bottom


PAGE = Page()


@dataclass(frozen=True)
class Face:
    """One paragraph style: its Word name says which official font it stands for."""

    style_id: str
    name: str
    font: str
    size: float
    """Points: 22 二号, 16 三号, 14 四号, 10.5 五号."""
    bold: bool = False
    align: str = "justify"
    line: float | None = None
    """Exact line height in points (29 pt gives the 22 lines a GB/T 9704 page holds)."""
    indent: float = 0
    """First-line indent in points: two characters for body text."""
    left: float = 0
    """Left indent in points (a hanging list marker hangs into it)."""
    right: float = 0
    before: float = 0
    after: float = 0
    outline: int | None = None
    """Outline level (0 = 一级): Word's navigation pane and heading lists follow it."""
    keep: bool = False
    """Keep with the next paragraph (headings never end a page)."""
    color: str | None = None
    border: str = ""
    """"box" around the paragraph (the sample-data notice), "bottom" (the 版头's red rule)."""


BODY_LINE = 29.0
FACES = {face.style_id: face for face in (
    Face("GovIssuerDate", "版头日期（仿宋_GB2312）", SERIF, 16, align="center", line=BODY_LINE,
         color=RED, border="bottom", after=10),
    Face("GovTitle", "公文标题（方正小标宋简体）", SERIF, 22, bold=True, align="center",
         line=36, before=14, after=14, outline=0, keep=True),
    Face("GovIssuer", "发文机关标志（方正小标宋简体）", SERIF, 26, bold=True, align="center",
         line=40, color=RED),
    Face("GovCoverTitle", "封面标题（方正小标宋简体）", SERIF, 30, bold=True, align="center",
         line=44, before=120, after=20),
    Face("GovCoverIssuer", "封面署名（楷体）", SERIF, 18, bold=True, align="center", line=30,
         before=200),
    Face("GovByline", "作者行（楷体）", SERIF, 14, align="center", line=24),
    Face("GovAbstract", "摘要（楷体）", SERIF, 15, line=26, indent=30, before=8, after=8),
    Face("GovHeading1", "一级标题（黑体）", SANS, 16, line=BODY_LINE, indent=32, outline=1,
         keep=True),
    Face("GovHeading2", "二级标题（楷体）", SERIF, 16, bold=True, line=BODY_LINE, indent=32,
         outline=2, keep=True),
    Face("GovHeading3", "三级标题（仿宋_GB2312）", SERIF, 16, bold=True, line=BODY_LINE,
         indent=32, keep=True),
    Face("GovBody", "正文（仿宋_GB2312）", SERIF, 16, line=BODY_LINE, indent=32),
    Face("GovPlain", "正文不缩进（仿宋_GB2312）", SERIF, 16, line=BODY_LINE),
    Face("GovCentered", "居中（仿宋_GB2312）", SERIF, 16, align="center", line=BODY_LINE),
    Face("GovSignature", "落款（仿宋_GB2312）", SERIF, 16, align="right", line=BODY_LINE,
         right=32),
    Face("GovSignatureFirst", "落款首行（仿宋_GB2312）", SERIF, 16, align="right",
         line=BODY_LINE, right=32, before=29),
    Face("GovItem", "列表（仿宋_GB2312）", SERIF, 16, line=BODY_LINE, indent=32),
    Face("GovQuote", "引文（楷体）", SERIF, 14, line=24, left=32, before=4, after=4),
    Face("GovCaption", "图注（楷体）", SERIF, 12, align="center", line=20, after=8),
    Face("GovFigure", "图片", SERIF, 12, align="center", before=6),
    Face("GovCode", "代码", MONO, 11, align="left", line=16, left=32),
    Face("GovTable", "表格（仿宋_GB2312）", SERIF, 14, align="center", line=22),
    Face("GovTableLeft", "表格左对齐（仿宋_GB2312）", SERIF, 14, align="left", line=22),
    Face("GovTableHead", "表头（黑体）", SANS, 14, align="center", line=22),
    Face("GovToc", "目录（仿宋_GB2312）", SERIF, 16, align="left", line=BODY_LINE),
    Face("GovTocDetail", "目录说明（楷体）", SERIF, 12, align="left", line=20, left=32,
         after=6),
    Face("GovNotice", "示例数据提示（黑体）", SANS, 16, bold=True, align="center", line=26,
         color=RED, border="box", after=4),
    Face("GovNoticeDetail", "示例数据说明（楷体）", SERIF, 12, align="center", line=18,
         color=RED, after=12),
    Face("GovSpacer", "表后空行", SERIF, 6, line=8),
    Face("GovHeader", "页眉（仿宋_GB2312）", SERIF, 10.5, align="center", color=RED),
    Face("GovFooter", "页码（宋体）", SERIF, 14, align="right"),
)}


@dataclass(frozen=True)
class Span:
    """A run of text with its emphasis; `brk` is a line break inside the paragraph."""

    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    color: str | None = None
    brk: bool = False


# XML 1.0 refuses most C0 controls; tabs and line breaks in data would become Word tabs and
# breaks; bidi controls reorder what the reader sees. None of them belongs in a printed line.
_DROP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
                   "\ufffe\uffff\ud800-\udfff]")
_SPACE = re.compile(r"[\t\r\n]+")


def clean_text(text: str) -> str:
    """Text as it may stand in one Word run: no control characters, no tabs or line breaks."""
    return _SPACE.sub(" ", _DROP.sub("", text))
