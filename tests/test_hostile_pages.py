"""Hostile data anywhere (issue 15, point 1): a markup payload in every free-text field of every
input kind, built and published by the real CLI, cannot add an element, an event handler, a style
or a `javascript:` link to any page — and each payload is shown as the text it is.

One copy of the fixture project is built clean and one with every string field planted, and both
are published by each engine (MkDocs and Zensical, --strict); each page of a planted site is
compared with the same page of the clean site of that engine (html.parser):

- no element type, no (element, attribute) pair and no `style` value the clean page lacks, and no
  `on*` attribute at all;
- no `href`/`src` starting with `javascript:`;
- every planted payload appears, whole, as text on at least one page.

Fields left out, and why (validation refuses a payload there before anything is built):

- slugs and ids (board/pillar/campaign `slug`/`id`, target `id`, unit `slug`): `^[a-z][a-z0-9-]*$`;
- `site_url`, `repo_url` (site.yaml): an http(s) address without spaces, quotes or `<>{}|`;
- unit `name`, board `aliases`, unit `aliases`: names the plan's `owners`/`responsible` and the
  report files resolve to units (renaming them is a different plan, not a different string);
- case `title`, `summary`, `tags`, `contact`: `< > { } &` are refused with a message
  (CONTRIBUTING.md), so the case payload is the Markdown/shortcode part without them.
"""

from __future__ import annotations

import csv
import html.parser
import io
import re
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURE_AS_OF, copy_project, run_cli

from generator.site.engines import ENGINES

pytestmark = pytest.mark.slow

# Each planted value is "H<nnn> " + one of these; every mark below is in at least one of them.
PAYLOADS = (
    '<img src=x onerror=alert(1)> [link](javascript:alert(1)) [x](missing.md) | *_# '
    '&lt;b&gt; "\'><script>alert(2)</script> :material-alert: {: onmouseover=alert(1) }',
    '[y](#nowhere) **b** _i_ `c` <b>bold</b> </title></textarea>&amp; :material-alert: '
    '![i](x.png) {: style="position:fixed" }',
)
CASE_PAYLOAD = '[link](javascript:alert(1)) [x](missing.md) [y](#nowhere) | *_# :material-alert: "\''
"""Case front matter refuses < > { } & (CONTRIBUTING.md); the rest of the marks are planted."""
CASE_TITLE = '[t](javascript:alert(1)) | *_# :material-alert: "\''
"""A case title (and contact) has at most 60 characters."""
CASE_TAG = '[x](#no)|*_#'
"""A tag has at most 20 characters."""


class Planter:
    """Hands out the planted values, numbered, and remembers them for the text check."""

    def __init__(self) -> None:
        self.planted: dict[str, str] = {}

    def __call__(self, where: str, payload: str | None = None) -> str:
        value = f"H{len(self.planted):03d} " + (payload or PAYLOADS[len(self.planted) % 2])
        self.planted[where] = value
        return value


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000),
                    encoding="utf-8")


def plant(root: Path) -> dict[str, str]:
    """Put a payload in every free-text field of data/ (see the module docstring for the rest)."""
    p = Planter()
    data = root / "data"

    site = _load(data / "site.yaml")
    site["title"] = p("site.title")
    site["sample_notice"] = p("site.sample_notice")
    _dump(data / "site.yaml", site)

    directory = _load(data / "boards.yaml")
    renamed_contacts = {}
    for board in directory["boards"]:
        board["name"] = p(f"board[{board['slug']}].name")
        board["short"] = p(f"board[{board['slug']}].short")
    for unit in directory["units"]:
        unit["full_name"] = p(f"unit[{unit['name']}].full_name")
        unit["note"] = p(f"unit[{unit['name']}].note")
    for index, contact in enumerate(directory["contacts"]):
        new = p(f"contact[{index}].name")
        renamed_contacts[contact["name"]] = new
        contact["name"] = new
        contact["note"] = p(f"contact[{index}].note")
    _dump(data / "boards.yaml", directory)

    for plan_path in sorted((data / "plans").glob("*.yaml")):
        year = plan_path.stem
        plan = _load(plan_path)
        notice = plan["notice"]
        for key in ("number", "title", "issuer", "preamble", "attachment", "closing"):
            notice[key] = p(f"{year}.notice.{key}")
        notice["recipients"] = [p(f"{year}.notice.recipients[{i}]")
                                for i, _ in enumerate(notice["recipients"])]
        for requirement in notice["requirements"]:
            requirement["title"] = p(f"{year}.requirement[{requirement['no']}].title")
            requirement["text"] = p(f"{year}.requirement[{requirement['no']}].text")
        for pillar in plan["pillars"]:
            pillar["name"] = p(f"{year}.pillar[{pillar['id']}].name")
            pillar["short"] = p(f"{year}.pillar[{pillar['id']}].short")
            for g, group in enumerate(pillar["groups"]):
                group["name"] = p(f"{year}.pillar[{pillar['id']}].group[{g}].name")
                for campaign in group["campaigns"]:
                    where = f"{year}.campaign[{campaign['id']}]"
                    campaign["name"] = p(f"{where}.name")
                    campaign["work"] = p(f"{where}.work")
                    campaign["focus"] = p(f"{where}.focus")
                    campaign["contacts"] = [renamed_contacts.get(c, c)
                                            for c in campaign["contacts"]]
                    for target in campaign["targets"]:
                        plant_target(p, f"{year}.target[{target['id']}]", target)
        _dump(plan_path, plan)

    for report in sorted((data / "progress").glob("*/*.csv")):
        plant_report(p, report)
    for case in sorted((data / "cases").glob("*/*/*.md")):
        plant_case(p, case)
    return p.planted


