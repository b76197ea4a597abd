"""Draw the portal's bar charts as deterministic, accessible SVG, cached by content."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import math
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

from generator import cache

log = logging.getLogger(__name__)

STYLE_VERSION = "3"
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
# Below this many charts, starting worker processes (≈0.6 s: a fresh Python importing matplotlib)
# costs more than drawing them here at ≈60 ms each saves.
MIN_PARALLEL = 20

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_MPLFONTS_FILE = "NotoSansCJKsc-Regular.otf"


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


# --- cache key ---------------------------------------------------------------------------------

def chart_key(spec: ChartSpec) -> str:
    """Return the sha256 hex of the spec's data, the drawing style and the library versions."""
    payload = {
        "style": STYLE_VERSION,
        # A new matplotlib or font release can change the output of the same drawing code.
        "matplotlib": _package_version("matplotlib"),
        "mplfonts": _package_version("mplfonts"),
        "spec": dataclasses.asdict(spec),
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


# --- font and rc settings ------------------------------------------------------------------------


def missing_word(series: BarSeries, index: int) -> str:
    """What to write where a series has no value: its own word for it, or 未报."""
    return (series.missing[index] if series.missing else "") or NO_DATA



def render_svg(spec: ChartSpec) -> bytes:
    """Draw one chart and return deterministic SVG bytes (imports matplotlib on first use)."""
    from generator.chart_drawing import render_svg as draw

    return draw(spec)


def _init_worker() -> None:
    from generator.chart_drawing import font_path

    font_path()


def render_all(specs: Sequence[ChartSpec], cache_dir: Path, workers: int | None = None,
               stats: dict[str, int] | None = None) -> dict[str, bytes]:
    """Return {spec.name: svg} in the specs' order, drawing only charts not in cache_dir.

    Cached charts (<key>.svg) are read, never redrawn; the rest are drawn in parallel and
    written to the cache atomically. `stats`, when given, receives the counts of distinct
    charts "drawn" and "cached" (specs equal but for their name are one chart).
    Worker processes are spawned: a script calling this needs `if __name__ == "__main__":`.
    """
    names = [spec.name for spec in specs]
    duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
    if duplicates:
        raise ValueError(f"图表名称重复：{', '.join(duplicates)} — 每个图表需要唯一的 name")
    cache_dir = Path(cache_dir)
    keys = {spec.name: chart_key(spec) for spec in specs}
    found: dict[str, bytes] = {}  # by key
    missing: dict[str, ChartSpec] = {}  # by key; equal specs under two names are drawn once
    for spec in specs:
        key = keys[spec.name]
        if key in found:
            continue
        data = cache.read(cache_dir, key, ".svg")
        if data is not None:
            found[key] = data
        else:
            missing.setdefault(key, spec)
    for key, svg in zip(missing, _draw_many(list(missing.values()), workers), strict=True):
        cache.store(cache_dir, key, ".svg", svg)
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
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker) as pool:
        return list(pool.map(render_svg, specs, chunksize=chunk))

