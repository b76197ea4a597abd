"""One build or publish at a time per project: an exclusive flock on <project>/.build.lock.

The project folder is the one holding mkdocs.yml and .cache/. The kernel drops a flock when the
last descriptor of its open file goes, however the holder exits, so a killed run never leaves a
stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import math
import os
import time
from collections.abc import Iterator
from pathlib import Path

from generator.common.problems import OutputError, cannot_write

log = logging.getLogger(__name__)

NAME = ".build.lock"
WAIT_VARIABLE = "PORTAL_LOCK_WAIT"
POLL_SECONDS = 0.2


class Busy(OutputError):
    """Another run held the lock for longer than we were allowed to wait."""

    def __init__(self, path: Path, wait: float):
        waited = f"，等待 {wait:g} 秒后仍未结束" if wait > 0 else ""
        super().__init__(path, f"另一个构建正在进行{waited}",
                         f"请等它完成后再运行；环境变量 {WAIT_VARIABLE} 可设定最多等待的秒数"
                         "（不设则一直等待）")


def lock_file(project: Path) -> Path:
    return project / NAME


@contextlib.contextmanager
def held(path: Path, wait: float | None = None) -> Iterator[int]:
    """Hold the lock while the block runs and yield its descriptor.

    Wait up to `wait` seconds for another holder (None: PORTAL_LOCK_WAIT, unset means no
    limit), saying once that we wait; then raise Busy. `wait=0` tries once, silently.
    """
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise cannot_write(path, error) from error
    try:
        _acquire(descriptor, path, _wait_seconds() if wait is None else wait)
        yield descriptor
    finally:
        os.close(descriptor)  # releases the lock


def _acquire(descriptor: int, path: Path, wait: float) -> None:
    if _try(descriptor):
        return
    if wait <= 0:
        raise Busy(path, wait)
    log.warning("另一个构建正在进行，等待其完成…")
    if math.isinf(wait):
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        return
    deadline = time.monotonic() + wait
    while not _try(descriptor):
        if time.monotonic() >= deadline:
            raise Busy(path, wait)
        time.sleep(POLL_SECONDS)


def _try(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _wait_seconds() -> float:
    value = os.environ.get(WAIT_VARIABLE, "").strip()
    try:
        return float(value) if value else math.inf
    except ValueError:
        raise OutputError(WAIT_VARIABLE, f"应为秒数，收到 '{value}'",
                          "例如 PORTAL_LOCK_WAIT=600；不设则一直等待") from None
