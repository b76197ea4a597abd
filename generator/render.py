"""Render stage: page contexts through Jinja2 templates into Markdown text."""

from __future__ import annotations

import html
import posixpath
from collections.abc import Mapping
from functools import cache

import jinja2

from generator.charts import ChartSize
from generator.formatting import short
from generator.pages import Page


def cell(value: object) -> str:
    """Make text safe inside a Markdown table cell or inline Markdown."""
    text = " ".join(str(value).split())
    text = html.escape(text, quote=False)
    for char in "|*_`[]":
        text = text.replace(char, f"&#{ord(char)};")
    return text


def heading(value: object) -> str:
    return cell(short(str(value), 36))


@jinja2.pass_context
def mdlink(context, target: str) -> str:
    """Turn a link between Markdown sources into a URL for raw HTML, which MkDocs leaves alone."""
    page = context["page_path"]
    target_md = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
    relative = posixpath.relpath(_url_of(target_md), _url_of(page))
    return "./" if relative == "." else relative + "/"


def _url_of(md_path: str) -> str:
    stem = md_path[:-3] if md_path.endswith(".md") else md_path
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return stem or "."


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, autoescape=False, bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(cell=cell, heading=heading, short=short, mdlink=mdlink)
    return env


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (keyed by their source), in a private temp folder.

    Compiling the templates took ~0.13 s of every build, a no-op one included.
    """
    try:
        return jinja2.FileSystemBytecodeCache()
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
