"""The typical-case compilation (典型案例汇编) for the city, read back with python-docx and as
LibreOffice prints it. Built from the frozen fixture data only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from helpers import FIXTURE_AS_OF, FIXTURE_DATA, run_cli
from office import Pdf, squash, to_pdf

from generator.build import load_everything
from generator.common.paths import Paths
from generator.outputs.compilation import (
    Block,
    body_blocks,
    compilation,
    compilation_docx,
    compilation_files,
    compilation_link,
    recommended_cases,
)
from generator.outputs.docx_style import PAGE, SAMPLE_LINE, Span
from generator.outputs.docx_writer import as_docx_image
from generator.pages.case_pages import RECOMMENDED, case_pages
from generator.pages.render import render_page

AS_OF = dt.date.fromisoformat(FIXTURE_AS_OF)
CASES = FIXTURE_DATA / "cases/2023"
FIRST = "一、有限空间“挂牌上锁＋扫码确认”作业管控（示例）"
SECOND = "二、粉尘涉爆企业“日清扫、周复核、月评估”隐患闭环管理（示例）"


@pytest.fixture(scope="module")
def loaded():
    return load_everything(Paths(data=FIXTURE_DATA), AS_OF)


@pytest.fixture(scope="module")
def document(loaded):
    return compilation(loaded.inputs.catalog(2023), loaded.inputs.settings, loaded.cases, AS_OF)


@pytest.fixture(scope="module")
def docx_bytes(document) -> bytes:
    return compilation_docx(document)


@pytest.fixture(scope="module")
def word(docx_bytes):
    return docx.Document(io.BytesIO(docx_bytes))


def texts(word, style: str | None = None) -> list[str]:
    return [p.text for p in word.paragraphs if style is None or p.style.name == style]


def case_paragraphs(word, heading: str) -> list:
    """The paragraphs of one case: from its title to the next case's title."""
    chosen, inside = [], False
    for paragraph in word.paragraphs:
        if paragraph.style.name == "公文标题（方正小标宋简体）":
            inside = paragraph.text == heading
        elif inside:
            chosen.append(paragraph)
    return chosen


# --- what it holds ----------------------------------------------------------------------------

def test_it_holds_the_years_recommended_cases_oldest_first(loaded, document):
    chosen = recommended_cases(loaded.cases, 2023)
    assert [case.key for case in chosen] == ["2023/zouqu/2023-06-20-youxian-kongjian",
                                             "2023/beigang/2023-07-12-fenchen"]
    assert all(case.recommended for case in chosen)
    assert [entry.heading for entry in document.cases] == [FIRST, SECOND]


def test_the_cover_says_sample_then_names_the_year_and_the_bureau(word, loaded):
    assert texts(word)[:6] == [SAMPLE_LINE, loaded.inputs.settings.sample_notice,
                               "2023年度典型案例汇编", "（推荐报送市局）", "常州市钟楼区应急管理局",
                               "2023年10月10日"]
    section = word.sections[0]
    assert section.different_first_page_header_footer  # the cover has no page number
    assert [p.text for p in section.header.paragraphs] == [SAMPLE_LINE]
    assert word.core_properties.title == "2023年度典型案例汇编"


def test_the_contents_list_every_case_with_the_page_of_its_bookmark(word):
    assert texts(word, "目录（仿宋_GB2312）") == [f"{FIRST}\t", f"{SECOND}\t"]
    assert texts(word, "目录说明（楷体）") == ["邹区镇　危险作业（有限空间作业）　2023年6月20日",
                                         "北港街道　粉尘涉爆整治提升　2023年7月12日"]
    body = word.element.body
    codes = [e.text for e in body.iter(qn("w:instrText"))]
    assert codes == [" PAGEREF case_1 \\h ", " PAGEREF case_2 \\h "]
    marks = {e.get(qn("w:name")): e.getparent() for e in body.iter(qn("w:bookmarkStart"))}
    assert {name: "".join(t.text for t in p.iter(qn("w:t"))) for name, p in marks.items()} == {
        "case_1": FIRST, "case_2": SECOND}


def test_each_case_starts_a_page_with_its_board_campaign_date_and_summary(word):
    titles = [p for p in word.paragraphs if p.text in (FIRST, SECOND)]
    assert [p.paragraph_format.page_break_before for p in titles] == [True, True]
    head = [p.text for p in case_paragraphs(word, SECOND)[:3]]
    assert head == ["北港街道　粉尘涉爆整治提升　2023年7月12日",
                    "联系单位：北港街道综合行政执法局（示例）",
                    "【摘要】围绕“可燃性粉尘清扫报告”这一小切口，北港街道把企业每日清扫上报、"
                    "网格员每周抽查复核和专家每月评估串成闭环，除尘系统隐患做到发现、整改、销号"
                    "全程留痕。（示例）"]


