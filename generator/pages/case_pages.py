"""Pages for the typical cases: one page per case, the gallery, the 推荐报送市局 list, the feed.

Contexts carry case text as it is (the templates escape it where it lands, see
generator.common.escape) and each body as sanitized HTML segments from
generator.pages.case_body.render_body: templates only loop and print.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urljoin

from feedgen.feed import FeedGenerator
from markupsafe import Markup

from generator.common.formatting import date_text
from generator.common.urls import SAFE, markdown_root, page_url, relative_url
from generator.inputs.cases import FEED_NAMESPACE, Case, sort_key
from generator.inputs.catalog import Catalog
from generator.pages.case_body import render_body
from generator.pages.links import board_link, campaign_link
from generator.pages.page import Page, PageKind

GALLERY = "cases/index.md"
RECOMMENDED = "cases/recommended.md"
FEED = "cases/feed.xml"
FILTER_SCRIPT = "assets/js/cases-filter.js"
CHINA_TIME = dt.timezone(dt.timedelta(hours=8))
SAMPLE_NOTE = ("本案例是演示用的示例，单位、数字和做法均为虚构，不是官方材料，"
               "不代表任何单位的实际工作。")


def group_cases(cases: Sequence[Case]) -> tuple[dict[str, list[Case]], dict[str, list[Case]],
                                                list[Case]]:
    """Cases by campaign id, by board slug, and all of them newest first."""
    latest = sorted(cases, key=sort_key)
    by_campaign: dict[str, list[Case]] = {}
    by_board: dict[str, list[Case]] = {}
    for case in latest:
        by_campaign.setdefault(case.campaign, []).append(case)
        by_board.setdefault(case.board, []).append(case)
    return by_campaign, by_board, latest


def case_nav(cases: Sequence[Case], catalog: Catalog) -> dict[str, list]:
    """The 典型案例 section of the navigation: gallery, recommended list, cases by board."""
    items: list = [{"案例库": GALLERY}, {"推荐报送市局": RECOMMENDED}]
    _, by_board, _ = group_cases(cases)
    for slug, board in catalog.boards.items():
        if slug in by_board:
            items.append({board.name: [{case.title: case.page_path} for case in by_board[slug]]})
    return {"典型案例": items}


def case_page(case: Case, catalog: Catalog, settings) -> Page:
    root = markdown_root(case.page_path)
    segments = render_body(case.body, case.images,
                           lambda file: relative_url(case.page_path, f"{case.folder}/{file}"))
    # Headings are text (escaped where they land); blocks are markdown-it's HTML, cleaned by nh3
    # (generator.pages.case_body.clean_html): the one place a page takes HTML from data as HTML.
    body = [{"kind": s.kind, "level": s.level,
             "text": s.text if s.kind == "heading" else Markup(s.text)} for s in segments]
    context = {
        "title": case.title, "summary": case.summary,
        "board": {"name": case.board_name, "link": board_link(root, case.board)},
        "campaign": {"name": case.campaign_name, "link": campaign_link(root, case.campaign)},
        "date": date_text(case.date), "tags": list(case.tags),
        "contact": case.contact or "",
        "recommended": case.recommended, "sample": case.sample, "sample_note": SAMPLE_NOTE,
        "body": body, "gallery": f"{root}{GALLERY}", "recommended_link": f"{root}{RECOMMENDED}",
    }
    return Page(case.page_path, PageKind.CASE, context)


def _card(case: Case, tag_ids: dict[str, str]) -> dict[str, Any]:
    return {"title": case.title, "link": relative_url(GALLERY, case.page_path),
            "board": case.board, "board_name": case.board_name,
            "campaign": case.campaign, "campaign_name": case.campaign_name,
            "date": date_text(case.date), "iso_date": case.date.isoformat(),
            "summary": case.summary,
            "tags": " ".join(tag_ids[tag] for tag in case.tags),
            "tag_names": list(case.tags),
            "recommended": case.recommended, "sample": case.sample}


def gallery_page(cases: Sequence[Case], catalog: Catalog, settings) -> Page:
    cases = sorted(cases, key=sort_key)
    tags = sorted({tag for case in cases for tag in case.tags})
    tag_ids = {tag: f"t{index}" for index, tag in enumerate(tags, 1)}
    boards = [{"value": slug, "label": board.name}
              for slug, board in catalog.boards.items() if any(c.board == slug for c in cases)]
    campaigns = [{"value": cid, "label": campaign.name}
                 for cid, campaign in catalog.campaigns.items()
                 if any(c.campaign == cid for c in cases)]
    context = {
        **_site_context(settings),
        "cards": [_card(case, tag_ids) for case in cases],
        "boards": boards, "campaigns": campaigns,
        "tags": [{"value": tag_ids[tag], "label": tag} for tag in tags],
        "total": len(cases), "recommended": sum(case.recommended for case in cases),
        "script": relative_url(GALLERY, FILTER_SCRIPT),
    }
    return Page(GALLERY, PageKind.CASES, context)


def recommended_page(cases: Sequence[Case], settings, compilation: str | None = None) -> Page:
    """推荐报送市局; `compilation` links the Word compilation of these cases, when there is one."""
    rows = [{"title": case.title, "link": posixpath.relpath(case.page_path, "cases"),
             "board": case.board_name, "campaign": case.campaign_name,
             "date": date_text(case.date), "summary": case.summary,
             "sample": case.sample}
            for case in sorted(cases, key=sort_key) if case.recommended]
    return Page(RECOMMENDED, PageKind.RECOMMENDED_CASES,
                {**_site_context(settings), "rows": rows, "compilation": compilation})


def _site_context(settings) -> dict[str, Any]:
    return {"sample": settings.sample_data, "sample_notice": settings.sample_notice}


def case_pages(cases: Sequence[Case], catalog: Catalog, settings,
               compilation: str | None = None) -> list[Page]:
    """The gallery, the recommended list (linking `compilation`) and every case's page."""
    pages = [gallery_page(cases, catalog, settings),
             recommended_page(cases, settings, compilation)]
    pages += [case_page(case, catalog, settings) for case in sorted(cases, key=sort_key)]
    return pages


