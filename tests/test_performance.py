"""Scale without timing: caches that hold, no-op builds that touch nothing, linear synthetic data.

Timings live in `make bench` (benchmarks/README.md); here only counts, bytes, mtimes and imports.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURE_AS_OF, FIXTURE_DATA, ROOT, run_cli

if str(ROOT) not in sys.path:  # benchmarks/ is not installed with the package
    sys.path.insert(0, str(ROOT))

from benchmarks import synth  # noqa: E402
from generator.build import Paths, load_everything  # noqa: E402
from generator.evaluate import evaluate  # noqa: E402
from generator.inputs.load import load_inputs  # noqa: E402
from generator.pages.board import board_page  # noqa: E402
from generator.pages.home import home_page  # noqa: E402
from generator.pages.layout import SiteLayout  # noqa: E402
from generator.pages.navigation import NAV_LIST, nav  # noqa: E402

AS_OF = FIXTURE_AS_OF
REPORT = Path("data/progress/2023Q3/beigang.csv")  # the latest quarter at the as-of
TARGET = "biaozhunhua-1a"


def chart_cache(project: Path) -> set[str]:
    return {path.name for path in (project / ".cache/charts").glob("*.svg")}


def output(project: Path) -> dict[str, tuple[bytes, int]]:
    folder = project / "build/docs"
    return {path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A scratch project with a copy of the real data, built once with a cold chart cache."""
    project = tmp_path_factory.mktemp("perf")
    shutil.copytree(FIXTURE_DATA, project / "data")
    result = run_cli(project, "build", "--as-of", AS_OF)
    assert result.code == 0, result.err
    return project


def build(project: Path) -> str:
    result = run_cli(project, "build", "--as-of", AS_OF)
    assert result.code == 0, result.err
    return result.out


