"""Test helpers: run the real CLI as a user runs it, and edit scratch copies of data files."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
"""A frozen copy of the sample data (plans, boards, reports, cases, settings with as_of).

Code tests build from it, never from data/, so a district replacing the sample (or a clerk's
first real report) cannot turn a code test red. Only the plan-fidelity tests read data/.
"""
FIXTURE_AS_OF = "2023-10-10"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(cwd: Path, *args: str, env: dict | None = None) -> Run:
    """Run `python -m generator …` in cwd, as a clerk would, and capture what it prints."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "GITHUB_ACTIONS": "", "SITE_URL": "",
                   "GITHUB_STEP_SUMMARY": "", **(env or {})}
    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                            capture_output=True, text=True, env=environment, timeout=300)
    return Run(result.returncode, result.stdout, result.stderr)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


COPIED = ["docs", "overrides", "generator", "mkdocs.yml", "pyproject.toml"]


def copy_project(dest: Path, data: Path = FIXTURE_DATA) -> Path:
    """Copy what a build needs (docs, overrides, generator, config) into dest, with the fixture
    data (or `data`) as its data/."""
    shutil.copytree(data, dest / "data")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    return dest


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve folder on 127.0.0.1 at a free port; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free port
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def generated(docs: Path, page: str) -> Path:
    """The Markdown file of a generated page named by its short name (boards/x.md)."""
    from generator.pages.page import source_path

    return docs / source_path(page)
