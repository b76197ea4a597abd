"""The two site engines that turn build/docs into a site: MkDocs (the default) and Zensical.

Both read one configuration the generator writes beside the pages, build/mkdocs.yml. It
INHERITs the project's mkdocs.yml (theme, extensions, plugins: edited by hand) and adds what only
the generator knows — the navigation and the site flags under `extra` — plus the paths, which
both engines resolve against the folder of the file they were given. No MkDocs hook is needed,
so Zensical, which ignores `hooks:`, builds the same navigation and the same sample banner.

The two engines merge INHERIT differently (MkDocs replaces lists, Zensical appends them), so the
generated file sets no list that mkdocs.yml also sets: `nav` lives only here.

    python -m generator.site.engines zensical build/mkdocs.yml SITE_DIR   # what publish runs
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from generator.common.paths import Paths

ENGINES = ("mkdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"
OVERRIDES = "overrides"
"""Theme overrides beside the project's mkdocs.yml (its theme.custom_dir, tested to agree)."""
SITE_DIR = "site"
"""Where a direct engine run writes, relative to build/: Zensical refuses a site_dir outside
its configuration's folder. `publish` builds elsewhere and swaps the result into site/."""
HEADER = ("# Written by `python -m generator build`: do not edit. Settings belong in the\n"
          "# project's mkdocs.yml (INHERIT below); the navigation and `extra` come from data/.\n")


def site_config(paths: Paths, nav: list, extra: dict, site_url: str | None = None) -> bytes:
    """Return the engine configuration for build/docs: INHERIT, paths, nav and extra."""
    import yaml  # here, not at the top: the CLI imports this module and a no-op build is 0.1 s

    base = paths.site_config.parent
    settings = {
        "INHERIT": _relative(paths.config, base),
        "docs_dir": _relative(paths.out, base),
        "site_dir": SITE_DIR,
        "theme": {"custom_dir": _relative(paths.config.parent / OVERRIDES, base)},
        "nav": nav,
        "extra": extra,
    }
    if site_url:  # data/site.yaml's, or SITE_URL's when the deploy sets it (generator.inputs.load)
        settings["site_url"] = site_url
    text = yaml.safe_dump(settings, allow_unicode=True, sort_keys=False, width=1000)
    return (HEADER + text).encode("utf-8")


def _relative(path: Path, start: Path) -> str:
    # Relative, so the same checkout gives the same bytes wherever it lives.
    return Path(os.path.relpath(path.absolute(), start.absolute())).as_posix()




def site_command(engine: str, config: Path, site_dir: Path) -> list[str]:
    """Return the command that builds the site from config into site_dir, failing on warnings."""
    # Absolute: MkDocs resolves a relative --site-dir against the configuration's folder.
    site_dir = site_dir.absolute()
    if engine == "mkdocs":
        # No --quiet: it hides warnings from MkDocs' count, and --strict would then pass
        # broken links.
        return [sys.executable, "-m", "mkdocs", "build", "--strict",
                "--config-file", str(config), "--site-dir", str(site_dir)]
    if engine == "zensical":
        return [sys.executable, "-m", "generator.site.engines", "zensical", str(config),
                str(site_dir)]
    raise ValueError(f"未知的站点引擎 {engine!r} — 可选：{'、'.join(ENGINES)}")


def zensical_build(config: Path, site_dir: Path) -> int:
    """Run `zensical build --strict` on config and move the finished site to site_dir.

    Zensical has no --site-dir option and keeps site_dir inside its configuration's folder, so
    it builds through a two-line configuration beside config (INHERIT config, a private
    site_dir); its incremental cache stays in build/.cache, away from the project's .cache/.
    """
    # Imported here: the CLI imports this module for its engine names on every run.
    import shutil
    import subprocess
    import tempfile

    import yaml

    base = config.parent
    with tempfile.TemporaryDirectory(dir=base, prefix=".zensical-") as work:
        output = Path(work) / "site"
        run_config = Path(work + ".yml")
        settings = {"INHERIT": config.name, "site_dir": _relative(output, base)}
        run_config.write_text(yaml.safe_dump(settings), encoding="utf-8")
        try:
            done = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict",
                                   "--config-file", str(run_config)],
                                  env={**os.environ, "NO_COLOR": "1"})
        finally:
            run_config.unlink(missing_ok=True)
        if done.returncode != 0:
            return done.returncode
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.move(output, site_dir)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 3 or args[0] != "zensical":
        print("用法：python -m generator.site.engines zensical <配置文件> <站点目录>",
              file=sys.stderr)
        return 2
    return zensical_build(Path(args[1]), Path(args[2]))


if __name__ == "__main__":
    raise SystemExit(main())
