"""Draw a Word document with python-docx in the faces of generator.outputs.docx_style; same
bytes each time.

Imported only when a document is made (a no-op build never loads python-docx). Every string
goes into a run's text through `clean_text`, so data can add words but never fields, tabs,
breaks or control characters; the only fields are the ones written here (PAGE, PAGEREF to our
own bookmarks).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from generator.outputs.docx_style import (
    FACES,
    LATIN,
    MONO,
    PAGE,
    SAMPLE_LINE,
    SANS,
    SERIF,
    Face,
    Span,
    clean_text,
)
from generator.outputs.office_zip import stable_zip

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
TEMPLATE_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header",
                   "HeaderChar", "Footer", "FooterChar"}
"""The template's styles we keep: Word's defaults, and those its header and footer parts name."""
MAX_FIGURE_HEIGHT = 0.6
"""A picture takes at most this share of the text block's height (a tall photo, scaled down)."""
KEEP_TOGETHER_ROWS = 12
"""A table of at most this many rows (a ranking of eight boards) stays on one page whole."""
FONT_TABLE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    + "".join(f'<w:font w:name="{name}"><w:charset w:val="{charset}"/>'
              f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
              for name, charset, family, pitch in ((LATIN, "00", "roman", "variable"),
                                                   (SERIF, "86", "roman", "variable"),
                                                   (SANS, "86", "swiss", "variable"),
                                                   (MONO, "86", "modern", "fixed")))
    + "</w:fonts>")
"""Only the fonts the styles use; charset 86 (GB2312) tells Word to stand in a Chinese font
where Noto is not installed (the template's table listed Japanese fonts)."""

PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                    "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
"""What follows w:pBdr in a paragraph's properties (ECMA-376 CT_PPrBase)."""

Cell = str | tuple[str, ...]


@dataclass(frozen=True)
class DocMeta:
    """The document's properties; `moment` is every date inside the file (core and zip)."""

    title: str
    author: str
    moment: dt.datetime
    subject: str = ""
    keywords: str = ""
    header: str = ""
    """Printed at the top of every page (the sample-data line), or nothing."""
    numbered_cover: bool = True
    """False: the first page (a cover) has no page number, as GB/T 9704 covers have none."""


def document_writer(title: str, author: str, date: dt.date, sample: str | None, *, subject: str,
                    keywords: str, numbered_cover: bool = True) -> Writer:
    """A Writer for one of the bureau's documents dated `date`; when its data are a sample, the
    sample line heads every page and `sample` (what is invented) opens the first."""
    moment = dt.datetime.combine(date, dt.time(0, 0))
    writer = Writer(DocMeta(title, author, moment, subject=subject, keywords=keywords,
                            header=SAMPLE_LINE if sample else "", numbered_cover=numbered_cover))
    if sample:
        writer.para("GovNotice", SAMPLE_LINE)
        writer.para("GovNoticeDetail", sample)
    return writer


