"""A case body's Markdown, checked: what a clerk may write, reported with its file line.

The body is Markdown only: raw HTML, scripts, event handlers, dangerous or remote URLs and the
Python-Markdown extras that emit attributes are refused, each with a remedy. Local links and
images must be image files inside the case folder (generator.inputs.case_images); the ones that
pass are returned, for the page to link (generator.pages.case_body renders and cleans the body).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.common.problems import Problems
from generator.inputs.case_fields import privacy_problem
from generator.inputs.case_images import IMAGE_KINDS, image_file_problem
from generator.inputs.new_case import SKELETON_PROMPTS

FORMAT_HINT = ("案例正文只能使用 Markdown：加粗写 **文字**，图片写 ![说明](图片.jpg)，"
               "链接写 [文字](https://…)")
LINK_HINT = "链接只能是 https:// 网址、mailto: 邮箱，或本文件夹中的图片"
SAFE_LINK_SCHEMES = ("http", "https", "mailto")

ATTR_LIST = re.compile(r"\{:?[ \t]*[#.\w-][^{}\n]*\}")
EVENT = re.compile(r"\bon[a-z]+[ \t]*=", re.IGNORECASE)
TAG_LIKE = re.compile(r"<[ \t]*/?[ \t]*([A-Za-z][\w:-]*)|<!|<\?")
# Code spans, link destinations and autolinks: shown or checked elsewhere, not scanned as text.
NOT_TEXT = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)|\]\([^)\n]*\)"
                      r"|<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>|<[^<>\s@]+@[^<>\s]+>", re.DOTALL)
EMBED = ("iframe", "frame", "frameset", "object", "embed", "applet")


EXTENSIONS = ["table", "strikethrough"]
"""What a case body may use beyond CommonMark."""


def case_parser() -> MarkdownIt:
    """How a case body is read wherever it is published (its page, the compilation): raw HTML
    stays text, and markdown-it's validateLink keeps javascript: and the like from being links."""
    return MarkdownIt("commonmark", {"html": False}).enable(EXTENSIONS)


def _checker() -> MarkdownIt:
    """A CommonMark parser that keeps raw HTML and every link as tokens, to inspect them."""
    md = MarkdownIt("commonmark", {"html": True}).enable(EXTENSIONS)
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # markdown-it-py's hook
    return md


@dataclass
class _BodyCheck:
    """Collect the body's problems with file lines, and the local images it uses."""

    path: Path
    first_line: int
    lines: list[str]
    problems: Problems
    images: dict[str, str] = field(default_factory=dict)
    flagged: set[int] = field(default_factory=set)

    def flag(self, offset: int, needle: str, found: tuple[str, str]) -> None:
        text = self.lines[offset] if 0 <= offset < len(self.lines) else ""
        column = text.find(needle) + 1 if needle and needle in text else 0
        self.flagged.add(offset)
        self.problems.add(self.path, self.first_line + offset, column, *found)


def check_body(body: str, first_line: int, path: Path, problems: Problems) -> dict[str, str]:
    """Check the Markdown body; return the local URLs it uses mapped to their files."""
    check = _BodyCheck(path, first_line, body.splitlines(), problems)
    if not body.strip():
        problems.add(path, max(first_line - 1, 1), 0, "案例正文为空",
                     "请在第二个 --- 下面写案例的做法、成效和经验")
        return {}
    for offset, text in enumerate(check.lines):
        if found := privacy_problem(text):
            check.flag(offset, found[1], (f"正文{found[0][0]}", found[0][1]))
        if text.strip() in SKELETON_PROMPTS:
            problems.add(path, first_line + offset, text.index(text.strip()) + 1,
                         f"正文仍是模板提示文字：“{text.strip()}”",
                         "请把这句换成案例的实际内容后再提交")
    env: dict = {}
    tokens = _checker().parse(body, env)
    bad_refs = _check_references(env.get("references", {}), check)
    line = 0
    for token in tokens:
        line = token.map[0] if token.map else line
        if token.type == "html_block":
            _check_html_block(token, line, check)
        elif token.type == "inline":
            _check_inline(token, line, check, bad_refs)
    return check.images


