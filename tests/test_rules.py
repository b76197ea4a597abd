"""The assessment rules, one kind and one edge at a time, with hand-computed expectations.

Every test builds a one-target plan inline, gives two boards (beigang, xinwen) and the district
bureau (quju) some reports, evaluates at one 数据截至 date and compares the cell with numbers
worked out by hand in the comment beside it. Nothing here reads data/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.evaluate import Status, evaluate
from generator.evaluate.calendar import ReportCalendar, periods_completed
from generator.inputs.catalog import Catalog
from generator.inputs.models import Directory, Plan
from generator.inputs.reports import Report, ReportRow

D = dt.date
Q1, Q2, Q3, Q4 = D(2023, 3, 25), D(2023, 6, 25), D(2023, 9, 25), D(2023, 12, 25)

DIRECTORY = Directory.model_validate({
    "boards": [{"slug": "beigang", "name": "北港街道", "short": "北港"},
               {"slug": "xinwen", "name": "新闻街道", "short": "新闻"}],
    "units": [{"name": "区局", "full_name": "区应急管理局", "level": "区", "slug": "quju",
               "reports": True},
              {"name": "市局", "full_name": "市应急管理局", "level": "市", "slug": "shiju"},
              {"name": "各板块", "full_name": "各板块", "level": "板块", "all_boards": True}],
    "contacts": [],
})


def catalog(*targets: dict, scoring: dict | None = None) -> Catalog:
    plan = Plan.model_validate({
        "year": 2023,
        "notice": {"number": "测试〔2023〕1号", "title": "测试计划", "issuer": "测试局",
                   "date": "2023-03-20", "recipients": ["各板块"], "preamble": "测试。",
                   "requirements": [], "attachment": "附件", "closing": "完。",
                   "report_day": 25},
        **({"scoring": scoring} if scoring else {}),
        "pillars": [{"id": "p", "no": 1, "name": "类别", "short": "类别", "groups": [
            {"campaigns": [{"id": "c", "name": "专项", "responsible": ["各板块"],
                            "contacts": [], "targets": list(targets)}]}]}],
    })
    return Catalog.build(DIRECTORY, plan)


def target(kind: str, **fields) -> dict:
    return {"id": fields.pop("id", "t-1"), "text": "测试目标", "kind": kind,
            "owners": fields.pop("owners", ["各板块"]), **fields}


def report(owner: str, quarter: int, on: D, **rows) -> Report:
    """A report of `owner` for `quarter`, every row dated `on`: t_1=12 or t_1=True (是)."""
    parsed = []
    for line, (name, value) in enumerate(rows.items(), start=2):
        done = value if isinstance(value, bool) else None
        parsed.append(ReportRow(name.replace("_", "-"), None if done is not None else value,
                                done, on, "", "", line))
    return Report(Path(f"{quarter}/{owner}.csv"), owner, 2023, quarter, tuple(parsed))


def cell(plan: Catalog, reports: list[Report], as_of: D, owner: str = "beigang",
         target_id: str = "t-1"):
    found = evaluate(plan, reports, as_of).cell(target_id, owner)
    assert found is not None, (target_id, owner)
    return found


def on_time(owner: str = "beigang", **rows) -> list[Report]:
    """Reports for the quarters named q1..q4 in rows: q2={"t_1": 5} → the Q2 report, on 06-20."""
    days = {1: D(2023, 3, 20), 2: D(2023, 6, 20), 3: D(2023, 9, 20), 4: D(2023, 12, 20)}
    return [report(owner, int(key[1]), days[int(key[1])], **values)
            for key, values in sorted(rows.items())]


# --- the calendar ---------------------------------------------------------------------------

CALENDAR = ReportCalendar(2023, 25)


@pytest.mark.parametrize(("as_of", "expected"), [
    (D(2023, 3, 25), None),            # the report day itself: reports still coming in
    (D(2023, 3, 26), (Q1, 1, False)),
    (D(2023, 6, 25), (Q1, 1, False)),
    (D(2023, 9, 10), (Q2, 2, False)),  # between reports: decided at 06-25, not on 09-10
    (D(2023, 12, 30), (Q4, 4, False)),
    (D(2023, 12, 31), (D(2023, 12, 31), 4, True)),  # the close counts on 12-31 itself
    (D(2024, 1, 15), (D(2023, 12, 31), 4, True)),
])
def test_evaluation_points(as_of, expected):
    point = CALENDAR.point_at(as_of)
    assert (None if point is None else (point.date, point.quarter, point.closed)) == expected


@pytest.mark.parametrize(("deadline", "judged"), [
    (D(2023, 2, 28), (Q1, 1)),   # before the notice: judged at the first report
    (D(2023, 3, 25), (Q1, 1)),   # a report day: that report
    (D(2023, 3, 31), (Q2, 2)),   # work done by 03-31 is reported on 06-25
    (D(2023, 6, 30), (Q3, 3)),
    (D(2023, 9, 30), (Q4, 4)),
    (D(2023, 12, 31), (D(2023, 12, 31), 4)),  # after the last report day: the close
])
def test_judgement_dates(deadline, judged):
    assert CALENDAR.judgement(deadline) == judged


@pytest.mark.parametrize(("every", "start", "until", "periods"), [
    ("month", D(2023, 3, 1), Q2, 3),             # March, April, May; June is not over
    ("month", D(2023, 3, 1), D(2023, 6, 30), 4),  # the last day of June ends June
    ("month", D(2023, 3, 1), Q4, 9),             # March … November: no December on 12-25
    ("month", D(2023, 4, 1), Q2, 2),
    ("quarter", D(2023, 1, 1), Q2, 1),
    ("month", D(2023, 7, 1), Q2, 0),
])
def test_periods_completed(every, start, until, periods):
    assert periods_completed(every, start, until) == periods


# --- milestone: done once by a deadline -------------------------------------------------------

OTHER = target("milestone", id="other", metric={"kind": "count"}, quotas={"beigang": 1})
"""A second target, so that a board can hand in a report without a row for t-1."""
MILESTONE = catalog(target("milestone", deadline="2023-06-30", metric={"kind": "done"}), OTHER)
"""Deadline 06-30: judged on the Q3 report day (09-25)."""


def test_milestone_left_out_of_a_report_before_its_judgement_is_not_due():
    reports = on_time(q1={"other": 1})  # the form: rows not reported this quarter are deleted
    assert cell(MILESTONE, reports, D(2023, 4, 1)).status is Status.NOT_DUE


def test_milestone_of_a_board_that_sent_no_report_is_not_reported():
    got = cell(MILESTONE, [], D(2023, 4, 1))
    assert (got.status, got.explanation, got.score) == (
        Status.NOT_REPORTED, "未报送第1季度报表", None)


def test_milestone_open_and_far_from_its_judgement_is_on_track():
    got = cell(MILESTONE, on_time(q1={"t_1": False}), D(2023, 4, 1))
    assert (got.status, got.score) == (Status.ON_TRACK, None)  # no points for being open


def test_milestone_whose_next_report_is_the_judgement_is_at_risk():
    reports = on_time(q1={"t_1": False}, q2={"t_1": False})
    assert cell(MILESTONE, reports, D(2023, 6, 26)).status is Status.AT_RISK


def test_milestone_done_by_its_judgement_report():
    reports = on_time(q2={"t_1": False}, q3={"t_1": True})
    got = cell(MILESTONE, reports, D(2023, 9, 26))
    assert (got.status, got.score) == (Status.DONE, 100.0)


def test_milestone_done_after_its_judgement_report_is_done_late():
    reports = on_time(q3={"t_1": False}, q4={"t_1": True})
    got = cell(MILESTONE, reports, D(2023, 12, 26))
    assert (got.status, got.score) == (Status.DONE_LATE, 60.0)  # 100 × late factor 0.6


def test_milestone_not_done_when_judged_is_overdue():
    got = cell(MILESTONE, on_time(q3={"t_1": False}), D(2023, 9, 26))
    assert (got.status, got.score) == (Status.OVERDUE, 0.0)


def test_milestone_on_its_deadline_day_and_judgement_day_is_not_yet_overdue():
    reports = on_time(q2={"t_1": False})
    assert cell(MILESTONE, reports, D(2023, 6, 30)).status is Status.AT_RISK
    assert cell(MILESTONE, reports, D(2023, 9, 25)).status is Status.AT_RISK
    assert cell(MILESTONE, reports, D(2023, 9, 26)).status is Status.NOT_REPORTED  # Q3 missed


def test_a_missed_report_is_not_reported_and_its_value_is_stale():
    got = cell(MILESTONE, on_time(q1={"t_1": False}), D(2023, 6, 26))
    assert (got.status, got.stale, got.quarter, got.score) == (
        Status.NOT_REPORTED, True, 1, None)  # not judged yet: not scored


def test_a_late_report_counts_for_its_own_quarter():
    late = [report("beigang", 3, D(2023, 10, 8), t_1=True)]
    assert cell(MILESTONE, late, D(2023, 10, 1)).status is Status.NOT_REPORTED
    got = cell(MILESTONE, late, D(2023, 10, 8))
    assert (got.status, got.reported_on) == (Status.DONE, D(2023, 10, 8))


def test_a_correction_below_the_goal_undoes_a_completion():
    reports = on_time(q2={"t_1": True}, q3={"t_1": False})
    assert cell(MILESTONE, reports, D(2023, 9, 26)).status is Status.OVERDUE


def test_count_milestone_partial_when_judged_scores_its_share_late():
    plan = catalog(target("milestone", deadline="2023-06-30",
                          metric={"kind": "count"}, quotas={"beigang": 3}))
    got = cell(plan, on_time(q3={"t_1": 2}), D(2023, 9, 26))
    assert (got.status, got.score) == (Status.OVERDUE, 40.0)  # 2/3 × 100 × 0.6


def test_missed_interim_milestone_is_behind():
    plan = catalog(target("milestone", deadline="2023-12-31", metric={"kind": "count"},
                          quotas={"beigang": 4}, milestones=[{"date": "2023-06-25", "value": 2}]))
    got = cell(plan, on_time(q2={"t_1": 1}), D(2023, 6, 26))
    assert (got.status, got.expected, got.score) == (Status.BEHIND, 2, 50.0)


# --- cumulative: pro-rated from 01-01 to the deadline -----------------------------------------

CUMULATIVE = catalog(target("cumulative", deadline="2023-12-31", metric={"kind": "count"},
                            quotas={"beigang": 12}))
# expected at 06-25: 12 × 175/364 = 5.8; at the previous report day 03-25: 12 × 83/364 = 2.7


@pytest.mark.parametrize(("value", "status", "score"), [
    (6, Status.ON_TRACK, 100.0),
    (4, Status.AT_RISK, 69.0),    # 4/5.8; behind by less than one quarter (≥ 2.7)
    (2, Status.BEHIND, 34.5),     # 2/5.8
    (12, Status.DONE, 100.0),
])
def test_cumulative_at_the_second_report(value, status, score):
    got = cell(CUMULATIVE, on_time(q2={"t_1": value}), D(2023, 6, 26))
    assert (got.status, got.expected, got.score) == (status, 12.0 if value == 12 else 5.8, score)


def test_cumulative_does_not_drift_between_reports():
    reports = on_time(q2={"t_1": 4})
    assert cell(CUMULATIVE, reports, D(2023, 7, 15)) == cell(CUMULATIVE, reports, D(2023, 9, 10))


def test_cumulative_short_at_the_close_is_overdue_with_late_partial_credit():
    got = cell(CUMULATIVE, on_time(q4={"t_1": 10}), D(2023, 12, 31))
    assert (got.status, got.expected, got.score) == (Status.OVERDUE, 12.0, 50.0)  # 10/12 × 0.6


def test_cumulative_with_nothing_reported_when_something_is_expected():
    reports = on_time(q2={"other": 1})
    plan = catalog(target("cumulative", deadline="2023-12-31", metric={"kind": "count"},
                          quotas={"beigang": 12}),
                   target("milestone", id="other", metric={"kind": "count"}, quotas={"beigang": 1}))
    got = cell(plan, reports, D(2023, 6, 26))
    assert (got.status, got.stale, got.score) == (Status.NOT_REPORTED, False, 0.0)


def test_cumulative_without_a_quota_is_not_assessed():
    plan = catalog(target("cumulative", deadline="2023-12-31", metric={"kind": "count"}))
    assert cell(plan, on_time(q2={"t_1": 3}), D(2023, 6, 26)).status is Status.NOT_APPLICABLE


# --- level: a rate that must reach a value by its deadline ------------------------------------

LEVEL = catalog(target("level", deadline="2023-12-31",
                       metric={"kind": "percent", "value": 97, "unit": "%"}))


def reports_of(*values: tuple[int, D, float]) -> list[Report]:
    return [report("beigang", quarter, day, t_1=value) for quarter, day, value in values]


def test_level_whose_trend_falls_short_is_at_risk():
    # 80 on 03-20, 85 on 06-20: +5 in 92 days, 194 days to 12-31 → 85 + 10.5 = 95.5 < 97
    reports = reports_of((1, D(2023, 3, 20), 80), (2, D(2023, 6, 20), 85))
    got = cell(LEVEL, reports, D(2023, 6, 26))
    assert (got.status, got.score) == (Status.AT_RISK, None)
    assert got.explanation == "按目前趋势截止时约为 95.5，达不到 97"


def test_level_whose_trend_reaches_the_goal_is_on_track():
    reports = reports_of((1, D(2023, 3, 20), 70), (2, D(2023, 6, 20), 85))  # → 116.6
    assert cell(LEVEL, reports, D(2023, 6, 26)).status is Status.ON_TRACK


def test_level_63_against_97_at_the_close_is_overdue():
    got = cell(LEVEL, reports_of((4, D(2023, 12, 20), 63)), D(2023, 12, 31))
    assert (got.status, got.score) == (Status.OVERDUE, 39.0)  # 63/97 × 100 × 0.6 = 38.97


def test_level_reached_by_the_last_report_is_done():
    got = cell(LEVEL, reports_of((3, D(2023, 9, 20), 90), (4, D(2023, 12, 20), 98)),
               D(2023, 12, 31))
    assert (got.status, got.score) == (Status.DONE, 100.0)


def test_level_reached_after_its_judgement_report_is_done_late():
    plan = catalog(target("level", deadline="2023-05-31",
                          metric={"kind": "percent", "value": 5, "unit": "%"}))
    reports = reports_of((2, D(2023, 6, 20), 4), (3, D(2023, 9, 20), 6))
    assert cell(plan, reports, D(2023, 6, 26)).status is Status.OVERDUE
    got = cell(plan, reports, D(2023, 9, 26))
    assert (got.status, got.score) == (Status.DONE_LATE, 60.0)


def test_level_against_last_year():
    plan = catalog(target("level", deadline="2023-12-31", metric={"kind": "count"},
                          baseline={"ref": "previous_year", "description": "不低于去年"}))
    reports = reports_of((4, D(2023, 12, 20), 30))
    got = evaluate(plan, reports, D(2023, 12, 31), {("t-1", "beigang"): 28}).cell("t-1", "beigang")
    assert (got.status, got.goal) == (Status.DONE, 28)
    assert got.explanation.startswith("以上一年度数值 28 为目标；")
    for baseline in ({}, {("t-1", "beigang"): 0}):  # no figure, or 0: no free completion
        got = evaluate(plan, reports, D(2023, 12, 31), baseline).cell("t-1", "beigang")
        assert (got.status, got.score) == (Status.NOT_APPLICABLE, None)


# --- limit: a red line, re-checked at every report --------------------------------------------

LIMIT = catalog(target("limit", metric={"kind": "count", "op": "<=", "value": 2}))


def test_a_red_line_broken_is_breached_at_once():
    reports = on_time(q1={"t_1": 1}, q2={"t_1": 3})
    got = cell(LIMIT, reports, D(2023, 6, 26))
    assert (got.status, got.score) == (Status.BREACHED, 50.0)  # kept in 1 of 2 quarters


def test_a_red_line_kept_again_remembers_the_breach():
    reports = on_time(q1={"t_1": 1}, q2={"t_1": 3}, q3={"t_1": 0})
    got = cell(LIMIT, reports, D(2023, 9, 26))
    assert (got.status, got.score) == (Status.COMPLIANT, 66.7)
    assert got.explanation == "0，未超过 2；第2季度曾突破"


def test_a_red_line_left_out_of_the_latest_report_is_not_reported():
    reports = on_time(q1={"t_1": 1}, q2={"t_1": 3}, q3={"t_1": 0}, q4={"other": 1})
    plan = catalog(target("limit", metric={"kind": "count", "op": "<=", "value": 2}),
                   target("milestone", id="other", metric={"kind": "count"}, quotas={"beigang": 1}))
    got = cell(plan, reports, D(2023, 12, 26))
    assert (got.status, got.score) == (Status.NOT_REPORTED, 50.0)  # kept in Q1 and Q3 of 4


def test_strictly_forbidden_means_zero():
    plan = catalog(target("limit", metric={"kind": "count", "op": "<=", "value": 0}))
    assert cell(plan, on_time(q1={"t_1": 1}), D(2023, 3, 26)).status is Status.BREACHED


# --- recurring: per period due by the report day ---------------------------------------------

MONTHLY = catalog(target("recurring", owners=["beigang"], metric={"kind": "count", "value": 1},
                         recurrence={"every": "month", "start": "2023-03-01",
                                     "end": "2023-12-31"}))


@pytest.mark.parametrize(("value", "status", "score"), [
    (3, Status.ON_TRACK, 100.0),   # March, April, May ended by 06-25
    (2, Status.AT_RISK, 66.7),     # one period short
    (1, Status.BEHIND, 33.3),
])
def test_monthly_at_the_june_report(value, status, score):
    got = cell(MONTHLY, on_time(q2={"t_1": value}), D(2023, 6, 26))
    assert (got.status, got.expected, got.score) == (status, 3.0, score)


def test_on_schedule_at_every_report_is_done_at_the_close():
    """3, 6, 9 inspections at the June, September and December reports: never behind."""
    reports = on_time(q2={"t_1": 3}, q3={"t_1": 6}, q4={"t_1": 9})
    for as_of, expected in ((D(2023, 6, 26), 3), (D(2023, 9, 26), 6), (D(2023, 12, 26), 9)):
        got = cell(MONTHLY, reports, as_of)
        assert (got.status, got.expected) == (Status.ON_TRACK, expected)
    got = cell(MONTHLY, reports, D(2023, 12, 31))
    assert (got.status, got.expected, got.goal) == (Status.DONE, 9.0, 9.0)  # no December


def test_one_period_short_at_the_close_keeps_partial_credit():
    got = cell(MONTHLY, on_time(q4={"t_1": 8}), D(2023, 12, 31))
    assert (got.status, got.score) == (Status.OVERDUE, 88.9)  # 8 of 9, not 0


def test_twice_monthly_from_april():
    plan = catalog(target("recurring", metric={"kind": "count", "value": 2},
                          recurrence={"every": "month", "start": "2023-04-01", "times": 2}))
    got = cell(plan, on_time(q2={"t_1": 4}), D(2023, 6, 26))
    assert (got.status, got.expected) == (Status.ON_TRACK, 4.0)  # April and May, twice each


QUARTERLY = catalog(target("recurring", recurrence={"every": "quarter", "start": "2023-01-01"}))
"""每季度常态化开展: each quarter's own report says 是 or 否."""


