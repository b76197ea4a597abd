"""Draw one chart with matplotlib: measured layout, CJK font, deterministic accessible SVG.

Imported only when a chart is not in the cache, so a build whose charts are all cached never
pays for importing matplotlib.
"""

from __future__ import annotations

import functools
import math
import os
import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.textpath import text_to_path
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.typing import RcKeyType

from generator.outputs.chart_spec import (
    FONT_FALLBACKS,
    FONT_FAMILY,
    MPLFONTS_FILE,
    NO_DATA,
    ChartSpec,
    missing_word,
)

_font_path: str | None = None


def font_path() -> str:
    """Register mplfonts' Noto Sans CJK SC with matplotlib once per process; return its path."""
    global _font_path
    if _font_path is None:
        import mplfonts

        path = str(Path(mplfonts.__file__).resolve().parent / "fonts" / MPLFONTS_FILE)
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


def _rc() -> dict[RcKeyType, Any]:
    return {
        # A generic family whose list starts with our font: the SVG then names every fallback.
        "font.family": ["sans-serif"],
        "font.sans-serif": list(FONT_FALLBACKS),
        "font.size": SIZE,
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.facecolor": "white",
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "svg.fonttype": "none",
        "svg.hashsalt": "zhonglou-safety-charts",
    }


# --- drawing -----------------------------------------------------------------------------------

WIDTH = 576.0  # points (8 in); the height follows the number of categories
SIZE, TITLE_SIZE, VALUE_SIZE, INSIDE_SIZE = 10.0, 13.0, 9.0, 8.5
PAD = 8.0  # points of white around everything
LINE = 1.3  # height of a line of text, in font sizes
TITLE_SPACING = 1.4  # matplotlib's linespacing, a multiple of about 1.25 em here
INK, GREY = "#222222", "#666666"
LONG = 25  # categories from which the value axis is labelled at the top as well
_LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 0.5}
_TOKEN = re.compile(r"[A-Za-z0-9.,%_-]+|\s+|.")
_NO_LINE_START = set("，。、；：？！）」』》〉】”’,.;:?!)%")


@dataclass(frozen=True)
class _EndLabel:
    """Text just right of where a bar ends, or at 0 when there is no bar."""

    x: float
    y: float
    text: str
    color: str


@dataclass(frozen=True)
class _Layout:
    """Figure height and margins in points, from measured text rather than a layout engine.

    matplotlib's constrained and tight layouts measure every text several times: laying the
    chart out by hand makes drawing 2–3× faster (the 80-category chart most of all).
    """

    height: float
    left: float
    right: float
    top: float
    bottom: float
    legend_ncols: int


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
    labels = [_wrap(c, SIZE, 160) for c in spec.categories]
    title = _wrap(spec.title, TITLE_SIZE, WIDTH - 2 * PAD)
    top = _axis_top(spec)
    ends = _end_labels(spec, top)
    entries = _legend_entries(spec)
    layout = _layout(spec, labels, title, ends, entries, top)
    fig, ax = _figure(layout)
    if spec.kind == "hbar":
        _grouped_bars(ax, spec)
    else:
        _stacked_bars(ax, spec, top)
    for end in ends:
        # A white backing keeps labels readable where they cross grid or reference lines.
        ax.text(end.x, end.y, end.text, va="center", fontsize=VALUE_SIZE, color=end.color,
                clip_on=False, zorder=4, bbox=_LABEL_BOX)
    _style_axes(ax, spec, labels, top)
    if spec.reference is not None:
        ax.axvline(spec.reference, color="#444444", linestyle="--", linewidth=1.2,
                   label=spec.reference_label or None, zorder=3, clip_on=False)
    fig.text(PAD / WIDTH, 1 - PAD / layout.height, title, ha="left", va="top",
             fontsize=TITLE_SIZE, linespacing=TITLE_SPACING)
    if entries:
        _legend(fig, ax, layout)
    return fig


def _figure(layout: _Layout) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(WIDTH / 72, layout.height / 72))
    FigureCanvasAgg(fig)
    width = 1 - (layout.left + layout.right) / WIDTH
    height = 1 - (layout.top + layout.bottom) / layout.height
    ax = fig.add_axes((layout.left / WIDTH, layout.bottom / layout.height, width, height))
    return fig, ax


