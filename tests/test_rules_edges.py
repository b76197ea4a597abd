"""The edges of the assessment rules that tests/test_rules.py leaves open, one branch at a time.

Each test pins what a page, a download or the open data shows for one cell: its status, what is
expected, its score and the explanation printed beside it; then the calendar's corners, the
indexes, the compliance records and the ranking; last the tables pandas computes (rollups,
the board × campaign matrix, the ranking) on frames small enough to count. Same inline plans
and helpers as tests/test_rules.py; every number is worked out by hand in the comment beside it.
`make mutants` runs these with tests/test_rules.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rules import (
    CONTINUING,
    CUMULATIVE,
    LEVEL,
    MILESTONE,
    MONTHLY,
    OTHER,
    Q1,
    Q2,
    Q4,
    QUARTERLY,
    D,
    catalog,
    cell,
    on_time,
    report,
    reports_of,
    target,
)

from generator.evaluate import (
    Compliance,
    OwnerScore,
    Status,
    evaluate,
    rollup,
    tables,
)
from generator.evaluate.calendar import ReportCalendar, periods_completed, quarter_of
from generator.evaluate.observations import latest
from generator.evaluate.scores import ranked
from generator.inputs.reports import Report, ReportRow

CALENDAR = ReportCalendar(2023, 25)


def judged(got) -> tuple:
    """What a cell row shows: status, expected, score and the explanation."""
    return got.status, got.expected, got.score, got.explanation


# --- the calendar ---------------------------------------------------------------------------

@pytest.mark.parametrize(("every", "start", "until", "periods"), [
    ("day", D(2023, 3, 1), D(2023, 3, 11), 10),      # 03-01 … 03-10
    ("month", D(2023, 3, 1), D(2023, 12, 31), 10),   # March … December: 12-31 ends December
    ("month", D(2022, 11, 1), D(2023, 2, 28), 4),    # across New Year: Nov, Dec, Jan, Feb
    ("month", D(2023, 6, 30), D(2023, 6, 30), 1),    # June's last day ends June, the start's month
    ("quarter", D(2023, 1, 1), Q1, 0),               # the first quarter is not over on 03-25
    ("quarter", D(2023, 1, 1), D(2023, 9, 30), 3),   # 9 months: three quarters
    ("year", D(2023, 1, 1), Q4, 0),
    ("year", D(2023, 1, 1), D(2023, 12, 31), 1),
])
def test_periods_of_every_length(every, start, until, periods):
    assert periods_completed(every, start, until) == periods


@pytest.mark.parametrize(("day", "quarter"), [
    (D(2023, 1, 1), 1), (D(2023, 3, 31), 1), (D(2023, 4, 1), 2), (D(2023, 12, 31), 4)])
def test_quarter_of(day, quarter):
    assert quarter_of(day) == quarter


@pytest.mark.parametrize(("deadline", "judged_at"), [
    (D(2023, 12, 28), (D(2023, 12, 31), 4)),  # after the last report day: at the close
    (D(2024, 6, 30), (D(2024, 6, 30), 4)),    # beyond the plan year: on its own day
])
def test_judgement_after_the_last_report_day(deadline, judged_at):
    assert CALENDAR.judgement(deadline) == judged_at


# --- milestone ----------------------------------------------------------------------------------

COUNT = catalog(target("milestone", deadline="2023-06-30", metric={"kind": "count"},
                       quotas={"beigang": 3}), OTHER)
"""Three by 06-30: judged on the Q3 report day (09-25), in the third quarter's report."""


def test_count_milestone_open_far_from_its_judgement():
    # Q1 point (03-25); the next report (06-25) is before the judgement (09-25): on track
    got = cell(COUNT, on_time(q1={"t_1": 1}), D(2023, 4, 1))
    assert judged(got) == (Status.ON_TRACK, 3, None, "截止日期 2023-06-30，尚未完成")


def test_count_milestone_whose_next_report_is_the_judgement():
    got = cell(COUNT, on_time(q2={"t_1": 2}), D(2023, 6, 26))  # next report 09-25 = judgement
    assert judged(got) == (Status.AT_RISK, 3, None,
                           "截止日期 2023-06-30，下一次报送即为核验，尚未完成")


def test_count_milestone_done_by_its_judgement_report():
    got = cell(COUNT, on_time(q3={"t_1": 3}), D(2023, 9, 26))  # 3 ≥ 3 in Q3, judged in Q3
    assert judged(got) == (Status.DONE, 3, 100.0, "第3季度报表显示已完成")


def test_a_completion_dates_from_the_first_report_that_shows_it():
    # 是 in Q3 (the judgement report) and still 是 in Q4: done in Q3, on time — not late in Q4
    got = cell(MILESTONE, on_time(q3={"t_1": True}, q4={"t_1": True}), D(2023, 12, 26))
    assert judged(got) == (Status.DONE, None, 100.0, "第3季度报表显示已完成")


def test_done_late_with_a_late_factor_of_two_thirds():
    plan = catalog(target("milestone", deadline="2023-06-30", metric={"kind": "count"},
                          quotas={"beigang": 3}), scoring={"late_factor": 0.6667})
    got = cell(plan, on_time(q3={"t_1": 2}, q4={"t_1": 3}), D(2023, 12, 26))
    # reached in Q4, due in Q3: 100 × 0.6667 = 66.67 → 66.7
    assert judged(got) == (Status.DONE_LATE, 3, 66.7,
                           "第4季度报表才显示完成，应在第3季度报表中完成")


def test_count_milestone_overdue_keeps_its_late_share():
    plan = catalog(target("milestone", deadline="2023-06-30", metric={"kind": "count"},
                          quotas={"beigang": 7}))
    got = cell(plan, on_time(q3={"t_1": 1}), D(2023, 9, 26))
    # 1 of 7 × 100 × 0.6 = 8.571 → 8.6
    assert judged(got) == (Status.OVERDUE, 7, 8.6, "截止日期 2023-06-30 已过，未完成")


def test_count_milestone_left_out_of_the_judgement_report_is_overdue_at_zero():
    got = cell(COUNT, on_time(q3={"other": 1}), D(2023, 9, 26))  # a report, no row for t-1
    assert (got.status, got.score) == (Status.OVERDUE, 0.0)


