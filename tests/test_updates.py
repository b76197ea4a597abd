"""The 更新动态 page: a timeline of reports, status changes and cases, derived from the data."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import FIXTURE_DATA

from generator.build import report_rules
from generator.common.problems import Problems
from generator.evaluate import Compliance, Status, evaluate
from generator.evaluate.observations import latest
from generator.evaluate.timeline import DayEntry, NewReport, StatusChange, event_dates, timeline
from generator.inputs.catalog import Catalog
from generator.inputs.load import Settings, load_inputs
from generator.inputs.models import Board, Directory, Notice, Plan, Unit
from generator.inputs.reports import Report, ReportRow, load_reports
from generator.pages import updates
from generator.pages.page import Page, PageKind
from generator.pages.render import render_page
from generator.pages.updates import (
    MAX_CHANGES,
    MAX_DATES,
    MAX_REPORTS,
    MAX_ROWS,
    MORE_BOARDS,
    PageCaps,
    day_context,
    page_caps,
    summary,
    updates_page,
)

D = dt.date
YEAR = 2023
AS_OFS = [D(2023, 10, 10), D(2024, 1, 15)]


# --- the real data ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    inputs = load_inputs(FIXTURE_DATA)
    problems = Problems()
    reports = load_reports(FIXTURE_DATA / "progress", report_rules(inputs, D(2026, 11, 28)),
                           problems)
    assert not problems.items, problems.items
    return SimpleNamespace(inputs=inputs, catalog=inputs.catalog(YEAR), reports=reports)


def statuses(cells) -> dict[tuple[str, str], Status]:
    return {(cell.target_id, cell.owner): cell.status for cell in cells}


def evaluate_plan(catalog, reports, as_of, baselines=None):
    return evaluate(catalog, reports, as_of, baselines).cells


@pytest.mark.parametrize("as_of", AS_OFS)
def test_every_report_submitted_by_as_of_appears_once_on_its_day(real, as_of):
    entries = timeline(real.catalog, real.reports, as_of)
    listed = [(report.board, report.quarter, entry.date)
              for entry in entries for report in entry.reports]
    expected = [(r.board, r.quarter, r.submitted_on) for r in real.reports
                if r.year == YEAR and r.submitted_on <= as_of]
    assert expected, "the sample data has reports before as_of"
    assert sorted(listed) == sorted(expected)
    assert len(set(listed)) == len(listed)


@pytest.mark.parametrize("as_of", AS_OFS)
def test_reports_are_on_time_or_late_like_the_compliance_table(real, as_of):
    records = {(r.board, r.quarter): r.status
               for r in evaluate(real.catalog, real.reports, as_of).compliance}
    reports = [report for entry in timeline(real.catalog, real.reports, as_of)
               for report in entry.reports]
    assert {report.compliance for report in reports} == {Compliance.ON_TIME, Compliance.LATE}
    for report in reports:
        assert report.due == D(YEAR, report.quarter * 3, 25)
        assert report.compliance is records[(report.board, report.quarter)]


@pytest.mark.parametrize("as_of", AS_OFS)
def test_changes_applied_in_order_give_the_statuses_at_as_of(real, as_of):
    entries = timeline(real.catalog, real.reports, as_of)
    oldest = entries[-1]
    state = statuses(evaluate_plan(real.catalog, real.reports, oldest.since))
    previous = oldest.since
    for entry in reversed(entries):
        assert entry.since == previous
        for change in entry.changes:
            assert change.old != change.new
            assert state[(change.target_id, change.board)] is change.old
            state[(change.target_id, change.board)] = change.new
        previous = entry.date
    assert state == statuses(evaluate_plan(real.catalog, real.reports, as_of))
    assert sum(len(entry.changes) for entry in entries) > 0


def test_baselines_reach_every_evaluation(real):
    """不低于去年水平 targets are judged against last year's figures, as on the other pages."""
    as_of = D(2024, 1, 15)
    seen = latest(real.reports, YEAR - 1, D(YEAR - 1, 12, 31))
    baselines = {key: obs.value for key, obs in seen.items() if obs.value is not None}
    entries = timeline(real.catalog, real.reports, as_of, baselines=baselines)
    state = statuses(evaluate_plan(real.catalog, real.reports, entries[-1].since, baselines))
    for entry in reversed(entries):
        state.update({(c.target_id, c.board): c.new for c in entry.changes})
    final = evaluate(real.catalog, real.reports, as_of, baselines)
    assert state == statuses(final.cells)