def _check_references(references: Mapping[str, dict], check: _BodyCheck) -> set[str]:
    """Check `[label]: url` definitions, used or not (Python-Markdown reads them too)."""
    bad = set()
    for reference in references.values():
        url = reference["href"]
        found = link_problem(url, check.path.parent, check.images, image=False)
        if found:
            bad.add(url)
            check.flag(reference["map"][0], unquote(url), found)
    return bad


def _check_html_block(token: Token, line: int, check: _BodyCheck) -> None:
    """Report each line of a raw HTML block that holds a tag, so one fix round is enough."""
    lines = token.content.splitlines() or [""]
    tagged = [offset for offset, text in enumerate(lines)
              if "<!--" in text or TAG_LIKE.search(text) or EVENT.search(text)]
    for offset in tagged or [0]:
        text = token.content if not tagged else lines[offset]
        found, needle = html_problem(text)
        check.flag(line + offset, needle, found)


def html_problem(fragment: str) -> tuple[tuple[str, str], str]:
    """Say what is wrong with a piece of raw HTML, most dangerous first; and where it is."""
    lower = fragment.lower()
    if "<!--" in lower:
        return ("不允许使用 HTML 注释 <!-- -->", "注释会原样发布到网页源码中，请直接删除"), "<!--"
    for match in TAG_LIKE.finditer(fragment):
        tag = (match.group(1) or "").lower()
        if tag == "script":
            found = ("不允许使用 <script> 脚本", "请删除这段代码：案例页面不能运行脚本")
            return found, match.group(0)
        if tag in EMBED:
            found = (f"不允许嵌入 <{tag}> 网页或插件", "请删除，改为写出网址链接 [文字](https://…)")
            return found, match.group(0)
    event = EVENT.search(fragment)
    if event:
        name = event.group(0).replace(" ", "").replace("\t", "")
        found = (f"不允许使用事件属性 '{name}'", "这类属性会在网页中执行脚本，请删除")
        return found, event.group(0)
    tag_like = TAG_LIKE.search(fragment)
    shown = f"<{tag_like.group(1)}>" if tag_like and tag_like.group(1) else fragment.strip()[:20]
    return (f"不允许使用 HTML 标签 '{shown}'", FORMAT_HINT), tag_like.group(0) if tag_like else ""


def _check_inline(token: Token, line: int, check: _BodyCheck, bad_refs: set[str]) -> None:
    """Check raw HTML, links and images in one paragraph, heading or table cell."""
    offset = 0
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            offset += 1
        elif child.type == "html_inline":
            if not (child.content.startswith("</") and line + offset in check.flagged):
                found, needle = html_problem(child.content)
                check.flag(line + offset, needle, found)
            offset += child.content.count("\n")
        elif child.type in ("link_open", "image"):
            _check_url(child, line + offset, check, bad_refs)
    _check_source(token.content, line, check)


def _check_url(token: Token, line: int, check: _BodyCheck, bad_refs: set[str]) -> None:
    image = token.type == "image"
    url = str((token.attrGet("src") if image else token.attrGet("href")) or "")
    if url in bad_refs:
        return
    found = link_problem(url, check.path.parent, check.images, image=image)
    if found:
        check.flag(line, unquote(url) or ("![" if image else "["), found)