# --- the Atom feed ---------------------------------------------------------------------------

def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=CHINA_TIME)


def feed_link(settings, path: str) -> str:
    """Absolute when settings.site_url is set; otherwise relative to the feed's own URL.

    RFC 4287 allows IRI references in atom:link (resolved against the feed's address);
    only atom:id must be absolute, and ids are urn:uuid, independent of where the site lives.
    """
    url = page_url(path) if path.endswith(".md") else path
    if settings.site_url:
        return urljoin(settings.site_url.rstrip("/") + "/", quote(url, safe=SAFE))
    relative = posixpath.relpath(url, posixpath.dirname(FEED))
    relative = "./" if relative == "." else relative + ("/" if url.endswith("/") else "")
    return quote(relative, safe=SAFE)


def case_feed(cases: Sequence[Case], settings, fallback: dt.date) -> bytes:
    """An Atom feed of the cases, newest first; the same cases always give the same bytes."""
    cases = sorted(cases, key=sort_key)
    feed = FeedGenerator()
    feed.id(f"urn:uuid:{_feed_uuid()}")
    feed.title(f"{settings.title}：典型案例")
    feed.subtitle("各板块报送的安全生产典型案例；标注“示例”的为演示用示例，不是官方材料。")
    feed.author({"name": settings.title})
    feed.link(href=feed_link(settings, GALLERY), rel="alternate", type="text/html")
    feed.link(href=feed_link(settings, FEED), rel="self", type="application/atom+xml")
    feed.language("zh-CN")
    feed.generator(settings.title)
    feed.updated(_moment(cases[0].date if cases else fallback))
    for case in cases:
        entry = feed.add_entry(order="append")
        entry.id(case.feed_id)
        entry.title(("［示例］" if case.sample else "") + case.title)
        entry.link(href=feed_link(settings, case.page_path), rel="alternate", type="text/html")
        entry.updated(_moment(case.date))
        entry.published(_moment(case.date))
        entry.author({"name": case.board_name})
        entry.summary(case.summary + ("（已推荐报送市局）" if case.recommended else ""))
        for tag in (case.campaign_name, *case.tags):
            entry.category(term=tag)
    return feed.atom_str(pretty=True)


def _feed_uuid() -> str:
    return str(uuid.uuid5(FEED_NAMESPACE, FEED))