def test_count_milestone_whose_judgement_report_is_missed():
    got = cell(COUNT, on_time(q2={"t_1": 1}), D(2023, 9, 26))  # no Q3 report: judged, 0 points
    assert judged(got) == (Status.NOT_REPORTED, 3, 0.0, "未报送第3季度报表")
    assert (got.stale, got.actual, got.quarter) == (True, 1, 2)


def test_a_value_as_pages_and_downloads_print_it():
    stale = cell(COUNT, on_time(q2={"t_1": 1}), D(2023, 9, 26))  # Q2's 1, Q3 missed
    assert (stale.actual_shown(), stale.actual_shown(blank="")) == ("1（旧）", "1（旧）")
    nothing = cell(COUNT, on_time(q3={"other": 1}), D(2023, 9, 26))  # no row for t-1
    assert (nothing.actual_shown(), nothing.actual_shown(blank="")) == ("—", "")


def test_count_milestone_without_a_quota_is_not_assessed():
    plan = catalog(target("milestone", deadline="2023-06-30", metric={"kind": "count"}))
    got = cell(plan, on_time(q1={"t_1": 1}), D(2023, 4, 1))
    assert judged(got) == (Status.NOT_APPLICABLE, None, None, "缺少目标值，无法评估")


def test_milestone_left_out_before_its_judgement_names_the_judgement_day():
    got = cell(MILESTONE, on_time(q1={"other": 1}), D(2023, 4, 1))
    assert judged(got) == (Status.NOT_DUE, None, None, "截止日期 2023-06-30，于 2023-09-25 核验")


def test_a_done_type_milestone_expects_no_number_even_with_a_quota():
    plan = catalog(target("milestone", deadline="2023-06-30", metric={"kind": "done"},
                          quotas={"beigang": 2}))
    got = cell(plan, on_time(q1={"t_1": False}), D(2023, 4, 1))
    assert (got.status, got.expected) == (Status.ON_TRACK, None)  # judged on 是/否 alone


STEPS = catalog(target("milestone", deadline="2023-12-31", metric={"kind": "count"},
                       quotas={"beigang": 6}, milestones=[{"date": "2023-06-25", "value": 3}]))
"""Six by 12-31 (judged at the close), three of them by 06-25."""


def test_an_interim_milestone_not_yet_reached_by_its_date_is_not_asked():
    got = cell(STEPS, on_time(q1={"t_1": 1}), D(2023, 3, 26))  # 06-25 is after the Q1 point
    assert judged(got) == (Status.ON_TRACK, 6, None, "截止日期 2023-12-31，尚未完成")


def test_an_interim_milestone_met_exactly():
    got = cell(STEPS, on_time(q2={"t_1": 3}), D(2023, 6, 26))  # 3 of 3 by 06-25: not behind
    assert got.status is Status.ON_TRACK


def test_an_interim_milestone_missed():
    got = cell(STEPS, on_time(q2={"t_1": 1}), D(2023, 6, 26))  # 1 of 3 → 33.3
    assert judged(got) == (Status.BEHIND, 3, 33.3, "未达到 2023-06-25 应完成的 3")


def test_an_interim_milestone_of_one_with_nothing_done():
    plan = catalog(target("milestone", deadline="2023-12-31", metric={"kind": "count"},
                          quotas={"beigang": 2}, milestones=[{"date": "2023-06-25", "value": 1}]))
    got = cell(plan, on_time(q2={"t_1": 0}), D(2023, 6, 26))  # 0 < 1 → behind, 0 of 1
    assert (got.status, got.expected, got.score) == (Status.BEHIND, 1, 0.0)


def test_milestone_due_at_the_close_is_at_risk_at_the_fourth_report():
    plan = catalog(target("milestone", deadline="2023-12-31", metric={"kind": "done"}))
    got = cell(plan, on_time(q4={"t_1": False}), D(2023, 12, 26))  # next point: the close
    assert got.status is Status.AT_RISK


def test_milestone_due_after_the_plan_year_is_still_open_at_the_close():
    plan = catalog(target("milestone", deadline="2024-06-30", metric={"kind": "done"}))
    got = cell(plan, on_time(q4={"t_1": False}), D(2023, 12, 31))  # judged on 2024-06-30
    assert judged(got) == (Status.ON_TRACK, None, None, "截止日期 2024-06-30，尚未完成")


def test_a_target_without_a_kind_is_a_milestone():
    plan = catalog({"id": "t-1", "text": "测试目标", "owners": ["各板块"],
                    "deadline": "2023-06-30", "metric": {"kind": "done"}})
    got = cell(plan, on_time(q1={"t_1": False}), D(2023, 4, 1))
    assert (got.kind, got.status) == ("milestone", Status.ON_TRACK)


# --- cumulative ---------------------------------------------------------------------------------

def test_cumulative_at_the_first_report_is_less_than_a_quarter_behind():
    # 12 × 83/364 = 2.7 expected on 03-25; nothing before the first report day: 0 ≤ 0 → at risk
    got = cell(CUMULATIVE, on_time(q1={"t_1": 0}), D(2023, 3, 26))
    assert judged(got) == (Status.AT_RISK, 2.7, 0.0, "按时间进度应完成 2.7，落后不到一个季度")


def test_cumulative_exactly_on_schedule():
    plan = catalog(target("cumulative", deadline="2023-12-31", metric={"kind": "count"},
                          quotas={"beigang": 52}))
    got = cell(plan, on_time(q2={"t_1": 25}), D(2023, 6, 26))
    # from 01-01: 52 × 175/364 = 25.0 expected on 06-25; 25 ≥ 25
    assert judged(got) == (Status.ON_TRACK, 25.0, 100.0, "按时间进度应完成 25")


def test_cumulative_more_than_a_quarter_behind_says_so():
    got = cell(CUMULATIVE, on_time(q2={"t_1": 2}), D(2023, 6, 26))  # 2 < 2.7 (03-25's share)
    assert got.explanation == "按时间进度应完成 5.8，落后超过一个季度"


