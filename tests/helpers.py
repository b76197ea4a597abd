"""Test helpers: run the real CLI as a user runs it, and edit scratch copies of data files."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(cwd: Path, *args: str, env: dict | None = None) -> Run:
    """Run `python -m generator …` in cwd, as a clerk would, and capture what it prints."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "GITHUB_ACTIONS": "", **(env or {})}
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