def plant_target(p: Planter, where: str, target: dict) -> None:
    target["no"] = p(f"{where}.no")  # the printed item number, free text ("1a")
    target["text"] = p(f"{where}.text")
    target["note"] = p(f"{where}.note")
    if target.get("metric"):
        target["metric"]["unit"] = p(f"{where}.metric.unit")
        target["metric"]["subject"] = p(f"{where}.metric.subject")
    if target.get("baseline"):
        target["baseline"]["description"] = p(f"{where}.baseline.description")


ROWS = 3
BOARDS = ("beigang", "hehuachi", "nandajie", "wuxing", "xilin", "xinwen", "yonghong", "zouqu")
"""Report rows planted per file (every file, every quarter)."""


def plant_report(p: Planter, path: Path) -> None:
    """The 说明 (note) and 佐证 (evidence) columns of the first ROWS rows of a CSV report."""
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    name = f"{path.parent.name}/{path.name}"
    for number, row in enumerate(rows[1:ROWS + 1], start=2):
        for column in ("说明", "佐证"):
            if column in header:
                # 说明/佐证 hold at most 500 characters: both payloads fit.
                row[header.index(column)] = p(f"{name}:{number}.{column}")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def plant_case(p: Planter, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    name = path.relative_to(path.parents[2]).as_posix()
    meta["title"] = p(f"case[{name}].title", CASE_TITLE)
    meta["summary"] = p(f"case[{name}].summary", CASE_PAYLOAD)
    meta["tags"] = [p(f"case[{name}].tags[0]", CASE_TAG), *meta.get("tags", [])[1:]]
    meta["contact"] = p(f"case[{name}].contact", CASE_TITLE)
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False,
                                             width=10_000) + "---\n" + body, encoding="utf-8")


# --------------------------------------------------------------------------- reading pages


