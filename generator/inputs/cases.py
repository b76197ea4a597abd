"""Typical cases (典型案例): read, validate and sanitize data/cases/<年>/<板块>/<slug>.md.

A case is a Markdown file with a YAML head (title, board, campaign, date, summary, tags …).
Board clerks write it in the browser, so every mistake is reported with its line and a remedy.
The body is Markdown only: raw HTML, scripts, event handlers, dangerous or remote URLs and the
Python-Markdown extras that emit attributes are refused. What reaches the site is not the
Markdown itself but markdown-it's HTML cleaned by nh3 (see `render_body`), so even a case that
slipped past validation cannot put a script on a page.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

import nh3
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pydantic import Field

from generator.common.problems import Problems, closest, did_you_mean
from generator.inputs import sources
from generator.inputs.catalog import Catalog
from generator.inputs.images import ImageRefused, clean_image
from generator.inputs.models import Model
from generator.inputs.schema import validate_model
from generator.inputs.yamlio import Marks, load_yaml_file, mark_for, read_text_limited, read_yaml

MAX_CASE_BYTES = 200 * 1024
MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_KINDS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WebP"}
MAX_LENGTHS = {"title": 60, "summary": 200, "contact": 60, "tags": 20}
MAX_TAGS = 8
FIELD_LABELS = {"title": "标题", "summary": "摘要", "contact": "联系人", "tags": "标签"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YEAR = re.compile(r"^\d{4}$")
FORMAT_HINT = ("案例正文只能使用 Markdown：加粗写 **文字**，图片写 ![说明](图片.jpg)，"
               "链接写 [文字](https://…)")
SPECIAL_CHARS_HINT = ("尖括号、花括号和 & 在网页中有特殊含义：书名号请用《》，括号请用（），"
                      "& 请写作“和”")
LINK_HINT = "链接只能是 https:// 网址、mailto: 邮箱，或本文件夹中的图片"
SAFE_LINK_SCHEMES = ("http", "https", "mailto")
FEED_NAMESPACE = uuid.UUID("6f1c3a52-3d0e-5b7a-9c55-2023c0a5e5e5")


class CaseMeta(Model):
    """The YAML head of one case file."""

    title: str = Field(min_length=1)
    """案例标题，一句话，60 字以内。"""
    board: str
    """板块编号，须与所在文件夹一致，如 beigang。"""
    campaign: str
    """重点专项编号，如 fenchen（见各专项页面地址）。"""
    date: dt.date
    """案例日期（计划年度内），如 2023-06-15。"""
    summary: str = Field(min_length=1)
    """摘要，200 字以内，显示在案例库卡片和订阅中。"""
    tags: list[str] = Field(default_factory=list)
    """标签列表，每项以“- ”开头。"""
    contact: str | None = None
    """联系单位或科室（可选；不要写个人手机号）。"""
    sample: bool = False
    """示例案例（演示用，非正式材料）。"""


@dataclass(frozen=True)
class Case:
    """One validated case, ready for the pages."""

    meta: CaseMeta
    year: int
    slug: str
    source: Path
    body: str
    board_name: str
    campaign_name: str
    images: Mapping[str, str] = field(default_factory=dict)
    """Each local URL the body uses (as markdown-it normalizes it) → file inside the folder."""
    recommended: bool = False
    """推荐报送市局: the district bureau's decision, listed in data/cases/recommended.yaml."""

    title = property(lambda self: self.meta.title)
    board = property(lambda self: self.meta.board)
    campaign = property(lambda self: self.meta.campaign)
    date = property(lambda self: self.meta.date)
    summary = property(lambda self: self.meta.summary)
    tags = property(lambda self: tuple(self.meta.tags))
    contact = property(lambda self: self.meta.contact)
    sample = property(lambda self: self.meta.sample)

    @property
    def folder(self) -> str:
        """The output folder of this case and its images, e.g. cases/2023/beigang."""
        return f"cases/{self.year}/{self.meta.board}"

    @property
    def page_path(self) -> str:
        return f"{self.folder}/{self.slug}.md"

    @property
    def key(self) -> str:
        """How data/cases/recommended.yaml names the case: 2023/beigang/2023-07-12-fenchen."""
        return f"{self.year}/{self.meta.board}/{self.slug}"

    @property
    def feed_id(self) -> str:
        return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, self.page_path)}"


