"""A typical case cannot run script on the site.

Three layers, each tested: validation rejects a case carrying HTML or dangerous URLs; the
sanitizer (markdown-it → nh3) writes only allow-listed HTML even for a body that never went
through validation; and in Chromium, pages built from a hostile-but-valid case and from an
unvalidated hostile body open no dialog, set no `window.__xss`, have no inline handler or
`javascript:` URL, and request nothing from another host.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html as html_module
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import FIXTURE_AS_OF, FIXTURE_DATA, copy_project, serve_folder

from generator.build import Paths, build, load_everything
from generator.common.problems import Problems
from generator.inputs.cases import load_cases
from generator.pages.case_pages import case_page
from generator.pages.render import render_page
from generator.site.publish import publish

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date.fromisoformat(FIXTURE_AS_OF)
VALID_PAGE = "/cases/2023/beigang/2023-08-31-xss-valid/"
BYPASS_PAGE = "/cases/2023/xinwen/2023-08-31-xss-bypass/"
DANGEROUS_TAGS = {"script", "iframe", "frame", "object", "embed", "form", "style", "meta", "base",
                  "svg", "math", "link", "input", "button", "textarea", "select", "details"}

HEAD = """---
title: {title}
board: {board}
campaign: fenchen
date: 2023-08-31
summary: '摘要 "双引号" :smile: #井号 [方括号]'
tags: ['#标签', '引号"x"', '*星号*']
---
"""

# Everything here is shown as text; validation accepts it.
HOSTILE_BUT_VALID = """\
> **示例**：浏览器安全测试用案例。

## 标题中的代码 `<script>window.__xss = 1</script>` :material-alert:

正文中的代码 `<img src=x onerror="window.__xss=1;alert(1)">` 只会显示，不会运行。
实体 &lt;script&gt;alert(1)&lt;/script&gt; 和 &#x3C;b&#x3E; 也只是文字。

```html
<script>window.__xss = 1; alert(1)</script>
<iframe src="javascript:alert(1)"></iframe>
<svg onload="alert(1)"></svg>

{: onclick="window.__xss = 1" }
*不是强调*
```

    <a href="javascript:alert(1)">缩进的代码块</a>

| 写法 | 说明 |
|---|---|
| `<b onclick=alert(1)>` | 表格中的代码 |

