"""Deadline calendars: one iCalendar (.ics) feed for the district and one per board.

Each dated target is an all-day event on its deadline; recurring obligations (monthly, quarterly,
yearly) are one event with an RRULE on the last day of each period; the four quarterly progress
reports (每季度末月第 25 日) are events too. Every event reminds three days ahead, at 09:00.

The bytes depend only on the plan, the site URL and the year: UIDs are stable, DTSTAMP is the
notice date, and events are sorted, so a rebuild does not make subscribed calendars churn.

A feed is first described by plain values (`FeedSpec`: its header and one `EventSpec` per event);
with a cache folder the feed's bytes are kept under a content hash of that description, so an
unchanged feed skips icalendar. icalendar builds and serialises the feed (`Calendar.to_ical()`,
which folds the content lines as RFC 5545 asks).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from generator.common.dates import months_later
from generator.common.formatting import EVERY, board_goal, metric_text, number, short, when_text
from generator.common.numerals import quarter_name
from generator.evaluate.calendar import report_due
from generator.inputs.catalog import Catalog, TargetInfo
from generator.site import cache

log = logging.getLogger(__name__)

DOMAIN = "zhonglou-safety-portal"
PRODID = "-//钟楼区应急管理局//安全生产工作进展公示平台//ZH"
TIMEZONE = "Asia/Shanghai"
ALL = "all"
REMINDER = -dt.timedelta(days=3) + dt.timedelta(hours=9)
"""Three days before an all-day event, at 09:00 local time (not at midnight)."""
RRULE_FREQ = {"month": ("MONTHLY", 1), "quarter": ("MONTHLY", 3), "year": ("YEARLY", 1)}
"""Recurrence -> (FREQ, INTERVAL). Daily duties (粉尘清扫日报) are not put in calendars."""
CALENDAR_VERSION = "1"
"""Part of every cache key: bump it whenever the code turning a FeedSpec into bytes changes."""


class EventSpec(NamedTuple):
    """One VEVENT as plain values; `rule` is the RRULE's items in order, or None."""

    uid: str
    day: dt.date
    summary: str
    description: str
    url: str
    category: str
    rule: tuple[tuple[str, object], ...] | None = None


class FeedSpec(NamedTuple):
    """Everything that decides a feed's bytes (its repr is the cache key); events are sorted."""

    title: str
    description: str
    stamp: dt.datetime
    events: tuple[EventSpec, ...]

    def key(self) -> str:
        text = repr((CALENDAR_VERSION, metadata.version("icalendar"), self))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def calendar_files(catalog: Catalog, site_url: str, year: int,
                   cache_dir: Path | None = None) -> dict[str, bytes]:
    """Return calendar/all.ics and calendar/<board>.ics, paths relative to the site root.

    With a `cache_dir`, a feed is read from <cache_dir>/<key>.ics when its FeedSpec's key is
    there, else built and stored; None builds every feed (same bytes either way).
    """
    site_url = site_url.rstrip("/") + "/" if site_url else ""
    files = {}
    for board in (None, *catalog.boards):
        spec = feed_spec(catalog, site_url, year, board)
        data, _ = cache.get_or_make(cache_dir, spec.key(), ".ics", functools.partial(_feed, spec))
        files[f"calendar/{board or ALL}.ics"] = data
    return files


def calendar_links(catalog: Catalog, root: str = "") -> dict[str, str]:
    """Map "all" and each board slug to its feed's link from a page at `root` (e.g. "../")."""
    return {scope: f"{root}calendar/{scope}.ics" for scope in (ALL, *catalog.boards)}


def feed_spec(catalog: Catalog, site_url: str, year: int, board: str | None) -> FeedSpec:
    """Describe one feed (board None: the district's) by plain values, events in feed order."""
    name = catalog.boards[board].name if board else "全区"
    events = [*_target_events(catalog, site_url, board), *_report_events(catalog, site_url, year,
                                                                          board)]
    events.sort(key=lambda e: (e.day, f"{e.uid}@{DOMAIN}"))
    return FeedSpec(
        title=f"{year}年钟楼区安全生产任务截止日（{name}）",
        description=f"{catalog.plan.notice.number}任务分解表的截止日期、周期性任务和"
                    f"季度进展报送日（每季度末月{catalog.plan.notice.report_day}日）",
        stamp=dt.datetime.combine(catalog.plan.notice.date, dt.time(), tzinfo=dt.UTC),
        events=tuple(events))


def _feed(spec: FeedSpec) -> bytes:
    from icalendar import Calendar  # only when a feed is not cached

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", spec.title)
    calendar.add("x-wr-calname", spec.title)
    calendar.add("x-wr-caldesc", spec.description)
    calendar.add("x-wr-timezone", TIMEZONE)
    calendar.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    for event in spec.events:
        component = _event(event)
        component.add("dtstamp", spec.stamp)
        calendar.add_component(component)
    log.debug("calendar %s: %d events", spec.title, len(spec.events))
    return calendar.to_ical()


