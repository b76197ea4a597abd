"""Lighthouse 12.2.3, mobile, on home, a board and a campaign page of a site (`make lighthouse`).

The site is served by benchmarks.serve (gzip copies, cache headers) as a gzip_static host would;
Chromium is Debian's /usr/bin/chromium. Lighthouse's mobile preset simulates a slow phone (4×
CPU slowdown, slow 4G); on a busy machine the CPU part swings by ±10 points, so each page is
measured several times and the median run is reported.

    python -m benchmarks.lighthouse site --lighthouse path/to/node_modules/.bin/lighthouse
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.serve import serving

PAGES = {"home": "/", "board": "/boards/beigang/", "campaign": "/campaigns/biaozhunhua/"}
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-background-networking "
                "--disable-component-update")
METRICS = {"FCP": "first-contentful-paint", "LCP": "largest-contentful-paint",
           "TBT": "total-blocking-time", "CLS": "cumulative-layout-shift",
           "SI": "speed-index"}


def run_once(lighthouse: Path, url: str) -> dict:
    """One Lighthouse run: performance score, the five metrics, bytes transferred."""
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.json"
        subprocess.run([str(lighthouse), url, "--quiet", "--only-categories=performance",
                        "--form-factor=mobile", f"--chrome-flags={CHROME_FLAGS}",
                        "--output=json", f"--output-path={report}"],
                       env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True,
                       capture_output=True)
        data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    result = {"score": round(data["categories"]["performance"]["score"] * 100),
              "kb": round(audits["total-byte-weight"]["numericValue"] / 1024)}
    for name, audit in METRICS.items():
        result[name] = audits[audit]["numericValue"]
    return result


def measure(site: Path, lighthouse: Path, runs: int) -> dict[str, dict]:
    results = {}
    with serving(site) as base:
        for kind, path in PAGES.items():
            samples = [run_once(lighthouse, base + path) for _ in range(runs)]
            median = statistics.median_low(s["score"] for s in samples)
            results[kind] = {**next(s for s in samples if s["score"] == median),
                             "scores": [s["score"] for s in samples]}
            print(f"{kind}: {format_result(results[kind])}", file=sys.stderr, flush=True)
    return results


def format_result(r: dict) -> str:
    return (f"{r['score']} (runs {'/'.join(map(str, r['scores']))}), FCP {r['FCP'] / 1000:.1f} s,"
            f" LCP {r['LCP'] / 1000:.1f} s, TBT {r['TBT']:.0f} ms, CLS {r['CLS']:.3f},"
            f" {r['kb']} KB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lighthouse",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path, help="已构建的站点目录（如 site）")
    parser.add_argument("--lighthouse", type=Path, required=True,
                        help="lighthouse 可执行文件（make lighthouse 会安装 12.2.3）")
    parser.add_argument("--runs", type=int, default=3, help="每页测量次数，取中位数（默认 3）")
    parser.add_argument("--json", type=Path, help="把结果另存为 JSON")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} 下没有 index.html：请先运行 make site")
    results = measure(args.site, args.lighthouse, args.runs)
    print("| page | score | FCP | LCP | TBT | CLS | transfer |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind, r in results.items():
        print(f"| {kind} | {r['score']} | {r['FCP'] / 1000:.1f} s | {r['LCP'] / 1000:.1f} s | "
              f"{r['TBT']:.0f} ms | {r['CLS']:.3f} | {r['kb']} KB |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