CUMULATIVE_FROM_Q2 = catalog(target("cumulative", start="2023-06-25", deadline="2023-12-31",
                                    metric={"kind": "count"}, quotas={"beigang": 12}), OTHER)
"""Starts on the Q2 report day: nothing is expected on 06-25 (0 days of 189)."""


def test_cumulative_with_nothing_expected_and_no_row_is_not_due():
    got = cell(CUMULATIVE_FROM_Q2, on_time(q2={"other": 1}), D(2023, 6, 26))
    assert judged(got) == (Status.NOT_DUE, None, None, "截止日期 2023-12-31，尚无应完成数")


def test_cumulative_with_nothing_expected_is_on_track_unscored():
    got = cell(CUMULATIVE_FROM_Q2, on_time(q2={"t_1": 0}), D(2023, 6, 26))
    assert judged(got) == (Status.ON_TRACK, 0.0, None, "尚无应完成数")


def test_cumulative_with_nothing_expected_and_a_missed_report_is_not_scored():
    got = cell(CUMULATIVE_FROM_Q2, [], D(2023, 6, 26))
    assert judged(got) == (Status.NOT_REPORTED, 0.0, None, "未报送第2季度报表")


def test_cumulative_without_a_quota_says_why():
    plan = catalog(target("cumulative", deadline="2023-12-31", metric={"kind": "count"}))
    got = cell(plan, on_time(q2={"t_1": 3}), D(2023, 6, 26))
    assert judged(got) == (Status.NOT_APPLICABLE, None, None, "缺少目标值，无法评估")


def test_cumulative_left_out_when_less_than_one_is_expected():
    plan = catalog(target("cumulative", deadline="2023-12-31", metric={"kind": "count"},
                          quotas={"beigang": 2}), OTHER)
    got = cell(plan, on_time(q1={"other": 1}), D(2023, 3, 26))
    # 2 × 83/364 = 0.456 → 0.5 expected: something is due, so the missing row scores 0
    assert judged(got) == (Status.NOT_REPORTED, 0.5, 0.0, "报表中没有此项的数值")


def test_cumulative_short_at_the_close_says_how_far():
    plan = catalog(target("cumulative", deadline="2023-12-31", metric={"kind": "count"},
                          quotas={"beigang": 7}))
    got = cell(plan, on_time(q4={"t_1": 3}), D(2023, 12, 31))
    # 3 of 7 × 100 × 0.6 = 25.714 → 25.7
    assert judged(got) == (Status.OVERDUE, 7, 25.7, "截止日期 2023-12-31 已过，完成 3/7")


CUMULATIVE_JUNE = catalog(target("cumulative", deadline="2023-06-30", metric={"kind": "count"},
                                 quotas={"beigang": 5}))
"""Five by 06-30: judged on 09-25, in the third quarter's report."""


def test_cumulative_judged_expects_the_whole_quota():
    got = cell(CUMULATIVE_JUNE, on_time(q3={"t_1": 3}), D(2023, 9, 26))
    # 5 expected, not pro-rated past the deadline; 3 of 5 × 100 × 0.6 = 36
    assert (got.status, got.expected, got.score) == (Status.OVERDUE, 5, 36.0)


def test_cumulative_judged_with_the_report_missed_expects_the_whole_quota():
    got = cell(CUMULATIVE_JUNE, on_time(q2={"t_1": 2}), D(2023, 9, 26))  # no Q3 report
    # 5 expected, not 5 × 267/180 = 7.4 pro-rated past 06-30; judged: the missing report scores 0
    assert judged(got) == (Status.NOT_REPORTED, 5, 0.0, "未报送第3季度报表")


def test_cumulative_completed_after_its_judgement_is_done_late():
    got = cell(CUMULATIVE_JUNE, on_time(q3={"t_1": 3}, q4={"t_1": 5}), D(2023, 12, 26))
    assert judged(got) == (Status.DONE_LATE, 5, 60.0,
                           "第4季度报表才显示完成，应在第3季度报表中完成")


# --- level --------------------------------------------------------------------------------------

LEVEL_OTHER = catalog(target("level", deadline="2023-12-31",
                             metric={"kind": "percent", "value": 97, "unit": "%"}), OTHER)


def test_level_with_a_missed_report_before_its_judgement_is_not_scored():
    got = cell(LEVEL, reports_of((1, D(2023, 3, 20), 80)), D(2023, 6, 26))  # no Q2 report
    assert judged(got) == (Status.NOT_REPORTED, 97, None, "未报送第2季度报表")
    assert got.stale


def test_level_with_the_last_report_missed_scores_zero():
    got = cell(LEVEL, reports_of((3, D(2023, 9, 20), 90)), D(2023, 12, 31))  # no Q4 report
    assert (got.status, got.expected, got.score) == (Status.NOT_REPORTED, 97, 0.0)


def test_level_short_at_the_close_names_the_latest_value():
    got = cell(LEVEL, reports_of((4, D(2023, 12, 20), 50)), D(2023, 12, 31))
    # 50/97 × 100 × 0.6 = 30.93 → 30.9
    assert judged(got) == (Status.OVERDUE, 97, 30.9, "2023-12-31 核验时未达到 97，最新为 50")


def test_level_judged_on_a_row_without_a_number():
    got = cell(LEVEL, [report("beigang", 4, D(2023, 12, 20), t_1=None)], D(2023, 12, 31))
    assert judged(got) == (Status.OVERDUE, 97, 0.0, "2023-12-31 核验时未达到 97")


def test_level_reached_at_the_close_expects_its_goal():
    got = cell(LEVEL, reports_of((3, D(2023, 9, 20), 90), (4, D(2023, 12, 20), 98)),
               D(2023, 12, 31))
    assert (got.status, got.expected) == (Status.DONE, 97)


def test_level_short_at_the_last_report_before_its_judgement():
    got = cell(LEVEL, reports_of((4, D(2023, 12, 20), 90)), D(2023, 12, 26))  # next: the close
    assert judged(got) == (Status.AT_RISK, 97, None, "90，尚未达到 97，下一次报送即为核验")


