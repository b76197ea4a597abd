"""The built portal, as a visitor's browser sees it (headless Debian Chromium via Playwright).

Every test runs against both engines' builds (the `engine` fixture: MkDocs + Material, and
Zensical), served with their gzip copies as a gzip_static host serves them.
Page types: home `/`, a board `/boards/beigang/`, a campaign `/campaigns/biaozhunhua/` and the
first case page linked from `/cases/`. For each: HTTP 200, no console error, every <img>
loaded, no request off 127.0.0.1, no horizontal scrolling on a 375x812 phone, and no serious or
critical axe-core violation. Plus: Chinese search typed into each engine's own search UI (and
Material's shareable `/?q=` link), the search index fetched only once search is opened, chart
images that reserve their space, and A4 printing of a board page with its sample banner.
On a 360 px phone (the narrowest still sold): axe-core on home, a board, a campaign and the
ranking; every status cell on screen; board names never one character per line; the briefs
without sideways scrolling. The 一页纸 of the district and of every board prints on at most two
A4 pages, with one sample notice and nothing meant for the screen.
Full-page screenshots land in tests/screenshots/<engine>-*.png (git-ignored).
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml
from office import Pdf, skip_or_fail

pytestmark = pytest.mark.browser

KINDS = ["home", "board", "campaign", "case"]
PHONE = {"width": 375, "height": 812}
# The narrowest phones still sold (and WeChat's browser on them) are 360 CSS px wide.
NARROW_PHONE = {"width": 360, "height": 740}
NARROW_KINDS = ["home", "board", "campaign", "ranking"]
# Cells that hold a task's status badge (task rows, attention rows, 报送 records, campaign cells).
STATUS_CELLS = 'td[data-label="状态"], td[data-label="情况"]'
# A4 is 210 mm wide; with 10 mm margins the printable width is 190 mm = 718 CSS px at 96 dpi.
A4_MARGIN = "10mm"
A4_PRINTABLE_PX = 718

SEARCHES = [
    ("粉尘", "fenchen", "/campaigns/fenchen/"),
    ("标准化", "biaozhunhua", "/campaigns/biaozhunhua/"),
    ("有限空间", "youxian-kongjian", "/campaigns/youxian-kongjian/"),
]
# Where each engine's search looks for its index, and where its results are drawn: Material in
# the page, Zensical in a <dialog> inside a shadow root (Playwright's locators pierce it).
SEARCH_INDEX = {"mkdocs": "/search/search_index.json", "zensical": "/search.json"}
SEARCH_RESULTS = {"mkdocs": ".md-search-result__item a[href]", "zensical": "dialog[open] a[href]"}
RESULT_PATHS_JS = "(as) => as.map((a) => new URL(a.href).pathname.replace(/index\\.html$/, ''))"

# Make lazy images load, wait for every <img> to finish, and list the ones that did not load.
BROKEN_IMAGES_JS = """
async () => {
  const imgs = Array.from(document.images);
  for (const img of imgs) {
    if (img.loading === "lazy") img.loading = "eager";
  }
  await Promise.all(imgs.map((img) => img.complete ? null : new Promise((done) => {
    img.addEventListener("load", done, {once: true});
    img.addEventListener("error", done, {once: true});
    setTimeout(done, 15000);
  })));
  return imgs
    .filter((img) => !(img.complete && img.naturalWidth > 0))
    .map((img) => img.currentSrc || img.src || img.outerHTML.slice(0, 160));
}
"""

# Elements reaching past `limit` px (or, without clipOk, with content wider than that: in
# print a scroll box is cut off), deepest only: an element is listed when none of its children
# is. With clipOk (phone), content inside a scroll box or hidden-overflow ancestor that itself
# fits (a sideways-scrolling table, Material's off-canvas drawer) is fine.
OVERFLOW_JS = """
([limit, clipOk]) => {
  const rendered = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 || r.height > 0;
  };
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== "visible" && a.getBoundingClientRect().right <= limit + 1) return true;
    }
    return false;
  };
  const tooWide = (el) => rendered(el)
    && (el.getBoundingClientRect().right > limit + 1 || (!clipOk && el.scrollWidth > limit + 1))
    && !(clipOk && clipped(el));
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim())
      s += "." + el.className.trim().split(/\\s+/).join(".");
    const r = el.getBoundingClientRect();
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return `${s} (width ${Math.round(r.width)}, right ${Math.round(r.right)}, ` +
      `scrollWidth ${el.scrollWidth}) "${text}"`;
  };
  const wide = Array.from(document.querySelectorAll("body *")).filter(tooWide);
  const set = new Set(wide);
  return wide
    .filter((el) => !Array.from(el.children).some((c) => set.has(c)))
    .map(describe);
}
"""


def visit(page, base_url: str, path: str):
    response = page.goto(base_url + path, wait_until="load")
    assert response is not None, f"{path}: no response"
    assert response.status == 200, f"{path}: HTTP {response.status}"
    page.wait_for_load_state("networkidle")
    return response


def narrow_phone(new_page):
    return new_page(viewport=NARROW_PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


def opened_on_a_narrow_phone(new_page, base_url, path, screenshots, name):
    """The page at 360 px with its images loaded and every <details> opened, photographed."""
    page, log = narrow_phone(new_page)
    visit(page, base_url, path)
    broken_images(page)
    page.evaluate(OPEN_DETAILS_JS)
    shot(page, screenshots, name)
    return page, log


def broken_images(page) -> list[str]:
    return page.evaluate(BROKEN_IMAGES_JS)


def shot(page, screenshots: Path, name: str) -> None:
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


def open_search(page, engine: str, phone: bool = False) -> None:
    """Open search as a visitor does: the header's search icon on a phone; on a desktop the
    search box (Material) or Ctrl+K (Zensical, whose box opens a dialog)."""
    if phone:
        page.click("label[for=__search].md-header__button")
    elif engine == "mkdocs":
        page.click(".md-search__input")
    else:
        page.keyboard.press("Control+k")
    if engine == "zensical":
        page.locator("dialog[open] input").first.wait_for()


def search_for(page, engine: str, term: str, expected: str, phone: bool = False) -> list[str]:
    """Type term into the open search (as an IME commits Chinese: one insertText); return the
    result paths once one of them is `expected`, or all of them after 20 s."""
    open_search(page, engine, phone)
    page.keyboard.insert_text(term)
    links = page.locator(SEARCH_RESULTS[engine])
    deadline = time.monotonic() + 20
    while True:
        found = links.evaluate_all(RESULT_PATHS_JS)
        if expected in found or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(200)


def format_axe(violations: list[dict], path: str) -> str:
    lines = [f"{path}: {len(violations)} serious/critical accessibility violation(s):"]
    for v in violations:
        lines.append(f"- [{v.get('impact')}] {v.get('id')}: {v.get('help')}")
        lines.append(f"  {v.get('helpUrl')}")
        nodes = v.get("nodes", [])
        for node in nodes[:5]:
            target = " ".join(json.dumps(t, ensure_ascii=False) for t in node.get("target", []))
            lines.append(f"  at {target}")
            snippet = re.sub(r"\s+", " ", node.get("html", "")).strip()
            lines.append(f"     {snippet[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
        if len(nodes) > 5:
            lines.append(f"  … and {len(nodes) - 5} more element(s)")
    return "\n".join(lines)


# --------------------------------------------------------------------------- every page type


@pytest.mark.parametrize("kind", KINDS)
def test_page_loads_cleanly(kind, engine, kind_path, page, page_log, base_url, screenshots):
    path = kind_path(kind)
    visit(page, base_url, path)
    broken = broken_images(page)
    shot(page, screenshots, f"{engine}-{kind}-desktop")
    problems = page_log.problems()
    if broken:
        problems.insert(0, "images that did not load:\n  " + "\n  ".join(broken))
    if problems:
        pytest.fail(f"{path}:\n" + "\n".join(problems), pytrace=False)


@pytest.mark.parametrize("kind", KINDS)
def test_phone_has_no_horizontal_scroll(kind, engine, kind_path, new_page, base_url,
                                        screenshots):
    path = kind_path(kind)
    page, log = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    visit(page, base_url, path)
    broken_images(page)  # let every image load first: images change the layout
    shot(page, screenshots, f"{engine}-{kind}-phone")
    assert_no_sideways_scroll(page, path, PHONE["width"])
    log.assert_local_only()


def assert_no_sideways_scroll(page, path: str, width: int) -> None:
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    # A mobile browser zooms out to fit content wider than the screen; then the layout
    # viewport (innerWidth) grows past the phone's width. Either way the page scrolls sideways.
    if sizes["inner"] != width or sizes["scroll"] > sizes["inner"]:
        wide = page.evaluate(OVERFLOW_JS, [width, True])
        pytest.fail(
            f"{path}: scrolls sideways on a {width} px phone (page scrollWidth "
            f"{sizes['scroll']} px, layout viewport {sizes['inner']} px); too wide:\n  "
            + "\n  ".join(wide[:15] or ["(no single element: missing <meta name=viewport>?)"]),
            pytrace=False,
        )


def assert_accessible(page, log, axe_js: Path, path: str, where: str = "") -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    page.add_script_tag(path=str(axe_js))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    log.assert_local_only()
    if bad:
        pytest.fail(format_axe(bad, path + where), pytrace=False)


@pytest.mark.parametrize("kind", KINDS)
def test_accessibility(kind, kind_path, page, page_log, base_url, axe_js):
    path = kind_path(kind)
    visit(page, base_url, path)
    assert_accessible(page, page_log, axe_js, path)


@pytest.mark.parametrize("kind", NARROW_KINDS)
def test_accessibility_on_a_narrow_phone(kind, kind_path, new_page, base_url, axe_js):
    """The same audit at 360 px, where tables are cards, the tabs a drawer, the banner smaller."""
    path = kind_path(kind)
    page, log = narrow_phone(new_page)
    visit(page, base_url, path)
    broken_images(page)
    assert_accessible(page, log, axe_js, path, f" at {NARROW_PHONE['width']} px")


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize(("term", "slug", "expected"), SEARCHES, ids=[s[1] for s in SEARCHES])
def test_chinese_search(term, slug, expected, engine, page, page_log, base_url, screenshots):
    visit(page, base_url, "/boards/beigang/")
    found = search_for(page, engine, term, expected)
    shot(page, screenshots, f"{engine}-search-{slug}")
    page_log.assert_local_only()
    if expected not in found:
        pytest.fail(f"{engine}: searching {term!r} finds no link to {expected}; results:\n  "
                    + "\n  ".join(found[:30] or ["(none)"]), pytrace=False)
    assert not page_log.problems(), page_log.problems()


def test_chinese_search_on_a_phone(engine, new_page, base_url, screenshots):
    page, log = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    visit(page, base_url, "/")
    found = search_for(page, engine, "粉尘", "/campaigns/fenchen/", phone=True)
    shot(page, screenshots, f"{engine}-search-phone")
    log.assert_local_only()
    assert "/campaigns/fenchen/" in found, found


def test_shared_search_link(engine, page, page_log, base_url):
    if engine != "mkdocs":
        pytest.skip("Zensical's search does not read ?q= (its search opens on Ctrl+K)")
    # Material's shareable link /?q=<term> opens search with the term filled in.
    visit(page, base_url, "/?q=" + quote("粉尘"))
    page.locator(SEARCH_RESULTS[engine]).first.wait_for(state="attached", timeout=20_000)
    page.wait_for_function(
        "(expected) => Array.from(document.querySelectorAll('.md-search-result__item a[href]'))"
        ".some((a) => new URL(a.href).pathname === expected)", arg="/campaigns/fenchen/",
        timeout=10_000)
    page_log.assert_local_only()


def test_search_index_loads_only_when_search_is_opened(engine, page, page_log, base_url):
    index = SEARCH_INDEX[engine]
    visit(page, base_url, "/boards/beigang/")
    page.wait_for_timeout(500)
    assert index not in [urlsplit(url).path for url in page_log.requests], \
        f"{engine}: {index} was fetched on page load"
    with page.expect_response(lambda response: urlsplit(response.url).path == index) as waited:
        open_search(page, engine)
    response = waited.value
    assert response.status == 200
    # Served from the .gz copy publish wrote (a gzip_static host), and decoded by the browser.
    assert response.headers.get("content-encoding") == "gzip"
    page_log.assert_clean()


@pytest.mark.parametrize("kind", ["board", "campaign"])
def test_chart_images_reserve_their_space(kind, kind_path, page, page_log, base_url):
    visit(page, base_url, kind_path(kind))
    broken_images(page)
    sizes = page.eval_on_selector_all("figure.chart img", """(imgs) => imgs.map((img) => ({
        src: img.getAttribute("src"), width: +img.getAttribute("width"),
        height: +img.getAttribute("height"), natural: img.naturalWidth / img.naturalHeight,
        shown: img.getBoundingClientRect().width / img.getBoundingClientRect().height}))""")
    assert sizes, f"{kind}: no chart"
    for size in sizes:
        assert size["width"] > 0 and size["height"] > 0, size  # no layout shift while loading
        ratio = size["width"] / size["height"]
        assert abs(ratio - size["natural"]) < 0.02 * ratio, size
        assert abs(ratio - size["shown"]) < 0.02 * ratio, size
    page_log.assert_local_only()


# --------------------------------------------------------------------------- printing


def test_board_prints_on_a4(engine, new_page, base_url, screenshots):
    path = "/boards/beigang/"
    page, log = new_page(viewport={"width": A4_PRINTABLE_PX, "height": 1000})
    visit(page, base_url, path)
    assert page.locator(".md-sidebar").count() > 0, f"{path}: no .md-sidebar at all?"
    assert page.locator(".md-banner").is_visible(), f"{path}: no sample banner on screen"

    page.emulate_media(media="print")
    shot(page, screenshots, f"{engine}-board-print")
    assert page.locator(".print-sample-banner").is_visible(), f"{path}: no sample banner in print"
    pdf = page.pdf(
        format="A4",
        print_background=True,
        margin={side: A4_MARGIN for side in ("top", "right", "bottom", "left")},
    )
    assert pdf.startswith(b"%PDF-"), "page.pdf() did not return a PDF"
    assert re.search(rb"/Type\s*/Page(?!s)", pdf), "the PDF has no page"
    (screenshots / f"{engine}-board-print.pdf").write_bytes(pdf)

    visible = [
        f"{selector} #{i}"
        for selector in (".md-sidebar", ".md-header", ".md-tabs", ".md-footer")
        for i, el in enumerate(page.locator(selector).all())
        if el.is_visible()
    ]
    if visible:
        pytest.fail(f"{path}: navigation still visible in print: {visible}", pytrace=False)

    width = page.evaluate("() => document.documentElement.scrollWidth")
    wide = page.evaluate(OVERFLOW_JS, [A4_PRINTABLE_PX, False])
    if width > A4_PRINTABLE_PX or wide:
        pytest.fail(
            f"{path}: wider than A4's printable {A4_PRINTABLE_PX} px in print media "
            f"(page {width} px); too wide:\n  " + "\n  ".join(wide[:15]),
            pytrace=False,
        )
    log.assert_local_only()


# --------------------------------------------------------------------------- 360 px phones

# Every status cell (and the badge in it) as laid out: where it starts and ends horizontally,
# with the row's first words to say which row it is.
STATUS_BOXES_JS = """
(selector) => Array.from(document.querySelectorAll(selector)).flatMap((cell) => {
  const row = cell.closest("tr");
  const named = row && (row.querySelector("td.lead") || row.querySelector("td.text"));
  const label = (named || cell).textContent.trim().replace(/\\s+/g, " ").slice(0, 30);
  return [cell, ...cell.querySelectorAll(".status")].map((el) => {
    const r = el.getBoundingClientRect();
    return {what: el === cell ? "cell" : "badge", table: cell.closest("table").className,
            label, left: r.left, right: r.right, width: r.width, height: r.height};
  });
})
"""

# Each occurrence of a board's name (longest name first, no overlaps) in a table cell: on how
# many lines the name itself is drawn (distinct tops of its line boxes) and how wide its cell is.
NAME_LINES_JS = """
(names) => {
  names = [...names].sort((a, b) => b.length - a.length);
  const found = [];
  const root = document.querySelector("article") || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const cell = node.parentElement && node.parentElement.closest("td, th");
    if (!cell) continue;
    const taken = [];
    for (const name of names) {
      for (let at = node.data.indexOf(name); at >= 0; at = node.data.indexOf(name, at + 1)) {
        if (taken.some(([a, b]) => at < b && at + name.length > a)) continue;
        taken.push([at, at + name.length]);
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + name.length);
        const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
        const box = cell.getBoundingClientRect();
        found.push({name, lines: new Set(rects.map((r) => Math.round(r.top))).size,
                    cell: Math.round(box.width), table: cell.closest("table").className});
      }
    }
  }
  return found;
}
"""

OPEN_DETAILS_JS = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"


def board_names(project: Path) -> list[tuple[str, str, str]]:
    """(slug, name, short name) of every board in the built project's data/boards.yaml."""
    directory = yaml.safe_load((project / "data" / "boards.yaml").read_text(encoding="utf-8"))
    return [(b["slug"], b["name"], b.get("short") or b["name"]) for b in directory["boards"]]


