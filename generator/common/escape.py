"""One escaper per place a data string lands: nothing from data/ can become markup there.

- HTML (text and attribute values): Jinja's autoescape, on for every page template;
- Markdown (headings, the only Markdown contexts left in the templates): `markdown_text`;
- YAML front matter (a page title): `page_title`; a title in the navigation: `nav_title`
  (both printed by the engines' own templates, which do not escape them);
- CI logs and annotations: generator.common.problems (`printable`, `escape_data`,
  `escape_property`).
"""

from __future__ import annotations

import json

from markupsafe import Markup

# Invisible characters that reorder or hide text: never published as they are.
_CONTROLS = {code: None for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F,
                                     *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def visible(value: object) -> str:
    """The text with control and bidi characters removed and whitespace runs collapsed."""
    return " ".join(str(value).translate(_CONTROLS).split())


def markdown_text(value: object) -> Markup:
    """Text for any Markdown context: every ASCII punctuation mark becomes an entity.

    Nothing of the text can then be read as Markdown, HTML, an attribute list `{…}` or an
    emoji `:name:`, whatever extensions MkDocs runs; the page still shows the same characters.
    """
    return Markup("".join(f"&#{ord(c)};" if c.isascii() and not c.isalnum() and c != " " else c
                          for c in visible(value)))


def yaml_string(value: object) -> Markup:
    """A double-quoted YAML scalar (JSON is YAML): no key, tag or line break can get out."""
    return Markup(json.dumps(visible(value), ensure_ascii=False))


def page_title(value: object) -> Markup:
    """A page title in front matter: a YAML scalar whose text is safe where the themes print it.

    MkDocs renders theme templates without autoescape, so Material prints `page.meta.title` raw
    into `<title>`, the header and the search index; Zensical reads a title as Markdown (a link
    in it is checked, and fails --strict). The entities of `markdown_text` are text to both.
    """
    return yaml_string(markdown_text(value))


def nav_title(value: object) -> str:
    """A title in the generated navigation (build/mkdocs.yml), printed raw by both themes."""
    return str(markdown_text(value))


_MARKDOWN_SIGNIFICANT = set("\\`*_{}[]<>#!|~")


def markdown_inline(value: object) -> str:
    """Text kept readable in raw Markdown (a CI summary): significant marks backslash-escaped.

    For text that sits inside a line (after "- " or between table pipes); `&` becomes an
    entity so that no character reference can be spelt out of the data either.
    """
    text = visible(value).replace("&", "&amp;")
    return "".join(f"\\{c}" if c in _MARKDOWN_SIGNIFICANT else c for c in text)
