"""Benchmark the generator and the MkDocs build at k = 1, 10, 100 districts (`make bench`).

Each scale gets a scratch project under benchmarks/out/k<k>/ (git-ignored): synthetic data from
benchmarks.synth (k = 1 is the real data, byte for byte) plus the files `mkdocs build` needs.
Every command runs in its own subprocess, as a user runs it; its wall time and peak memory
(the largest resident set of it and its chart workers, from getrusage) are measured by a
small wrapper process, so one run's peak never hides another's.

    python -m benchmarks.run                  # k = 1, 10, 100
    python -m benchmarks.run --k 1 10 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks import synth

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
AS_OF = "2023-09-10"
PROJECT_FILES = ["mkdocs.yml", "docs", "overrides", "generator/mkdocs_hooks.py",
                 "generator/jieba_userdict.txt"]
"""What `mkdocs build` needs beside build/docs, relative to the project root."""
YAML_LIMIT = 32 * 1024 * 1024
"""generator.yamlio refuses YAML files larger than this (see benchmarks/README.md)."""

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
import generator.yamlio as yamlio
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
    files_written: int | None = None
    charts_drawn: int = 0
    mkdocs_s: float | None = None
    mkdocs_cpu: float | None = None
    mkdocs_peak_mb: float | None = None
    pages: int | None = None
    site_mb: float | None = None
    search_index_kb: float | None = None
    largest_page_kb: float | None = None
    largest_page: str | None = None
    pages_over_150kb: int | None = None
    home_html_kb: float | None = None
    home_transfer_kb: float | None = None
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


MKDOCS = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", "site"]


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
    import generator.yamlio as yamlio
    from generator.load import load_inputs

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


def home_transfer(site: Path) -> tuple[int, int]:
    """Bytes of the home page's HTML, and of it plus every CSS, JS and image file it loads."""
    page = site / "index.html"
    html = page.read_text(encoding="utf-8")
    total, seen = page.stat().st_size, set()
    for ref in ASSET.findall(html):
        if ref.startswith(("http:", "https:", "data:", "//")):
            continue
        path = (page.parent / ref).resolve()
        if path not in seen and path.is_file():
            seen.add(path)
            total += path.stat().st_size
    return page.stat().st_size, total


