"""Benchmark the whole pipeline at k = 1, 10, 100 districts, side by side (`make bench`).

Generator (cold, warm, no-op) and both site engines (MkDocs + Material, Zensical) run on the same
scratch project under benchmarks/out/k<k>/ (git-ignored): synthetic data from benchmarks.synth
(k = 1 is the real data, byte for byte) plus the files the engines need. Every command runs in its
own subprocess, as a user runs it; its wall time and peak memory (the largest resident set of it
and its chart workers, from getrusage) are measured by a small wrapper process, so one run's peak
never hides another's. Timings are reported, never asserted.

    python -m benchmarks.run                  # k = 1, 10, 100 (MkDocs up to k = 10)
    python -m benchmarks.run --quick          # k = 1 and 10, one run each
    python -m benchmarks.run --k 1 10 --repeat 1

pandas (the evaluation's tables, targets.csv) is imported only when a build runs the pipeline:
each scale also reports what that import costs inside a warm build (from -X importtime), that
the no-op build does not import it, and the no-op build's time with pandas imported first
(what an eager import would cost every unchanged rebuild).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks import synth

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
AS_OF = "2023-09-10"
PROJECT_FILES = ["mkdocs.yml", "docs", "overrides", "generator/jieba_userdict.txt"]
"""What the engines need beside build/ (build/mkdocs.yml INHERITs mkdocs.yml)."""
ENGINES = ("mkdocs", "zensical")
YAML_LIMIT = 32 * 1024 * 1024
"""generator.inputs.yamlio refuses YAML files larger than this (see benchmarks/README.md)."""

WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], capture_output=True, text=True)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w", encoding="utf-8") as handle:
    json.dump({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
               "peak_kb": usage.ru_maxrss, "code": done.returncode,
               "out": done.stdout, "err": done.stderr}, handle)
"""
# Run the generator CLI with the YAML size guard lifted: only for plans above 32 MiB.
BIG_PLAN_CLI = """
import sys
import generator.inputs.yamlio as yamlio
yamlio.load_yaml_file.__defaults__ = (1 << 30,)
from generator.cli import main
sys.argv[0] = "generator"
raise SystemExit(main())
"""


@dataclass
class Run:
    seconds: float
    cpu: float
    """User + system CPU seconds of the command and its workers (steadier on a busy machine)."""
    peak_mb: float
    code: int
    out: str
    err: str

    @property
    def written(self) -> int | None:
        found = re.search(r"写入 (\d+) 个文件", self.out)
        return int(found.group(1)) if found else None


@dataclass
class SiteResult:
    """One engine's site build (`--strict`, from a clean output folder) and what it wrote."""

    seconds: float
    cpu: float
    peak_mb: float
    pages: int
    site_mb: float
    search_index_kb: float
    largest_page_kb: float
    largest_page: str
    pages_over_150kb: int
    home_html_kb: float
    home_transfer_kb: float
    home_transfer_gz_kb: float
    """The same files gzip-compressed (level 9), as publish's .gz copies serve them."""


@dataclass
class Result:
    k: int
    boards: int = 0
    campaigns: int = 0
    targets: int = 0
    cells: int = 0
    report_rows: int = 0
    plan_bytes: int = 0
    size_guard_lifted: bool = False
    cold_s: float = 0.0
    cold_cpu: float = 0.0
    cold_peak_mb: float = 0.0
    warm_s: float = 0.0
    warm_cpu: float = 0.0
    warm_peak_mb: float = 0.0
    noop_s: float = 0.0
    noop_cpu: float = 0.0
    noop_written: int | None = None
    pandas_import_s: float | None = None
    """The cumulative import time of pandas inside a warm build (None: not imported)."""
    noop_imports_pandas: bool | None = None
    noop_pandas_s: float = 0.0
    """The no-op build with pandas imported before it: what an eager import would cost."""
    files_written: int | None = None
    charts_drawn: int = 0
    sites: dict[str, SiteResult] = field(default_factory=dict)
    """By engine: mkdocs, zensical (only those run at this scale)."""
    runs: dict[str, list[float]] = field(default_factory=dict)


# --- running things ------------------------------------------------------------------------------

def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "0",
            "NO_MKDOCS_2_WARNING": "1", "GITHUB_ACTIONS": ""}


