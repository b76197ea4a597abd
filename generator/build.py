"""The recipe: load → validate → compute → render → write. Everything is computed first."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.common.escape import nav_title
from generator.common.paths import Paths
from generator.common.problems import InputError, Problem, Problems
from generator.evaluate import Evaluation, evaluate
from generator.evaluate.observations import latest
from generator.inputs import sources
from generator.inputs.cases import Case, case_images, load_cases
from generator.inputs.load import Inputs, load_inputs
from generator.inputs.report_checks import TargetFacts, report_warnings
from generator.inputs.reports import Report, ReportRules, load_reports
from generator.outputs import calendar_feed, downloads, export, forms
from generator.outputs.bulletin import bulletin_files, bulletin_links
from generator.outputs.charts import ChartDrawer, svg_size
from generator.outputs.compilation import compilation_files, compilation_link
from generator.pages.case_pages import (
    FEED,
    RECOMMENDED,
    case_feed,
    case_nav,
    case_pages,
    group_cases,
)
from generator.pages.navigation import nav_sources
from generator.pages.page import Page, source_path
from generator.pages.render import render_page
from generator.pages.updates import updates_page
from generator.pages.year import all_pages
from generator.site import engines, fingerprint, lock
from generator.site.write import WriteStats, recover, write_tree

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class BuildResult:
    stats: WriteStats
    pages: int
    charts: int
    as_of: dt.date


def report_rules(inputs: Inputs, as_of: dt.date) -> ReportRules:
    """Who may report what: every board, and the units that report (区局), on their targets."""
    kinds: dict[str, str] = {}
    board_targets: dict[str, set[str]] = {}
    for catalog in inputs.catalogs.values():
        for slug in catalog.reporter_names():
            board_targets.setdefault(slug, set())
        for target_id, info in catalog.targets.items():
            metric = info.target.metric
            kinds[target_id] = metric.kind if metric else "done"
            for slug in info.reporters:
                board_targets[slug].add(target_id)
    return ReportRules(boards=frozenset(board_targets), target_kinds=kinds,
                       board_targets={b: frozenset(t) for b, t in board_targets.items()},
                       as_of=as_of)


def target_facts(inputs: Inputs) -> dict[str, TargetFacts]:
    """What the report warnings need of each target, newest plan last (it wins for its ids)."""
    facts: dict[str, TargetFacts] = {}
    for _, catalog in sorted(inputs.catalogs.items()):
        for target_id, info in catalog.targets.items():
            metric = info.target.metric
            kind = metric.kind if metric else "done"
            op = metric.op if metric else ">="
            # A recurring target's number is per period, not a total to compare a value with.
            goals = {} if info.target.recurrence else {
                slug: goal for slug in info.reporters if (goal := info.quota_for(slug)) is not None}
            # Running totals cannot go down; a level (a rate, an average) can.
            running = info.target.kind in ("cumulative", "milestone", "recurring")
            facts[target_id] = TargetFacts(kind, op, running and kind == "count" and op == ">=",
                                           goals)
    return facts


@dataclass(frozen=True)
class Loaded:
    inputs: Inputs
    reports: list[Report]
    as_of: dt.date
    cases: list[Case]
    warnings: tuple[Problem, ...] = ()
    """Valid but suspicious input, for validate, annotations and the pull-request summary."""


def load_everything(paths: Paths, as_of: dt.date | None, today: dt.date | None = None) -> Loaded:
    """Load and validate all inputs; raise InputError with every problem found.

    Without --as-of the date is the settings' pinned demo date, else today. Reports may be
    dated up to the later of as-of and today: rows after as-of are kept but not counted, so a
    historical view (--as-of in the past) still builds.
    """
    today = today or dt.date.today()
    inputs = load_inputs(paths.data)
    as_of = as_of or inputs.settings.as_of or today
    problems = Problems()
    rules = report_rules(inputs, max(as_of, today))
    reports = load_reports(paths.data / "progress", rules, problems)
    cases = load_cases(paths.data / "cases", inputs.catalogs, problems)
    report_warnings(reports, target_facts(inputs), problems)
    if problems:
        raise InputError(problems)
    return Loaded(inputs, reports, as_of, cases, tuple(problems.sorted_warnings()))


def static_files(folder: Path) -> dict[str, bytes]:
    return sources.read_files(folder)  # links refused: nothing from outside the repository


def nav(inputs: Inputs, year: int, cases: Sequence[Case] = ()) -> list:
    home = ["index.md", {"通知原文": "notice.md"}, {"考核排名": "assessment.md"},
            {"更新动态": "updates.md"}]
    items = [{"首页": home}, {"四大类别": pillar_nav(inputs, year)},
             {"各板块": board_nav(inputs) + unit_nav(inputs, year) + brief_nav(inputs)},
             case_nav(cases, inputs.catalog(year))]
    archive = [{archive_title(inputs, older): year_nav(inputs, older)}
               for older in sorted(inputs.plans, reverse=True) if older != year]
    if archive:
        items.append({"往年": archive})
    items.append({"关于": [{"工作联络人": "contacts.md"}, {"方法说明": "method.md"},
                         {"开放数据": "open-data.md"}]})
    return items


def nav_titles(items):
    """The navigation with every title escaped (generator.common.escape.nav_title): the themes print
    nav titles as they are, and board, pillar, campaign and case names come from data/."""
    if isinstance(items, list):
        return [nav_titles(item) for item in items]
    if isinstance(items, dict):
        return {nav_title(title): nav_titles(value) for title, value in items.items()}
    return items


def pillar_nav(inputs: Inputs, year: int, prefix: str = "") -> list:
    plan = inputs.catalog(year).plan
    pillars = []
    for pillar in plan.pillars:
        items: list = [{"概览": f"{prefix}pillars/{pillar.id}.md"}]
        groups = [(group.name or "其他", [{campaign.name: f"{prefix}campaigns/{campaign.id}.md"}
                                        for campaign in group.campaigns])
                  for group in pillar.groups]
        if sum(len(links) for _, links in groups) <= NAV_LIST:
            items += [link for _, links in groups for link in links]
        else:  # a city's plan: nest by group, in runs, so each page carries a short nav
            items += [{name: _runs(links, name)} for name, links in groups]
        pillars.append({f"{'一二三四五六七八九十'[pillar.no - 1]}、{pillar.name}": items})
    return pillars


NAV_LIST = 30
"""Longest flat list in the nav. Material writes the open part of the nav into every page
(navigation.prune drops the closed parts), so longer lists are split into closed runs."""


def _runs(links: list, label: str) -> list:
    if len(links) <= NAV_LIST:
        return links
    return [{f"{label} {start + 1}–{start + len(links[start:start + NAV_LIST])}":
             links[start:start + NAV_LIST]} for start in range(0, len(links), NAV_LIST)]


def board_nav(inputs: Inputs, prefix: str = "") -> list:
    links = [{board.name: f"{prefix}boards/{board.slug}.md"} for board in inputs.directory.boards]
    return _runs(links, "板块")


def brief_nav(inputs: Inputs, prefix: str = "") -> list:
    """The printable one-page briefs: the district's, then each board's."""
    links = [{"全区": f"{prefix}brief/index.md"}] + [
        {board.name: f"{prefix}brief/{board.slug}.md"} for board in inputs.directory.boards]
    return [{"一页纸（打印）": _runs(links, "一页纸")}]


def unit_nav(inputs: Inputs, year: int, prefix: str = "") -> list:
    """The units that own targets of the year (区局 first when it reports, then the others)."""
    catalog = inputs.catalog(year)
    owners = {owner.slug: owner.name for info in catalog.targets.values()
              for owner in info.owners if not owner.is_board}
    if not owners:
        return []
    links = [{name: f"{prefix}units/{slug}.md"} for slug, name in owners.items()]
    return [{"区局及其他单位": links}]


def archive_title(inputs: Inputs, year: int) -> str:
    return f"{year} 年" + ("（示例）" if inputs.catalog(year).plan.sample else "")


def year_nav(inputs: Inputs, year: int) -> list:
    """An archived year's own section: its home, notice, ranking, pillars and boards."""
    prefix = f"{year}/"
    return [{"首页": f"{prefix}index.md"}, {"通知原文": f"{prefix}notice.md"},
            {"考核排名": f"{prefix}assessment.md"}, {"更新动态": f"{prefix}updates.md"},
            {"工作联络人": f"{prefix}contacts.md"},
            {"四大类别": pillar_nav(inputs, year, prefix)},
            {"各板块": board_nav(inputs, prefix) + unit_nav(inputs, year, prefix)
             + brief_nav(inputs, prefix)}]