class PageFacts(html.parser.HTMLParser):
    """What one built page holds: element types, on* attributes, styles, links and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[tuple[str, str]] = set()
        self.handlers: list[str] = []
        self.styles: set[str] = set()
        self.scripted_links: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.add((tag, name))
            value = value or ""
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.styles.add(value)
            if name in ("href", "src", "action", "formaction", "xlink:href") and \
                    "".join(value.split()).lower().startswith(("javascript:", "vbscript:")):
                self.scripted_links.add(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    def visible_text(self) -> str:
        return " ".join("".join(self.text).split())


def facts(path: Path) -> PageFacts:
    parser = PageFacts()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def pages(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}


def generated(root: Path) -> Path:
    result = run_cli(root, "build", "--as-of", FIXTURE_AS_OF)
    assert result.code == 0, f"build: exit {result.code}\n{result.out}\n{result.err[-6000:]}"
    return root


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    """The fixture project generated clean, and a copy generated with every field planted."""
    clean = generated(copy_project(tmp_path_factory.mktemp("clean")))
    root = copy_project(tmp_path_factory.mktemp("planted"))
    planted = plant(root)
    return clean, generated(root), planted


@pytest.fixture(scope="module", params=ENGINES)
def sites(request, projects) -> tuple[Path, Path, dict[str, str]]:
    """Both projects published (--strict) by one engine: (clean site, planted site, planted)."""
    clean, root, planted = projects
    folders = []
    for project in (clean, root):
        name = f"site-{request.param}"
        result = run_cli(project, "publish", "--engine", request.param, "--site", name)
        assert result.code == 0, f"publish: exit {result.code}\n{result.out}\n{result.err[-6000:]}"
        folders.append(project / name)
    return folders[0], folders[1], planted


@pytest.fixture(scope="module")
def page_facts(sites) -> dict[str, tuple[PageFacts | None, PageFacts]]:
    clean, hostile, _ = sites
    clean_pages = pages(clean)
    return {name: (facts(clean_pages[name]) if name in clean_pages else None, facts(path))
            for name, path in pages(hostile).items()}


def test_every_planted_field_was_built(projects):
    """The planting reached every kind of input (a refactor of the fixture must not empty it)."""
    _, _, planted = projects
    kinds = {"site.", "board[", "unit[", "contact[", "2023.notice.", "2023.pillar[",
             "2023.campaign[", "2023.target[", "2022.notice.", "2023Q2/", "case["}
    assert {k for k in kinds if any(w.startswith(k) for w in planted)} == kinds
    assert len(planted) > 300


def test_the_same_pages_are_built(sites):
    clean, hostile, _ = sites
    assert set(pages(hostile)) == set(pages(clean))


def test_no_page_gains_an_element_type(page_facts):
    gained = {name: sorted(h.tags - c.tags) for name, (c, h) in page_facts.items()
              if c is not None and h.tags - c.tags}
    assert gained == {}


def test_no_element_gains_an_attribute(page_facts):
    gained = {name: sorted(h.attributes - c.attributes) for name, (c, h) in page_facts.items()
              if c is not None and h.attributes - c.attributes}
    assert gained == {}


def test_no_page_gains_an_event_handler_or_a_style(page_facts):
    handlers = {name: h.handlers for name, (c, h) in page_facts.items() if h.handlers}
    styles = {name: sorted(h.styles - c.styles) for name, (c, h) in page_facts.items()
              if c is not None and h.styles - c.styles}
    assert handlers == {}
    assert styles == {}


def test_no_javascript_link_anywhere(page_facts):
    """Material's own search button is `<a href="javascript:void(0)">` on every clean page."""
    clean = {link for c, _ in page_facts.values() if c is not None for link in c.scripted_links}
    assert clean <= {'<a href=\'javascript:void(0)\'>'}
    assert {name: sorted(h.scripted_links - clean) for name, (_, h) in page_facts.items()
            if h.scripted_links - clean} == {}


NOT_ON_PAGES = {
    "site.title",  # the case feed's title and author (cases/feed.xml), not a page
    "unit.note", "contact.note",  # the bureau's remarks, kept in data/
    "pillar.short",  # chart labels (SVG files, not HTML pages)
    "target.metric.subject",  # the downloads and open data
    "report.佐证",  # evidence: the board's own records, in the downloads only
}
"""Fields no HTML page prints (their planted text is checked where it is shown elsewhere)."""


def kind_of(where: str) -> str:
    """'2023.target[fenchen-1a].metric.unit' -> 'target.metric.unit'; '2023Q2/x.csv:3.说明' ->
    'report.说明'."""
    where = re.sub(r"^\d{4}Q\d/[a-z-]+\.csv:\d+\.", "report.", where)
    return re.sub(r"\[[^\]]*\]", "", re.sub(r"^\d{4}\.", "", where))


def test_every_payload_is_shown_as_text(sites, page_facts):
    """A planted value shown on a page is shown whole, as text; every field a page prints is
    on at least one page; and a board's latest 说明 is on its page."""
    _, _, planted = sites
    texts = [h.visible_text() for _, h in page_facts.values()]
    shown = {where for where, value in planted.items()
             if any(" ".join(value.split()) in text for text in texts)}
    mangled = {where: value for where, value in planted.items() if where not in shown
               and any(value[:5] in text for text in texts)}  # its "Hnnn " mark, not the rest
    assert mangled == {}
    assert {kind_of(w) for w in planted} - {kind_of(w) for w in shown} == NOT_ON_PAGES
    notes = {w.removeprefix("2023Q3/").removesuffix(".说明") for w in shown
             if w.startswith("2023Q3/") and w.endswith(".说明")}
    assert notes >= {f"{board}.csv:{row}" for board in BOARDS for row in range(2, ROWS + 2)}
