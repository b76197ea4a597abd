"""Tests for generator.outputs.charts: deterministic, accessible, cached SVG bar charts."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager

from generator.outputs import chart_drawing, charts
from generator.outputs.chart_spec import BarSeries, ChartSpec
from generator.outputs.charts import chart_key, render_all, render_svg
from generator.site import cache

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
BOARDS = ("邹区", "北港", "西林", "南大街", "荷花池", "五星", "永红", "新闸")
STATUSES = ("已完成", "进行中", "滞后", "逾期", "未上报", "未到期")
STATUS_COLORS = ("#009E73", "#56B4E9", "#E69F00", "#D55E00", "#999999", "#DDDDDD")


def percent_spec(**changes) -> ChartSpec:
    fields = dict(
        name="campaign-biaozhunhua", kind="hbar", title="安全生产标准化创建完成率",
        categories=BOARDS,
        series=(BarSeries("完成率", (80, 100, 45.5, None, 66.666, 12, 0, 95), "#0072B2"),),
        xlabel="完成率", xmax=100, reference=100, reference_label="全年目标",
    )
    return ChartSpec(**{**fields, **changes})


def status_spec(rows: list[list[float | None]] | None = None) -> ChartSpec:
    rows = rows or [[5, 3, 1, 0, None, 2], [8, 1, 0, 0, 0, 3], [None] * 6] + [[1] * 6] * 5
    series = tuple(BarSeries(label, tuple(row[j] for row in rows), STATUS_COLORS[j])
                   for j, label in enumerate(STATUSES))
    return ChartSpec(name="board-status", kind="stacked_hbar", title="各板块任务状态",
                     categories=BOARDS, series=series, xlabel="任务数")


def big_spec(n: int = 80) -> ChartSpec:
    categories = tuple(f"单位{i:02d}" for i in range(n))
    values = tuple(None if i % 9 == 0 else float(i) for i in range(n))
    return ChartSpec(name="many", kind="hbar", title="八十个类别", categories=categories,
                     series=(BarSeries("数量", values, "#009E73"),))


def texts(svg: bytes) -> list[str]:
    """Return the text of every <text> element, as a browser would show it."""
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


# --- what a visitor gets -----------------------------------------------------------------------

def test_chinese_is_kept_as_text_in_the_noto_font_with_fallbacks():
    svg = render_svg(percent_spec())
    assert "北港" in texts(svg)
    assert "安全生产标准化创建完成率" in texts(svg)
    families = set(re.findall(rb"font-family: ([^;\"]+)", svg))
    assert families == {b"'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', "
                        b"'PingFang SC', sans-serif"}
    assert b'id="Noto' not in svg  # no glyph outlines, as svg.fonttype "path" would write


def test_simhei_is_never_used():
    assert "simhei" not in chart_drawing.font_path().lower()
    assert chart_drawing.font_path().endswith(os.path.join("mplfonts", "fonts",
                                                    "NotoSansCJKsc-Regular.otf"))
    for spec in (percent_spec(), status_spec(), big_spec()):
        assert b"simhei" not in render_svg(spec).lower()


def test_the_mplfonts_file_wins_over_a_system_copy_of_the_same_family():
    path = chart_drawing.font_path()
    found = font_manager.fontManager.findfont(
        font_manager.FontProperties(family="Noto Sans CJK SC"), fallback_to_default=False)
    assert os.path.realpath(found) == path


def test_root_svg_has_role_aria_label_title_and_desc():
    spec = percent_spec(title="完成率 <A&B>", alt="北港完成 100%，南大街未报。")
    root = ET.fromstring(render_svg(spec))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "北港完成 100%，南大街未报。"
    assert root[0].tag == f"{SVG}title" and root[0].text == "完成率 <A&B>"
    assert root[1].tag == f"{SVG}desc" and root[1].text == "北港完成 100%，南大街未报。"


def test_aria_label_falls_back_to_the_title_and_no_desc_is_written():
    root = ET.fromstring(render_svg(percent_spec(alt="")))
    assert root.get("aria-label") == "安全生产标准化创建完成率"
    assert root.find(f"{SVG}desc") is None


def test_value_labels_are_percent_when_xmax_is_100():
    shown = texts(render_svg(percent_spec()))
    for label in ("80%", "100%", "45.5%", "66.7%", "12%", "0%", "95%"):
        assert label in shown
    assert "全年目标" in shown


def test_value_labels_are_plain_numbers_otherwise():
    spec = percent_spec(xmax=None, reference=None, reference_label="",
                        series=(BarSeries("数量", (12, 3, 0, None, 7, 1, 2, 30), "#0072B2"),))
    shown = texts(render_svg(spec))
    assert {"12", "3", "30"} <= set(shown)
    assert not any(t.endswith("%") for t in shown)


def test_none_is_annotated_as_not_reported():
    assert texts(render_svg(percent_spec())).count("未报") == 1


def test_grouped_bars_draw_every_series_with_a_legend():
    spec = percent_spec(series=(
        BarSeries("完成率", (80, 100, 45.5, None, 66.666, 12, 0, 95), "#0072B2"),
        BarSeries("序时进度", (50,) * 8, "#E69F00")))
    shown = texts(render_svg(spec))
    assert shown.count("50%") == 8
    assert {"完成率", "序时进度", "全年目标"} <= set(shown)


def test_stacked_bars_show_counts_totals_legend_and_missing_reports():
    shown = texts(render_svg(status_spec()))
    assert set(STATUSES) <= set(shown)
    assert "11（部分未报）" in shown  # 邹区: one status not reported
    assert "12" in shown  # 北港's total
    assert shown.count("未报") == 1  # 南大街 reported nothing


def test_eighty_categories_render_taller_with_every_label():
    small, big = render_svg(percent_spec()), render_svg(big_spec(80))
    shown = texts(big)
    assert all(f"单位{i:02d}" in shown for i in range(80))
    assert shown.count("未报") == 9

    def height(svg: bytes) -> float:
        return float(ET.fromstring(svg).get("height").removesuffix("pt"))

    assert height(big) > 6 * height(small)
    assert ET.fromstring(big).get("width") == "576pt"


def test_long_title_wraps_between_han_characters_but_keeps_numbers_whole():
    title = ("各板块任务状态（钟楼经济开发区、邹区镇、北港街道等 8 个板块，"
             "截至 2023 年第二季度末的全部年度任务）")
    svg = render_svg(percent_spec(title=title))
    shown = texts(svg)
    first = next(i for i, t in enumerate(shown) if t.startswith("各板块任务状态"))
    assert shown[first] + shown[first + 1] == title and shown[first] != title
    assert "2023" in shown[first] or "2023" in shown[first + 1]
    assert ET.fromstring(svg).get("aria-label") == title


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("区应急管理局安全生产监督管理第一科室（危化品）", 160,
     "区应急管理局安全生产监督管理第一\n科室（危化品）"),
    ("截至 2023 年第二季度末", 60, "截至 2023 年\n第二季度末"),
    ("截至2023年", 30, "截至\n2023\n年"),
    ("北港", 160, "北港"),
    ("完成率达到一百，", 70, "完成率达到一百，"),  # a comma does not start a line
])
def test_wrap(text, width, expected):
    chart_drawing.font_path()
    with matplotlib.rc_context(chart_drawing._rc()):
        assert chart_drawing._wrap(text, 10, width) == expected


def test_long_charts_label_the_value_axis_at_the_top_too():
    def tick_labels(svg: bytes) -> int:
        return texts(svg).count("0")  # the first value is None: only ticks read 0

    assert tick_labels(render_svg(big_spec(80))) == 2
    assert tick_labels(render_svg(big_spec(chart_drawing.LONG - 1))) == 1


def test_svg_is_byte_identical_within_a_process():
    assert render_svg(status_spec()) == render_svg(status_spec())


# --- determinism and clean output across processes ---------------------------------------------

SCRIPT = textwrap.dedent("""
    import hashlib, sys
    sys.path.insert(0, sys.argv[1])
    from tests.test_charts import big_spec, percent_spec, status_spec
    from generator.outputs.charts import render_svg
    for spec in (percent_spec(), status_spec(), big_spec()):
        print(hashlib.sha256(render_svg(spec)).hexdigest())
