"""Warnings for valid but suspicious reports: exact messages, and how validate shows them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from helpers import edit, run_cli

from generator.common.problems import Problems
from generator.inputs.report_checks import TargetFacts, report_warnings
from generator.inputs.reports import Report, ReportRow

RATE = TargetFacts("percent", ">=", False, {"beigang": 97})
COUNT = TargetFacts("count", ">=", True, {"beigang": 25})
FACTS = {"mk-zerenxian-1": RATE, "biaozhunhua-1a": COUNT}


def report(quarter: int, *rows: tuple[str, float, str], board: str = "beigang") -> Report:
    return Report(Path(f"data/progress/2023Q{quarter}/{board}.csv"), board, 2023, quarter,
                  tuple(ReportRow(target, value, None, dt.date.fromisoformat(day), "", "", line)
                        for line, (target, value, day) in enumerate(rows, start=2)))


def warnings(*reports: Report) -> list[str]:
    problems = Problems()
    report_warnings(reports, FACTS, problems)
    assert not problems  # warnings never count as problems
    return [warning.format() for warning in problems.warnings]


def test_a_fraction_on_a_percent_target_after_a_percentage():
    assert warnings(report(2, ("mk-zerenxian-1", 89.1, "2023-06-25")),
                    report(3, ("mk-zerenxian-1", 0.95, "2023-09-25"))) == [
        "data/progress/2023Q3/beigang.csv:2: 警告：完成值 0.95 像是小数写法的百分比"
        "（目标 97%，上次报送为 89.1） — 百分比请填 0–100 的数：95% 应写作 95 或 95%；"
        "若确实是 0.95%，可忽略此警告"]


def test_a_small_percentage_after_a_small_one_is_not_suspicious():
    assert warnings(report(2, ("mk-zerenxian-1", 0.5, "2023-06-25")),
                    report(3, ("mk-zerenxian-1", 0.8, "2023-09-25"))) == [
        "data/progress/2023Q2/beigang.csv:2: 警告：完成值 0.5 像是小数写法的百分比（目标 97%） — "
        "百分比请填 0–100 的数：50% 应写作 50 或 50%；若确实是 0.5%，可忽略此警告"]


def test_a_running_total_lower_than_last_quarter():
    assert warnings(report(2, ("biaozhunhua-1a", 15, "2023-06-25")),
                    report(3, ("biaozhunhua-1a", 12, "2023-09-25"))) == [
        "data/progress/2023Q3/beigang.csv:2: 警告：累计完成值 12 低于2023年第2季度报送的 15 — "
        "完成值应填截至上报日期的累计数（不是本季度新增数）；如系更正以前的数字，请在“说明”中写明"]


def test_a_value_ten_times_the_goal():
    assert warnings(report(2, ("biaozhunhua-1a", 250, "2023-06-25"))) == [
        "data/progress/2023Q2/beigang.csv:2: 警告：完成值 250 是目标 25 的 10 倍 — "
        "请核对是否多写了数字或填错了行"]


def test_nine_times_the_goal_is_not_wild():
    assert warnings(report(2, ("biaozhunhua-1a", 225, "2023-06-25"))) == []


def test_every_date_in_the_next_quarter():
    assert warnings(report(2, ("biaozhunhua-1a", 5, "2023-07-02"),
                           ("mk-zerenxian-1", 90, "2023-07-03"))) == [
        "data/progress/2023Q2/beigang.csv:2: 警告：本报表的上报日期都在 2023年第3季度，却放在 "
        "2023Q2 文件夹 — 如是 2023Q3 的报表，请移到 data/progress/2023Q3/；"
        "如是迟报的上季度报表，可忽略此警告"]


def test_one_date_in_the_quarter_is_enough():
    assert warnings(report(2, ("biaozhunhua-1a", 5, "2023-07-02"),
                           ("mk-zerenxian-1", 90, "2023-06-25"))) == []


def test_validate_shows_warnings_and_passes(workspace: Path):
    path = workspace / "data/progress/2023Q2/beigang.csv"
    edit(path, "biaozhunhua-1a,企业安全生产标准化达标创建,12,", "biaozhunhua-1a,企业安全生产标准化达标创建,250,")
    result = run_cli(workspace, "validate")
    assert result.code == 0, result.err
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1)
                if text.startswith("biaozhunhua-1a,"))
    assert (f"data/progress/2023Q2/beigang.csv:{line}: 警告：完成值 250 是目标 25 的 10 倍 — "
            "请核对是否多写了数字或填错了行") in result.err
    assert "条警告（见上，不影响生成）" in result.out
    annotated = run_cli(workspace, "validate", env={"GITHUB_ACTIONS": "true"})
    assert (f"::warning file=data/progress/2023Q2/beigang.csv,line={line}::完成值 250 是目标 25 的 "
            "10 倍 — 请核对是否多写了数字或填错了行") in annotated.out.splitlines()
