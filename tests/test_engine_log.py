"""The site engines' warnings, explained in Chinese (log lines as MkDocs 1.6 and Zensical print them)."""

from generator.site.engine_log import explain

MKDOCS_LOG = """\
INFO    -  Building documentation to directory: /tmp/site
WARNING -  Doc file 'broken.md' contains a link 'missing.md', but the target is not found among documentation files.
WARNING -  Doc file 'boards/beigang/index.md' contains a link '#nowhere', but there is no such anchor on this page.
WARNING -  Doc file 'broken.md' contains a link 'notice/index.md#x', but the doc 'notice/index.md' does not contain an anchor '#x'.
WARNING -  Config value 'foo': Unrecognised configuration name: foo

Aborted with 4 warnings in strict mode!
"""

# As Zensical 0.0.73 prints it, colours included (NO_COLOR is not honoured).
ZENSICAL_LOG = (
    "Build started\n"
    "\x1b[33mWarning:\x1b[0m page does not exist\n"
    "   \x1b[38;5;246m╭─[\x1b[0m broken.md:3:10 \x1b[38;5;246m]\x1b[0m\n"
    "   \x1b[38;5;246m│\x1b[0m\n"
    "\x1b[33mWarning:\x1b[0m anchor does not exist\n"
    "   \x1b[38;5;246m╭─[\x1b[0m broken.md:5:7 \x1b[38;5;246m]\x1b[0m\n"
    "\x1b[33mWarning:\x1b[0m unknown thing\n"
    "2 issues found\n")


def test_mkdocs_warnings_become_one_chinese_line_each():
    assert explain(MKDOCS_LOG, "build/docs") == [
        "build/docs/broken.md: 链接“missing.md”指向的页面不存在",
        "build/docs/boards/beigang/index.md: 链接“#nowhere”指向本页中不存在的锚点",
        "build/docs/broken.md: 链接“notice/index.md#x”指向的锚点 #x 在 notice/index.md 中不存在",
        "MkDocs 警告：Config value 'foo': Unrecognised configuration name: foo",
    ]


def test_zensical_warnings_name_the_place_from_the_box_below():
    assert explain(ZENSICAL_LOG, "build/docs") == [
        "build/docs/broken.md:3:10: 链接指向的页面不存在",
        "build/docs/broken.md:5:7: 链接指向的锚点不存在",
        "Zensical 警告：unknown thing",
    ]


def test_a_log_without_warnings_explains_nothing():
    assert explain("INFO    -  Cleaning site directory\nTraceback (most recent call last):\n",
                   "build/docs") == []
