"""通知原文: the notice the plan comes from, and its four pillars' pages."""

from __future__ import annotations

from generator.common.formatting import date_text
from generator.common.numerals import chinese_number
from generator.evaluate import Evaluation
from generator.pages.base import base_context
from generator.pages.layout import SiteLayout
from generator.pages.links import pillar_link
from generator.pages.page import Page, PageKind


def notice_page(ev: Evaluation, layout: SiteLayout, settings) -> Page:
    notice = ev.catalog.plan.notice
    context = {**base_context(ev, layout, settings, ""), "notice": notice,
               "requirements": [{"no_text": chinese_number(r.no), "title": r.title,
                                 "text": r.text} for r in notice.requirements],
               "date": date_text(notice.date), "recipients": "、".join(notice.recipients),
               "pillars": [{"no": chinese_number(p.no), "name": p.name,
                            "link": pillar_link("", p.id)} for p in ev.catalog.plan.pillars]}
    return Page(layout.path("notice.md"), PageKind.NOTICE, context)