@pytest.mark.parametrize("as_of", AS_OFS)
def test_newest_first_ending_at_as_of(real, as_of):
    entries = timeline(real.catalog, real.reports, as_of)
    dates = [entry.date for entry in entries]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) == len(dates)
    assert dates[0] == as_of and entries[0].at_as_of
    assert not any(entry.at_as_of for entry in entries[1:])


def test_reports_after_as_of_are_left_out(real):
    as_of = D(2023, 9, 10)
    later = [r for r in real.reports if r.year == YEAR and r.submitted_on > as_of]
    assert later, "the fixture has Q3 reports after 2023-09-10"
    entries = timeline(real.catalog, real.reports, as_of)
    listed = {(report.board, report.quarter) for entry in entries for report in entry.reports}
    assert not listed & {(r.board, r.quarter) for r in later}
    assert all(entry.date <= as_of for entry in entries)


def test_the_close_of_the_year_moves_statuses_by_itself(real):
    """On 12-31 the year's deadlines are judged: time alone turns open items into 逾期未完成;
    after that nothing moves without new data (the 01-15 entry changes nothing)."""
    entries = timeline(real.catalog, real.reports, D(2024, 1, 15))
    assert entries[0].at_as_of and not entries[0].changes
    close = next(entry for entry in entries if entry.date == D(2023, 12, 31))
    assert close.changes and not any(change.reported for change in close.changes)
    assert any(change.new is Status.OVERDUE for change in close.changes)


@pytest.mark.parametrize("as_of", AS_OFS)
def test_timeline_is_deterministic(real, as_of):
    first = timeline(real.catalog, real.reports, as_of)
    assert timeline(real.catalog, list(reversed(real.reports)), as_of) == first


def test_limit_keeps_the_newest_entries_unchanged(real):
    as_of = D(2024, 1, 15)
    full = timeline(real.catalog, real.reports, as_of)
    limited = timeline(real.catalog, real.reports, as_of, limit=3)
    assert limited == full[:4]  # three event dates and the 截至数据日期 entry


@pytest.mark.parametrize("as_of", AS_OFS)
def test_page_renders_with_the_sample_banner(real, as_of):
    evaluation = evaluate(real.catalog, real.reports, as_of)
    page = updates_page(evaluation, real.reports, real.inputs.settings)
    assert (page.path, page.kind, page.template) == ("updates.md", PageKind.UPDATES, "updates.md.j2")
    text = render_page(page)
    assert text == render_page(updates_page(evaluation, real.reports, real.inputs.settings))
    assert text.startswith("---\ntitle: 更新动态\n---\n")
    assert f'数据截至 <span class="nw">{as_of.year}年{as_of.month}月{as_of.day}日</span>' in text
    assert "（截至数据日期）" in text
    assert '<span class="status status-behind">迟报</span>' in text
    assert 'href="../campaigns/' in text and 'href="../boards/' in text


def test_page_lists_real_cases(real):
    from generator.inputs.cases import load_cases

    problems = Problems()
    cases = [case for case in load_cases(FIXTURE_DATA / "cases", real.inputs.catalogs, problems)
             if case.year == YEAR]
    assert not problems.items and cases
    as_of = D(2023, 9, 10)
    evaluation = evaluate(real.catalog, real.reports, as_of)
    text = render_page(updates_page(evaluation, real.reports, real.inputs.settings, cases))
    for case in cases:
        if case.date <= as_of:
            url = "../" + case.page_path.removesuffix(".md") + "/"
            assert f'<a href="{url}">' in text


# --- a tiny plan -----------------------------------------------------------------------------

