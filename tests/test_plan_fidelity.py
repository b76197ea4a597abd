"""Fidelity of data/boards.yaml and data/plans/2023.yaml to the source document.

The source is 钟应急〔2023〕12号 and its attachment table, kept verbatim at
data/source/钟应急〔2023〕12号.txt. These tests compare the transcription with that text
(quotas, totals, deadlines, owners, contacts, verbatim wording), not just counts.
They use only yaml.safe_load and the pydantic models.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from generator.inputs.models import Campaign, Directory, Plan, Target

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "source" / "钟应急〔2023〕12号.txt"
BOARDS = ROOT / "data" / "boards.yaml"
PLAN = ROOT / "data" / "plans" / "2023.yaml"

SLUGS = {
    "邹区镇": "zouqu", "北港街道": "beigang", "新闻街道": "xinwen", "五星街道": "wuxing",
    "西林街道": "xilin", "永红街道": "yonghong", "南大街街道": "nandajie",
    "荷花池街道": "hehuachi",
}


def squeeze(text: str) -> str:
    """Drop all whitespace, so line breaks and stray spaces of the extraction don't matter."""
    return re.sub(r"\s+", "", text)


@cache
def source() -> str:
    return SOURCE.read_text(encoding="utf-8")


@cache
def source_flat() -> str:
    """The document without whitespace and without the HTML paragraph tags of some rows."""
    return squeeze(re.sub(r"</?p>", "", source()))


@cache
def directory() -> Directory:
    return Directory.model_validate(yaml.safe_load(BOARDS.read_text(encoding="utf-8")))


@cache
def plan() -> Plan:
    return Plan.model_validate(yaml.safe_load(PLAN.read_text(encoding="utf-8")))


def campaigns() -> list[Campaign]:
    return [c for p in plan().pillars for g in p.groups for c in g.campaigns]


def campaign(campaign_id: str) -> Campaign:
    found = [c for c in campaigns() if c.id == campaign_id]
    assert found, f"campaign {campaign_id} missing"
    return found[0]


def targets() -> list[Target]:
    return [t for c in campaigns() for t in c.targets]


def target(target_id: str) -> Target:
    found = [t for t in targets() if t.id == target_id]
    assert found, f"target {target_id} missing"
    return found[0]


def in_source(text: str) -> bool:
    return squeeze(text) in source_flat()


# --- the directory ---------------------------------------------------------------------------

def test_boards_fixed_order_and_slugs():
    boards = directory().boards
    assert [(b.slug, b.name) for b in boards] == [(s, n) for n, s in SLUGS.items()]
    shorts = {b.slug: b.short for b in boards}
    assert shorts == {
        "zouqu": "邹区", "beigang": "北港", "xinwen": "新闻", "wuxing": "五星", "xilin": "西林",
        "yonghong": "永红", "nandajie": "南大街", "hehuachi": "荷花池",
    }
    zouqu = boards[0]
    assert {"高新园", "高新园（邹区镇）", "邹区"} <= set(zouqu.aliases)


@pytest.mark.parametrize("slug", list(SLUGS.values()))
def test_every_board_slug_present(slug):
    assert slug in {b.slug for b in directory().boards}


@pytest.mark.parametrize("name", list(SLUGS))
def test_every_board_name_is_in_the_document(name):
    assert name in source_flat()


def test_names_and_aliases_are_unambiguous():
    d = directory()
    names = [b.name for b in d.boards] + [b.slug for b in d.boards] + [u.name for u in d.units]
    assert len(names) == len(set(names))
    aliases = [a for entry in [*d.boards, *d.units] for a in entry.aliases]
    assert len(aliases) == len(set(aliases))
    assert not set(aliases) & set(names)


def test_units_named_in_the_document():
    units = {u.name: u for u in directory().units}
    for name in ["区局", "市局", "市应急局", "市应急保障中心", "各辖市区", "指挥中心", "各板块"]:
        assert name in units
        assert name in source_flat(), name
    assert units["区局"].full_name == "常州市钟楼区应急管理局"
    assert units["区局"].level == "区"
    assert units["市局"].level == units["市应急局"].level == units["指挥中心"].level == "市"
    assert units["市应急保障中心"].level == "市"
    assert "中心" in units["市应急保障中心"].aliases
    assert units["各辖市区"].level == "其他"
    assert units["各板块"].all_boards and units["各板块"].level == "板块"
    assert {"各地区", "各街道", "各板块综合执法局"} <= set(units["各板块"].aliases)
    assert [u.name for u in directory().units if u.all_boards] == ["各板块"]


def test_contacts():
    contacts = {c.name: c for c in directory().contacts}
    assert set(contacts) == {"张政", "刘根", "张焯", "焦江", "钱凌云", "法规处"}
    for name, contact in contacts.items():
        assert name in source_flat()
        assert contact.unit == "区局"
        assert contact.kind == ("处室" if name == "法规处" else "个人")


def test_no_invented_phone_numbers():
    for path in (BOARDS, PLAN):
        assert not re.search(r"\d{7,}", path.read_text(encoding="utf-8")), path


# --- the notice -------------------------------------------------------------------------------

def test_notice_fields_verbatim():
    n = plan().notice
    assert plan().year == 2023
    assert n.number == "钟应急〔2023〕12号" and n.number in source()
    assert n.title == "关于印发《2023年度钟楼区冶金等工贸行业安全生产工作任务分解表》的通知"
    assert n.title in source()
    assert n.issuer == "常州市钟楼区应急管理局"
    assert source().count(n.issuer) >= 2  # letterhead and signature
    assert n.date == dt.date(2023, 3, 20) and "2023年3月20日" in source_flat()
    assert n.recipients == ["各科室（大队）", "高新园（邹区镇）", "各街道综合行政执法局"]
    assert "、".join(n.recipients) + "：" in source()
    assert n.preamble.startswith("为更好地完成") and n.preamble in source()
    assert in_source("附件：" + n.attachment)
    assert n.closing.startswith("请各地统筹好各项工作进展") and n.closing in source()
    assert n.report_day == 25 and "每季度末的第25日" in source_flat()


