"""The recipe: load → validate → compute → render → write. Everything is computed first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.common.files import write_if_changed
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
from generator.pages.case_pages import FEED, case_feed, case_pages
from generator.pages.layout import SiteLayout
from generator.pages.navigation import site_nav
from generator.pages.page import Page, source_path
from generator.pages.render import render_page
from generator.pages.year import year_pages
from generator.site import engines, fingerprint, lock
from generator.site.write import WriteStats, recover, write_tree


@dataclass(frozen=True)
class BuildResult:
    """What a build did: its write, how many pages and charts it made, and as of which day."""

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
    return engines.site_config(paths, site_nav(inputs, year, cases, static), extra,
                               settings.site_url)


def previous_year_values(reports: list[Report], year: int) -> dict[tuple[str, str], float]:
    """Year-end value of every (target, board) in `year`: the base of 不低于去年水平 targets."""
    seen = latest(reports, year, dt.date(year, 12, 31))
    return {key: obs.value for key, obs in seen.items() if obs.value is not None}


def evaluate_year(inputs: Inputs, reports: list[Report], year: int,
                  as_of: dt.date) -> Evaluation:
    """The one evaluation of a plan year that every page and output of that year reads."""
    return evaluate(inputs.catalog(year), reports, as_of, previous_year_values(reports, year - 1))


def site_layout(inputs: Inputs, year: int) -> SiteLayout:
    """Where `year`'s pages go: the newest plan year at the site root, older ones under <year>/."""
    return SiteLayout.of(year, {y: plan.sample for y, plan in inputs.plans.items()})


def year_files(evaluation: Evaluation, layout: SiteLayout, settings) -> dict[str, bytes]:
    """A plan year's open data (every cell, the ranking) and its pages' data downloads."""
    year = evaluation.year
    return {f"data/{year}/cells.json": export.cells_json(evaluation),
            f"data/{year}/ranking.json": export.ranking_json(evaluation),
            **downloads.year_downloads(evaluation, settings, layout.prefix)}


def documents(paths: Paths, inputs: Inputs, reports: list[Report], cases: Sequence[Case],
              as_of: dt.date) -> dict[str, bytes]:
    """The newest year's Word documents: the quarterly bulletins and the cases' compilation."""
    newest = max(inputs.plans)
    catalog = inputs.catalog(newest)
    return {**bulletin_files(catalog, inputs.settings, cases, as_of,
                             lambda day: evaluate_year(inputs, reports, newest, day),
                             paths.cache / "documents"),
            **compilation_files(catalog, inputs.settings, cases, as_of)}


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
    # The Word documents first: the ranking page links the bulletins, the recommended cases
    # page the compilation.
    word = documents(paths, inputs, reports, cases, as_of)
    pages, files = every_year(inputs, reports, cases, as_of, bulletin_links(word))
    pages += case_pages(cases, inputs.catalog(newest), inputs.settings, compilation_link(word))
    drawer.submit([spec for page in pages for spec in page.charts])  # drawn while we go on
    files.update(site_files(paths, inputs, reports, cases, as_of, word))
    charts = drawer.result()
    for name, svg in charts.items():
        files[f"assets/charts/{name}.svg"] = svg
    sizes = {name: svg_size(svg) for name, svg in charts.items()}  # for <img width height>
    for page in pages:
        files[source_path(page.path)] = render_page(page, sizes).encode("utf-8")
    return files, site_config(paths, inputs, newest, as_of, cases), as_of


def every_year(inputs: Inputs, reports: list[Report], cases: Sequence[Case], as_of: dt.date,
               bulletins: Sequence[dict[str, str]]) -> tuple[list[Page], dict[str, bytes]]:
    """Each plan year's pages, open data and downloads, newest year first; the newest year's
    pages show the cases and link the bulletins."""
    pages: list[Page] = []
    files: dict[str, bytes] = {}
    for year in sorted(inputs.plans, reverse=True):
        layout = site_layout(inputs, year)
        evaluation = evaluate_year(inputs, reports, year, as_of)
        files.update(year_files(evaluation, layout, inputs.settings))
        pages += year_pages(evaluation, layout, inputs.settings, reports,
                            cases if layout.current else (), bulletins if layout.current else (),
                            previous_year_values(reports, year - 1))
    return pages, files


def site_files(paths: Paths, inputs: Inputs, reports: list[Report], cases: Sequence[Case],
               as_of: dt.date, word: dict[str, bytes]) -> dict[str, bytes]:
    """Every file besides the pages, the charts and each year's data: docs/, the plans' targets,
    the notice's text, the newest year's calendars and forms, the cases' images, the Word
    documents and the cases' feed."""
    newest = max(inputs.plans)
    catalog = inputs.catalog(newest)
    files = dict(static_files(paths.static))
    for year, plan_catalog in sorted(inputs.catalogs.items()):
        files[f"data/{year}/targets.json"] = export.targets_json(plan_catalog)
        files[f"data/{year}/targets.csv"] = export.targets_csv(plan_catalog)
    for name, text in sources.read_files(paths.data / "source", ".txt", recursive=False).items():
        files[f"data/{newest}/source/{name}"] = text
    files.update(calendar_feed.calendar_files(catalog, inputs.settings.site_url or "", newest,
                                              paths.cache / "calendar"))
    files.update(forms.all_forms(catalog, forms.history_by_board(reports, as_of, newest), newest,
                                 paths.cache / "forms"))
    files.update(case_images(cases))
    files.update(word)
    files[FEED] = case_feed(cases, inputs.settings, as_of)
    return files


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
    write_if_changed(paths.site_config, config)  # `mkdocs serve` watches it: new mtime, rebuild
    pages = sum(1 for name in files if name.endswith(".md"))
    charts = sum(1 for name in files if name.startswith("assets/charts/"))
    fingerprint.record(paths, key, {"files": len(files), "pages": pages, "charts": charts,
                                    "as_of": used_as_of.isoformat()})
    return BuildResult(stats, pages, charts, used_as_of)


def summary_result(summary: dict) -> BuildResult:
    return BuildResult(WriteStats(0, summary["files"], 0), summary["pages"], summary["charts"],
                       dt.date.fromisoformat(summary["as_of"]))