def _target_events(catalog: Catalog, site_url: str, board: str | None) -> Iterable[EventSpec]:
    scope = board or ALL
    for info in catalog.targets.values():
        if board is not None and board not in info.boards:
            continue
        target = info.target
        if target.deadline:
            yield EventSpec(f"{target.id}-{scope}", target.deadline, f"[截止] {_label(info)}",
                         _description(catalog, info, board, site_url),
                         _target_url(site_url, info), "截止")
        recurrence = target.recurrence
        if recurrence and recurrence.every in RRULE_FREQ:
            freq, interval = RRULE_FREQ[recurrence.every]
            first = _period_end(recurrence.start, 12 if freq == "YEARLY" else interval)
            until = recurrence.end or dt.date(first.year, 12, 31)
            rule = {"freq": freq, "until": until}
            if interval > 1:
                rule["interval"] = interval
            if freq == "MONTHLY":
                rule["bymonthday"] = -1  # the last day of each period
            yield EventSpec(f"{target.id}-repeat-{scope}", first,
                            f"[{EVERY[recurrence.every]}] {_label(info)}",
                            _description(catalog, info, board, site_url),
                            _target_url(site_url, info), "周期任务", tuple(rule.items()))


def _report_events(catalog: Catalog, site_url: str, year: int,
                   board: str | None) -> Iterable[EventSpec]:
    scope = board or ALL
    notice = catalog.plan.notice
    requirement = next((r.text for r in notice.requirements if "季度" in r.text), "")
    for quarter in range(1, 5):
        due = report_due(year, quarter, notice.report_day)
        folder = f"data/progress/{year}Q{quarter}"
        who = catalog.boards[board].name if board else "各板块"
        lines = [f"{who}报送{year}年{quarter_name(quarter)}工作进展"
                 "（截至上报日的累计值）。",
                 f"通知要求：{requirement}" if requirement else "",
                 f"报送文件：{folder}/{board or '<板块编号>'}.xlsx 或 .csv，通过拉取请求提交。"]
        if site_url and board:
            lines.append(f"报表模板：{site_url}forms/{year}Q{quarter}/{board}-{year}Q{quarter}.xlsx")
        url = f"{site_url}boards/{board}/" if site_url and board else (
            f"{site_url}contacts/" if site_url else "")
        summary = f"[报送] {year}年{quarter_name(quarter)}工作进展"
        yield EventSpec(f"report-{year}q{quarter}-{scope}", due, summary,
                     "\n".join(line for line in lines if line), url, "季度报送")


def _event(spec: EventSpec):
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", f"{spec.uid}@{DOMAIN}")
    event.add("dtstart", spec.day)
    event.add("dtend", spec.day + dt.timedelta(days=1))
    event.add("summary", spec.summary)
    event.add("description", spec.description)
    if spec.url:
        event.add("url", spec.url)
    event.add("categories", [spec.category])
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy all day
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", spec.summary)
    alarm.add("trigger", REMINDER)
    event.add_component(alarm)
    if spec.rule is not None:
        event.add("rrule", dict(spec.rule))
    return event


def _label(info: TargetInfo) -> str:
    text = short(info.target.text, 30)
    return f"{info.campaign.name}：{info.target.no} {text}" if info.target.no else \
        f"{info.campaign.name}：{text}"


def _target_url(site_url: str, info: TargetInfo) -> str:
    return f"{site_url}campaigns/{info.campaign.id}/#{info.target.id}" if site_url else ""


def _description(catalog: Catalog, info: TargetInfo, board: str | None, site_url: str) -> str:
    target = info.target
    lines = [f"目标任务：{target.text}", f"时限：{when_text(target)}"]
    if board is not None:
        goal = board_goal(info, board)
        if goal:
            lines.append(f"{catalog.boards[board].name}目标：{goal}")
    elif target.quotas:
        quotas = "，".join(f"{catalog.boards[slug].short} {number(value)}"
                           for slug, value in target.quotas.items())
        lines.append(f"各板块目标：{quotas}{_unit(info)}")
    elif target.metric and target.metric.kind != "done":
        lines.append(f"指标：{metric_text(target.metric)}")
    lines.append(f"责任单位：{'、'.join(catalog.responsible(info))}")  # as the pages say it
    if info.campaign.contacts:
        lines.append(f"联系人：{'、'.join(_contact(catalog, n) for n in info.campaign.contacts)}")
    lines.append(f"所属专项：{info.campaign.name}（{info.pillar.name}）；指标编号：{target.id}")
    if site_url:
        lines.append(f"详情：{_target_url(site_url, info)}")
    return "\n".join(lines)


def _unit(info: TargetInfo) -> str:
    metric = info.target.metric
    return f"（{metric.unit}）" if metric and metric.unit else ""


def _contact(catalog: Catalog, name: str) -> str:
    contact = next((c for c in catalog.directory.contacts if c.name == name), None)
    return f"{name}（{contact.unit}）" if contact else name


def _period_end(start: dt.date, months: int) -> dt.date:
    """Last day of the first period of `months` months that begins in start's month."""
    return months_later(start, months) - dt.timedelta(days=1)
