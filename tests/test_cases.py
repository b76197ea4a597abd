"""Typical cases (典型案例): every rejection rule, the good cases, new-case, and the real build."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURE_AS_OF, FIXTURE_DATA, ROOT, generated, run_cli
from PIL import Image

from generator.build import Paths, build, load_everything
from generator.common.escape import markdown_text as md_text
from generator.common.problems import Problems
from generator.inputs.case_images import MAX_IMAGE_BYTES
from generator.inputs.cases import load_cases
from generator.inputs.images import clean_image
from generator.inputs.load import Settings, load_inputs
from generator.inputs.new_case import SKELETON_PROMPTS
from generator.pages.case_body import render_body
from generator.pages.case_pages import case_feed

AS_OF = dt.date.fromisoformat(FIXTURE_AS_OF)


def _image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 120, 40)).save(out, kind)
    return out.getvalue()


PNG, JPEG, WEBP = _image("PNG"), _image("JPEG"), _image("WEBP")


def _rgba(data: bytes) -> bytes:
    return Image.open(io.BytesIO(data)).convert("RGBA").tobytes()
HEAD = """---
title: 测试案例
board: beigang
campaign: fenchen
date: 2023-06-15
summary: 摘要
tags: [粉尘]
---
"""
BODY_LINE = 9  # the body starts on the line after HEAD's closing ---


@pytest.fixture(scope="module")
def catalogs():
    return load_inputs(FIXTURE_DATA).catalogs


def problems_in(root: Path, catalogs) -> list[str]:
    problems = Problems()
    load_cases(root, catalogs, problems)
    return [f"{p.line}:{p.column}: {p.message}" for p in problems.sorted()]


def write(root: Path, relative: str, content: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


CASE = "2023/beigang/2023-06-15-fenchen.md"

# (id, body, expected problems "line:column: message"); line 9 is the body's first line.
BODY_RULES = [
    ("html-block", "<div>文字</div>\n", ["9:1: 不允许使用 HTML 标签 '<div>'"]),
    ("html-inline", "正文 <span>文字</span>\n", ["9:4: 不允许使用 HTML 标签 '<span>'"]),
    ("script-block", "<script>alert(1)</script>\n", ["9:1: 不允许使用 <script> 脚本"]),
    ("script-inline", "文字 <script>alert(1)</script>\n", ["9:4: 不允许使用 <script> 脚本"]),
    ("iframe", '<iframe src="https://example.org"></iframe>\n',
     ["9:1: 不允许嵌入 <iframe> 网页或插件"]),
    ("object", '文字 <object data="x.swf"></object>\n', ["9:4: 不允许嵌入 <object> 网页或插件"]),
    ("comment-block", "<!-- 备注 -->\n", ["9:1: 不允许使用 HTML 注释 <!-- -->"]),
    ("comment-inline", "文字 <!-- 备注 --> 文字\n", ["9:4: 不允许使用 HTML 注释 <!-- -->"]),
    ("img-onerror", "<img src=x onerror=alert(1)>\n", ["9:12: 不允许使用事件属性 'onerror='"]),
    ("img-onerror-line-2", "第一行\n文字 <img src=x onerror=alert(1)>\n",
     ["10:15: 不允许使用事件属性 'onerror='"]),
    ("svg-onload", "<svg onload=alert(1)>\n", ["9:6: 不允许使用事件属性 'onload='"]),
    ("unclosed-tag", "文字 <img src=x onerror=alert(1)\n", ["9:4: 不允许使用 HTML 标签 '<img>'"]),
    ("event-as-text", "文字 onclick=alert(1)\n", ["9:4: 不允许使用事件属性 'onclick='"]),
    ("md-in-html", '<div markdown="1">\n**文字**\n</div>\n',
     ["9:1: 不允许使用 HTML 标签 '<div>'", "11:1: 不允许使用 HTML 标签 '<div>'"]),
    ("attr-list-heading", '## 做法 {: onclick="alert(1)" }\n',
     ["9:7: 不允许使用属性写法 '{: onclick=\"alert(1)\" }'"]),
    ("attr-list-paragraph", "文字\n{: onmouseover=alert(1)}\n",
     ["10:1: 不允许使用属性写法 '{: onmouseover=alert(1)}'"]),
    ("attr-list-link", "[链接](https://example.org){ onclick=alert(1) }\n",
     ["9:26: 不允许使用属性写法 '{ onclick=alert(1) }'"]),
    ("attr-list-id", "## 做法 {#top}\n", ["9:7: 不允许使用属性写法 '{#top}'"]),
    ("javascript-link", "[点击](javascript:alert(1))\n", ["9:6: 不允许使用 'javascript:' 链接"]),
    ("javascript-mixed-case", "[点击](JaVaScRiPt:alert(1))\n",
     ["9:6: 不允许使用 'javascript:' 链接"]),
    ("javascript-entity", "[点击](&#106;avascript:alert(1))\n",
     ["9:0: 不允许使用 'javascript:' 链接"]),
    ("javascript-autolink", "<javascript:alert(1)>\n", ["9:2: 不允许使用 'javascript:' 链接"]),
    ("vbscript-link", "[点击](vbscript:msgbox(1))\n", ["9:6: 不允许使用 'vbscript:' 链接"]),
    ("data-link", "[点击](data:text/html;base64,PHNjcmlwdD4=)\n", ["9:6: 不允许使用 'data:' 链接"]),
    ("data-image", "![图](data:image/png;base64,iVBORw0KGgo=)\n", ["9:6: 不允许使用 'data:' 链接"]),
    ("reference-used", "[点击][x]\n\n[x]: javascript:alert(1)\n",
     ["11:6: 不允许使用 'javascript:' 链接"]),
    ("reference-unused", "文字\n\n[x]: vbscript:msgbox(1)\n",
     ["11:6: 不允许使用 'vbscript:' 链接"]),
    ("remote-image-https", "![图](https://example.org/a.png)\n",
     ["9:6: 不允许引用外部网络图片 'https://example.org/a.png'"]),
    ("remote-image-http", "![图](http://example.org/a.png)\n",
     ["9:6: 不允许引用外部网络图片 'http://example.org/a.png'"]),
    ("remote-image-protocol-relative", "![图](//example.org/a.png)\n",
     ["9:6: 不允许引用外部网络图片 '//example.org/a.png'"]),
    ("image-parent", "![图](../xinwen/a.png)\n",
     ["9:6: 图片路径 '../xinwen/a.png' 用 ../ 离开了案例所在的文件夹"]),
    ("image-nested-parent", "![图](images/../../a.png)\n",
     ["9:6: 图片路径 'images/../../a.png' 用 ../ 离开了案例所在的文件夹"]),
    ("image-absolute", "![图](/etc/passwd.png)\n",
     ["9:6: 图片路径 '/etc/passwd.png' 不能是绝对路径"]),
    ("image-windows-path", "![图](C:/Users/a.png)\n",
     ["9:6: 图片路径 'C:/Users/a.png' 不能是绝对路径"]),
    ("image-backslash", "![图](images\\a.png)\n", ["9:6: 图片路径中不能使用反斜杠 '\\'"]),
    ("image-empty", "![图]()\n", ["9:1: 图片缺少文件名"]),
    ("link-parent", "[专项页面](../../../campaigns/fenchen.md)\n",
     ["9:8: 链接路径 '../../../campaigns/fenchen.md' 用 ../ 离开了案例所在的文件夹"]),
    ("link-to-file", "[附件](附件.docx)\n",
     ["9:6: 链接 '附件.docx' 只能指向网址或本文件夹中的图片"]),
    ("link-ftp", "[下载](ftp://example.org/a)\n", ["9:6: 不支持的链接类型 'ftp:'"]),
    ("link-protocol-relative", "[网站](//example.org)\n",
     ["9:6: 链接 '//example.org' 缺少 https:"]),
    ("image-missing", "![图](现场.png)\n", ["9:6: 找不到图片文件 '现场.png'"]),
    ("image-gif", "![图](a.gif)\n", ["9:6: 不支持的图片格式 '.gif'"]),
    ("image-svg", "![图](a.svg)\n", ["9:6: 不支持的图片格式 '.svg'"]),
    ("empty-body", "\n\n", ["8:0: 案例正文为空"]),
]


@pytest.mark.parametrize(("body", "expected"), [rule[1:] for rule in BODY_RULES],
                         ids=[rule[0] for rule in BODY_RULES])
def test_body_rule(tmp_path, catalogs, body, expected):
    write(tmp_path, CASE, HEAD + body)
    assert problems_in(tmp_path, catalogs) == expected


def test_body_problems_are_all_reported_with_hints(tmp_path, catalogs):
    write(tmp_path, CASE, HEAD + "<div>a</div>\n\n[x](javascript:alert(1)) ![y](https://a.cn/b.png)\n")
    problems = Problems()
    load_cases(tmp_path, catalogs, problems)
    found = [(p.line, p.message, p.hint) for p in problems.sorted()]
    assert found == [
        (9, "不允许使用 HTML 标签 '<div>'",
         "案例正文只能使用 Markdown：加粗写 **文字**，图片写 ![说明](图片.jpg)，链接写 [文字](https://…)"),
        (11, "不允许使用 'javascript:' 链接",
         "链接只能是 https:// 网址、mailto: 邮箱，或本文件夹中的图片"),
        (11, "不允许引用外部网络图片 'https://a.cn/b.png'",
         "请把图片下载后上传到本案例所在的文件夹，再写 ![说明](文件名.jpg)"),
    ]


def test_code_is_shown_not_rejected(tmp_path, catalogs):
    body = ("正文 `<script>alert(1)</script>` 与 `{: onclick=x}`\n\n"
            "```\n<img src=x onerror=alert(1)>\n```\n\n"
            "    <iframe src=javascript:alert(1)>\n\n"
            "&lt;b&gt; [网站](https://example.org/?a=1&online=2) <https://example.org> "
            "<a@example.org>\n")
    write(tmp_path, CASE, HEAD + body)
    assert problems_in(tmp_path, catalogs) == []


# --- images ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "expected"), [
    ("ok.png", PNG, []),
    ("ok.JPG", JPEG, []),
    ("ok.webp", WEBP, []),
    ("broken.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(32),
     ["9:6: 图片 'broken.webp' 已损坏，无法读取"]),
    ("big.png", b"\x89PNG\r\n\x1a\n" + bytes(MAX_IMAGE_BYTES),
     ["9:6: 图片 'big.png' 过大（2.0 MB，上限 2 MB）"]),
    ("fake.png", b"<svg onload=alert(1)>", ["9:6: 'fake.png' 不是有效的 PNG 图片"]),
    ("swapped.jpg", PNG, ["9:6: 'swapped.jpg' 的扩展名是 .jpg，但内容是 PNG 图片"]),
])
def test_image_file_rule(tmp_path, catalogs, name, content, expected):
    write(tmp_path, f"2023/beigang/images/{name}", content)
    write(tmp_path, CASE, HEAD + f"![图](images/{name})\n")
    assert problems_in(tmp_path, catalogs) == [e.replace("'big", "'images/big")
                                               .replace("'fake", "'images/fake")
                                               .replace("'swapped", "'images/swapped")
                                               .replace("'broken", "'images/broken")
                                               for e in expected]


def test_image_symlink_leaving_the_folder(tmp_path, catalogs):
    outside = write(tmp_path / "elsewhere", "secret.png", PNG)
    folder = tmp_path / "cases" / "2023" / "beigang"
    folder.mkdir(parents=True)
    (folder / "link.png").symlink_to(outside)
    write(tmp_path / "cases", CASE, HEAD + "![图](link.png)\n")
    assert problems_in(tmp_path / "cases", catalogs) == [
        "9:6: 图片 'link.png' 指向了案例文件夹以外的文件", "0:0: 不能使用符号链接（快捷方式）"]


def test_symlinked_case_file_is_refused(tmp_path, catalogs):
    outside = write(tmp_path / "elsewhere", "secret.md", head_with())
    write(tmp_path / "cases", "2023/beigang/real.md", head_with())
    (tmp_path / "cases/2023/beigang/link.md").symlink_to(outside)
    assert problems_in(tmp_path / "cases", catalogs) == ["0:0: 不能使用符号链接（快捷方式）"]


def test_missing_image_suggests_the_closest_file(tmp_path, catalogs):
    write(tmp_path, "2023/beigang/现场照片.jpg", JPEG)
    write(tmp_path, CASE, HEAD + "![图](现场照片.jpeg)\n")
    problems = Problems()
    load_cases(tmp_path, catalogs, problems)
    assert [(p.message, p.hint) for p in problems.items] == [
        ("找不到图片文件 '现场照片.jpeg'",
         "是否应为 '现场照片.jpg'？文件名要完全一致（包括大小写和扩展名）")]


# --- the head ---------------------------------------------------------------------------------

def head_with(**changes: str | None) -> str:
    fields = {"title": "测试案例", "board": "beigang", "campaign": "fenchen",
              "date": "2023-06-15", "summary": "摘要", "tags": "[粉尘]"}
    fields.update(changes)
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n正文。\n"


HEAD_RULES = [
    ("missing-field", head_with(summary=None), ["2:1: 缺少必填字段 'summary'（位置 顶层）"]),
    ("unknown-field", head_with(author="张三"), ["8:1: 未知字段 'author'"]),
    ("unknown-board", head_with(board="beigan"), ["3:8: 未知的板块编号 'beigan'"]),
    ("board-name", head_with(board="北港街道"), ["3:8: 未知的板块编号 '北港街道'"]),
    ("board-folder", head_with(board="xinwen"),
     ["3:8: board: 'xinwen' 与所在文件夹 'beigang' 不一致"]),
    ("unknown-campaign", head_with(campaign="fenchenn"), ["4:11: 未知的重点专项编号 'fenchenn'"]),
    ("campaign-name", head_with(campaign="粉尘涉爆整治提升"),
     ["4:11: 未知的重点专项编号 '粉尘涉爆整治提升'"]),
    ("date-other-year", head_with(date="2022-12-30"), ["5:7: 日期 2022-12-30 不在 2023 年度内"]),
    ("date-format", head_with(date="2023-6-15"),
     ["5:7: date 应为日期（如 2023-06-30），收到 '2023-6-15'"]),
    ("recommended-by-the-board", head_with(recommended="true"),
     ["8:1: recommended（推荐报送市局）由区局决定，不能写在板块的案例文件中"]),
    ("mobile-in-contact", head_with(contact="北港街道 张科长 13812345678"),
     ["8:10: 联系人含有个人手机号 '138****5678'"]),
    ("mobile-with-dashes-in-summary", head_with(summary="联系 139-0519-1234"),
     ["6:10: 摘要含有个人手机号 '139****1234'"]),
    ("id-card-in-title", head_with(title="320404198001011234 的整改"),
     ["2:8: 标题含有身份证号码 '320404********1234'"]),
    ("mail-in-tag", head_with(tags="[zhangsan@qq.com]"), ["7:8: 标签含有个人邮箱 'zh***@qq.com'"]),
    ("tags-not-list", head_with(tags="粉尘, 清扫"),
     ["7:7: tags 应为列表（每项以“- ”开头），收到 '粉尘, 清扫'"]),
    ("title-angle", head_with(title="关于<b>粉尘</b>"), ["2:8: 标题中不能使用字符 '<'"]),
    ("title-brace", head_with(title="'粉尘 {: onclick=x}'"), ["2:8: 标题中不能使用字符 '{'"]),
    ("summary-ampersand", head_with(summary="清扫&amp;复核"), ["6:10: 摘要中不能使用字符 '&'"]),
    ("tag-angle", head_with(tags="[粉尘, <i>x</i>]"), ["7:12: 标签中不能使用字符 '<'"]),
    ("title-too-long", head_with(title="长" * 61), ["2:8: 标题过长（61 字，上限 60 字）"]),
    ("yaml-syntax", head_with(title="a: b"),
     ["2:9: YAML 格式错误：此处不能出现“键: 值”（可能缺少缩进或引号）"]),
    ("no-head", "# 标题\n\n正文\n", ["1:1: 文件开头缺少案例信息（YAML 头）"]),
    ("head-not-closed", "---\ntitle: 测试\n\n正文\n", ["1:1: 案例信息（YAML 头）没有结束的 ---"]),
]


@pytest.mark.parametrize(("text", "expected"), [rule[1:] for rule in HEAD_RULES],
                         ids=[rule[0] for rule in HEAD_RULES])
def test_head_rule(tmp_path, catalogs, text, expected):
    write(tmp_path, CASE, text)
    assert problems_in(tmp_path, catalogs) == expected


@pytest.mark.parametrize(("changes", "hint"), [
    ({"board": "beigan"}, "是否应为 'beigang'？"),
    ({"board": "北港街道"}, "是否应为 'beigang'（北港街道）？板块要写编号"),
    ({"board": "xinwen"}, "请把文件移到 data/cases/2023/xinwen/，或把 board 改为 'beigang'"),
    ({"campaign": "fenchenn"}, "是否应为 'fenchen'（粉尘涉爆整治提升）？"),
    ({"campaign": "粉尘涉爆整治提升"}, "是否应为 'fenchen'（粉尘涉爆整治提升）？专项要写编号"),
])
def test_head_hints(tmp_path, catalogs, changes, hint):
    write(tmp_path, CASE, head_with(**changes))
    problems = Problems()
    load_cases(tmp_path, catalogs, problems)
    assert [p.hint for p in problems.items] == [hint]


def test_numbers_in_text_fields_are_text(tmp_path, catalogs):
    write(tmp_path, CASE, head_with(title="2023", tags="[2023, 粉尘]"))
    problems = Problems()
    [case] = load_cases(tmp_path, catalogs, problems)
    assert not problems and case.title == "2023" and case.tags == ("2023", "粉尘")


# --- where the file is --------------------------------------------------------------------------

@pytest.mark.parametrize(("relative", "content", "expected"), [
    ("2023/2023-06-15-fenchen.md", head_with(),
     "0:0: 案例文件位置不对：应为 <年份>/<板块编号>/<文件名>.md"),
    ("2021/beigang/2023-06-15-fenchen.md", head_with(),
     "0:0: 年份文件夹 '2021' 没有对应的年度计划"),
    ("2023/beigan/2023-06-15-fenchen.md", head_with(),
     "0:0: 板块文件夹 'beigan' 不是已知的板块编号"),
    ("2023/beigang/粉尘案例.md", head_with(), "0:0: 文件名 '粉尘案例.md' 不符合规则"),
    ("2023/beigang/Fenchen.MD", head_with(), "0:0: 文件名 'Fenchen.MD' 不符合规则"),
    ("2023/beigang/案例.docx", b"PK\x03\x04", "0:0: 不支持的文件类型 '.docx'"),
    ("2023/beigang/big.md", head_with() + "文字" * 40000,
     "0:0: 文件过大（240,120 字节，上限 204,800 字节）"),
    ("2023/beigang/gbk.md", head_with().encode("gb18030"), "2:0: 文件不是 UTF-8 编码，无法读取"),
])
def test_file_rule(tmp_path, catalogs, relative, content, expected):
    write(tmp_path, relative, content)
    assert problems_in(tmp_path, catalogs) == [expected]


def test_readme_hidden_files_and_unused_images_are_ignored(tmp_path, catalogs):
    write(tmp_path, "README.md", "# 说明\n")
    write(tmp_path, "2023/beigang/.DS_Store", b"\0")
    write(tmp_path, "2023/beigang/unused.gif", b"GIF89a")
    write(tmp_path, CASE, head_with())
    assert problems_in(tmp_path, catalogs) == []


# --- privacy and the bureau's choice -------------------------------------------------------------

PRIVACY_BODIES = [
    ("mobile", "请联系王师傅 15961234567。\n",
     "9:8: 正文含有个人手机号 '159****4567' — 案例会在网站上公开发布，请删除个人手机号；"
     "如需联系方式，请写单位办公电话（如 0519-8xxxxxxx）"),
    ("id-card", "负责人身份证 32040419800101123X 已登记。\n",
     "9:8: 正文含有身份证号码 '320404********123X' — 案例会在网站上公开发布，请删除身份证号码"),
    ("personal-mail", "[来信](mailto:li.si@163.com)\n",
     "9:13: 正文含有个人邮箱 'li***@163.com' — 案例会在网站上公开发布，请删除个人邮箱，或改为单位的公务邮箱"),
]


@pytest.mark.parametrize(("name", "body", "expected"), PRIVACY_BODIES,
                         ids=[case[0] for case in PRIVACY_BODIES])
def test_personal_data_in_the_body_is_refused(tmp_path, catalogs, name, body, expected):
    write(tmp_path, CASE, HEAD + body)
    problems = Problems()
    assert load_cases(tmp_path, catalogs, problems) == []
    assert [p.format().split(".md:", 1)[1] for p in problems.items] == [expected]


def test_office_landline_and_official_mail_are_allowed(tmp_path, catalogs):
    write(tmp_path, CASE, HEAD + "咨询电话 0519-85501234，邮箱 yjj@zhonglou.gov.cn。\n")
    assert problems_in(tmp_path, catalogs) == []


def test_recommended_in_a_boards_case_is_refused_with_the_fix(tmp_path, catalogs):
    write(tmp_path, CASE, head_with(recommended="true"))
    problems = Problems()
    assert load_cases(tmp_path, catalogs, problems) == []
    assert [p.format().split(".md:", 1)[1] for p in problems.items] == [
        "8:1: recommended（推荐报送市局）由区局决定，不能写在板块的案例文件中 — "
        "请删除这一行；区局审核后在 data/cases/recommended.yaml 中登记推荐的案例"]


def test_the_bureaus_list_marks_cases_recommended(tmp_path, catalogs):
    write(tmp_path, CASE, head_with())
    write(tmp_path, "2023/beigang/other.md", head_with())
    write(tmp_path, "recommended.yaml", "recommended:\n  - 2023/beigang/2023-06-15-fenchen\n")
    problems = Problems()
    cases = load_cases(tmp_path, catalogs, problems)
    assert not problems
    assert {case.slug: case.recommended for case in cases} == {
        "2023-06-15-fenchen": True, "other": False}


def test_the_bureaus_list_names_existing_cases(tmp_path, catalogs):
    write(tmp_path, CASE, head_with())
    write(tmp_path, "recommended.yaml",
          "recommended:\n  - 2023/beigang/2023-06-15-fenchen\n  - 2023/beigang/2023-06-15-fenche\n")
    assert [p.format().split("recommended.yaml:", 1)[1] for p in _problems(tmp_path, catalogs)] == [
        "3:5: 找不到案例 '2023/beigang/2023-06-15-fenche' — 是否应为 '2023/beigang/2023-06-15-fenchen'？"]


def _problems(folder: Path, catalogs) -> list:
    problems = Problems()
    load_cases(folder, catalogs, problems)
    return problems.items


# --- the real cases -------------------------------------------------------------------------------

def test_the_sample_cases_load(catalogs):
    problems = Problems()
    cases = load_cases(FIXTURE_DATA / "cases", catalogs, problems)
    assert not problems, [p.format() for p in problems.items]
    assert 6 <= len(cases) <= 10
    assert len({case.board for case in cases}) >= 5
    assert len({case.campaign for case in cases}) >= 5
    assert sum(case.recommended for case in cases) == 2
    assert all(case.sample for case in cases)
    assert all("示例" in case.body.split("\n\n")[0] for case in cases)
    assert any(case.images for case in cases)
    for case in cases:
        for relative in case.images.values():
            assert (case.source.parent / relative).stat().st_size < 100_000


# --- sanitizing ---------------------------------------------------------------------------------

HOSTILE = """\
<script>alert(1)</script>
<img src=x onerror=alert(2)>
<iframe src="javascript:alert(3)"></iframe>
<div markdown="1" onclick="alert(4)">**x**</div>
<!-- secret -->

