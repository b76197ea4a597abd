"""Every bad report in the corpus, dropped into a built project, fails cleanly and changes nothing.

The hostile inputs of issue 15 also print exactly the message tests/test_reports.py expects: for
them the project's own report of the same board and quarter is set aside, so the bad file is read
under its own name (the other cases get an x prefix, and their exact messages are checked by
tests/test_reports.py against a plan of their own).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FIXTURE_AS_OF, ROOT, copy_project
from test_reports import BAD as EXPECTED

from generator.cli import main

BAD = ROOT / "tests/corpus/reports/bad"
AS_OF = FIXTURE_AS_OF
HOSTILE = {"impossible-time", "hidden-report-file", "hidden-report-folder", "bidi-override-in-note",
           "nul-in-csv", "note-too-long", "evidence-too-long", "hidden-sheet-with-data",
           "hidden-report-sheet", "formula-without-value", "formula-with-forged-value",
           "external-link", "macro", "macro-enabled-type", "bidi-override-in-xlsx-cell"}


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("built"))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        assert main(["build", "--as-of", AS_OF]) == 0
        assert main(["publish"]) == 0
    return root


def bad_files(case: str) -> list[Path]:
    return [p for p in sorted((BAD / case).rglob("*")) if p.is_file()]


@pytest.mark.parametrize("case", sorted(p.name for p in BAD.iterdir() if p.is_dir()))
def test_bad_report_fails_cleanly_and_keeps_output(built, case, monkeypatch, capsys):
    before, site = tree(built / "build/docs"), tree(built / "site")
    added, aside, quarter = [], built / "aside", built / "data/progress/2023Q2"
    aside.mkdir(exist_ok=True)
    if case in HOSTILE:  # read the bad file under its own name: set the real report aside
        for real in sorted(quarter.glob("beigang.*")):
            real.rename(aside / real.name)
    for source in bad_files(case):
        target = built / "data/progress" / source.relative_to(BAD / case)
        if target.exists():
            target = target.with_name("x" + target.name)  # never overwrite a real report
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        added.append(target)
    monkeypatch.chdir(built)
    try:
        code = main(["build", "--as-of", AS_OF])
    finally:
        for path in added:
            path.unlink()
        for real in sorted(aside.iterdir()):
            real.rename(quarter / real.name)
        for path in added:
            for parent in path.parents:
                if parent == built / "data/progress" or any(parent.iterdir()):
                    break
                parent.rmdir()
    printed = capsys.readouterr()
    assert code == 1, printed.err
    assert "Traceback" not in printed.err + printed.out
    assert "内部错误" not in printed.err
    assert printed.err.strip().splitlines()[-1].endswith("未生成任何文件，上次生成的结果保持不变。")
    assert tree(built / "build/docs") == before
    assert tree(built / "site") == site
    if case in HOSTILE:
        problems = [line for line in printed.err.strip().splitlines()[:-1] if "警告：" not in line]
        assert problems == [f"data/progress/{where}: {message} — {hint}"
                            for where, message, hint in EXPECTED[case]]