def site_config(paths: Paths, inputs: Inputs, year: int, as_of: dt.date,
                cases: Sequence[Case] = ()) -> bytes:
    """The engines' configuration (build/mkdocs.yml): the nav and the flags the theme shows."""
    settings = inputs.settings
    extra = {"sample_data": settings.sample_data, "sample_notice": settings.sample_notice,
             "as_of": as_of.isoformat(), "year": year}
    if settings.repo_url:
        # A footer link, not Material's repo_url: that one asks api.github.com for star counts,
        # and the published site requests nothing from any other host.
        extra["social"] = [{"icon": "fontawesome/brands/github", "link": settings.repo_url,
                            "name": "提交报表与案例（代码仓库）"}]
    static = frozenset(name for name in static_files(paths.static) if name.endswith(".md"))
    return engines.site_config(paths, nav_sources(nav_titles(nav(inputs, year, cases)), static),
                               extra,
                               settings.site_url)


def previous_year_values(reports: list[Report], year: int) -> dict[tuple[str, str], float]:
    """Year-end value of every (target, board) in `year`: the base of 不低于去年水平 targets."""
    seen = latest(reports, year, dt.date(year, 12, 31))
    return {key: obs.value for key, obs in seen.items() if obs.value is not None}


def evaluate_year(inputs: Inputs, reports: list[Report], year: int,
                  as_of: dt.date) -> Evaluation:
    """The one evaluation of a plan year that every page and output of that year reads."""
    return evaluate(inputs.catalog(year), reports, as_of, previous_year_values(reports, year - 1))


