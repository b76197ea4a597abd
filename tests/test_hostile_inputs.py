"""Hostile inputs (issue 15) through the real CLI: one exact Chinese message each, exit 1, no
traceback, and the last good build/docs and site/ left as they were.

A project is built and published once; each case changes its data/ (or docs/), runs
`python -m generator build` in a subprocess as a clerk's pull request would, and puts data/ and
docs/ back. Bombs and huge files are made here, in tmp_path, never committed. The report
corpus (tests/corpus/reports, tests/test_reports.py) covers the report-file cases cell by cell;
the cases below name the YAML, plan, case, link and image ones, and a few reports end to end.
"""

from __future__ import annotations

import csv
import io
import shutil
import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from helpers import FIXTURE_AS_OF, FIXTURE_DATA, ROOT, Run, copy_project, line_of, run_cli
from PIL import Image, PngImagePlugin

from generator.inputs import workbooks
from generator.inputs.images import MAX_PIXELS, clean_image

pytestmark = pytest.mark.slow

PLAN = "data/plans/2023.yaml"
CASE = "data/cases/2023/beigang/2023-07-12-fenchen.md"
REPORT = "data/progress/2023Q2/beigang.csv"
LINK = "不能使用符号链接（快捷方式） — 请删除这个链接，把文件本身（而不是指向它的快捷方式）放在这里后重新提交"
TAG_HINT = "请删除以 ! 开头的标签，直接写出内容（文字可以加引号）"
HIDDEN_HINT = ("请删除这个看不见的字符（常由从网页、聊天软件复制粘贴带入）：在编辑器中删掉它前后的"
               "几个字重新输入即可")
BIDI = "U+202E（文字方向控制符，会让文字显示的顺序与实际不同）"
DEPTH = ("YAML 格式错误：嵌套层数过多（超过 32 层） — 请检查缩进和方括号、花括号：本项目的文件都只有"
         "十来层；可能误传了其他文件")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("hostile"))
    for args in (("build", "--as-of", FIXTURE_AS_OF), ("publish",)):
        result = run_cli(root, *args)
        assert result.code == 0, result.err
    return root


@pytest.fixture
def hostile(project, tmp_path) -> Callable[[], Run]:
    """Yield a function that builds the project as changed, checking nothing else moved."""
    docs, site = tree(project / "build/docs"), tree(project / "site")

    def build() -> Run:
        result = run_cli(project, "build", "--as-of", FIXTURE_AS_OF)
        assert "Traceback" not in result.err + result.out and "内部错误" not in result.err
        assert result.code == 1, result.out + result.err
        assert tree(project / "build/docs") == docs
        assert tree(project / "site") == site
        return result

    yield build
    for name, source in (("data", FIXTURE_DATA), ("docs", ROOT / "docs")):
        shutil.rmtree(project / name)
        shutil.copytree(source, project / name)


def only_problem(result: Run) -> str:
    """The one problem printed (the fixture's own warnings are printed too, and ignored)."""
    lines = [line for line in result.err.strip().splitlines() if ": 警告：" not in line]
    assert lines[-1].startswith("发现 1 个问题"), result.err
    assert lines[-1].endswith("未生成任何文件，上次生成的结果保持不变。"), result.err
    assert len(lines) == 2, result.err
    return lines[0]


def replace(path: Path, old: str, new: str) -> int:
    """Replace text in a data file; return the line it is on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def outside_file(tmp_path: Path, text: str) -> Path:
    """A file outside the checkout, as a link's target (what must never be read or shown)."""
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


SECRET = "root:x:0:0:SECRET-outside-the-checkout"
IMAGE_COLUMN = (FIXTURE_DATA / CASE.removeprefix("data/")).read_text(
    encoding="utf-8").splitlines()[34].index("chuchen-zhenggai.png") + 1
"""Where line 35 of the sample case names its image."""


# --- links: nothing outside the checkout is read or echoed -----------------------------------------

