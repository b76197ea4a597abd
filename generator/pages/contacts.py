"""工作联络人: each contact's campaigns, and whom each board reports to."""

from __future__ import annotations

from generator.evaluate import Evaluation
from generator.pages.base import base_context
from generator.pages.layout import SiteLayout
from generator.pages.links import board_link, campaign_link
from generator.pages.page import Page, PageKind


def contacts_page(ev: Evaluation, layout: SiteLayout, settings) -> Page:
    """Per contact: their campaigns. Per board: whom it reports to, and for how many of its
    targets (the board page names the contact of each target)."""
    root = ""
    catalog = ev.catalog
    people = []
    for contact in catalog.directory.contacts:
        campaigns = [c for c in catalog.campaigns.values() if contact.name in c.contacts]
        people.append({"name": contact.name, "kind": contact.kind, "unit": contact.unit,
                       "campaigns": [{"name": c.name, "link": campaign_link(root, c.id)}
                                     for c in campaigns]})
    rank = {contact.name: index for index, contact in enumerate(catalog.directory.contacts)}
    counts: dict[str, dict[str, int]] = {slug: {} for slug in catalog.boards}
    for info in catalog.targets.values():  # one pass over targets × their boards
        for slug in info.boards:
            tally = counts.setdefault(slug, {})
            for name in info.campaign.contacts:
                tally[name] = tally.get(name, 0) + 1
    boards = []
    for board in catalog.boards.values():
        tally = counts[board.slug]
        names = sorted(tally, key=lambda name: (-tally[name], rank.get(name, len(rank)), name))
        boards.append({"name": board.name, "slug": board.slug,
                       "link": board_link(root, board.slug),
                       "contacts": [{"name": name, "count": tally[name]} for name in names]})
    context = {**base_context(ev, layout, settings, root), "people": people, "boards": boards}
    return Page(layout.path("contacts.md"), PageKind.CONTACTS, context)