文字 <svg onload=alert(5)> [a](javascript:alert(6)) [b](JaVaScRiPt:alert(7))
[c](&#106;avascript:alert(8)) <javascript:alert(9)> [d][r] [e](vbscript:x)
![f](https://evil.example/x.png) ![g](data:image/svg+xml;base64,PHN2Zz4=) ![h](//evil.example/y.png)
[i](data:text/html,<script>alert(10)</script>) ![j](../../secret.png)

## 标题 {: onclick=alert(11)} :material-alert:

[r]: javascript:alert(12)
"""


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_comment(self, data):
        self.comments.append(data)


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def test_sanitizer_lets_no_script_through():
    segments = render_body(HOSTILE, {}, lambda file: file)
    found = elements("".join(s.text for s in segments if s.kind == "html"))
    assert found.tags <= {"p", "a", "h2", "code", "pre", "ul", "li", "strong", "em"}
    assert not [a for a in found.attributes if a[1].startswith("on")]
    assert not [a for a in found.attributes if a[1] in ("href", "src")
                and not re.match(r"^(https?:|mailto:|#|[^:]*$)", a[2].strip(), re.IGNORECASE)]
    assert "img" not in found.tags  # no approved image: every image became its alt text
    assert not found.comments
    heading = next(s for s in segments if s.kind == "heading")
    assert "{" not in md_text(heading.text) and ":" not in md_text(heading.text)


def test_md_text_leaves_no_markdown():
    assert md_text("a{: onclick=x} *b* [c](d) <e> :smile: &amp;") == (
        "a&#123;&#58; onclick&#61;x&#125; &#42;b&#42; &#91;c&#93;&#40;d&#41; &#60;e&#62; "
        "&#58;smile&#58; &#38;amp&#59;")


# --- new-case -----------------------------------------------------------------------------------

NEW_CASE = ["new-case", "--board", "beigang", "--campaign", "fenchen",
            "--title", "粉尘清扫报告闭环管理: 试点", "--date", "2023-06-15",
            "--summary", "一两句话的摘要 #1", "--tags", "粉尘涉爆，隐患闭环"]


def test_new_case_writes_a_skeleton_that_validates(workspace, catalogs):
    run = run_cli(workspace, *NEW_CASE)
    assert run.code == 0, run.err
    path = workspace / "data/cases/2023/beigang/2023-06-15-fenchen.md"
    text = path.read_text(encoding="utf-8")
    assert run.out.startswith("已新建案例文件 data/cases/2023/beigang/2023-06-15-fenchen.md：\n")
    assert text in run.out
    unfinished = run_cli(workspace, "validate")
    lines = text.splitlines()
    assert unfinished.code == 1
    assert unfinished.err.splitlines()[:3] == [
        f"data/cases/2023/beigang/2023-06-15-fenchen.md:{lines.index(prompt) + 1}:1: "
        f"正文仍是模板提示文字：“{prompt}” — 请把这句换成案例的实际内容后再提交"
        for prompt in SKELETON_PROMPTS]
    for number, prompt in enumerate(SKELETON_PROMPTS, start=1):
        text = text.replace(prompt, f"北港街道的第 {number} 段实际内容。")
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    [case] = load_cases(workspace / "data/cases", catalogs, problems)
    assert not problems, [p.format() for p in problems.items]
    assert (case.title, case.summary, case.tags, case.recommended) == (
        "粉尘清扫报告闭环管理: 试点", "一两句话的摘要 #1", ("粉尘涉爆", "隐患闭环"), False)
    again = run_cli(workspace, *NEW_CASE)
    assert again.code == 0
    second = workspace / "data/cases/2023/beigang/2023-06-15-fenchen-2.md"
    assert second.is_file()
    second.unlink()  # an unfinished skeleton, like the first one before it was written
    assert run_cli(workspace, "validate").code == 0


def test_new_case_without_a_terminal_needs_every_flag(workspace):
    run = run_cli(workspace, "new-case", "--board", "beigan", "--title", "关于<b>",
                  "--date", "2023-06-15", "--summary", "摘要")
    assert run.code == 1
    assert run.err.splitlines() == [
        "--board: 未知的板块编号 'beigan' — 是否应为 'beigang'？",
        "--campaign: 缺少 --campaign（重点专项编号（如 fenchen，见专项页面网址）） — "
        "在终端中运行时会逐项提问；非交互运行时必须提供全部选项",
        "--tags: 缺少 --tags（标签（用逗号或顿号分隔，可留空）） — "
        "在终端中运行时会逐项提问；非交互运行时必须提供全部选项",
        "--title: 标题中不能使用字符 '<' — 尖括号、花括号和 & 在网页中有特殊含义：书名号请用《》，"
        "括号请用（），& 请写作“和”",
        "发现 4 个问题。",
        "未写入任何文件。",
    ]
    assert not any((workspace / "data/cases").rglob("*.md"))


def test_new_case_slug_must_be_ascii(workspace):
    run = run_cli(workspace, *NEW_CASE, "--slug", "粉尘案例")
    assert run.code == 1
    assert ("--slug: 文件名 '粉尘案例' 不符合规则 — "
            "只能使用小写英文字母、数字和连字符，如 2023-06-15-fenchen") in run.err.splitlines()


def test_new_case_has_help(workspace):
    run = run_cli(workspace, "new-case", "--help")
    assert run.code == 0 and "--board" in run.out and "逐项提问" in run.out


# --- the build ----------------------------------------------------------------------------------

NEW_BODY = """\
> **示例**：测试用案例。

## 做法

图示如下：

![测试示意图](images/示意图.png)
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A copy of data/ with one more case (and its image), built by the library into a folder."""
    root = tmp_path_factory.mktemp("cases-build")
    shutil.copytree(FIXTURE_DATA, root / "data")
    case_dir = root / "data/cases/2023/xinwen"
    image = (FIXTURE_DATA / "cases/2023/beigang/chuchen-zhenggai.png").read_bytes()
    write(case_dir, "images/示意图.png", image)
    head = head_with(title="新闻街道粉尘清扫测试案例", board="xinwen",
                     summary="测试用摘要：新增案例应出现在各页面。", date="2023-08-30")
    write(case_dir, "2023-08-30-fenchen.md", head.replace("\n\n正文。\n", "\n\n") + NEW_BODY)
    paths = Paths(data=root / "data", static=ROOT / "docs", out=root / "out", cache=root / "cache")
    build(paths, AS_OF)
    return root / "out", image


def test_new_case_appears_everywhere(built):
    out, image = built
    title = "新闻街道粉尘清扫测试案例"
    board = generated(out, "boards/xinwen.md").read_text(encoding="utf-8")
    link = f'<li><a href="../../cases/2023/xinwen/2023-08-30-fenchen/">{title}</a>（新闻街道，'
    assert link in board
    campaign = generated(out, "campaigns/fenchen.md").read_text(encoding="utf-8")
    assert link in campaign
    gallery = generated(out, "cases/index.md").read_text(encoding="utf-8")
    assert f'<a href="2023/xinwen/2023-08-30-fenchen/">{title}</a>' in gallery
    assert 'data-board="xinwen" data-campaign="fenchen"' in gallery
    home = generated(out, "index.md").read_text(encoding="utf-8")
    assert title in home
    feed = (out / "cases/feed.xml").read_text(encoding="utf-8")
    assert f"<title>{title}</title>" in feed
    assert ('<link href="https://zhonglou-yjj.github.io/safety-portal/cases/2023/xinwen/'
            '2023-08-30-fenchen/"/>') in feed  # site_url in the settings: absolute links
    page = generated(out, "cases/2023/xinwen/2023-08-30-fenchen.md").read_text(encoding="utf-8")
    assert '<img src="../images/%E7%A4%BA%E6%84%8F%E5%9B%BE.png" alt="测试示意图" loading="lazy">' \
        in page
    published = (out / "cases/2023/xinwen/images/示意图.png").read_bytes()
    assert published == clean_image(image, "PNG", "示意图.png")  # re-encoded, no metadata
    assert _rgba(published) == _rgba(image)  # and the very same pixels
    nav = yaml.safe_load((out.parent / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    section = next(item["典型案例"] for item in nav if "典型案例" in item)
    xinwen = next(item["新闻街道"] for item in section if "新闻街道" in item)
    assert xinwen[0] == {title: "cases/2023/xinwen/2023-08-30-fenchen/index.md"}  # newest first
    assert section[:2] == [{"案例库": "cases/index.md"}, {"推荐报送市局": "cases/recommended/index.md"}]


def test_recommended_page_lists_only_recommended(built):
    out, _ = built
    page = generated(out, "cases/recommended.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith('<tr><td class="lead" data-label="案例">')]
    assert len(rows) == 2
    assert "新闻街道粉尘清扫测试案例" not in page


ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_is_deterministic_and_sorted(built, catalogs):
    out, _ = built
    loaded = load_everything(Paths(data=out.parent / "data"), AS_OF)
    settings = loaded.inputs.settings
    first = case_feed(loaded.cases, settings, AS_OF)
    assert first == case_feed(list(reversed(loaded.cases)), settings, AS_OF)
    assert first == (out / "cases/feed.xml").read_bytes()
    root = ET.fromstring(first)
    entries = root.findall(f"{ATOM}entry")
    dates = [entry.find(f"{ATOM}updated").text for entry in entries]
    assert dates == sorted(dates, reverse=True) and len(entries) == len(loaded.cases)
    assert root.find(f"{ATOM}updated").text == "2023-08-30T00:00:00+08:00" == dates[0]
    assert all(entry.find(f"{ATOM}id").text.startswith("urn:uuid:") for entry in entries)
    assert all(entry.find(f"{ATOM}title").text.startswith("［示例］")
               for entry in entries if "测试" not in entry.find(f"{ATOM}title").text)


def test_feed_links_are_absolute_with_a_site_url(built):
    out, _ = built
    loaded = load_everything(Paths(data=out.parent / "data"), AS_OF)
    settings = Settings(site_url="https://example.gov.cn/portal")
    root = ET.fromstring(case_feed(loaded.cases, settings, AS_OF))
    links = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert links[:2] == ["https://example.gov.cn/portal/cases/",
                         "https://example.gov.cn/portal/cases/feed.xml"]
    assert "https://example.gov.cn/portal/cases/2023/xinwen/2023-08-30-fenchen/" in links


def test_a_rejected_case_stops_the_build(tmp_path):
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    write(tmp_path / "data/cases", CASE, HEAD + "<img src=x onerror=alert(1)>\n")
    run = run_cli(tmp_path, "build")
    assert run.code == 1
    assert ("data/cases/2023/beigang/2023-06-15-fenchen.md:9:12: 不允许使用事件属性 'onerror=' — "
            "这类属性会在网页中执行脚本，请删除") in run.err.splitlines()
    assert not (tmp_path / "build").exists()


def test_github_annotation_points_at_the_line(tmp_path):
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    write(tmp_path / "data/cases", CASE, HEAD + "文字\n<script>alert(1)</script>\n")
    run = run_cli(tmp_path, "validate", env={"GITHUB_ACTIONS": "true"})
    assert run.code == 1
    assert ("::error file=data/cases/2023/beigang/2023-06-15-fenchen.md,line=10,col=1::"
            "不允许使用 <script> 脚本 — 请删除这段代码：案例页面不能运行脚本"
            ) in run.out.splitlines()


def test_case_object_fits_pages_case_link(built):
    from generator.pages.rows import case_link

    out, _ = built
    loaded = load_everything(Paths(data=out.parent / "data"), AS_OF)
    case = next(c for c in loaded.cases if c.board == "xinwen")
    assert case_link(case, "../") == {
        "title": "新闻街道粉尘清扫测试案例", "link": "../cases/2023/xinwen/2023-08-30-fenchen.md",
        "board": "新闻街道", "date": "2023年8月30日",
        "summary": "测试用摘要：新增案例应出现在各页面。", "recommended": False}
    assert dataclasses.is_dataclass(case)


@pytest.mark.parametrize("module", ["generator.inputs.cases", "generator.inputs.case_fields",
                                    "generator.inputs.case_markdown",
                                    "generator.inputs.case_images", "generator.inputs.new_case"])
def test_reading_a_case_needs_no_page_code(module):
    """Reading and validating stay in inputs; rendering and cleaning are the page's
    (generator.pages.case_body), so a reader never imports nh3 or a page module."""
    from test_imports import import_graph

    graph = import_graph()
    reached, todo = set(), [module]
    while todo:
        for found in graph[todo.pop()] - reached:
            reached.add(found)
            todo.append(found)
    assert not {m for m in reached if m.startswith(("generator.pages", "generator.outputs"))}
    assert "nh3" not in (ROOT / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8")