- [应急管理部](https://www.mem.gov.cn/?q=%3Cscript%3E)
- [邮件](mailto:test@example.org)
- :smile: 表情代码只是文字
- 链接文字里的代码 [`<script>`](https://example.org)

![示意图](xss-test.png "标题 \\"引号\\"")
"""

# Every trick, never validated: only the sanitizer stands between it and the page.
BYPASS = """\
<script>window.__xss = 1; alert(1)</script>
<img src=x onerror="window.__xss=2;alert(2)">
<iframe src="javascript:alert(3)"></iframe>
<div markdown="1" onclick="alert(4)">**md_in_html**</div>
<svg onload=alert(5)><circle r=9 /></svg>
<a href="javascript:alert(6)">a</a>
<form action="javascript:alert(7)"><button>b</button></form>
<meta http-equiv="refresh" content="0;url=javascript:alert(8)">
<base href="javascript:alert(9)//">
<style>body{background:url(javascript:alert(10))}</style>
<details open ontoggle=alert(11)><summary>c</summary></details>
<math><mtext><table><mglyph><style><img src=x onerror=alert(12)>
<noscript><p title="</noscript><img src=x onerror=alert(13)>"></noscript>
<!-- comment -->

文字 [d](javascript:alert(14)) [e](JaVaScRiPt:alert(15)) [f](&#106;avascript:alert(16))
[g](javascript&colon;alert(17)) <javascript:alert(18)> [h][ref] [i](vbscript:msgbox(19))
![j](https://evil.example/x.png) ![k](//evil.example/y.png) ![l](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMjApPg==)
[m](data:text/html,<script>alert(21)</script>) ![n](../../../../etc/passwd.png)
<img src="x" onerror="alert(22)"

## 标题 {: onclick=alert(23) } :material-alert:{ onmouseover=alert(24) }

段落
{: onmouseover="alert(25)" }

[ref]: javascript:alert(26)
"""


# --- layer 1: validation -------------------------------------------------------------------------

def write_case(folder: Path, board: str, slug: str, title: str, body: str) -> Path:
    path = folder / "2023" / board / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEAD.format(title=title, board=board) + body, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def catalogs():
    from generator.inputs.load import load_inputs

    return load_inputs(FIXTURE_DATA).catalogs


def test_onerror_image_is_rejected(tmp_path, catalogs):
    write_case(tmp_path, "beigang", "onerror", "测试", "正文\n\n<img src=x onerror=alert(1)>\n")
    problems = Problems()
    assert load_cases(tmp_path, catalogs, problems) == []
    assert [(p.line, p.column, p.message, p.hint) for p in problems.items] == [
        (11, 12, "不允许使用事件属性 'onerror='", "这类属性会在网页中执行脚本，请删除")]


def test_every_bypass_line_is_rejected(tmp_path, catalogs):
    path = write_case(tmp_path, "beigang", "bypass", "测试", BYPASS)
    problems = Problems()
    assert load_cases(tmp_path, catalogs, problems) == []
    body_start = 9
    lines = BYPASS.splitlines()
    expected = {body_start + i for i, line in enumerate(lines)
                if line.strip() and line.strip() not in ("</math>", "段落")}
    flagged = {p.line for p in problems.items}
    assert expected <= flagged, f"lines not rejected: {sorted(expected - flagged)}"
    assert all(p.path.endswith(path.name) for p in problems.items)


def test_hostile_but_valid_case_is_accepted(tmp_path, catalogs):
    folder = tmp_path / "cases"
    write_case(folder, "beigang", "valid", "测试", HOSTILE_BUT_VALID)
    (folder / "2023/beigang/xss-test.png").write_bytes(
        (FIXTURE_DATA / "cases/2023/beigang/chuchen-zhenggai.png").read_bytes())
    problems = Problems()
    assert len(load_cases(folder, catalogs, problems)) == 1
    assert not problems, [p.format() for p in problems.items]


# --- layer 2 and 3: the built site ------------------------------------------------------------------

@pytest.fixture(scope="module")
def xss_site(tmp_path_factory) -> Path:
    """A copy of the project with two hostile cases, built with the library and mkdocs --strict.

    The valid one goes through the whole pipeline. The other is a plain valid case whose page
    is then re-rendered from the BYPASS body, as if validation had missed everything.
    """
    root = copy_project(tmp_path_factory.mktemp("xss"))
    cases = root / "data" / "cases"
    title = "测试\"引号\"与'单引号'的 XSS 案例"
    write_case(cases, "beigang", "2023-08-31-xss-valid", title, HOSTILE_BUT_VALID)
    shutil.copy2(cases / "2023/beigang/chuchen-zhenggai.png", cases / "2023/beigang/xss-test.png")
    write_case(cases, "xinwen", "2023-08-31-xss-bypass", "绕过校验的测试案例", "> **示例**：占位。\n")
    paths = Paths(data=root / "data", static=root / "docs", out=root / "build" / "docs",
                  cache=root / ".cache", config=root / "mkdocs.yml")
    build(paths, AS_OF)
    loaded = load_everything(paths, AS_OF)
    plain = next(case for case in loaded.cases if case.slug == "2023-08-31-xss-bypass")
    hostile = dataclasses.replace(plain, body=BYPASS)
    page = case_page(hostile, loaded.inputs.catalog(2023), loaded.inputs.settings)
    (paths.out / page.path).write_text(render_page(page), encoding="utf-8")
    assert publish(root / "site", paths.site_config) == 0
    return root / "site"


class _Article(HTMLParser):
    """Elements and attributes inside <article> (the page content, where cases are printed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        if self.depth:
            self.tags.append(tag)
            self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1


def _bad_url(value: str) -> bool:
    squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:"))


@pytest.mark.slow
@pytest.mark.parametrize("path", [VALID_PAGE, BYPASS_PAGE])
def test_built_case_page_has_no_script(xss_site, path):
    html = (xss_site / path.strip("/") / "index.html").read_text(encoding="utf-8")
    article = _Article()
    article.feed(html)
    assert article.tags, "no <article> in the page"
    assert not DANGEROUS_TAGS & set(article.tags), DANGEROUS_TAGS & set(article.tags)
    assert not [a for a in article.attributes if a[1].startswith("on")]
    assert not [a for a in article.attributes if a[1] in ("href", "src", "action", "xlink:href")
                and _bad_url(a[2])]
    assert "evil.example" not in html
    assert "<!-- comment -->" not in html


@pytest.mark.slow
def test_hostile_text_is_shown_as_text(xss_site):
    html = (xss_site / VALID_PAGE.strip("/") / "index.html").read_text(encoding="utf-8")
    headings = [html_module.unescape(text) for text in
                re.findall(r'<h2 id="[^"]*">(.*?)<a class="headerlink"', html)]
    assert "标题中的代码 <script>window.__xss = 1</script> :material-alert:" in headings
    assert '<code>&lt;img src=x onerror="window.__xss=1;alert(1)"&gt;</code>' in html
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert "<" not in title  # the quotes as entities, shown as quotes
    assert html_module.unescape(title).startswith("测试\"引号\"与'单引号'的 XSS 案例")


# --- layer 3: Chromium -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def xss_url(xss_site) -> Iterator[str]:
    with serve_folder(xss_site) as url:
        yield url


# Fire the events inline handlers listen to, on every element of the content.
PROVOKE_JS = """
() => {
  const names = ["mouseover", "mouseenter", "focus", "load", "error", "toggle", "animationstart"];
  for (const el of document.querySelectorAll("article *")) {
    for (const name of names) el.dispatchEvent(new Event(name));
    if (!el.closest("a")) el.dispatchEvent(new MouseEvent("click", {bubbles: true}));
  }
}
"""

# Everything in the live DOM of the content that could run script.
INSPECT_JS = """
() => {
  const found = [];
  // The gallery's own filter (a form and one same-site script) is expected.
  const own = (el) => el.matches('form#cases-filter, script[src$="assets/js/cases-filter.js"]');
  for (const el of document.querySelectorAll("article *")) {
    const tag = el.tagName.toLowerCase();
    if (own(el)) continue;
    if (["script", "iframe", "object", "embed", "form", "base", "meta", "style"].includes(tag))
      found.push(tag);
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (attr.name.startsWith("on")) found.push(`${tag}[${attr.name}]`);
      if (/^(javascript|vbscript|data):/.test(value)) found.push(`${tag}[${attr.name}=${value}]`);
    }
  }
  // Our own Content-Security-Policy <meta> is the one http-equiv a page may carry.
  const other = 'meta[http-equiv]:not([http-equiv="Content-Security-Policy" i])';
  if (document.querySelector("base, " + other)) found.push("base or meta refresh");
  if (document.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]').length > 1)
    found.push("a second policy");
  return found;
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("path", [VALID_PAGE, BYPASS_PAGE, "/cases/", "/cases/recommended/",
                                  "/boards/beigang/", "/campaigns/fenchen/", "/"])
def test_no_script_runs_in_chromium(browser, xss_url, path):
    context = browser.new_context(locale="zh-CN", service_workers="block")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))

    def guard(route):
        if urlsplit(route.request.url).hostname in ("127.0.0.1", None):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        response = page.goto(xss_url + path, wait_until="load")
        assert response is not None and response.status == 200
        page.wait_for_load_state("networkidle")
        page.evaluate(PROVOKE_JS)
        for link in page.locator("article a").all()[:40]:
            link.hover()
        page.wait_for_timeout(300)
        assert dialogs == []
        assert page.evaluate("window.__xss") is None
        assert page.evaluate(INSPECT_JS) == []
        assert errors == []
        foreign = [url for url in requests
                   if urlsplit(url).scheme in ("http", "https")
                   and urlsplit(url).hostname != "127.0.0.1"]
        assert foreign == []
        assert page.url == xss_url + path  # no redirect (meta refresh, base, form)
    finally:
        context.close()


@pytest.mark.browser
def test_gallery_filter_works_and_degrades(browser, xss_url):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(xss_url + "/cases/")
        total = page.locator("#case-list li").count()
        assert total >= 8
        assert page.locator("#cases-filter").is_hidden()  # no JavaScript: full list, no form
        assert page.locator("#case-list li:visible").count() == total
    finally:
        context.close()
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(xss_url + "/cases/")
        page.select_option("select[data-filter=board]", "beigang")
        shown = page.locator("#case-list li:visible")
        assert shown.count() == 2
        assert page.locator("#cases-count").text_content() == f"显示 2 / {total} 个案例"
        page.select_option("select[data-filter=campaign]", "youxian-kongjian")
        assert shown.count() == 0
        assert page.locator("#cases-empty").is_visible()
        page.goto(xss_url + "/cases/?campaign=youxian-kongjian")
        assert page.locator("#case-list li:visible").count() == 1
    finally:
        context.close()
