"""Tests for generator.inputs.catalog: who is responsible, as pages, calendars and open data say it."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import FIXTURE_DATA

from generator.inputs.catalog import Catalog
from generator.inputs.load import load_inputs
from generator.inputs.models import Board, Directory, Notice, Plan, Unit

BOARDS = [("aa", "甲街道", "甲"), ("bb", "乙街道", "乙"), ("cc", "丙街道", "丙"), ("dd", "丁街道", "丁")]
UNITS = [Unit(name="区局", full_name="区应急管理局", level="区", slug="quju", reports=True),
         Unit(name="各板块", full_name="各板块", level="板块", all_boards=True)]


def catalog_of(targets: list[dict], boards=BOARDS) -> Catalog:
    directory = Directory(
        boards=[Board(slug=slug, name=name, short=short) for slug, name, short in boards],
        units=UNITS, contacts=[])
    notice = Notice(number="测试〔2023〕1号", title="测试计划", issuer="区局",
                    date=dt.date(2023, 3, 1), recipients=["各板块"], preamble="前言",
                    requirements=[], attachment="附件", closing="结语")
    targets = [{"no": str(n), "text": f"任务{n}", "deadline": dt.date(2023, 12, 31),
                "kind": "milestone", "metric": {"kind": "done"}, **target}
               for n, target in enumerate(targets, 1)]
    plan = Plan.model_validate({
        "year": 2023, "notice": notice.model_dump(),
        "pillars": [{"id": "p", "no": 1, "name": "小切口，抓关键", "short": "小切口", "groups": [
            {"campaigns": [{"id": "camp", "name": "测试专项", "responsible": ["区局"],
                            "contacts": [], "targets": targets}]}]}]})
    return Catalog.build(directory, plan)


CASES = [
    # owners, support, quotas → every owner, the leads (主办), the supporters (配合)
    ({"owners": ["区局", "各板块"]}, ["区局", "各板块"], ["区局", "各板块"], []),
    ({"owners": ["bb"]}, ["乙"], ["乙"], []),
    ({"owners": ["cc", "区局", "aa", "bb"]}, ["区局", "甲", "乙", "丙"], ["区局", "甲", "乙", "丙"],
     []),
    ({"owners": [], "quotas": {"dd": 1, "cc": 2, "bb": 3, "aa": 4},
      "metric": {"kind": "count", "unit": "家"}}, ["各板块"], ["各板块"], []),
    ({"owners": ["aa"], "support": ["区局", "bb"]}, ["区局", "甲", "乙"], ["甲"], ["区局", "乙"]),
    ({"owners": ["各板块"], "support": ["bb"]}, ["各板块"], ["各板块"], []),
    ({"owners": ["区局"], "support": ["各板块"]}, ["区局", "各板块"], ["区局"], ["各板块"]),
]


@pytest.mark.parametrize(("target", "everyone", "leads", "supporters"), CASES)
def test_responsible_names_the_boards_unless_every_board_takes_part(target, everyone, leads,
                                                                    supporters):
    catalog = catalog_of([{"id": "t-1", **target}])
    info = catalog.targets["t-1"]
    assert catalog.responsible(info) == everyone
    assert catalog.responsible(info, "lead") == leads
    assert catalog.responsible(info, "support") == supporters


def test_the_only_board_of_a_directory_is_named_not_called_every_board():
    catalog = catalog_of([{"id": "t-1", "owners": ["各板块"]}], boards=BOARDS[:1])
    assert catalog.responsible(catalog.targets["t-1"]) == ["甲"]


@pytest.mark.parametrize(("target", "names"), [
    ("biaozhunhua-1a", ["区局", "各板块"]),
    ("fenchen-2", ["区局", "北港"]),
    ("weixianyuan-2", ["邹区", "西林"]),
    ("gaochu-zuoye-2", ["邹区", "北港", "新闻"]),
    ("chanye-yuanqu-1", ["北港", "新闻"]),
    ("xianchang-tisheng-3", ["邹区", "北港", "新闻", "五星", "西林", "永红"]),
])
def test_responsible_in_the_sample_plan(target, names):
    catalog = load_inputs(FIXTURE_DATA).catalog(2023)
    assert catalog.responsible(catalog.targets[target]) == names