def measure(command: list[str], cwd: Path) -> Run:
    """Run a command in a fresh wrapper process; return its wall time, peak memory and output."""
    report = cwd / ".bench-run.json"
    subprocess.run([sys.executable, "-c", WRAPPER, str(report), *command], cwd=cwd,
                   env=environment(), check=True)
    data = json.loads(report.read_text(encoding="utf-8"))
    report.unlink()
    run = Run(data["seconds"], data["cpu"], data["peak_kb"] / 1024, data["code"], data["out"],
              data["err"])
    if run.code != 0:
        raise RuntimeError(f"{' '.join(command)} 失败（{run.code}）：\n{run.out}\n{run.err}")
    return run


def generator_command(big_plan: bool) -> list[str]:
    args = ["build", "--data", "data", "--out", "build/docs", "--as-of", AS_OF]
    if big_plan:
        return [sys.executable, "-c", BIG_PLAN_CLI, *args]
    return [sys.executable, "-m", "generator", *args]


def import_times(command: list[str]) -> list[str]:
    """The same command under -X importtime: every import's time on its stderr."""
    return [command[0], "-X", "importtime", *command[1:]]


def preloaded(command: list[str], module: str) -> list[str]:
    """The same generator command with `module` imported before the generator runs."""
    if command[1] == "-m":  # python -m generator …: run it as runpy would
        code = (f"import {module}, runpy\n"
                f"runpy.run_module({command[2]!r}, run_name='__main__', alter_sys=True)")
        return [command[0], "-c", code, *command[3:]]
    return [command[0], "-c", f"import {module}\n{command[2]}", *command[3:]]


def import_seconds(stderr: str, module: str) -> float | None:
    """The cumulative import time of a top-level module from -X importtime lines (the largest
    if several processes imported it); None when nothing imported it."""
    found = [int(line.split("|")[1]) / 1e6 for line in stderr.splitlines()
             if line.startswith("import time:") and line.count("|") == 2
             and line.split("|")[2].strip() == module]
    return max(found) if found else None


def engine_command(engine: str, site: Path) -> list[str]:
    """Each engine's clean build from the generated build/mkdocs.yml, failing on warnings."""
    if engine == "mkdocs":
        return [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                "--config-file", "build/mkdocs.yml", "--site-dir", str(site)]
    # Zensical writes build/site (its site_dir must lie inside build/); --clean drops its cache.
    return [sys.executable, "-m", "zensical", "build", "--clean", "--strict",
            "--config-file", "build/mkdocs.yml"]


def engine_site(engine: str, project: Path) -> Path:
    return project / ("site" if engine == "mkdocs" else "build/site")


# --- the scratch project -------------------------------------------------------------------------

def make_project(k: int, out: Path) -> Path:
    """A folder holding k-district data and what mkdocs needs, as a user's checkout would."""
    project = out / f"k{k}"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    for name in PROJECT_FILES:
        source, dest = ROOT / name, project / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest)
        else:
            shutil.copy2(source, dest)
    synth.make(k, project / "data")
    return project


def data_counts(data: Path) -> dict[str, int]:
    """Boards, campaigns, targets, target × board cells and report rows of the newest plan."""
    import generator.inputs.yamlio as yamlio
    from generator.inputs.load import load_inputs

    defaults = yamlio.load_yaml_file.__defaults__
    yamlio.load_yaml_file.__defaults__ = (1 << 30,)
    try:
        inputs = load_inputs(data)
    finally:
        yamlio.load_yaml_file.__defaults__ = defaults
    catalog = inputs.catalog(max(inputs.plans))
    # Count lines as bytes: a board may report in GB18030, and this is a count, not a read.
    rows = sum(max(0, len(path.read_bytes().splitlines()) - 1)
               for path in (data / "progress").glob("*/*.csv"))
    return {"boards": len(catalog.boards), "campaigns": len(catalog.campaigns),
            "targets": len(catalog.targets),
            "cells": sum(len(info.boards) for info in catalog.targets.values()),
            "report_rows": rows,
            "plan_bytes": max(p.stat().st_size for p in (data / "plans").glob("*.yaml"))}


# --- site measurements ---------------------------------------------------------------------------

ASSET = re.compile(r"""<(?:link[^>]*\brel="(?:stylesheet|icon)"[^>]*\bhref|script[^>]*\bsrc|"""
                   r"""img[^>]*\bsrc)="([^"#?]+)""")


def home_files(site: Path) -> list[Path]:
    """The home page and every CSS, JS and image file it references."""
    page = site / "index.html"
    html = page.read_text(encoding="utf-8")
    files = [page]
    for ref in ASSET.findall(html):
        if ref.startswith(("http:", "https:", "data:", "//")):
            continue
        path = (page.parent / ref).resolve()
        if path not in files and path.is_file():
            files.append(path)
    return files


