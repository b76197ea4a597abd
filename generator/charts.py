"""Draw the portal's bar charts as deterministic, accessible SVG, cached by content."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import multiprocessing
import os
import re
import tempfile
import textwrap
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from io import BytesIO
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

log = logging.getLogger(__name__)

STYLE_VERSION = "1"
"""Part of every cache key: bump it whenever the drawing code changes what an SVG looks like."""

FONT_FAMILY = "Noto Sans CJK SC"
"""The font charts are laid out with: the SIL OFL Noto Sans CJK SC shipped in mplfonts."""

FONT_FALLBACKS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC")
"""Font names written into the SVG, in order, before the generic sans-serif, for visitors."""

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000")
"""Okabe–Ito colours, distinguishable with the common colour-vision deficiencies."""

NO_DATA = "未报"
# Process start method for the drawing pool: "spawn" behaves the same on every platform and
# Python version (fork from a threaded parent can deadlock; 3.14 stopped defaulting to it).
POOL_CONTEXT = "spawn"
# Below this many charts to draw, starting worker processes costs more than it saves.
MIN_PARALLEL = 8

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_MPLFONTS_FILE = "NotoSansCJKsc-Regular.otf"
_font_path: str | None = None


@dataclass(frozen=True)
class BarSeries:
    """One series of bars: a value per category, None where a board has not reported."""

    label: str
    """Legend label, Chinese."""
    values: tuple[float | None, ...]
    """One value per category; None means no data: nothing is drawn and 未报 is written."""
    color: str
    """Bar colour as hex, e.g. #0072B2."""

    def __post_init__(self) -> None:
        values = tuple(None if v is None else float(v) for v in self.values)
        object.__setattr__(self, "values", values)
        for v in values:
            if v is not None and not (math.isfinite(v) and v >= 0):
                raise ValueError(f"系列 '{self.label}' 的值必须是非负数或 None，收到 {v!r}")
        if not re.fullmatch(r"#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?", self.color):
            raise ValueError(f"系列 '{self.label}' 的颜色必须是十六进制，如 #0072B2，收到 "
                             f"{self.color!r}")


