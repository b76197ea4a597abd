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
from concurrent.futures import Future, ProcessPoolExecutor
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



@dataclass(frozen=True)
class ChartSize:
    """A chart's intrinsic size in CSS pixels, for <img width height> (no layout shift)."""

    width: int
    height: int


_VIEWBOX = re.compile(rb'<svg [^>]*\bviewBox="0 0 ([0-9.]+) ([0-9.]+)"')


def svg_size(svg: bytes) -> ChartSize:
    """Return the size of a chart from its root element: the figure size the layout chose.

    The height follows measured text (wrapped labels, legend rows), so only the drawing knows
    it; a cached chart carries it in its own root element, like any image its dimensions.
    """
    found = _VIEWBOX.search(svg[:2048])
    if found is None:
        raise ValueError("图表 SVG 缺少 viewBox")
    points = [float(found.group(k)) for k in (1, 2)]
    width, height = (round(value * 96 / 72) for value in points)  # pt → CSS px
    return ChartSize(width, height)


def render_svg(spec: ChartSpec) -> bytes:
    """Draw one chart and return deterministic SVG bytes (imports matplotlib on first use)."""
    from generator.chart_drawing import render_svg as draw

    return draw(spec)


def _init_worker() -> None:
    from generator.chart_drawing import font_path

    font_path()


def _draw_chunk(specs: Sequence[ChartSpec]) -> list[bytes]:
    return [render_svg(spec) for spec in specs]


class ChartDrawer:
    """Draw a build's charts while the build goes on: cached ones are read, the rest drawn in
    worker processes, collected by result().

    Drawing is most of a first build (≈60 ms each, 60 charts for the real data), so the workers
    start as soon as the drawer is made when the cache holds no chart yet: their start-up (a
    fresh Python importing matplotlib, ≈0.6 s) then overlaps loading and checking the data, and
    their drawing overlaps the forms, feeds and exports the build makes meanwhile.
    Worker processes are spawned: a script using this needs `if __name__ == "__main__":`.
    """

    def __init__(self, cache_dir: Path, workers: int | None = None,
                 start_early: bool | None = None) -> None:
        self.cache_dir = Path(cache_dir)
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        self._keys: dict[str, str] = {}  # by name
        self._found: dict[str, bytes] = {}  # by key
        self._missing: dict[str, ChartSpec] = {}  # by key; equal specs are drawn once
        self._drawing: list[Future[list[bytes]]] = []
        if start_early is None:
            start_early = not any(self.cache_dir.glob("*.svg"))
        if start_early and self.workers > 1:
            self._start_pool()

    def __enter__(self) -> ChartDrawer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _start_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context(POOL_CONTEXT)
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context,
                                             initializer=_init_worker)
            for _ in range(self.workers):  # each submit to a busy pool starts one more worker
                self._pool.submit(os.getpid)
        return self._pool

    def submit(self, specs: Sequence[ChartSpec]) -> None:
        """Read the cached charts; start drawing the others (in this process when few)."""
        names = [spec.name for spec in specs]
        duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
        if duplicates:
            raise ValueError(f"图表名称重复：{', '.join(duplicates)} — 每个图表需要唯一的 name")
        self._keys = {spec.name: chart_key(spec) for spec in specs}
        for spec in specs:
            key = self._keys[spec.name]
            if key in self._found or key in self._missing:
                continue
            data = cache.read(self.cache_dir, key, ".svg")
            if data is not None:
                self._found[key] = data
            else:
                self._missing[key] = spec
        todo = list(self._missing.values())
        if len(todo) < MIN_PARALLEL or min(self.workers, len(todo)) <= 1:
            self._drawing = [_done(_draw_chunk(todo))]
            return
        # Small chunks, so the two workers finish together although chart sizes differ.
        size = max(1, len(todo) // (self.workers * 4))
        pool = self._start_pool()
        self._drawing = [pool.submit(_draw_chunk, todo[k:k + size])
                         for k in range(0, len(todo), size)]

    def result(self, stats: dict[str, int] | None = None) -> dict[str, bytes]:
        """Return {spec.name: svg} in the submitted order; store the new charts in the cache."""
        drawn = [svg for future in self._drawing for svg in future.result()]
        for key, svg in zip(self._missing, drawn, strict=True):
            cache.store(self.cache_dir, key, ".svg", svg)
            self._found[key] = svg
        if stats is not None:
            stats["drawn"] = len(self._missing)
            stats["cached"] = len(set(self._keys.values())) - len(self._missing)
        log.info("图表：绘制 %d 个，缓存命中 %d 个", len(self._missing),
                 len(self._found) - len(self._missing))
        return {name: self._found[key] for name, key in self._keys.items()}


def _done(value: list[bytes]) -> Future[list[bytes]]:
    future: Future[list[bytes]] = Future()
    future.set_result(value)
    return future


def render_all(specs: Sequence[ChartSpec], cache_dir: Path, workers: int | None = None,
               stats: dict[str, int] | None = None) -> dict[str, bytes]:
    """Return {spec.name: svg} in the specs' order, drawing only charts not in cache_dir.

    Cached charts (<key>.svg) are read, never redrawn; the rest are drawn in parallel and
    written to the cache atomically. `stats`, when given, receives the counts of distinct
    charts "drawn" and "cached" (specs equal but for their name are one chart).
    """
    with ChartDrawer(cache_dir, workers, start_early=False) as drawer:
        drawer.submit(specs)
        return drawer.result(stats)