def test_the_body_becomes_headings_numbered_points_bullets_bold_and_a_quote(word):
    paragraphs = case_paragraphs(word, SECOND)
    by_style = {}
    for paragraph in paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph)
    assert [p.text for p in by_style["一级标题（黑体）"]] == ["背景", "做法", "成效", "经验"]
    items = by_style["列表（仿宋_GB2312）"]
    assert [p.text.split("：")[0] for p in items] == [
        "1. 日清扫", "2. 周复核", "3. 月评估", "4. 闭环销号", "5. 推广自动清灰阀",
        "• 上报要“有人看”", "• 隐患要“有人销”", "• 小切口可复制"]
    first = items[0]
    assert [(run.text, bool(run.bold)) for run in first.runs][:3] == [
        ("1. ", False), ("日清扫", True), ("：企业每天下班前按“产尘点位清单”清扫，拍照上报清扫记录，"
                                          "照片须能看到点位编号牌。", False)]
    quote = by_style["引文（楷体）"][0]
    assert quote.text.startswith("示例案例：本文是演示用的示例")
    assert quote.runs[0].text == "示例案例" and quote.runs[0].bold
    # Lines of one paragraph join without a space between Chinese characters.
    assert "上报了但没人看" in by_style["正文（仿宋_GB2312）"][0].text
    assert "“打卡”，上报了" in by_style["正文（仿宋_GB2312）"][0].text


def test_pictures_come_from_the_case_folder_at_the_text_width(word, docx_bytes):
    shapes = list(word.inline_shapes)
    assert len(shapes) == 2
    for shape in shapes:
        assert abs(shape.width.mm - PAGE.text_width) < 0.1
    expected = [(CASES / "zouqu/youxian-kongjian-liucheng.png").read_bytes(),
                (CASES / "beigang/chuchen-zhenggai.png").read_bytes()]
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        media = [archive.read(name) for name in sorted(archive.namelist())
                 if name.startswith("word/media/")]
    assert media == expected
    captions = texts(word, "图注（楷体）")
    assert captions[1] == "示例数据：除尘系统隐患排查与整改柱状图，3 月至 6 月发现隐患逐月减少"
    described = [e.get("descr") for e in word.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert described == captions  # the alt text is the picture's description too


HERE = Path("/nowhere")


@pytest.mark.parametrize(("markdown", "blocks"), [
    ("## 做法\n\n正文**加粗**。", [Block("heading", (Span("做法"),), 1),
                               Block("paragraph", (Span("正文"), Span("加粗", bold=True),
                                                   Span("。")))]),
    ("#### 小标题", [Block("heading", (Span("小标题"),), 3)]),
    ("第一行\n第二行", [Block("paragraph", (Span("第一行"), Span("第二行")))]),
    ("one\ntwo", [Block("paragraph", (Span("one"), Span(" "), Span("two")))]),
    ("3. 三\n4. 四\n   - 甲", [Block("item", (Span("三"),), 1, "3."),
                             Block("item", (Span("四"),), 1, "4."),
                             Block("item", (Span("甲"),), 2, "•")]),
    ("[网站](https://example.cn)", [Block("paragraph", (Span("网站"),
                                                       Span("（https://example.cn）")))]),
    ("<script>alert(1)</script>", [Block("paragraph", (Span("<script>alert(1)</script>"),))]),
    ("![远程图片](https://example.cn/a.png)", [Block("paragraph", (Span("远程图片"),))]),
    ("> 引文", [Block("quote", (Span("引文"),))]),
    ("| 项 | 数 |\n|---|---|\n| **隐患** | 38 |", [Block("table", rows=(("项", "数"),
                                                                    ("隐患", "38")))]),
    ("```\nx = 1\n```", [Block("code", (Span("x = 1", code=True),))]),
    ("~~删去~~ `代码`", [Block("paragraph", (Span("删去", strike=True), Span(" "),
                                           Span("代码", code=True)))]),
])
def test_markdown_becomes_word_blocks(markdown, blocks):
    assert list(body_blocks(markdown, {}, HERE)) == blocks


def test_an_approved_picture_is_a_block_of_its_own():
    blocks = body_blocks("前文![图](a.png)后文", {"a.png": "a.png"}, HERE)
    assert [(b.kind, b.text, b.image, b.alt) for b in blocks] == [
        ("paragraph", "前文", None, ""), ("image", "", HERE / "a.png", "图"),
        ("paragraph", "后文", None, "")]


def test_a_webp_picture_is_embedded_as_png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 4), "red").save(buffer, format="WEBP")
    converted = as_docx_image(buffer.getvalue())
    assert converted[:8] == b"\x89PNG\r\n\x1a\n"
    assert as_docx_image(converted) == converted


def test_same_inputs_give_the_same_bytes(loaded, docx_bytes):
    again = compilation(loaded.inputs.catalog(2023), loaded.inputs.settings, loaded.cases, AS_OF)
    assert compilation_docx(again) == docx_bytes
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        assert archive.namelist() == sorted(archive.namelist())
        assert {info.date_time for info in archive.infolist()} == {(2023, 10, 10, 0, 0, 0)}


