"""The helpers every stage shares (generator/common, site/cache.get_or_make), with hand-made values."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest

from generator.common.dates import month_end, months_later
from generator.common.files import write_atomically, write_if_changed
from generator.common.numerals import chinese_number, parse_chinese_number, quarter_name
from generator.common.urls import markdown_root, page_url, relative_url
from generator.site import cache


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (4, "四"), (10, "十"), (12, "十二"),
                                         (20, "二十"), (40, "四十"), (99, "九十九"),
                                         (0, "0"), (100, "100")])
def test_chinese_number(n, text):
    assert chinese_number(n) == text


@pytest.mark.parametrize(("text", "n"), [("一", 1), ("两", 2), ("十", 10), ("十二", 12),
                                         ("二十", 20), ("四十三", 43), ("3", 3), ("12", 12),
                                         ("零", None), ("十十", None), ("一十", None),
                                         ("二十零", None), ("", None), ("三五", None), ("百", None)])
def test_parse_chinese_number(text, n):
    assert parse_chinese_number(text) == n


def test_numbers_read_back_as_written():
    assert [parse_chinese_number(chinese_number(n)) for n in range(1, 100)] == list(range(1, 100))


@pytest.mark.parametrize(("day", "end"), [("2023-02-10", "2023-02-28"), ("2024-02-01", "2024-02-29"),
                                          ("2023-12-25", "2023-12-31"), ("2023-04-30", "2023-04-30")])
def test_month_end(day, end):
    assert month_end(dt.date.fromisoformat(day)) == dt.date.fromisoformat(end)


@pytest.mark.parametrize(("day", "months", "first"), [("2023-11-05", 3, "2024-02-01"),
                                                      ("2023-01-31", 1, "2023-02-01"),
                                                      ("2023-06-25", 0, "2023-06-01"),
                                                      ("2023-12-01", 12, "2024-12-01")])
def test_months_later(day, months, first):
    assert months_later(dt.date.fromisoformat(day), months) == dt.date.fromisoformat(first)


@pytest.mark.parametrize(("md", "url"), [("campaigns/fenchen.md", "campaigns/fenchen/"),
                                         ("index.md", ""), ("cases/index.md", "cases/"),
                                         ("2022/boards/beigang.md", "2022/boards/beigang/")])
def test_page_url(md, url):
    assert page_url(md) == url


@pytest.mark.parametrize(("md", "root"), [("index.md", ""), ("campaigns/fenchen.md", "../"),
                                          ("2022/boards/beigang.md", "../../")])
def test_markdown_root(md, root):
    assert markdown_root(md) == root


@pytest.mark.parametrize(("page", "target", "url"), [
    ("cases/index.md", "cases/2023/beigang/x.md", "2023/beigang/x/"),
    ("cases/2023/beigang/x.md", "cases/2023/beigang/a.jpg", "../a.jpg"),
    ("cases/2023/beigang/x.md", "cases/2023/beigang/x.md", "./"),
    ("cases/index.md", "assets/js/案例.js", "../assets/js/%E6%A1%88%E4%BE%8B.js"),
])
def test_relative_url(page, target, url):
    assert relative_url(page, target) == url


def test_an_atomic_write_leaves_a_public_file_and_no_temporary(tmp_path):
    path = tmp_path / "deep" / "file.txt"
    write_atomically(path, b"one")
    assert path.read_bytes() == b"one"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["file.txt"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "file.txt"
    write_atomically(path, b"old")
    with pytest.raises(TypeError):
        write_atomically(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


def test_an_unchanged_file_is_left_untouched(tmp_path):
    """The engines' configuration: `mkdocs serve` rebuilds on every new mtime of it."""
    path = tmp_path / "build/mkdocs.yml"
    assert write_if_changed(path, b"a: 1\n") is True
    os.utime(path, (1_000_000, 1_000_000))
    assert write_if_changed(path, b"a: 1\n") is False
    assert path.stat().st_mtime == 1_000_000
    assert write_if_changed(path, b"a: 2\n") is True and path.read_bytes() == b"a: 2\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["mkdocs.yml"]


def test_get_or_make_makes_once_then_reads(tmp_path):
    made = []

    def make() -> bytes:
        made.append(1)
        return b"drawn"

    assert cache.get_or_make(tmp_path, "k", ".svg", make) == (b"drawn", False)
    assert cache.get_or_make(tmp_path, "k", ".svg", make) == (b"drawn", True)
    assert len(made) == 1
    assert cache.get_or_make(None, "k", ".svg", make) == (b"drawn", False)
    assert len(made) == 2


def test_quarter_name():
    assert [quarter_name(q) for q in (1, 2, 3, 4)] == ["第一季度", "第二季度", "第三季度", "第四季度"]