@pytest.mark.parametrize(
    ("no", "numeral", "title"),
    [(1, "一", "加快工作落实"), (2, "二", "定期总结通报"), (3, "三", "强化成果转化")],
)
def test_requirements_verbatim(no, numeral, title):
    requirement = plan().notice.requirements[no - 1]
    assert (requirement.no, requirement.title) == (no, title)
    paragraph = f"{numeral}、{title}。{requirement.text}"
    assert in_source(paragraph)
    # the paragraph is complete: the next thing after it is the next requirement or 附件
    after = source_flat().split(squeeze(paragraph), 1)[1]
    assert after.startswith(("二、", "三、", "附件："))


def test_three_requirements():
    assert [r.no for r in plan().notice.requirements] == [1, 2, 3]


# --- pillars and groups -----------------------------------------------------------------------

def test_pillars():
    pillars = plan().pillars
    assert [(p.id, p.no, p.name, p.short) for p in pillars] == [
        ("xiaoqiekou", 1, "小切口，抓关键", "小切口"),
        ("weimokuai", 2, "微模块，强规范", "微模块"),
        ("xichuangxin", 3, "细创新，重实效", "细创新"),
        ("qiandaoli", 4, "浅道理，入人心", "浅道理"),
    ]
    numerals = "一二三四"
    for pillar in pillars:
        assert f"{numerals[pillar.no - 1]}、{pillar.name}" in source_flat()


def test_groups():
    groups = {p.id: [g.name for g in p.groups] for p in plan().pillars}
    assert groups == {
        "xiaoqiekou": ["重点专项", "重点工作"],
        "weimokuai": ["已使用模块", "地区试点运行功能模块", "新增模块试运行"],
        "xichuangxin": [None],
        "qiandaoli": ["培训教育", "典型引领", "其他任务"],
    }
    for names in groups.values():
        for name in names:
            if name not in (None, "其他任务"):
                assert name in source_flat()


def campaign_names_of_group(pillar_id: str, group_name: str | None) -> list[str]:
    pillar = next(p for p in plan().pillars if p.id == pillar_id)
    group = next(g for g in pillar.groups if g.name == group_name)
    return [c.name for c in group.campaigns]


def test_campaigns_in_each_group():
    assert campaign_names_of_group("xiaoqiekou", "重点专项") == [
        "中小企业安全生产现场管理提升行动", "金属冶炼整治提升", "粉尘涉爆整治提升",
        "重大危险源管理", "危险作业（高处作业）", "危险作业（有限空间作业）", "钢结构专项整治",
        "危化品使用企业", "劳动密集型工业企业",
    ]
    assert len(campaign_names_of_group("xiaoqiekou", "重点工作")) == 4
    assert campaign_names_of_group("weimokuai", "已使用模块") == [
        "标准化模块", "中介机构", "指导服务", "企业事故管理", "网格化", "安全专家", "安全培训考核",
        "安全费用管理", "安全责任保险", "企业信用管理", "常安码",
    ]
    assert campaign_names_of_group("weimokuai", "地区试点运行功能模块") == [
        "特殊作业", "工矿监测预警",
    ]
    assert campaign_names_of_group("weimokuai", "新增模块试运行") == [
        "新增企业安全生产三同时管理模块", "开展重点企业标签化管理",
    ]
    assert campaign_names_of_group("xichuangxin", None) == [
        "危化品仓库管理", "标杆示范企业创建", "社团组织互助管理", "《风险管控词典》编写",
        "行业领域指导手册编写", "新能源安全管理", "产业园区可视化管理",
    ]
    assert campaign_names_of_group("qiandaoli", "培训教育") == [
        "安全教育“软件”提升", "安全考试题库升级", "三级教育精品课程",
    ]
    assert campaign_names_of_group("qiandaoli", "典型引领") == ["机械伤害事故警示教育基地"]
    assert campaign_names_of_group("qiandaoli", "其他任务") == ["完成上级交办的其他任务"]


def test_campaign_count():
    assert 38 <= len(campaigns()) <= 42


def test_ids_unique_and_well_formed():
    ids = [c.id for c in campaigns()] + [t.id for t in targets()]
    assert len(ids) == len(set(ids))
    for c in campaigns():
        assert c.targets, c.id
        for t in c.targets:
            assert t.id.startswith(c.id + "-"), t.id


# names we had to give rows that print none; every other campaign name is printed verbatim
DERIVED_NAMES = {"工业企业较大以上风险报告", "企业安全生产标准化达标创建", "网格化监管"}


def test_campaign_names_verbatim():
    for c in campaigns():
        if c.name not in DERIVED_NAMES:
            assert in_source(c.name), c.name
    for name in DERIVED_NAMES:
        assert name in {c.name for c in campaigns()}


# --- verbatim text ----------------------------------------------------------------------------

@pytest.mark.parametrize("target_id", [t.id for t in targets()])
def test_target_text_verbatim(target_id):
    assert in_source(target(target_id).text)


@pytest.mark.parametrize("campaign_id", [c.id for c in campaigns()])
def test_campaign_work_and_focus_verbatim(campaign_id):
    c = campaign(campaign_id)
    if c.work is not None:
        assert in_source(c.work)
        assert "小切口" not in c.work
    if c.focus is not None:
        assert in_source("小切口：" + c.focus)