def test_real_cases_carry_no_sample_line(loaded):
    settings = loaded.inputs.settings.model_copy(update={"sample_data": False})
    real = [dataclasses.replace(case, meta=case.meta.model_copy(update={"sample": False}))
            for case in loaded.cases]
    document = compilation(loaded.inputs.catalog(2023), settings, real, AS_OF)
    assert document.sample is None
    word = docx.Document(io.BytesIO(compilation_docx(document)))
    assert texts(word)[0] == "2023年度典型案例汇编"
    assert SAMPLE_LINE not in "".join(texts(word))
    assert "（示例）" not in "".join(texts(word, "公文标题（方正小标宋简体）"))


# --- the site and the command line ------------------------------------------------------------

def test_the_recommended_page_links_the_compilation(loaded, docx_bytes):
    catalog, settings = loaded.inputs.catalog(2023), loaded.inputs.settings
    files = compilation_files(catalog, settings, loaded.cases, AS_OF)
    assert files == {"downloads/cases/2023-compilation.docx": docx_bytes}
    pages = case_pages(loaded.cases, catalog, settings, compilation_link(files))
    page = render_page(next(p for p in pages if p.path == RECOMMENDED))
    assert ('<p class="downloads no-print"><strong><a href="../../downloads/cases/2023-compilation.docx">'
            "下载典型案例汇编（Word 文档）</a></strong>：下列案例的全文和图片，供报送市局。</p>") in page


def test_without_recommended_cases_there_is_no_file_and_no_link(loaded):
    catalog, settings = loaded.inputs.catalog(2023), loaded.inputs.settings
    plain = [dataclasses.replace(case, recommended=False) for case in loaded.cases]
    files = compilation_files(catalog, settings, plain, AS_OF)
    assert files == {}
    assert compilation_link(files) is None
    pages = case_pages(plain, catalog, settings, compilation_link(files))
    assert "汇编" not in render_page(next(p for p in pages if p.path == RECOMMENDED))


def test_the_compilation_command_writes_the_same_document(tmp_path, docx_bytes):
    result = run_cli(tmp_path, "compilation", "--year", "2023", "--data", str(FIXTURE_DATA),
                     "--out", "out", "--as-of", FIXTURE_AS_OF)
    assert (result.code, result.err) == (0, "")
    assert result.out == "已生成典型案例汇编 out/2023-compilation.docx。\n"
    assert (tmp_path / "out/2023-compilation.docx").read_bytes() == docx_bytes


@pytest.mark.parametrize(("year", "message"), [
    ("2022", "--year: 2022 年度还没有推荐报送市局的典型案例 — 区局审核后在 "
             "data/cases/recommended.yaml 中登记，如 “  - 2022/beigang/2022-07-12-fenchen”"),
    ("2021", "--year: 没有 2021 年度的任务分解表 — 可用的年度：2022、2023"),
    ("二〇二三", "--year: 年度 '二〇二三' 不对：应写成四位数字 — 可用的年度：2022、2023"),
])
def test_the_compilation_command_explains_a_bad_year_in_chinese(tmp_path, year, message):
    result = run_cli(tmp_path, "compilation", "--year", year, "--data", str(FIXTURE_DATA),
                     "--out", "out")
    assert result.code == 1 and result.out == ""
    assert result.err == f"{message}\n发现 1 个问题。未生成任何文件，上次生成的结果保持不变。\n"
    assert not (tmp_path / "out").exists()


# --- as LibreOffice prints it -------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf(tmp_path_factory, docx_bytes) -> Pdf:
    folder = tmp_path_factory.mktemp("compilation-pdf")
    source = folder / "2023-compilation.docx"
    source.write_bytes(docx_bytes)
    return Pdf(to_pdf(source, folder, folder / "profile"))


@pytest.mark.office
def test_the_printed_contents_give_the_pages_the_cases_start_on(pdf):
    pages = [squash(pdf.text(page, layout=True)) for page in range(1, pdf.pages + 1)]
    starts = [next(number for number, text in enumerate(pages, 1)
                   if text.startswith(SAMPLE_LINE + heading)) for heading in (FIRST, SECOND)]
    contents = next(text for text in pages if "目录" in text[:30])
    for heading, start in zip((FIRST, SECOND), starts, strict=True):
        assert re.search(re.escape(heading) + r"\.{3,}" + str(start), contents), contents


@pytest.mark.office
def test_the_printed_compilation_has_the_bodies_pictures_and_page_numbers(pdf):
    text = squash(pdf.text())
    for line in ("2023年度典型案例汇编", "1.日清扫：企业每天下班前按“产尘点位清单”清扫",
                 "•小切口可复制：产尘点位清单和复核表格简单易用",
                 "示例数据：除尘系统隐患排查与整改柱状图"):
        assert line in text, line
    cover = squash(pdf.text(1, layout=True))
    assert cover.startswith(SAMPLE_LINE) and not re.search(r"—\d+—$", cover)
    for page in range(2, pdf.pages + 1):
        printed = squash(pdf.text(page, layout=True))
        assert printed.startswith(SAMPLE_LINE) and printed.endswith(f"—{page}—"), page
    fonts = pdf.fonts()
    assert all(name.startswith(("NotoSerifCJK", "NotoSansCJK", "LiberationSerif"))
               for name in fonts), fonts
