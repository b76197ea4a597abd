"""Every bad report in the corpus, dropped into a built project, fails cleanly and changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FIXTURE_AS_OF, FIXTURE_DATA, ROOT

from generator.cli import main

BAD = ROOT / "tests/corpus/reports/bad"
AS_OF = FIXTURE_AS_OF


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(FIXTURE_DATA, root / "data")
    shutil.copytree(ROOT / "docs", root / "docs")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        assert main(["build", "--as-of", AS_OF]) == 0
    return root


def bad_files(case: str) -> list[Path]:
    return [p for p in sorted((BAD / case).rglob("*")) if p.is_file()]


@pytest.mark.parametrize("case", sorted(p.name for p in BAD.iterdir() if p.is_dir()))
def test_bad_report_fails_cleanly_and_keeps_output(built, case, monkeypatch, capsys):
    before = tree(built / "build/docs")
    added = []
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
