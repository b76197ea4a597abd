"""Build the static site with `mkdocs build --strict`; replace site/ only when it succeeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.write import swap_in


def publish(site: Path, config: Path = Path("mkdocs.yml")) -> int:
    staging = site.with_name(f".{site.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # No --quiet: it hides warnings from MkDocs' count, and --strict would then pass broken links.
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--config-file", str(config), "--site-dir", str(staging)]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        sys.stderr.write(result.stdout + result.stderr)
        print("mkdocs 构建失败，site/ 保持为上次成功构建的内容。", file=sys.stderr)
        return 1
    swap_in(staging, site)
    pages = sum(1 for _ in site.rglob("*.html"))
    print(f"站点已构建到 {site}/（{pages} 个 HTML 页面）。")
    return 0