@pytest.mark.parametrize(("relative", "shown"), [
    (REPORT, REPORT),
    ("data/source/钟应急〔2023〕12号.txt", "data/source/钟应急〔2023〕12号.txt"),
    ("data/site.yaml", "data/site.yaml"),
    ("data/cases/2023/beigang/chuchen-zhenggai.png", "data/cases/2023/beigang/chuchen-zhenggai.png"),
    ("data/plans/2022.yaml", "data/plans/2022.yaml"),
])
def test_a_link_to_a_file_outside_is_refused(project, hostile, tmp_path, relative, shown):
    target = outside_file(tmp_path, SECRET)
    (project / relative).unlink()
    (project / relative).symlink_to(target)
    result = hostile()
    assert "SECRET" not in result.err + result.out and str(target) not in result.err
    assert only_problem(result) == f"{shown}: {LINK}"


def test_a_link_to_etc_passwd_is_refused(project, hostile):
    (project / REPORT).unlink()
    (project / REPORT).symlink_to("/etc/passwd")
    result = hostile()
    assert only_problem(result) == f"{REPORT}: {LINK}"
    assert "root:" not in result.err + result.out


def test_a_linked_quarter_folder_is_not_entered(project, hostile, tmp_path):
    folder = tmp_path / "outside-quarter"
    folder.mkdir()
    (folder / "beigang.csv").write_text(SECRET, encoding="utf-8")
    (project / "data/progress/2024Q1").symlink_to(folder, target_is_directory=True)
    result = hostile()
    assert only_problem(result) == f"data/progress/2024Q1: {LINK}"


@pytest.mark.parametrize("folder", ["plans", "cases", "source"])
def test_a_linked_data_folder_is_not_read(project, hostile, tmp_path, folder):
    outside = tmp_path / "outside" / folder
    outside.parent.mkdir()
    shutil.move(project / "data" / folder, outside)
    (outside / "2024.yaml").write_text(SECRET + "\n", encoding="utf-8")
    (project / "data" / folder).symlink_to(outside, target_is_directory=True)
    result = hostile()
    assert only_problem(result) == f"data/{folder}: {LINK}"
    assert "SECRET" not in result.err + result.out


def test_a_link_in_docs_is_refused_by_build(project, hostile):
    (project / "docs/leak.md").symlink_to("/etc/passwd")
    assert only_problem(hostile()) == f"docs/leak.md: {LINK}"


def test_a_linked_case_file_is_refused(project, hostile, tmp_path):
    (project / "data/cases/2023/beigang/leak.md").symlink_to(outside_file(tmp_path, SECRET))
    assert only_problem(hostile()) == f"data/cases/2023/beigang/leak.md: {LINK}"


# --- YAML: depth, tags, impossible values, hidden characters, sizes ---------------------------------

def test_deep_nesting_is_refused_without_a_crash(project, hostile):
    """200,000 levels crash libyaml's composer (a segfault) without the depth check."""
    (project / PLAN).write_text("a: " + "[" * 200_000 + "]" * 200_000 + "\n", encoding="utf-8")
    assert only_problem(hostile()) == f"{PLAN}:1:35: {DEPTH}"  # the 33rd collection: 32nd [


def test_deep_block_nesting_is_refused(project, hostile):
    (project / PLAN).write_text("year:\n  " + "- " * 40 + "x\n", encoding="utf-8")
    assert only_problem(hostile()) == f"{PLAN}:2:65: {DEPTH}"  # the 33rd: 32nd "- " at 3 + 62


