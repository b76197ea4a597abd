"""Shared fixtures: a scratch copy of the real data for the CLI to run on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FIXTURE_DATA


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A folder holding a copy of data/ (plans, boards, reports), where the CLI runs."""
    shutil.copytree(FIXTURE_DATA, tmp_path / "data", ignore=shutil.ignore_patterns("cases"))
    (tmp_path / "data" / "cases").mkdir()
    return tmp_path


def pytest_terminal_summary(terminalreporter):
    """Say how many browser tests ran, so a CI log shows they were not silently skipped."""
    counts = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        reports = terminalreporter.stats.get(outcome, [])
        counts[outcome] = sum(1 for r in reports if "browser" in getattr(r, "keywords", {}))
    if any(counts.values()):
        terminalreporter.write_line(
            f"browser tests: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['skipped']} skipped")
