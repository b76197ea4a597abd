"""Build the static site with the chosen engine (--strict); replace site/ only when it succeeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.engines import DEFAULT_ENGINE, site_command
from generator.paths import Paths
from generator.precompress import precompress
from generator.write import swap_in


def publish(site: Path, config: Path | None = None, engine: str = DEFAULT_ENGINE) -> int:
    config = config or Paths().site_config
    if not config.is_file():
        print(f"找不到 {config}：请先运行 `make site`（或 python -m generator build）生成页面，"
              "再构建站点。", file=sys.stderr)
        return 1
    staging = site.with_name(f".{site.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = site_command(engine, config, staging)
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        sys.stderr.write(result.stdout + result.stderr)
        print(f"{engine} 构建失败，site/ 保持为上次成功构建的内容。", file=sys.stderr)
        return 1
    precompress(staging)
    swap_in(staging, site)
    pages = sum(1 for _ in site.rglob("*.html"))
    print(f"站点已构建到 {site}/（{pages} 个 HTML 页面，引擎 {engine}）。")
    return 0