def test_quarterly_duty_left_undone_this_quarter_is_behind():
    got = cell(QUARTERLY, on_time(q1={"t_1": True}, q2={"t_1": False}), D(2023, 6, 26))
    assert (got.status, got.score) == (Status.BEHIND, 50.0)


def test_quarterly_duty_with_an_earlier_quarter_missing_is_at_risk():
    got = cell(QUARTERLY, on_time(q1={"t_1": False}, q2={"t_1": True}), D(2023, 6, 26))
    assert (got.status, got.score) == (Status.AT_RISK, 50.0)


def test_quarterly_duty_at_the_close():
    reports = on_time(q1={"t_1": True}, q2={"t_1": True}, q3={"t_1": False}, q4={"t_1": True})
    got = cell(QUARTERLY, reports, D(2023, 12, 31))
    assert (got.status, got.expected, got.score) == (Status.OVERDUE, 4.0, 75.0)


# --- continuing: confirmed quarter by quarter, never closed by one 完成 -----------------------

CONTINUING = catalog(target("continuing"))


def test_continuing_duty_confirmed_this_quarter():
    got = cell(CONTINUING, on_time(q1={"t_1": True}, q2={"t_1": True}), D(2023, 6, 26))
    assert (got.status, got.score) == (Status.ON_TRACK, 100.0)