def bump_value(path: Path, target: str) -> None:
    """Add 1 to a board's reported value of one target, keeping the file's encoding and layout."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    row = next(row for row in rows if row and row[0] == target)
    row[2] = f"{float(row[2]) + 1:g}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" * raw.startswith(b"\xef\xbb\xbf") + out.getvalue().encode())


def test_unchanged_inputs_write_nothing_and_draw_nothing(built):
    before, cached = output(built), chart_cache(built)
    assert "写入 0 个文件" in build(built)
    assert output(built) == before  # same bytes and same mtimes, file for file
    assert chart_cache(built) == cached


def imported(stderr: str) -> set[str]:
    """The top-level modules a run imported, from the lines PYTHONPROFILEIMPORTTIME prints."""
    return {line.rsplit("|", 1)[1].strip().split(".")[0] for line in stderr.splitlines()
            if line.startswith("import time:") and line.count("|") == 2}


IMPORT_TIMES = {"PYTHONPROFILEIMPORTTIME": "1"}


def test_a_noop_build_does_not_import_pandas(built):
    noop = run_cli(built, "build", "--as-of", AS_OF, env=IMPORT_TIMES)
    assert noop.code == 0 and "写入 0 个文件" in noop.out, noop.err[-2000:]
    assert "generator" in imported(noop.err) and "pandas" not in imported(noop.err)
    shutil.rmtree(built / "build/docs")  # same inputs, output gone: the whole pipeline runs
    full = run_cli(built, "build", "--as-of", AS_OF, env=IMPORT_TIMES)
    assert full.code == 0 and "写入 0 个文件" not in full.out, full.err[-2000:]
    assert "pandas" in imported(full.err)  # the evaluation's tables and targets.csv use it


def test_importing_the_pipeline_does_not_import_pandas():
    """pandas is imported inside the functions that use it: `validate` (which imports the
    pipeline to load and check the data) and every command that evaluates nothing skip it."""
    code = ("import sys, generator.build, generator.evaluate.tables, generator.outputs.export; "
            "print('pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"


def test_the_benchmark_reads_import_times_and_preloads_a_module():
    from benchmarks.run import import_seconds, preloaded

    err = ("import time: self [us] | cumulative | imported package\n"
           "import time:       349 |     250483 | pandas\n"
           "import time:        12 |         40 |   pandas.io\n")
    assert import_seconds(err, "pandas") == 0.250483
    assert import_seconds(err, "numpy") is None and "pandas" in imported(err)
    assert preloaded(["py", "-m", "generator", "build"], "pandas") == [
        "py", "-c", "import pandas, runpy\n"
        "runpy.run_module('generator', run_name='__main__', alter_sys=True)", "build"]
    assert preloaded(["py", "-c", "main()", "build"], "pandas") == [
        "py", "-c", "import pandas\nmain()", "build"]


def test_a_changed_report_redraws_only_the_charts_it_changes(built):
    charts_before = {name: data for name, (data, _) in output(built).items()
                     if name.startswith("assets/charts/")}
    cached = chart_cache(built)
    bump_value(built / REPORT, TARGET)
    build(built)
    charts_after = {name: data for name, (data, _) in output(built).items()
                    if name.startswith("assets/charts/")}
    drawn = chart_cache(built) - cached
    changed = {name for name, data in charts_after.items() if charts_before.get(name) != data}
    assert "assets/charts/campaign-2023-biaozhunhua.svg" in changed
    # Every redrawn chart is one whose picture changed, and nothing else was drawn.
    assert len(drawn) == len(changed) and set(charts_after) == set(charts_before)
    assert len(drawn) <= 4 < len(charts_after)  # campaign, board, pillar, ranking at most


def test_synthetic_data_validates_at_k_2(tmp_path):
    synth.make(2, tmp_path / "data")
    result = run_cli(tmp_path, "validate", "--as-of", AS_OF)
    assert result.code == 0, result.err
    inputs = load_inputs(tmp_path / "data")
    catalog = inputs.catalog(2023)
    assert len(catalog.boards) == 16 and len(catalog.campaigns) == 80
    assert catalog.boards["beigang-2"].name == "北港街道（2）"
    assert catalog.targets["biaozhunhua-1a-d2"].target.quotas["beigang-2"] == 25
    reports = sorted(p.name for p in (tmp_path / "data/progress/2023Q2").iterdir())
    assert "beigang-2.csv" in reports and "beigang.csv" in reports


def test_synthetic_k_1_is_the_real_data(tmp_path):
    synth.make(1, tmp_path / "data")
    real = {p.relative_to(FIXTURE_DATA): p.read_bytes()
            for p in (FIXTURE_DATA).rglob("*") if p.is_file()}
    copy = {p.relative_to(tmp_path / "data"): p.read_bytes()
            for p in (tmp_path / "data").rglob("*") if p.is_file()}
    assert copy == real


def cells_and_rows(data: Path) -> tuple[int, int, int]:
    catalog = load_inputs(data).catalog(2023)
    cells = sum(len(info.boards) for info in catalog.targets.values())
    rows = sum(len(p.read_text(encoding="utf-8-sig").splitlines()) - 1
               for p in (data / "progress").glob("2023Q*/*.csv"))
    return len(catalog.boards), cells, rows


def test_cells_grow_linearly_with_k(tmp_path):
    counts = {k: cells_and_rows(synth.make(k, tmp_path / f"k{k}")) for k in (1, 2, 3)}
    for k in (2, 3):
        assert counts[k] == tuple(k * n for n in counts[1])


def test_a_district_s_targets_concern_only_its_own_boards(tmp_path):
    catalog = load_inputs(synth.make(3, tmp_path / "data")).catalog(2023)
    for info in catalog.targets.values():
        district = re.search(r"-d(\d+)$", info.target.id)
        for board in info.boards:
            own = re.search(r"-(\d+)$", board)
            assert (own and own[1]) == (district and district[1]), (info.target.id, board)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """Five districts: 40 boards and 200 campaigns, beyond every single-district threshold."""
    data = synth.make(5, tmp_path_factory.mktemp("city") / "data")
    loaded = load_everything(Paths(data=data), None)
    evaluation = evaluate(loaded.inputs.catalog(2023), loaded.reports, loaded.as_of)
    return loaded.inputs, evaluation


def longest_list(items) -> int:
    lists = [value for item in items if isinstance(item, dict) for value in item.values()
             if isinstance(value, list)]
    return max([len(items)] + [longest_list(value) for value in lists])


def test_a_city_nav_has_no_long_flat_list(city):
    inputs, _ = city
    assert longest_list(nav(inputs, 2023)) <= NAV_LIST


def test_a_city_home_page_has_a_heat_row_per_category(city):
    inputs, evaluation = city
    context = home_page(evaluation, SiteLayout(2023), inputs.settings).context
    assert [row["link"] for row in context["heat"]] == [
        f"pillars/{pillar.id}.md" for pillar in evaluation.catalog.plan.pillars]
    assert all(len(row["cells"]) == 40 for row in context["heat"])


def test_a_city_board_page_compares_with_the_top_and_its_neighbours(city):
    inputs, evaluation = city
    ranking = [score.slug for score in evaluation.scores()]
    slug = ranking[25]
    shown = [row["link"] for row in board_page(evaluation, SiteLayout(2023), inputs.settings, slug).context["scores"]]
    assert shown == [f"../boards/{s}.md" for s in ranking[:10] + ranking[20:31]]