BOARDS = [("aa", "甲街道", "甲"), ("bb", "乙街道", "乙")]


def tiny_catalog(*extra: dict) -> Catalog:
    directory = Directory(
        boards=[Board(slug=slug, name=name, short=short) for slug, name, short in BOARDS],
        units=[Unit(name="各板块", full_name="各板块", level="板块", all_boards=True)],
        contacts=[])
    notice = Notice(number="测试〔2023〕1号", title="测试计划", issuer="区局", date=D(2023, 3, 1),
                    recipients=["各板块"], preamble="前言", requirements=[], attachment="附件",
                    closing="结语")
    targets = [
        {"id": "t-done", "no": "1", "text": "6月底前完成排查", "deadline": D(2023, 6, 30),
         "kind": "milestone", "owners": ["各板块"], "metric": {"kind": "done"}},
        {"id": "t-count", "no": "2", "text": "全年检查不少于10家", "deadline": D(2023, 12, 31),
         "kind": "cumulative", "owners": ["各板块"],
         "metric": {"kind": "count", "value": 10, "unit": "家"}},
        *extra,
    ]
    plan = Plan.model_validate({
        "year": YEAR, "notice": notice.model_dump(),
        "pillars": [{"id": "p", "no": 1, "name": "小切口，抓关键", "short": "小切口", "groups": [
            {"campaigns": [{"id": "camp", "name": "测试专项", "responsible": ["各板块"],
                            "contacts": ["张政"], "targets": targets}]}]}]})
    return Catalog.build(directory, plan)


@pytest.fixture(scope="module")
def tiny() -> Catalog:
    return tiny_catalog()


def report(board: str, quarter: int, on: dt.date, done: bool, count: float) -> Report:
    rows = (ReportRow("t-done", None, done, on, "", "", 2),
            ReportRow("t-count", count, None, on, "", "", 3))
    return Report(Path(f"{YEAR}Q{quarter}/{board}.csv"), board, YEAR, quarter, rows)


REPORTS = [report("aa", 1, D(2023, 3, 20), True, 3), report("bb", 1, D(2023, 3, 28), False, 1)]


def changes_of(entry: DayEntry) -> list[tuple[str, str, Status, Status, bool]]:
    return [(c.board, c.target_id, c.old, c.new, c.reported) for c in entry.changes]


def test_tiny_timeline(tiny):
    """Statuses move only when a report day has passed (03-26, 06-26) or a report arrives."""
    entries = timeline(tiny, REPORTS, D(2023, 7, 10))
    assert [(e.date, e.since) for e in entries] == [
        (D(2023, 7, 10), D(2023, 6, 26)), (D(2023, 6, 26), D(2023, 3, 28)),
        (D(2023, 3, 28), D(2023, 3, 26)), (D(2023, 3, 26), D(2023, 3, 20)),
        (D(2023, 3, 20), D(2023, 3, 19))]
    closing, june, late, march, early = entries
    assert early.reports == (NewReport("aa", YEAR, 1, D(2023, 3, 20), D(2023, 3, 25), 2),)
    assert early.reports[0].compliance is Compliance.ON_TIME
    assert changes_of(early) == []  # a report counts from its quarter's report day on
    assert changes_of(march) == [
        ("aa", "t-done", Status.NOT_DUE, Status.DONE, True),
        ("aa", "t-count", Status.NOT_DUE, Status.ON_TRACK, True),    # 3 ≥ 10 × 83/364 = 2.3
        ("bb", "t-done", Status.NOT_DUE, Status.NOT_REPORTED, False),   # no Q1 report yet
        ("bb", "t-count", Status.NOT_DUE, Status.NOT_REPORTED, False)]
    assert late.reports[0].compliance is Compliance.LATE
    assert changes_of(late) == [
        ("bb", "t-done", Status.NOT_REPORTED, Status.ON_TRACK, True),  # judged on 09-25
        ("bb", "t-count", Status.NOT_REPORTED, Status.AT_RISK, True)]  # 1 < 2.3, first quarter
    assert changes_of(june) == [                                        # no Q2 report from
        ("aa", "t-count", Status.ON_TRACK, Status.NOT_REPORTED, False),  # either board: done
        ("bb", "t-done", Status.ON_TRACK, Status.NOT_REPORTED, False),   # stays done
        ("bb", "t-count", Status.AT_RISK, Status.NOT_REPORTED, False)]
    assert closing.at_as_of and not closing.reports and not closing.changes