def test_one_done_does_not_close_a_continuing_duty():
    reports = on_time(q1={"t_1": True}, q2={"other": 1})
    plan = catalog(target("continuing"),
                   target("milestone", id="other", metric={"kind": "count"}, quotas={"beigang": 1}))
    got = cell(plan, reports, D(2023, 6, 26))
    assert (got.status, got.score) == (Status.NOT_REPORTED, 50.0)


def test_continuing_duty_at_the_close():
    reports = on_time(q1={"t_1": True}, q2={"t_1": True}, q3={"t_1": True}, q4={"t_1": False})
    got = cell(CONTINUING, reports, D(2023, 12, 31))
    assert (got.status, got.score) == (Status.BEHIND, 75.0)


def test_continuing_duty_from_the_notice_date():
    plan = catalog(target("continuing", start="2023-07-01"))
    assert cell(plan, [], D(2023, 6, 26)).status is Status.NOT_DUE  # 自 2023-07-01 起执行
    got = cell(plan, on_time(q3={"t_1": True}), D(2023, 9, 26))
    assert (got.status, got.expected) == (Status.ON_TRACK, 1.0)  # Q3 is its first quarter


def test_unassessed_items_have_no_cells_and_are_never_scored():
    plan = catalog(target("unassessed", owners=[]))
    assert evaluate(plan, [], D(2023, 12, 31)).cells == []
    plan = catalog(target("unassessed"))
    got = cell(plan, [], D(2023, 12, 31))
    assert (got.status, got.weight, got.score) == (Status.NOT_APPLICABLE, 0.0, None)


