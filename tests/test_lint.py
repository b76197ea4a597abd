"""The code stays ruff-clean (pyproject.toml: line length 100, pyflakes, bugbear, isort) and
mypy-clean (pyproject.toml's [tool.mypy]: every function checked, possibly-undefined names too).

`make lint` runs the same two commands; mypy takes ≈15 s cold, ≈1 s with its .mypy_cache.
"""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "generator", "tests",
                             "benchmarks"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean():
    result = subprocess.run([sys.executable, "-m", "mypy", "generator"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