def search_index(site: Path) -> Path:
    for name in ("search/search_index.json", "search.json"):  # MkDocs, Zensical
        if (site / name).is_file():
            return site / name
    raise FileNotFoundError(f"{site}: no search index")


def site_stats(site: Path) -> dict:
    pages = sorted(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    largest = pages[-1]
    home = home_files(site)
    return {
        "pages": len(pages),
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20,
        "search_index_kb": search_index(site).stat().st_size / 1024,
        "largest_page_kb": largest.stat().st_size / 1024,
        "largest_page": largest.relative_to(site).as_posix(),
        "pages_over_150kb": sum(1 for p in pages if p.stat().st_size > 150 * 1024),
        "home_html_kb": home[0].stat().st_size / 1024,
        "home_transfer_kb": sum(p.stat().st_size for p in home) / 1024,
        "home_transfer_gz_kb": sum(len(gzip.compress(p.read_bytes(), 9, mtime=0))
                                   for p in home) / 1024,
    }


# --- one scale -----------------------------------------------------------------------------------

def bench(k: int, out: Path, repeat: int, engines: Sequence[str]) -> Result:
    project = make_project(k, out)
    result = Result(k, **data_counts(project / "data"))
    result.size_guard_lifted = result.plan_bytes > YAML_LIMIT
    command = generator_command(result.size_guard_lifted)
    cold, warm, noop = [], [], []
    for _ in range(repeat):
        shutil.rmtree(project / ".cache", ignore_errors=True)
        shutil.rmtree(project / "build", ignore_errors=True)
        cold.append(measure(command, project))
        shutil.rmtree(project / "build/docs")
        warm.append(measure(command, project))
        noop.append(measure(command, project))
    result.charts_drawn = len(list((project / ".cache" / "charts").glob("*.svg")))
    pick = _median_run
    result.cold_s, result.cold_cpu = pick(cold).seconds, pick(cold).cpu
    result.warm_s, result.warm_cpu = pick(warm).seconds, pick(warm).cpu
    result.noop_s, result.noop_cpu = pick(noop).seconds, pick(noop).cpu
    result.cold_peak_mb = max(r.peak_mb for r in cold)
    result.warm_peak_mb = max(r.peak_mb for r in warm)
    result.noop_written = max(r.written or 0 for r in noop)
    result.files_written = cold[-1].written
    measure_pandas(result, command, project, repeat)
    result.runs = {"cold": [r.seconds for r in cold], "warm": [r.seconds for r in warm],
                   "noop": [r.seconds for r in noop]}
    for engine in engines:
        site = engine_site(engine, project)
        runs = []
        for _ in range(repeat):
            shutil.rmtree(site, ignore_errors=True)
            runs.append(measure(engine_command(engine, site), project))
        result.runs[engine] = [r.seconds for r in runs]
        result.sites[engine] = SiteResult(pick(runs).seconds, pick(runs).cpu,
                                          max(r.peak_mb for r in runs), **site_stats(site))
    return result


def measure_pandas(result: Result, command: list[str], project: Path, repeat: int) -> None:
    """What pandas costs: its import inside a warm build, and the no-op with and without it."""
    noop = measure(import_times(command), project)
    result.noop_imports_pandas = import_seconds(noop.err, "pandas") is not None
    eager = [measure(preloaded(command, "pandas"), project) for _ in range(repeat)]
    result.noop_pandas_s = _median_run(eager).seconds
    result.runs["noop_pandas"] = [r.seconds for r in eager]
    shutil.rmtree(project / "build/docs")
    warm = measure(import_times(command), project)
    result.pandas_import_s = import_seconds(warm.err, "pandas")


def _median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]


