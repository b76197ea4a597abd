"""CI output injection (issue 15, point 3): nothing from data/ can start a workflow command.

Under GitHub Actions any line a step prints that starts with `::` is a command (`::warning`,
`::stop-commands::<token>` switches every later annotation off). The CLI prints its own
`::error`/`::warning file=…` annotations; a report cell or a file name holding a line break and
`::…` must stay inside one of them, escaped as GitHub's toolkit escapes it (escapeData for the
message: % CR LF; escapeProperty for `file=`: also `:` and `,`).

tests/test_submission.py checks the summary's lines without GITHUB_ACTIONS; here every command
runs as CI runs it (GITHUB_ACTIONS=true) and every line of stdout and stderr is checked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import FIXTURE_AS_OF, Run, copy_project, run_cli

CI = {"GITHUB_ACTIONS": "true"}
QUARTER = "data/progress/2023Q3"
REPORT = f"{QUARTER}/beigang.csv"
ANNOTATION = re.compile(r"::(error|warning) file=[^,:\s]+(,line=\d+)?(,col=\d+)?::\S")
"""The project's own workflow commands; escapeProperty leaves no `,` or `:` in a file name."""
COMMA = "bei,gang::x"
NEWLINE = "x\n::warning::pwned"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org",
                    *args], check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The fixture project committed as `main`, then given the hostile report and file names."""
    root = copy_project(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "data")
    git(root, "commit", "-qm", "base")
    report = root / REPORT
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith("xianchang-tisheng-1,") and lines[2].startswith("xianchang-tisheng-2a,")
    # Quoted cells with a line break: a 完成值 (refused, and quoted in the message), a 说明
    # (accepted as it is), and a 指标编号 (refused).
    lines[1] = ('xianchang-tisheng-1,x,"完成\n::stop-commands::x",2023-09-23,'
                '"n\n::warning::pwned",')
    lines[2] = '"nosuch\n::warning::pwned",x,1,2023-09-23,,'
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in (COMMA, NEWLINE):
        shutil.copy2(root / QUARTER / "xilin.csv", root / QUARTER / f"{name}.csv")
    return root


def commands(result: Run) -> list[str]:
    """Every printed line that a runner would read as a workflow command."""
    return [line for line in (result.out + "\n" + result.err).splitlines() if line.startswith("::")]


def assert_only_own_annotations(result: Run) -> list[str]:
    found = commands(result)
    assert found, "GITHUB_ACTIONS=true: the problems must be annotated"
    assert [line for line in found if not ANNOTATION.match(line)] == []
    assert not any("stop-commands" in line.split("::", 2)[1] for line in found)
    return found


@pytest.mark.parametrize("command", [("validate",), ("build", "--as-of", FIXTURE_AS_OF)])
def test_report_cells_and_file_names_stay_inside_annotations(project, command):
    result = run_cli(project, *command, env=CI)
    assert result.code == 1, result.out + result.err
    found = assert_only_own_annotations(result)
    assert (f"::error file={QUARTER}/bei%2Cgang%3A%3Ax.csv::未知的板块编号 'bei,gang::x' — "
            "是否应为 'beigang'？（文件名须为板块编号，如 beigang.csv）") in found
    assert (f"::error file={QUARTER}/x%0A%3A%3Awarning%3A%3Apwned.csv::未知的板块编号 "
            "'x\\n::warning::pwned' — 可用的板块有：beigang、hehuachi、nandajie、quju、wuxing、"
            "xilin、xinwen、yonghong、zouqu（文件名须为板块编号，如 beigang.csv）") in found
    assert (f"::error file={REPORT},line=2,col=3::完成情况无法识别，收到 "
            "'完成\\n::stop-commands::x' — 请填写 是 或 否（也可填 完成/未完成、1/0）") in found
    assert any(line.startswith(f"::error file={REPORT},line=5,col=1::未知的指标编号 "
                               "'nosuch\\n::warning::pwned' — ") for line in found)
    # The same problems on stderr for people: one line each, the line break shown as \n.
    assert (f"{QUARTER}/x\\n::warning::pwned.csv: 未知的板块编号 'x\\n::warning::pwned'"
            in result.err)


def test_a_percent_in_a_message_is_escaped(project):
    """escapeData: `%0A` typed into a cell must not become a line break in the annotation."""
    report = project / REPORT
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace('"nosuch\n::warning::pwned"', "nosuch%0A::warning::pwned"),
                      encoding="utf-8")
    found = assert_only_own_annotations(run_cli(project, "validate", env=CI))
    assert any(line.startswith(f"::error file={REPORT},line=5,col=1::未知的指标编号 "
                               "'nosuch%250A::warning::pwned' — ") for line in found)


def test_the_pull_request_summary_prints_no_command(project):
    """`diff --base` (the job summary, also printed to the log) under GITHUB_ACTIONS=true."""
    result = run_cli(project, "diff", "--base", "main", env=CI)
    assert result.code == 1, result.out + result.err
    assert [line for line in commands(result) if not ANNOTATION.match(line)] == []
    lines = result.out.splitlines()
    # One Markdown line each; the line break shown as \n (its backslash escaped for Markdown).
    assert f"- 新增 {QUARTER}/x\\\\n::warning::pwned.csv" in lines
    assert f"- 新增 {QUARTER}/bei,gang::x.csv" in lines
    assert (f"- {REPORT}:2:3：完成情况无法识别，收到 '完成\\\\n::stop-commands::x' — 请填写 是 或 否"
            "（也可填 完成/未完成、1/0）") in lines