def sort_key(case: Case) -> tuple:
    """Newest first, then by page path, so every listing is stable."""
    return (-case.date.toordinal(), case.page_path)


# --- finding the files -----------------------------------------------------------------------

RECOMMENDED_FILE = "recommended.yaml"
"""data/cases/recommended.yaml: the cases the district bureau forwards to the city (owned by the
bureau's reviewers in CODEOWNERS; a board's own case file cannot recommend itself)."""


def load_cases(folder: Path, catalogs: Mapping[int, Catalog], problems: Problems) -> list[Case]:
    """Read every case under folder (data/cases), newest first; record each problem found."""
    cases = []
    paths = case_files(Path(folder), problems)
    for path in paths:
        case = read_case(path, catalogs, problems)
        if case is not None:
            cases.append(case)
    refused = {path.relative_to(folder).with_suffix("").as_posix() for path in paths}
    chosen = read_recommended(Path(folder) / RECOMMENDED_FILE, cases, problems, refused)
    cases = [replace(case, recommended=case.key in chosen) for case in cases]
    return sorted(cases, key=sort_key)


def read_recommended(path: Path, cases: Sequence[Case], problems: Problems,
                     refused: Set[str] = frozenset()) -> set[str]:
    """The keys listed in recommended.yaml; each must name a case that exists.

    A case file that exists but was refused (its problems said already) is not named again.
    """
    if not path.is_file():
        return set()
    before = len(problems)
    data, marks = load_yaml_file(path, problems, MAX_CASE_BYTES)
    if data is None or len(problems) > before:  # unreadable, or a value refused: said already
        return set()
    listed = data.get("recommended") if isinstance(data, dict) else None
    if not isinstance(listed, list) or set(data) != {"recommended"}:
        problems.add(path, *mark_for(marks, ()), "文件格式不对：应只有一个列表 recommended:",
                     "每行写一个案例，如 “  - 2023/beigang/2023-07-12-fenchen”")
        return set()
    known = {case.key for case in cases}
    chosen = set()
    for index, key in enumerate(listed):
        line, column = mark_for(marks, ("recommended", index))
        if isinstance(key, str) and key in refused and key not in known:
            continue
        if not isinstance(key, str) or key not in known:
            problems.add(path, line, column, f"找不到案例 '{key}'",
                         did_you_mean(str(key), known, "案例") or
                         "写法为 年份/板块编号/文件名（不含 .md），"
                         "如 2023/beigang/2023-07-12-fenchen")
        else:
            chosen.add(key)
    return chosen


def case_files(folder: Path, problems: Problems) -> list[Path]:
    """List <year>/<board>/<slug>.md files; flag files that cannot be cases or images."""
    if not folder.is_dir():
        return []
    found = []
    for path in sources.files(folder, problems):  # links could point anywhere: refused
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if relative in (Path("README.md"), Path(RECOMMENDED_FILE)):
            continue
        suffix = path.suffix.lower()
        if suffix == ".md" and len(relative.parts) == 3:
            found.append(path)
        elif suffix == ".md":
            problems.add(path, 0, 0, "案例文件位置不对：应为 <年份>/<板块编号>/<文件名>.md",
                         "请移到板块文件夹中，如 data/cases/2023/beigang/2023-06-15-fenchen.md")
        elif suffix not in IMAGE_KINDS and not _looks_like_image(suffix):
            problems.add(path, 0, 0, f"不支持的文件类型 '{path.suffix or path.name}'",
                         "案例正文请保存为 .md 文件（Word 文档请把文字复制进 .md 文件）；"
                         "图片请用 PNG、JPG 或 WebP")
    return found


def _looks_like_image(suffix: str) -> bool:
    # Unsupported image types are reported where the body uses them, with the line.
    return suffix in (".gif", ".svg", ".bmp", ".tif", ".tiff", ".heic", ".avif", ".ico")