def most_lines(name: str) -> int:
    """A board name may break once (北港 / 街道), but never one character per line."""
    return max(1, min(2, len(name) - 1))


@pytest.mark.parametrize("kind", ["board", "campaign", "brief"])
def test_status_cells_fit_a_360px_phone(kind, engine, kind_path, new_page, base_url,
                                        screenshots):
    """On the narrowest phones every status is on screen: no cell starts left of the screen
    or ends past its right edge (rows are cards there; a scrolling table would hide them)."""
    path = kind_path(kind)
    page, log = opened_on_a_narrow_phone(new_page, base_url, path, screenshots,
                                         f"{engine}-{kind}-360")
    boxes = page.evaluate(STATUS_BOXES_JS, STATUS_CELLS)
    cells = [b for b in boxes if b["what"] == "cell"]
    assert cells, f"{path}: no status cell ({STATUS_CELLS}) at all?"
    width = NARROW_PHONE["width"]
    off = [b for b in boxes
           if b["width"] <= 0 or b["height"] <= 0 or b["left"] < 0 or b["right"] > width + 0.5]
    log.assert_local_only()
    if off:
        pytest.fail(
            f"{path}: {len(off)} of {len(boxes)} status cells/badges not inside the {width} px "
            "screen:\n  " + "\n  ".join(
                f"{b['what']} in table.{b['table']} x {b['left']:.0f}–{b['right']:.0f} "
                f"({b['width']:.0f}×{b['height']:.0f}) «{b['label']}»" for b in off[:15]),
            pytrace=False)