# --- the report ----------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor() or "?")
    mem = next((line.split(":", 1)[1].strip() for line in _lines("/proc/meminfo")
                if line.startswith("MemTotal")), "?")
    if mem.endswith(" kB"):
        mem = f"{int(mem[:-3]) / 2**20:.1f} GiB"
    load = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "ram": mem, "load": load,
            "python": platform.python_version(), "platform": platform.platform()}


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _f(value, digits: int = 2, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def _ratio(part: float | None, whole: float | None) -> str:
    return f"{part / whole:.0%}" if part and whole else "—"


def _site(r: Result, engine: str) -> SiteResult | None:
    return r.sites.get(engine)


def pipeline_table(results: list[Result]) -> str:
    """Generator and both engines side by side, with the generator's share of each build."""
    def engine_cell(r: Result, engine: str) -> str:
        s = _site(r, engine)
        return f"{_f(s.seconds)} ({_f(s.cpu, 1)})" if s else "—"

    columns = [
        ("k", lambda r: str(r.k)),
        ("boards / campaigns / cells", lambda r: f"{r.boards} / {r.campaigns} / {r.cells}"),
        ("gen cold s (cpu)", lambda r: f"{_f(r.cold_s)} ({_f(r.cold_cpu, 1)})"),
        ("gen warm s (cpu)", lambda r: f"{_f(r.warm_s)} ({_f(r.warm_cpu, 1)})"),
        ("no-op s (written)", lambda r: f"{_f(r.noop_s)} ({r.noop_written})"),
        ("mkdocs s (cpu)", lambda r: engine_cell(r, "mkdocs")),
        ("zensical s (cpu)", lambda r: engine_cell(r, "zensical")),
        ("cold / mkdocs", lambda r: _ratio(r.cold_s, getattr(_site(r, "mkdocs"), "seconds",
                                                              None))),
        ("cold / zensical", lambda r: _ratio(r.cold_s, getattr(_site(r, "zensical"),
                                                                "seconds", None))),
        ("warm / mkdocs", lambda r: _ratio(r.warm_s, getattr(_site(r, "mkdocs"), "seconds",
                                                              None))),
        ("zensical / mkdocs", lambda r: _ratio(getattr(_site(r, "zensical"), "seconds", None),
                                               getattr(_site(r, "mkdocs"), "seconds", None))),
        ("peak MB gen / mkdocs / zensical",
         lambda r: " / ".join([_f(max(r.cold_peak_mb, r.warm_peak_mb), 0)]
                              + [_f(s.peak_mb, 0) if (s := _site(r, e)) else "—"
                                 for e in ENGINES])),
        ("charts", lambda r: str(r.charts_drawn)),
    ]
    return _markdown(columns, results)


def pandas_table(results: list[Result]) -> str:
    """pandas' share: imported by the builds that evaluate, never by the no-op."""
    columns = [
        ("k", lambda r: str(r.k)),
        ("gen cold s", lambda r: _f(r.cold_s)),
        ("gen warm s", lambda r: _f(r.warm_s)),
        ("pandas import in a warm build s", lambda r: _f(r.pandas_import_s)),
        ("warm without that import s", lambda r: _f(r.warm_s - r.pandas_import_s)
         if r.pandas_import_s is not None else "—"),
        ("no-op s (imports pandas?)", lambda r: f"{_f(r.noop_s)} "
                                               f"({_yes_no(r.noop_imports_pandas)})"),
        ("no-op s, pandas imported first", lambda r: _f(r.noop_pandas_s)),
    ]
    return _markdown(columns, results)


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "no")


def site_table(results: list[Result]) -> str:
    """What each engine wrote: pages, size, search index, page weight."""
    columns = [
        ("k / engine", lambda row: f"{row[0].k} / {row[1]}"),
        ("pages", lambda row: _f(row[2].pages)),
        ("site MB", lambda row: _f(row[2].site_mb, 1)),
        ("search index KB", lambda row: _f(row[2].search_index_kb, 0)),
        ("largest page KB", lambda row: f"{_f(row[2].largest_page_kb, 1)} "
                                        f"(`{row[2].largest_page}`)"),
        ("pages > 150 KB", lambda row: _f(row[2].pages_over_150kb)),
        ("home HTML KB", lambda row: _f(row[2].home_html_kb, 0)),
        ("home transfer KB (gzip)", lambda row: f"{_f(row[2].home_transfer_kb, 0)} "
                                                f"({_f(row[2].home_transfer_gz_kb, 0)})"),
    ]
    rows = [(r, engine, r.sites[engine]) for r in results for engine in ENGINES
            if engine in r.sites]
    return _markdown(columns, rows)


def _markdown(columns, rows) -> str:
    lines = ["| " + " | ".join(name for name, _ in columns) + " |",
             "|" + "|".join("---:" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(row) for _, cell in columns) + " |" for row in rows]
    return "\n".join(lines)


