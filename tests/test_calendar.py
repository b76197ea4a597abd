"""Tests for generator.outputs.calendar_feed: the feeds hold exactly the plan's dates, import cleanly
(RFC 5545: CRLF, folded lines, stable UIDs) and are the same bytes on every build."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys

import icalendar
import pytest
from dateutil.rrule import rrulestr
from helpers import FIXTURE_DATA, ROOT
from icalendar import Calendar

from generator.evaluate import evaluate
from generator.evaluate.calendar import periods_completed
from generator.inputs.load import load_inputs
from generator.outputs import calendar_feed
from generator.outputs.calendar_feed import calendar_files, calendar_links
from generator.pages.campaign import campaign_page
from generator.pages.layout import SiteLayout
from generator.pages.render import render_page

SITE = "https://safety.example.gov.cn/portal/"
YEAR = 2023
BOARDS = ["zouqu", "beigang", "xinwen", "wuxing", "xilin", "yonghong", "nandajie", "hehuachi"]


@pytest.fixture(scope="module")
def catalog():
    return load_inputs(FIXTURE_DATA).catalog(YEAR)


@pytest.fixture(scope="module")
def files(catalog):
    return calendar_files(catalog, SITE, YEAR)


@pytest.fixture(scope="module")
def feeds(files):
    return {path: Calendar.from_ical(data) for path, data in files.items()}


def events(feed: Calendar, category: str | None = None) -> list:
    found = feed.walk("VEVENT")
    if category is not None:
        found = [e for e in found if str(e["categories"].cats[0]) == category]
    return found


def target_of(event) -> str:
    """The target id in a UID like biaozhunhua-1a-beigang@… or biaozhunhua-1a-repeat-all@…."""
    stem = str(event["uid"]).split("@")[0].rsplit("-", 1)[0]
    return stem.removesuffix("-repeat")


def test_one_feed_for_the_district_and_one_per_board(files):
    assert sorted(files) == sorted(["calendar/all.ics", *(f"calendar/{b}.ics" for b in BOARDS)])


def test_calendar_links_point_at_the_files(catalog, files):
    links = calendar_links(catalog, "../")
    assert links["all"] == "../calendar/all.ics"
    assert {link.removeprefix("../") for link in links.values()} == set(files)


def test_feed_header(feeds):
    feed = feeds["calendar/beigang.ics"]
    assert str(feed["version"]) == "2.0"
    assert str(feed["prodid"]) == "-//钟楼区应急管理局//安全生产工作进展公示平台//ZH"
    assert str(feed["x-wr-timezone"]) == "Asia/Shanghai"
    assert str(feed["x-wr-calname"]) == "2023年钟楼区安全生产任务截止日（北港街道）"
    assert str(feeds["calendar/all.ics"]["x-wr-calname"]) == \
        "2023年钟楼区安全生产任务截止日（全区）"


def test_every_dated_target_has_its_deadline_in_the_district_feed(catalog, feeds):
    deadlines = {e["uid"].split("@")[0]: e["dtstart"].dt
                 for e in events(feeds["calendar/all.ics"], "截止")}
    expected = {f"{tid}-all": info.target.deadline for tid, info in catalog.targets.items()
                if info.target.deadline}
    assert len(expected) == 68
    assert deadlines == expected


@pytest.mark.parametrize("board", BOARDS)
def test_board_feed_has_exactly_that_boards_dated_targets(catalog, feeds, board):
    feed = feeds[f"calendar/{board}.ics"]
    deadlines = {e["uid"].split("@")[0]: e["dtstart"].dt for e in events(feed, "截止")}
    expected = {f"{info.target.id}-{board}": info.target.deadline
                for info in catalog.board_targets(board) if info.target.deadline}
    assert deadlines == expected
    repeats = {target_of(e) for e in events(feed, "周期任务")}
    assert repeats == {info.target.id for info in catalog.board_targets(board)
                       if info.target.recurrence and info.target.recurrence.every != "day"}


@pytest.mark.parametrize("path", ["calendar/all.ics", "calendar/zouqu.ics"])
def test_recurring_obligations_repeat_once_per_period(catalog, feeds, path):
    found = events(feeds[path], "周期任务")
    assert found
    for event in found:
        recurrence = catalog.targets[target_of(event)].target.recurrence
        start = event["dtstart"].dt
        rule = rrulestr(event["rrule"].to_ical().decode(),
                        dtstart=dt.datetime.combine(start, dt.time()))
        days = [moment.date() for moment in rule]
        assert len(days) == periods_completed(recurrence.every, recurrence.start, recurrence.end)
        assert days[-1] == recurrence.end
        assert all((day + dt.timedelta(days=1)).day == 1 for day in days)  # each a period's end


def test_quarterly_report_dates(feeds):
    for path, feed in feeds.items():
        due = sorted(e["dtstart"].dt for e in events(feed, "季度报送"))
        assert due == [dt.date(2023, 3, 25), dt.date(2023, 6, 25), dt.date(2023, 9, 25),
                       dt.date(2023, 12, 25)], path
    report = next(e for e in events(feeds["calendar/beigang.ics"], "季度报送")
                  if e["dtstart"].dt == dt.date(2023, 6, 25))
    assert str(report["summary"]) == "[报送] 2023年第二季度工作进展"
    assert str(report["url"]) == SITE + "boards/beigang/"
    assert "data/progress/2023Q2/beigang.xlsx 或 .csv，通过拉取请求提交。" in report["description"]
    assert f"报表模板：{SITE}forms/2023Q2/beigang-2023Q2.xlsx" in report["description"]


def test_event_text_for_a_board(feeds):
    event = next(e for e in events(feeds["calendar/beigang.ics"])
                 if str(e["uid"]) == "biaozhunhua-1a-beigang@zhonglou-safety-portal")
    assert str(event["summary"]) == ("[截止] 企业安全生产标准化达标创建：1a 12月底前，"
                                     "推动三级安全生产标准化创建94家，其中邹区镇2…")
    assert str(event["description"]).splitlines() == [
        "目标任务：12月底前，推动三级安全生产标准化创建94家，其中邹区镇25家，北港街道25家，新闻街道22家，"
        "五星街道8家，西林街道8家，永红街道4家，南大街街道1家，荷花池街道1家；",
        "时限：2023年12月31日前",
        "北港街道目标：不少于 25家",
        "责任单位：区局、各板块",
        "联系人：张政（区局）",
        "所属专项：企业安全生产标准化达标创建（小切口，抓关键）；指标编号：biaozhunhua-1a",
        f"详情：{SITE}campaigns/biaozhunhua/#biaozhunhua-1a",
    ]
    assert event["dtstart"].dt == dt.date(2023, 12, 31)
    assert event["dtend"].dt == dt.date(2024, 1, 1)
    alarm = event.walk("VALARM")[0]
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm["trigger"].dt == -dt.timedelta(days=3) + dt.timedelta(hours=9)


def test_district_feed_lists_every_boards_quota(feeds):
    event = next(e for e in events(feeds["calendar/all.ics"])
                 if str(e["uid"]) == "biaozhunhua-1a-all@zhonglou-safety-portal")
    quotas = ("各板块目标：邹区 25，北港 25，新闻 22，五星 8，西林 8，永红 4，"
              "南大街 1，荷花池 1（家）")
    assert quotas in str(event["description"]).splitlines()


@pytest.mark.parametrize(("uid", "owners"), [
    ("weixianyuan-2-repeat-all", "责任单位：邹区、西林"),
    ("weixianyuan-2-repeat-xilin", "责任单位：邹区、西林"),
    ("gaochu-zuoye-2-all", "责任单位：邹区、北港、新闻"),
    ("fenchen-2-beigang", "责任单位：区局、北港"),
    ("biaozhunhua-1a-all", "责任单位：区局、各板块"),
])
def test_event_names_the_boards_unless_every_board_is_responsible(feeds, uid, owners):
    """The names Catalog.responsible gives the pages: 各板块 only when every board takes part."""
    feed = feeds[f"calendar/{uid.rsplit('-', 1)[1]}.ics"]
    event = next(e for e in events(feed) if str(e["uid"]) == f"{uid}@zhonglou-safety-portal")
    assert owners in str(event["description"]).splitlines()


def test_urls_point_at_target_anchors_on_campaign_pages(catalog, feeds):
    ev = evaluate(catalog, [], dt.date(2023, 9, 10))  # anchors do not depend on the reports
    settings = load_inputs(FIXTURE_DATA).settings
    anchors: dict[str, str] = {}
    for campaign_id in catalog.campaigns:
        anchors[campaign_id] = render_page(campaign_page(ev, SiteLayout(YEAR), settings, campaign_id))
    checked = 0
    for feed in feeds.values():
        for event in events(feed):
            url = str(event["url"])
            if "/campaigns/" not in url:
                continue
            page, anchor = url.removeprefix(SITE + "campaigns/").split("/#")
            assert anchor == target_of(event)
            assert f"{{ #{anchor} }}" in anchors[page]
            checked += 1
    assert checked > 68


def test_valid_rfc5545_lines(files):
    for path, data in files.items():
        assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
        lines = data.split(b"\r\n")
        assert b"\n" not in data.replace(b"\r\n", b""), path
        assert max(len(line) for line in lines) <= 75, path
        data.decode("utf-8")  # folding never splits a character
        feed = Calendar.from_ical(data)
        uids = [str(e["uid"]) for e in feed.walk("VEVENT")]
        assert len(uids) == len(set(uids)), path
        for event in feed.walk("VEVENT"):
            assert event["dtstamp"].dt == dt.datetime(2023, 3, 20, tzinfo=dt.UTC)
            assert isinstance(event["dtstart"].dt, dt.date)
            assert not isinstance(event["dtstart"].dt, dt.datetime)
            assert event.walk("VALARM")


def test_events_are_sorted_by_date(feeds):
    for feed in feeds.values():
        keys = [(e["dtstart"].dt, str(e["uid"])) for e in events(feed)]
        assert keys == sorted(keys)


def test_without_a_site_url_events_carry_no_url(catalog):
    feed = Calendar.from_ical(calendar_files(catalog, "", YEAR)["calendar/all.ics"])
    assert all("url" not in event for event in feed.walk("VEVENT"))


def test_same_bytes_every_time(catalog, files):
    assert calendar_files(catalog, SITE, YEAR) == files
    assert calendar_files(catalog, SITE.rstrip("/"), YEAR) == files


def test_same_bytes_in_another_process(files):
    """Hash seeds differ between processes; nothing may depend on set or dict-of-set order."""
    code = ("import hashlib; from pathlib import Path; from generator.inputs.load import load_inputs; "
            "from generator.outputs.calendar_feed import calendar_files; "
            "c = load_inputs(Path('tests/fixtures/data')).catalog(2023); "
            f"f = calendar_files(c, {SITE!r}, 2023); "
            "print(hashlib.sha256(b''.join(f[k] for k in sorted(f))).hexdigest())")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=True)
    expected = hashlib.sha256(b"".join(files[k] for k in sorted(files))).hexdigest()
    assert result.stdout.strip() == expected



# --- same bytes as before; the feed cache ----------------------------------------------------

def digest(files: dict[str, bytes]) -> str:
    """One hash over the paths and each file's sha256, in path order."""
    total = hashlib.sha256()
    for name in sorted(files):
        total.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return total.hexdigest()


