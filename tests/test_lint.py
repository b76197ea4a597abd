"""The code stays ruff-clean (pyproject.toml: line length 100, pyflakes, bugbear, isort)."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "generator", "tests",
                             "benchmarks"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