@dataclass(frozen=True)
class ChartSpec:
    """Everything needed to draw one chart; equal specs give byte-identical SVG."""

    name: str
    """File stem, ASCII, e.g. campaign-biaozhunhua."""
    kind: Literal["hbar", "stacked_hbar"]
    """hbar: grouped horizontal bars; stacked_hbar: series stacked along each bar."""
    title: str
    """Chart title, Chinese."""
    categories: tuple[str, ...]
    """Y-axis labels, top to bottom, e.g. board short names 邹区 北港."""
    series: tuple[BarSeries, ...]
    xlabel: str = ""
    xmax: float | None = None
    """Right end of the value axis, e.g. 100 for percent (labels then end in %); None = auto."""
    reference: float | None = None
    """Draw a dashed vertical line here, e.g. the 100% target or the expected value."""
    reference_label: str = ""
    alt: str = ""
    """Alternative text, Chinese, written by the caller; used as the SVG's aria-label."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "categories", tuple(self.categories))
        object.__setattr__(self, "series", tuple(self.series))
        problems = list(_spec_problems(self))
        if problems:
            raise ValueError(f"图表 {self.name!r}：" + "；".join(problems))


def _spec_problems(spec: ChartSpec) -> Iterator[str]:
    """Yield what is wrong with a spec, as messages saying how to fix it."""
    if not _NAME.match(spec.name):
        yield "name 只能用小写字母、数字、- 和 _，如 campaign-biaozhunhua"
    if spec.kind not in ("hbar", "stacked_hbar"):
        yield f"kind 应为 'hbar' 或 'stacked_hbar'，收到 {spec.kind!r}"
    if not spec.categories:
        yield "至少需要一个类别"
    if not spec.series:
        yield "至少需要一个系列"
    for s in spec.series:
        if len(s.values) != len(spec.categories):
            yield (f"系列 '{s.label}' 有 {len(s.values)} 个值，但有 {len(spec.categories)} 个"
                   "类别 — 每个类别需要一个值（无数据填 None）")
    for field_name in ("xmax", "reference"):
        value = getattr(spec, field_name)
        if value is not None and not (math.isfinite(value) and value >= 0):
            yield f"{field_name} 必须是非负数或 None，收到 {value!r}"


# --- cache key ---------------------------------------------------------------------------------

def chart_key(spec: ChartSpec) -> str:
    """Return the sha256 hex of the spec's data, the drawing style and the library versions."""
    payload = {
        "style": STYLE_VERSION,
        # A new matplotlib or font release can change the output of the same drawing code.
        "matplotlib": matplotlib.__version__,
        "mplfonts": _package_version("mplfonts"),
        "spec": dataclasses.asdict(spec),
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


# --- font and rc settings ------------------------------------------------------------------------

def font_path() -> str:
    """Register mplfonts' Noto Sans CJK SC with matplotlib once per process; return its path."""
    global _font_path
    if _font_path is None:
        import mplfonts

        path = str(Path(mplfonts.__file__).resolve().parent / "fonts" / _MPLFONTS_FILE)
        if not os.path.isfile(path):
            raise RuntimeError(f"找不到字体 {path} — 请安装 mplfonts（pip install -e .）")
        manager = font_manager.fontManager
        manager.addfont(path)  # also clears findfont's cache
        # A system copy of the same family (Debian's fonts-noto-cjk .ttc) would win the tie in
        # findfont; put this file first so every machine lays text out with the same metrics.
        manager.ttflist.sort(key=lambda entry: entry.fname != path)
        found = manager.findfont(font_manager.FontProperties(family=FONT_FAMILY))
        if os.path.realpath(found) != path:
            raise RuntimeError(f"matplotlib 选用了 {found}，而不是 {path}")
        _font_path = path
    return _font_path


def _rc() -> dict[str, Any]:
    return {
        # A generic family whose list starts with our font: the SVG then names every fallback.
        "font.family": ["sans-serif"],
        "font.sans-serif": list(FONT_FALLBACKS),
        "font.size": 10,
        "axes.unicode_minus": False,
        "axes.titlesize": 13,
        "axes.titlelocation": "left",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.facecolor": "white",
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "svg.fonttype": "none",
        "svg.hashsalt": "zhonglou-safety-charts",
        "svg.image_inline": True,
    }


# --- drawing -----------------------------------------------------------------------------------

def render_svg(spec: ChartSpec) -> bytes:
    """Draw one chart and return deterministic SVG bytes."""
    font_path()
    with matplotlib.rc_context(_rc()):
        fig = _draw(spec)
        buffer = BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return _accessible(buffer.getvalue(), spec)


def _draw(spec: ChartSpec) -> Figure:
    """Build the figure for a spec."""
    labels = [_wrap(c, 14) for c in spec.categories]
    title = _wrap(spec.title, 40)
    top = _axis_top(spec)
    has_reference_entry = bool(spec.reference_label) and spec.reference is not None
    legend_items = len(spec.series) + has_reference_entry if _has_legend(spec) else 0
    legend_rows = math.ceil(legend_items / min(legend_items, 6)) if legend_items else 0
    height = _figure_height(spec, max(s.count("\n") + 1 for s in labels),
                            title.count("\n") + 1, legend_rows)
    fig = Figure(figsize=(8, height), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if spec.kind == "hbar":
        _grouped_bars(ax, spec, top)
    else:
        _stacked_bars(ax, spec, top)
    _style_axes(ax, spec, labels, top)
    ax.set_title(title, pad=10)
    if spec.reference is not None:
        ax.axvline(spec.reference, color="#444444", linestyle="--", linewidth=1.2,
                   label=spec.reference_label or None, zorder=3)
    if legend_items:
        _legend(fig, ax, ncols=min(legend_items, 6))
    return fig


def _legend(fig: Figure, ax: Axes, ncols: int) -> None:
    """Put the legend under the plot: series in order, then the reference line."""
    handles, names = ax.get_legend_handles_labels()
    order = sorted(range(len(names)), key=lambda k: isinstance(handles[k], Line2D))
    fig.legend([handles[k] for k in order], [names[k] for k in order],
               loc="outside lower center", ncols=ncols, frameon=False)


def _has_legend(spec: ChartSpec) -> bool:
    return (spec.kind == "stacked_hbar" or len(spec.series) > 1
            or (bool(spec.reference_label) and spec.reference is not None))


def _figure_height(spec: ChartSpec, label_lines: int, title_lines: int, legend_rows: int) -> float:
    """Return inches: fixed header and footer plus a row per category, tall enough to read."""
    n_series = len(spec.series) if spec.kind == "hbar" else 1
    row = max(0.14 + 0.18 * n_series, 0.1 + 0.17 * label_lines)
    header = 0.3 + 0.25 * title_lines
    footer = 0.45 + (0.25 if spec.xlabel else 0) + 0.3 * legend_rows
    return round(header + row * len(spec.categories) + footer, 2)


def _axis_top(spec: ChartSpec) -> float:
    """Return the largest value the axis must show: xmax, the data or the reference line."""
    if spec.kind == "stacked_hbar":
        data = [sum(v or 0 for v in row) for row in _rows(spec)]
    else:
        data = [v for s in spec.series for v in s.values if v is not None]
    top = max([spec.xmax or 0, spec.reference or 0, *data])
    return top or 1.0


def _grouped_bars(ax: Axes, spec: ChartSpec, top: float) -> None:
    """Draw one bar per series in each category's band, first series on top."""
    height = 0.8 / len(spec.series)
    for j, series in enumerate(spec.series):
        offset = (j - (len(spec.series) - 1) / 2) * height
        ys = [i + offset for i in range(len(series.values))]
        # One call per series: a single legend entry, even when every value is missing.
        ax.barh(ys, [v or 0.0 for v in series.values], height=height * 0.9, color=series.color,
                zorder=2, label=series.label)
        for y, value in zip(ys, series.values, strict=True):
            if value is None:
                _no_data(ax, y, top)
            else:
                ax.text(value + top * 0.01, y, _fmt(value, spec.xmax == 100), va="center",
                        fontsize=9, color="#222222")


def _stacked_bars(ax: Axes, spec: ChartSpec, top: float) -> None:
    """Stack the series along each category's bar, counts inside, the total at the end."""
    left = [0.0] * len(spec.categories)
    for series in spec.series:
        widths = [v or 0.0 for v in series.values]
        ax.barh(range(len(widths)), widths, left=left, height=0.7, color=series.color,
                label=series.label, zorder=2, edgecolor="white", linewidth=0.6)
        for i, width in enumerate(widths):
            if width and width >= top * 0.04:
                ax.text(left[i] + width / 2, i, _fmt(width, spec.xmax == 100), ha="center",
                        va="center", fontsize=8.5, color=_ink(series.color), zorder=4)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for i, row in enumerate(_rows(spec)):
        if all(v is None for v in row):
            _no_data(ax, i, top)
            continue
        label = _fmt(left[i], spec.xmax == 100)
        if any(v is None for v in row):
            label += "（部分未报）"
        ax.text(left[i] + top * 0.01, i, label, va="center", fontsize=9, color="#222222")


def _rows(spec: ChartSpec) -> list[tuple[float | None, ...]]:
    """Return each category's values, one per series."""
    return list(zip(*(s.values for s in spec.series), strict=True))


def _no_data(ax: Axes, y: float, top: float) -> None:
    ax.text(top * 0.01, y, NO_DATA, va="center", fontsize=9, color="#666666", style="normal")


def _style_axes(ax: Axes, spec: ChartSpec, labels: list[str], top: float) -> None:
    """Label the categories top to bottom and leave room on the right for value labels."""
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)  # first category at the top
    ax.tick_params(axis="y", length=0)
    integer = all(v is None or v == int(v) for s in spec.series for v in s.values)
    ticks = MaxNLocator(nbins=6, integer=integer).tick_values(0, top)
    ax.set_xticks([t for t in ticks if 0 <= t <= top * 1.0001])
    ax.set_xlim(0, top * 1.18)
    ax.spines["bottom"].set_bounds(0, top)  # the extra room is for labels, not for values
    if spec.xmax == 100:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:g}%"))
    ax.grid(axis="x", color="#dddddd", linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    if spec.xlabel:
        ax.set_xlabel(spec.xlabel)


def _fmt(value: float, percent: bool) -> str:
    text = f"{round(value, 1):g}" if abs(value) < 1e5 else f"{value:.0f}"
    return text + "%" if percent else text


def _ink(background: str) -> str:
    """Return black or white, whichever reads better on the given hex colour."""
    r, g, b = (int(background[k:k + 2], 16) / 255 for k in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.45 else "#ffffff"


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _accessible(svg: bytes, spec: ChartSpec) -> bytes:
    """Give the root <svg> role="img", an aria-label and a <title> (and <desc> for alt text)."""
    text = svg.decode("utf-8")
    start = text.index("<svg ")
    end = text.index(">", start) + 1
    label = " ".join((spec.alt or spec.title).split())
    root = text[start:end].replace("<svg ", f"<svg role=\"img\" aria-label={quoteattr(label)} ",
                                   1)
    children = f"\n <title>{escape(spec.title)}</title>"
    if spec.alt:
        children += f"\n <desc>{escape(spec.alt)}</desc>"
    return (text[:start] + root + children + text[end:]).encode("utf-8")


# --- many charts, cached -------------------------------------------------------------------------

def render_all(specs: Sequence[ChartSpec], cache_dir: Path, workers: int | None = None,
               stats: dict[str, int] | None = None) -> dict[str, bytes]:
    """Return {spec.name: svg} in the specs' order, drawing only charts not in cache_dir.

    Cached charts (<key>.svg) are read, never redrawn; the rest are drawn in parallel and
    written to the cache atomically. `stats`, when given, receives "drawn" and "cached" counts.
    """
    names = [spec.name for spec in specs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"图表名称重复：{', '.join(duplicates)} — 每个图表需要唯一的 name")
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    keys = {spec.name: chart_key(spec) for spec in specs}
    found: dict[str, bytes] = {}  # by key
    missing: dict[str, ChartSpec] = {}  # by key; equal specs under two names are drawn once
    for spec in specs:
        key = keys[spec.name]
        path = cache_dir / f"{key}.svg"
        if key not in found and path.is_file():
            found[key] = path.read_bytes()
        elif key not in found:
            missing.setdefault(key, spec)
    for key, svg in zip(missing, _draw_many(list(missing.values()), workers), strict=True):
        _write_atomic(cache_dir / f"{key}.svg", svg)
        found[key] = svg
    if stats is not None:
        stats["drawn"] = len(missing)
        stats["cached"] = len(set(keys.values())) - len(missing)
    log.info("图表：绘制 %d 个，缓存命中 %d 个", len(missing), len(found) - len(missing))
    return {name: found[keys[name]] for name in names}


def _draw_many(specs: list[ChartSpec], workers: int | None) -> list[bytes]:
    """Draw specs in order, in worker processes when there are enough of them."""
    workers = min(workers or os.cpu_count() or 1, len(specs))
    if workers <= 1 or len(specs) < MIN_PARALLEL:
        return [render_svg(spec) for spec in specs]
    context = multiprocessing.get_context(POOL_CONTEXT)
    chunk = max(1, len(specs) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=font_path) as pool:
        return list(pool.map(render_svg, specs, chunksize=chunk))


def _write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same directory, so readers never see half a chart."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem[:16]}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
