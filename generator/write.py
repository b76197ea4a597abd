"""Write stage: the one place generated files reach the disk.

A build is swapped in whole (staging folder + rename), unchanged files keep their bytes and
mtime (hard links into the staging folder), and a build that changes nothing touches nothing,
so `mkdocs serve` does not loop and a failed build never damages the last good output.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def existing_files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {path.relative_to(folder).as_posix(): path
            for path in folder.rglob("*") if path.is_file()}


def _same(path: Path | None, data: bytes) -> bool:
    if path is None:
        return False
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def write_tree(dest: Path, files: Mapping[str, bytes]) -> WriteStats:
    """Make dest hold exactly `files`, swapping a complete new tree in only if anything changed."""
    current = existing_files(dest)
    changed = {rel for rel, data in files.items() if not _same(current.get(rel), data)}
    removed = [rel for rel in current if rel not in files]
    if not changed and not removed:
        return WriteStats(0, len(files), 0)
    staging = dest.with_name(f".{dest.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    for rel in sorted(files):
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel in changed:
            target.write_bytes(files[rel])
        else:
            _link_or_copy(current[rel], target)
    swap_in(staging, dest)
    return WriteStats(len(changed), len(files) - len(changed), len(removed))


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def swap_in(staging: Path, dest: Path) -> None:
    """Replace dest by staging with two renames; restore dest if the second one fails."""
    backup = dest.with_name(f".{dest.name}.previous")
    shutil.rmtree(backup, ignore_errors=True)
    if dest.exists():
        os.rename(dest, backup)
    try:
        os.rename(staging, dest)
    except OSError:
        if backup.exists():
            os.rename(backup, dest)
        raise
    shutil.rmtree(backup, ignore_errors=True)
