"""MkDocs hooks: take the navigation and site flags the generator wrote beside the pages."""

from __future__ import annotations

from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

from generator import faults

SITE_META = ".site.yml"


def on_config(config):
    meta_path = Path(config["docs_dir"]) / SITE_META
    if not meta_path.exists():
        raise PluginError(f"找不到 {meta_path}：请先运行 `make site`"
                          "（或 python -m generator build）生成页面，再运行 mkdocs。")
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    config["nav"] = meta["nav"]
    config["extra"].update(meta["extra"])
    if not config.get("site_url") and meta.get("site_url"):  # SITE_URL (the deploy's) wins
        config["site_url"] = meta["site_url"]
    if meta.get("repo_url"):
        # A footer link, not Material's repo_url: that one asks api.github.com for star counts,
        # and the published site requests nothing from any other host.
        config["extra"]["social"] = [{"icon": "fontawesome/brands/github",
                                      "link": meta["repo_url"],
                                      "name": "提交报表与案例（代码仓库）"}]
    return config


def on_post_page(output, page, config):
    faults.point("publish:page", Path(page.file.abs_dest_path))
    return output