""")


def run_in_fresh_process(hash_seed: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONWARNINGS": "default"}
    return subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120, check=True)


def test_same_spec_gives_identical_svg_in_separate_processes_without_warnings():
    first, second = run_in_fresh_process("1"), run_in_fresh_process("2")
    here = [hashlib.sha256(render_svg(s)).hexdigest()
            for s in (percent_spec(), status_spec(), big_spec())]
    assert first.stdout.split() == second.stdout.split() == here
    assert first.stderr == second.stderr == ""


def test_no_warnings_or_log_records_in_process(recwarn, caplog):
    caplog.set_level("DEBUG", logger="matplotlib")
    for spec in (percent_spec(), status_spec(), big_spec()):
        render_svg(spec)
    assert [str(w.message) for w in recwarn] == []
    assert [r.getMessage() for r in caplog.records if r.levelname != "DEBUG"] == []


# --- cache key and cache -----------------------------------------------------------------------

def test_chart_key_is_stable_and_follows_data_and_style(monkeypatch):
    key = chart_key(percent_spec())
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert chart_key(percent_spec()) == key
    assert chart_key(percent_spec(title="另一个标题")) != key
    assert chart_key(percent_spec(alt="替代文本")) != key
    monkeypatch.setattr(charts, "STYLE_VERSION", "test-bump")
    assert chart_key(percent_spec()) != key


def many_specs(n: int) -> list[ChartSpec]:
    return [percent_spec(name=f"chart-{i:02d}", title=f"图表 {i}",
                         series=(BarSeries("完成率", (i, 100 - i) + (50,) * 6, "#0072B2"),))
            for i in range(n)]


def test_render_all_draws_in_parallel_then_reads_everything_from_the_cache(tmp_path):
    specs = many_specs(charts.MIN_PARALLEL + 2)
    stats: dict[str, int] = {}
    first = render_all(specs, tmp_path, workers=2, stats=stats)
    assert stats == {"drawn": len(specs), "cached": 0}
    assert list(first) == [s.name for s in specs]
    assert first["chart-03"] == render_svg(specs[3])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{chart_key(s)}.svg" for s in specs)  # and no temporary files left behind

    second = render_all(specs, tmp_path, workers=2, stats=stats)
    assert stats == {"drawn": 0, "cached": len(specs)}
    assert second == first


def test_render_all_redraws_only_changed_charts(tmp_path):
    specs = many_specs(3)
    render_all(specs, tmp_path, workers=1)
    specs[1] = percent_spec(name="chart-01", title="改过的标题")
    stats: dict[str, int] = {}
    result = render_all(specs, tmp_path, workers=1, stats=stats)
    assert stats == {"drawn": 1, "cached": 2}
    assert "改过的标题" in texts(result["chart-01"])


def test_cached_file_is_returned_as_is(tmp_path):
    spec = percent_spec()
    cache.store(tmp_path, chart_key(spec), ".svg", b"<svg>cached</svg>")
    assert render_all([spec], tmp_path) == {spec.name: b"<svg>cached</svg>"}


def test_render_all_rejects_duplicate_names(tmp_path):
    with pytest.raises(ValueError, match="图表名称重复：a — 每个图表需要唯一的 name"):
        render_all([percent_spec(name="a"), percent_spec(name="a")], tmp_path)


# --- spec validation -----------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "message"), [
    ({"series": (BarSeries("完成率", (1, 2), "#0072B2"),)},
     "图表 'campaign-biaozhunhua'：系列 '完成率' 有 2 个值，但有 8 个类别 — "
     "每个类别需要一个值（无数据填 None）"),
    ({"name": "标准化"},
     "图表 '标准化'：name 只能用小写字母、数字、- 和 _，如 campaign-biaozhunhua"),
    ({"kind": "pie"},
     "图表 'campaign-biaozhunhua'：kind 应为 'hbar' 或 'stacked_hbar'，收到 'pie'"),
    ({"categories": (), "series": ()},
     "图表 'campaign-biaozhunhua'：至少需要一个类别；至少需要一个系列"),
    ({"xmax": -1}, "图表 'campaign-biaozhunhua'：xmax 必须是非负数或 None，收到 -1"),
])
def test_invalid_spec_is_rejected_with_a_fix(changes, message):
    with pytest.raises(ValueError) as error:
        percent_spec(**changes)
    assert str(error.value) == message


@pytest.mark.parametrize(("series", "message"), [
    (("完成率", (float("nan"),), "#0072B2"), "系列 '完成率' 的值必须是非负数或 None，收到 nan"),
    (("完成率", (1,), "blue"), "系列 '完成率' 的颜色必须是十六进制，如 #0072B2，收到 'blue'"),
])
def test_invalid_series_is_rejected_with_a_fix(series, message):
    with pytest.raises(ValueError) as error:
        BarSeries(*series)
    assert str(error.value) == message


def test_lists_are_accepted_and_stored_as_tuples():
    spec = ChartSpec(name="x", kind="hbar", title="标题", categories=["北港"],
                     series=[BarSeries("数量", [3], "#0072B2")])
    assert spec.categories == ("北港",) and spec.series[0].values == (3.0,)
    assert chart_key(spec) == chart_key(ChartSpec(
        name="x", kind="hbar", title="标题", categories=("北港",),
        series=(BarSeries("数量", (3.0,), "#0072B2"),)))


def test_missing_values_can_say_why():
    spec = ChartSpec(name="why-missing", kind="hbar", title="进度", categories=("邹区", "五星"),
                     series=(BarSeries("指标 1", (50.0, None), "#0072B2", ("", "不涉及")),),
                     xmax=100)
    svg = render_svg(spec).decode("utf-8")
    assert "不涉及" in svg and "未报" not in svg