@pytest.mark.parametrize("kind", ["ranking", "home"])
def test_board_names_do_not_wrap_on_a_360px_phone(kind, engine, built_project, kind_path,
                                                  new_page, base_url, screenshots):
    """At 360 px, with every <details> opened, each board's name (or short name) in each table
    — the ranking and its 状态分布 table, the home page's board × campaign grid — is on one
    or two lines: never squeezed into a column one character wide."""
    path = kind_path(kind)
    boards = board_names(built_project)
    page, log = opened_on_a_narrow_phone(new_page, base_url, path, screenshots,
                                         f"{engine}-{kind}-360")
    found = page.evaluate(NAME_LINES_JS, sorted({n for _, *names in boards for n in names}))
    log.assert_local_only()
    seen = {f["name"] for f in found}
    missing = [name for _, name, short in boards if not {name, short} & seen]
    assert not missing, f"{path}: boards missing from the page's tables: {missing}"
    squeezed = [f for f in found if not 1 <= f["lines"] <= most_lines(f["name"])]
    if squeezed:
        pytest.fail(
            f"{path}: board names broken over too many lines at {NARROW_PHONE['width']} px:\n  "
            + "\n  ".join(f"{f['name']} on {f['lines']} lines, cell {f['cell']} px wide, "
                           f"in table.{f['table']}" for f in squeezed[:15]),
            pytrace=False)


