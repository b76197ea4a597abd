"""Recognise a build whose inputs have not changed, before importing the pipeline.

A successful build records a fingerprint of everything that shapes its output — the files under
data/ and docs/, the generator's own code and templates, the requested as-of date (or today's
date when none is given), SITE_URL, and the versions of the libraries that draw charts and
forms — together with the size and mtime of every file it wrote. When both still match, the
output is already what a new build would write, so nothing is read, computed or written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

from generator.common.paths import Paths
from generator.site import cache

PACKAGE = Path(__file__).resolve().parents[1]
"""The generator package: its code and templates shape the output too."""
LIBRARIES = ("matplotlib", "mplfonts", "openpyxl", "icalendar", "jinja2", "pydantic", "pyyaml",
             "nh3", "markdown-it-py", "feedgen", "python-docx")


def fingerprint(paths: Paths, as_of: dt.date | None, today: dt.date) -> str:
    digest = hashlib.sha256()
    for root in (paths.data, paths.static, PACKAGE):
        for path in _files(root):
            digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
            if path.is_symlink():  # never read through a link: the build refuses it anyway
                digest.update(f"link\0{os.readlink(path)}\0".encode())
            else:
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    requested = as_of.isoformat() if as_of else f"today={today.isoformat()}"
    digest.update(f"as_of={requested}\0site_url={os.environ.get('SITE_URL', '')}\0".encode())
    for name in LIBRARIES:
        digest.update(f"{name}={_version(name)}\0".encode())
    return digest.hexdigest()


def _files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*")
                  if (p.is_symlink() or p.is_file()) and "__pycache__" not in p.parts
                  and p.suffix != ".pyc")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def manifest(paths: Paths) -> dict[str, list[int]]:
    """Size and mtime of every file the build wrote: the pages and the engines' configuration."""
    found = {}
    if paths.out.is_dir():
        found = {p.relative_to(paths.out).as_posix(): [p.stat().st_size, p.stat().st_mtime_ns]
                 for p in sorted(paths.out.rglob("*")) if p.is_file()}
    config = paths.site_config
    if config.is_file():
        found[f"../{config.name}"] = [config.stat().st_size, config.stat().st_mtime_ns]
    return found


def _stamp_key(paths: Paths) -> str:
    where = hashlib.sha256(str(paths.out.resolve()).encode()).hexdigest()[:16]
    return f"build-stamp-{where}"


def unchanged(paths: Paths, key: str) -> dict | None:
    """Return the recorded summary of the last build if its inputs and output are untouched."""
    data = cache.read(paths.cache, _stamp_key(paths), ".json")
    if data is None:
        return None
    try:
        stamp = json.loads(data)
        # Read without the build lock (before the pipeline is imported): a build swapping the
        # output in meanwhile may remove files under our feet, which only means "changed".
        current = manifest(paths)
    except (OSError, ValueError):
        return None
    if stamp.get("fingerprint") != key or stamp.get("manifest") != current:
        return None
    return stamp.get("summary")


def record(paths: Paths, key: str, summary: dict) -> None:
    """Remember a successful build; a stamp that cannot be written only costs a rebuild later."""
    stamp = {"fingerprint": key, "summary": summary, "manifest": manifest(paths)}
    data = json.dumps(stamp, ensure_ascii=False).encode("utf-8")
    cache.store(paths.cache, _stamp_key(paths), ".json", data)
