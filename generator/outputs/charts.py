"""Draw the portal's bar charts as deterministic, accessible SVG, cached by content."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from generator.outputs.chart_spec import ChartSpec
from generator.site import cache

log = logging.getLogger(__name__)

STYLE_VERSION = "3"
"""Part of every cache key: bump it whenever the drawing code changes what an SVG looks like."""

# Process start method for the drawing pool: "spawn" behaves the same on every platform and
# Python version (fork from a threaded parent can deadlock; 3.14 stopped defaulting to it).
POOL_CONTEXT = "spawn"
# Below this many charts, starting worker processes (≈0.6 s: a fresh Python importing matplotlib)
# costs more than drawing them here at ≈60 ms each saves.
MIN_PARALLEL = 20



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
    from generator.outputs.chart_drawing import render_svg as draw

    return draw(spec)


def _init_worker() -> None:
    from generator.outputs.chart_drawing import font_path

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