# --- roles and owners ---------------------------------------------------------------------------

def test_supporters_are_shown_but_never_scored():
    plan = catalog(target("milestone", deadline="2023-03-31", owners=["区局"],
                          support=["各板块"], metric={"kind": "done"}))
    reports = [*on_time("quju", q2={"t_1": True}), *on_time("beigang", q2={"t_1": True})]
    evaluation = evaluate(plan, reports, D(2023, 6, 26))
    lead, reported, silent = (evaluation.cell("t-1", owner) for owner in ("quju", "beigang",
                                                                            "xinwen"))
    assert (lead.role, lead.status, lead.weight, lead.score) == ("lead", Status.DONE, 1.0, 100.0)
    assert (reported.role, reported.status, reported.weight, reported.score) == (
        "support", Status.DONE, 0.0, None)
    assert (silent.status, silent.explanation) == (Status.NOT_APPLICABLE, "配合事项，未单独上报")


def test_a_unit_that_does_not_report_is_not_assessed():
    plan = catalog(target("milestone", deadline="2023-03-31", owners=["市局"],
                          metric={"kind": "done"}))
    got = cell(plan, [], D(2023, 12, 31), owner="shiju")
    assert (got.status, got.explanation) == (Status.NOT_APPLICABLE, "由市局负责，本区不作评估")


