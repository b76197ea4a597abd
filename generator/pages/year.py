"""Every page of one plan year's portal, in a stable order."""

from __future__ import annotations

from collections.abc import Sequence

from generator.evaluate import Evaluation
from generator.pages.assessment import assessment_page
from generator.pages.board import board_page
from generator.pages.brief import brief_page, district_brief_page
from generator.pages.campaign import campaign_page
from generator.pages.contacts import contacts_page
from generator.pages.home import home_page
from generator.pages.notice import notice_page
from generator.pages.page import Page
from generator.pages.pillar import pillar_page
from generator.pages.unit import unit_page


def all_pages(ev: Evaluation, settings, cases_by_campaign=None, cases_by_board=None,
              latest_cases: Sequence = ()) -> list[Page]:
    """Every page of one year's portal, in a stable order."""
    cases_by_campaign = cases_by_campaign or {}
    cases_by_board = cases_by_board or {}
    pages = [home_page(ev, settings, latest_cases), notice_page(ev, settings),
             assessment_page(ev, settings), contacts_page(ev, settings)]
    pages += [pillar_page(ev, settings, p.id) for p in ev.catalog.plan.pillars]
    pages += [campaign_page(ev, settings, cid, cases_by_campaign.get(cid, ()))
              for cid in ev.catalog.campaigns]
    pages += [board_page(ev, settings, slug, cases_by_board.get(slug, ()))
              for slug in ev.catalog.boards]
    pages += [unit_page(ev, settings, slug) for slug in ev.by_unit]
    pages += [district_brief_page(ev, settings)]
    pages += [brief_page(ev, settings, slug) for slug in ev.catalog.boards]
    return pages
