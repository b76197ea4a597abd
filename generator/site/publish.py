"""Build the static site with the chosen engine (--strict); replace site/ only when it succeeds."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path

from generator.common.paths import Paths
from generator.common.problems import cannot_write, display_path
from generator.site import lock
from generator.site.engine_log import HINT, explain
from generator.site.engines import DEFAULT_ENGINE, site_command
from generator.site.precompress import precompress
from generator.site.write import recover, staging, swap_in

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def publish(site: Path, config: Path | None = None, engine: str = DEFAULT_ENGINE) -> int:
    """Build the site into a staging folder and swap it in; one build or publish at a time."""
    paths = Paths()
    config = config or paths.site_config
    root = paths.cache.parent  # the project: where build and publish share their lock
    with lock.held(lock.lock_file(root)) as descriptor:
        # The engine checks that docs_dir exists before anything else, so the pages are put
        # back here if a build was killed while swapping them in.
        recover(paths.out)
        recover(site)
        if not config.is_file():
            print(f"找不到 {config}：请先运行 `make site`（或 python -m generator build）生成页面，"
                  "再构建站点。", file=sys.stderr)
            return 1
        with staging(site) as folder:
            result = run_engine(site_command(engine, config, folder), descriptor)
            if result.returncode != 0:
                return _failed(result, site, engine, paths.out)
            precompress(folder)
            swap_in(folder, site)
        pages = sum(1 for _ in site.rglob("*.html"))
    print(f"站点已构建到 {site}/（{pages} 个 HTML 页面，引擎 {engine}）。")
    return 0


def run_engine(command: list[str], descriptor: int) -> subprocess.CompletedProcess:
    """Run the site engine, handing it the locked descriptor of the build lock.

    The lock is then held until the engine exits too: if this process is killed, the next run
    waits instead of deleting the staging folder the engine is still writing.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(command, env=env, capture_output=True, text=True,
                          pass_fds=(descriptor,))


def _failed(result: subprocess.CompletedProcess, site: Path, engine: str, docs: Path) -> int:
    """Explain a failed engine run: a full disk in one line, warnings in Chinese, then the log."""
    code = _last_errno(result.stderr)
    if code in DISK_FULL:
        raise cannot_write(site, OSError(code, os.strerror(code)))
    log = result.stdout + result.stderr
    warnings = explain(log, display_path(docs))
    for line in warnings:
        print(line, file=sys.stderr)
    if warnings:
        print(f"{engine} 在严格模式下发现 {len(warnings)} 个警告，未构建站点 — {HINT}",
              file=sys.stderr)
    print(f"以下是 {engine} 的原始输出（供维护人员排查）：", file=sys.stderr)
    sys.stderr.write(log)
    print(f"{engine} 构建失败，site/ 保持为上次成功构建的内容。", file=sys.stderr)
    return 1


def _last_errno(log: str) -> int | None:
    """The errno of the OSError a Python traceback ends with, e.g. `OSError: [Errno 28] …`."""
    lines = log.strip().splitlines()
    found = re.match(r"\w+: \[Errno (\d+)\]", lines[-1]) if lines else None
    return int(found.group(1)) if found else None