@pytest.mark.parametrize(("relative", "old", "new", "tag"), [
    ("data/site.yaml", "title: 钟楼区安全生产工作进展公示平台", "title: !!binary 5L2g5aW9",
     "!!binary"),
    (PLAN, "issuer: 常州市钟楼区应急管理局", "issuer: !!python/object/apply:os.system [id]",
     "!!python/object/apply:os.system"),
    (CASE, "contact: 北港街道综合行政执法局（示例）", "contact: !!python/name:os.system",
     "!!python/name:os.system"),
    ("data/cases/recommended.yaml", "recommended:\n", "recommended: !!set\n", "!!set"),
    ("data/boards.yaml", "name: 北港街道", "name: !local 北港街道", "!local"),
])
def test_yaml_tags_are_refused(project, hostile, relative, old, new, tag):
    line = replace(project / relative, old, new)
    column = new.index("!") + 1 + _indent(project / relative, line)
    assert only_problem(hostile()) == (
        f"{relative}:{line}:{column}: 不允许使用 YAML 标签 '{tag}' — {TAG_HINT}")


def _indent(path: Path, line: int) -> int:
    text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    return len(text) - len(text.lstrip(" "))


def test_an_impossible_plan_date_is_explained(project, hostile):
    line = line_of(project / PLAN, "deadline: 2023-09-30")
    replace(project / PLAN, "deadline: 2023-09-30", "deadline: 2023-09-31")
    assert only_problem(hostile()) == (
        f"{PLAN}:{line}:27: 日期 '2023-09-31' 不存在 — 请核对年、月、日（如 6 月没有 31 日），"
        "写成 2023-06-30 这样的日期")


def test_an_impossible_case_date_is_explained(project, hostile):
    replace(project / CASE, "date: 2023-07-12", "date: 2023-02-30")
    assert only_problem(hostile()) == (
        f"{CASE}:5:7: 日期 '2023-02-30' 不存在 — 请核对年、月、日（如 6 月没有 31 日），"
        "写成 2023-06-30 这样的日期")


def test_report_day_must_be_a_day_every_month_has(project, hostile):
    line = replace(project / PLAN, "report_day: 25", "report_day: 31")
    assert only_problem(hostile()) == (
        f"{PLAN}:{line}:15: notice.report_day 的值 31 超出允许范围 — "
        "报送日须在 1 至 28 日之间：每个月都有这一天（2 月只有 28 日）")


def test_a_script_as_site_url_is_refused(project, hostile):
    """The calendar feeds, the sitemap and the case feed start every link with it."""
    settings = project / "data/site.yaml"
    line = replace(settings, "site_url: https://zhonglou-yjj.github.io/safety-portal/",
                   'site_url: "javascript:alert(document.domain)"')
    assert only_problem(hostile()) == (
        f"data/site.yaml:{line}:11: site_url 的值 'javascript:alert(document.domain)' 不是 "
        "http(s) 网址 — 请写完整网址，如 https://example.gov.cn/portal/")


def test_a_script_as_the_site_url_variable_is_refused(project):
    result = run_cli(project, "build", "--as-of", FIXTURE_AS_OF,
                     env={"SITE_URL": "javascript:alert(1)//"})
    assert result.code == 1 and "Traceback" not in result.err
    assert "SITE_URL: 环境变量 SITE_URL 不是 http(s) 网址：'javascript:alert(1)//'" in result.err


def test_an_oversized_plan_text_gives_the_limit(project, hostile):
    text = next(line for line in (project / PLAN).read_text(encoding="utf-8").splitlines()
                if "text: 12月底前，推动三级" in line).strip()
    line = replace(project / PLAN, text, "text: " + "长" * 2001)
    assert only_problem(hostile()) == (
        f"{PLAN}:{line}:23: targets[biaozhunhua-1a].text 过长（2,001 字，上限 2,000 字） — "
        "请精简；如确需全文，请放在 data/source/ 的原文文件中")


