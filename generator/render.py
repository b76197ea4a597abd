"""Render stage: page contexts through Jinja2 templates into Markdown text."""

from __future__ import annotations

import html
import posixpath
from functools import cache
from pathlib import Path

import jinja2
import jinja2.bccache

from generator import cache as byte_cache
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


class _OptionalBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates; like generator.cache, it never stops a build."""

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


def render_page(page: Page) -> str:
    template = environment().get_template(page.template)
    text = template.render(**page.context, page_path=page.path)
    return _tidy(text)


def _tidy(text: str) -> str:
    """Collapse runs of blank lines the templates leave, so output is stable and readable."""
    lines, blank = [], 0
    for line in text.splitlines():
        blank = blank + 1 if not line.strip() else 0
        if blank <= 1:
            lines.append(line.rstrip())
    return "\n".join(lines).strip() + "\n"