def _locate(path: Path, catalogs: Mapping[int, Catalog], problems: Problems
            ) -> tuple[int, Catalog] | None:
    """Check the year folder, board folder and file name; return the year and its plan."""
    year_name, board_name = path.parent.parent.name, path.parent.name
    ok = True
    if not YEAR.match(year_name) or int(year_name) not in catalogs:
        years = "、".join(str(y) for y in sorted(catalogs))
        problems.add(path, 0, 0, f"年份文件夹 '{year_name}' 没有对应的年度计划",
                     f"案例应放在 data/cases/<年份>/<板块编号>/ 下，可用年份：{years}")
        ok = False
    else:
        catalog = catalogs[int(year_name)]
        if board_name not in catalog.boards:
            problems.add(path, 0, 0, f"板块文件夹 '{board_name}' 不是已知的板块编号",
                         _board_hint(board_name, catalog))
            ok = False
    if path.suffix != ".md" or not SLUG.match(path.stem):
        problems.add(path, 0, 0, f"文件名 '{path.name}' 不符合规则",
                     "只能使用小写英文字母、数字和连字符，扩展名为 .md，如 2023-06-15-fenchen.md")
        ok = False
    return (int(year_name), catalogs[int(year_name)]) if ok else None


# --- one file --------------------------------------------------------------------------------

def read_case(path: Path, catalogs: Mapping[int, Catalog], problems: Problems) -> Case | None:
    """Read and validate one case file; return None (problems recorded) if it is unusable."""
    before = len(problems)
    located = _locate(path, catalogs, problems)
    text = read_text_limited(path, problems, MAX_CASE_BYTES)
    if text is None or located is None:
        return None
    year, catalog = located
    parts = split_front_matter(path, text, problems)
    if parts is None:
        return None
    head, head_line, body, body_line = parts
    data, marks = _read_head(path, head, head_line, problems)
    data = _without_recommended(_numbers_as_text(data), marks, path, problems)
    meta = validate_model(CaseMeta, data, path, marks, problems) if data is not None \
        or len(problems) == before else None
    if meta is not None:
        check_meta(meta, marks, path, year, catalog, problems)
    images = check_body(body, body_line, path, problems)
    if meta is None or len(problems) > before:
        return None
    return Case(meta, year, path.stem, path, body, catalog.boards[meta.board].name,
                catalog.campaigns[meta.campaign].name, images)


def split_front_matter(path: Path, text: str, problems: Problems
                       ) -> tuple[str, int, str, int] | None:
    """Split '---' YAML head '---' body; return (head, its first line, body, its first line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        problems.add(path, 1, 1, "文件开头缺少案例信息（YAML 头）",
                     "第一行应为 ---，接着写 title:、board: 等字段，再以一行 --- 结束；"
                     "可用 python -m generator new-case 生成模板")
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "".join(lines[1:index]), 2, "".join(lines[index + 1:]), index + 2
    problems.add(path, 1, 1, "案例信息（YAML 头）没有结束的 ---",
                 "请在最后一个字段下面加一行 ---，正文写在它的下面")
    return None


def _read_head(path: Path, head: str, first_line: int, problems: Problems
               ) -> tuple[object, Marks]:
    """Parse the YAML head; lines in problems and marks count from the file's first line."""
    local = Problems()
    data, marks = read_yaml(path, head, local)
    shift = first_line - 1
    for item in local.items:
        problems.add(item.path, item.line + shift if item.line else 0, item.column,
                     item.message, item.hint)
    shifted = {loc: (line + shift, column) for loc, (line, column) in marks.items()}
    shifted.setdefault((), (first_line, 1))
    return data, shifted


def _without_recommended(data: object, marks: Marks, path: Path, problems: Problems) -> object:
    """`recommended` is the bureau's decision, not the board's: refuse it, check the rest."""
    if not isinstance(data, dict) or "recommended" not in data:
        return data
    problems.add(path, *mark_for(marks, ("recommended", "<key>")),
                 "recommended（推荐报送市局）由区局决定，不能写在板块的案例文件中",
                 f"请删除这一行；区局审核后在 data/cases/{RECOMMENDED_FILE} 中登记推荐的案例")
    return {key: value for key, value in data.items() if key != "recommended"}


