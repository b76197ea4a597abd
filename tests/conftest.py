"""Shared fixtures: a scratch copy of the real data for the CLI to run on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import ROOT


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A folder holding a copy of data/ (plans, boards, reports), where the CLI runs."""
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("cases"))
    (tmp_path / "data" / "cases").mkdir()
    return tmp_path
