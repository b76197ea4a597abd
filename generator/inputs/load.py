"""Load stage: read every input file under data/, validate it, and collect every problem."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import StringConstraints

from generator.common.problems import InputError, Problems
from generator.inputs import sources
from generator.inputs.catalog import Catalog
from generator.inputs.models import Directory, Model, Plan, Text
from generator.inputs.schema import validate_model
from generator.inputs.validate import Checker, check_directory, check_plan
from generator.inputs.yamlio import load_yaml_file, read_text_limited
from generator.plan_import.questions import open_questions

PLAN_NAME = re.compile(r"^(\d{4})\.ya?ml$")
URL = r"https?://[^\s<>\"'`{}|\\^]+"
HttpUrl = Annotated[str, StringConstraints(pattern=f"^{URL}$", max_length=300)]
"""An http(s) address without spaces or markup characters: it lands in links and feeds."""


class Settings(Model):
    title: Text = "钟楼区安全生产工作进展公示平台"
    sample_data: bool = True
    """While true, every page carries a 示例数据 banner: the reports are invented."""
    sample_notice: Text = (
        "本站当前展示的进展数据和典型案例均为演示用的示例数据，不是官方统计，不能作为考核依据。"
    )
    site_url: HttpUrl | None = None
    """Where the site is published (absolute links in the sitemap, feed and calendars); the
    SITE_URL environment variable, set by the deploy workflow, wins."""
    repo_url: HttpUrl | None = None
    """The repository clerks submit to: the site's repository link and the contribution guide."""
    as_of: dt.date | None = None
    """Default 数据截至 date when --as-of is not given (the demo data pins one); else today."""


@dataclass
class Inputs:
    root: Path
    settings: Settings
    directory: Directory
    plans: dict[int, Plan]
    catalogs: dict[int, Catalog] = field(default_factory=dict)

    def catalog(self, year: int) -> Catalog:
        return self.catalogs[year]

    def directory_slugs(self) -> list[str]:
        return [board.slug for board in self.directory.boards]


def load_inputs(root: Path) -> Inputs:
    """Load and validate the directory, plans and settings; raise InputError with every problem."""
    problems = Problems()
    sources.files(root, problems)  # every link under data/ is refused before anything is read
    settings = _load_settings(root / "site.yaml", problems)
    directory = _load_directory(root / "boards.yaml", problems)
    plans = _load_plans(root / "plans", directory, problems)
    _check_source_texts(root / "source", problems)
    if problems or directory is None or settings is None:
        raise InputError(problems)
    inputs = Inputs(root, settings, directory, plans)
    inputs.catalogs = {year: Catalog.build(directory, plan) for year, plan in plans.items()}
    return inputs


def _load_settings(path: Path, problems: Problems) -> Settings | None:
    """Read data/site.yaml; the SITE_URL environment variable (set by the deploy) wins."""
    settings: Settings | None = Settings()
    if path.exists() or path.is_symlink():
        before = len(problems)
        data, marks = load_yaml_file(path, problems)
        if data is not None:
            settings = validate_model(Settings, data, path, marks, problems)
        elif len(problems) > before:  # unreadable: said once, not again as "not a mapping"
            settings = None
    site_url = os.environ.get("SITE_URL", "").strip()
    if settings is not None and site_url:
        if re.fullmatch(URL, site_url):
            settings = settings.model_copy(update={"site_url": site_url})
        else:
            problems.add("SITE_URL", message=f"环境变量 SITE_URL 不是 http(s) 网址：'{site_url}'",
                         hint="请设置为网站的地址，如 https://example.gov.cn/portal/")
    if settings is not None and settings.site_url:
        settings = settings.model_copy(update={"site_url": settings.site_url.rstrip("/") + "/"})
    return settings


def _load_directory(path: Path, problems: Problems) -> Directory | None:
    if not path.exists():
        problems.add(path, 0, 0, "找不到板块与单位名录文件", "请确认 data/boards.yaml 存在")
        return None
    data, marks = load_yaml_file(path, problems)
    directory = validate_model(Directory, data, path, marks, problems) if data is not None \
        or not problems else None
    if directory is not None:
        check_directory(directory, Checker(path, marks, problems))
    return directory


def _load_plans(folder: Path, directory: Directory | None, problems: Problems) -> dict[int, Plan]:
    plans: dict[int, Plan] = {}
    if folder.is_symlink():  # refused as a link already: never read what it points at
        return plans
    paths = sorted(folder.glob("*.y*ml")) if folder.is_dir() else []
    if not paths:
        problems.add(folder, 0, 0, "没有找到年度计划文件",
                     "请放置 data/plans/<年份>.yaml，如 2023.yaml")
    first: dict[int, Path] = {}
    for path in paths:
        match = PLAN_NAME.match(path.name)
        if not match:
            problems.add(path, 0, 0, f"计划文件名 '{path.name}' 不符合规则",
                         "文件名应为四位年份，如 2023.yaml")
            continue
        twin = first.setdefault(int(match.group(1)), path)
        if twin != path:  # 2023.yml beside 2023.yaml: one would silently replace the other
            problems.add(path, 0, 0, f"同一年度已有 {twin.name}：每个年度只能有一份计划文件",
                         f"请删除 {twin.name} 或 {path.name}，只保留一份")
            continue
        plan = _load_plan(path, int(match.group(1)), directory, problems)
        if plan is not None:
            plans[plan.year] = plan
    return plans


MAX_SOURCE_BYTES = 4 * 1024 * 1024
"""data/source/*.txt holds a document's text (the 2023 notice is 12 KB)."""


def _check_source_texts(folder: Path, problems: Problems) -> None:
    """The document texts are published as they are: UTF-8, no hidden characters."""
    if not folder.is_dir() or folder.is_symlink():
        return
    for path in sorted(folder.glob("*.txt")):
        if not path.is_symlink():  # links are refused above, without being read
            read_text_limited(path, problems, MAX_SOURCE_BYTES)


def _load_plan(path: Path, year: int, directory: Directory | None,
               problems: Problems) -> Plan | None:
    data, marks = load_yaml_file(path, problems)
    if data is None and problems:
        return None
    for line, question in open_questions(path):  # an imported draft not yet reviewed
        problems.add(path, line, 0, f"计划中仍有待确认事项：{question}",
                     "核实后删除这条“# 待确认”注释")
    plan = validate_model(Plan, data, path, marks, problems)
    if plan is None:
        return None
    check = Checker(path, marks, problems)
    if plan.year != year:
        check(("year",), f"文件名年份 {year} 与 year: {plan.year} 不一致", "请使两者一致")
    if directory is not None:
        check_plan(plan, directory, check)
    return plan