def test_report_on_as_of_is_the_first_entry(tiny):
    entries = timeline(tiny, REPORTS, D(2023, 3, 28))
    assert [e.date for e in entries] == [D(2023, 3, 28), D(2023, 3, 26), D(2023, 3, 20)]
    assert entries[0].at_as_of and entries[0].reports


def test_report_after_as_of_and_other_years_are_ignored(tiny):
    other_year = dataclasses.replace(report("bb", 4, D(2022, 12, 20), True, 9), year=2022)
    entries = timeline(tiny, [*REPORTS, other_year], D(2023, 3, 25))
    assert [r.board for e in entries for r in e.reports] == ["aa"]
    assert [e.date for e in entries] == [D(2023, 3, 25), D(2023, 3, 20)]
    assert not any(e.changes for e in entries)  # the first report day has not passed


def test_baselines_are_used(tiny):
    """A 不低于去年水平 target is judged against the baseline passed in, as on the other pages."""
    catalog = tiny_catalog({
        "id": "t-base", "text": "立案数不低于去年", "deadline": D(2023, 6, 30), "owners": ["aa"],
        "kind": "level", "metric": {"kind": "count", "unit": "件"},
        "baseline": {"ref": "previous_year", "description": "不低于去年水平"}})
    rows = (ReportRow("t-base", 3, None, D(2023, 3, 20), "", "", 2),)
    reports = [Report(Path("2023Q1/aa.csv"), "aa", YEAR, 1, rows)]
    as_of = D(2023, 7, 10)

    def base_changes(**options) -> list[Status]:
        entries = timeline(catalog, reports, as_of, **options)
        return [c.new for e in entries[::-1] for c in e.changes if c.target_id == "t-base"]

    assert base_changes() == [Status.NOT_APPLICABLE]     # no figure for last year: no free pass
    assert base_changes(baselines={("t-base", "aa"): 5}) == [      # 3 < 5, no trend yet
        Status.ON_TRACK, Status.NOT_REPORTED]                      # then no Q2 report


def test_no_events_no_entries(tiny):
    assert timeline(tiny, REPORTS, D(2023, 3, 1)) == []
    silent = timeline(tiny, [], D(2023, 9, 1))  # report days still pass: nothing came in
    assert [e.date for e in silent] == [D(2023, 9, 1), D(2023, 6, 26), D(2023, 3, 26)]
    assert {c.new for c in silent[-1].changes} == {Status.NOT_REPORTED}


def test_cases_are_events_too(tiny):
    case = SimpleNamespace(date=D(2023, 5, 8), title="现场会", board_name="乙街道",
                           page_path="cases/2023/bb/xianchang.md")
    future = SimpleNamespace(date=D(2023, 8, 1), title="将来", board_name="甲街道",
                             page_path="cases/2023/aa/jianglai.md")
    entries = timeline(tiny, REPORTS, D(2023, 7, 10), cases=[future, case])
    on_case = next(e for e in entries if e.date == D(2023, 5, 8))
    assert on_case.cases == (case,) and not on_case.reports
    assert event_dates(tiny, REPORTS, D(2023, 7, 10), [future, case]) == [
        D(2023, 3, 20), D(2023, 3, 26), D(2023, 3, 28), D(2023, 5, 8), D(2023, 6, 26)]
    assert all(future not in e.cases for e in entries)


def entry(**fields) -> DayEntry:
    base = {"date": D(2023, 6, 24), "since": D(2023, 6, 23), "reports": (), "changes": (),
            "cases": (), "at_as_of": False}
    return DayEntry(**{**base, **fields})


