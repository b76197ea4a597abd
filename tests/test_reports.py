"""Tests for generator.inputs.reports: every accepted form reads the same, every mistake is explained.

The corpus under tests/corpus/reports/ is written by its make_corpus.py: good/<form>/ holds the
canonical report in one accepted form each, bad/<case>/ one mistake each.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import logging
import random
import zipfile
from pathlib import Path

import pytest

from generator.common.problems import Problems
from generator.inputs.reports import Report, ReportRow, ReportRules, load_reports, read_report

CORPUS = Path(__file__).parent / "corpus" / "reports"
BOARDS = frozenset("zouqu beigang xinwen wuxing xilin yonghong nandajie hehuachi".split())
KINDS = {
    "biaozhunhua-1a": "count",
    "zhongxiao-2a": "percent",
    "fenchen-2": "done",
    "changanma-3": "ratio",
    "xiaofang-4": "count",
}
RULES = ReportRules(
    boards=BOARDS,
    target_kinds=KINDS,
    board_targets={board: frozenset(KINDS) - ({"xiaofang-4"} if board == "beigang" else set())
                   for board in BOARDS},
    as_of=dt.date(2023, 10, 15),
    max_bytes=10_000,
)
CANONICAL = (
    ReportRow("biaozhunhua-1a", 1200.0, None, dt.date(2023, 6, 25), "已创建三级标准化企业", "", 2),
    ReportRow("zhongxiao-2a", 50.0, None, dt.date(2023, 6, 20), "完成指导服务，含 12 家企业", "",
              3),
    ReportRow("fenchen-2", None, True, dt.date(2023, 6, 25), "", "会议纪要（6月25日）", 4),
    ReportRow("changanma-3", 1.2, None, dt.date(2023, 6, 21), "", "", 5),
)
FORMS = [
    "utf8", "utf8-bom-crlf", "gb18030", "gb18030-english-header", "chinese-header-reordered",
    "fullwidth", "units", "units-spaced", "dates-slash", "dates-dot", "dates-chinese",
    "dates-compact", "dates-excel-serial", "dates-with-time", "stray-spaces",
    "trailing-commas-and-blank-rows", "xlsx-text", "xlsx-typed", "xlsx-percent-format",
    "xlsx-serial-dates", "xlsx-chinese-header", "form-file-name", "form-columns-csv",
    "guide-sheet-first",
]

SAVE_AS_UTF8 = "请在 Excel 中「另存为 → CSV UTF-8（逗号分隔）」后重新提交"
CSV_QUOTING = ("含逗号、换行或引号的内容要整体放在英文双引号内，内容里的引号写两遍（\"\"）；"
               "用 Excel 另存为 CSV UTF-8 即可")
Q2_WINDOW = ("2023Q2 的报表日期应在 2023-04-01 至 2023-09-30 之间；"
             "如属其他季度，请放到对应的季度文件夹")
FILL_TEMPLATE = "请按模板填写：表头 target,value,reported_on,note,evidence，其下每个指标一行"
BEIGANG_TARGETS = "beigang 须上报的指标有：biaozhunhua-1a、changanma-3、fenchen-2、zhongxiao-2a"
DONE_HINT = "请填写 是 或 否（也可填 完成/未完成、1/0）"
PERCENT_HINT = "请填写 0 到 100 之间的数，如 50 或 50%"
DATE_HINT = "请写成 2023-06-25 这样的日期（年-月-日）"
HIDDEN_HINT = "请删除这个看不见的字符（常由从网页、聊天软件复制粘贴带入）：在编辑器中删掉它前后的几个字重新输入即可"
PASTE_VALUES = "请粘贴为数值：选中这些单元格，复制后右键「选择性粘贴 → 数值」，保存后重新提交"
NO_MACROS = ("报表不能含有宏：请从网站下载报表模板重新填写，或在 Excel 中另存为「Excel 工作簿 (*.xlsx)」"
             "（不要选“启用宏的工作簿”）")

# case -> [(where, message, hint)], in the order the problems are recorded
BAD = {
    "american-date": [
        ("2023Q2/beigang.csv:2:3", "上报日期无法识别，收到 '6/25/2023'",
         DATE_HINT),
    ],
    "another-boards-target": [
        ("2023Q2/beigang.csv:2:1", "指标 'xiaofang-4' 不是 beigang 的任务",
         "请删除该行；" + BEIGANG_TARGETS),
    ],
    "big5": [
        ("2023Q2/beigang.csv:1", "文件编码无法识别：既不是 UTF-8，也不像 GB18030 中文",
         SAVE_AS_UTF8),
    ],
    "chinese-file-name": [
        ("2023Q2/北港.csv", "未知的板块编号 '北港'",
         "可用的板块有：beigang、hehuachi、nandajie、wuxing、xilin、xinwen、yonghong、zouqu"
         "（文件名须为板块编号，如 beigang.csv）"),
    ],
    "chinese-folder": [
        ("2023年第2季度/beigang.csv", "季度文件夹名 '2023年第2季度' 不对",
         "是否应为 '2023Q2'？文件夹名须为 年份Q季度，如 2023Q2"),
    ],
    "comma-decimal": [
        ("2023Q2/beigang.csv:2:2", "完成值必须是数字，收到 '1,5'",
         "请填写数字，如 1.2"),
    ],
    "csv-and-xlsx": [
        ("2023Q2/beigang.xlsx", "同一季度已有 beigang.csv：每个板块每季度只能有一份报表",
         "请删除 beigang.csv 或 beigang.xlsx"),
    ],
    "csv-named-xlsx": [
        ("2023Q2/beigang.xlsx", "无法作为 Excel 工作簿打开",
         "文件不是 Excel 工作簿；如是 CSV 文本，请把扩展名改为 .csv"),
    ],
    "dashed-folder": [
        ("2023-Q2/beigang.csv", "季度文件夹名 '2023-Q2' 不对",
         "是否应为 '2023Q2'？文件夹名须为 年份Q季度，如 2023Q2"),
    ],
    "data-without-column-name": [
        ("2023Q2/beigang.csv:1:6", "第 6 列有数据但没有列名",
         "请填写列名（如 note、evidence）或删除该列的内容"),
    ],
    "date-after-as-of": [
        ("2023Q3/beigang.csv:2:3", "上报日期 2023-10-20 晚于数据截止日 2023-10-15",
         "不能填写将来的日期，请核对"),
    ],
    "date-after-next-quarter": [
        ("2023Q2/beigang.csv:2:3", "上报日期 2023-10-01 不在 2023年第2季度报表的有效期内",
         Q2_WINDOW),
    ],
    "date-before-quarter": [
        ("2023Q2/beigang.csv:2:3", "上报日期 2023-03-31 不在 2023年第2季度报表的有效期内",
         Q2_WINDOW),
    ],
    "done-not-recognised": [
        ("2023Q2/beigang.csv:2:2", "完成情况无法识别，收到 '进行中'",
         DONE_HINT),
    ],
    "duplicate-column": [
        ("2023Q2/beigang.csv:1:6", "列 '指标编号' 与第 1 列重复（都表示 target）",
         "请删除其中一列"),
    ],
    "duplicate-target": [
        ("2023Q2/beigang.csv:4:1", "指标 'biaozhunhua-1a' 重复：第 2 行已填写",
         "每个指标只填一行（截至上报日期的累计值），请删除多余的行"),
    ],
    "empty-date": [
        ("2023Q2/beigang.csv:2:3", "上报日期为空",
         "请填写上报日期，如 2023-06-25"),
    ],
    "empty-done-value": [
        ("2023Q2/beigang.csv:2:2", "完成值为空",
         DONE_HINT),
    ],
    "empty-file": [
        ("2023Q2/beigang.csv", "文件是空的",
         FILL_TEMPLATE),
    ],
    "empty-target": [
        ("2023Q2/beigang.csv:2:1", "指标编号为空",
         "请填写指标编号；" + BEIGANG_TARGETS),
    ],
    "empty-value": [
        ("2023Q2/beigang.csv:2:2", "完成值为空",
         "请填写数字，如 12"),
    ],
    "empty-workbook": [
        ("2023Q2/beigang.xlsx", "文件是空的",
         FILL_TEMPLATE),
    ],
    "excel-lock-file": [
        ("2023Q2/~$beigang.xlsx", "未知的板块编号 '~$beigang'",
         "这是 Excel 打开文件时生成的临时文件，请关闭 Excel 后删除"),
    ],
    "gb18030-unknown-column": [
        ("2023Q2/beigang.csv:1:4", "未知的列 '完成情况'",
         "是否应为 '完成值'？"),
    ],
    "header-only": [
        ("2023Q2/beigang.csv:1", "报表没有数据行",
         "请在表头下每个指标填写一行"),
    ],
    "impossible-date": [
        ("2023Q2/beigang.csv:2:3", "上报日期不存在，收到 '2023-06-31'",
         "请核对：2023 年 6 月只有 30 天；写成 2023-06-25 这样的日期"),
    ],
    "inexact-number": [
        ("2023Q2/beigang.csv:2:2", "完成值必须是确切的数字，收到 '1.2万'",
         "请写出完整数字，如 250000，不要用“万”“余”“约”等字"),
    ],
    "latin-1": [
        ("2023Q2/beigang.csv:3", "文件编码无法识别：既不是 UTF-8，也不像 GB18030 中文",
         SAVE_AS_UTF8),
    ],
    "missing-column": [
        ("2023Q2/beigang.csv:1", "缺少必填列 reported_on（上报日期）",
         "表头须包含 target（指标编号）、value（完成值）、reported_on（上报日期）"),
    ],
    "negative": [
        ("2023Q2/beigang.csv:2:2", "完成值不能为负数，收到 '-3'",
         "请填写截至上报日期的累计数（0 或正数）"),
    ],
    "not-a-number": [
        ("2023Q2/beigang.csv:3:2", "完成值必须是数字，收到 'n/a'",
         "请填写数字，如 12"),
    ],
    "not-in-quarter-folder": [
        ("beigang.csv", "报表位置不对：应为 <年份>Q<季度>/<板块编号>.csv",
         "请移到季度文件夹中，如 2023Q2/beigang.csv"),
    ],
    "old-xls": [
        ("2023Q2/beigang.xls", "不支持的文件类型 '.xls'",
         "这是旧版 Excel 文件，请在 Excel 中另存为「Excel 工作簿 (*.xlsx)」或「CSV UTF-8」"),
    ],
    "only-empty-rows": [
        ("2023Q2/beigang.csv", "文件是空的",
         FILL_TEMPLATE),
    ],
    "oversized": [
        ("2023Q2/beigang.csv", "文件过大：12,119 字节，上限 10,000 字节",
         "请只保留本板块本季度的报表，每个指标一行"),
    ],
    "percent-over-100": [
        ("2023Q2/beigang.csv:2:2", "百分比不能超过 100，收到 '１２０％'",
         PERCENT_HINT),
    ],
    "percent-sign-on-count": [
        ("2023Q2/beigang.csv:2:2", "计数指标的完成值不能带 '%'，收到 '50%'",
         "请填写数字，如 12"),
    ],
    "percent-sign-on-ratio": [
        ("2023Q2/beigang.csv:2:2", "比值指标的完成值不能带 '%'，收到 '120%'",
         "请填写数字，如 1.2"),
    ],
    "quarter-5": [
        ("2023Q5/beigang.csv", "季度文件夹名 '2023Q5' 不对：季度只能是 Q1–Q4",
         "文件夹名须为 年份Q季度，如 2023Q2"),
    ],
    "semicolons": [
        ("2023Q2/beigang.csv:1", "表头只有一列：各列没有用英文逗号分隔",
         "请用英文逗号 , 分隔各列，或用 Excel 另存为 CSV UTF-8"),
    ],
    "several-problems": [
        ("2023Q2/beigang.csv:2:2", "完成值必须是数字，收到 '十二'",
         "请填写数字，如 12"),
        ("2023Q2/beigang.csv:3:3", "上报日期不存在，收到 '2023-13-01'",
         "请核对：月份只能是 1 到 12；写成 2023-06-25 这样的日期"),
        ("2023Q2/beigang.csv:5:1", "指标 'fenchen-2' 重复：第 4 行已填写",
         "每个指标只填一行（截至上报日期的累计值），请删除多余的行"),
    ],
    "text-after-quote": [
        ("2023Q2/beigang.csv:3", "CSV 格式有误：引号后面应紧跟逗号",
         CSV_QUOTING),
    ],
    "too-deep": [
        ("2023Q2/beigang/beigang.csv", "报表位置不对：应为 <年份>Q<季度>/<板块编号>.csv",
         "请移到季度文件夹中，如 2023Q2/beigang.csv"),
    ],
    "truncated-xlsx": [
        ("2023Q2/beigang.xlsx", "无法作为 Excel 工作簿打开",
         "请在 Excel 中打开检查，另存为「Excel 工作簿 (*.xlsx)」后重新提交"),
    ],
    "unclosed-quote": [
        ("2023Q2/beigang.csv:3", "CSV 格式有误：引号没有闭合",
         CSV_QUOTING),
    ],
    "unit-on-percent": [
        ("2023Q2/beigang.csv:2:2", "百分比指标的完成值不能带 '个'，收到 '50个'",
         PERCENT_HINT),
    ],
    "unknown-board": [
        ("2023Q2/beigan.csv", "未知的板块编号 'beigan'",
         "是否应为 'beigang'？（文件名须为板块编号，如 beigang.csv）"),
    ],
    "unknown-column": [
        ("2023Q2/beigang.csv:1:6", "未知的列 '完成情况'",
         "是否应为 '完成值'？"),
    ],
    "unknown-target": [
        ("2023Q2/beigang.csv:2:1", "未知的指标编号 'biaozhunhua-1'",
         "是否应为 'biaozhunhua-1a'？"),
    ],
    "uppercase-extension": [
        ("2023Q2/beigang.CSV", "不支持的文件类型 '.CSV'",
         "请把扩展名改为小写：beigang.csv"),
    ],
    "utf-16": [
        ("2023Q2/beigang.csv", "文件是 UTF-16 编码（Excel 的「Unicode 文本」）",
         SAVE_AS_UTF8),
    ],
    "q3-form-in-q2-folder": [
        ("2023Q2/beigang-2023Q3.xlsx", "文件名表明这是 2023Q3 的报表，却放在 2023Q2 文件夹",
         "请把它移到 data/progress/2023Q3/；如确是 2023Q2 的报表，请从网站下载 2023Q2 的报表模板重新填写"),
    ],
    "form-and-csv-of-one-board": [
        ("2023Q2/beigang-2023Q2.xlsx", "同一季度已有 beigang.csv：每个板块每季度只能有一份报表",
         "请删除 beigang.csv 或 beigang-2023Q2.xlsx"),
    ],
    "title-row-above-header": [
        ("2023Q2/beigang.xlsx 第1行", "第 1 行“2023年第二季度安全生产工作进展报表（北港街道）”是标题，不是表头",
         "请删除表头上方的标题行：第一行应是表头（指标编号、完成值、上报日期 …）"),
    ],
    "another-quarters-form": [
        ("2023Q2/beigang.csv:2:2", "这是 2023Q3 的报表（表中“季度”为 2023Q3），却放在 2023Q2 文件夹",
         "请把它移到 data/progress/2023Q3/；2023Q2 的报表请下载 2023Q2 的报表模板填写"),
    ],
    "another-boards-form": [
        ("2023Q2/beigang.csv:2:1", "这是 xinwen 的报表（表中“板块编号”为 xinwen），却放在 beigang 的位置",
         "每个板块只提交自己的报表：xinwen 的报表应命名为 xinwen.xlsx（或 .csv）放在 data/progress/2023Q2/；"
         "beigang 请下载本板块的报表模板"),
    ],
    "only-changed-rows-filled": [
        ("2023Q2/beigang.csv:3", "第 3、4、5 行只有指标编号，没有完成值和上报日期（共 3 行）",
         "按报表的填表说明：本季度不报的指标，请把整行删除；要报的指标填写完成值和上报日期"),
    ],
    "xlsx-cells": [
        ("2023Q2/beigang.xlsx 第2行 C列（C2）", "完成值必须是数字，收到 'n/a'",
         "请填写数字，如 12"),
        ("2023Q2/beigang.xlsx 第4行 C列（C4）", "完成值必须是数字，收到 '2023-03-05'",
         PERCENT_HINT),
        ("2023Q2/beigang.xlsx 第5行 D列（D5）", "上报日期 2023-10-01 不在 2023年第2季度报表的有效期内",
         Q2_WINDOW),
    ],
    "xlsx-named-csv": [
        ("2023Q2/beigang.csv", "这是 Excel 工作簿，扩展名却是 .csv",
         "请把扩展名改为 .xlsx，或另存为 CSV UTF-8"),
    ],
    # hostile inputs (issue 15)
    "impossible-time": [
        ("2023Q2/beigang.csv:2:3", "上报日期中的时间不存在，收到 '2023-06-25 99:99'",
         "时间可以不写；如要写，请写成 2023-06-25 14:30 这样（时 0–23，分 0–59）"),
    ],
    "hidden-report-file": [
        ("2023Q2/.beigang.csv", "文件名以“.”开头，是隐藏文件：不会被当作报表读取",
         "如果这是报表，请改名为 beigang.csv（去掉开头的“.”）；如不是，请删除它"),
    ],
    "hidden-report-folder": [
        ("2023Q2/.old/beigang.csv", "所在的文件夹 '.old' 以“.”开头，是隐藏文件夹：其中的报表不会被读取",
         "请把报表移到季度文件夹中，如 data/progress/2023Q2/beigang.csv"),
    ],
    "bidi-override-in-note": [
        ("2023Q2/beigang.csv:3:27",
         "含有看不见的字符 U+202E（文字方向控制符，会让文字显示的顺序与实际不同），文件中共 2 处",
         HIDDEN_HINT),
    ],
    "nul-in-csv": [
        ("2023Q2/beigang.csv:3:25", "含有看不见的字符 U+0000（空字符 NUL）", HIDDEN_HINT),
    ],
    "note-too-long": [
        ("2023Q2/beigang.csv:2:4", "说明过长（501 字，上限 500 字）",
         "请精简到一两句话；详细材料请作为佐证另行留存，这里写材料名称"),
    ],
    "evidence-too-long": [
        ("2023Q2/beigang.csv:2:5", "佐证过长（600 字，上限 500 字）",
         "请只写佐证材料的名称或网址，不要粘贴材料全文"),
    ],
    "hidden-sheet-with-data": [
        ("2023Q2/beigang.xlsx", "工作表“草稿”是隐藏的，里面有数据：审核人在 Excel 中看不到它",
         "请在 Excel 中右键任一工作表标签 →「取消隐藏」检查其内容：不需要的工作表请删除，需要的请取消隐藏后重新提交"),
    ],
    "hidden-report-sheet": [
        ("2023Q2/beigang.xlsx", "工作表“进展报表”是隐藏的：报表要读取的工作表必须看得见",
         "请在 Excel 中右键任一工作表标签 →「取消隐藏」检查其内容，取消隐藏后保存，再重新提交"),
    ],
    "formula-without-value": [
        ("2023Q2/beigang.xlsx 第2行 B列（B2）",
         "单元格是公式 '=10+2'：网站不计算公式，也无法核实文件中保存的计算结果", PASTE_VALUES),
    ],
    "formula-with-forged-value": [
        ("2023Q2/beigang.xlsx 第2行 B列（B2）",
         "单元格是公式 '=1+1'：网站不计算公式，也无法核实文件中保存的计算结果", PASTE_VALUES),
    ],
    "external-link": [
        ("2023Q2/beigang.xlsx", "工作簿链接了其他文件或数据源（外部链接）：其中的值来自审核人看不到的文件",
         "请在 Excel 中「数据 → 编辑链接 → 断开链接」，把数据粘贴为数值后重新提交"),
    ],
    "macro": [
        ("2023Q2/beigang.xlsx", "工作簿含有宏（VBA 代码）", NO_MACROS),
    ],
    "macro-enabled-type": [
        ("2023Q2/beigang.xlsx", "这是启用宏的工作簿（.xlsm 格式）", NO_MACROS),
    ],
    "bidi-override-in-xlsx-cell": [
        ("2023Q2/beigang.xlsx 第2行 D列（D2）",
         "含有看不见的字符 U+2067（文字方向控制符，会让文字显示的顺序与实际不同），单元格中共 2 处",
         HIDDEN_HINT),
    ],
}


def load(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Report], list[str]]:
    """Load a progress folder from inside it, so problems name paths as clerks see them."""
    monkeypatch.chdir(folder)
    problems = Problems()
    reports = load_reports(folder, RULES, problems)
    return reports, [problem.format() for problem in problems.items]


def read_csv(tmp_path: Path, *lines: str, folder: str = "2023Q2",
             rules: ReportRules = RULES) -> tuple[Report | None, list[str]]:
    """Read an inline CSV report for beigang."""
    path = tmp_path / folder / "beigang.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    problems = Problems()
    return read_report(path, rules, problems), [problem.message for problem in problems.items]


# --- the good corpus ---------------------------------------------------------------------------

def test_good_corpus_holds_every_form():
    assert sorted(path.name for path in (CORPUS / "good").iterdir()) == sorted(FORMS)


@pytest.mark.parametrize("form", FORMS)
def test_every_form_reads_as_the_canonical_report(form, monkeypatch):
    reports, problems = load(CORPUS / "good" / form, monkeypatch)
    assert problems == []
    assert [(r.board, r.year, r.quarter, r.rows) for r in reports] == [
        ("beigang", 2023, 2, CANONICAL)]
    assert reports[0].submitted_on == dt.date(2023, 6, 25)


def test_gb18030_is_read_openly(caplog):
    path = CORPUS / "good" / "gb18030" / "2023Q2" / "beigang.csv"
    with caplog.at_level(logging.INFO, logger="generator.inputs.reports"):
        report = read_report(path, RULES, Problems())
    assert report is not None and report.rows == CANONICAL
    assert "read as GB18030" in caplog.text


# --- the bad corpus ----------------------------------------------------------------------------

def test_bad_corpus_has_an_expectation_for_every_case():
    assert len(BAD) >= 30
    assert sorted(path.name for path in (CORPUS / "bad").iterdir()) == sorted(BAD)


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_explained(case, monkeypatch):
    reports, problems = load(CORPUS / "bad" / case, monkeypatch)
    assert problems == [f"{where}: {message} — {hint}" for where, message, hint in BAD[case]]
    if case not in ("csv-and-xlsx", "form-and-csv-of-one-board"):  # the .csv of the pair is fine
        assert reports == []


def test_no_corpus_file_raises():
    """Every file, good or bad, wherever it sits, gives a Report or a recorded reason."""
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file() and path.suffix != ".py":
            problems = Problems()
            report = read_report(path, RULES, problems)
            assert (report is None) == bool(problems), path
    load_reports(CORPUS, RULES, Problems())


def test_damaged_bytes_never_raise(tmp_path):
    """Truncate and corrupt the good files at random; each result is a Report or a reason."""
    rng = random.Random(20230625)
    sources = sorted((CORPUS / "good").glob("*/2023Q2/beigang.*"))
    for number in range(300):
        source = rng.choice(sources)
        data = bytearray(source.read_bytes())
        if number % 2:
            del data[rng.randrange(len(data)) + 1:]  # keep a byte to corrupt
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / str(number) / "2023Q2" / source.name
        path.parent.mkdir(parents=True)
        path.write_bytes(bytes(data))
        problems = Problems()
        report = read_report(path, RULES, problems)
        assert (report is None) == bool(problems), (source, number)


def test_corpus_matches_its_script(tmp_path):
    """The committed corpus is what make_corpus.py writes today."""
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    make_corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_corpus)
    make_corpus.write(tmp_path)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(CORPUS) for p in CORPUS.rglob("*")
                       if p.is_file() and p.parent.name != "__pycache__"
                       and p.name != "make_corpus.py")
    assert written == committed
    for name in written:
        assert _content(tmp_path / name) == _content(CORPUS / name), name


def _content(path: Path) -> bytes | dict[str, bytes]:
    """Bytes of a file; for a workbook, its members unzipped (zlib builds compress differently)."""
    if path.suffix != ".xlsx" or not zipfile.is_zipfile(path):
        return path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- rules, one at a time ----------------------------------------------------------------------

@pytest.mark.parametrize(("target", "text", "value", "done"), [
    ("biaozhunhua-1a", "25家", 25, None),
    ("biaozhunhua-1a", "25 个", 25, None),
    ("biaozhunhua-1a", "3次", 3, None),
    ("biaozhunhua-1a", "1,200", 1200, None),
    ("biaozhunhua-1a", "１，２００", 1200, None),
    ("biaozhunhua-1a", "0", 0, None),
    ("biaozhunhua-1a", "2.5", 2.5, None),
    ("zhongxiao-2a", "50%", 50, None),
    ("zhongxiao-2a", "５０％", 50, None),
    ("zhongxiao-2a", "50", 50, None),
    ("zhongxiao-2a", "0.5", 0.5, None),  # taken literally: 0.5 %, never 50 %
    ("zhongxiao-2a", "100%", 100, None),
    ("changanma-3", "1.0", 1.0, None),
    ("fenchen-2", "是", None, True),
    ("fenchen-2", "完成", None, True),
    ("fenchen-2", "已完成", None, True),
    ("fenchen-2", "1", None, True),
    ("fenchen-2", "YES", None, True),
    ("fenchen-2", "true", None, True),
    ("fenchen-2", "√", None, True),
    ("fenchen-2", "否", None, False),
    ("fenchen-2", "未完成", None, False),
    ("fenchen-2", "0", None, False),
    ("fenchen-2", "no", None, False),
    ("fenchen-2", "False", None, False),
    ("fenchen-2", "×", None, False),
])
def test_value_spellings(tmp_path, target, text, value, done):
    report, problems = read_csv(tmp_path, "target,value,reported_on",
                                f'{target},"{text}",2023-06-25')
    assert problems == []
    assert (report.rows[0].value, report.rows[0].done) == (value, done)


@pytest.mark.parametrize(("text", "date"), [
    ("2023-06-25", dt.date(2023, 6, 25)),
    ("2023-6-5", dt.date(2023, 6, 5)),
    ("2023/6/25", dt.date(2023, 6, 25)),
    ("2023.6.25", dt.date(2023, 6, 25)),
    ("2023年6月25日", dt.date(2023, 6, 25)),
    ("２０２３年６月２５日", dt.date(2023, 6, 25)),
    ("20230625", dt.date(2023, 6, 25)),
    ("45102", dt.date(2023, 6, 25)),
    ("45102.99", dt.date(2023, 6, 25)),
    ("2023-06-25 23:59:59", dt.date(2023, 6, 25)),
    ("2023-06-25T08:00", dt.date(2023, 6, 25)),
])
def test_date_spellings(tmp_path, text, date):
    report, problems = read_csv(tmp_path, "target,value,reported_on", f"fenchen-2,是,{text}")
    assert problems == []
    assert report.rows[0].reported_on == date


@pytest.mark.parametrize(("folder", "as_of", "date", "ok"), [
    ("2023Q2", "2023-10-15", "2023-04-01", True),
    ("2023Q2", "2023-10-15", "2023-09-30", True),
    ("2023Q2", "2023-10-15", "2023-03-31", False),
    ("2023Q4", "2024-04-10", "2024-03-31", True),   # a late Q4 report, dated next year
    ("2023Q4", "2024-04-10", "2024-04-01", False),
    ("2023Q3", "2023-10-15", "2023-10-15", True),   # dated on the as-of day itself
    ("2023Q3", "2023-10-15", "2023-10-16", False),
])
def test_report_dates_run_to_the_end_of_the_next_quarter(tmp_path, folder, as_of, date, ok):
    rules = dataclasses.replace(RULES, as_of=dt.date.fromisoformat(as_of))
    report, problems = read_csv(tmp_path, "target,value,reported_on", f"fenchen-2,是,{date}",
                                folder=folder, rules=rules)
    assert (report is not None, len(problems)) == (ok, 0 if ok else 1)


def test_line_numbers_are_physical_lines(tmp_path):
    report, problems = read_csv(
        tmp_path, "target,value,reported_on,note", "", "biaozhunhua-1a,12,2023-06-25,\"两行",
        "说明\"", ",,,", "fenchen-2,是,2023-06-25,")
    assert problems == []
    assert [(row.target, row.line, row.note) for row in report.rows] == [
        ("biaozhunhua-1a", 3, "两行\n说明"), ("fenchen-2", 6, "")]


def test_notes_and_evidence_are_kept_as_written(tmp_path):
    report, _ = read_csv(tmp_path, "target,value,reported_on,说明,佐证",
                         "fenchen-2,是,2023-06-25, 完成５０％，待复查 ,照片（３张）")
    assert (report.rows[0].note, report.rows[0].evidence) == ("完成５０％，待复查", "照片（３张）")


def test_load_reports_sorts_and_skips_what_is_not_a_report(tmp_path, monkeypatch):
    canonical = (CORPUS / "good" / "utf8" / "2023Q2" / "beigang.csv").read_bytes()
    workbook = (CORPUS / "good" / "xlsx-text" / "2023Q2" / "beigang.xlsx").read_bytes()
    for name, data in [("2023Q3/zouqu.csv", b"target,value,reported_on\nfenchen-2,1,2023-09-20\n"),
                       ("2023Q2/xilin.csv", canonical),
                       ("2023Q2/beigang.xlsx", workbook), ("2023Q2/.gitkeep", b""),
                       (".DS_Store", b"\0"), ("README.md", b"# reports")]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(data)
    rules = dataclasses.replace(RULES, as_of=dt.date(2023, 12, 31))
    problems = Problems()
    reports = load_reports(tmp_path, rules, problems)
    assert problems.items == []
    assert [(r.year, r.quarter, r.board) for r in reports] == [
        (2023, 2, "beigang"), (2023, 2, "xilin"), (2023, 3, "zouqu")]


def test_a_missing_progress_folder_means_no_reports(tmp_path):
    problems = Problems()
    assert load_reports(tmp_path / "progress", RULES, problems) == []
    assert not problems