def year_pages(inputs: Inputs, reports: list[Report], evaluation: Evaluation,
               cases: Sequence[Case] = ()) -> list[Page]:
    """Build one plan year's pages from its evaluation; older years go under <year>/."""
    year = evaluation.year
    baselines = previous_year_values(reports, year - 1)
    evaluation.prefix = "" if year == max(inputs.plans) else f"{year}/"
    evaluation.years = tuple((y, inputs.plans[y].sample)
                             for y in sorted(inputs.plans, reverse=True))
    by_campaign, by_board, latest = group_cases(cases)
    pages = all_pages(evaluation, inputs.settings, by_campaign, by_board, latest)
    pages.append(updates_page(evaluation, reports, inputs.settings, cases, baselines))
    for page in pages:
        page.path = evaluation.prefix + page.path
        link_downloads(page, inputs.catalog(year), current=not evaluation.prefix)
    return pages


def link_downloads(page: Page, catalog, current: bool) -> None:
    """Give campaign and board pages their data files; the current year's boards their forms."""
    if downloads.has_downloads(page):
        page.context["downloads"] = downloads.download_links(page)
    if current and page.template == "board.md.j2":
        slug = page.context["board"]["slug"]
        page.context["forms"] = forms.form_links(catalog, slug)
        page.context["calendar"] = calendar_feed.calendar_links(catalog, "../")[slug]


def link_documents(pages: Sequence[Page], documents: dict[str, bytes]) -> None:
    """Give the ranking page its bulletins and the recommended cases their compilation."""
    for page in pages:
        if page.path == "assessment.md":
            page.context["bulletins"] = bulletin_links(documents)
        elif page.path == RECOMMENDED:
            page.context["compilation"] = compilation_link(documents)


def generate(paths: Paths, as_of: dt.date | None) -> tuple[dict[str, bytes], bytes, dt.date]:
    """Compute every output file's bytes, in memory; return them, the engines' configuration
    and the as-of date used."""
    # Made first: on a cold cache its workers start now, while the data is loaded and checked.
    with ChartDrawer(paths.cache / "charts") as drawer:
        return _generate(paths, as_of, drawer)


