"""What a chart shows: its categories, series, colours and words, checked when it is made.

The build and the pages make specs; `charts` caches and schedules them; `chart_drawing` (which
imports matplotlib) draws them. Both read this module and neither reads the other's internals.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

FONT_FAMILY = "Noto Sans CJK SC"
"""The font charts are laid out with: the SIL OFL Noto Sans CJK SC shipped in mplfonts."""

FONT_FALLBACKS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC")
"""Font names written into the SVG, in order, before the generic sans-serif, for visitors."""

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000")
"""Okabe–Ito colours, distinguishable with the common colour-vision deficiencies."""

NO_DATA = "未报"
"""What a chart writes where a series has no value and gives no word of its own."""

MPLFONTS_FILE = "NotoSansCJKsc-Regular.otf"
"""The font file inside mplfonts' fonts folder that FONT_FAMILY names."""

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class BarSeries:
    """One series of bars: a value per category, None where a board has not reported."""

    label: str
    """Legend label, Chinese."""
    values: tuple[float | None, ...]
    """One value per category; None means no data: nothing is drawn and 未报 is written."""
    color: str
    """Bar colour as hex, e.g. #0072B2."""
    missing: tuple[str, ...] = ()
    """Optional word per category written where the value is None (default 未报), e.g. 不涉及."""

    def __post_init__(self) -> None:
        values = tuple(None if v is None else float(v) for v in self.values)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "missing", tuple(self.missing))
        if self.missing and len(self.missing) != len(values):
            raise ValueError(f"系列 '{self.label}' 的 missing 应与数值一一对应")
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


def missing_word(series: BarSeries, index: int) -> str:
    """What to write where a series has no value: its own word for it, or 未报."""
    return (series.missing[index] if series.missing else "") or NO_DATA
