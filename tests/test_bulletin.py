"""The quarterly bulletin (工作进展通报), read back as a reader gets it: python-docx for its
structure, LibreOffice's PDF for what prints. Built from the frozen fixture data only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from types import SimpleNamespace

import docx
import pytest
from docx.oxml.ns import qn
from helpers import FIXTURE_AS_OF, FIXTURE_DATA, run_cli
from office import MM, Pdf, squash, table_rows, to_pdf

from generator.build import evaluate_year, generate, load_everything
from generator.common.paths import Paths
from generator.common.problems import InputError
from generator.evaluate import ATTENTION
from generator.evaluate.scores import OwnerScore
from generator.outputs.bulletin import (
    bulletin,
    bulletin_as_of,
    bulletin_docx,
    parse_quarter,
    published_quarters,
    ranking,
    subject,
    title_lines,
)
from generator.outputs.docx_style import PAGE, SAMPLE_LINE, SANS, SERIF

AS_OF = dt.date.fromisoformat(FIXTURE_AS_OF)
ISSUER = "常州市钟楼区应急管理局"
TITLE = "2023年第三季度冶金等工贸行业安全生产工作进展通报"
HANGING = "，。、；：！？”’）》」"
HEADINGS = ["一、总体情况", "二、各板块得分与排名", "三、报送情况", "四、需要关注的事项", "五、典型案例"]


@pytest.fixture(scope="module")
def loaded():
    return load_everything(Paths(data=FIXTURE_DATA), AS_OF)


@pytest.fixture(scope="module")
def evaluation(loaded):
    return evaluate_year(loaded.inputs, loaded.reports, 2023, AS_OF)


@pytest.fixture(scope="module")
def document(loaded, evaluation):
    return bulletin(evaluation, loaded.inputs.settings, loaded.cases)


@pytest.fixture(scope="module")
def docx_bytes(document) -> bytes:
    return bulletin_docx(document)


@pytest.fixture(scope="module")
def word(docx_bytes):
    return docx.Document(io.BytesIO(docx_bytes))


def texts(word, style: str | None = None) -> list[str]:
    return [p.text for p in word.paragraphs if style is None or p.style.name == style]


def between(word, start: str, *ends: str) -> list[str]:
    """The paragraphs after the one reading `start`, up to the next heading in `ends` styles."""
    found, chosen = False, []
    for paragraph in word.paragraphs:
        if found and paragraph.style.name in ends:
            break
        if found:
            chosen.append(paragraph.text)
        found = found or paragraph.text == start
    assert found, start
    return chosen


def table(word, index: int) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in word.tables[index].rows]


# --- what it says ---------------------------------------------------------------------------

def test_it_opens_with_the_sample_line_then_the_bureau_the_date_and_the_title(word, loaded):
    assert texts(word)[:7] == [
        SAMPLE_LINE, loaded.inputs.settings.sample_notice, ISSUER, "2023年10月10日",
        "2023年第三季度冶金等工贸行业\n安全生产工作进展通报",
        "各科室（大队）、高新园（邹区镇）、各街道综合行政执法局：",
        "根据钟应急〔2023〕12号的要求，各板块于每季度末月25日报送工作进展。"
        "现将2023年第三季度各板块工作进展情况通报如下。"]
    assert SAMPLE_LINE == "示例数据（演示），不是官方统计"
    section = word.sections[0]
    assert [p.text for p in section.header.paragraphs] == [SAMPLE_LINE]  # every page says so
    assert [p.text for p in section.even_page_header.paragraphs] == [SAMPLE_LINE]
    assert (word.core_properties.title, word.core_properties.author) == (TITLE, ISSUER)


def test_real_data_carries_no_sample_line(loaded, evaluation):
    settings = loaded.inputs.settings.model_copy(update={"sample_data": False})
    real = bulletin(evaluation, settings, loaded.cases)
    assert real.sample is None
    word = docx.Document(io.BytesIO(bulletin_docx(real)))
    assert texts(word)[:2] == [ISSUER, "2023年10月10日"]
    assert SAMPLE_LINE not in "".join(texts(word))
    assert [p.text for p in word.sections[0].header.paragraphs] == [""]


def test_the_five_sections_come_in_order(word):
    assert texts(word, "一级标题（黑体）") == HEADINGS


def test_the_overview_counts_every_status_and_names_the_ranking_date(word, evaluation):
    overview = between(word, "一、总体情况", "一级标题（黑体）")
    assert overview == [
        "本通报的指标状态和考核排名依据各板块2023年9月25日应报的第三季度报表核定"
        "（排名依据日：2023年9月25日；数据截至2023年10月10日）。",
        "全区各板块和区局等单位共承担416项“指标×责任单位”，其中已完成59项、逾期完成5项、"
        "进行中128项、预警43项、滞后12项、逾期未完成18项、守住红线18项、突破红线5项、"
        "未上报7项、未到期10项、不评估111项。",
        "已完成率21.7%：已完成（含逾期完成）64项，占已进入考核的295项（不含未到期和不评估）。"
        "需要关注的（突破红线、逾期未完成、未上报、滞后、预警）共85项，见第四部分。"]
    district = evaluation.district()  # 64 ÷ 295 = 21.69 %, from the same cells
    assert (district.total, district.done, district.assessed, district.attention) == (
        416, 64, 295, 85)


def test_the_ranking_rows_are_the_evaluations_scores(word, evaluation):
    rows = table(word, 0)
    assert rows[0] == ["排名", "板块", "任务得分", "报送得分", "综合得分"]
    assert rows[1:] == [[str(s.rank), s.name, f"{s.task_score:.1f}", f"{s.report_score:.1f}",
                         f"{s.total:.1f}"] for s in evaluation.scores()]
    assert rows[1] == ["1", "邹区镇", "97.2", "100.0", "97.8"]  # the fixture's, by hand
    assert rows[-1] == ["8", "五星街道", "50.2", "66.7", "53.5"]
    assert "综合得分 = 任务得分 × 80% + 报送得分 × 20%" in between(
        word, "二、各板块得分与排名", "一级标题（黑体）")[0]


def test_a_board_without_a_rank_shows_dashes():
    unscored = OwnerScore("x", "某街道", None, None, None, None, None)
    rows = ranking(SimpleNamespace(scores=lambda: [unscored]))
    assert [dataclasses.astuple(row) for row in rows] == [("—", "某街道", "—", "—", "—")]


def test_the_report_table_has_each_board_and_quarter_so_far(word):
    assert table(word, 1) == [
        ["板块", "第一季度\n3月25日", "第二季度\n6月25日", "第三季度\n9月25日"],
        ["邹区镇", "按时", "按时", "按时"], ["北港街道", "按时", "按时", "按时"],
        ["新闻街道", "按时", "迟报", "按时"], ["五星街道", "按时", "未报", "按时"],
        ["西林街道", "按时", "按时", "迟报"], ["永红街道", "按时", "按时", "按时"],
        ["南大街街道", "未报", "按时", "按时"], ["荷花池街道", "迟报", "迟报", "迟报"]]
    assert between(word, "三、报送情况", "一级标题（黑体）")[0] == (
        "第三季度报表应于2023年9月25日报送，8个板块中按时6个、迟报2个、未报0个"
        "（按报表中填写的上报日期判定）。")


NANDAJIE = [("突破红线", "常安码"), ("逾期未完成", "工业企业较大以上风险报告"),
            ("逾期未完成", "工业企业较大以上风险报告"),
            ("滞后", "开展重点商贸企业安全生产联合检查"), ("滞后", "企业安全生产标准化达标创建"),
            ("滞后", "企业安全生产标准化达标创建"), ("预警", "劳动密集型工业企业"),
            ("预警", "网格化监管"), ("预警", "网格化"), ("预警", "安全责任保险"),
            ("预警", "常安码"), ("预警", "常安码"), ("预警", "常安码")]


def test_a_boards_lagging_items_are_listed_worst_first_with_their_contact(word, evaluation):
    lines = between(word, "（七）南大街街道", "二级标题（楷体）", "一级标题（黑体）")
    items, notes = lines[0::2], lines[1::2]
    found = [re.match(r"(\d+)\. 【(.+?)】(.+?)：", item).groups() for item in items]
    assert [(status, campaign) for _, status, campaign in found] == NANDAJIE
    assert [int(number) for number, _, _ in found] == list(range(1, 14))
    assert items[3].startswith("4. 【滞后】开展重点商贸企业安全生产联合检查：对大型商业综合体、"
                               "仓储物流园区、批发市场等重点企业开展联合执法检查")
    assert notes[3] == "说明：本季度报告未开展；3 个季度中 1 个季度报告已开展；联系人：刘根。"
    assert items[4] == ("5. 【滞后】企业安全生产标准化达标创建：1a. 12月底前，推动三级安全生产"
                        "标准化创建94家，其中邹区镇25家，北港街道25家，新闻街道22家，五星街道8家，"
                        "西林街道8家，永红街道4家，南大街街道1家，荷花池街道1家；")
    assert notes[4] == "说明：按时间进度应完成 0.7，落后超过一个季度；联系人：张政。"
    attention = [c for c in evaluation.by_board["nandajie"] if c.status in ATTENTION]
    assert len(attention) == len(items)


def test_each_board_has_its_own_part_in_directory_order(word):
    assert texts(word, "二级标题（楷体）") == [
        "（一）邹区镇", "（二）北港街道", "（三）新闻街道", "（四）五星街道", "（五）西林街道",
        "（六）永红街道", "（七）南大街街道", "（八）荷花池街道"]


def test_the_quarters_cases_are_highlighted_and_recommended_ones_marked(word):
    lines = between(word, "五、典型案例", "一级标题（黑体）")
    assert lines[0] == "第三季度各板块报送典型案例3篇，其中1篇已由区局推荐报送市局。"
    assert lines[1] == ("1. 粉尘涉爆企业“日清扫、周复核、月评估”隐患闭环管理（示例）【推荐报送市局】"
                        "（北港街道，粉尘涉爆整治提升，2023年7月12日）")
    assert lines[3].startswith("2. 重大危险源企业“个性化自查清单”（示例）（西林街道，")
    assert lines[5].startswith("3. 网格员“随手拍”发现问题、跟踪到底（示例）（荷花池街道，")


def test_it_closes_with_the_plans_words_the_next_report_day_and_the_signature(word):
    assert texts(word)[-4:] == [
        "请各地统筹好各项工作进展，在区局制定的时间截点前完成相关工作，并及时将工作成果、"
        "编撰材料、典型案例报送科室联络人员。",
        "下一次报送日为2023年12月25日，请各板块按时报送。", ISSUER, "2023年10月10日"]


# --- how it is set ---------------------------------------------------------------------------

def test_a4_with_the_gb_t_9704_margins(word):
    section = word.sections[0]
    assert [round(length.mm, 1) for length in (
        section.page_width, section.page_height, section.top_margin, section.bottom_margin,
        section.left_margin, section.right_margin)] == [210, 297, 37, 35, 28, 26]
    for index in range(len(word.tables)):
        widths = [column.width.mm for column in word.tables[index].columns]
        assert sum(widths) <= PAGE.text_width + 0.5, widths  # tables fit the text block


@pytest.mark.parametrize(("style", "font", "size"), [
    ("公文标题（方正小标宋简体）", SERIF, 22), ("一级标题（黑体）", SANS, 16),
    ("二级标题（楷体）", SERIF, 16), ("正文（仿宋_GB2312）", SERIF, 16),
    ("表格（仿宋_GB2312）", SERIF, 14)])
def test_styles_name_the_official_font_and_use_an_installed_one(word, style, font, size):
    found = word.styles[style]
    fonts = found.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == font
    assert fonts.get(qn("w:ascii")) == "Times New Roman"
    assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win over ours
    assert found.font.size.pt == size


def test_body_text_is_16_point_with_a_two_character_indent(word):
    body = word.styles["正文（仿宋_GB2312）"]
    assert body.paragraph_format.first_line_indent.pt == 32
    assert body.paragraph_format.line_spacing.pt == 29  # 22 lines on a page
    assert texts(word, "正文（仿宋_GB2312）")[0].startswith("根据钟应急〔2023〕12号")


def test_page_numbers_are_a_page_field_between_dashes_odd_right_even_left(word):
    section = word.sections[0]
    assert word.settings.odd_and_even_pages_header_footer
    for footer, side in ((section.footer, "RIGHT"), (section.even_page_footer, "LEFT")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"  # the field's shown value between the 一字线
        assert paragraph.alignment.name == side
        codes = [e.text for e in paragraph._p.iter(qn("w:instrText"))]
        assert codes == [" PAGE "]


def test_same_inputs_give_the_same_bytes(loaded, docx_bytes):
    again = evaluate_year(loaded.inputs, loaded.reports, 2023, AS_OF)
    assert bulletin_docx(bulletin(again, loaded.inputs.settings, loaded.cases)) == docx_bytes
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in archive.infolist()} == {(2023, 10, 10, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in names
    core = docx.Document(io.BytesIO(docx_bytes)).core_properties
    assert core.created == core.modified == dt.datetime(2023, 10, 10, tzinfo=dt.UTC)


def test_data_is_text_in_runs_never_a_field_or_a_control_character(document):
    tricky = dataclasses.replace(
        document, recipients="各板块\x00\x07\u202e：",
        opening='{ DDEAUTO "c:\\\\windows\\\\system32\\\\cmd.exe" } <w:fldSimple w:instr="PAGE"/>')
    data = bulletin_docx(tricky)
    word = docx.Document(io.BytesIO(data))
    assert texts(word)[5:7] == [
        "各板块：", '{ DDEAUTO "c:\\\\windows\\\\system32\\\\cmd.exe" } <w:fldSimple w:instr="PAGE"/>']
    body = word.element.body
    assert not list(body.iter(qn("w:instrText"))) and not list(body.iter(qn("w:fldSimple")))


def test_a_cached_bulletin_is_not_drawn_again(loaded, tmp_path, monkeypatch, docx_bytes):
    import generator.outputs.bulletin as module

    def evaluate_at(day: dt.date):
        return evaluate_year(loaded.inputs, loaded.reports, 2023, day)

    catalog, settings = loaded.inputs.catalog(2023), loaded.inputs.settings
    first = module.bulletin_files(catalog, settings, loaded.cases, AS_OF, evaluate_at, tmp_path)
    assert first["downloads/bulletins/2023Q3.docx"] == docx_bytes
    assert len(list(tmp_path.glob("*.docx"))) == 3

    def refuse(document):
        raise AssertionError(f"drew {document.label} despite the cache")

    monkeypatch.setattr(module, "bulletin_docx", refuse)
    assert module.bulletin_files(catalog, settings, loaded.cases, AS_OF, evaluate_at,
                                 tmp_path) == first
    changed = settings.model_copy(update={"sample_notice": "另一句说明。"})
    with pytest.raises(AssertionError, match="drew 2023Q1 despite the cache"):
        module.bulletin_files(catalog, changed, loaded.cases, AS_OF, evaluate_at, tmp_path)


@pytest.mark.parametrize(("title", "lines"), [
    ("2022年第四季度工作进展通报", ("2022年第四季度工作进展通报",)),  # fits one line
    (TITLE, ("2023年第三季度冶金等工贸行业", "安全生产工作进展通报")),
    ("2023年第一季度某某某某某某某某某某某某某某某某某某某某通报",  # no word to break before
     ("2023年第一季度某某某某某某某某某某某某某某某某某某某某通报",)),
])
def test_a_long_title_breaks_once_before_a_word_near_its_middle(title, lines):
    assert title_lines(title) == lines


def test_the_subject_comes_from_the_plans_attachment_without_the_districts_name(loaded):
    assert subject(loaded.inputs.plans[2023]) == "冶金等工贸行业安全生产工作"
    assert subject(loaded.inputs.plans[2022]) == "工作"  # 「（示例）2022年度工作任务分解表」


# --- which quarter, evaluated when ------------------------------------------------------------

@pytest.mark.parametrize(("as_of", "quarters"), [
    ("2023-03-25", []), ("2023-03-26", [1]), ("2023-09-25", [1, 2]), ("2023-10-10", [1, 2, 3]),
    ("2023-12-26", [1, 2, 3, 4]), ("2024-02-01", [1, 2, 3, 4])])
def test_a_quarter_has_a_bulletin_once_its_report_day_has_passed(loaded, as_of, quarters):
    plan = loaded.inputs.plans[2023]
    assert published_quarters(plan, dt.date.fromisoformat(as_of)) == quarters


@pytest.mark.parametrize(("quarter", "as_of", "rests_on"), [
    (3, "2023-10-10", "2023-10-10"), (1, "2023-10-10", "2023-06-25"),
    (2, "2023-10-10", "2023-09-25"), (4, "2024-01-05", "2024-01-05")])
def test_a_bulletin_uses_the_data_up_to_the_next_report_day(loaded, quarter, as_of, rests_on):
    plan = loaded.inputs.plans[2023]
    assert bulletin_as_of(plan, quarter, dt.date.fromisoformat(as_of)) == \
        dt.date.fromisoformat(rests_on)


def test_an_earlier_quarters_bulletin_rests_on_its_own_report_day(loaded, document):
    day = bulletin_as_of(loaded.inputs.plans[2023], 1, AS_OF)
    first = evaluate_year(loaded.inputs, loaded.reports, 2023, day)
    early = bulletin(first, loaded.inputs.settings, loaded.cases)
    assert (early.quarter, early.title, early.date) == (
        1, "2023年第一季度冶金等工贸行业安全生产工作进展通报", dt.date(2023, 6, 25))
    assert first.ranking_date == dt.date(2023, 3, 25)
    assert early.compliance_head == ("板块", ("第一季度", "3月25日"))
    assert early.ranking == ranking(first) != document.ranking
    assert early.closing[-1] == "下一次报送日为2023年6月25日，请各板块按时报送。"


QUARTER = "--quarter: "


@pytest.mark.parametrize(("label", "message"), [
    ("2023Q4", "2023年第四季度的报送日（2023年12月25日）还没有过（数据截至2023年10月10日），"
               "尚无可通报的进展 — 可通报的季度：2023Q1、2023Q2、2023Q3"),
    ("2023q3", "季度 '2023q3' 不对：应写成 2023Q1 至 2023Q4 — 是否应为 '2023Q3'？"),
    ("2023Q5", "季度 '2023Q5' 不对：应写成 2023Q1 至 2023Q4 — 季度只能是 1 到 4，如 2023Q1"),
    ("Q3", "季度 'Q3' 不对：应写成 2023Q1 至 2023Q4 — 季度只能是 1 到 4，如 2023Q1"),
    ("2021Q1", "没有 2021 年度的任务分解表 — 可通报的年度：2022、2023"),
])
def test_a_bad_quarter_is_explained(loaded, label, message):
    with pytest.raises(InputError) as caught:
        parse_quarter(label, loaded.inputs.plans, AS_OF)
    assert [p.format() for p in caught.value.problems.items] == [QUARTER + message]


def test_before_the_first_report_day_there_is_nothing_to_report(loaded):
    with pytest.raises(InputError) as caught:
        parse_quarter("2023Q1", loaded.inputs.plans, dt.date(2023, 3, 25))
    assert [p.format() for p in caught.value.problems.items] == [
        QUARTER + "2023年第一季度的报送日（2023年3月25日）还没有过（数据截至2023年3月25日），"
                  "尚无可通报的进展 — 第一季度的通报在2023年3月25日之后才能生成"]


# --- the command line and the site ------------------------------------------------------------

def test_the_bulletin_command_writes_the_same_document(tmp_path, docx_bytes):
    result = run_cli(tmp_path, "bulletin", "--quarter", "2023Q3", "--data", str(FIXTURE_DATA),
                     "--out", "out", "--as-of", FIXTURE_AS_OF)
    assert (result.code, result.err) == (0, "")
    assert result.out == "已生成工作进展通报 out/2023Q3.docx（2023Q3，数据截至 2023-10-10）。\n"
    assert (tmp_path / "out/2023Q3.docx").read_bytes() == docx_bytes  # another process, same bytes


@pytest.mark.parametrize(("label", "message"), [
    ("2023Q4", "--quarter: 2023年第四季度的报送日（2023年12月25日）还没有过（数据截至2023年10月10日），"
               "尚无可通报的进展 — 可通报的季度：2023Q1、2023Q2、2023Q3"),
    ("2023-3", "--quarter: 季度 '2023-3' 不对：应写成 2023Q1 至 2023Q4 — 是否应为 '2023Q3'？"),
])
def test_the_bulletin_command_refuses_a_bad_quarter_in_chinese(tmp_path, label, message):
    result = run_cli(tmp_path, "bulletin", "--quarter", label, "--data", str(FIXTURE_DATA),
                     "--out", "out", "--as-of", FIXTURE_AS_OF)
    assert result.code == 1 and result.out == ""
    assert result.err == f"{message}\n发现 1 个问题。未生成任何文件，上次生成的结果保持不变。\n"
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def site_files(tmp_path_factory) -> dict[str, bytes]:
    """Every file a build makes from the fixture data, in memory (nothing written but caches)."""
    scratch = tmp_path_factory.mktemp("site")
    paths = Paths(data=FIXTURE_DATA, static=scratch / "static", out=scratch / "out",
                  cache=scratch / ".cache")
    return generate(paths, AS_OF)[0]


def test_the_site_offers_each_reported_quarter_from_the_ranking_page(site_files, docx_bytes):
    bulletins = sorted(name for name in site_files if name.startswith("downloads/bulletins/"))
    assert bulletins == ["downloads/bulletins/2023Q1.docx", "downloads/bulletins/2023Q2.docx",
                         "downloads/bulletins/2023Q3.docx"]
    assert site_files["downloads/bulletins/2023Q3.docx"] == docx_bytes
    first = docx.Document(io.BytesIO(site_files["downloads/bulletins/2023Q1.docx"]))
    assert first.core_properties.title == "2023年第一季度冶金等工贸行业安全生产工作进展通报"
    page = site_files["assessment/index.md"].decode("utf-8")
    assert ('<p class="downloads no-print"><strong>工作进展通报</strong>（Word 文档，按季度）：'
            '<a href="../downloads/bulletins/2023Q1.docx">2023年第一季度</a>、'
            '<a href="../downloads/bulletins/2023Q2.docx">2023年第二季度</a>、'
            '<a href="../downloads/bulletins/2023Q3.docx">2023年第三季度</a></p>') in page
    assert "工作进展通报" not in site_files["2022/assessment/index.md"].decode("utf-8")  # current year


# --- as LibreOffice prints it -------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf(tmp_path_factory, docx_bytes) -> Pdf:
    folder = tmp_path_factory.mktemp("bulletin-pdf")
    source = folder / "2023Q3.docx"
    source.write_bytes(docx_bytes)
    return Pdf(to_pdf(source, folder, folder / "profile"))


@pytest.mark.office
def test_the_printed_bulletin_holds_the_ranking(pdf, evaluation):
    rows = table_rows(pdf.text(layout=True))
    for score in evaluation.scores():
        assert [str(score.rank), score.name, f"{score.task_score:.1f}",
                f"{score.report_score:.1f}", f"{score.total:.1f}"] in rows
    assert ["排名", "板块", "任务得分", "报送得分", "综合得分"] in rows


@pytest.mark.office
def test_the_printed_report_table_stays_whole_under_its_heading(pdf, evaluation):
    """A short table is not split to leave its header and a row or two at a page's foot: the
    page with 三、报送情况 holds the whole table, a row for every board."""
    names = sorted(score.name for score in evaluation.scores())
    pages = [page for page in range(1, pdf.pages + 1) if "三、报送情况" in squash(pdf.text(page))]
    assert len(pages) == 1, pages
    rows = [row for row in table_rows(pdf.text(pages[0], layout=True))
            if len(row) > 1 and row[0] in names and not row[1][0].isdigit()]
    assert sorted(row[0] for row in rows) == names, rows


@pytest.mark.office
def test_the_printed_bulletin_holds_a_boards_lagging_items(pdf):
    text = squash(pdf.text())
    assert squash(TITLE) in text
    for line in ("（七）南大街街道", "4.【滞后】开展重点商贸企业安全生产联合检查：对大型商业综合体",
                 "说明：本季度报告未开展；3个季度中1个季度报告已开展；联系人：刘根。",
                 "5.【滞后】企业安全生产标准化达标创建：1a.12月底前，推动三级安全生产标准化创建94家",
                 "说明：按时间进度应完成0.7，落后超过一个季度；联系人：张政。"):
        assert line in text, line
    assert text.index("（七）南大街街道") < text.index("4.【滞后】开展重点商贸企业") < \
        text.index("（八）荷花池街道")


@pytest.mark.office
def test_every_printed_page_says_sample_and_has_its_number(pdf):
    pages = pdf.pages
    assert pages > 3
    for page in range(1, pages + 1):
        text = squash(pdf.text(page, layout=True))
        assert text.startswith(SAMPLE_LINE), page
        assert text.endswith(f"—{page}—"), page
    assert squash(pdf.text(1)).startswith(SAMPLE_LINE * 2)  # the header, then the notice box


@pytest.mark.office
def test_chinese_is_drawn_with_the_installed_noto_fonts_only(pdf):
    fonts = pdf.fonts()
    assert any(name.startswith("NotoSerifCJK") for name in fonts), fonts
    assert any(name.startswith("NotoSansCJK") for name in fonts), fonts
    # No stand-in: every glyph came from the fonts the styles name (Latin: Liberation Serif,
    # LibreOffice's metric twin of Times New Roman).
    assert all(name.startswith(("NotoSerifCJK", "NotoSansCJK", "LiberationSerif"))
               for name in fonts), fonts


@pytest.mark.office
def test_everything_printed_stays_inside_the_a4_text_block(pdf):
    right = (PAGE.width - PAGE.right) * MM
    words = pdf.words()
    assert words
    for width, height, x_min, y_min, x_max, y_max, word in words:
        assert (round(width / MM), round(height / MM)) == (210, 297)
        # A line may end in a full-width mark set into the margin (hanging punctuation, as
        # Word and LibreOffice set Chinese); nothing else passes the text block's edges.
        hangs = 16 if word[-1] in HANGING else 0
        assert PAGE.left * MM - 1 <= x_min and x_max <= right + hangs + 1, (word, x_max)
        assert 0 < y_min and y_max < height
