"""Write stage: the one place generated files reach the disk.

A build is swapped in whole, unchanged files keep their bytes and mtime (hard links into the
staging folder), and a build that changes nothing touches nothing, so `mkdocs serve` does not
loop and a failed build never damages the last good output.

The invariant, for build/docs and site/ alike: at every moment <dest> is a complete tree, or
<dest> is absent and .<dest>.previous holds the complete previous tree. A run fills a staging
folder of its own (.<dest>.staging-<random>), renames dest to .previous and the staging folder
to dest, then deletes .previous. Only a kill between the two renames leaves dest absent, and
recover() puts .previous back; it runs under the build lock (generator.site.lock) at the start of
every build (on build/docs) and publish (on build/docs, which it reads, and site/). Under the
lock no other run is filling a staging folder, so recover() also deletes those left by killed
runs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.common import faults
from generator.common.problems import OutputError, cannot_write, display_path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WriteStats:
    """What one write did to the output folder, file by file."""

    written: int
    """New files, and files whose bytes changed."""
    unchanged: int
    """Files that already held these bytes: left alone, mtime and all."""
    removed: int
    """Files no longer generated (a page that went away)."""


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
    with staging(dest) as folder:
        for rel in sorted(files):
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if rel in changed:
                faults.point("write:file", target)
                target.write_bytes(files[rel])
            else:
                _link_or_copy(current[rel], target)
        swap_in(folder, dest)
    return WriteStats(len(changed), len(files) - len(changed), len(removed))


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@contextlib.contextmanager
def staging(dest: Path) -> Iterator[Path]:
    """Yield a new empty folder beside dest, to be filled and swapped in; else it is removed.

    Any OSError on the way (a full disk, a read-only folder) becomes an OutputError naming dest.
    """
    folder = None
    try:
        faults.point("staging", dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f".{dest.name}.staging-", dir=dest.parent))
        os.chmod(folder, 0o755)  # mkdtemp makes it private; what we publish is public
        yield folder
    except OSError as error:
        raise cannot_write(dest, error) from error
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)  # already gone once swapped in


def swap_in(staging: Path, dest: Path) -> None:
    """Put the complete tree `staging` at dest with two renames (see the invariant above)."""
    backup = previous(dest)
    faults.point("swap:before-first-rename")
    if dest.exists():
        os.rename(dest, backup)
    faults.point("swap:after-first-rename")
    try:
        os.rename(staging, dest)
    except OSError:
        if backup.exists():
            os.rename(backup, dest)
        raise
    faults.point("swap:after-second-rename")
    shutil.rmtree(backup, ignore_errors=True)


def previous(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.previous")


def recover(dest: Path) -> None:
    """Undo what a killed run left: put .previous back if dest is missing, drop staging folders.

    Call it only while holding the build lock.
    """
    backup = previous(dest)
    if backup.exists() and not dest.exists():
        try:
            os.rename(backup, dest)
        except OSError as error:
            raise cannot_write(dest, error) from error
        log.warning("上次运行在替换 %s 时被中断，已恢复为之前的内容。", display_path(dest))
    shutil.rmtree(backup, ignore_errors=True)
    for leftover in dest.parent.glob(f".{dest.name}.staging*"):
        shutil.rmtree(leftover, ignore_errors=True)
    if backup.exists():
        raise OutputError(backup, "无法删除上次替换时留下的旧版本",
                          "请确认它可以删除（检查权限），删除后重新运行")
