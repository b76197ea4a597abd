"""Browser-test harness: build the site if needed, serve it on 127.0.0.1, drive Debian's Chromium.

Fixtures
--------
engine        "mkdocs" or "zensical": every test that uses the site runs once per engine
              (PORTAL_ENGINE=mkdocs|zensical runs one of them only)
site_dir      the site built once per session and engine from a copy of the project with the
              frozen fixture data (tests/fixtures/data), by the real CLI (one build, then
              publish --engine per engine); PORTAL_SITE_DIR=<dir> serves a prebuilt site
              instead, unbuilt (built by PORTAL_ENGINE, default mkdocs)
base_url      http://127.0.0.1:<free port>, benchmarks.serve over site_dir: the .gz copies
              with Content-Encoding: gzip, as a gzip_static host serves them
browser       one headless /usr/bin/chromium for the session (never `playwright install`)
new_page      factory: new_page(viewport={...}, **context options) -> (Page, PageLog)
page          a desktop page; `page_log` is what it recorded
case_path     path of the first case page linked from /cases/

Every page records console errors, uncaught page errors, every request URL and every
failed response. A request to any host other than 127.0.0.1 is aborted (there is no
network here anyway) and fails the test: tests assert it themselves with
`log.assert_local_only()`, and the fixture checks again at teardown.

Without /usr/bin/chromium (or axe-core, or a /cases/ page) tests skip — except under
CI=true, where they fail, so CI can never go green by skipping.
"""

from __future__ import annotations

import html.parser
import os
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from helpers import FIXTURE_AS_OF, copy_project, run_cli

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # benchmarks/ is not installed with the package
    sys.path.insert(0, str(ROOT))

from benchmarks.serve import serving  # noqa: E402

SCREENSHOTS = ROOT / "tests" / "screenshots"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

DESKTOP = {"width": 1280, "height": 900}

IN_CI = os.environ.get("CI", "").strip().lower() == "true"

# The page types the browser tests cover (test_site.py parametrizes over these names).
# "case" is the first case page linked from /cases/; "ranking" is the 考核排名 page, "brief" a
# board's printable 一页纸.
PAGE_KINDS = {
    "home": "/",
    "board": "/boards/beigang/",
    "campaign": "/campaigns/biaozhunhua/",
    "case": None,
    "ranking": "/assessment/",
    "brief": "/brief/beigang/",
}
CASE_PATH_RE = re.compile(r"^/cases/\d{4}/[^/]+/[^/]+/(?:index\.html)?$")


def skip_or_fail(reason: str) -> None:
    """Skip locally; under CI=true a missing prerequisite is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: not skipping)", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------- the site


ENGINES = ("mkdocs", "zensical")
ONLY_ENGINE = os.environ.get("PORTAL_ENGINE", "").strip()


def _run(root: Path, *command: str) -> None:
    result = run_cli(root, *command)
    if result.code != 0:
        pytest.fail(f"`{' '.join(command)}` failed (exit {result.code}):\n"
                    f"{(result.out + result.err)[-4000:]}", pytrace=False)


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> str:
    """The site engine under test; the two sites differ in their search UI (see test_site)."""
    wanted = ONLY_ENGINE or ("mkdocs" if os.environ.get("PORTAL_SITE_DIR") else "")
    if wanted and request.param != wanted:
        pytest.skip(f"PORTAL_ENGINE={wanted}: the {request.param} site is not tested")
    return request.param


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """A copy of the project whose pages are generated from the frozen fixture data."""
    root = copy_project(tmp_path_factory.mktemp("browser-site"))
    _run(root, "build", "--as-of", FIXTURE_AS_OF)
    return root


@pytest.fixture(scope="session")
def site_dir(engine, request) -> Path:
    """The site built from the frozen fixture data (never from data/), with the real CLI."""
    override = os.environ.get("PORTAL_SITE_DIR")
    if override:
        site = Path(override).resolve()
        if not (site / "index.html").is_file():
            pytest.fail(f"PORTAL_SITE_DIR={override} has no index.html", pytrace=False)
        return site
    root = request.getfixturevalue("built_project")
    site = root / f"site-{engine}"
    _run(root, "publish", "--engine", engine, "--site", site.name)
    return site


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The site served as deployed: gzip copies (Content-Encoding: gzip), cache headers."""
    with serving(site_dir) as url:
        yield url


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed: pip install -e '.[dev]'")
    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
    except Exception:
        pw.stop()
        raise
    try:
        yield chromium
    finally:
        chromium.close()
        pw.stop()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname == "127.0.0.1"


