"""生成 (pages): pure functions from the evaluated model to complete pages, and the templates.

One module per kind of page (home, notice, assessment, contacts, pillar, campaign, board, unit,
brief; updates and case_pages), `year` listing a plan year's pages; `page` (Page, PageKind, the
kind → template mapping), `layout` (SiteLayout: where a year's pages live), `base` (what every
page of a year prints), `links`, `rows`, `charts` and `owner` (what pages share), `navigation`
(the engines' nav) and `render` (Jinja2).
"""