def test_level_without_a_value_far_from_its_judgement_is_not_due():
    got = cell(LEVEL_OTHER, on_time(q2={"other": 1}), D(2023, 6, 26))
    assert judged(got) == (Status.NOT_DUE, 97, None, "截止日期 2023-12-31，尚无数值")


def test_level_without_a_value_at_the_last_report_is_at_risk():
    got = cell(LEVEL_OTHER, on_time(q4={"other": 1}), D(2023, 12, 26))
    assert judged(got) == (Status.AT_RISK, 97, None, "截止日期 2023-12-31，尚无数值")


def test_level_reached_early_must_be_kept():
    got = cell(LEVEL, reports_of((2, D(2023, 6, 20), 97)), D(2023, 6, 26))  # 97 ≥ 97
    assert judged(got) == (Status.ON_TRACK, 97, None, "已达到 97，须保持到截止日期")


def test_level_whose_trend_reaches_the_goal_exactly_is_on_track():
    # 91 on 06-10, 94 on 09-20 (102 days); 102 days more to 12-31 → 94 + 3 = 97, not < 97
    reports = reports_of((2, D(2023, 6, 10), 91), (3, D(2023, 9, 20), 94))
    got = cell(LEVEL, reports, D(2023, 9, 26))
    assert judged(got) == (Status.ON_TRACK, 97, None, "94，截止前须达到 97")


def test_level_trend_uses_the_last_two_reports():
    # 80, 85, 88: from 06-20 to 09-20 +3 in 92 days; 102 days to 12-31 → 88 + 3.3 = 91.3 < 97
    reports = reports_of((1, D(2023, 3, 20), 80), (2, D(2023, 6, 20), 85),
                         (3, D(2023, 9, 20), 88))
    got = cell(LEVEL, reports, D(2023, 9, 26))
    assert judged(got) == (Status.AT_RISK, 97, None, "按目前趋势截止时约为 91.3，达不到 97")


def test_level_with_one_report_has_no_trend():
    got = cell(LEVEL, reports_of((1, D(2023, 3, 20), 80)), D(2023, 3, 26))
    assert (got.status, got.explanation) == (Status.ON_TRACK, "80，截止前须达到 97")


def test_level_with_two_reports_on_one_day_has_no_trend():
    reports = reports_of((1, D(2023, 6, 20), 80), (2, D(2023, 6, 20), 85))  # Q1's came late
    got = cell(LEVEL, reports, D(2023, 6, 26))
    assert (got.status, got.explanation) == (Status.ON_TRACK, "85，截止前须达到 97")


def test_level_without_a_goal_is_not_assessed():
    plan = catalog(target("level", deadline="2023-12-31", metric={"kind": "percent", "unit": "%"}))
    got = cell(plan, reports_of((2, D(2023, 6, 20), 90)), D(2023, 6, 26))
    assert judged(got) == (Status.NOT_APPLICABLE, None, None, "缺少目标值，无法评估")


def test_level_against_a_last_year_of_zero_says_why():
    plan = catalog(target("level", deadline="2023-12-31", metric={"kind": "count"},
                          baseline={"ref": "previous_year", "description": "不低于去年"}))
    got = evaluate(plan, reports_of((4, D(2023, 12, 20), 30)), D(2023, 12, 31),
                   {("t-1", "beigang"): 0}).cell("t-1", "beigang")
    assert got.explanation == "以上一年度数值 0 为目标；基数为 0，“不低于”无从评估"


def test_level_against_last_year_stated_in_the_plan():
    plan = catalog(target("level", deadline="2023-12-31", metric={"kind": "ratio"},
                          baseline={"ref": "previous_year", "description": "不低于去年",
                                    "value": 9.2}))
    got = cell(plan, reports_of((4, D(2023, 12, 20), 9.5)), D(2023, 12, 31))  # 9.5 ≥ 9.2
    assert (got.status, got.goal, got.explanation) == (Status.DONE, 9.2, "第4季度报表显示已完成")


# --- limit --------------------------------------------------------------------------------------

LIMIT = catalog(target("limit", metric={"kind": "count", "op": "<=", "value": 2}), OTHER)


def test_a_red_line_reached_but_not_crossed_is_kept():
    got = cell(LIMIT, on_time(q1={"t_1": 2}), D(2023, 3, 26))  # 2 ≤ 2
    assert judged(got) == (Status.COMPLIANT, 2, 100.0, "2，未超过 2")


def test_a_red_line_broken_twice_names_both_quarters():
    got = cell(LIMIT, on_time(q1={"t_1": 3}, q2={"t_1": 4}, q3={"t_1": 1}), D(2023, 9, 26))
    # kept in Q3 only: 1 of 3 → 33.3
    assert judged(got) == (Status.COMPLIANT, 2, 33.3, "1，未超过 2；第1、2季度曾突破")


def test_a_red_line_breach_says_by_how_much():
    got = cell(LIMIT, on_time(q1={"t_1": 1}, q2={"t_1": 3}), D(2023, 6, 26))
    assert judged(got) == (Status.BREACHED, 2, 50.0, "3 超过红线 2")


def test_a_red_line_left_out_of_the_current_report():
    got = cell(LIMIT, on_time(q1={"t_1": 1}, q2={"other": 1}), D(2023, 6, 26))
    # kept in Q1 of Q1–Q2 → 50
    assert judged(got) == (Status.NOT_REPORTED, 2, 50.0, "报表中没有此项的数值")


def test_a_red_line_without_a_value_is_not_assessed():
    plan = catalog(target("limit", metric={"kind": "count", "op": "<="}))
    got = cell(plan, on_time(q1={"t_1": 1}), D(2023, 3, 26))
    assert judged(got) == (Status.NOT_APPLICABLE, None, None, "缺少目标值，无法评估")


def test_a_red_line_starting_after_the_last_report_day_is_not_due_at_the_close():
    plan = catalog(target("limit", start="2023-12-28",
                          metric={"kind": "count", "op": "<=", "value": 2}))
    got = cell(plan, [], D(2023, 12, 31))  # no report day from 12-28 to 12-31
    assert judged(got) == (Status.NOT_DUE, None, None, "尚未到第一次报送")