def site_stats(site: Path) -> dict:
    pages = sorted(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    largest = pages[-1]
    home_html, home_total = home_transfer(site)
    return {
        "pages": len(pages),
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20,
        "search_index_kb": (site / "search/search_index.json").stat().st_size / 1024,
        "largest_page_kb": largest.stat().st_size / 1024,
        "largest_page": largest.relative_to(site).as_posix(),
        "pages_over_150kb": sum(1 for p in pages if p.stat().st_size > 150 * 1024),
        "home_html_kb": home_html / 1024, "home_transfer_kb": home_total / 1024,
    }


# --- one scale -----------------------------------------------------------------------------------

def bench(k: int, out: Path, repeat: int, with_mkdocs: bool) -> Result:
    project = make_project(k, out)
    result = Result(k, **data_counts(project / "data"))
    result.size_guard_lifted = result.plan_bytes > YAML_LIMIT
    command = generator_command(result.size_guard_lifted)
    cold, warm, noop = [], [], []
    for _ in range(repeat):
        shutil.rmtree(project / ".cache", ignore_errors=True)
        shutil.rmtree(project / "build", ignore_errors=True)
        cold.append(measure(command, project))
        shutil.rmtree(project / "build")
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
    result.runs = {"cold": [r.seconds for r in cold], "warm": [r.seconds for r in warm],
                   "noop": [r.seconds for r in noop]}
    if with_mkdocs:
        runs = []
        for _ in range(repeat):
            shutil.rmtree(project / "site", ignore_errors=True)
            runs.append(measure(MKDOCS, project))
        result.mkdocs_s, result.mkdocs_cpu = pick(runs).seconds, pick(runs).cpu
        result.mkdocs_peak_mb = max(r.peak_mb for r in runs)
        result.runs["mkdocs"] = [r.seconds for r in runs]
        for key, value in site_stats(project / "site").items():
            setattr(result, key, value)
    return result


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
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "ram": mem,
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


def table(results: list[Result]) -> str:
    columns = [
        ("k", lambda r: str(r.k)),
        ("boards / campaigns / cells", lambda r: f"{r.boards} / {r.campaigns} / {r.cells}"),
        ("report rows", lambda r: str(r.report_rows)),
        ("gen cold s (cpu)", lambda r: f"{_f(r.cold_s)} ({_f(r.cold_cpu, 1)})"),
        ("gen warm s (cpu)", lambda r: f"{_f(r.warm_s)} ({_f(r.warm_cpu, 1)})"),
        ("no-op s (written)", lambda r: f"{_f(r.noop_s)} ({r.noop_written})"),
        ("peak MB", lambda r: _f(max(r.cold_peak_mb, r.warm_peak_mb), 0)),
        ("files written", lambda r: _f(r.files_written)),
        ("charts", lambda r: str(r.charts_drawn)),
        ("mkdocs s (cpu)", lambda r: f"{_f(r.mkdocs_s)} ({_f(r.mkdocs_cpu, 1)})"
         if r.mkdocs_s else "—"),
        ("pages", lambda r: _f(r.pages)),
        ("site MB", lambda r: _f(r.site_mb, 1)),
        ("search KB", lambda r: _f(r.search_index_kb, 0)),
        ("largest page KB", lambda r: _f(r.largest_page_kb, 1)),
        ("home transfer KB", lambda r: _f(r.home_transfer_kb, 0)),
    ]
    lines = ["| " + " | ".join(name for name, _ in columns) + " |",
             "|" + "|".join("---:" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(r) for _, cell in columns) + " |" for r in results]
    return "\n".join(lines)


def verdicts(results: list[Result]) -> list[str]:
    """Each target with the measured figure and whether it is met."""
    by_k = {r.k: r for r in results}
    lines = []

    def verdict(ok: bool, text: str) -> None:
        lines.append(f"- {'✅ met' if ok else '❌ NOT met'}: {text}")

    if 1 in by_k and by_k[1].mkdocs_s:
        real = by_k[1]
        for label, seconds in (("warm chart cache", real.warm_s),
                               ("cold chart cache", real.cold_s)):
            share = seconds / real.mkdocs_s
            verdict(share <= 0.25, f"real data, generator ({label}) ≤ 25% of mkdocs build: "
                                   f"{seconds:.2f} s / {real.mkdocs_s:.2f} s = {share:.0%}")
        verdict(real.noop_s <= 1 and real.noop_written == 0,
                f"real data, no-op rerun ≤ 1 s with 0 files written: {real.noop_s:.2f} s, "
                f"{real.noop_written} written")
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
    if 10 in by_k and by_k[10].pages:
        ten = by_k[10]
        verdict(ten.largest_page_kb < 150, f"k=10, every page's HTML < 150 KB: largest "
                                           f"{ten.largest_page_kb:.1f} KB ({ten.largest_page})")
        verdict(ten.home_transfer_kb < 1024, f"k=10, home page total transfer < 1 MB: "
                                             f"{ten.home_transfer_kb:.0f} KB "
                                             f"(HTML {ten.home_html_kb:.0f} KB)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split(
        "\n")[0])
    parser.add_argument("--k", type=int, nargs="+", default=[1, 10, 100], help="规模倍数")
    parser.add_argument("--repeat", type=int, default=3,
                        help="k ≤ 10 时每项测量的次数（取中位数）；k > 10 只测一次")
    parser.add_argument("--mkdocs-max-k", type=int, default=10,
                        help="只在 k 不超过此值时运行 mkdocs")
    parser.add_argument("--out", type=Path, default=OUT, help="临时项目目录")
    args = parser.parse_args(argv)
    results = []
    for k in args.k:
        print(f"k={k} …", file=sys.stderr, flush=True)
        results.append(bench(k, args.out, args.repeat if k <= 10 else 1, k <= args.mkdocs_max_k))
    info = machine()
    text = "\n".join([
        f"Machine: {info['nproc']} cores, {info['cpu']}, {info['ram']} RAM, "
        f"Python {info['python']} ({info['platform']})", "", table(results), "",
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