def test_work_present_where_the_row_has_a_work_cell():
    with_work = {c.id for c in campaigns() if c.work}
    assert {
        "xianchang-tisheng", "jinshu-yelian", "fenchen", "weixianyuan", "gaochu-zuoye",
        "youxian-kongjian", "gangjiegou", "fengxian-baogao", "shangmao-jiancha", "biaozhunhua",
        "wanggeyuan", "mk-teshu-zuoye", "weihuapin-cangku", "biaogan-shifan", "shetuan-huzhu",
        "fengxian-cidian", "hangye-shouce", "xinnengyuan",
    } == with_work


def test_focus_of_every_xiaoqiekou_row():
    focus = {c.id: c.focus for c in campaigns() if c.focus}
    assert focus == {
        "fenchen": "可燃性粉尘清扫报告",
        "weixianyuan": "各地区结合企业现场实际，分别为企业制定个性化自查清单。",
        "youxian-kongjian": "实施“挂牌上锁”",
        "weihuapin-shiyong": (
            "围绕设施防爆、应急装备、检测措施、储存条件、搬运堆放、管理要求、监测报警等领域等方面"
            "打造危险品仓储示范点"
        ),
        "laodong-miji": "推广简易烟感报警装置",
    }
    assert source_flat().count("小切口：") == len(focus)


def test_typos_kept_verbatim():
    texts = [t.text for t in targets()]
    assert sum("金属溶炼" in t for t in texts) == 2
    assert any(t.startswith("6月底底前") for t in texts)
    assert "较上以上" in campaign("fengxian-cidian").work
    assert "险扫码逾期率" in target("mk-changanma-1a").text


def test_numbered_items_complete():
    """Every numbered item of the table appears, in order, as the start of a target."""
    numbered = {
        "xianchang-tisheng": ["1", "2a", "2b", "3"],
        "jinshu-yelian": ["1", "2"],
        "fenchen": ["1a", "1b", "1c", "2", "3"],
        "weixianyuan": ["1", "2", "3"],
        "gaochu-zuoye": ["1", "2"],
        "fengxian-baogao": ["1a", "1b", "2", "3"],  # 1 names two indicators: split
        "biaozhunhua": ["1a", "1b", "2"],
        "wanggeyuan": ["1", "2a", "2b", "3", "4"],
        "mk-anquan-zhuanjia": ["1", "2", "3"],
        "mk-peixun-kaohe": ["1", "2", "3a", "3b"],
        "mk-teshu-zuoye": ["1", "2", "3", "3"],  # the document prints 3 twice
        "mk-santongshi": ["1", "2"],
        "hangye-shouce": ["1", "2"],
    }
    for campaign_id, numbers in numbered.items():
        assert [t.no for t in campaign(campaign_id).targets] == numbers, campaign_id
    assert [t.id for t in campaign("mk-teshu-zuoye").targets][-1] == "mk-teshu-zuoye-4"


def test_split_parts_reassemble_to_the_printed_item():
    """Split items (1a, 1b ...) concatenate back to exactly one printed passage."""
    for campaign_id in ["fenchen", "biaozhunhua", "youxian-kongjian", "mk-changanma",
                        "mk-xinyong", "mk-wanggehua", "mk-jiance-yujing", "mk-peixun-kaohe",
                        "wanggeyuan", "xianchang-tisheng"]:
        parts = [t.text for t in campaign(campaign_id).targets
                 if t.id[len(campaign_id) + 1:][-1:].isalpha()]
        assert len(parts) >= 2, campaign_id
        assert in_source("".join(parts)), campaign_id


# --- nothing dropped --------------------------------------------------------------------------

# fields we write in our own words; a phrase found only there does not count as transcribed
PARAPHRASES = {"subject", "note", "description"}


