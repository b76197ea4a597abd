"""The pull-request summary (`diff --base`): what a data submission changes, in Chinese.

Each test commits the fixture data as the base in a scratch git repository, changes data/ as a
clerk's pull request would, and checks the summary's exact lines.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import FIXTURE_DATA, copy_project, edit, run_cli

REPORT = "data/progress/2023Q2/beigang.csv"
LATEST = "data/progress/2023Q3/beigang.csv"
"""The latest quarter at the fixture's as-of (2023-10-10: statuses decided at 09-25)."""


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "data")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    return root


def summary(root: Path, *extra: str, env: dict | None = None):
    return run_cli(root, "diff", "--base", "main", *extra, env=env)


def test_nothing_changed(repo):
    result = summary(repo)
    assert result.code == 0, result.err
    assert result.out.splitlines()[:3] == [
        "## 本次提交的数据变化（与 main 相比）", "",
        "校验通过，数据截至 2023-10-10，2 条警告（请审核人关注）。"]
    assert "本次提交不改变任何指标的状态。" in result.out
    assert "### 改动的文件" not in result.out


def test_a_report_that_completes_a_target(repo):
    edit(repo / LATEST, "shetuan-huzhu-1,社团组织互助管理,未完成,", "shetuan-huzhu-1,社团组织互助管理,完成,")
    result = summary(repo)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "- 修改 data/progress/2023Q3/beigang.csv" in lines
    assert "### 状态变化（1 项）" in lines
    at = lines.index("#### 北港街道")
    assert lines[at + 2:at + 5] == [
        "| 指标 | 目标任务 | 原状态 | 新状态 |", "|---|---|---|---|",
        "| shetuan-huzhu-1 | 各板块在年底前推动符合条件的社团组织建立安全生产管理机构或配备专兼职联络员。 | "
        "进行中 | 已完成 |"]


def test_a_new_case_a_warning_and_a_quota(repo):
    source = FIXTURE_DATA / "cases/2023/beigang"
    case = repo / "data/cases/2023/xinwen/2023-07-12-fenchen.md"
    shutil.copy2(source / "2023-07-12-fenchen.md", case)
    shutil.copy2(source / "chuchen-zhenggai.png", case.parent)
    edit(case, "board: beigang", "board: xinwen")
    edit(case, "title: ", "title: 新闻街道：")
    edit(repo / REPORT, "mk-zerenxian-1,安全责任保险,89.1,", "mk-zerenxian-1,安全责任保险,0.95,")
    edit(repo / "data/plans/2023.yaml", "beigang: 25\n", "beigang: 30\n")
    edit(repo / "data/plans/2023.yaml", "total: 94", "total: 99")
    result = summary(repo)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    title = next(line for line in case.read_text(encoding="utf-8").splitlines()
                 if line.startswith("title: "))[len("title: "):]
    assert (f"- 新闻街道：{title}（data/cases/2023/xinwen/2023-07-12-fenchen.md）") in lines
    assert "- 2023 年 biaozhunhua-1a：beigang 任务数 25 → 30；全区合计 94 → 99" not in lines
    assert "- 2023 年 biaozhunhua-1a：beigang 任务数 25 → 30" in lines
    assert "- 2023 年 biaozhunhua-1a：全区合计 94 → 99" in lines
    line = next(n for n, text in enumerate((repo / REPORT).read_text(
        encoding="utf-8-sig").splitlines(), 1) if text.startswith("mk-zerenxian-1,"))
    assert (f"- data/progress/2023Q2/beigang.csv:{line}：完成值 0.95 像是小数写法的百分比"
            "（目标 97%，上次报送为 77.8） — 百分比请填 0–100 的数：95% 应写作 95 或 95%；"
            "若确实是 0.95%，可忽略此警告") in lines


def test_a_broken_report_is_listed_and_fails(repo, tmp_path):
    edit(repo / REPORT, "biaozhunhua-1a,企业安全生产标准化达标创建,12,", "biaozhunhua-1a,企业安全生产标准化达标创建,十二,")
    written = tmp_path / "summary.md"
    result = summary(repo, env={"GITHUB_STEP_SUMMARY": str(written)})
    assert result.code == 1
    line = next(n for n, text in enumerate((repo / REPORT).read_text(
        encoding="utf-8-sig").splitlines(), 1) if text.startswith("biaozhunhua-1a,"))
    assert "**校验未通过：1 个问题，须修改后才能合并。**" in result.out
    assert (f"- data/progress/2023Q2/beigang.csv:{line}:3：完成值必须是数字，收到 '十二' — "
            "请填写数字，如 12") in result.out.splitlines()
    assert written.read_text(encoding="utf-8") == result.out


def test_data_strings_cannot_add_markup_or_commands(repo):
    edit(repo / LATEST, "gangjiegou-1,钢结构专项整治,未完成,2023-09-23,示例数据,",
         'gangjiegou-1,钢结构专项整治,完成,2023-09-23,"x\n::warning::pwned | <b>",')
    result = summary(repo)
    assert result.code == 0, result.err
    assert not any(line.startswith("::") for line in result.out.splitlines())


def test_an_unknown_base_is_said_plainly(repo):
    result = run_cli(repo, "diff", "--base", "no-such-branch")
    assert result.code == 0, result.err
    assert "> 注意：无法读取 no-such-branch 的 data/" in result.out