@pytest.mark.parametrize(("relative", "old", "new", "what"), [
    (PLAN, "issuer: 常州市", "issuer: 常州\u202e市", BIDI),
    ("data/boards.yaml", "name: 北港街道", "name: 北港\u2066街道",
     "U+2066（文字方向控制符，会让文字显示的顺序与实际不同）"),
    (CASE, "contact: 北港", "contact: 北\x00港", "U+0000（空字符 NUL）"),
    ("data/site.yaml", "title: 钟楼区", "title: 钟楼区\x1b[2J", "U+001B（控制字符）"),
    ("data/source/钟应急〔2023〕12号.txt", "钟楼区", "钟楼区\u202e", BIDI),
])
def test_hidden_characters_are_refused_and_named(project, hostile, relative, old, new, what):
    line = replace(project / relative, old, new)
    text = (project / relative).read_text(encoding="utf-8").splitlines()[line - 1]
    column = next(i for i, char in enumerate(text, 1) if char in "\u202e\u2066\x00\x1b")
    assert only_problem(hostile()) == (
        f"{relative}:{line}:{column}: 含有看不见的字符 {what} — {HIDDEN_HINT}")


def test_a_second_plan_file_for_one_year_is_refused(project, hostile):
    shutil.copy(project / PLAN, project / "data/plans/2023.yml")
    assert only_problem(hostile()) == (
        "data/plans/2023.yml: 同一年度已有 2023.yaml：每个年度只能有一份计划文件 — "
        "请删除 2023.yaml 或 2023.yml，只保留一份")


# --- reports end to end -----------------------------------------------------------------------------

def test_an_impossible_time_in_a_report(project, hostile):
    rows = list(csv.reader(io.StringIO((project / REPORT).read_text(encoding="utf-8-sig"))))
    column = next(i for i, name in enumerate(rows[0]) if name in ("reported_on", "上报日期"))
    rows[1][column] = "2023-06-25 99:99"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows[:2])
    (project / REPORT).write_text(out.getvalue(), encoding="utf-8")
    assert only_problem(hostile()) == (
        f"{REPORT}:2:{column + 1}: 上报日期中的时间不存在，收到 '2023-06-25 99:99' — "
        "时间可以不写；如要写，请写成 2023-06-25 14:30 这样（时 0–23，分 0–59）")


def test_a_hidden_report_is_refused(project, hostile):
    (project / REPORT).rename(project / "data/progress/2023Q2/.beigang.csv")
    assert only_problem(hostile()) == (
        "data/progress/2023Q2/.beigang.csv: 文件名以“.”开头，是隐藏文件：不会被当作报表读取 — "
        "如果这是报表，请改名为 beigang.csv（去掉开头的“.”）；如不是，请删除它")


def _sheet_zip(sheet_xml: bytes, strings: bytes | None = None) -> bytes:
    """A minimal workbook around one sheet's XML (and optionally its shared strings)."""
    book = openpyxl.Workbook()
    book.active.append(["target", "value", "reported_on"])
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in source.namelist():
            data = sheet_xml if name == "xl/worksheets/sheet1.xml" else source.read(name)
            zf.writestr(name, data)
        if strings is not None:
            zf.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


SHEET_HEAD = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b"<sheetData>")
SHEET_TAIL = b"</sheetData></worksheet>"
INFLATED_HINT = ("工作表中可能有大量空行、空列或格式：请只保留报表内容，请从网站下载报表模板重新填写，"
                 "或在 Excel 中另存为「Excel 工作簿 (*.xlsx)」")


@pytest.mark.parametrize("bomb", ["empty-rows", "shared-strings"])
def test_an_xlsx_bomb_is_refused_before_loading(project, hostile, bomb):
    if bomb == "empty-rows":  # 18 MB of <row/> in a few tens of KB
        data = _sheet_zip(SHEET_HEAD + b"<row/>" * 3_000_000 + SHEET_TAIL)
    else:
        data = _sheet_zip(SHEET_HEAD + SHEET_TAIL, b"<sst>" + b"<si><t>x</t></si>" * 1_200_000
                          + b"</sst>")
    assert len(data) < 1_000_000  # under the report size limit: only the inflated size tells
    (project / REPORT).unlink()
    path = project / "data/progress/2023Q2/beigang.xlsx"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as archive:
        inflated = sum(info.file_size for info in archive.infolist())
    started = time.monotonic()
    result = hostile()
    assert time.monotonic() - started < 60
    assert only_problem(result) == (
        f"data/progress/2023Q2/beigang.xlsx: Excel 文件解压后过大（{inflated / 1048576:,.0f} MB，"
        f"上限 {workbooks.MAX_INFLATED_BYTES // 1048576} MB） — {INFLATED_HINT}")