def test_a_red_line_checked_monthly_shows_its_ceiling_as_the_goal():
    plan = catalog(target("limit", metric={"kind": "count", "op": "<=", "value": 2},
                          recurrence={"every": "month", "start": "2023-01-01"}))
    assert cell(plan, on_time(q1={"t_1": 1}), D(2023, 3, 26)).goal == 2  # not 11 months


# --- recurring ----------------------------------------------------------------------------------

MONTHLY_OTHER = catalog(target("recurring", metric={"kind": "count", "value": 1},
                               recurrence={"every": "month", "start": "2023-03-01",
                                           "end": "2023-12-31"}), OTHER)


def test_monthly_before_its_first_month_ends_is_not_due():
    got = cell(MONTHLY, [], D(2023, 3, 26))  # March is not over on 03-25
    assert judged(got) == (Status.NOT_DUE, 0.0, None, "尚无已结束的周期")


def test_monthly_with_a_missed_report_scores_zero():
    got = cell(MONTHLY, on_time(q1={"t_1": 0}), D(2023, 6, 26))  # 3 due by 06-25, no Q2 report
    assert judged(got) == (Status.NOT_REPORTED, 3.0, 0.0, "未报送第2季度报表")
    assert got.stale


def test_monthly_left_out_of_the_report_scores_zero():
    got = cell(MONTHLY_OTHER, on_time(q2={"other": 1}), D(2023, 6, 26))
    assert judged(got) == (Status.NOT_REPORTED, 3.0, 0.0, "报表中没有此项的数值")


def test_monthly_row_without_a_number_is_not_reported_and_not_stale():
    got = cell(MONTHLY, [report("beigang", 2, D(2023, 6, 20), t_1=None)], D(2023, 6, 26))
    assert (got.status, got.stale, got.actual) == (Status.NOT_REPORTED, False, None)


@pytest.mark.parametrize(("value", "explanation"), [
    (3, "截至 2023-06-25 应完成 3 次，完成 3 次"),
    (2, "截至 2023-06-25 应完成 3 次，完成 2 次，差一个周期"),
    (1, "截至 2023-06-25 应完成 3 次，完成 1 次"),
])
def test_monthly_explanations_at_the_june_report(value, explanation):
    assert cell(MONTHLY, on_time(q2={"t_1": value}), D(2023, 6, 26)).explanation == explanation


def test_monthly_short_at_the_close_says_so():
    got = cell(MONTHLY, on_time(q4={"t_1": 8}), D(2023, 12, 31))  # March … November: 9
    assert (got.status, got.expected, got.explanation) == (
        Status.OVERDUE, 9.0, "截至 2023-12-25 应完成 9 次，完成 8 次")


def test_twice_monthly_goal_and_deadline_for_the_year():
    plan = catalog(target("recurring", metric={"kind": "count", "value": 2},
                          recurrence={"every": "month", "start": "2023-04-01", "times": 2}))
    got = cell(plan, on_time(q2={"t_1": 4}), D(2023, 6, 26))
    # April … November ended by the last report day (12-25): 8 months × 2 = 16; no end: 12-31
    assert (got.goal, got.deadline) == (16.0, D(2023, 12, 31))


def test_quarterly_done_type_duty_is_confirmed_quarter_by_quarter():
    plan = catalog(target("recurring", metric={"kind": "done"},
                          recurrence={"every": "quarter", "start": "2023-01-01"}))
    got = cell(plan, on_time(q1={"t_1": True}, q2={"t_1": True}), D(2023, 6, 26))
    assert judged(got) == (Status.ON_TRACK, 2.0, 100.0, "2 个季度中 2 个季度报告已开展")
    assert got.goal is None  # 是/否 each quarter: no count to show


def test_quarterly_duty_with_two_quarters_missing_is_behind():
    reports = on_time(q1={"t_1": False}, q2={"t_1": False}, q3={"t_1": True})
    got = cell(QUARTERLY, reports, D(2023, 9, 26))  # 1 of 3 → 33.3
    assert judged(got) == (Status.BEHIND, 3.0, 33.3, "3 个季度中 1 个季度报告已开展")


# --- continuing ---------------------------------------------------------------------------------

def test_continuing_duty_starting_on_a_report_day_counts_that_report():
    plan = catalog(target("continuing", start="2023-06-25"))
    got = cell(plan, on_time(q2={"t_1": True}), D(2023, 6, 26))
    assert judged(got) == (Status.ON_TRACK, 1.0, 100.0, "1 个季度中 1 个季度报告已开展")


def test_continuing_duty_starting_after_the_last_report_day_is_not_due_at_the_close():
    plan = catalog(target("continuing", start="2023-12-28"))
    got = cell(plan, [], D(2023, 12, 31))
    assert judged(got) == (Status.NOT_DUE, None, None, "尚未到第一次报送")


def test_continuing_duty_before_its_start_says_when_it_starts():
    plan = catalog(target("continuing", start="2023-07-01"))
    assert cell(plan, [], D(2023, 6, 26)).explanation == "自 2023-07-01 起执行"


def test_continuing_duty_left_out_of_the_report_keeps_its_record():
    plan = catalog(target("continuing"), OTHER)
    got = cell(plan, on_time(q1={"t_1": True}, q2={"other": 1}), D(2023, 6, 26))
    assert judged(got) == (Status.NOT_REPORTED, 2.0, 50.0,
                           "报表中没有此项的数值；2 个季度中 1 个季度报告已开展")


def test_continuing_duty_confirmed_every_quarter_is_done_at_the_close():
    reports = on_time(q1={"t_1": True}, q2={"t_1": True}, q3={"t_1": True}, q4={"t_1": True})
    got = cell(CONTINUING, reports, D(2023, 12, 31))
    assert judged(got) == (Status.DONE, 4.0, 100.0, "4 个季度中 4 个季度报告已开展")


def test_continuing_duty_not_done_this_quarter():
    reports = on_time(q1={"t_1": True}, q2={"t_1": False}, q3={"t_1": False})
    got = cell(CONTINUING, reports, D(2023, 9, 26))  # 1 of 3 → 33.3
    assert judged(got) == (Status.BEHIND, 3.0, 33.3,
                           "本季度报告未开展；3 个季度中 1 个季度报告已开展")


