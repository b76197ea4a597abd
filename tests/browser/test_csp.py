"""The Content-Security-Policy of every page (overrides/main.html), with both engines.

The policy is a `<meta http-equiv>` in the `extrahead` block, which Material 9.8 and Zensical
0.0.73 both have. A meta policy applies from the element on: the inline scripts after it are
allowed by sha256 hash, and the hashes are constant (no template code in them), so the static
tests recompute them from every built page and compare them with the policy — a theme upgrade
that changes a script fails here with the new hash, not silently in a visitor's browser.

In Chromium: pages load with no violation and no console error, search still works, and an
inline event handler planted into a page does not run — while the same page served without the
policy does run it (the test can fail).
"""

from __future__ import annotations

import base64
import hashlib
import html.parser
import re
import time
from pathlib import Path

import pytest

POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
REQUIRED = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
}
SEARCH = {"mkdocs": ".md-search-result__item a[href]", "zensical": "dialog[open] a[href]"}

# Every violation the page reports, from the first script on (an init script runs before any).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
                    + ` (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
});
"""
# The text of every <style> element, in the page and in open shadow roots (Zensical's search).
STYLES = """() => {
  const found = [];
  const walk = (root) => root.querySelectorAll("*").forEach((element) => {
    if (element.tagName === "STYLE") found.push(element.textContent);
    if (element.shadowRoot) walk(element.shadowRoot);
  });
  walk(document);
  return found;
}"""
PLANT = """() => {
  document.body.insertAdjacentHTML("beforeend",
    '<img id="planted" src="data:," onerror="window.__pwned = 1">'
    + '<img src="/nowhere.png" onerror="window.__pwned = 2">');
}"""


class InlineScripts(html.parser.HTMLParser):
    """The policy (if any) and the executable inline scripts after it, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.policies: list[str] = []
        self.before: list[str] = []
        self.after: list[str] = []
        self._inline: bool = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == \
                "content-security-policy":
            self.policies.append(attributes.get("content") or "")
        if tag == "script":
            kind = (attributes.get("type") or "text/javascript").lower()
            self._inline = "src" not in attributes and kind in ("text/javascript", "module")
            if self._inline:
                (self.after if self.policies else self.before).append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inline = False

    def handle_data(self, data):
        if self._inline:
            target = self.after if self.policies else self.before
            target[-1] += data


def sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def read(page: Path) -> InlineScripts:
    parser = InlineScripts()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


# --------------------------------------------------------------------------- the built pages


@pytest.mark.slow
def test_every_page_has_the_policy(site_dir: Path):
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 100
    without = [p.relative_to(site_dir).as_posix() for p in pages if len(read(p).policies) != 1]
    assert without == []
    policy = directives(read(site_dir / "index.html").policies[0])
    assert {name: policy.get(name) for name in REQUIRED} == REQUIRED
    assert "frame-ancestors" not in policy  # ignored in a meta element
    assert not any("unsafe" in value for values in policy.values() for value in values)
    assert set(policy) == {*REQUIRED, "script-src", "style-src"}
    for name in ("script-src", "style-src"):
        assert policy[name][0] == "'self'"
        assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", v) for v in policy[name][1:])


@pytest.mark.slow
def test_the_script_hashes_are_those_of_the_inline_scripts(site_dir: Path):
    """Each inline script after the policy is allowed by its hash; no hash is left unused."""
    policy = read(site_dir / "index.html").policies[0]
    listed = set(directives(policy)["script-src"])
    used: dict[str, set[str]] = {}
    for page in sorted(site_dir.rglob("*.html")):
        parsed = read(page)
        assert parsed.policies == [policy]  # the same policy on every page
        for source in parsed.after:
            used.setdefault(sha256(source), set()).add(source[:60])
        # Before the policy: only the themes' own partials/javascripts/base.html (__md_scope).
        assert [s[:len("__md_scope=")] for s in parsed.before] == ["__md_scope="]
    missing = {digest: sorted(starts) for digest, starts in used.items() if digest not in listed}
    assert missing == {}, "add these hashes to overrides/main.html's script-src"
    assert listed - {"'self'"} == set(used)


# --------------------------------------------------------------------------- in Chromium


def load(new_page, url: str, strip_policy: bool = False):
    page, log = new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    if strip_policy:
        def without_policy(route):
            response = route.fetch()
            body = POLICY.sub("", response.text())
            assert body != response.text()
            headers = {k: v for k, v in response.headers.items()
                       if k.lower() not in ("content-encoding", "content-length")}
            route.fulfill(status=response.status, headers=headers, body=body)

        page.route(url, without_policy)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200
    return page, log


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", "/boards/beigang/", "/campaigns/biaozhunhua/", "/cases/",
                                  "/assessment/", "/open-data/", "/404.html"])
def test_pages_load_without_a_violation(path, engine, new_page, base_url):
    page, log = load(new_page, base_url + path)
    page.wait_for_timeout(300)
    violations = page.evaluate("window.__csp")
    if path != "/404.html":
        log.assert_clean()
    else:
        log.assert_local_only()
    assert violations == []


@pytest.mark.browser
def test_search_works_under_the_policy(engine, new_page, base_url):
    page, log = load(new_page, base_url + "/")
    if engine == "mkdocs":
        page.click(".md-search__input")
    else:
        page.keyboard.press("Control+k")
        page.locator("dialog[open] input").first.wait_for()
    page.keyboard.insert_text("粉尘")
    links = page.locator(SEARCH[engine])
    deadline = time.monotonic() + 20
    found: list[str] = []
    while "/campaigns/fenchen/" not in found and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        found = links.evaluate_all("(as) => as.map((a) => new URL(a.href).pathname)")
    assert "/campaigns/fenchen/" in found, found
    assert page.evaluate("window.__csp") == []
    log.assert_clean()
    # Each <style> the theme added (Zensical: its search dialog's) is allowed by its hash.
    styles = {sha256(text) for text in page.evaluate(STYLES)}
    allowed = set(directives(POLICY.search(page.content()).group(1))["style-src"][1:])
    assert styles == (allowed if engine == "zensical" else set())


@pytest.mark.browser
@pytest.mark.parametrize("strip_policy", [False, True], ids=["with-policy", "without-policy"])
def test_a_planted_inline_handler_does_not_run(strip_policy, engine, new_page, base_url):
    """Markup that got into a page somehow (the hostile-data tests say it cannot) runs no
    handler under the policy; without the policy the very same markup does — the control."""
    page, log = load(new_page, base_url + "/boards/beigang/", strip_policy)
    page.evaluate(PLANT)
    page.wait_for_timeout(500)
    pwned = page.evaluate("window.__pwned")
    violations = page.evaluate("window.__csp")
    if strip_policy:
        assert pwned in (1, 2)
        assert violations == []
    else:
        assert pwned is None
        assert violations and all(v.startswith("script-src-attr blocked inline") for v in violations)
        assert len(violations) == 2
    log.assert_local_only()