PINNED = {SITE: "aaaf2bc1998e1b7e20192636d89ebb66085dba34af7aa51ee9e9d1faac8fbcb2",
          "": "4be9eba1c5e32438a59c25d684d147c50bc044f1dc8c0f351916b850c7640c4e"}
"""digest(calendar_files(...)) for the fixture data, taken when 责任单位 came from
Catalog.responsible (boards by short name, as the pages name them); cached or not, the feeds'
bytes stay these."""


@pytest.mark.skipif(icalendar.__version__ != "7.3.0", reason="pinned with icalendar 7.3.0")
@pytest.mark.parametrize("site", [SITE, ""])
def test_bytes_as_before_the_cache(tmp_path, catalog, site):
    assert digest(calendar_files(catalog, site, YEAR)) == PINNED[site]
    assert digest(calendar_files(catalog, site, YEAR, tmp_path)) == PINNED[site]


def test_feeds_are_icalendars_own_serialisation(files):
    """Parsed and written again by icalendar, a feed is the same bytes: nothing is folded or
    written by hand."""
    for data in files.values():
        assert Calendar.from_ical(data).to_ical() == data


def test_cached_feeds_are_the_same_bytes(tmp_path, catalog, files, monkeypatch):
    cache = tmp_path / "calendar"
    assert calendar_files(catalog, SITE, YEAR, cache) == files
    assert len(list(cache.glob("*.ics"))) == len(files) == len(list(cache.iterdir()))
    without_urls = calendar_files(catalog, "", YEAR, cache)  # URLs are part of the key
    assert without_urls == calendar_files(catalog, "", YEAR) != files

    def no_building(spec):
        raise AssertionError(f"built {spec.title} despite the cache")

    monkeypatch.setattr(calendar_feed, "_feed", no_building)
    assert calendar_files(catalog, SITE, YEAR, cache) == files
    assert calendar_files(catalog, "", YEAR, cache) == without_urls