@dataclass
class PageLog:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    local_checked: bool = field(default=False, repr=False)

    @property
    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not _is_local(u)]

    def problems(self) -> list[str]:
        """Everything wrong that this page recorded, one readable block per kind."""
        self.local_checked = True
        found = []
        for title, items in (
            ("requests left 127.0.0.1", self.foreign_requests),
            ("responses with an error status", self.failed_responses),
            ("uncaught errors in the page", self.page_errors),
            ("console errors", self.console_errors),
        ):
            if items:
                found.append(title + ":\n  " + "\n  ".join(items))
        return found

    def assert_local_only(self) -> None:
        self.local_checked = True
        foreign = self.foreign_requests
        if foreign:
            pytest.fail("requests left 127.0.0.1:\n  " + "\n  ".join(foreign), pytrace=False)

    def assert_clean(self) -> None:
        """No request left 127.0.0.1, nothing failed to load, no console or page error."""
        found = self.problems()
        if found:
            pytest.fail("\n".join(found), pytrace=False)


@pytest.fixture
def new_page(browser, base_url, request) -> Iterator[Callable[..., tuple[object, PageLog]]]:
    contexts = []
    logs: list[PageLog] = []
    # axe-core goes in as an inline script (page.add_script_tag), which the site's
    # Content-Security-Policy refuses, as it should: the accessibility tests bypass the policy
    # (test_csp.py tests it). Every other page keeps it.
    bypass_csp = "axe_js" in request.fixturenames

    def make(viewport: dict | None = None, **context_options):
        log = PageLog()
        context_options.setdefault("bypass_csp", bypass_csp)
        context = browser.new_context(
            viewport=viewport or DESKTOP,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            service_workers="block",
            **context_options,
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        logs.append(log)

        def on_request(request):
            log.requests.append(request.url)

        def on_response(response):
            if response.status >= 400:
                log.failed_responses.append(f"{response.status} {response.url}")

        def on_console(msg):
            if msg.type == "error":
                loc = msg.location or {}
                where = f" ({loc.get('url', '')}:{loc.get('lineNumber', '')})" if loc else ""
                log.console_errors.append(f"{msg.text}{where}")

        def guard(route):
            # Never let a request leave the machine; it is recorded (and fails the test).
            if _is_local(route.request.url):
                route.continue_()
            else:
                route.abort("blockedbyclient")

        context.on("request", on_request)
        context.on("response", on_response)
        context.route("**/*", guard)
        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
        return page, log

    yield make

    for context in contexts:
        try:
            context.close()
        except Exception:  # noqa: BLE001 - a crashed context must not hide the real failure
            pass
    # Safety net for a test that failed (or forgot to look) before checking its requests.
    foreign = [u for log in logs if not log.local_checked for u in log.foreign_requests]
    if foreign:
        pytest.fail("requests left 127.0.0.1:\n  " + "\n  ".join(foreign), pytrace=False)


@pytest.fixture
def page_and_log(new_page):
    return new_page()


@pytest.fixture
def page(page_and_log):
    return page_and_log[0]


@pytest.fixture
def page_log(page_and_log) -> PageLog:
    return page_and_log[1]


# --------------------------------------------------------------------------- pages under test


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


@pytest.fixture(scope="session")
def case_path(base_url) -> str:
    """Path of the first case page linked from the /cases/ gallery."""
    gallery = f"{base_url}/cases/"
    try:
        with urllib.request.urlopen(gallery, timeout=10) as resp:  # noqa: S310 - 127.0.0.1
            body = resp.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        if exc.code != 404:
            raise
        body = None
    if body is None:
        skip_or_fail("the site has no /cases/ gallery yet, so there is no case page to test")
    parser = _Links()
    parser.feed(body)
    for href in parser.hrefs:
        path = urlsplit(urljoin(gallery, href)).path
        if CASE_PATH_RE.match(path):
            return path
    pytest.fail(
        "/cases/ links to no case page (expected /cases/<year>/<board>/<slug>/); links seen:\n  "
        + "\n  ".join(parser.hrefs[:40]),
        pytrace=False,
    )


@pytest.fixture
def kind_path(request) -> Callable[[str], str]:
    """kind_path("board") -> "/boards/beigang/"; "case" is looked up on /cases/."""

    def resolve(kind: str) -> str:
        path = PAGE_KINDS[kind]
        return path if path is not None else request.getfixturevalue("case_path")

    return resolve


@pytest.fixture(scope="session")
def axe_js() -> Path:
    if not AXE_JS.is_file():
        skip_or_fail(f"{AXE_JS.relative_to(ROOT)} is missing: run `npm ci`")
    return AXE_JS


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