def test_parts_of_one_printed_item_share_its_weight():
    plan = catalog(target("milestone", id="t-1a", metric={"kind": "done"}),
                   target("milestone", id="t-1b", metric={"kind": "done"}),
                   target("milestone", id="t-2", metric={"kind": "done"}, weight=2))
    evaluation = evaluate(plan, [], D(2023, 12, 31))
    weights = {c.target_id: c.weight for c in evaluation.cells if c.owner == "beigang"}
    assert weights == {"t-1a": 0.5, "t-1b": 0.5, "t-2": 2.0}


# --- scores and the ranking ---------------------------------------------------------------------

RANKED = catalog(target("milestone", id="t-1", deadline="2023-03-31", metric={"kind": "done"}),
                 target("cumulative", id="t-2", deadline="2023-12-31", metric={"kind": "count"},
                        quotas={"beigang": 12, "xinwen": 12}))


def test_scores_and_ranking_by_hand():
    reports = [report("beigang", 1, D(2023, 3, 20), t_1=False, t_2=3),
               report("beigang", 2, D(2023, 6, 20), t_1=True, t_2=6),
               report("xinwen", 2, D(2023, 6, 28), t_1=False, t_2=2)]
    evaluation = evaluate(RANKED, reports, D(2023, 7, 1))
    scores = {s.slug: s for s in evaluation.scores()}
    # beigang: t-1 done in Q2 (judged in Q2) 100, t-2 6 ≥ 5.8 → 100; task 100;
    # reports Q1 on time 100, Q2 on time 100 → 100; total 100.
    assert (scores["beigang"].task_score, scores["beigang"].report_score,
            scores["beigang"].total, scores["beigang"].rank) == (100.0, 100.0, 100.0, 1)
    # xinwen: t-1 overdue 0, t-2 2/5.8 = 34.5 → task (0 + 34.5) / 2 = 17.2 (17.24);
    # reports Q1 missing 0, Q2 late 60 → 30; total 17.2 × 0.8 + 30 × 0.2 = 19.8.
    assert (scores["xinwen"].task_score, scores["xinwen"].report_score,
            scores["xinwen"].total, scores["xinwen"].rank) == (17.2, 30.0, 19.8, 2)
    assert [s.slug for s in evaluation.scores()] == ["beigang", "xinwen"]