def change(new: Status, board: str = "aa", target: str = "t-count") -> StatusChange:
    return StatusChange(target, board, Status.NOT_DUE, new, True, "说明")


def new_report(board: str, on: dt.date) -> NewReport:
    return NewReport(board, YEAR, 2, on, D(2023, 6, 25), 2)


@pytest.mark.parametrize(("fields", "expected"), [
    ({"reports": (new_report("aa", D(2023, 6, 24)), new_report("bb", D(2023, 6, 28))),
      "changes": (change(Status.DONE), change(Status.DONE, "bb"), change(Status.OVERDUE))},
     "2 份报表（1 份迟报），3 项状态变化，其中 2 项变为已完成、1 项变为逾期未完成。"),
    ({"cases": (object(),)}, "1 个典型案例，状态无变化。"),
    ({"at_as_of": True, "changes": (change(Status.OVERDUE),)},
     "与 2023年6月23日 相比，因时间推移，1 项状态变化，其中 1 项变为逾期未完成。"),
    ({"at_as_of": True}, "与 2023年6月23日 相比，状态无变化。"),
])
def test_summary(fields, expected):
    assert summary(entry(**fields)) == expected


def test_long_lists_are_capped_with_links_to_the_boards(tiny):
    changes = (change(Status.DONE, "aa", "t-done"), change(Status.DONE, "aa"),
               change(Status.BEHIND, "bb", "t-done"), change(Status.BEHIND, "bb"))
    day = day_context(tiny, entry(changes=changes), "", "", max_changes=1)
    assert len(day["changes"]) == 1
    assert day["more"] == {"count": 3, "boards": [
        {"name": "甲街道", "link": "boards/aa.md"}, {"name": "乙街道", "link": "boards/bb.md"}],
        "other_boards": 0}
    assert day["changes"][0]["link"] == "campaigns/camp.md#t-done"
    assert day_context(tiny, entry(changes=changes), "", "")["more"] is None


def test_caps_shrink_as_boards_grow():
    district = PageCaps(dates=MAX_DATES, changes=MAX_CHANGES, rows=MAX_ROWS, reports=MAX_REPORTS)
    assert (MAX_DATES, MAX_CHANGES, MAX_ROWS, MAX_REPORTS) == (40, 50, 300, 20)
    assert page_caps(2) == page_caps(8) == district
    assert page_caps(16) == PageCaps(dates=20, changes=25, rows=300, reports=20)
    assert page_caps(80) == PageCaps(dates=10, changes=15, rows=300, reports=20)   # k = 10
    assert page_caps(800) == page_caps(80)                                         # k = 100


def test_board_links_and_reports_are_capped_too(tiny):
    many = dataclasses.replace(tiny, boards={
        f"b{i}": Board(slug=f"b{i}", name=f"第{i}街道", short=f"{i}") for i in range(12)})
    changes = tuple(change(Status.DONE, f"b{i}") for i in range(12))
    reports = tuple(new_report(f"b{i}", D(2023, 6, 24)) for i in range(3))
    day = day_context(many, entry(changes=changes, reports=reports), "", "", max_changes=2,
                      max_reports=1)
    assert len(day["changes"]) == 2 and len(day["reports"]) == 1
    assert day["more"]["count"] == 10 and len(day["more"]["boards"]) == MORE_BOARDS
    assert day["more"]["boards"][0] == {"name": "第2街道", "link": "boards/b2.md"}
    assert day["more"]["other_boards"] == 10 - MORE_BOARDS
    assert day["more_reports"] == {"count": 2, "other_boards": 0, "boards": [
        {"name": "第1街道", "link": "boards/b1.md"}, {"name": "第2街道", "link": "boards/b2.md"}]}
    text = render_page(Page("updates.md", PageKind.UPDATES, {
        **updates_page(evaluate(tiny, REPORTS, D(2023, 7, 10)), REPORTS,
                       Settings()).context, "days": [day]}))
    assert ('<p>另有 2 份报表未列出，请见<a href="../boards/b1/">第1街道</a>、'
            '<a href="../boards/b2/">第2街道</a>页面。</p>') in text
    assert '等 10 个板块（全部板块见<a href="../assessment/">考核排名</a>）的页面。</p>' in text