def _numbers_as_text(data: object) -> object:
    """YAML reads `title: 2023` or `- 2023` as numbers; in text fields they are text."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for name in ("title", "summary", "contact"):
        if isinstance(data.get(name), int | float) and not isinstance(data[name], bool):
            data[name] = str(data[name])
    if isinstance(data.get("tags"), list):
        data["tags"] = [str(t) if isinstance(t, int | float) and not isinstance(t, bool) else t
                        for t in data["tags"]]
    return data


# --- the head's values -----------------------------------------------------------------------

def check_meta(meta: CaseMeta, marks: Marks, path: Path, year: int, catalog: Catalog,
               problems: Problems) -> None:
    """Check what the schema cannot: known board and campaign, folder, year, safe text."""
    def flag(loc: tuple, found: tuple[str, str] | None) -> None:
        if found:
            problems.add(path, *mark_for(marks, loc), *found)

    flag(("board",), board_problem(meta.board, catalog))
    folder_board = path.parent.name
    if meta.board in catalog.boards and meta.board != folder_board:
        flag(("board",), (f"board: '{meta.board}' 与所在文件夹 '{folder_board}' 不一致",
                          f"请把文件移到 data/cases/{year}/{meta.board}/，"
                          f"或把 board 改为 '{folder_board}'"))
    flag(("campaign",), campaign_problem(meta.campaign, catalog))
    flag(("date",), date_problem(meta.date, year))
    for name in ("title", "summary", "contact"):
        flag((name,), text_problem(name, getattr(meta, name)))
    fields = [(("title",), meta.title), (("summary",), meta.summary),
              (("contact",), meta.contact or "")]
    for loc, value in fields + [(("tags", i), tag) for i, tag in enumerate(meta.tags)]:
        if found := privacy_problem(value):
            (message, hint), _ = found
            flag(loc, (f"{FIELD_LABELS[loc[0]]}{message}", hint))
    if len(meta.tags) > MAX_TAGS:
        flag(("tags",), (f"标签太多（{len(meta.tags)} 个，上限 {MAX_TAGS} 个）",
                         "请保留最主要的几个"))
    for index, tag in enumerate(meta.tags):
        flag(("tags", index), text_problem("tags", tag))


def board_problem(value: str, catalog: Catalog) -> tuple[str, str] | None:
    if value in catalog.boards:
        return None
    return f"未知的板块编号 '{value}'", _board_hint(value, catalog)


def _board_hint(value: str, catalog: Catalog) -> str:
    for board in catalog.boards.values():
        if value in (board.name, board.short, *board.aliases):
            return f"是否应为 '{board.slug}'（{board.name}）？板块要写编号"
    return did_you_mean(value, list(catalog.boards), "板块编号")


def campaign_problem(value: str, catalog: Catalog) -> tuple[str, str] | None:
    if value in catalog.campaigns:
        return None
    for campaign in catalog.campaigns.values():
        if value == campaign.name:
            return (f"未知的重点专项编号 '{value}'",
                    f"是否应为 '{campaign.id}'（{campaign.name}）？专项要写编号")
    best = closest(value, list(catalog.campaigns))
    hint = f"是否应为 '{best}'（{catalog.campaigns[best].name}）？" if best else \
        "专项编号见各专项页面的网址，如 campaigns/fenchen/ 中的 fenchen"
    return f"未知的重点专项编号 '{value}'", hint


def date_problem(value: dt.date, year: int) -> tuple[str, str] | None:
    if value.year == year:
        return None
    return (f"日期 {value.isoformat()} 不在 {year} 年度内",
            f"案例日期应在 {year}-01-01 至 {year}-12-31 之间；"
            f"其他年度的案例请放到 data/cases/{value.year}/ 下")


def text_problem(name: str, value: str | None) -> tuple[str, str] | None:
    """Refuse characters that mean code on a web page, line breaks and overlong text."""
    if value is None:
        return None
    label = FIELD_LABELS[name]
    for char in "<>{}&":
        if char in value:
            return (f"{label}中不能使用字符 '{char}'", SPECIAL_CHARS_HINT)
    if name != "summary" and "\n" in value.strip():
        return f"{label}不能换行", "请写在一行内"
    if not value.strip():
        return f"{label}不能为空", "请填写内容"
    limit = MAX_LENGTHS[name]
    if len(value.strip()) > limit:
        return (f"{label}过长（{len(value.strip())} 字，上限 {limit} 字）",
                "请精简，细节写在正文里" if name != "tags" else "标签请用简短的词，如 粉尘")
    return None


# --- privacy: a case is published to everyone -----------------------------------------------

MOBILE = re.compile(r"(?<![\d.])1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
ID_CARD = re.compile(r"(?<![\dXx])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])"
                     r"(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dXx])")
PERSONAL_MAIL = re.compile(
    r"[\w.+-]+@(?:qq|vip\.qq|foxmail|163|126|yeah|188|139|sina|sohu|aliyun|gmail|hotmail|"
    r"outlook|live|icloud|me|yahoo)\.(?:com|cn|com\.cn|net)\b", re.IGNORECASE)
PRIVACY_HINT = "案例会在网站上公开发布"


def privacy_problem(text: str) -> tuple[tuple[str, str], str] | None:
    """A personal mobile number, ID-card number or personal e-mail address, masked; or None.

    Office landlines (0519-8xxxxxxx) and official mailboxes are fine: they are how the public
    reaches an office.
    """
    if found := ID_CARD.search(text):
        number = found.group(0)
        return ((f"含有身份证号码 '{number[:6]}********{number[-4:]}'",
                 f"{PRIVACY_HINT}，请删除身份证号码"), number)
    if found := MOBILE.search(text):
        digits = re.sub(r"\D", "", found.group(0))
        return ((f"含有个人手机号 '{digits[:3]}****{digits[-4:]}'",
                 f"{PRIVACY_HINT}，请删除个人手机号；如需联系方式，请写单位办公电话"
                 "（如 0519-8xxxxxxx）"), found.group(0))
    if found := PERSONAL_MAIL.search(text):
        local, domain = found.group(0).split("@", 1)
        return ((f"含有个人邮箱 '{local[:2]}***@{domain}'",
                 f"{PRIVACY_HINT}，请删除个人邮箱，或改为单位的公务邮箱"), found.group(0))
    return None


# --- the body --------------------------------------------------------------------------------

ATTR_LIST = re.compile(r"\{:?[ \t]*[#.\w-][^{}\n]*\}")
EVENT = re.compile(r"\bon[a-z]+[ \t]*=", re.IGNORECASE)
TAG_LIKE = re.compile(r"<[ \t]*/?[ \t]*([A-Za-z][\w:-]*)|<!|<\?")
# Code spans, link destinations and autolinks: shown or checked elsewhere, not scanned as text.
NOT_TEXT = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)|\]\([^)\n]*\)"
                      r"|<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>|<[^<>\s@]+@[^<>\s]+>", re.DOTALL)
EMBED = ("iframe", "frame", "frameset", "object", "embed", "applet")


def _checker() -> MarkdownIt:
    """A CommonMark parser that keeps raw HTML and every link as tokens, to inspect them."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
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