def _check_source(source: str, line: int, check: _BodyCheck) -> None:
    """Find what markdown-it leaves as text but Python-Markdown (used by MkDocs) may not.

    `{: onclick=…}` (attr_list), an unclosed `<img … onerror=…`, `on…=` outside a tag. Code
    spans are blanked out first (code is shown, never run), and so are link destinations and
    autolinks, whose URLs are checked on their own.
    """
    text = NOT_TEXT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    for pattern, describe in ((ATTR_LIST, _attr_problem), (TAG_LIKE, _tag_problem),
                              (EVENT, _event_problem)):
        for match in pattern.finditer(text):
            offset = line + text[: match.start()].count("\n")
            if offset not in check.flagged:
                check.flag(offset, match.group(0), describe(match.group(0)))


def _attr_problem(found: str) -> tuple[str, str]:
    shown = found if len(found) <= 24 else found[:22] + "…}"
    return (f"不允许使用属性写法 '{shown}'",
            "花括号属性会被网页生成器当作 HTML 属性，请删除花括号及其内容")


def _tag_problem(found: str) -> tuple[str, str]:
    return html_problem(found + ">")[0]


def _event_problem(found: str) -> tuple[str, str]:
    return html_problem(found)[0]


# --- links and images ------------------------------------------------------------------------

def link_problem(url: str, folder: Path, images: dict[str, str], *,
                 image: bool) -> tuple[str, str] | None:
    """Check one link or image URL; remember local images that are fine."""
    plain = unquote(url).strip()
    squeezed = re.sub(r"[\x00-\x20]", "", plain).lower()  # browsers ignore these in schemes
    drive = re.match(r"^[a-z]:[\\/]", squeezed)  # C:\… is a Windows path, not a scheme
    scheme = None if drive else re.match(r"^([a-z][a-z0-9+.-]*):", squeezed)
    if scheme and scheme.group(1) in ("javascript", "vbscript", "data"):
        return f"不允许使用 '{scheme.group(1)}:' 链接", LINK_HINT
    what = "图片" if image else "链接"
    if image and not plain:
        return "图片缺少文件名", "请写作 ![说明](文件名.jpg)"
    if image and (scheme or squeezed.startswith("//")):
        return (f"不允许引用外部网络图片 '{_short(plain)}'",
                "请把图片下载后上传到本案例所在的文件夹，再写 ![说明](文件名.jpg)")
    if scheme:
        if scheme.group(1) in SAFE_LINK_SCHEMES:
            return None
        return f"不支持的链接类型 '{scheme.group(1)}:'", LINK_HINT
    if squeezed.startswith("//"):
        return f"链接 '{_short(plain)}' 缺少 https:", "请写完整网址，以 https:// 开头"
    if not image and (plain.startswith("#") or not plain):
        return None
    return local_file_problem(plain, url, folder, images, what)


def local_file_problem(plain: str, url: str, folder: Path, images: dict[str, str],
                       what: str) -> tuple[str, str] | None:
    """Check a path inside the case folder: no way out, an image that exists and is sound."""
    stay = "图片应放在本文件所在的文件夹（或其子文件夹）中，写作 ![说明](文件名.jpg)"
    path_text = plain.split("#")[0].split("?")[0]
    if "\\" in path_text:
        return f"{what}路径中不能使用反斜杠 '\\'", "请用 / 分隔文件夹，如 images/现场.jpg"
    if path_text.startswith("/") or re.match(r"^[A-Za-z]:", path_text):
        return f"{what}路径 '{_short(path_text)}' 不能是绝对路径", stay
    relative = PurePosixPath(path_text)
    if ".." in relative.parts:
        return f"{what}路径 '{_short(path_text)}' 用 ../ 离开了案例所在的文件夹", stay
    suffix = relative.suffix.lower()
    if suffix not in IMAGE_KINDS:
        if what == "链接":
            return f"链接 '{_short(path_text)}' 只能指向网址或本文件夹中的图片", LINK_HINT
        return (f"不支持的图片格式 '{relative.suffix or path_text}'",
                "请另存为 PNG、JPG 或 WebP 格式")
    found = image_file_problem(folder, relative)
    if found is None:
        images[url] = relative.as_posix().removeprefix("./")
    return found


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