def verdicts(results: list[Result]) -> list[str]:
    """Each target with the measured figure and whether it is met."""
    by_k = {r.k: r for r in results}
    lines = []

    def verdict(ok: bool, text: str) -> None:
        lines.append(f"- {'✅ met' if ok else '❌ NOT met'}: {text}")

    real = by_k.get(1)
    if real and "mkdocs" in real.sites:
        engine_s = real.sites["mkdocs"].seconds
        share = real.warm_s / engine_s
        verdict(share <= 0.25, f"real data, generator (warm chart cache) ≤ 25% of mkdocs "
                               f"build: {real.warm_s:.2f} s / {engine_s:.2f} s = {share:.0%}")
        share = real.cold_s / engine_s
        verdict(share <= 1, f"real data, first build (empty .cache/) ≤ mkdocs build: "
                            f"{real.cold_s:.2f} s / {engine_s:.2f} s = {share:.0%}")
    if real and "zensical" in real.sites:
        engine_s = real.sites["zensical"].seconds
        share = real.cold_s / engine_s
        verdict(share <= 1, f"real data, first build (empty .cache/) ≤ zensical build: "
                            f"{real.cold_s:.2f} s / {engine_s:.2f} s = {share:.0%}")
    if real:
        verdict(real.noop_s <= 1 and real.noop_written == 0,
                f"real data, no-op rerun ≤ 1 s with 0 files written: {real.noop_s:.2f} s, "
                f"{real.noop_written} written")
    for r in results:
        verdict(r.noop_imports_pandas is False, f"k={r.k}, the no-op build does not import "
                                                f"pandas ({r.noop_s:.2f} s; "
                                                f"{r.noop_pandas_s:.2f} s if it did)")
    if 100 in by_k:
        big = by_k[100]
        for label, seconds in (("warm chart cache", big.warm_s),
                               ("cold chart cache", big.cold_s)):
            verdict(seconds <= 60, f"k=100, generator ({label}) ≤ 60 s: {seconds:.1f} s")
        peak = max(big.cold_peak_mb, big.warm_peak_mb)
        verdict(peak <= 1.5 * 1024, f"k=100, peak memory ≤ 1.5 GiB: {peak:.0f} MB")
    if 10 in by_k and 100 in by_k:
        for label, attr in (("warm", "warm_s"), ("cold", "cold_s")):
            ratio = getattr(by_k[100], attr) / getattr(by_k[10], attr)
            verdict(ratio <= 10, f"k=10 → k=100 ({label}) grows no faster than linearly: "
                                 f"×{ratio:.1f} time for ×10 data")
    ten = by_k.get(10)
    if ten and "mkdocs" in ten.sites:
        site = ten.sites["mkdocs"]
        verdict(site.largest_page_kb < 150, f"k=10, every page's HTML < 150 KB: largest "
                                            f"{site.largest_page_kb:.1f} KB ({site.largest_page})")
        verdict(site.home_transfer_kb < 1024, f"k=10, home page total transfer < 1 MB: "
                                              f"{site.home_transfer_kb:.0f} KB "
                                              f"(HTML {site.home_html_kb:.0f} KB)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split(
        "\n")[0])
    parser.add_argument("--k", type=int, nargs="+", default=[1, 10, 100], help="规模倍数")
    parser.add_argument("--repeat", type=int, default=3,
                        help="k ≤ 10 时每项测量的次数（取中位数）；k > 10 只测一次")
    parser.add_argument("--mkdocs-max-k", type=int, default=10,
                        help="只在 k 不超过此值时运行 mkdocs（k = 100 约需数分钟）")
    parser.add_argument("--zensical-max-k", type=int, default=100,
                        help="只在 k 不超过此值时运行 zensical")
    parser.add_argument("--quick", action="store_true",
                        help="快速：只测 k = 1 和 10，每项一次")
    parser.add_argument("--out", type=Path, default=OUT, help="临时项目目录")
    args = parser.parse_args(argv)
    if args.quick:
        args.k, args.repeat = [k for k in args.k if k <= 10] or [1], 1
    results = []
    for k in args.k:
        engines = [e for e, top in (("mkdocs", args.mkdocs_max_k),
                                    ("zensical", args.zensical_max_k)) if k <= top]
        print(f"k={k} …", file=sys.stderr, flush=True)
        results.append(bench(k, args.out, args.repeat if k <= 10 else 1, engines))
    info = machine()
    text = "\n".join([
        f"Machine: {info['nproc']} cores, {info['cpu']}, {info['ram']} RAM, "
        f"Python {info['python']} ({info['platform']}), load average {info['load']}", "",
        pipeline_table(results), "", pandas_table(results), "", site_table(results), "",
        *verdicts(results)])
    lifted = [r.k for r in results if r.size_guard_lifted]
    if lifted:
        text += (f"\n\nk = {', '.join(map(str, lifted))}: the plan file is larger than the "
                 "32 MiB YAML guard; the generator ran with that guard lifted.")
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(text + "\n", encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps(
        {"machine": info, "results": [asdict(r) for r in results]}, ensure_ascii=False,
        indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