def _generate(paths: Paths, as_of: dt.date | None,
              drawer: ChartDrawer) -> tuple[dict[str, bytes], bytes, dt.date]:
    loaded = load_everything(paths, as_of)
    inputs, reports, as_of = loaded.inputs, loaded.reports, loaded.as_of
    newest = max(inputs.plans)
    cases = [case for case in loaded.cases if case.year == newest]
    pages: list[Page] = []
    files: dict[str, bytes] = {}
    for year in sorted(inputs.plans, reverse=True):
        evaluation = evaluate_year(inputs, reports, year, as_of)
        files[f"data/{year}/cells.json"] = export.cells_json(evaluation)
        files[f"data/{year}/ranking.json"] = export.ranking_json(evaluation)
        pages += year_pages(inputs, reports, evaluation, cases if year == newest else ())
    pages += case_pages(cases, inputs.catalog(newest), inputs.settings)
    drawer.submit([spec for page in pages for spec in page.charts])  # drawn while we go on
    documents = {**bulletin_files(inputs.catalog(newest), inputs.settings, cases, as_of,
                                  lambda day: evaluate_year(inputs, reports, newest, day),
                                  paths.cache / "documents"),
                 **compilation_files(inputs.catalog(newest), inputs.settings, cases, as_of)}
    link_documents(pages, documents)
    files.update(static_files(paths.static))
    for year, catalog in sorted(inputs.catalogs.items()):
        files[f"data/{year}/targets.json"] = export.targets_json(catalog)
        files[f"data/{year}/targets.csv"] = export.targets_csv(catalog)
    for name, text in sources.read_files(paths.data / "source", ".txt", recursive=False).items():
        files[f"data/{newest}/source/{name}"] = text
    files.update(downloads.all_downloads(pages))
    catalog = inputs.catalog(newest)
    files.update(calendar_feed.calendar_files(catalog, inputs.settings.site_url or "", newest,
                                              paths.cache / "calendar"))
    files.update(forms.all_forms(catalog, forms.history_by_board(reports, as_of, newest), newest,
                                 paths.cache / "forms"))
    files.update(case_images(cases))
    files.update(documents)
    files[FEED] = case_feed(cases, inputs.settings, as_of)
    charts = drawer.result()
    for name, svg in charts.items():
        files[f"assets/charts/{name}.svg"] = svg
    sizes = {name: svg_size(svg) for name, svg in charts.items()}  # for <img width height>
    for page in pages:
        files[source_path(page.path)] = render_page(page, sizes).encode("utf-8")
    return files, site_config(paths, inputs, newest, as_of, cases), as_of


def build(paths: Paths, as_of: dt.date | None, key: str | None = None) -> BuildResult:
    """Generate and write; a build whose inputs and output are unchanged returns at once.

    `key` is the inputs' fingerprint when the caller has already computed it. One build or
    publish runs at a time in a project; a second one waits (see generator.site.lock).
    """
    with lock.held(lock.lock_file(paths.cache.parent)):
        recover(paths.out)
        return _build(paths, as_of, key)


def _build(paths: Paths, as_of: dt.date | None, key: str | None) -> BuildResult:
    key = key or fingerprint.fingerprint(paths, as_of, dt.date.today())
    previous = fingerprint.unchanged(paths, key)
    if previous is not None:
        return summary_result(previous)
    files, config, used_as_of = generate(paths, as_of)
    stats = write_tree(paths.out, files)
    engines.write_config(paths.site_config, config)
    pages = sum(1 for name in files if name.endswith(".md"))
    charts = sum(1 for name in files if name.startswith("assets/charts/"))
    fingerprint.record(paths, key, {"files": len(files), "pages": pages, "charts": charts,
                                    "as_of": used_as_of.isoformat()})
    return BuildResult(stats, pages, charts, used_as_of)


def summary_result(summary: dict) -> BuildResult:
    return BuildResult(WriteStats(0, summary["files"], 0), summary["pages"], summary["charts"],
                       dt.date.fromisoformat(summary["as_of"]))
