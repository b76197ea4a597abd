"""Typical cases (典型案例): read and validate data/cases/<年>/<板块>/<slug>.md.

A case is a Markdown file with a YAML head (title, board, campaign, date, summary, tags …).
Board clerks write it in the browser, so every mistake is reported with its line and a remedy.
The head's values are checked by generator.inputs.case_fields, the Markdown body by
generator.inputs.case_markdown (its images by generator.inputs.case_images); the page renders
and cleans the body (generator.pages.case_body).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from pydantic import Field

from generator.common.problems import Problems, did_you_mean
from generator.inputs import sources
from generator.inputs.case_fields import (
    FIELD_LABELS,
    MAX_TAGS,
    SLUG,
    board_hint,
    board_problem,
    campaign_problem,
    date_problem,
    privacy_problem,
    text_problem,
)
from generator.inputs.case_images import IMAGE_KINDS, MAX_IMAGE_BYTES
from generator.inputs.case_markdown import check_body
from generator.inputs.catalog import Catalog
from generator.inputs.images import clean_image
from generator.inputs.models import Model
from generator.inputs.schema import validate_model
from generator.inputs.yamlio import Marks, load_yaml_file, mark_for, read_text_limited, read_yaml

MAX_CASE_BYTES = 200 * 1024
YEAR = re.compile(r"^\d{4}$")
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
    def key(self) -> str:
        """How data/cases/recommended.yaml names the case, 2023/beigang/2023-07-12-fenchen; its
        page is cases/<key>.md, beside its images in cases/<year>/<board> (its folder)."""
        return f"{self.year}/{self.meta.board}/{self.slug}"

    folder = property(lambda self: f"cases/{self.year}/{self.meta.board}")
    page_path = property(lambda self: f"cases/{self.key}.md")
    feed_id = property(lambda self: f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, self.page_path)}")


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
                         board_hint(board_name, catalog))
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


# --- the images, as the site publishes them --------------------------------------------------

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