class Writer:
    """One document being drawn: paragraphs, tables and pictures, in order."""

    def __init__(self, meta: DocMeta) -> None:
        self.meta = meta
        self.doc = Document()
        self._bookmarks = 0
        self._figures = 0
        _drop_template_leftovers(self.doc)
        _defaults(self.doc)
        for face in FACES.values():
            _add_style(self.doc, face)
        _page_setup(self.doc, meta)
        _core_properties(self.doc, meta)
        body = self.doc.element.body
        for paragraph in body.findall(qn("w:p")):  # the template's empty first paragraph
            body.remove(paragraph)
        self._sect_pr = body.find(qn("w:sectPr"))

    # --- paragraphs ------------------------------------------------------------------------

    def para(self, face: str, spans: Sequence[Span | str] | str = (), *,
             bookmark: str | None = None, new_page: bool = False, keep: bool = False,
             indent: tuple[float, float] | None = None) -> Paragraph:
        """Add a paragraph in a face; `bookmark` names it for a PAGEREF in the contents, `keep`
        keeps it on the page of the next one, `indent` is (left, first line) in points."""
        paragraph = self._new_paragraph()
        set_face(paragraph, face)
        if indent is not None:
            paragraph.paragraph_format.left_indent = Pt(indent[0])
            paragraph.paragraph_format.first_line_indent = Pt(indent[1])
        if new_page:
            paragraph.paragraph_format.page_break_before = True
        if keep:
            paragraph.paragraph_format.keep_with_next = True
        start = self._bookmark_start(paragraph, bookmark) if bookmark else None
        add_spans(paragraph, [spans] if isinstance(spans, str) else spans)
        if start is not None:
            end = OxmlElement("w:bookmarkEnd")
            end.set(qn("w:id"), start)
            paragraph._p.append(end)
        return paragraph

    def _new_paragraph(self) -> Paragraph:
        """A paragraph at the end of the body. python-docx's add_paragraph looks for the body's
        section properties from the start each time: quadratic in a city's thousand items."""
        element = OxmlElement("w:p")
        self._sect_pr.addprevious(element)
        return Paragraph(element, self.doc._body)

    def _bookmark_start(self, paragraph: Paragraph, name: str) -> str:
        self._bookmarks += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmarks))
        start.set(qn("w:name"), name)
        paragraph._p.append(start)
        return str(self._bookmarks)

    def contents_line(self, spans: Sequence[Span | str], bookmark: str) -> Paragraph:
        """A line of the contents: the text, dot leaders, and the page its bookmark is on."""
        paragraph = self.para("GovToc", spans)
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            Mm(PAGE.text_width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        paragraph.add_run("\t")
        add_field(paragraph, f"PAGEREF {bookmark} \\h", "")
        return paragraph

    # --- tables ----------------------------------------------------------------------------

    def table(self, header: Sequence[Cell], rows: Sequence[Sequence[Cell]],
              widths: Sequence[float], left: Sequence[bool] = ()) -> None:
        """A bordered table, centred, `widths` in mm; the header row repeats on every page.

        A cell is a string, or a tuple of lines (a header such as 第一季度 / （3月25日）).
        A short table is kept on one page (every row kept with the next, as Word does it),
        rather than leaving its header and a row or two at the foot of a page.
        """
        keep = len(rows) <= KEEP_TOGETHER_ROWS
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _table_borders(table)
        for index, width in enumerate(widths):
            table.columns[index].width = Mm(width)
        for row_index, values in enumerate([header, *rows]):
            row = table.rows[row_index]
            _row_properties(row, header=row_index == 0)
            for index, value in enumerate(values):
                cell = row.cells[index]
                cell.width = Mm(widths[index])
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                face = "GovTableHead" if row_index == 0 else (
                    "GovTableLeft" if index < len(left) and left[index] else "GovTable")
                paragraph = cell.paragraphs[0]
                set_face(paragraph, face)
                if keep and row_index < len(rows):
                    paragraph.paragraph_format.keep_with_next = True
                add_spans(paragraph, _lines(value))
        self.para("GovSpacer")  # Word sets the next paragraph flush against a table

    # --- pictures --------------------------------------------------------------------------

    def picture(self, blob: bytes, alt: str) -> None:
        """A picture scaled to the text's width (a tall one: to 60 % of its height), centred."""
        blob = as_docx_image(blob)
        image = Image.from_blob(blob)
        width, height = image.px_width, image.px_height
        scale = min(Mm(PAGE.text_width) / width,
                    Mm(PAGE.text_height * MAX_FIGURE_HEIGHT) / height)
        paragraph = self.para("GovFigure")
        shape = paragraph.add_run().add_picture(io.BytesIO(blob), width=Emu(int(width * scale)),
                                                height=Emu(int(height * scale)))
        self._figures += 1
        properties = shape._inline.docPr
        properties.set("name", f"图{self._figures}")
        properties.set("descr", clean_text(alt))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return stable_zip(buffer.getvalue(), self.meta.moment)


def _lines(value: Cell) -> list[Span]:
    lines = [value] if isinstance(value, str) else list(value)
    spans = [Span(lines[0])] if lines else []
    for line in lines[1:]:
        spans += [Span("", brk=True), Span(line)]
    return spans


def set_face(paragraph: Paragraph, face: str) -> None:
    """Give a paragraph its style by id (python-docx's lookup by name scans every style)."""
    paragraph._p.get_or_add_pPr().style = FACES[face].style_id


# --- runs --------------------------------------------------------------------------------

def add_spans(paragraph: Paragraph, spans: Sequence[Span | str]) -> None:
    for span in spans:
        span = Span(span) if isinstance(span, str) else span
        if span.brk:
            paragraph.add_run().add_break()
            continue
        text = clean_text(span.text)
        if not text:
            continue
        run = paragraph.add_run(text)
        if span.bold:  # only what differs from the style: each setter adds run properties
            run.bold = True
        if span.italic:
            run.italic = True
        if span.strike:
            run.font.strike = True
        if span.color:
            run.font.color.rgb = RGBColor.from_string(span.color)
        if span.code:
            _run_fonts(run._r.get_or_add_rPr(), MONO, MONO)


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A field we write ourselves (PAGE, PAGEREF): begin, instruction, separate, result, end."""
    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char("begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _run_fonts(rpr, east_asia: str, latin: str = LATIN) -> None:
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def as_docx_image(blob: bytes) -> bytes:
    """Word and python-docx take PNG and JPEG; a WebP photo is converted to PNG (same bytes
    each time for the same Pillow)."""
    if blob[:4] == b"RIFF" and blob[8:12] == b"WEBP":
        from PIL import Image as PillowImage

        out = io.BytesIO()
        PillowImage.open(io.BytesIO(blob)).save(out, format="PNG")
        return out.getvalue()
    return blob


# --- the document's set-up -----------------------------------------------------------------

def _drop_template_leftovers(doc) -> None:
    """python-docx's template carries a thumbnail of another document, Word 2010's copy of the
    styles and some 260 styles this document never uses."""
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            del doc.part.rels[rel_id]
        if rel.reltype == RT.NUMBERING:  # lists are drawn as text; its levels name pruned styles
            del doc.part.rels[rel_id]
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in TEMPLATE_STYLES:
            styles.remove(style)
    font_table = doc.part.part_related_by(RT.FONT_TABLE)
    font_table._blob = FONT_TABLE.encode("utf-8")  # a plain Part: its bytes are its content


def _defaults(doc) -> None:
    """Document defaults: our fonts (no theme fonts, which would win), Chinese, no spacing."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _run_fonts(rpr, SERIF)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(
        qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    doc.settings.odd_and_even_pages_header_footer = True


def _add_style(doc, face: Face) -> None:
    style = doc.styles.add_style(face.name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = face.style_id
    style.base_style = doc.styles["Normal"]
    style.quick_style = face.outline is not None or face.style_id == "GovBody"
    font = style.font
    font.size = Pt(face.size)
    font.bold = face.bold
    if face.color:
        font.color.rgb = RGBColor.from_string(face.color)
    _run_fonts(style.element.get_or_add_rPr(), face.font,
               MONO if face.font == MONO else LATIN)
    _paragraph_format(style.paragraph_format, face)
    ppr = style.element.get_or_add_pPr()
    # Word refuses a document whose elements are out of the schema's order: insert, not append.
    if face.outline is not None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(face.outline))
        ppr.insert_element_before(level, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                                  "w:pPrChange")
    if face.border:
        ppr.insert_element_before(_borders(face), *PPR_AFTER_BORDER)


def _paragraph_format(fmt, face: Face) -> None:
    fmt.alignment = ALIGN[face.align]
    if face.line:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(face.line)
    fmt.first_line_indent = Pt(face.indent)
    fmt.left_indent = Pt(face.left)
    fmt.right_indent = Pt(face.right)
    fmt.space_before = Pt(face.before)
    fmt.space_after = Pt(face.after)
    fmt.keep_with_next = face.keep
    fmt.widow_control = True


def _borders(face: Face):
    borders = OxmlElement("w:pBdr")
    sides = ("top", "left", "bottom", "right") if face.border == "box" else ("bottom",)
    for side in sides:
        line = OxmlElement(f"w:{side}")
        for name, value in (("val", "single"), ("sz", "12"), ("space", "4"),
                            ("color", face.color or "000000")):
            line.set(qn(f"w:{name}"), value)
        borders.append(line)
    return borders


def _page_setup(doc, meta: DocMeta) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE.width), Mm(PAGE.height)
    section.top_margin, section.bottom_margin = Mm(PAGE.top), Mm(PAGE.bottom)
    section.left_margin, section.right_margin = Mm(PAGE.left), Mm(PAGE.right)
    section.header_distance, section.footer_distance = Mm(PAGE.header), Mm(PAGE.footer)
    section.different_first_page_header_footer = not meta.numbered_cover
    # GB/T 9704: odd pages' numbers on the right, even pages' on the left, one character in.
    _page_number(section.footer, "right")
    _page_number(section.even_page_footer, "left")
    if meta.header:
        for header in (section.header, section.even_page_header):
            paragraph = header.paragraphs[0]
            set_face(paragraph, "GovHeader")
            add_spans(paragraph, [meta.header])