# --------------------------------------------------------------------------- the printed briefs

# Links to files a printed sheet cannot follow (templates, data, calendars, documents).
DOWNLOAD_LINKS = ", ".join(f'a[href$=".{ext}"]' for ext in ("xlsx", "csv", "json", "ics", "docx"))
VISIBLE_JS = """
(selector) => Array.from(document.querySelectorAll(selector))
  .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden")
  .map((el) => `${el.tagName.toLowerCase()}.${el.className} «${
    (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40)}»`)
"""


@pytest.mark.parametrize("path", ["/brief/", "/brief/beigang/"], ids=["district", "board"])
def test_briefs_fit_a_360px_phone(path, engine, built_project, new_page, base_url,
                                  screenshots):
    """A brief is a link people forward: on a 360 px phone it does not scroll sideways (its
    wide tables scroll inside themselves) and no board name breaks over more than two lines."""
    page, log = narrow_phone(new_page)
    visit(page, base_url, path)
    shot(page, screenshots, f"{engine}-{path.strip('/').replace('/', '-')}-360")
    assert_no_sideways_scroll(page, path, NARROW_PHONE["width"])
    found = page.evaluate(NAME_LINES_JS, sorted(
        {n for _, *names in board_names(built_project) for n in names}))
    squeezed = [f"{f['name']} on {f['lines']} lines in table.{f['table']}"
                for f in found if not 1 <= f["lines"] <= most_lines(f["name"])]
    assert not squeezed, f"{path}: board names broken at 360 px: {squeezed[:10]}"
    log.assert_local_only()


