"""import-plan: phrases, splitting, the three file formats, open questions, and plan fidelity.

Expected values are written by hand. Only the plan-fidelity tests at the end read data/ (the
real document and the verified plan); everything else uses the frozen fixture's boards.yaml.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import plan_tables
import pytest
import yaml
from helpers import FIXTURE_DATA, ROOT, copy_project, run_cli

from generator.inputs.models import Directory, Plan
from generator.plan_import import items, phrases
from generator.plan_import.build import import_plan
from generator.plan_import.names import Names, split_names
from generator.plan_import.questions import open_questions, questions_in
from generator.plan_import.write import draft_text

SOURCE = ROOT / "data" / "source" / "钟应急〔2023〕12号.txt"
D = dt.date


@cache
def directory(data: Path = FIXTURE_DATA) -> Directory:
    return Directory.model_validate(yaml.safe_load((data / "boards.yaml").read_text()))


@cache
def names() -> Names:
    return Names.of(directory())


# --- phrases -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "date"), [
    ("3月底前，各板块督促企业", D(2023, 3, 31)),
    ("6月份，市局组织开展1轮次的网格员培训", D(2023, 6, 30)),
    ("6月底底前，各地区选树屋顶示范点", D(2023, 6, 30)),
    ("年底前，各板块摸排", D(2023, 12, 31)),
    ("一季度全面完成工业企业较大以上风险报告", D(2023, 3, 31)),
    ("2月底前，市局制定办法", D(2023, 2, 28)),
    ("4月底前，市局完善企业运行日志功能", D(2023, 4, 30)),
    ("11月底前，完成改造", D(2023, 11, 30)),
    ("督促企业应保尽保，2023年底投保率不得低于97%", D(2023, 12, 31)),
    ("区局全年组织1轮次的网格员全覆盖培训", D(2023, 12, 31)),
    ("各板块在年底前推动社团组织", D(2023, 12, 31)),
    ("10月15日前完成", D(2023, 10, 15)),
    ("二季度起，市应急局每季度检查不少于1次", None),
    ("3月份起，邹区镇每月检查", None),
])
def test_deadline(text, date):
    assert phrases.deadline(text, 2023).date == date


def test_unknown_deadline_is_a_question():
    when = phrases.deadline("10月中旬，各板块组织检查", 2024)
    assert when.date is None
    assert when.question == "无法识别的时限“10月中旬”，请填写 deadline（如 2024-10-15）"


def test_deadline_in_another_year_is_a_question():
    when = phrases.deadline("2023年底投保率不得低于97%", 2024)
    assert when.date == D(2024, 12, 31)
    assert when.question == "时限“2023年底”写的是 2023 年，与计划年度 2024 不一致"
    when = phrases.deadline("2023年6月底前完成", 2024)
    assert when.question == "时限“2023年6月底前”写的是 2023 年，与计划年度 2024 不一致"


@pytest.mark.parametrize(("text", "date"), [
    ("3月份起，邹区镇每月检查", D(2023, 3, 1)),
    ("二季度起，市应急局每季度检查", D(2023, 4, 1)),
    ("三季度起，各板块每季度检查", D(2023, 7, 1)),
    ("7月起全区正式推行", D(2023, 7, 1)),
    ("下半年起每月检查", D(2023, 7, 1)),
])
def test_start(text, date):
    assert phrases.start(text, 2023).date == date


@pytest.mark.parametrize(("text", "every", "times", "asks"), [
    ("每月对属地培训机构开展检查不少于2次", "month", 2, False),
    ("每季度常态化开展网格化巡查", "quarter", 1, False),
    ("各板块关注粉尘清扫日报", "day", 1, False),
    ("每半年，区局组织专项督查", "year", 2, True),
    ("每周开展巡查", "month", 4, True),
])
def test_period(text, every, times, asks):
    period = phrases.period(text)
    assert (period.every, period.times, period.question is not None) == (every, times, asks)


def test_no_period_for_once_a_year():
    assert phrases.period("12月底前完成") is None


@pytest.mark.parametrize(("text", "op", "value", "unit"), [
    ("各板块完成不低于5%比例企业指导服务", ">=", 5, "%"),
    ("连续3天未上报不得超过2家", "<=", 2, "家"),
    ("各板块险扫码逾期率不高于20%", "<=", 20, "%"),
    ("年底前投保率达到98%", ">=", 98, "%"),
    ("确保100%完成整改", ">=", 100, "%"),
    ("专家入库率100%", ">=", 100, "%"),
    ("企业扫码质效值不低于1.0", ">=", 1.0, None),
    ("严禁出现7天未上报", "<=", 0, None),
    ("每家机构每年至少要在属地过系统考核一次", ">=", 1, "次"),
    ("12月底前，完成2家粉尘企业集中除尘设备专项整治提升", ">=", 2, "家"),
    ("各地提供不少于200道题的单类题库", ">=", 200, "道"),
])
def test_threshold(text, op, value, unit):
    found = phrases.thresholds(text)
    assert [(t.op, t.value, t.unit) for t in found] == [(op, value, unit)]


@pytest.mark.parametrize("text", [
    "7~10个达标创建企业较多的行业",
    "督促企业围绕方案的6个方面、13项重点内容开展自查",
    "推广使用自动清灰阀",
])
def test_not_a_threshold(text):
    assert phrases.thresholds(text) == []


def test_baseline():
    found = phrases.baseline("较大以上风险企业数、较大以上风险辨识数等主要指标不低于去年水平。")
    assert found.subjects == ("较大以上风险企业数", "较大以上风险辨识数")
    assert found.value is None
    found = phrases.baseline("四类风险平均数不得低于去年全区平均（9.2条）。")
    assert (found.subjects, found.value, found.unit) == (("四类风险平均数",), 9.2, "条")


# --- names, quotas, items and parts --------------------------------------------------------------

@pytest.mark.parametrize(("cell", "owners"), [
    ("区局、各板块", ["区局", "各板块"]),
    ("区局、北港街 道", ["区局", "beigang"]),
    ("市局、区局 各板块", ["市局", "区局", "各板块"]),
    ("市局、区局各辖市区", ["市局", "区局", "各辖市区"]),
    ("北港街道、新闻街道", ["beigang", "xinwen"]),
])
def test_responsible_cell(cell, owners):
    assert split_names(cell, names()) == (owners, [])


def test_unknown_responsible_is_returned():
    assert split_names("区局、红星街道", names()) == (["区局"], ["红星街道"])


@pytest.mark.parametrize(("clause", "quotas"), [
    ("邹区镇不少于7个，", [(("zouqu",), 7, "个")]),
    ("其中邹区镇25家，", [(("zouqu",), 25, "家")]),
    ("北港选树1个，", [(("beigang",), 1, "个")]),
    ("邹区镇、北港街道、新闻街道各培育3家，", [(("zouqu", "beigang", "xinwen"), 3, "家")]),
    ("邹区镇、北港街道均不少于3家，", [(("zouqu", "beigang"), 3, "家")]),
    ("其他街道不少于1家。", [(("其他街道",), 1, "家")]),
    ("各板块选树示范点，", []),
])
def test_quota_clause(clause, quotas):
    assert items.quotas(clause, names()) == quotas


def test_numbered_items_and_a_repeated_number():
    cell = ("1.3月底前，各板块挑选20家重点企业； 2.6月底前，市局完成教程； "
            "3.6月底前，各板块完成培训； 3.7月起全区正式推行。")
    found = items.split_items(cell)
    assert [i.no for i in found] == ["1", "2", "3", "3"]
    assert found[0].text == "3月底前，各板块挑选20家重点企业；"
    assert found[3].question == "原文序号“3”重复出现，已按顺序编号，请确认"


def test_unnumbered_cell_splits_before_a_new_deadline():
    cell = "3月底前，中心负责遴选推荐优秀师资； 9月底前，持续丰富安全培训网络学习课程"
    assert [i.text for i in items.split_items(cell)] == [
        "3月底前，中心负责遴选推荐优秀师资；", "9月底前，持续丰富安全培训网络学习课程"]


@pytest.mark.parametrize(("text", "parts"), [
    ("各板块关注粉尘清扫日报，连续3天未上报不得超过2家，严禁出现7天未上报。"
     "出现连续3天未上报企业，属地需赶往企业现场核实督促。",
     ["各板块关注粉尘清扫日报，连续3天未上报不得超过2家，", "严禁出现7天未上报。",
      "出现连续3天未上报企业，属地需赶往企业现场核实督促。"]),
    ("5月底前，各板块完成不低于5%比例企业指导服务；6月底前，区局完成分类抽查；",
     ["5月底前，各板块完成不低于5%比例企业指导服务；", "6月底前，区局完成分类抽查；"]),
    ("7月底前，更新网格化检查清单，加强网格员巡查质量跟踪，对现场发现隐患，确保100%完成整改。",
     ["7月底前，更新网格化检查清单，", "加强网格员巡查质量跟踪，对现场发现隐患，确保100%完成整改。"]),
    ("6月底前，各板块培育典型示范企业。邹区镇、北港街道各培育3家，五星街道培育1家。",
     ["6月底前，各板块培育典型示范企业。邹区镇、北港街道各培育3家，五星街道培育1家。"]),
    ("9月底前，录制专项教学视频，各辖市区提供不少于1节课",
     ["9月底前，录制专项教学视频，各辖市区提供不少于1节课"]),
    ("督促企业应保尽保，年底前投保率达到98%，企业扫码逾期率不高于15%。",
     ["督促企业应保尽保，年底前投保率达到98%，", "企业扫码逾期率不高于15%。"]),
])
def test_parts(text, parts):
    assert [p.text for p in items.split_parts(text, names(), 2023)] == parts


# --- one table in three formats ------------------------------------------------------------------

def draft_of(path: Path, year: int = 2024):
    return import_plan(path, year, directory())


class Targets(dict):
    """Targets by text; look one up by the first words of its text."""

    def __getitem__(self, prefix: str) -> dict:
        found = [t for text, t in self.items() if text.startswith(prefix)]
        assert len(found) == 1, (prefix, list(self))
        return found[0]


def targets_of(draft) -> Targets:
    plan = draft.plan
    return Targets({t["text"]: t for p in plan["pillars"] for g in p["groups"]
                    for c in g["campaigns"] for t in c["targets"]})


@pytest.fixture(params=["txt", "docx", "xlsx"])
def table_file(request, tmp_path) -> Path:
    writer = {"txt": plan_tables.write_text, "docx": plan_tables.write_docx,
              "xlsx": plan_tables.write_xlsx}[request.param]
    return writer(tmp_path / f"2024.{request.param}")


def test_notice_of_the_invented_table(table_file):
    notice = draft_of(table_file).plan["notice"]
    assert notice["number"] == "钟应急〔2024〕5号"
    assert notice["date"] == D(2024, 2, 26)
    assert notice["issuer"] == "常州市钟楼区应急管理局"
    assert notice["recipients"] == ["各科室（大队）", "高新园（邹区镇）", "各街道综合行政执法局"]
    assert [r["title"] for r in notice["requirements"]] == ["加快工作落实", "定期总结通报"]
    assert notice["report_day"] == 20
    assert notice["closing"] == plan_tables.CLOSING


def test_pillars_and_campaigns_of_the_invented_table(table_file):
    plan = draft_of(table_file).plan
    shape = [(p["name"], [c["name"] for g in p["groups"] for c in g["campaigns"]])
             for p in plan["pillars"]]
    assert shape == [
        ("小切口，抓关键", ["粉尘涉爆整治", "有限空间作业", "标准化创建"]),
        ("微模块，强规范", ["安全责任保险", "企业信用管理", "完成上级交办的其他任务"]),
    ]
    assert [p["id"] for p in plan["pillars"]] == ["xiaoqiekou", "weimokuai"]


def test_targets_of_the_invented_table(table_file):
    found = targets_of(draft_of(table_file))
    first = found["4月底前，各板块完成粉"]
    assert (first["deadline"], first["kind"], first["owners"]) == (D(2024, 4, 30), "milestone",
                                                                  ["各板块"])
    quotas = found["11月底前，各板块培育"]
    assert quotas["deadline"] == D(2024, 11, 30)
    assert quotas["quotas"] == {"zouqu": 3, "beigang": 3, "xinwen": 1, "wuxing": 1, "xilin": 1,
                                "yonghong": 1, "nandajie": 1, "hehuachi": 1}
    assert quotas["owners"] == ["各板块"] and quotas["kind"] == "milestone"
    quarterly = found["三季度起，各板块每季度"]
    assert quarterly["recurrence"] == {"every": "quarter", "start": D(2024, 7, 1),
                                       "end": D(2024, 12, 31)}
    assert quarterly["metric"]["value"] == 1 and quarterly["kind"] == "recurring"
    assert found["每半年，区局组织专项督"]["recurrence"]["times"] == 2
    assert found["每半年，区局组织专项督"]["owners"] == ["区局"]
    created = found["12月底前，推动三级安全"]
    assert created["metric"]["total"] == 60 and created["kind"] == "cumulative"
    assert (created["owners"], created["support"]) == (["各板块"], ["区局"])  # 区局 adds up
    level = found["督促企业应保尽保，年底前"]
    assert (level["kind"], level["metric"]["op"], level["metric"]["value"]) == ("level", ">=", 98)
    limit = found["企业扫码逾期率不高于15%"]
    assert (limit["kind"], limit["metric"]["op"], limit["metric"]["value"]) == ("limit", "<=", 15)
    assert limit["deadline"] == D(2024, 12, 31)
    monthly = found["市局每月向企业发送短信提"]
    assert monthly["owners"] == ["市局"] and monthly["recurrence"]["start"] == D(2024, 1, 1)
    assert (level["owners"], level["support"]) == (["各板块"], ["区局"])  # 属地: boards lead
    assert found["持续完善企业画像，"]["kind"] == "continuing"
    other = found[plan_tables.OTHER]
    assert (other["kind"], other["owners"]) == ("unassessed", [])


def test_questions_of_the_invented_table(table_file):
    messages = [q.message for q in draft_of(table_file).questions]
    assert "无法识别的时限“10月中旬”，请填写 deadline（如 2024-10-15）" in messages
    assert "原文“每半年”，周期只能写 day/month/quarter/year，暂按每年 2 次填写，请确认" in messages
    assert "联系人“王五”未在 data/boards.yaml 登记，请先登记或改正" in messages
    assert "各板块数字之和为 61，与原文总数 60 不符，请核对原文" in messages
    assert ("原文未写起始时间，按全年执行（2024-01-01）填写；发文日期为 2024-02-26，"
            "如发文前的周期不计，请改为 2024-03-01") in messages


def test_text_export_asks_about_the_label_printed_mid_span(tmp_path):
    draft = draft_of(plan_tables.write_text(tmp_path / "2024.txt"))
    asked = {q.message for q in draft.questions}
    assert "类别“小切口，抓关键”在原文中印在第 25 行（合并单元格的中部），已把自第 24 行起的各行归入" \
           "本类别，请核对本类别包含的专项" in asked
    assert any(m.startswith("本行比表头少一格，已按内容对齐为：专项“安全责任保险”") for m in asked)


def test_docx_and_xlsx_give_the_same_plan_as_text(tmp_path):
    plans = [draft_of(writer(tmp_path / f"t.{suffix}")).plan for suffix, writer in
             [("txt", plan_tables.write_text), ("docx", plan_tables.write_docx),
              ("xlsx", plan_tables.write_xlsx)]]
    assert plans[0] == plans[1] == plans[2]


def test_draft_comments_sit_above_their_lines(tmp_path):
    source = plan_tables.write_docx(tmp_path / "2024.docx")
    text, report, _ = draft_text(source, 2024, tmp_path / "2024.yaml", directory())
    lines = text.splitlines()
    found = dict(questions_in(text))
    at = next(n for n, q in found.items() if q.startswith("各板块数字之和为 61"))
    assert lines[at].strip() == "quotas:"
    assert "（原文表格第 4 行）" in found[at]
    assert f"原文表格第 4 行 → 草稿第 {at} 行（biaozhunhua-chuangjian-1）：各板块数字之和为 61" in report
    assert report.startswith("导入报告：")
    assert "待确认 8 项" in report  # the text export adds two: the label mid-span, a lost cell


# --- the command, open questions and validate --------------------------------------------------------

def test_bad_file_is_a_chinese_message(tmp_path):
    bad = tmp_path / "表.docx"
    bad.write_bytes(b"not a zip")
    result = run_cli(tmp_path, "import-plan", str(bad), "--year", "2024", "--out", "p.yaml",
                     "--data", str(FIXTURE_DATA))
    assert result.code == 1
    assert ("表.docx: 无法打开 .docx 文件（PackageNotFoundError） — 文件可能已损坏或不是真正的 "
            "Office 文件，请用 Word/Excel 打开后重新另存") in result.err
    assert "Traceback" not in result.err and not (tmp_path / "p.yaml").exists()


@pytest.mark.parametrize(("name", "message"), [
    ("表.doc", "不支持旧版 .doc 格式 — 请在 Word/Excel 中另存为 .docx 后再导入"),
    ("表.pdf", "无法识别的文件类型 '.pdf' — 请提供 .docx、.xlsx 或从 Word 导出的 .txt 文件"),
])
def test_unsupported_files(tmp_path, name, message):
    (tmp_path / name).write_bytes(b"x")
    result = run_cli(tmp_path, "import-plan", name, "--year", "2024", "--out", "p.yaml",
                     "--data", str(FIXTURE_DATA))
    assert result.code == 1 and message in result.err


def test_text_without_a_header(tmp_path):
    (tmp_path / "t.txt").write_text("关于印发的通知\n\n一些文字\n", encoding="utf-8")
    result = run_cli(tmp_path, "import-plan", "t.txt", "--year", "2024", "--out", "p.yaml",
                     "--data", str(FIXTURE_DATA))
    assert result.code == 1
    assert "t.txt: 找不到任务分解表的表头 — 表头一行应包含“目标任务”和“责任地区”（或“责任单位”）两列" \
        in result.err


def test_existing_draft_is_not_overwritten(tmp_path):
    source = plan_tables.write_text(tmp_path / "t.txt")
    (tmp_path / "p.yaml").write_text("edited\n", encoding="utf-8")
    result = run_cli(tmp_path, "import-plan", source.name, "--year", "2024", "--out", "p.yaml",
                     "--data", str(FIXTURE_DATA))
    assert result.code == 1 and "p.yaml: 输出文件已存在，未覆盖" in result.err
    assert (tmp_path / "p.yaml").read_text(encoding="utf-8") == "edited\n"


def test_open_questions_ignores_quoted_hashes(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text('a: 1\n# 待确认：第一条\nb: "文字 # 待确认：不是注释"\n  # 待确认：第二条\n',
                    encoding="utf-8")
    assert open_questions(path) == [(2, "第一条"), (4, "第二条")]


def test_validate_refuses_a_draft_with_open_questions(tmp_path):
    project = copy_project(tmp_path / "project")
    plans = project / "data" / "plans"
    plan = plans / "2023.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("year: 2023", "# 待确认：年度是否正确\nyear: 2023"), encoding="utf-8")
    result = run_cli(project, "validate")
    line = text.splitlines().index("year: 2023") + 1
    assert result.code == 1
    assert (f"data/plans/2023.yaml:{line}: 计划中仍有待确认事项：年度是否正确 — "
            "核实后删除这条“# 待确认”注释") in result.err


# --- next year: import, answer, validate, build --------------------------------------------------------

ANSWERS = [  # (question starts with, how the reviewer answers it in the draft)
    ("无法识别的时限“10月中旬”", ("deadline: 2024-12-31\n", "deadline: 2024-10-15\n")),
    ("联系人“王五”", ("contacts: [王五]", "contacts: [张政]")),
    ("各板块数字之和为 61", ("hehuachi: 2", "hehuachi: 1")),
]


@pytest.mark.slow
def test_next_year_import_review_validate_build(tmp_path):
    project = copy_project(tmp_path / "project")
    source = plan_tables.write_docx(tmp_path / "2024.docx")
    draft = project / "data" / "plans" / "2024.yaml"
    result = run_cli(project, "import-plan", str(source), "--year", "2024", "--out",
                     "data/plans/2024.yaml", "--report", "import-report.txt")
    assert result.code == 0, result.err
    assert (project / "import-report.txt").read_text(encoding="utf-8") == result.out
    refused = run_cli(project, "validate")
    assert refused.code == 1
    assert refused.err.count("计划中仍有待确认事项") == 8
    text = draft.read_text(encoding="utf-8")
    for _, (old, new) in ANSWERS:
        assert old in text
        text = text.replace(old, new, 1)
    text = re.sub(r"^ *# 待确认：.*\n", "", text, flags=re.MULTILINE)
    draft.write_text(text, encoding="utf-8")
    checked = run_cli(project, "validate")
    assert checked.code == 0, checked.err
    assert "3 个年度计划" in checked.out
    built = run_cli(project, "build", "--as-of", "2024-03-31")
    assert built.code == 0, built.err
    docs = project / "build" / "docs"
    assert "钟应急〔2024〕5号" in (docs / "notice/index.md").read_text(encoding="utf-8")
    assert "钟应急〔2023〕12号" in (docs / "2023/notice/index.md").read_text(encoding="utf-8")
    home = (docs / "index.md").read_text(encoding="utf-8")
    assert "# 2024 年度工贸行业安全生产工作进展" in home
    assert '<a href="2023/">2023 年</a>' in home  # the year switcher: 2024 next to 2023


# --- plan fidelity: the importer on the real 2023 document -------------------------------------------

FIELDS = ("deadline", "recurrence", "kind", "metric", "quotas", "owners", "support")


@cache
def imported_2023():
    return import_plan(SOURCE, 2023, directory(ROOT / "data"))


@cache
def verified_2023() -> Plan:
    return Plan.model_validate(yaml.safe_load((ROOT / "data/plans/2023.yaml").read_text()))


def campaigns_with_paths(plan: dict) -> list[tuple[tuple, dict]]:
    return [(("pillars", p, "groups", g, "campaigns", c), campaign)
            for p, pillar in enumerate(plan["pillars"]) for g, group in enumerate(pillar["groups"])
            for c, campaign in enumerate(group["campaigns"])]


def by_number(targets: list) -> dict[tuple, object]:
    """Targets keyed by printed number and order within it (1a, 1b → (1, 0), (1, 1))."""
    out, seen = {}, {}
    for target in targets:
        no = target["no"] if isinstance(target, dict) else target.no
        digits = re.sub(r"\D", "", no or "") or None
        out[(digits, seen.get(digits, 0))] = target
        seen[digits] = seen.get(digits, 0) + 1
    return out


def differences(verified, mine: dict, compare_support: bool) -> list[str]:
    """The fields that differ; kind and support only where the verified plan has them."""
    got = {
        "deadline": mine.get("deadline"), "recurrence": mine.get("recurrence"),
        "kind": mine.get("kind"), "quotas": mine.get("quotas", {}),
        "metric": _metric(mine.get("metric")),
        "owners": sorted(mine["owners"]), "support": sorted(mine.get("support", [])),
    }
    want = {
        "deadline": verified.deadline,
        "recurrence": verified.recurrence and verified.recurrence.model_dump(exclude_defaults=True),
        "kind": verified.kind, "quotas": verified.quotas,
        "metric": _metric(verified.metric and verified.metric.model_dump()),
        "owners": sorted(verified.owners), "support": sorted(verified.support),
    }
    if got["recurrence"]:
        got["recurrence"] = {k: v for k, v in got["recurrence"].items() if k != "times" or v != 1}
    if not compare_support:  # the plan predates 配合: compare who takes part at all
        got["owners"] = sorted(set(got["owners"]) | set(got.pop("support")))
        want.pop("support")
    if verified.kind is None:
        want.pop("kind")
    return [f"{key}: 计划 {want[key]!r}，导入 {got.get(key)!r}" for key in want
            if want[key] != got.get(key)]


def _metric(metric: dict | None):
    if not metric:
        return None
    return ("done" if metric["kind"] == "done" else "measured", metric.get("op", ">="),
            metric.get("value"))


def fidelity() -> tuple[int, int, list[tuple[str, list[str], list[str]]]]:
    """(matching targets, targets, [(plan id, differences, importer's questions)])."""
    draft, plan = imported_2023(), verified_2023()
    mine = campaigns_with_paths(draft.plan)
    support = any(t.support for p in plan.pillars for g in p.groups for c in g.campaigns
                  for t in c.targets)
    matched, total, misses = 0, 0, []
    for campaign in [c for p in plan.pillars for g in p.groups for c in g.campaigns]:
        at, found = next((at, c) for at, c in mine if campaign.name in (c["name"], c["work"])
                         or campaign.work and campaign.work == c["work"])
        ours = by_number(found["targets"])
        keys = {k: i for i, k in enumerate(ours)}
        for key, target in by_number(campaign.targets).items():
            total += 1
            if key not in ours:
                misses.append((target.id, ["导入结果缺少这一条"], []))
                continue
            path = at + ("targets", keys[key])
            asked = [q.message for q in draft.questions if q.path[:len(path)] == path]
            diff = differences(target, ours[key], support)
            matched += not diff
            if diff:
                misses.append((target.id, diff, asked))
        for key, extra in ours.items():
            if key not in by_number(campaign.targets):
                path = at + ("targets", keys[key])
                asked = [q.message for q in draft.questions if q.path[:len(path)] == path]
                misses.append((extra["id"], ["计划中没有这一条（导入时拆出）"], asked))
    return matched, total, misses


def test_import_of_the_2023_document_matches_the_verified_plan():
    matched, total, misses = fidelity()
    report = "\n".join(f"{target}: {'；'.join(diff)}" for target, diff, _ in misses)
    # 75/78 today. The rest are decisions the verified plan took case by case (a firm's board,
    # a module the city builds while the boards use it, one monthly duty counted from April):
    # the importer cannot read them from the text, so each one must be asked about in the draft.
    assert matched / total >= 0.95, f"{matched}/{total}\n{report}"
    unasked = [(target, diff) for target, diff, asked in misses if not asked]
    assert not unasked, unasked


def test_notice_of_the_2023_document_is_verbatim():
    notice = imported_2023().plan["notice"]
    verified = verified_2023().notice.model_dump()
    assert notice == verified


def test_every_2023_target_text_is_verbatim():
    source = re.sub(r"\s+", "", re.sub(r"</?p>", "", SOURCE.read_text(encoding="utf-8")))
    for _, campaign in campaigns_with_paths(imported_2023().plan):
        for target in campaign["targets"]:
            assert re.sub(r"\s+", "", target["text"]) in source, target["id"]


def test_2023_draft_loads_once_its_questions_are_answered(tmp_path):
    text, _, draft = draft_text(SOURCE, 2023, tmp_path / "2023.yaml", directory(ROOT / "data"))
    assert len(questions_in(text)) == len(draft.questions)
    plan = Plan.model_validate(yaml.safe_load(text))
    assert sum(len(c.targets) for p in plan.pillars for g in p.groups for c in g.campaigns) == 78