def test_continuing_duty_is_judged_on_the_latest_quarter():
    got = cell(CONTINUING, on_time(q1={"t_1": False}, q2={"t_1": True}), D(2023, 6, 26))
    # unlike 每季度 (at risk), a 持续推进 duty done this quarter is on track; its record scores
    assert judged(got) == (Status.ON_TRACK, 2.0, 50.0, "2 个季度中 1 个季度报告已开展")


# --- the cell -----------------------------------------------------------------------------------

def test_before_the_first_report_day_nothing_is_shown_yet():
    got = cell(MILESTONE, on_time(q1={"t_1": True}), D(2023, 3, 22))  # filed 03-20, counts 03-26
    assert judged(got) == (Status.NOT_DUE, None, None, "首次报送日为 2023-03-25")
    assert (got.done, got.reported_on, got.quarter) == (None, None, None)


def test_a_cell_carries_the_row_it_was_judged_on():
    row = ReportRow("t-1", 2, None, D(2023, 6, 20), "两家已验收", "", 2)
    got = cell(COUNT, [Report(Path("2/beigang.csv"), "beigang", 2023, 2, (row,))], D(2023, 6, 26))
    assert (got.owner_name, got.is_board, got.role, got.kind, got.goal, got.actual, got.done,
            got.note, got.reported_on, got.quarter, got.deadline) == (
        "北港街道", True, "lead", "milestone", 3, 2, None, "两家已验收", D(2023, 6, 20), 2,
        D(2023, 6, 30))


def test_a_done_type_cell_shows_yes_or_no():
    got = cell(MILESTONE, on_time(q1={"t_1": False}), D(2023, 4, 1))
    assert (got.done, got.actual, got.actual_text) == (False, None, "否")


def test_a_cell_without_rows_has_no_note():
    assert cell(MILESTONE, [], D(2023, 4, 1)).note == ""


def test_a_unit_that_does_not_report_weighs_nothing():
    plan = catalog(target("milestone", deadline="2023-03-31", owners=["市局"],
                          metric={"kind": "done"}))
    evaluation = evaluate(plan, [], D(2023, 12, 31))
    got = evaluation.cell("t-1", "shiju")
    assert (got.weight, got.score) == (0.0, None)
    assert evaluation.board_compliance("shiju") == []  # it hands in no reports


def test_unassessed_items_say_why():
    got = cell(catalog(target("unassessed")), [], D(2023, 12, 31))
    assert got.explanation == "此项不设考核指标，只作公示"


# --- indexes, rollups, compliance ---------------------------------------------------------------

SHARED = catalog(target("milestone", id="t-1", deadline="2023-03-25", metric={"kind": "done"},
                        owners=["各板块", "区局"]),
                 target("milestone", id="t-2", deadline="2023-03-25", metric={"kind": "done"}))
"""Two targets of campaign c (pillar p), judged on 03-25: t-1 for the boards and 区局."""


def test_the_indexes_of_an_evaluation():
    reports = [report("beigang", 1, D(2023, 3, 20), t_1=True, t_2=False)]
    evaluation = evaluate(SHARED, reports, D(2023, 4, 1))

    def keys(cells):
        return [(c.target_id, c.owner) for c in cells]

    assert evaluation.as_of == D(2023, 4, 1)
    assert {slug: keys(cells) for slug, cells in evaluation.by_board.items()} == {
        "beigang": [("t-1", "beigang"), ("t-2", "beigang")],
        "xinwen": [("t-1", "xinwen"), ("t-2", "xinwen")]}
    assert {slug: keys(cells) for slug, cells in evaluation.by_unit.items()} == {
        "quju": [("t-1", "quju")]}
    assert keys(evaluation.by_target["t-1"]) == [("t-1", "beigang"), ("t-1", "xinwen"),
                                                 ("t-1", "quju")]
    everything = [("t-1", "beigang"), ("t-1", "xinwen"), ("t-1", "quju"), ("t-2", "beigang"),
                  ("t-2", "xinwen")]
    assert keys(evaluation.by_campaign["c"]) == keys(evaluation.by_pillar["p"]) == everything
    # one cell of the board × campaign matrix: xinwen's t-1 and t-2, both not reported
    assert evaluation.rollup_of(campaign="c", owner="xinwen").counts[Status.NOT_REPORTED] == 2
    assert evaluation.rollup_of(campaign="c", owner="nobody").total == 0


def test_the_district_rollup_and_the_worst_status():
    reports = [report("beigang", 1, D(2023, 3, 20), t_1=True, t_2=False)]
    evaluation = evaluate(SHARED, reports, D(2023, 4, 1))
    # beigang: t-1 done, t-2 overdue (否 at its judgement); xinwen and 区局 sent nothing: missed
    district = evaluation.district()
    assert {s: n for s, n in district.counts.items() if n} == {
        Status.DONE: 1, Status.OVERDUE: 1, Status.NOT_REPORTED: 3}
    assert (district.total, district.assessed, district.done, district.attention) == (5, 5, 1, 4)
    assert district.counts[Status.ON_TRACK] == 0
    assert district.worst is Status.OVERDUE
    assert evaluation.rollup_of(owner="beigang", campaign="c").worst is Status.OVERDUE
    assert rollup(evaluation.by_board["beigang"][:1]).worst is Status.DONE
    assert rollup([]).worst is None


def test_compliance_on_the_report_day_itself():
    reports = [report("beigang", 1, Q1, t_1=True, t_2=True)]  # filed on 03-25: on time
    records = evaluate(SHARED, reports, Q2).board_compliance("beigang")  # 06-25: Q2 not late yet
    assert [(r.quarter, r.due, r.status, r.submitted_on) for r in records] == [
        (1, Q1, Compliance.ON_TIME, Q1), (2, Q2, Compliance.NOT_DUE, None),
        (3, D(2023, 9, 25), Compliance.NOT_DUE, None), (4, Q4, Compliance.NOT_DUE, None)]


