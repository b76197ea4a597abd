"""Links between published files: one way to write a URL from one page to another.

Pages are Markdown files at paths like campaigns/fenchen.md; with use_directory_urls (MkDocs and
Zensical alike) each is served at its folder, campaigns/fenchen/. Links that go into raw HTML
are not rewritten by the engine, so they are computed here, relative, so the site works in any
folder of any host.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

SAFE = "/#.-_~"
"""Characters a URL path keeps as they are; everything else (Chinese included) is %-encoded."""


def page_url(md_path: str) -> str:
    """The folder URL a page is served at, e.g. cases/2023/beigang/x.md → cases/2023/beigang/x/."""
    stem = md_path.removesuffix(".md")
    return stem.removesuffix("index") if stem.endswith("index") else stem + "/"


def markdown_root(md_path: str) -> str:
    """From a Markdown file up to the docs folder, for Markdown links (which the engine rewrites
    relative to the file): campaigns/x.md → ../, 2022/boards/y.md → ../../, index.md → ""."""
    return "../" * md_path.count("/")


def relative_url(from_page: str, to_path: str) -> str:
    """A URL from a page to a file or page path, for raw HTML (the engines do not rewrite it)."""
    target = page_url(to_path) if to_path.endswith(".md") else to_path
    relative = posixpath.relpath(target or ".", page_url(from_page) or ".")
    if to_path.endswith(".md"):
        relative = "./" if relative == "." else relative + "/"
    return quote(relative, safe=SAFE)