def _layout(spec: ChartSpec, labels: list[str], title: str, ends: list[_EndLabel],
            entries: list[str], top: float) -> _Layout:
    """Size the margins to the measured labels and the height to the number of categories."""
    left = PAD + max(_text_width(label, SIZE) for label in labels) + 6
    # Value labels stick out past the end of the axis only for the longest bars.
    widths = [(end.x / top, _text_width(end.text, VALUE_SIZE) + 4) for end in ends]
    # The last tick label is centred on the axis end, so half of it sticks out too.
    last_tick = f"{top:g}%" if spec.xmax == 100 else f"{top:g}"
    widths.append((1.0, _text_width(last_tick, SIZE) / 2 + 2))
    axes_width = WIDTH - left - PAD - max(w for _, w in widths)
    right = PAD + max([0.0] + [w - axes_width * (1 - x) for x, w in widths])
    ncols, rows = _legend_grid(entries)
    legend = (rows * LINE + (rows - 1) * 0.5 + 0.8) * SIZE + 6 if entries else 0
    xlabel = (LINE * SIZE + 4) if spec.xlabel else 0
    bottom = PAD + legend + xlabel + 7 + LINE * SIZE
    head = PAD + (LINE + title.count("\n") * TITLE_SPACING * 1.25) * TITLE_SIZE + 10
    if len(spec.categories) >= LONG:
        head += 7 + LINE * SIZE
    body = len(spec.categories) * _row_height(spec, labels)
    return _Layout(round(head + body + bottom, 1), left, right, head, bottom, ncols)


def _row_height(spec: ChartSpec, labels: list[str]) -> float:
    """Return points per category: room for each series' bar and for wrapped labels."""
    n_series = len(spec.series) if spec.kind == "hbar" else 1
    lines = max(label.count("\n") + 1 for label in labels)
    return max(10 + 13 * n_series, 7 + 12 * lines)


def _text_width(text: str, size: float) -> float:
    """Return the width in points of the text's widest line, in the chart font."""
    fonts = (tuple(matplotlib.rcParams["font.family"]),
             tuple(matplotlib.rcParams["font.sans-serif"]))
    return _measured_width(text, size, fonts)


@functools.lru_cache(maxsize=8192)
def _measured_width(text: str, size: float, fonts: tuple) -> float:
    # Cached: board names, legends and wrapped prefixes are measured again in every chart
    # (≈3,000 measurements for the real data's 60 charts). `fonts` keys the rc settings.
    prop = font_manager.FontProperties(size=size)
    return max(text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0]
               for line in text.split("\n"))


def _legend_entries(spec: ChartSpec) -> list[str]:
    """Return the legend's labels: the series, then the reference line; none for one series."""
    reference = [spec.reference_label] if spec.reference_label and spec.reference is not None \
        else []
    if spec.kind == "hbar" and len(spec.series) == 1 and not reference:
        return []
    return [s.label for s in spec.series] + reference


