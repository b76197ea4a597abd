"""Every page of one plan year's portal, in a stable order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.evaluate import Evaluation
from generator.inputs.cases import Case
from generator.inputs.reports import Report
from generator.pages.assessment import assessment_page
from generator.pages.board import board_page
from generator.pages.brief import brief_page, district_brief_page
from generator.pages.campaign import campaign_page
from generator.pages.case_pages import group_cases
from generator.pages.contacts import contacts_page
from generator.pages.home import home_page
from generator.pages.layout import SiteLayout
from generator.pages.notice import notice_page
from generator.pages.page import Page
from generator.pages.pillar import pillar_page
from generator.pages.unit import unit_page
from generator.pages.updates import updates_page


def year_pages(ev: Evaluation, layout: SiteLayout, settings, reports: Sequence[Report],
               cases: Sequence[Case] = (), bulletins: Sequence[dict[str, str]] = (),
               baselines: Mapping[tuple[str, str], float] | None = None) -> list[Page]:
    """Every page of one year's portal, complete (paths and links placed by `layout`), in a
    stable order. `cases` are the year's typical cases, `bulletins` the links to its quarterly
    bulletins, `baselines` last year's values (for the updates page's evaluations)."""
    by_campaign, by_board, latest = group_cases(cases)
    pages = [home_page(ev, layout, settings, latest), notice_page(ev, layout, settings),
             assessment_page(ev, layout, settings, bulletins),
             contacts_page(ev, layout, settings)]
    pages += [pillar_page(ev, layout, settings, p.id) for p in ev.catalog.plan.pillars]
    pages += [campaign_page(ev, layout, settings, cid, by_campaign.get(cid, ()))
              for cid in ev.catalog.campaigns]
    pages += [board_page(ev, layout, settings, slug, by_board.get(slug, ()))
              for slug in ev.catalog.boards]
    pages += [unit_page(ev, layout, settings, slug) for slug in ev.by_unit]
    pages += [district_brief_page(ev, layout, settings)]
    pages += [brief_page(ev, layout, settings, slug) for slug in ev.catalog.boards]
    pages.append(updates_page(ev, reports, settings, cases, baselines, layout=layout))
    return pages
