"""An invented 2024 task table, written by the import tests as text, .docx and .xlsx."""

from __future__ import annotations

from pathlib import Path

NOTICE = [
    "常州市钟楼区应急管理局文件",
    "钟应急〔2024〕5号",
    "关于印发《2024年度钟楼区冶金等工贸行业安全生产工作任务分解表》的通知",
    "各科室（大队）、高新园（邹区镇）、各街道综合行政执法局：",
    "为做好2024年度冶金等工贸行业安全生产重点工作，区局制定了任务分解表，现印发给你们，并提出以下要求。",
    "一、加快工作落实。各板块要按照确定时限保质保量完成年度任务。",
    "二、定期总结通报。各板块在每季度末的第 20 日，将工作进展情况报区局。",
    "附件：2024年度钟楼区冶金等工贸行业安全生产工作任务分解表",
    "常州市钟楼区应急管理局",
    "2024 年 2 月 26 日",
    "2024年度钟楼区冶金等工贸行业安全生产工作任务分解表",
]
HEADER = ["类别", "重点专项", "具体工作", "目标任务", "责任地区", "联系人"]
P1, P2 = "一、小切口，抓关键", "二、微模块，强规范"
ROWS = [  # 类别 (merged), 重点专项, 具体工作, 目标任务, 责任地区, 联系人
    (P1, "粉尘涉爆整治", "督促企业落实粉尘清扫制度",
     "1. 4月底前，各板块完成粉尘企业底数排查； 2. 11月底前，各板块培育除尘系统改造示范企业，"
     "邹区镇、北港街道均不少于3家，其他街道不少于1家。 3. 10月中旬，各板块组织一轮专家检查。",
     "区局、各板块", "张政"),
    (P1, "有限空间作业", "推广“挂牌上锁”",
     "1. 三季度起，各板块每季度对重点企业开展检查不少于1次； 2. 每半年，区局组织专项督查。",
     "区局、各板块", "刘根"),
    (P1, "标准化创建", "推进达标创建",
     "12月底前，推动三级安全生产标准化创建60家，其中邹区镇20家，北港街道15家，新闻街道10家，"
     "五星街道5家，西林街道4家，永红街道3家，南大街街道2家，荷花池街道2家。",
     "区局、各板块", "王五"),
    (P2, "安全责任保险", "",
     "督促企业应保尽保，年底前投保率达到98%，企业扫码逾期率不高于15%。",
     "市局、区局、各板块", "张政"),
    (P2, "企业信用管理", "", "持续完善企业画像，市局每月向企业发送短信提醒。",
     "市局、区局、各板块", "法规处"),
]
OTHER = "完成上级交办的其他任务"
CLOSING = "请各地统筹好各项工作进展，在区局制定的时间截点前完成相关工作，并及时报送科室联络人员。"


def write_text(path: Path) -> Path:
    """As Word's text export prints it: the 类别 label once, mid-span; one row lost a cell."""
    lines = [*NOTICE, "\t".join(HEADER)]
    for index, (_, name, work, targets, responsible, contact) in enumerate(ROWS):
        label = {1: P1, 3: P2}.get(index, "")
        cells = [label, name, work, targets, responsible, contact]
        if index == 3:
            cells.remove("")  # the empty 具体工作 cell is dropped, as on line 55 of the 2023 text
        lines.append("\t".join(cells))
        if index == 2:
            lines.append("")
    lines += [OTHER + "\t" * 5, CLOSING + "\t" * 5]
    path.write_text("\n\n".join(lines[:len(NOTICE)]) + "\n\n" + "\n".join(lines[len(NOTICE):])
                    + "\n", encoding="utf-8")
    return path


def write_docx(path: Path) -> Path:
    """A Word table: 类别 merged down each pillar's rows, the last row merged across."""
    import docx

    document = docx.Document()
    for line in NOTICE:
        document.add_paragraph(line)
    table = document.add_table(rows=len(ROWS) + 2, cols=6)
    for column, text in enumerate(HEADER):
        table.cell(0, column).text = text
    for row, values in enumerate(ROWS, start=1):
        for column, text in enumerate(values[1:], start=1):
            table.cell(row, column).text = text
    table.cell(1, 0).merge(table.cell(3, 0)).text = P1
    table.cell(4, 0).merge(table.cell(5, 0)).text = P2
    table.cell(6, 0).merge(table.cell(6, 5)).text = OTHER
    document.add_paragraph(CLOSING)
    document.save(str(path))
    return path


def write_xlsx(path: Path) -> Path:
    """An Excel sheet: the notice in column A above the table, merged 类别 cells."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "任务分解表"
    for line in NOTICE:
        sheet.append([line])
    sheet.append(HEADER)
    first = sheet.max_row + 1
    for values in ROWS:
        sheet.append(list(values))
    sheet.append([OTHER])
    sheet.append([CLOSING])
    for row in range(first + 1, first + 3):
        sheet.cell(row, 1).value = None
    sheet.cell(first + 4, 1).value = None
    sheet.merge_cells(start_row=first, start_column=1, end_row=first + 2, end_column=1)
    sheet.merge_cells(start_row=first + 3, start_column=1, end_row=first + 4, end_column=1)
    sheet.merge_cells(start_row=first + 5, start_column=1, end_row=first + 5, end_column=6)
    workbook.save(path)
    return path
