"""The real build, end to end: generated pages, golden pages, exports, search index, determinism."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURE_AS_OF, FIXTURE_DATA, copy_project, generated, run_cli

AS_OF = FIXTURE_AS_OF
GOLDEN = Path(__file__).parent / "golden"
@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project, built once: pages into build/docs, then the site into site/."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    built = run_cli(root, "build", "--as-of", AS_OF)
    assert built.code == 0, built.err
    published = run_cli(root, "publish")
    assert published.code == 0, published.out + published.err
    return root


def test_every_board_pillar_and_campaign_has_a_page(project):
    import yaml

    plan = yaml.safe_load((FIXTURE_DATA / "plans/2023.yaml").read_text(encoding="utf-8"))
    boards = yaml.safe_load((FIXTURE_DATA / "boards.yaml").read_text(encoding="utf-8"))["boards"]
    site = project / "site"
    for board in boards:
        assert (site / "boards" / board["slug"] / "index.html").is_file()
    for pillar in plan["pillars"]:
        assert (site / "pillars" / pillar["id"] / "index.html").is_file()
        for group in pillar["groups"]:
            for campaign in group["campaigns"]:
                page = site / "campaigns" / campaign["id"] / "index.html"
                assert campaign["name"] in page.read_text(encoding="utf-8")


def test_every_page_shows_the_sample_banner(project):
    pages = list((project / "site").rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        assert "示例数据（演示）" in page.read_text(encoding="utf-8"), page


def test_no_request_to_another_host_in_the_html(project):
    for page in (project / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for marker in ("fonts.googleapis", "fonts.gstatic", "cdn.jsdelivr", "unpkg.com",
                       'src="http', "src='http", 'href="//'):
            assert marker not in text, (page, marker)


def search_docs(project: Path) -> list[dict]:
    index = json.loads((project / "site/search/search_index.json").read_text(encoding="utf-8"))
    return index["docs"]


@pytest.mark.parametrize(("word", "page"), [("粉尘", "campaigns/fenchen/"),
                                            ("标准化", "campaigns/biaozhunhua/"),
                                            ("有限空间", "campaigns/youxian-kongjian/")])
def test_search_index_is_segmented_by_jieba(project, word, page):
    docs = search_docs(project)
    segmented = [d for d in docs if d["location"].startswith(page) and
                 f"\u200b{word}\u200b" in d["text"] + d["title"]]
    assert segmented, f"{word} is not a segmented word on {page}"


def test_chinese_headings_keep_anchors(project):
    html = (project / "site/contacts/index.html").read_text(encoding="utf-8")
    assert 'id="按联络人"' in html
    assert 'id="beigang"' in html


def test_open_data_export(project):
    folder = project / "site/data/2023"
    document = json.loads((folder / "targets.json").read_text(encoding="utf-8"))
    assert document["count"] == len(document["targets"]) == 78  # 77 items, 风险报告 1 split
    record = next(t for t in document["targets"] if t["id"] == "biaozhunhua-1a")
    assert record["quotas"] == {"zouqu": 25, "beigang": 25, "xinwen": 22, "wuxing": 8,
                                "xilin": 8, "yonghong": 4, "nandajie": 1, "hehuachi": 1}
    assert record["deadline"] == "2023-12-31"
    assert record["metric"] == {"kind": "count", "op": ">=", "value": None, "unit": "家",
                                "total": 94}
    assert record["contacts"] == ["张政"]
    for key in ("id", "campaign_id", "campaign", "pillar", "text", "deadline", "recurrence",
                "metric", "quotas", "responsible", "contacts", "kind", "lead", "support"):
        assert key in record
    assert (record["kind"], record["lead"], record["support"]) == (
        "cumulative", ["zouqu", "beigang", "xinwen", "wuxing", "xilin", "yonghong", "nandajie",
                       "hehuachi"], ["quju"])
    # the row's real 责任地区, as the document prints it (not 各板块 for three named boards)
    gaochu = next(t for t in document["targets"] if t["id"] == "gaochu-zuoye-2")
    assert gaochu["responsible"] == ["区局", "邹区镇", "北港街道", "新闻街道"]
    raw = (folder / "targets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 78
    row = next(r for r in rows if r["id"] == "biaozhunhua-1b")
    assert row["quotas"] == ("zouqu=13;beigang=12;xinwen=12;wuxing=4;xilin=3;yonghong=1;"
                             "nandajie=1;hehuachi=1")
    assert (project / "site/open-data/index.html").is_file()


def generated_digest(root: Path) -> dict[str, bytes]:
    folder = root / "build/docs"
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_inputs_give_byte_identical_output_across_processes(project, tmp_path):
    other = copy_project(tmp_path / "again")
    env = {"PYTHONHASHSEED": "123"}
    assert run_cli(other, "build", "--as-of", AS_OF, env=env).code == 0
    assert generated_digest(other) == generated_digest(project)


def test_every_generated_file_is_as_checked_in(project):
    """Every page, download, open-data file, form, chart and calendar of the fixture build, by
    sha256 (tests/golden/build-docs.sha256). It held the same bytes before and after the package
    was reshaped by pipeline stage; refresh it with UPDATE_GOLDEN=1 after a deliberate change."""
    actual = {path: hashlib.sha256(content).hexdigest()
              for path, content in generated_digest(project).items()}
    manifest = GOLDEN / "build-docs.sha256"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        manifest.write_text("".join(f"{digest}  {path}\n" for path, digest in actual.items()),
                            encoding="utf-8")
    expected = dict(reversed(line.split("  ", 1))
                    for line in manifest.read_text(encoding="utf-8").splitlines())
    changed = sorted(path for path in expected.keys() | actual.keys()
                     if expected.get(path) != actual.get(path))
    assert not changed, f"{len(changed)} files differ from the golden build: {changed[:20]}"


def test_noop_rebuild_writes_nothing(project):
    before = {p: p.stat().st_mtime_ns for p in (project / "build/docs").rglob("*")}
    result = run_cli(project, "build", "--as-of", AS_OF)
    assert "写入 0 个文件" in result.out
    after = {p: p.stat().st_mtime_ns for p in (project / "build/docs").rglob("*")}
    assert before == after


def test_failed_build_keeps_last_good_output(project):
    before = generated_digest(project)
    site_before = {p: p.read_bytes() for p in (project / "site").rglob("*.html")}
    plan = project / "data/plans/2023.yaml"
    good = plan.read_text(encoding="utf-8")
    try:
        plan.write_text(good.replace("zouqu: 25", "zouqv: 25", 1), encoding="utf-8")
        result = run_cli(project, "build", "--as-of", AS_OF)
        assert result.code == 1 and "Traceback" not in result.err
    finally:
        plan.write_text(good, encoding="utf-8")
    assert generated_digest(project) == before
    assert {p: p.read_bytes() for p in (project / "site").rglob("*.html")} == site_before


@pytest.mark.parametrize(("page", "golden"), [("campaigns/biaozhunhua.md", "campaign.md"),
                                              ("boards/beigang.md", "board.md")])
def test_golden_pages(project, page, golden):
    """Compare with checked-in pages; refresh them with UPDATE_GOLDEN=1 after a deliberate change."""
    actual = generated(project / "build/docs", page).read_text(encoding="utf-8")
    expected_path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_path.parent.mkdir(exist_ok=True)
        expected_path.write_text(actual, encoding="utf-8")
    assert actual == expected_path.read_text(encoding="utf-8")


def test_as_of_defaults_to_the_pinned_demo_date(project):
    result = run_cli(project, "validate")
    assert f"数据截至 {AS_OF}" in result.out


def test_explicit_as_of_changes_statuses(project, tmp_path):
    later = copy_project(tmp_path / "later")
    assert run_cli(later, "build", "--as-of", "2024-01-15").code == 0
    text = generated(later / "build/docs", "index.md").read_text(encoding="utf-8")
    assert '数据截至 <span class="nw">2024年1月15日</span>' in text
    assert text != generated(project / "build/docs", "index.md").read_text(encoding="utf-8")


def test_today_is_the_default_without_a_pinned_date(tmp_path):
    root = copy_project(tmp_path / "p")
    settings = root / "data/site.yaml"
    settings.write_text("sample_data: true\n", encoding="utf-8")
    result = run_cli(root, "validate")
    assert f"数据截至 {dt.date.today().isoformat()}" in result.out


def test_second_year_has_its_own_pages_marked_as_sample(project):
    site = project / "site/2022"
    for page in ("index.html", "notice.html", "campaigns/fengxian-baogao/index.html",
                 "boards/beigang/index.html"):
        path = site / page.replace("notice.html", "notice/index.html")
        assert "示例年度（演示用虚构计划）" in path.read_text(encoding="utf-8"), path
    home = generated(project / "build/docs", "index.md").read_text(encoding="utf-8")
    assert '<p class="years">年度：<strong>2023 年</strong> · <a href="2022/">2022 年（示例）</a></p>' in home


def test_last_year_is_the_base_of_baseline_targets(project):
    page = generated(project / "build/docs", "campaigns/fengxian-baogao.md").read_text(encoding="utf-8")
    zouqu_2022 = (FIXTURE_DATA / "progress/2022Q4/zouqu.csv").read_text(encoding="utf-8-sig")
    last = next(line for line in zouqu_2022.splitlines() if line.startswith("fengxian-baogao-1a,"))
    value = last.split(",")[2]
    assert f"以上一年度数值 {value} 为目标" in page


def test_calendar_feeds_hold_every_dated_target(project):
    from icalendar import Calendar

    document = json.loads((project / "site/data/2023/targets.json").read_text(encoding="utf-8"))
    dated = {t["id"] for t in document["targets"] if t["deadline"]}
    calendar = Calendar.from_ical((project / "site/calendar/all.ics").read_bytes())
    text = "\n".join(str(event.get("UID")) for event in calendar.walk("VEVENT"))
    missing = [target for target in dated if f"{target}-" not in text]
    assert not missing
    board_page = (project / "site/boards/beigang/index.html").read_text(encoding="utf-8")
    assert 'href="../../calendar/beigang.ics"' in board_page


def test_report_forms_are_downloadable(project):
    assert (project / "site/forms/2023Q3/beigang-2023Q3.xlsx").is_file()
    assert (project / "site/forms/2023Q3/beigang-2023Q3.csv").is_file()
    board_page = (project / "site/boards/beigang/index.html").read_text(encoding="utf-8")
    assert 'href="../../forms/2023Q3/beigang-2023Q3.xlsx"' in board_page


def test_a_filled_form_from_the_site_is_accepted_as_is(project, workspace):
    import openpyxl

    workbook = openpyxl.load_workbook(project / "site/forms/2023Q3/beigang-2023Q3.xlsx")
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    goal, value, date = (header.index(name) + 1 for name in ("目标", "完成值", "上报日期"))
    for row in range(2, sheet.max_row + 1):
        done_type = "完成即可" in str(sheet.cell(row, goal).value)
        sheet.cell(row, value).value = "是" if done_type else 1
        sheet.cell(row, date).value = dt.date(2023, 9, 22)
    (workspace / "data/progress/2023Q3/beigang.csv").unlink()
    workbook.save(workspace / "data/progress/2023Q3/beigang-2023Q3.xlsx")  # the name as downloaded
    result = run_cli(workspace, "validate")
    assert result.code == 0, result.err
    assert "68 份季度报表" in result.out


def test_page_downloads_hold_the_boards_cells(project):
    from generator.evaluate import LABELS, Status

    raw = (project / "site/downloads/boards/beigang.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    cells = json.loads((project / "site/data/2023/cells.json").read_text(encoding="utf-8"))
    own = {c["target"]: c for c in cells["cells"] if c["owner"] == "beigang"}
    page = generated(project / "build/docs", "boards/beigang.md").read_text(encoding="utf-8")
    assert f'<span class="tile-value">{len(own)}</span><span class="tile-label">承担指标' in page
    assert [row["指标编号"] for row in rows] == list(own)
    for row in rows:
        cell = own[row["指标编号"]]
        assert row["状态"] == LABELS[Status(cell["status"])]
        assert row["上报日期"] == (cell["reported_on"] or "")
    board_html = (project / "site/boards/beigang/index.html").read_text(encoding="utf-8")
    assert 'href="../../downloads/boards/beigang.csv"' in board_html
    assert (project / "site/downloads/campaigns/biaozhunhua.json").is_file()


def test_updates_page_is_built_for_each_year(project):
    assert "更新动态" in (project / "site/updates/index.html").read_text(encoding="utf-8")
    assert (project / "site/2022/updates/index.html").is_file()


def test_template_command_writes_a_prefilled_form(workspace):
    result = run_cli(workspace, "template", "--board", "beigang", "--quarter", "2023Q2",
                     "--out", "out")
    assert result.code == 0, result.err
    assert (workspace / "out/2023Q2/beigang-2023Q2.xlsx").is_file()
    bad = run_cli(workspace, "template", "--board", "beigan", "--quarter", "2023Q2")
    assert bad.code == 1
    assert "--board: 未知的板块编号 'beigan' — 是否应为 'beigang'？" in bad.err


def test_failed_mkdocs_build_keeps_the_last_good_site(project):
    site_before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    broken = project / "build/docs/broken.md"
    broken.write_text("# 坏链接\n\n[不存在的页面](missing.md)\n\n[锚点](#nowhere)\n",
                      encoding="utf-8")
    try:
        result = run_cli(project, "publish")
    finally:
        broken.unlink()
    assert result.code == 1
    assert result.err.startswith(
        "build/docs/broken.md: 链接“missing.md”指向的页面不存在\n"
        "build/docs/broken.md: 链接“#nowhere”指向本页中不存在的锚点\n"
        "mkdocs 在严格模式下发现 2 个警告，未构建站点 — 如果这个页面是 docs/ 中手写的页面，"
        "请改正链接；如果是生成的页面，说明数据中的文字未被正确转义，请把这条消息报告给维护人员。\n"
        "以下是 mkdocs 的原始输出（供维护人员排查）：\n"), result.err
    assert "Aborted with 2 warnings in strict mode!" in result.err
    assert result.err.endswith("mkdocs 构建失败，site/ 保持为上次成功构建的内容。\n")
    assert {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()} == site_before


def test_noop_skips_the_pipeline_but_never_serves_stale_output(project):
    quiet = run_cli(project, "build", "--as-of", AS_OF)
    assert quiet.out.startswith("输入未变：") and "写入 0 个文件" in quiet.out
    page = generated(project / "build/docs", "boards/beigang.md")
    good = page.read_bytes()
    page.unlink()  # output damaged: the build must notice and restore it
    restored = run_cli(project, "build", "--as-of", AS_OF)
    assert not restored.out.startswith("输入未变") and page.read_bytes() == good
    report = project / "data/progress/2023Q3/beigang.csv"
    original = report.read_bytes()
    report.write_bytes(original.replace(b"\xe7\xa4\xba\xe4\xbe\x8b\xe6\x95\xb0\xe6\x8d\xae",
                                        "演示备注".encode(), 1))
    try:
        changed = run_cli(project, "build", "--as-of", AS_OF)
        assert "写入 0 个文件" not in changed.out
    finally:
        report.write_bytes(original)
    assert "写入 0 个文件" not in run_cli(project, "build", "--as-of", AS_OF).out
    moved = run_cli(project, "build", "--as-of", AS_OF, env={"SITE_URL": "https://x.example/"})
    assert "写入 0 个文件" not in moved.out
    assert "https://x.example/" in (project / "build/docs/calendar/all.ics").read_text("utf-8")
    run_cli(project, "build", "--as-of", AS_OF)


def test_assessment_ranks_every_board_in_one_table(project):
    html = (project / "site/assessment/index.html").read_text(encoding="utf-8")
    table = html[html.index("<table"):html.index("</table>")]
    for name in ("邹区镇", "北港街道", "新闻街道", "五星街道", "西林街道", "永红街道",
                 "南大街街道", "荷花池街道"):
        assert f">{name}</a></td>" in table, name


def test_repository_and_contribution_guide_are_linked(project):
    home = (project / "site/index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/zhonglou-yjj/safety-portal"' in home
    assert "api.github.com" not in home and 'data-md-component="source"' not in home
    board = (project / "site/boards/beigang/index.html").read_text(encoding="utf-8")
    assert ('<a href="https://github.com/zhonglou-yjj/safety-portal/blob/main/CONTRIBUTING.md">'
            "提交指南</a>") in board


def test_without_site_url_the_sitemap_feed_and_calendars_use_the_settings(project):
    sitemap = (project / "site/sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://zhonglou-yjj.github.io/safety-portal/boards/beigang/</loc>" in sitemap
    feed = (project / "site/cases/feed.xml").read_text(encoding="utf-8")
    assert 'href="https://zhonglou-yjj.github.io/safety-portal/cases/' in feed
    ics = (project / "site/calendar/beigang.ics").read_text(encoding="utf-8")
    assert "URL:https://zhonglou-yjj.github.io/safety-portal/" in ics


def test_a_python_without_the_packages_says_what_to_do(tmp_path):
    root = copy_project(tmp_path / "p")
    result = subprocess.run([sys.executable, "-S", "-m", "generator", "new-case"], cwd=root,
                            capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert result.stderr.startswith("缺少运行所需的 Python 包 '")
    assert result.stderr.rstrip().endswith("请先运行 make site（它会创建 .venv 并安装全部依赖），"
                                           "然后用 .venv/bin/python -m generator new-case …")


def test_cells_and_ranking_are_published_from_the_evaluation(project):
    folder = project / "site/data/2023"
    cells = json.loads((folder / "cells.json").read_text(encoding="utf-8"))
    ranking = json.loads((folder / "ranking.json").read_text(encoding="utf-8"))
    assert (cells["as_of"], cells["ranking_date"]) == (AS_OF, "2023-09-25")
    keys = {"target", "owner", "role", "kind", "deadline", "status", "expected", "actual",
            "reported_on", "weight", "score"}
    assert all(set(cell) == keys for cell in cells["cells"])
    statuses = {cell["status"] for cell in cells["cells"]}
    assert statuses == {"done", "done_late", "on_track", "at_risk", "behind", "overdue",
                        "compliant", "breached", "not_reported", "not_due", "not_applicable"}
    weixian = next(c for c in cells["cells"]
                   if (c["target"], c["owner"]) == ("weixianyuan-2", "zouqu"))
    assert (weixian["kind"], weixian["deadline"], weixian["role"]) == (
        "recurring", "2023-12-31", "lead")
    quju = [c for c in cells["cells"] if c["owner"] == "区局" and c["role"] == "lead"]
    assert len([c for c in quju if c["status"] != "not_applicable"]) >= 15  # 区局 is assessed
    assert ranking["ranking_date"] == "2023-09-25" and len(ranking["boards"]) == 8
    ranks = [board["rank"] for board in ranking["boards"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    page = generated(project / "build/docs", "assessment.md").read_text(encoding="utf-8")
    for board in ranking["boards"]:
        row = (f'<td class="num rank" data-label="排名">{board["rank"]}</td><td class="lead" '
               f'data-label="板块"><span class="rank-no">{board["rank"]}.</span> '
               f'<a href="../boards/{board["board"]}/">{board["name"]}</a></td>')
        assert row in page
        assert f'data-label="综合得分"><strong>{board["score"]:.1f}</strong>' in page


def relative_links(site: Path) -> dict[str, set[str]]:
    """Every relative href/src of every page that leads to no file of the site."""
    import html as html_module
    import re
    from urllib.parse import unquote, urlsplit

    broken: dict[str, set[str]] = {}
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # Material's error page uses absolute links on purpose
            continue
        for found in re.finditer(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            url = html_module.unescape(found.group(1))
            path = unquote(urlsplit(url).path)
            if re.match(r"^[a-z]+:", url) or url.startswith(("#", "//")) or not path:
                continue
            target = (page.parent / path).resolve()
            if path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.setdefault(page.relative_to(site).as_posix(), set()).add(url)
    return broken


def test_every_relative_link_and_image_resolves(project):
    """Raw HTML links are not checked by `mkdocs --strict`: check the built site instead."""
    assert relative_links(project / "site") == {}