def test_a_report_dated_after_the_as_of_date_waits_but_the_next_one_counts():
    reports = [report("beigang", 1, D(2023, 7, 1), t_1=True, t_2=True),   # Q1's, filed 07-01
               report("beigang", 2, D(2023, 6, 20), t_1=True, t_2=True)]
    records = evaluate(SHARED, reports, D(2023, 6, 26)).board_compliance("beigang")
    assert [r.status for r in records[:2]] == [Compliance.MISSING, Compliance.ON_TIME]


def test_latest_values_of_a_year():
    old = Report(Path("2022/4/beigang.csv"), "beigang", 2022, 4,
                 (ReportRow("t-1", 99, None, D(2022, 12, 20), "", "", 2),))
    reports = [old, *reports_of((1, D(2023, 3, 20), 1), (2, D(2023, 6, 20), 5),
                                (3, D(2023, 9, 20), 7))]
    values = {key: o.value for key, o in latest(reports, 2023, D(2023, 9, 20)).items()}
    assert values == {("t-1", "beigang"): 7}  # 2022's 99 belongs to another year
    values = {key: o.value for key, o in latest(reports, 2023, D(2023, 9, 19)).items()}
    assert values == {("t-1", "beigang"): 5}  # the Q3 row is dated after 09-19


# --- scores and the ranking ---------------------------------------------------------------------

DUE_Q1 = catalog(target("milestone", deadline="2023-03-31", metric={"kind": "done"}))
"""Done by 03-31: judged on 06-25, in the second quarter's report."""


def test_report_score_of_on_time_late_and_missing():
    reports = [report("beigang", 1, D(2023, 3, 20), t_1=False),
               report("beigang", 2, D(2023, 6, 28), t_1=True)]
    got = evaluate(DUE_Q1, reports, D(2023, 9, 26)).scores()[0]
    assert got.report_score == 53.3  # Q1 100, Q2 late 60, Q3 missing 0: 160/3 = 53.33


def test_total_of_weights_that_do_not_add_up_to_one():
    plan = catalog(target("milestone", deadline="2023-03-31", metric={"kind": "done"}),
                   scoring={"task_weight": 0.5, "report_weight": 0.25})
    got = evaluate(plan, [report("beigang", 2, D(2023, 6, 28), t_1=True)], D(2023, 7, 1)).scores()
    # task 100, reports (0 + 60)/2 = 30: (100 × 0.5 + 30 × 0.25) / 0.75 = 76.67
    assert (got[0].name, got[0].task_score, got[0].report_score, got[0].total) == (
        "北港街道", 100.0, 30.0, 76.7)
    assert got[0].rollup.counts[Status.DONE] == 1


def test_no_total_when_neither_tasks_nor_reports_weigh_anything():
    plan = catalog(target("milestone", deadline="2023-03-31", metric={"kind": "done"}),
                   scoring={"task_weight": 0, "report_weight": 0})
    got = evaluate(plan, [report("beigang", 2, D(2023, 6, 28), t_1=True)], D(2023, 7, 1)).scores()
    assert (got[0].task_score, got[0].total, got[0].rank) == (100.0, None, None)


def test_a_board_with_a_total_ranks_before_one_without():
    plan = catalog(target("cumulative", deadline="2023-12-31", metric={"kind": "count"},
                          quotas={"xinwen": 12}))  # beigang has no quota: nothing to score
    got = evaluate(plan, on_time("xinwen", q2={"t_1": 6}), D(2023, 6, 26)).scores()
    # xinwen: 6 ≥ 5.8 → 100; reports Q1 missing 0, Q2 on time 100 → 50; 100×0.8 + 50×0.2 = 90
    assert [(s.slug, s.rank, s.total) for s in got] == [("xinwen", 1, 90.0),
                                                        ("beigang", None, None)]


def test_a_total_of_zero_ranks_below_a_small_one():
    plan = catalog(target("milestone", deadline="2023-03-25", metric={"kind": "count"},
                          quotas={"beigang": 120, "xinwen": 120}),
                   scoring={"task_weight": 1, "report_weight": 0})
    reports = [report("beigang", 1, D(2023, 3, 20), t_1=0), report("xinwen", 1, D(2023, 3, 20),
                                                                   t_1=1)]
    got = evaluate(plan, reports, D(2023, 3, 26)).scores()
    # overdue at 03-25: beigang 0; xinwen 1/120 × 100 × 0.6 = 0.5; the totals are the task scores
    assert [(s.slug, s.rank, s.total) for s in got] == [("xinwen", 1, 0.5), ("beigang", 2, 0.0)]


def test_unit_scores_are_their_own():
    plan = catalog(target("milestone", deadline="2023-03-31", owners=["区局"],
                          metric={"kind": "done"}))
    evaluation = evaluate(plan, on_time("quju", q2={"t_1": True}), D(2023, 6, 26))
    # 区局: done in Q2 → 100; reports Q1 missing 0, Q2 on time 100 → 50; 100×0.8 + 50×0.2 = 90
    assert [(s.slug, s.name, s.task_score, s.report_score, s.total, s.rank)
            for s in evaluation.unit_scores()] == [("quju", "区局", 100.0, 50.0, 90.0, None)]
    assert [(s.slug, s.name, s.total) for s in evaluation.scores()] == [
        ("beigang", "北港街道", None), ("xinwen", "新闻街道", None)]


# --- the tables pandas computes (generator.evaluate.tables) -------------------------------------

def frame_of(*rows: tuple[str, str, str, Status]):
    """A cells frame from (pillar, campaign, owner, status) rows, as tables.cells_frame makes."""
    import pandas as pd

    return pd.DataFrame({
        "pillar": [row[0] for row in rows], "campaign": [row[1] for row in rows],
        "owner": [row[2] for row in rows],
        "status": pd.Categorical([row[3].value for row in rows], categories=tables.STATUS_CODES)})


FIVE = frame_of(("p1", "c1", "beigang", Status.DONE), ("p1", "c1", "xinwen", Status.OVERDUE),
                ("p1", "c2", "beigang", Status.DONE_LATE), ("p2", "c3", "beigang", Status.NOT_DUE),
                ("p2", "c3", "区局", Status.DONE))


def nonzero(item) -> dict[Status, int]:
    return {status: n for status, n in item.counts.items() if n}