def test_the_whole_page_lists_at_most_max_rows_changes(tiny, monkeypatch):
    """Newest first: once the page's budget is spent, older dates only give their counts."""
    monkeypatch.setattr(updates, "page_caps", lambda boards: PageCaps(changes=1, rows=2))
    page = updates_page(evaluate(tiny, REPORTS, D(2023, 7, 10)), REPORTS, Settings())
    days = page.context["days"]
    # newest first: 07-10 (0 changes), 06-26 (3), 03-28 (2), 03-26 (4), 03-20 (0)
    assert [len(day["changes"]) for day in days] == [0, 1, 1, 0, 0]
    assert [day["counts"]["changes"] for day in days] == [0, 3, 2, 4, 0]
    assert days[3]["more"]["count"] == 4
    text = render_page(page)
    assert ('<p>本日的 4 项状态变化未逐条列出（本页已列满 2 项），请见<a href="../boards/aa/">甲街道</a>、'
            '<a href="../boards/bb/">乙街道</a>页面。</p>') in text
    assert "每个日期最多逐条列出 1 项状态变化，全页最多 2 项（新的在前）" in text


def test_tiny_page_renders(tiny):
    as_of = D(2023, 7, 10)
    settings = Settings(sample_data=False)
    case = SimpleNamespace(date=D(2023, 5, 8), title="现场会", board_name="乙街道",
                           page_path="cases/2023/bb/xianchang.md")
    page = updates_page(evaluate(tiny, REPORTS, as_of), REPORTS, settings, [case])
    text = render_page(page)
    assert "示例数据" not in text
    assert "## 2023年7月10日（截至数据日期） { #day-2023-07-10 }" in text
    assert ('<tr><td class="lead" data-label="板块"><a href="../boards/bb/">乙</a></td>'
            '<td data-label="专项"><a href="../campaigns/camp/#t-done">测试专项</a></td>'
            '<td class="text" data-label="目标任务">6月底前完成排查</td><td data-label="变化">'
            '<span class="status status-on-track">进行中</span> → '
            '<span class="status status-not-reported">未上报</span></td>'
            '<td class="text" data-label="原因">时间推移：未报送第2季度报表</td></tr>') in text
    assert ('<tr><td class="lead" data-label="板块"><a href="../boards/aa/">甲街道</a></td>'
            '<td data-label="季度">2023 年第一季度</td><td class="num" data-label="指标数">2</td>'
            '<td data-label="应报日期">2023年3月25日</td><td data-label="情况">'
            '<span class="status status-done">按时</span></td></tr>') in text
    assert '<li><a href="../cases/2023/bb/xianchang/">现场会</a>（乙街道）</li>' in text
    assert ('<tr><td class="lead" data-label="日期"><a href="#day-2023-03-20">2023年3月20日</a></td>'
            '<td class="num" data-label="新报表">1</td><td class="num" data-label="状态变化">0</td>'
            '<td class="num" data-label="其中变为已完成">0</td>'
            '<td class="num" data-label="典型案例">0</td></tr>') in text
    assert ('<a href="#day-2023-03-26">2023年3月26日</a></td><td class="num" data-label="新报表">0'
            '</td><td class="num" data-label="状态变化">4</td><td class="num" '
            'data-label="其中变为已完成">1</td>') in text


def test_page_without_events(tiny):
    page = updates_page(evaluate(tiny, [], D(2023, 2, 1)), [], Settings())
    assert "截至 2023年2月1日，尚无报表或典型案例。" in render_page(page)


def test_the_timeline_is_computed_without_the_pages():
    from test_imports import import_graph

    graph = import_graph()
    reached, todo = set(), ["generator.evaluate.timeline"]
    while todo:
        for module in graph[todo.pop()] - reached:
            reached.add(module)
            todo.append(module)
    assert not {m for m in reached if m.startswith(("generator.pages", "generator.outputs"))}
