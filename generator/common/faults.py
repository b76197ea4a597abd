"""Fault injection for the robustness tests: PORTAL_FAULT names a step and what goes wrong there.

`PORTAL_FAULT=swap:after-first-rename` kills the process (SIGKILL, as a power cut or the OOM
killer would) when it reaches that step; `PORTAL_FAULT=write:file=ENOSPC` raises the OSError a
full disk raises there. Several may be given, separated by commas. The steps:

- `staging`: creating the staging folder of build/docs or site/
- `write:file`: writing a generated file into build/docs' staging folder
- `swap:before-first-rename`, `swap:after-first-rename`, `swap:after-second-rename`
- `cache:store`: writing a cache entry
- `publish:file`: writing a compressed copy into site/'s staging folder
"""

from __future__ import annotations

import errno
import os
import signal
from pathlib import Path

VARIABLE = "PORTAL_FAULT"


def point(step: str, path: Path | None = None) -> None:
    """Do what PORTAL_FAULT asks for at this step, if anything: die, or raise OSError."""
    for item in os.environ.get(VARIABLE, "").split(","):
        name, _, error = item.strip().partition("=")
        if name != step:
            continue
        if not error:
            os.kill(os.getpid(), signal.SIGKILL)
        code = getattr(errno, error)
        raise OSError(code, os.strerror(code), None if path is None else str(path))