def test_an_xlsx_with_too_many_rows_is_refused(project, hostile):
    last = workbooks.MAX_SHEET_ROWS + 10  # one cell far down: every row above it is read
    row = b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (last, last)
    (project / REPORT).unlink()
    (project / "data/progress/2023Q2/beigang.xlsx").write_bytes(
        _sheet_zip(SHEET_HEAD + row + SHEET_TAIL))
    assert only_problem(hostile()) == (
        f"data/progress/2023Q2/beigang.xlsx: 工作表过大：超过 {workbooks.MAX_SHEET_ROWS} 行（空行也算） — "
        "表格下方可能有大量空行或格式：请删除多余的行，或从网站下载报表模板重新填写")


# --- images ------------------------------------------------------------------------------------------

def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares width × height (a decompression bomb's header)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + chunk(b"IEND", b""))


def test_a_decompression_bomb_image_is_refused(project, hostile):
    (project / "data/cases/2023/beigang/chuchen-zhenggai.png").write_bytes(
        _png_declaring(40_000, 40_000))
    assert only_problem(hostile()) == (
        f"{CASE}:35:{IMAGE_COLUMN}: 图片 'chuchen-zhenggai.png' 尺寸过大（40,000 × 40,000 像素，"
        f"上限 {MAX_PIXELS // 10_000:,} 万像素） — 请把图片缩小（如长边不超过 4000 像素）后重新上传")


GPS = b"GPSLatitude 31.7712 N"
SERIAL = b"CameraSerial-A1B2C3"
PHONE = b"13812345678"


def _jpeg_with_metadata() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"          # Make
    exif[0xA431] = SERIAL.decode()       # BodySerialNumber
    exif[0x0112] = 6                     # Orientation: rotate 90° to show upright
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 200, 30)).save(
        out, "JPEG", exif=exif.tobytes(), comment=PHONE,
        xmp=b"<x:xmpmeta><exif:" + GPS + b"/></x:xmpmeta>")
    return out.getvalue()


def _png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "王师傅 " + PHONE.decode())
    info.add_itxt("XML:com.adobe.xmp", GPS.decode(), zip=True)
    info.add_text("Comment", SERIAL.decode(), zip=True)
    out = io.BytesIO()
    Image.new("RGBA", (30, 30), (200, 10, 10, 128)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


@pytest.mark.parametrize(("kind", "make"), [("JPEG", _jpeg_with_metadata), ("PNG", _png_with_text)])
def test_published_images_carry_no_metadata_and_are_deterministic(kind, make):
    original = make()
    assert PHONE in original and (GPS in original or kind == "PNG")
    published = clean_image(original, kind, "现场.jpg")
    assert published == clean_image(original, kind, "现场.jpg") == clean_image(make(), kind, "x")
    for marker in (GPS, SERIAL, PHONE, b"PhoneMaker", b"Exif", b"tEXt", b"iTXt", b"zTXt"):
        assert marker not in published
    image = Image.open(io.BytesIO(published))
    assert not image.getexif() and "comment" not in image.info and "xmp" not in image.info
    if kind == "JPEG":
        assert image.size == (20, 40)  # the EXIF orientation is applied, then dropped
    else:
        assert image.convert("RGBA").getpixel((0, 0)) == (200, 10, 10, 128)


def test_the_built_site_publishes_the_cleaned_image(project):
    published = (project / "build/docs/cases/2023/beigang/chuchen-zhenggai.png").read_bytes()
    original = (FIXTURE_DATA / "cases/2023/beigang/chuchen-zhenggai.png").read_bytes()
    assert published == clean_image(original, "PNG", "chuchen-zhenggai.png")
    assert b"tEXt" not in published and b"eXIf" not in published
