"""Both site engines from one generated configuration; gzip copies; chart image sizes."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURE_AS_OF, ROOT, copy_project, run_cli

if str(ROOT) not in sys.path:  # benchmarks/ is not installed with the package
    sys.path.insert(0, str(ROOT))

from generator.common.paths import Paths
from generator.outputs.charts import ChartDrawer, ChartSize, svg_size
from generator.site import engines
from generator.site.precompress import precompress


class _AnyTag(yaml.SafeLoader):
    """Read mkdocs.yml without running its tags (!ENV, !!python/name:…)."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)


def project_config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTag)


# --- the generated configuration --------------------------------------------------------------

def test_site_config_inherits_the_project_config_and_rebases_its_paths():
    config = yaml.safe_load(engines.site_config(Paths(), [{"首页": "index.md"}],
                                                {"sample_data": True}))
    assert config == {"INHERIT": "../mkdocs.yml", "docs_dir": "docs", "site_dir": "site",
                      "theme": {"custom_dir": "../overrides"}, "nav": [{"首页": "index.md"}],
                      "extra": {"sample_data": True}}


def test_project_config_needs_no_hook_and_shares_no_list_with_the_generated_one():
    base = project_config()
    assert "hooks" not in base
    assert base["theme"]["custom_dir"] == engines.OVERRIDES
    # MkDocs replaces an inherited list, Zensical appends to it: only one file may set each.
    generated = yaml.safe_load(engines.site_config(Paths(), [], {}))
    assert not {key for key, value in generated.items() if isinstance(value, list)} & set(base)


def test_overrides_use_only_blocks_both_themes_have():
    # Overriding a partial (search.html) broke Zensical's header; main.html blocks are shared.
    files = sorted(p.relative_to(ROOT / "overrides").as_posix()
                   for p in (ROOT / "overrides").rglob("*") if p.is_file())
    assert files == ["main.html", "partials/search-on-demand.html"]
    main = (ROOT / "overrides/main.html").read_text(encoding="utf-8")
    assert set(re.findall(r"{% block (\w+) %}", main)) == {"extrahead", "announce", "content"}
    script = (ROOT / "overrides/partials/search-on-demand.html").read_text(encoding="utf-8")
    assert "{{" not in script and "{%" not in script  # plain JavaScript in both template engines


@pytest.mark.parametrize(("engine", "expected"), [
    ("mkdocs", ["-m", "mkdocs", "build", "--strict", "--config-file", "build/mkdocs.yml",
                "--site-dir"]),
    ("zensical", ["-m", "generator.site.engines", "zensical", "build/mkdocs.yml"]),
])
def test_site_command(engine, expected, tmp_path):
    command = engines.site_command(engine, Path("build/mkdocs.yml"), tmp_path / "out")
    assert command[0] == sys.executable
    assert command[1:-1] == expected and command[-1] == str(tmp_path / "out")


def test_unknown_engine_is_named_with_the_choices():
    with pytest.raises(ValueError, match="未知的站点引擎 'hugo' — 可选：mkdocs、zensical"):
        engines.site_command("hugo", Path("build/mkdocs.yml"), Path("site"))


def test_publish_without_generated_pages_explains_itself(tmp_path):
    root = copy_project(tmp_path / "bare")
    for engine in engines.ENGINES:
        result = run_cli(root, "publish", "--engine", engine)
        assert result.code == 1
        assert ("找不到 build/mkdocs.yml：请先运行 `make site`（或 python -m generator build）"
                "生成页面，再构建站点。") in result.err


# --- gzip copies -------------------------------------------------------------------------------

def test_precompress_writes_deterministic_gzip_beside_large_text_files(tmp_path):
    page = "<p>钟楼区安全生产</p>\n" * 200
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text(page, encoding="utf-8")
    (tmp_path / "small.css").write_text("a{}", encoding="utf-8")
    (tmp_path / "chart.png").write_bytes(b"\x89PNG" + b"\0" * 4000)
    (tmp_path / "random.json").write_bytes(os.urandom(3000))  # does not shrink: no copy
    assert precompress(tmp_path) == 1
    packed = (tmp_path / "a/index.html.gz").read_bytes()
    assert gzip.decompress(packed).decode("utf-8") == page
    assert packed[3] == 0 and packed[4:8] == b"\0\0\0\0"  # no FNAME flag, mtime 0
    assert sorted(p.name for p in tmp_path.rglob("*.gz")) == ["index.html.gz"]
    precompress(tmp_path)
    assert (tmp_path / "a/index.html.gz").read_bytes() == packed


# --- chart image sizes -------------------------------------------------------------------------

def test_svg_size_is_the_figure_size_in_css_pixels():
    root = b'<?xml?>\n<svg role="img" width="576pt" height="198.9pt" viewBox="0 0 576 198.9">'
    assert svg_size(root) == ChartSize(768, 265)


