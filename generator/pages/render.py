"""Render stage: page contexts through Jinja2 templates into Markdown text.

Templates are autoescaped (HTML is where almost every value lands); `md` and `yaml` escape for
the few Markdown and front-matter contexts (generator.common.escape has one escaper per context).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import jinja2
import jinja2.bccache

from generator.common.escape import markdown_text, page_title, visible, yaml_string
from generator.common.formatting import short
from generator.common.urls import relative_url
from generator.outputs.charts import ChartSize
from generator.pages.page import Page
from generator.site import cache as byte_cache


@jinja2.pass_context
def mdlink(context, target: str) -> str:
    """Turn a link from this page's Markdown source into the URL raw HTML needs (MkDocs does not
    rewrite links in raw HTML): `../boards/x.md#a` → `../../boards/x/#a`; files keep their name."""
    if "://" in target or target.startswith(("mailto:", "#")):
        return target
    page = context["page_path"]
    path, hash_, fragment = target.partition("#")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    return relative_url(page, joined) + hash_ + fragment


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.pages", "templates"),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, autoescape=True, bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(md=markdown_text, yaml=yaml_string, page_title=page_title, short=short,
                       url=mdlink, visible=visible)
    return env


class _OptionalBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates; like generator.site.cache, it never stops a
    build."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as error:  # a full or read-only temp folder
            byte_cache.unusable(Path(self.directory), "写入", error)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (keyed by their source), in a private temp folder.

    Compiling the templates took ~0.13 s of every build, a no-op one included.
    """
    try:
        return _OptionalBytecodeCache()
    except (OSError, RuntimeError):  # no safe temp folder: compile every time
        return None


def render_page(page: Page, charts: Mapping[str, ChartSize] | None = None) -> str:
    """Render a page; `charts` (by name) gives its chart image a width and height."""
    template = environment().get_template(page.template)
    context = dict(page.context)
    chart = context.get("chart")
    if chart and charts and chart["name"] in charts:
        size = charts[chart["name"]]
        context["chart"] = {**chart, "width": size.width, "height": size.height}
    text = template.render(**context, page_path=page.path)
    return _tidy(text)


def _tidy(text: str) -> str:
    """Collapse runs of blank lines the templates leave, so output is stable and readable."""
    lines, blank = [], 0
    for line in text.splitlines():
        blank = blank + 1 if not line.strip() else 0
        if blank <= 1:
            lines.append(line.rstrip())
    return "\n".join(lines).strip() + "\n"