def test_briefs_print_on_two_a4_pages(engine, built_project, new_page, base_url, screenshots):
    """一页纸: the district's and every board's brief, printed to A4 with the site's own print
    styles, is at most two pages (the brief, then the full task list); the printout has the
    sample notice exactly once and nothing meant for the screen (.no-print, download links)."""
    if shutil.which("pdfinfo") is None:
        skip_or_fail("pdfinfo is missing: apt-get install -y poppler-utils")
    briefs = {"district": ("/brief/", "全区")} | {
        slug: (f"/brief/{slug}/", name) for slug, name, _ in board_names(built_project)}
    assert len(briefs) > 2, briefs
    page, log = new_page(viewport={"width": A4_PRINTABLE_PX, "height": 1000})
    problems: list[str] = []
    pages: dict[str, int] = {}
    for slug, (path, name) in briefs.items():
        page.emulate_media(media="screen")
        visit(page, base_url, path)
        headings = [h.replace("¶", "").strip()  # the heading's permalink
                    for h in page.locator("article h1").all_inner_texts()]
        if len(headings) != 1 or name not in headings[0] or not headings[0].endswith("一页纸"):
            problems.append(f"{path}: headings {headings}, expected one «{name}…一页纸»")
        stray = page.locator("article p").filter(has_text=re.compile(r"^\s*#")).all_inner_texts()
        if stray:
            problems.append(f"{path}: Markdown left as text: {stray[:3]}")
        if not page.locator(".md-banner").is_visible():
            problems.append(f"{path}: no sample banner on screen")

        page.emulate_media(media="print")
        notices = page.evaluate(VISIBLE_JS, ".md-banner, .print-sample-banner")
        if len(notices) != 1 or "示例数据" not in notices[0]:
            problems.append(f"{path}: in print, {len(notices)} sample notices (expected 1): "
                            f"{notices}")
        for what, selector in (("screen-only (.no-print)", ".no-print"),
                               ("download links", DOWNLOAD_LINKS)):
            shown = page.evaluate(VISIBLE_JS, selector)
            if shown:
                problems.append(f"{path}: {what} visible in print: {shown[:5]}")

        pdf = screenshots / f"{engine}-brief-{slug}.pdf"
        pdf.write_bytes(page.pdf(format="A4", print_background=True))
        pages[slug] = Pdf(pdf).pages
        if not 1 <= pages[slug] <= 2:
            problems.append(f"{path}: prints on {pages[slug]} A4 pages (at most 2; {pdf})")
    log.assert_local_only()
    if problems:
        pytest.fail("\n".join(problems) + f"\npages: {pages}", pytrace=False)
