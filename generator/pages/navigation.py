"""The site's navigation (the engines' nav): the newest year's pages, the archived years, 关于."""

from __future__ import annotations

from collections.abc import Sequence

from generator.common.escape import nav_title
from generator.common.numerals import chinese_number
from generator.inputs.cases import Case
from generator.inputs.load import Inputs
from generator.pages.case_pages import case_nav
from generator.pages.links import board_link, brief_link, campaign_link, pillar_link, unit_link
from generator.pages.page import source_path

NAV_LIST = 30
"""Longest flat list in the nav. Material writes the open part of the nav into every page
(navigation.prune drops the closed parts), so longer lists are split into closed runs."""


def site_nav(inputs: Inputs, year: int, cases: Sequence[Case] = (),
             static: frozenset[str] = frozenset()) -> list:
    """The engines' nav for a site whose newest year is `year`: titles escaped, generated pages
    named by their source paths."""
    return nav_sources(nav_titles(nav(inputs, year, cases)), static)


def nav_sources(items, static: frozenset[str] = frozenset()):
    """The navigation with every generated page named by its source_path (the hand-written
    pages of docs/, `static`, stay where they are: they only hold Markdown links)."""
    if isinstance(items, list):
        return [nav_sources(item, static) for item in items]
    if isinstance(items, dict):
        return {title: nav_sources(value, static) for title, value in items.items()}
    if isinstance(items, str) and items.endswith(".md") and items not in static:
        return source_path(items)
    return items


def nav(inputs: Inputs, year: int, cases: Sequence[Case] = ()) -> list:
    """The nav of a site whose newest year is `year`, by the pages' short names (x.md)."""
    home = ["index.md", {"通知原文": "notice.md"}, {"考核排名": "assessment.md"},
            {"更新动态": "updates.md"}]
    items = [{"首页": home}, {pillars_title(inputs, year): pillar_nav(inputs, year)},
             {"各板块": board_nav(inputs) + unit_nav(inputs, year) + brief_nav(inputs)},
             case_nav(cases, inputs.catalog(year))]
    archive = [{archive_title(inputs, older): year_nav(inputs, older)}
               for older in sorted(inputs.plans, reverse=True) if older != year]
    if archive:
        items.append({"往年": archive})
    items.append({"关于": [{"工作联络人": "contacts.md"}, {"方法说明": "method.md"},
                         {"开放数据": "open-data.md"}]})
    return items


def nav_titles(items):
    """The navigation with every title escaped (generator.common.escape.nav_title): the themes print
    nav titles as they are, and board, pillar, campaign and case names come from data/."""
    if isinstance(items, list):
        return [nav_titles(item) for item in items]
    if isinstance(items, dict):
        return {nav_title(title): nav_titles(value) for title, value in items.items()}
    return items


def pillars_title(inputs: Inputs, year: int) -> str:
    """四大类别: the pillars' section, named by how many the year's plan has."""
    return f"{chinese_number(len(inputs.catalog(year).plan.pillars))}大类别"


def pillar_nav(inputs: Inputs, year: int, prefix: str = "") -> list:
    plan = inputs.catalog(year).plan
    pillars = []
    for pillar in plan.pillars:
        items: list = [{"概览": pillar_link(prefix, pillar.id)}]
        groups = [(group.name or "其他", [{campaign.name: campaign_link(prefix, campaign.id)}
                                        for campaign in group.campaigns])
                  for group in pillar.groups]
        if sum(len(links) for _, links in groups) <= NAV_LIST:
            items += [link for _, links in groups for link in links]
        else:  # a city's plan: nest by group, in runs, so each page carries a short nav
            items += [{name: _runs(links, name)} for name, links in groups]
        pillars.append({f"{chinese_number(pillar.no)}、{pillar.name}": items})
    return pillars


def _runs(links: list, label: str) -> list:
    if len(links) <= NAV_LIST:
        return links
    return [{f"{label} {start + 1}–{start + len(links[start:start + NAV_LIST])}":
             links[start:start + NAV_LIST]} for start in range(0, len(links), NAV_LIST)]


def board_nav(inputs: Inputs, prefix: str = "") -> list:
    links = [{board.name: board_link(prefix, board.slug)} for board in inputs.directory.boards]
    return _runs(links, "板块")


def brief_nav(inputs: Inputs, prefix: str = "") -> list:
    """The printable one-page briefs: the district's, then each board's."""
    links = [{"全区": f"{prefix}brief/index.md"}] + [
        {board.name: brief_link(prefix, board.slug)} for board in inputs.directory.boards]
    return [{"一页纸（打印）": _runs(links, "一页纸")}]


def unit_nav(inputs: Inputs, year: int, prefix: str = "") -> list:
    """The units that own targets of the year (区局 first when it reports, then the others)."""
    catalog = inputs.catalog(year)
    owners = {owner.slug: owner.name for info in catalog.targets.values()
              for owner in info.owners if not owner.is_board}
    if not owners:
        return []
    links = [{name: unit_link(prefix, slug)} for slug, name in owners.items()]
    return [{"区局及其他单位": links}]


def archive_title(inputs: Inputs, year: int) -> str:
    return f"{year} 年" + ("（示例）" if inputs.catalog(year).plan.sample else "")


def year_nav(inputs: Inputs, year: int) -> list:
    """An archived year's own section: its home, notice, ranking, pillars and boards."""
    prefix = f"{year}/"
    return [{"首页": f"{prefix}index.md"}, {"通知原文": f"{prefix}notice.md"},
            {"考核排名": f"{prefix}assessment.md"}, {"更新动态": f"{prefix}updates.md"},
            {"工作联络人": f"{prefix}contacts.md"},
            {pillars_title(inputs, year): pillar_nav(inputs, year, prefix)},
            {"各板块": board_nav(inputs, prefix) + unit_nav(inputs, year, prefix)
             + brief_nav(inputs, prefix)}]