def _page_number(footer, side: str) -> None:
    """「— 1 —」: the PAGE field between two 一字线."""
    paragraph = footer.paragraphs[0]
    set_face(paragraph, "GovFooter")
    paragraph.alignment = ALIGN[side]
    one_character = Pt(FACES["GovFooter"].size)
    if side == "right":
        paragraph.paragraph_format.right_indent = one_character
    else:
        paragraph.paragraph_format.left_indent = one_character
    _dash(paragraph.add_run("— "))
    add_field(paragraph, "PAGE", "1")
    _dash(paragraph.add_run(" —"))


def _dash(run) -> None:
    """The 一字线 is drawn by the Chinese font (full width), not the Latin one."""
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hint"), "eastAsia")


def _table_borders(table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        for name, value in (("val", "single"), ("sz", "4"), ("space", "0"),
                            ("color", "000000")):
            line.set(qn(f"w:{name}"), value)
        borders.append(line)
    properties.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar",
                                     "w:tblLook", "w:tblCaption", "w:tblDescription",
                                     "w:tblPrChange")


def _row_properties(row, header: bool) -> None:
    """Rows never split over two pages; the header row repeats at the top of each page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _core_properties(doc, meta: DocMeta) -> None:
    core = doc.core_properties
    title, author = clean_text(meta.title), clean_text(meta.author)
    core.title, core.author, core.subject = title, author, clean_text(meta.subject)
    core.keywords, core.comments, core.category = clean_text(meta.keywords), "", ""
    core.last_modified_by, core.revision, core.language = author, 1, "zh-CN"
    core.created = core.modified = meta.moment
