"""A case body as its page shows it: headings as text, and blocks of markdown-it's HTML, cleaned.

What reaches the site is not the Markdown itself but markdown-it's HTML cleaned by nh3 with an
allow-list, so even a case that slipped past validation (generator.inputs.case_markdown) cannot
put a script on a page. Only links and images validation approved are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.inputs.case_markdown import SAFE_LINK_SCHEMES, case_parser

ALLOWED_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s",
                "code", "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead",
                "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "loading"},
                      "ol": {"start"}}


@dataclass(frozen=True)
class Segment:
    """A piece of a case body on its page: a heading (plain text) or a block of clean HTML."""

    kind: str
    text: str
    level: int = 0


def _renderer() -> MarkdownIt:
    md = case_parser()
    md.add_render_rule("softbreak", _softbreak)
    return md


def _softbreak(self, tokens: list[Token], index: int, options, env) -> str:
    """Join lines without a space between Chinese characters (a newline shows as a space)."""
    before = tokens[index - 1].content[-1:] if index > 0 else ""
    after = tokens[index + 1].content[:1] if index + 1 < len(tokens) else ""
    return "" if _is_wide(before) or _is_wide(after) else "\n"


def _is_wide(char: str) -> bool:
    return bool(char) and ord(char) >= 0x2E80


def clean_html(html: str) -> str:
    """Allow-list sanitizer: plain formatting, links (http/https/mailto/relative), images."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=set(SAFE_LINK_SCHEMES), strip_comments=True,
                     link_rel="noopener noreferrer")


def render_body(body: str, images: Mapping[str, str], url_for: Callable[[str], str]
                ) -> list[Segment]:
    """Turn a case body into headings and sanitized HTML blocks for its page.

    Local images and links are rewritten with url_for(file inside the folder); a local URL
    that validation did not approve is dropped, so nothing unexpected is ever linked.
    """
    md = _renderer()
    env: dict = {}
    tokens = md.parse(body, env)
    for token in tokens:
        for child in token.children or []:
            _rewrite_url(child, images, url_for)
    segments, start = [], 0
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0:
            segments += _html_segment(md, tokens[start:index], env)
            text = "".join(c.content for c in tokens[index + 1].children or []
                           if c.type in ("text", "code_inline"))
            segments.append(Segment("heading", " ".join(text.split()),
                                    min(max(int(token.tag[1]), 2), 4)))
            start = index + 3
    segments += _html_segment(md, tokens[start:], env)
    return segments


def _html_segment(md: MarkdownIt, tokens: list[Token], env: dict) -> list[Segment]:
    if not tokens:
        return []
    html = clean_html(md.renderer.render(tokens, md.options, env)).strip()
    return [Segment("html", html)] if html else []


def _rewrite_url(token: Token, images: Mapping[str, str], url_for: Callable[[str], str]) -> None:
    name = "src" if token.type == "image" else "href" if token.type == "link_open" else None
    if name is None:
        return
    url = str(token.attrGet(name) or "")
    if url in images:
        token.attrSet(name, url_for(images[url]))
        if token.type == "image":
            token.attrSet("loading", "lazy")
    elif token.type == "image":  # only approved files beside the case: never a remote image
        token.type, token.content, token.children, token.attrs = "text", token.content, None, {}
    elif not re.match(r"^(https?:|mailto:|#)", url, re.IGNORECASE):
        token.attrs.pop(name, None)