SKELETON_PROMPTS = ("请写清楚针对什么问题、采取了哪些措施、谁来做、怎么做。",
                    "请写取得的效果；数字请注明来源和统计口径。",
                    "请写可供其他板块借鉴的做法。")
"""The prompts `new-case` writes into a body; a case still holding one is not finished."""


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


def image_file_problem(folder: Path, relative: PurePosixPath) -> tuple[str, str] | None:
    """The file must exist inside the folder, be small enough, and really be that image."""
    path = folder / relative
    name = relative.as_posix()
    if not path.is_file():
        return f"找不到图片文件 '{name}'", _missing_hint(folder, relative)
    if not path.resolve().is_relative_to(folder.resolve()):
        return (f"图片 '{name}' 指向了案例文件夹以外的文件",
                "请直接上传图片文件，不要使用链接或快捷方式")
    size = path.lstat().st_size
    if size > MAX_IMAGE_BYTES:
        limit = MAX_IMAGE_BYTES // 1048576
        return (f"图片 '{name}' 过大（{size / 1048576:.1f} MB，上限 {limit} MB）",
                "请压缩图片或缩小尺寸后重新上传")
    try:
        data = sources.read_bytes(path, MAX_IMAGE_BYTES)
    except sources.ReadRefused as refused:
        return f"图片 '{name}' {refused.message}", refused.hint
    expected = IMAGE_KINDS[relative.suffix.lower()]
    actual = image_kind(data[:16])
    if actual is None:
        return (f"'{name}' 不是有效的 {expected} 图片",
                "文件内容不是图片，可能是改了扩展名的其他文件；请重新导出为 PNG、JPG 或 WebP")
    if actual != expected:
        right = {"PNG": ".png", "JPEG": ".jpg", "WebP": ".webp"}[actual]
        return (f"'{name}' 的扩展名是 {relative.suffix}，但内容是 {actual} 图片",
                f"请把扩展名改为 {right}")
    try:
        clean_image(data, actual, name)  # decodable, not a bomb: what the site will publish
    except ImageRefused as refused:
        return refused.message, refused.hint
    return None