def all_yaml_strings() -> str:
    """Every transcribed string of the plan and directory, squeezed, with separators."""
    out: list[str] = []

    def walk(value):
        if isinstance(value, str):
            out.append(squeeze(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in PARAPHRASES:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(yaml.safe_load(PLAN.read_text(encoding="utf-8")))
    walk(yaml.safe_load(BOARDS.read_text(encoding="utf-8")))
    return "\x00".join(out)


def test_every_phrase_of_the_table_is_transcribed():
    table = source().split("2023年度钟楼区冶金等工贸行业安全生产工作任务分解表\n\n", 1)[1]
    table = table.split("\n", 1)[1]  # skip the header row 类别 重点专项 具体工作 ...
    table = re.sub(r"</?p>", "", table)
    table = re.sub(r"街\s+道", "街道", table)  # 北港街 道
    table = table.replace("区局各辖市区", "区局、各辖市区")  # missing separator
    corpus = all_yaml_strings()
    missing = []
    for cell in re.split(r"[\t\n]+", table):
        cell = re.sub(r"(^|[\s；])\d\.\s*", r"\1", cell)  # item numbers 1. 2. ...
        for phrase in re.split(r"[；。，、：\s]+", cell):
            phrase = squeeze(phrase)
            phrase = re.sub(r"^[一二三四]", "", phrase)
            if len(phrase) >= 2 and phrase not in corpus:
                missing.append(phrase)
    assert not missing, missing


# --- quotas and totals ------------------------------------------------------------------------

QUOTAS = [
    # (target id, board slug, number, phrase in the target text)
    ("xianchang-tisheng-3", "zouqu", 3, "邹区镇、北港街道、新闻街道各培育3家"),
    ("xianchang-tisheng-3", "beigang", 3, "邹区镇、北港街道、新闻街道各培育3家"),
    ("xianchang-tisheng-3", "xinwen", 3, "邹区镇、北港街道、新闻街道各培育3家"),
    ("xianchang-tisheng-3", "wuxing", 1, "五星街道、西林街道、永红街道各培育1家"),
    ("xianchang-tisheng-3", "xilin", 1, "五星街道、西林街道、永红街道各培育1家"),
    ("xianchang-tisheng-3", "yonghong", 1, "五星街道、西林街道、永红街道各培育1家"),
    ("gaochu-zuoye-2", "zouqu", 3, "邹区镇选树3个"),
    ("gaochu-zuoye-2", "beigang", 1, "北港选树1个"),
    ("gaochu-zuoye-2", "xinwen", 1, "新闻选树1个"),
    ("youxian-kongjian-1b", "zouqu", 7, "邹区镇不少于7个"),
    ("youxian-kongjian-1b", "beigang", 4, "北港街道不少于4个"),
    ("youxian-kongjian-1b", "xinwen", 2, "新闻街道不少于2个"),
    ("weihuapin-shiyong-1", "zouqu", 2, "邹区镇不少于2个"),
    ("weihuapin-shiyong-1", "beigang", 1, "北港街道不少于1个"),
    ("weihuapin-shiyong-1", "xinwen", 1, "新闻街道不少于1个"),
    ("biaozhunhua-1a", "zouqu", 25, "邹区镇25家"),
    ("biaozhunhua-1a", "beigang", 25, "北港街道25家"),
    ("biaozhunhua-1a", "xinwen", 22, "新闻街道22家"),
    ("biaozhunhua-1a", "wuxing", 8, "五星街道8家"),
    ("biaozhunhua-1a", "xilin", 8, "西林街道8家"),
    ("biaozhunhua-1a", "yonghong", 4, "永红街道4家"),
    ("biaozhunhua-1a", "nandajie", 1, "南大街街道1家"),
    ("biaozhunhua-1a", "hehuachi", 1, "荷花池街道1家"),
    ("biaozhunhua-1b", "zouqu", 13, "邹区镇13家"),
    ("biaozhunhua-1b", "beigang", 12, "北港街道12家"),
    ("biaozhunhua-1b", "xinwen", 12, "新闻街道12家"),
    ("biaozhunhua-1b", "wuxing", 4, "五星街道4家"),
    ("biaozhunhua-1b", "xilin", 3, "西林街道3家"),
    ("biaozhunhua-1b", "yonghong", 1, "永红街道1家"),
    ("biaozhunhua-1b", "nandajie", 1, "南大街街道1家"),
    ("biaozhunhua-1b", "hehuachi", 1, "荷花池街道1家"),
    ("biaogan-shifan-1", "zouqu", 3, "邹区镇不少于3家"),
    ("biaogan-shifan-1", "beigang", 3, "北港街道不少于3家"),
    ("biaogan-shifan-1", "xinwen", 3, "新闻街道不少于3家"),
    # 其他街道不少于1家 → each of the five other streets
    ("biaogan-shifan-1", "wuxing", 1, "其他街道不少于1家"),
    ("biaogan-shifan-1", "xilin", 1, "其他街道不少于1家"),
    ("biaogan-shifan-1", "yonghong", 1, "其他街道不少于1家"),
    ("biaogan-shifan-1", "nandajie", 1, "其他街道不少于1家"),
    ("biaogan-shifan-1", "hehuachi", 1, "其他街道不少于1家"),
]


@pytest.mark.parametrize(("target_id", "slug", "number", "phrase"), QUOTAS)
def test_quota(target_id, slug, number, phrase):
    t = target(target_id)
    assert t.quotas[slug] == number
    assert phrase in t.text
    assert in_source(t.text)


def test_no_quota_beyond_the_document():
    expected: dict[str, set[str]] = {}
    for target_id, slug, _, _ in QUOTAS:
        expected.setdefault(target_id, set()).add(slug)
    actual = {t.id: set(t.quotas) for t in targets() if t.quotas}
    assert actual == expected
    for t in targets():
        if t.quotas:
            assert t.metric is not None and t.metric.value is None, t.id


@pytest.mark.parametrize(
    ("target_id", "total", "phrase"),
    [
        ("biaozhunhua-1a", 94, "推动三级安全生产标准化创建94家"),
        ("biaozhunhua-1b", 47, "全区组织评审不少于47家"),
    ],
)
def test_totals_equal_quota_sums(target_id, total, phrase):
    t = target(target_id)
    assert t.metric.total == total
    assert sum(t.quotas.values()) == total
    assert phrase in t.text and phrase in source_flat()
    assert set(t.quotas) == set(SLUGS.values())


def test_total_only_where_stated():
    assert {t.id for t in targets() if t.metric and t.metric.total is not None} == {
        "biaozhunhua-1a", "biaozhunhua-1b",
    }


# --- thresholds -------------------------------------------------------------------------------

THRESHOLDS = [
    # (target id, kind, op, value, unit, phrase)
    ("xianchang-tisheng-2a", "percent", ">=", 5, "%", "不低于5%"),
    ("fenchen-1a", "count", "<=", 2, "家", "不得超过2家"),
    ("fenchen-1b", "count", "<=", 0, "家", "严禁出现7天未上报"),
    ("laodong-miji-1", "percent", ">=", 50, "%", "不少于50%"),
    ("biaozhunhua-2", "percent", ">=", 20, "%", "不少于20%"),
    ("wanggeyuan-1", "count", ">=", 1, "轮次", "1轮次"),
    ("wanggeyuan-2b", "count", ">=", 1, "轮次", "不少于1轮次"),
    ("wanggeyuan-4", "count", ">=", 2, "个", "培育2个"),
    ("mk-anquan-zhuanjia-1", "percent", ">=", 50, "%", "不得低于50%"),
    ("mk-anquan-zhuanjia-2", "percent", ">=", 100, "%", "入库率100%"),
    ("mk-anquan-zhuanjia-3", "percent", ">=", 80, "%", "不得低于80%"),
    ("mk-anquan-feiyong-1", "percent", ">=", 80, "%", "不得低于80%"),
    ("mk-zerenxian-1", "percent", ">=", 97, "%", "不得低于97%"),
    ("mk-changanma-1a", "percent", "<=", 20, "%", "不高于20%"),
    ("mk-changanma-1b", "percent", ">=", 75, "%", "不低于75%"),
    ("mk-changanma-1c", "ratio", ">=", 1.0, None, "不低于1.0"),
    ("mk-changanma-1d", "count", ">=", 9.2, "条", "（9.2条）"),
    ("mk-teshu-zuoye-1", "count", ">=", 20, "家", "挑选20家"),
    ("weixianyuan-1", "count", ">=", 3, "家", "3家重大危险源"),
    ("weixianyuan-3", "count", ">=", 1, "次", "不少于1次"),
    ("mk-peixun-kaohe-3a", "count", ">=", 2, "次", "不少于2次"),
    ("kaoshi-tiku-1", "count", ">=", 200, "道", "不少于200道题"),
    ("jingpin-kecheng-1", "count", ">=", 1, "节", "不少于1节课"),
    ("anquan-jiaoyu-2", "count", ">=", 1, "部", "不少于1部"),
    ("fenchen-3", "count", ">=", 2, "家", "完成2家"),
    ("mk-santongshi-2", "count", ">=", 3, "个", "选择3个"),
]


@pytest.mark.parametrize(("target_id", "kind", "op", "value", "unit", "phrase"), THRESHOLDS)
def test_threshold(target_id, kind, op, value, unit, phrase):
    t = target(target_id)
    assert (t.metric.kind, t.metric.op, t.metric.value, t.metric.unit) == (kind, op, value, unit)
    assert phrase in t.text


def test_measurable_metrics_have_a_value_or_quotas():
    for t in targets():
        if t.metric and t.metric.kind != "done":
            assert t.metric.value is not None or t.quotas or t.baseline, t.id
        if t.metric and t.metric.kind == "done":
            assert t.metric.value is None and not t.quotas, t.id


# --- deadlines --------------------------------------------------------------------------------

DEADLINES = [
    # (target id, phrase at the start of or inside the text, date)
    ("xianchang-tisheng-1", "3月底前", "2023-03-31"),
    ("xianchang-tisheng-2a", "5月底前", "2023-05-31"),
    ("xianchang-tisheng-2b", "6月底前", "2023-06-30"),
    ("xianchang-tisheng-3", "6月底前", "2023-06-30"),
    ("jinshu-yelian-1", "5月底前", "2023-05-31"),
    ("fenchen-2", "12月底前", "2023-12-31"),
    ("fenchen-3", "12月底前", "2023-12-31"),
    ("weixianyuan-1", "6月底前", "2023-06-30"),
    ("gaochu-zuoye-1", "5月底前", "2023-05-31"),
    ("gaochu-zuoye-2", "6月底底前", "2023-06-30"),
    ("youxian-kongjian-1a", "年底前", "2023-12-31"),
    ("gangjiegou-1", "12月底前", "2023-12-31"),
    ("weihuapin-shiyong-1", "12月底前", "2023-12-31"),
    ("laodong-miji-1", "12月底前", "2023-12-31"),
    ("fengxian-baogao-1a", "3月底前", "2023-03-31"),
    ("biaozhunhua-1a", "12月底前", "2023-12-31"),
    ("biaozhunhua-2", "12月底前", "2023-12-31"),
    ("wanggeyuan-1", "6月份", "2023-06-30"),
    ("wanggeyuan-2a", "全年", "2023-12-31"),
    ("wanggeyuan-2b", "全年", "2023-12-31"),
    ("wanggeyuan-4", "12月底前", "2023-12-31"),
    ("mk-biaozhunhua-1", "4月底前", "2023-04-30"),
    ("mk-wanggehua-1a", "7月底前", "2023-07-31"),
    ("mk-peixun-kaohe-1", "6月底前", "2023-06-30"),
    ("mk-zerenxian-1", "2023年底", "2023-12-31"),
    ("mk-teshu-zuoye-1", "3月底前", "2023-03-31"),
    ("mk-teshu-zuoye-2", "6月底前", "2023-06-30"),
    ("mk-teshu-zuoye-3", "6月底前", "2023-06-30"),
    ("mk-teshu-zuoye-4", "年底前", "2023-12-31"),
    ("mk-jiance-yujing-1a", "2月底前", "2023-02-28"),
    ("mk-santongshi-2", "年底前", "2023-12-31"),
    ("weihuapin-cangku-1", "9月底前", "2023-09-30"),
    ("biaogan-shifan-1", "12月底前", "2023-12-31"),
    ("shetuan-huzhu-1", "年底前", "2023-12-31"),
    ("fengxian-cidian-1", "6月底前", "2023-06-30"),
    ("hangye-shouce-1", "6月底前", "2023-06-30"),
    ("hangye-shouce-2", "6月底前", "2023-06-30"),
    ("xinnengyuan-1", "年底前", "2023-12-31"),
    ("chanye-yuanqu-1", "6月底前", "2023-06-30"),
    ("anquan-jiaoyu-1", "3月底前", "2023-03-31"),
    ("anquan-jiaoyu-2", "9月底前", "2023-09-30"),
    ("kaoshi-tiku-1", "9月底前", "2023-09-30"),
    ("jingpin-kecheng-1", "9月底前", "2023-09-30"),
    ("jingshi-jidi-1", "9月底前", "2023-09-30"),
]


@pytest.mark.parametrize(("target_id", "phrase", "date"), DEADLINES)
def test_deadline_matches_the_phrase(target_id, phrase, date):
    t = target(target_id)
    assert phrase in t.text
    assert in_source(t.text)
    assert t.deadline == dt.date.fromisoformat(date)


def test_dates_within_2023():
    for t in targets():
        dates = [t.deadline, t.start]
        if t.recurrence:
            dates += [t.recurrence.start, t.recurrence.end]
        for value in dates:
            assert value is None or value.year == 2023, t.id


def test_targets_without_a_stated_time_are_annual_with_a_note():
    time_words = ("月底", "年底", "全年", "月份", "每月", "每季度", "季度起", "7月起", "每日",
                  "日报")
    for c in campaigns():
        for t in c.targets:
            if any(word in t.text for word in time_words) or t.recurrence:
                continue
            if t.deadline is None:  # only the standing duties and the catch-all have no date
                assert t.id in {"fenchen-1c", "qita-renwu-1", "mk-jiance-yujing-1b",
                                "fenchen-1a", "fenchen-1b"}, t.id
                continue
            # parts of an item whose date is printed on another part of the same item
            if t.id in {"youxian-kongjian-1b", "biaozhunhua-1b", "mk-peixun-kaohe-3b",
                        "fengxian-baogao-1b"}:
                continue
            assert t.deadline == dt.date(2023, 12, 31), t.id
            assert "原文未写时限，按年度任务理解" in (t.note or ""), t.id


# --- recurrences and start dates --------------------------------------------------------------

def test_major_hazard_checks_monthly_from_march_for_zouqu_and_xilin():
    t = target("weixianyuan-2")
    assert t.text.startswith("3月份起，邹区镇、西林街道每月")
    assert t.owners == ["zouqu", "xilin"]
    assert t.recurrence.every == "month"
    assert t.recurrence.start == dt.date(2023, 3, 1)
    assert t.recurrence.end == dt.date(2023, 12, 31)
    assert t.deadline is None


def test_city_bureau_checks_quarterly_from_q2():
    t = target("weixianyuan-3")
    assert t.text.startswith("二季度起，市应急局每季度")
    assert t.owners == ["市应急局"]
    assert (t.recurrence.every, t.recurrence.start, t.recurrence.times) == (
        "quarter", dt.date(2023, 4, 1), 1)


def test_training_institutions_checked_twice_a_month_from_april():
    """The notice is dated 2023-03-20: the monthly duty is counted from April, not January."""
    t = target("mk-peixun-kaohe-3a")
    assert "每月" in t.text and "不少于2次" in t.text
    assert (t.recurrence.every, t.recurrence.times) == ("month", 2)
    assert t.recurrence.start == dt.date(2023, 4, 1) > plan().notice.date
    assert t.recurrence.end == dt.date(2023, 12, 31)


def test_grid_patrol_quarterly_all_year():
    t = target("wanggeyuan-3")
    assert t.text.startswith("每季度常态化开展网格化巡查")
    assert (t.recurrence.every, t.recurrence.start) == ("quarter", dt.date(2023, 1, 1))


def test_dust_daily_reports_are_red_lines():
    """不得超过 / 严禁: limits re-checked at every report, not a daily recurrence."""
    for target_id, ceiling in (("fenchen-1a", 2), ("fenchen-1b", 0)):
        t = target(target_id)
        assert t.kind == "limit" and t.recurrence is None and t.owners == ["各板块"]
        assert (t.metric.op, t.metric.value) == ("<=", ceiling)
    assert "坚持每日粉尘清扫日报制度" in campaign("fenchen").work


def test_credit_sms_monthly_by_city_bureau():
    t = target("mk-xinyong-1b")
    assert t.text == "市局每月向企业发送合法合规等短信提醒。"
    assert t.owners == ["市局"] and t.recurrence.every == "month"


def test_hazardous_work_module_from_july_is_not_a_recurrence():
    t = target("mk-teshu-zuoye-4")
    assert t.text.startswith("7月起全区正式推行")
    assert t.start == dt.date(2023, 7, 1)
    assert t.deadline == dt.date(2023, 12, 31)
    assert t.recurrence is None


def test_only_these_targets_recur():
    assert {t.id for t in targets() if t.recurrence} == {
        "weixianyuan-2", "weixianyuan-3", "wanggeyuan-3", "mk-peixun-kaohe-3a", "mk-xinyong-1b",
    } == {t.id for t in targets() if t.kind == "recurring"}


# --- baselines --------------------------------------------------------------------------------

def test_baselines_against_last_year():
    for target_id in ("fengxian-baogao-1a", "fengxian-baogao-1b", "fengxian-baogao-2"):
        t = target(target_id)
        assert t.baseline.ref == "previous_year" and t.kind == "level"
        assert t.baseline.value is None
        assert t.baseline.description in t.text + target("fengxian-baogao-1b").text
        assert "去年水平" in t.baseline.description
        assert t.metric.kind == "count" and t.metric.value is None  # last year's figure is the target
    t = target("mk-changanma-1d")
    assert t.baseline.ref == "previous_year"
    assert t.baseline.value == 9.2
    assert t.baseline.description in t.text
    assert "去年全区平均（9.2条）" in source_flat()
    assert {t.id for t in targets() if t.baseline} == {
        "fengxian-baogao-1a", "fengxian-baogao-1b", "fengxian-baogao-2", "mk-changanma-1d",
    }


def test_both_named_risk_indicators_are_tracked():
    first, second = target("fengxian-baogao-1a"), target("fengxian-baogao-1b")
    assert first.metric.subject == "较大以上风险企业数"
    assert second.metric.subject == "较大以上风险辨识数"
    assert in_source(first.text + second.text)


# --- owners, responsible units and contacts ---------------------------------------------------

def owner_names() -> set[str]:
    d = directory()
    return {b.slug for b in d.boards} | {u.name for u in d.units}


def test_owners_and_responsible_are_known():
    known = owner_names()
    for c in campaigns():
        assert set(c.responsible) <= known, c.id
        for t in c.targets:
            assert t.owners or t.kind == "unassessed", t.id
            assert set(t.owners) | set(t.support) <= known, t.id
            assert set(t.quotas) <= set(SLUGS.values()), t.id
    contacts = {c.name for c in directory().contacts}
    for c in campaigns():
        assert set(c.contacts) <= contacts, c.id


def row_cells(snippet: str) -> list[str]:
    """The non-empty cells of the one table row (line) that contains snippet."""
    lines = [line for line in source().splitlines() if squeeze(snippet) in squeeze(line)
             and "\t" in line]
    assert len(lines) == 1, snippet
    cells = [re.sub(r"</?p>", "", cell).strip() for cell in lines[0].split("\t")]
    return [cell for cell in cells if cell]


def locate(c: Campaign) -> str:
    """A snippet that identifies the campaign's row: its first target's opening words."""
    return squeeze(c.targets[0].text)[:14]


def responsible_from_cell(cell: str) -> list[str]:
    cell = re.sub(r"街\s+道", "街道", cell)  # 北港街 道
    cell = cell.replace("区局各辖市区", "区局、各辖市区")  # missing separator in the document
    return [SLUGS.get(name, name) for name in re.split(r"[、\s]+", cell) if name]


ROWS = [c.id for c in campaigns() if c.id != "qita-renwu"]


@pytest.mark.parametrize("campaign_id", ROWS)
def test_responsible_and_contacts_match_the_row(campaign_id):
    c = campaign(campaign_id)
    cells = row_cells(locate(c))
    assert c.contacts == cells[-1].split("、")
    assert c.responsible == responsible_from_cell(cells[-2])


CONTACTS = {
    "xianchang-tisheng": ["张政"],
    "jinshu-yelian": ["刘根"],
    "fenchen": ["刘根"],
    "weixianyuan": ["张焯"],
    "fengxian-baogao": ["张政", "焦江"],
    "shangmao-jiancha": ["刘根"],
    "mk-shigu-guanli": ["法规处"],
    "mk-peixun-kaohe": ["钱凌云"],
    "mk-anquan-feiyong": ["法规处"],
    "mk-xinyong": ["法规处"],
    "mk-teshu-zuoye": ["刘根"],
    "xinnengyuan": ["刘根"],
    "biaogan-shifan": ["张政"],
    "jingshi-jidi": ["张政"],
    "qita-renwu": [],
}


@pytest.mark.parametrize(("campaign_id", "contacts"), list(CONTACTS.items()))
def test_contacts_per_campaign(campaign_id, contacts):
    assert campaign(campaign_id).contacts == contacts


RESPONSIBLE = {
    "weixianyuan": ["区局", "zouqu", "xilin"],
    "gaochu-zuoye": ["区局", "zouqu", "beigang", "xinwen"],
    "mk-anquan-feiyong": ["市局", "区局", "各辖市区"],
    "mk-zerenxian": ["市局", "区局", "各板块"],
    "mk-jiance-yujing": ["区局", "beigang"],
    "chanye-yuanqu": ["beigang", "xinwen"],
    "weihuapin-cangku": ["市局", "区局"],
    "jingshi-jidi": ["区局", "beigang"],
    "laodong-miji": ["各板块"],
    "qita-renwu": ["区局", "各板块"],
}


@pytest.mark.parametrize(("campaign_id", "responsible"), list(RESPONSIBLE.items()))
def test_responsible_per_campaign(campaign_id, responsible):
    assert campaign(campaign_id).responsible == responsible


OWNERS = [
    # (target id, owners, the words of the text that name them)
    ("xianchang-tisheng-1", ["各板块"], "各板块"),
    ("xianchang-tisheng-2b", ["区局"], "区局完成分类抽查"),
    ("jinshu-yelian-1", ["区局"], "区局充分利用"),
    ("jinshu-yelian-2", ["区局"], "各板块配合区局"),
    ("weixianyuan-1", ["市局"], "市局组织专家"),
    ("gaochu-zuoye-1", ["区局"], "钟楼区梳理提炼"),
    ("fengxian-baogao-1a", ["各板块"], "各地区全面完成"),
    ("fengxian-baogao-3", ["区局", "市局"], "第一次交办区局处理，第二次由市局"),
    ("wanggeyuan-1", ["市局"], "市局组织开展1轮次"),
    ("wanggeyuan-2a", ["区局"], "区局全年组织"),
    ("wanggeyuan-2b", ["各板块"], "各板块全年组织"),
    ("wanggeyuan-4", ["区局"], "区局培育2个"),
    ("mk-biaozhunhua-1", ["市局"], "市局完善企业运行日志功能"),
    ("mk-anquan-feiyong-1", ["区局"], "各辖市区企业使用率"),  # 各辖市区 = 区局 for the district
    ("mk-changanma-1a", ["各板块"], "各板块险扫码"),
    ("mk-teshu-zuoye-1", ["各板块"], "各板块挑选20家"),
    ("mk-teshu-zuoye-2", ["市局"], "市局完成"),
    ("mk-jiance-yujing-1a", ["市局"], "市局制定"),
    ("mk-biaoqian-1", ["各板块"], "各板块进一步完善"),
    ("shetuan-huzhu-1", ["各板块"], "各板块在年底前"),
    ("hangye-shouce-1", ["区局"], "钟楼区参与编撰"),
    ("hangye-shouce-2", ["市应急保障中心"], "市应急保障中心组织编制"),
    ("xinnengyuan-1", ["各板块"], "各板块摸排"),
    ("chanye-yuanqu-1", ["beigang", "xinwen"], "北港街道和新闻街道试点"),
    ("anquan-jiaoyu-1", ["市应急保障中心", "区局"], "中心负责遴选"),
    ("kaoshi-tiku-1", ["区局"], "各辖市区结合本地区"),
    ("jingpin-kecheng-1", ["区局"], "各辖市区提供"),
    ("gaochu-zuoye-2", ["zouqu", "beigang", "xinwen"], "邹区镇选树3个，北港选树1个，新闻选树1个"),
    ("youxian-kongjian-1b", ["zouqu", "beigang", "xinwen"], "邹区镇不少于7个"),
    ("weihuapin-shiyong-1", ["zouqu", "beigang", "xinwen"], "邹区镇不少于2个"),
    ("qita-renwu-1", [], "完成上级交办的其他任务"),
]

SUPPORT = [
    # (target id, lead, support, why): the audit's decisions, each said in the plan's comments
    ("jinshu-yelian-2", ["区局"], ["各板块"], "各板块配合区局"),
    ("fenchen-2", ["区局", "beigang"], [], "匠心独具、宝盾门业"),
    ("gaochu-zuoye-2", ["zouqu", "beigang", "xinwen"], ["区局"], "责任地区"),
    ("youxian-kongjian-1a", ["zouqu", "beigang", "xinwen"], ["区局"], "责任地区"),
    ("youxian-kongjian-1b", ["zouqu", "beigang", "xinwen"], ["区局"], "责任地区"),
    ("biaozhunhua-2", ["区局"], [], "全区"),
    ("mk-shigu-guanli-1", ["区局"], ["各板块"], "系统对接"),
    ("mk-peixun-kaohe-1", ["市局"], ["区局", "各板块"], "市级系统建设"),
    ("mk-santongshi-1", ["市局"], ["区局", "各板块"], "新增系统功能模块"),
    ("mk-anquan-zhuanjia-1", ["市局"], ["区局", "各板块"], "市级系统建设"),
    ("mk-anquan-zhuanjia-2", ["市局"], ["区局", "各板块"], ""),
    ("mk-anquan-zhuanjia-3", ["市局"], ["区局", "各板块"], ""),
    ("xianchang-tisheng-3", ["zouqu", "beigang", "xinwen", "wuxing", "xilin", "yonghong"], [],
     "六个板块"),
]


@pytest.mark.parametrize(("target_id", "lead", "support", "why"), SUPPORT)
def test_lead_and_support_as_decided(target_id, lead, support, why):
    t = target(target_id)
    assert (t.owners, t.support) == (lead, support)
    text = (ROOT / "data/plans/2023.yaml").read_text(encoding="utf-8")
    block = text[:text.index(f"- id: {target_id}\n")].rsplit("- id: ", 1)[-1]
    assert why in block + text[text.index(f"- id: {target_id}\n"):][:2000], target_id


KINDS = {
    "milestone": 41, "cumulative": 4, "level": 15, "limit": 3, "recurring": 5, "continuing": 9,
    "unassessed": 1,
}


def test_every_target_has_a_kind():
    counted: dict[str, int] = {}
    for t in targets():
        counted[t.kind] = counted.get(t.kind, 0) + 1
    assert counted == KINDS


@pytest.mark.parametrize(("target_id", "kind"), [
    ("mk-changanma-1d", "level"), ("qita-renwu-1", "unassessed"), ("wanggeyuan-3", "recurring"),
    ("mk-jiance-yujing-1b", "continuing"), ("fenchen-1b", "limit"), ("biaozhunhua-1a", "cumulative"),
    ("gaochu-zuoye-2", "milestone"), ("mk-zerenxian-1", "level"),
])
def test_kinds_decided_by_the_audit(target_id, kind):
    assert target(target_id).kind == kind


def test_stay_in_use_starts_with_the_notice():
    t = target("mk-jiance-yujing-1b")
    assert t.start == plan().notice.date and t.deadline is None


@pytest.mark.parametrize(("target_id", "owners", "phrase"), OWNERS)
def test_owners_named_by_the_text(target_id, owners, phrase):
    t = target(target_id)
    assert t.owners == owners
    assert phrase in t.text


def test_other_tasks_row():
    t = target("qita-renwu-1")
    assert t.text == "完成上级交办的其他任务" and t.text in source()
    assert t.kind == "unassessed" and t.owners == []
    assert t.deadline is None and t.metric is None and t.recurrence is None
    assert [p.id for p in plan().pillars if any(c.id == "qita-renwu" for g in p.groups
                                                 for c in g.campaigns)] == ["qiandaoli"]


def test_missing_target_cell_of_the_trade_row():
    c = campaign("shangmao-jiancha")
    assert c.name == "开展重点商贸企业安全生产联合检查"
    assert len(c.targets) == 1
    t = c.targets[0]
    assert t.text == c.work and t.text.startswith("对大型商业综合体")
    assert t.owners == ["各板块"] and t.metric is None and t.kind == "continuing"
    assert t.deadline == dt.date(2023, 12, 31)


def test_source_copy_is_the_document():
    text = source()
    assert "2023年度钟楼区冶金等工贸行业安全生产工作任务分解表" in text
    assert text.rstrip().endswith("报送科室联络人员。")