def test_ties_share_a_rank_and_nothing_scored_means_no_rank():
    early = evaluate(RANKED, [], D(2023, 3, 1))
    assert [(s.slug, s.rank, s.total) for s in early.scores()] == [
        ("beigang", None, None), ("xinwen", None, None)]
    same = [report(board, 1, D(2023, 3, 20), t_1=False, t_2=3) for board in ("beigang", "xinwen")]
    tied = evaluate(RANKED, same, D(2023, 3, 26))
    assert [(s.slug, s.rank) for s in tied.scores()] == [("beigang", 1), ("xinwen", 1)]


def test_the_ranking_does_not_change_after_the_last_report():
    reports = [report("beigang", 4, D(2023, 12, 20), t_1=True, t_2=11),
               report("xinwen", 4, D(2023, 12, 26), t_1=True, t_2=12)]
    at_close, later = (evaluate(RANKED, reports, day) for day in (D(2023, 12, 31),
                                                                    D(2024, 1, 15)))
    assert [(s.slug, s.rank, s.total) for s in at_close.scores()] == \
        [(s.slug, s.rank, s.total) for s in later.scores()]
    assert at_close.ranking_date == later.ranking_date == D(2023, 12, 31)


def test_scoring_weights_come_from_the_plan():
    plan = catalog(target("milestone", deadline="2023-03-31", metric={"kind": "done"}),
                   scoring={"task_weight": 0.5, "report_weight": 0.5, "late_factor": 0.5})
    reports = [report("beigang", 2, D(2023, 6, 28), **{"t_1": True})]
    got = evaluate(plan, reports, D(2023, 7, 1)).scores()[0]
    # t-1 done in Q2, judged in Q2 → 100; Q1 missing 0, Q2 late 60 → 30; 100×0.5 + 30×0.5
    assert (got.task_score, got.report_score, got.total) == (100.0, 30.0, 65.0)
