"""The README's 代码结构 describes the package as it is: every module it names exists, and every
module of generator/ is named there, under the stage folder it lives in."""

from __future__ import annotations

import re

from helpers import ROOT

PACKAGE = ROOT / "generator"
SECTION = re.compile(r"^## 代码结构\n(.*?)^## ", re.M | re.S)
NAMED = re.compile(r"`([a-z_/]+(?:\.py|/))`")


def code_structure() -> str:
    found = SECTION.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert found, "README.md has no section 「代码结构」"
    return found.group(1)


def named_paths() -> set[str]:
    """Modules named in the section, as paths inside generator/: a table row's modules sit in
    the folder its first cell names (`inputs/`); other names sit at the top (`build.py`)."""
    paths = set()
    for line in code_structure().splitlines():
        cells = line.split("|")
        folder = NAMED.match(cells[1].strip()) if len(cells) > 2 else None
        prefix = folder.group(1) if folder and folder.group(1).endswith("/") else ""
        if prefix:
            paths.add(prefix)
        text = "|".join(cells[2:]) if prefix else line
        paths.update(prefix + name for name in NAMED.findall(text) if not name.startswith(
            ("tests/", "generator/")))
    return paths


def test_every_module_the_readme_names_exists():
    missing = sorted(path for path in named_paths() if not (PACKAGE / path).exists())
    assert not missing, f"README 代码结构 names what generator/ does not hold: {missing}"


def test_every_module_is_named_in_the_readme():
    named = named_paths()
    modules = sorted(path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
                     if path.name not in ("__init__.py", "__main__.py")
                     and "plan_import" not in path.parts)
    unnamed = [module for module in modules if module not in named]
    assert not unnamed, f"README 代码结构 does not name: {unnamed}"


def test_each_stage_has_its_folder():
    for stage in ("inputs/", "evaluate/", "pages/", "outputs/", "site/", "common/"):
        assert (PACKAGE / stage / "__init__.py").is_file(), stage
        assert stage in named_paths(), stage