def image_kind(head: bytes) -> str | None:
    """Name the image format from its first bytes (magic numbers), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return None


def _missing_hint(folder: Path, relative: PurePosixPath) -> str:
    present = [p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*"))
               if p.is_file() and p.suffix.lower() in IMAGE_KINDS]
    best = closest(relative.as_posix(), present)
    if best:
        return f"是否应为 '{best}'？文件名要完全一致（包括大小写和扩展名）"
    return "请把图片上传到本案例所在的文件夹，文件名要与这里写的完全一致（包括大小写和扩展名）"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def case_images(cases: Iterable[Case]) -> dict[str, bytes]:
    """Every image the cases use, keyed by its output path (beside the case page).

    Each is published re-encoded from its pixels (generator.inputs.images): no EXIF, GPS, camera
    serial or text chunk reaches the site, and the same upload always gives the same bytes.
    """
    files = {}
    for case in cases:
        for relative in case.images.values():
            data = sources.read_bytes(case.source.parent / relative, MAX_IMAGE_BYTES)
            kind = IMAGE_KINDS[PurePosixPath(relative).suffix.lower()]
            files[f"{case.folder}/{relative}"] = clean_image(data, kind, relative)
    return files


# --- sanitizing: what reaches the site -------------------------------------------------------

ALLOWED_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s",
                "code", "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead",
                "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "loading"},
                      "ol": {"start"}}


@dataclass(frozen=True)
class Segment:
    """A piece of a case body on its page: a heading (plain text) or a block of clean HTML."""

    kind: str
    text: str
    level: int = 0


def _renderer() -> MarkdownIt:
    # html=False: raw HTML is shown as text; the default validateLink drops javascript: etc.
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.add_render_rule("softbreak", _softbreak)
    return md


def _softbreak(self, tokens: list[Token], index: int, options, env) -> str:
    """Join lines without a space between Chinese characters (a newline shows as a space)."""
    before = tokens[index - 1].content[-1:] if index > 0 else ""
    after = tokens[index + 1].content[:1] if index + 1 < len(tokens) else ""
    return "" if _is_wide(before) or _is_wide(after) else "\n"


def _is_wide(char: str) -> bool:
    return bool(char) and ord(char) >= 0x2E80


def clean_html(html: str) -> str:
    """Allow-list sanitizer: plain formatting, links (http/https/mailto/relative), images."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=set(SAFE_LINK_SCHEMES), strip_comments=True,
                     link_rel="noopener noreferrer")


def render_body(body: str, images: Mapping[str, str], url_for: Callable[[str], str]
                ) -> list[Segment]:
    """Turn a case body into headings and sanitized HTML blocks for its page.

    Local images and links are rewritten with url_for(file inside the folder); a local URL
    that validation did not approve is dropped, so nothing unexpected is ever linked.
    """
    md = _renderer()
    env: dict = {}
    tokens = md.parse(body, env)
    for token in tokens:
        for child in token.children or []:
            _rewrite_url(child, images, url_for)
    segments, start = [], 0
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0:
            segments += _html_segment(md, tokens[start:index], env)
            text = "".join(c.content for c in tokens[index + 1].children or []
                           if c.type in ("text", "code_inline"))
            segments.append(Segment("heading", " ".join(text.split()),
                                    min(max(int(token.tag[1]), 2), 4)))
            start = index + 3
    segments += _html_segment(md, tokens[start:], env)
    return segments