def test_five_cells_rolled_up_by_hand():
    (everything,) = tables.rollups(FIVE, ()).values()
    assert list(everything.counts) == list(Status)  # every status, in STATUS_ORDER
    assert nonzero(everything) == {Status.DONE: 2, Status.DONE_LATE: 1, Status.OVERDUE: 1,
                                   Status.NOT_DUE: 1}
    # 5 cells, 4 assessed (not 未到期), 3 done (on time or late): 3/4; 1 needs attention
    assert (everything.total, everything.assessed, everything.done, everything.done_rate,
            everything.attention, everything.worst) == (5, 4, 3, 0.75, 1, Status.OVERDUE)
    by_pillar = tables.rollups(FIVE, ("pillar",))
    assert {key: nonzero(item) for key, item in by_pillar.items()} == {
        "p1": {Status.DONE: 1, Status.DONE_LATE: 1, Status.OVERDUE: 1},
        "p2": {Status.DONE: 1, Status.NOT_DUE: 1}}
    by_owner = tables.rollups(FIVE, ("owner",))
    assert {key: (item.total, item.done) for key, item in by_owner.items()} == {
        "beigang": (3, 2), "xinwen": (1, 0), "区局": (1, 1)}


def test_the_board_by_campaign_matrix_by_hand():
    matrix = tables.rollups(FIVE, ("campaign", "owner"))
    assert {key: nonzero(item) for key, item in matrix.items()} == {
        ("c1", "beigang"): {Status.DONE: 1}, ("c1", "xinwen"): {Status.OVERDUE: 1},
        ("c2", "beigang"): {Status.DONE_LATE: 1}, ("c3", "beigang"): {Status.NOT_DUE: 1},
        ("c3", "区局"): {Status.DONE: 1}}  # no (c2, xinwen): xinwen holds no cell of c2
    table = tables.status_counts(FIVE, ("pillar", "owner"))
    assert list(table.columns) == [status.value for status in Status]
    assert table.loc[("p1", "beigang")].to_dict() == {
        **{status.value: 0 for status in Status}, "done": 1, "done_late": 1}
    assert (matrix[("c3", "beigang")].assessed, matrix[("c3", "beigang")].done_rate,
            matrix[("c3", "beigang")].worst) == (0, None, Status.NOT_DUE)


def test_the_rollups_of_an_evaluation():
    reports = [report("beigang", 1, D(2023, 3, 20), t_1=True, t_2=False)]
    evaluation = evaluate(SHARED, reports, D(2023, 4, 1))
    # beigang: t-1 done, t-2 overdue; xinwen (t-1, t-2) and 区局 (t-1) sent nothing: missed
    assert list(evaluation.frame.columns) == ["target", "owner", "is_board", "campaign",
                                              "pillar", "status"]
    assert evaluation.frame["owner"].tolist() == ["beigang", "xinwen", "quju", "beigang",
                                                  "xinwen"]
    assert nonzero(evaluation.rollup_of(pillar="p")) == nonzero(evaluation.district()) == {
        Status.DONE: 1, Status.OVERDUE: 1, Status.NOT_REPORTED: 3}
    assert nonzero(evaluation.rollup_of(owner="beigang")) == {Status.DONE: 1, Status.OVERDUE: 1}
    assert nonzero(evaluation.rollup_of(owner="quju")) == {Status.NOT_REPORTED: 1}
    assert nonzero(evaluation.rollup_of(campaign="c", owner="xinwen")) == {
        Status.NOT_REPORTED: 2}
    assert nonzero(evaluation.rollup_of(pillar="p", owner="beigang")) == {Status.DONE: 1,
                                                                          Status.OVERDUE: 1}
    nobody = evaluation.rollup_of(campaign="c", owner="nobody")
    assert (nobody.total, nobody.done_rate, nobody.worst) == (0, None, None)
    assert evaluation.rollup_of(pillar="elsewhere").total == 0
    scores = {score.slug: score.rollup for score in evaluation.scores()}
    assert (scores["beigang"].done, scores["xinwen"].counts[Status.NOT_REPORTED]) == (1, 2)


def test_an_evaluation_without_cells_counts_nothing():
    evaluation = evaluate(catalog(target("unassessed", owners=[])), [], D(2023, 12, 31))
    assert evaluation.cells == [] and evaluation.district().total == 0
    assert evaluation.rollup_of(owner="beigang").total == 0
    assert [(s.slug, s.rank, s.rollup.total) for s in evaluation.scores()] == [
        ("beigang", None, 0), ("xinwen", None, 0)]


def owner(slug: str, total: float | None) -> OwnerScore:
    return OwnerScore(slug, slug, rollup([]), None, None, total)


def test_three_boards_with_a_tie_ranked_by_hand():
    order = {"dong": 0, "nan": 1, "xi": 2, "bei": 3}  # directory order
    got = ranked([owner("xi", 80.0), owner("bei", None), owner("nan", 95.5),
                  owner("dong", 80.0)], order)
    # 95.5 first; the two 80.0 share rank 2, dong before xi (directory order); no total, no rank
    assert [(s.slug, s.rank) for s in got] == [("nan", 1), ("dong", 2), ("xi", 2), ("bei", None)]
    assert tables.ranking([80.0, None, 95.5, 80.0], [2, 3, 1, 0]) == [
        (2, 1), (3, 2), (0, 2), (1, None)]


def test_a_rank_after_a_tie_skips_the_places_the_tie_took():
    got = tables.ranking([70.0, 90.0, 90.0, 90.0, 0.0, None, None], [0, 1, 2, 3, 4, 6, 5])
    # 90 × 3 share 1; 70 is 4th (three boards above it); 0.0 is 5th; the Nones by order: 6, 5
    assert got == [(1, 1), (2, 1), (3, 1), (0, 4), (4, 5), (6, None), (5, None)]
    assert tables.ranking([0.1 + 0.2, 0.3], [0, 1]) == [(0, 1), (1, 2)]  # equal means equal
    assert tables.ranking([None, None], [1, 0]) == [(1, None), (0, None)]
    assert tables.ranking([], []) == []