def _legend_grid(entries: list[str]) -> tuple[int, int]:
    """Return (columns, rows): as many columns of the widest entry as fit, at most 6."""
    if not entries:
        return 1, 0
    widest = max(_text_width(e, SIZE) for e in entries) + 2.8 * SIZE  # handle and its gap
    fit = int((WIDTH - 2 * PAD + 2 * SIZE) // (widest + 2 * SIZE))
    ncols = max(1, min(len(entries), 6, fit))
    return ncols, math.ceil(len(entries) / ncols)


def _legend(fig: Figure, ax: Axes, layout: _Layout) -> None:
    """Put the legend under the plot: series in order, then the reference line."""
    handles, names = ax.get_legend_handles_labels()
    order = sorted(range(len(names)), key=lambda k: isinstance(handles[k], Line2D))
    fig.legend([handles[k] for k in order], [names[k] for k in order], loc="lower center",
               bbox_to_anchor=(0.5, PAD / layout.height), ncols=layout.legend_ncols,
               frameon=False)


def _axis_top(spec: ChartSpec) -> float:
    """Return the largest value the axis must show: xmax, the data or the reference line."""
    if spec.kind == "stacked_hbar":
        data = [sum(v or 0 for v in row) for row in _rows(spec)]
    else:
        data = [v for s in spec.series for v in s.values if v is not None]
    top = max([spec.xmax or 0, spec.reference or 0, *data])
    return top or 1.0


def _bar_y(spec: ChartSpec, category: int, series: int) -> float:
    """Return the centre of a grouped bar: the first series at the top of its band."""
    n = len(spec.series)
    return category + (series - (n - 1) / 2) * 0.8 / n


def _end_labels(spec: ChartSpec, top: float) -> list[_EndLabel]:
    """Return the value (or 未报) written after each grouped bar or each stack's total."""
    gap, percent = top * 0.01, spec.xmax == 100
    if spec.kind == "hbar":
        return [_EndLabel(gap, _bar_y(spec, i, j), missing_word(s, i), GREY) if v is None
                else _EndLabel(v + gap, _bar_y(spec, i, j), _fmt(v, percent), INK)
                for j, s in enumerate(spec.series) for i, v in enumerate(s.values)]
    labels = []
    for i, row in enumerate(_rows(spec)):
        total = sum(v or 0.0 for v in row)
        if all(v is None for v in row):
            labels.append(_EndLabel(gap, i, NO_DATA, GREY))
        else:
            partly = "（部分未报）" if None in row else ""
            labels.append(_EndLabel(total + gap, i, _fmt(total, percent) + partly, INK))
    return labels


def _grouped_bars(ax: Axes, spec: ChartSpec) -> None:
    """Draw one bar per series in each category's band."""
    height = 0.8 / len(spec.series)
    for j, series in enumerate(spec.series):
        ys = [_bar_y(spec, i, j) for i in range(len(series.values))]
        # One call per series: one legend entry, even when every value is missing.
        ax.barh(ys, [v or 0.0 for v in series.values], height=height * 0.9, color=series.color,
                zorder=2, label=series.label)


def _stacked_bars(ax: Axes, spec: ChartSpec, top: float) -> None:
    """Stack the series along each category's bar, with counts inside wide enough segments."""
    left = [0.0] * len(spec.categories)
    for series in spec.series:
        widths = [v or 0.0 for v in series.values]
        ax.barh(range(len(widths)), widths, left=left, height=0.7, color=series.color,
                label=series.label, zorder=2, edgecolor="white", linewidth=0.6)
        for i, width in enumerate(widths):
            if width and width >= top * 0.04:
                ax.text(left[i] + width / 2, i, _fmt(width, spec.xmax == 100), ha="center",
                        va="center", fontsize=INSIDE_SIZE, color=_ink(series.color), zorder=4)
        left = [a + b for a, b in zip(left, widths, strict=True)]


def _rows(spec: ChartSpec) -> list[tuple[float | None, ...]]:
    """Return each category's values, one per series."""
    return list(zip(*(s.values for s in spec.series), strict=True))


def _style_axes(ax: Axes, spec: ChartSpec, labels: list[str], top: float) -> None:
    """Label the categories top to bottom and the value axis from 0 to top."""
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)  # first category at the top
    ax.tick_params(axis="y", length=0)
    integer = all(v is None or v == int(v) for s in spec.series for v in s.values)
    ticks = MaxNLocator(nbins=6, integer=integer).tick_values(0, top)
    ax.set_xticks([t for t in ticks if 0 <= t <= top * 1.0001])
    ax.set_xlim(0, top)
    if spec.xmax == 100:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:g}%"))
    ax.grid(axis="x", color="#dddddd", linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    if spec.xlabel:
        ax.set_xlabel(spec.xlabel)
    if len(labels) >= LONG:  # a reader of a long chart should not scroll to find the scale
        ax.tick_params(axis="x", top=True, labeltop=True)


def _fmt(value: float, percent: bool) -> str:
    text = f"{round(value, 1):g}" if abs(value) < 1e5 else f"{value:.0f}"
    return text + "%" if percent else text


def _ink(background: str) -> str:
    """Return black or white, whichever reads better on the given hex colour."""
    r, g, b = (int(background[k:k + 2], 16) / 255 for k in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.45 else "#ffffff"


def _wrap(text: str, size: float, width: float) -> str:
    """Break text into lines no wider than `width` points.

    Han characters may break anywhere; runs of Latin letters and digits (2023, Q2) stay whole,
    and closing punctuation never starts a line.
    """
    if _text_width(text, size) <= width:
        return text
    lines = [""]
    for token in _TOKEN.findall(text):
        line = lines[-1] + token
        if (lines[-1].strip() and token[0] not in _NO_LINE_START and not token.isspace()
                and _text_width(line, size) > width):
            lines.append(token)
        else:
            lines[-1] = line
    return "\n".join(line.strip() for line in lines)


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