def _html_segment(md: MarkdownIt, tokens: list[Token], env: dict) -> list[Segment]:
    if not tokens:
        return []
    html = clean_html(md.renderer.render(tokens, md.options, env)).strip()
    return [Segment("html", html)] if html else []


def _rewrite_url(token: Token, images: Mapping[str, str], url_for: Callable[[str], str]) -> None:
    name = "src" if token.type == "image" else "href" if token.type == "link_open" else None
    if name is None:
        return
    url = str(token.attrGet(name) or "")
    if url in images:
        token.attrSet(name, url_for(images[url]))
        if token.type == "image":
            token.attrSet("loading", "lazy")
    elif token.type == "image":  # only approved files beside the case: never a remote image
        token.type, token.content, token.children, token.attrs = "text", token.content, None, {}
    elif not re.match(r"^(https?:|mailto:|#)", url, re.IGNORECASE):
        token.attrs.pop(name, None)


# --- new-case: a skeleton for clerks ---------------------------------------------------------

@dataclass(frozen=True)
class NewCase:
    board: str
    campaign: str
    title: str
    date: dt.date
    summary: str
    tags: tuple[str, ...] = ()


def default_slug(new: NewCase, taken: Iterable[str] = ()) -> str:
    """An ASCII file name from the date and campaign id, e.g. 2023-06-15-fenchen."""
    base = f"{new.date.isoformat()}-{new.campaign}"
    taken = set(taken)
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def new_case_problems(fields: Mapping[str, Any], slug: str | None,
                      catalogs: Mapping[int, Catalog]) -> list[tuple[str, str, str]]:
    """Check new-case answers as the loader would; return (option, message, hint) triples.

    fields holds board, campaign, title, date, summary and tags; missing ones are skipped.
    """
    found: list[tuple[str, tuple[str, str] | None]] = []
    day = fields.get("date")
    catalog = catalogs.get(day.year) if day else None
    if day and catalog is None:
        years = "、".join(str(y) for y in sorted(catalogs))
        found.append(("date", (f"日期 {day.isoformat()} 不在任何年度计划内", f"可用年份：{years}")))
    catalog = catalog or catalogs[max(catalogs)]
    checks = {"board": lambda v: board_problem(v, catalog),
              "campaign": lambda v: campaign_problem(v, catalog),
              "title": lambda v: text_problem("title", v),
              "summary": lambda v: text_problem("summary", v)}
    for name, check in checks.items():
        if fields.get(name) is not None:
            found.append((name, check(fields[name])))
    found += [("tags", text_problem("tags", tag)) for tag in fields.get("tags") or ()]
    if slug is not None and not SLUG.match(slug):
        found.append(("slug", (f"文件名 '{slug}' 不符合规则",
                               "只能使用小写英文字母、数字和连字符，如 2023-06-15-fenchen")))
    return [(f"--{name}", *problem) for name, problem in found if problem]


def skeleton(new: NewCase) -> str:
    """A case file with the head filled in and the body's usual sections to complete."""
    def scalar(value) -> str:
        return yaml.safe_dump(value, allow_unicode=True, width=1000,
                              default_flow_style=True).strip().removesuffix("...").strip()

    tags = "".join(f"\n  - {scalar(tag)}" for tag in new.tags) or " []"
    return (
        "---\n"
        f"title: {scalar(new.title)}\n"
        f"board: {new.board}\n"
        f"campaign: {new.campaign}\n"
        f"date: {new.date.isoformat()}\n"
        f"summary: {scalar(new.summary)}\n"
        f"tags:{tags}\n"
        "# contact: 联系单位或科室（可选；不要写个人手机号）\n"
        "# 插图：把图片（PNG/JPG/WebP，每张不超过 2 MB）上传到本文件夹，\n"
        "#       正文写 ![图片说明](文件名.jpg)\n"
        "---\n\n"
        f"## 做法\n\n{SKELETON_PROMPTS[0]}\n\n"
        f"## 成效\n\n{SKELETON_PROMPTS[1]}\n\n"
        f"## 经验\n\n{SKELETON_PROMPTS[2]}\n"
    )
