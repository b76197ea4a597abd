"""Unit tests of the status engine: each status and each edge named in the portal issue."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.catalog import TargetInfo
from generator.models import Campaign, Group, Pillar, Recurrence, Target
from generator.status import (
    Compliance,
    Observation,
    Status,
    evaluate,
    expected_by,
    periods_completed,
    quarter_of,
    report_due,
)

D = dt.date
YEAR, DAY = 2023, 25


def info(**fields) -> TargetInfo:
    base = {"id": "t-1", "text": "测试指标", "owners": ["各板块"]}
    target = Target.model_validate({**base, **fields})
    campaign = Campaign(id="c", name="专项", responsible=["区局"], contacts=["张政"],
                        targets=[target])
    group = Group(campaigns=[campaign])
    pillar = Pillar(id="p", no=1, name="小切口，抓关键", short="小切口", groups=[group])
    return TargetInfo(target, campaign, group, pillar, ("beigang",), ())


def seen(value=None, done=None, on=dt.date(2023, 6, 20)) -> Observation:  # noqa: B008
    return Observation(value, done, on, "2023Q2")


def status(item: TargetInfo, observation: Observation | None, as_of: dt.date) -> Status:
    return evaluate(item, "beigang", observation, as_of, YEAR, DAY).status


COUNT = {"deadline": D(2023, 12, 31), "metric": {"kind": "count", "value": 10, "unit": "家"}}


@pytest.mark.parametrize(("value", "as_of", "expected"), [
    (10, D(2023, 6, 30), Status.DONE),           # quota reached early
    (6, D(2023, 6, 30), Status.ON_TRACK),        # 6 ≥ pro-rata 4.9
    (2, D(2023, 6, 30), Status.BEHIND),          # 2 < pro-rata 4.9
    (9, D(2024, 1, 1), Status.OVERDUE),          # deadline passed, short of quota
    (9, D(2023, 12, 31), Status.BEHIND),         # deadline day itself is not yet overdue
])
def test_count_target(value, as_of, expected):
    assert status(info(**COUNT), seen(value, on=min(as_of, D(2023, 12, 20))), as_of) is expected


def test_expected_value_is_pro_rata_from_january():
    target = info(**COUNT).target
    assert expected_by(target, 10, D(2023, 7, 2), YEAR) == 5.0
    assert expected_by(target, 10, D(2024, 2, 1), YEAR) == 10


def test_named_quota_beats_metric_value():
    item = info(deadline=D(2023, 12, 31), metric={"kind": "count", "unit": "家"},
                quotas={"beigang": 25})
    cell = evaluate(item, "beigang", seen(25), D(2023, 7, 1), YEAR, DAY)
    assert (cell.status, cell.quota) == (Status.DONE, 25)


@pytest.mark.parametrize(("value", "deadline", "as_of", "expected"), [
    (2, None, D(2023, 6, 30), Status.DONE),                   # within the limit
    (3, None, D(2023, 6, 30), Status.BEHIND),                 # over the limit
    (3, D(2023, 6, 30), D(2023, 7, 1), Status.OVERDUE),       # over the limit after deadline
    (0, D(2023, 6, 30), D(2023, 7, 1), Status.DONE),
])
def test_at_most_target(value, deadline, as_of, expected):
    item = info(deadline=deadline, metric={"kind": "count", "op": "<=", "value": 2, "unit": "家"})
    assert status(item, seen(value), as_of) is expected


@pytest.mark.parametrize(("done", "as_of", "expected"), [
    (True, D(2023, 7, 1), Status.DONE),
    (False, D(2023, 6, 30), Status.ON_TRACK),    # deadline day: still in time
    (False, D(2023, 7, 1), Status.OVERDUE),
])
def test_done_type_target(done, as_of, expected):
    item = info(deadline=D(2023, 6, 30), metric={"kind": "done"})
    assert status(item, seen(done=done), as_of) is expected


def test_percent_is_a_level_not_pro_rata():
    item = info(deadline=D(2023, 12, 31), metric={"kind": "percent", "value": 97, "unit": "%"})
    assert status(item, seen(40), D(2023, 6, 30)) is Status.ON_TRACK
    assert status(item, seen(97), D(2023, 6, 30)) is Status.DONE
    assert status(item, seen(96.9), D(2024, 1, 2)) is Status.OVERDUE


MONTHLY = {"recurrence": {"every": "month", "start": D(2023, 3, 1), "end": D(2023, 12, 31),
                          "times": 2},
           "metric": {"kind": "count", "value": 2, "unit": "次"}}


@pytest.mark.parametrize(("value", "as_of", "expected"), [
    (6, D(2023, 6, 15), Status.ON_TRACK),     # Mar, Apr, May done: 3 × 2 = 6 due
    (5, D(2023, 6, 15), Status.BEHIND),
    (20, D(2023, 12, 31), Status.DONE),       # 10 months × 2
    (19, D(2024, 1, 5), Status.OVERDUE),
])
def test_recurring_obligation(value, as_of, expected):
    assert status(info(**MONTHLY), seen(value, on=min(as_of, D(2023, 12, 25))), as_of) is expected


def test_recurring_expected_count_is_shown():
    cell = evaluate(info(**MONTHLY), "beigang", seen(6), D(2023, 6, 15), YEAR, DAY)
    assert (cell.expected, cell.quota) == (6.0, 20.0)


@pytest.mark.parametrize(("every", "start", "as_of", "count"), [
    ("month", D(2023, 3, 1), D(2023, 3, 31), 1),
    ("month", D(2023, 3, 1), D(2023, 3, 30), 0),
    ("quarter", D(2023, 4, 1), D(2023, 9, 30), 2),
    ("quarter", D(2023, 4, 1), D(2023, 3, 1), 0),
    ("day", D(2023, 1, 1), D(2023, 1, 11), 10),
])
def test_periods_completed(every, start, as_of, count):
    assert periods_completed(every, start, as_of) == count


def test_missing_report_once_first_report_is_due():
    item = info(**COUNT)
    assert status(item, None, D(2023, 3, 25)) is Status.NOT_DUE    # due day: not yet missing
    assert status(item, None, D(2023, 3, 26)) is Status.MISSING


def test_target_not_started_is_not_due():
    item = info(start=D(2023, 7, 1), deadline=D(2023, 12, 31), metric={"kind": "done"})
    assert status(item, None, D(2023, 6, 30)) is Status.NOT_DUE
    assert status(item, None, D(2023, 9, 10)) is Status.NOT_DUE    # first report due 9-25
    assert status(item, None, D(2023, 9, 26)) is Status.MISSING


def test_quarterly_recurrence_from_q2_is_not_due_in_q1():
    item = info(recurrence=Recurrence(every="quarter", start=D(2023, 4, 1)).model_dump(),
                metric={"kind": "count", "value": 1, "unit": "次"})
    assert status(item, None, D(2023, 3, 31)) is Status.NOT_DUE


def test_baseline_without_figure_is_judged_as_reported():
    item = info(deadline=D(2023, 3, 31),
                baseline={"ref": "previous_year", "description": "不低于去年水平"},
                metric={"kind": "count", "unit": "家"})
    cell = evaluate(item, "beigang", seen(30, on=D(2023, 3, 20)), D(2023, 4, 2), YEAR, DAY)
    assert cell.status is Status.DONE and "缺少" in cell.explanation


def test_baseline_from_previous_year():
    item = info(deadline=D(2023, 3, 31),
                baseline={"ref": "previous_year", "description": "不低于去年水平"},
                metric={"kind": "count", "unit": "家"})
    cell = evaluate(item, "beigang", seen(30, on=D(2023, 3, 20)), D(2023, 4, 2), YEAR, DAY,
                    baseline=31)
    assert (cell.status, cell.quota) == (Status.OVERDUE, 31)
    assert cell.explanation.startswith("以上一年度数值 31 为目标；")


def test_quarter_helpers():
    assert [quarter_of(D(2023, m, 1)) for m in (1, 3, 4, 9, 12)] == [1, 1, 2, 3, 4]
    assert report_due(2023, 2, 25) == D(2023, 6, 25)


def test_compliance_values():
    assert [c.value for c in Compliance] == ["按时", "迟报", "未报", "未到期"]