def test_drawer_starts_its_workers_early_only_on_a_cold_cache(tmp_path):
    with ChartDrawer(tmp_path, workers=2) as cold:
        assert cold._pool is not None
    (tmp_path / "0123.svg").write_bytes(b"<svg/>")
    with ChartDrawer(tmp_path, workers=2) as warm:
        assert warm._pool is None


# --- both engines, end to end -----------------------------------------------------------------

@pytest.fixture(scope="module")
def both_sites(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("engines"))
    assert run_cli(root, "build", "--as-of", FIXTURE_AS_OF).code == 0
    for engine, site in (("mkdocs", "site"), ("zensical", "site-zensical")):
        result = run_cli(root, "publish", "--engine", engine, "--site", site)
        assert result.code == 0, result.out + result.err
    return root


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


@pytest.mark.slow
def test_both_engines_build_the_same_pages_with_the_generated_nav(both_sites):
    mkdocs, zensical = both_sites / "site", both_sites / "site-zensical"
    assert html_pages(mkdocs) == html_pages(zensical)
    tabs = {}
    for site in (mkdocs, zensical):
        home = (site / "index.html").read_text(encoding="utf-8")
        links = re.findall(r'<a href="([^"]*)" class="md-tabs__link', home)
        tabs[site.name] = [re.sub(r"^\./|^\.$", "", link) for link in links]
        assert "示例数据（演示）" in home and "构建方式有误" not in home
    # The generated tabs, in order (an automatic nav would have a tab per folder).
    assert tabs["site"] == tabs["site-zensical"] == [
        "", "pillars/xiaoqiekou/", "boards/zouqu/", "cases/", "2022/", "contacts/"]


@pytest.mark.slow
def test_every_page_of_both_engines_carries_the_sample_banner_and_gzip(both_sites):
    for name in ("site", "site-zensical"):
        site = both_sites / name
        for page in site.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert "示例数据（演示）：" in text, page
            assert "search-on-demand" not in text  # the template comment stays out
        assert (site / "index.html.gz").is_file()


@pytest.mark.slow
def test_zensical_keeps_its_cache_out_of_the_project_cache(both_sites):
    # zensical build --clean empties <config folder>/.cache: it must not be the chart cache.
    assert (both_sites / "build/.cache").is_dir()
    assert (both_sites / ".cache/charts").is_dir()
    assert not list((both_sites / "build").glob(".zensical-*"))


@pytest.mark.slow
def test_a_direct_mkdocs_build_from_the_project_config_says_it_is_wrong(both_sites, tmp_path):
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "s")]
    done = subprocess.run(command, cwd=both_sites, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    home = (tmp_path / "s/index.html").read_text(encoding="utf-8")
    assert "构建方式有误" in home and "请用 make site 构建" in home


def test_deleting_the_generated_config_forces_a_rebuild(tmp_path):
    root = copy_project(tmp_path / "p")
    assert run_cli(root, "build", "--as-of", FIXTURE_AS_OF).code == 0
    config = root / "build/mkdocs.yml"
    good = config.read_bytes()
    config.unlink()
    again = run_cli(root, "build", "--as-of", FIXTURE_AS_OF)
    assert not again.out.startswith("输入未变") and config.read_bytes() == good
    assert run_cli(root, "build", "--as-of", FIXTURE_AS_OF).out.startswith("输入未变")


# --- the gzip_static-style preview server ---------------------------------------------------

@pytest.mark.parametrize(("header", "expected"), [
    ("gzip, deflate, br", True), ("br;q=1, gzip;q=0.5", True), ("*", True),
    ("gzip;q=0", False), ("identity", False), ("", False)])
def test_accepts_gzip(header, expected):
    from benchmarks.serve import accepts_gzip

    assert accepts_gzip(header) is expected


def test_server_sends_the_gzip_copy_with_cache_headers(tmp_path):
    import urllib.error
    import urllib.request

    from benchmarks.serve import serving

    (tmp_path / "index.html").write_text("<p>首页</p>" * 300, encoding="utf-8")
    (tmp_path / "bundle.a5f9d56c.min.js").write_text("var a;" * 300, encoding="utf-8")
    (tmp_path / "404.html").write_text("没有这个页面", encoding="utf-8")
    precompress(tmp_path)

    def get(url: str, encoding: str) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    with serving(tmp_path) as base:
        status, headers, body = get(base + "/", "gzip")
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == (tmp_path / "index.html").read_bytes()
        assert headers["Vary"] == "Accept-Encoding" and headers["Cache-Control"] == "no-cache"
        status, headers, body = get(base + "/index.html", "identity")
        assert "Content-Encoding" not in headers and body == (tmp_path / "index.html").read_bytes()
        _, headers, _ = get(base + "/bundle.a5f9d56c.min.js", "gzip")
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        status, _, body = get(base + "/missing/", "identity")
        assert status == 404 and body.decode("utf-8") == "没有这个页面"
