"""Read input files only as the real files they are inside the repository.

A symbolic link under data/ or docs/ could point anywhere on the machine that builds the site
(beigang.csv → /etc/passwd), and whatever it points at would be read, echoed in a message or
published. So every reader lists and opens files through this module: links are never followed,
only regular files are read, and each link found is a problem naming the link itself.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from generator.common.problems import InputError, Problems

LINK_MESSAGE = "不能使用符号链接（快捷方式）"
LINK_HINT = "请删除这个链接，把文件本身（而不是指向它的快捷方式）放在这里后重新提交"
SPECIAL_MESSAGE = "不是普通文件（可能是设备、管道或套接字）"
SPECIAL_HINT = "请删除它，只放报表、案例、图片等普通文件"


def files(folder: Path, problems: Problems) -> list[Path]:
    """Every regular file under folder, sorted; each link (file or folder) is a problem.

    Linked folders are not entered, so nothing outside the checkout is ever listed.
    """
    found: list[Path] = []
    if not folder.is_dir() or folder.is_symlink():
        return found
    for top, folders, names in os.walk(folder, followlinks=False):
        here = Path(top)
        for name in sorted(folders):
            if (here / name).is_symlink():
                problems.add(here / name, message=LINK_MESSAGE, hint=LINK_HINT)
        folders[:] = sorted(name for name in folders if not (here / name).is_symlink())
        for name in names:
            path = here / name
            kind = _kind(path)
            if kind == "file":
                found.append(path)
            elif kind == "link":
                problems.add(path, message=LINK_MESSAGE, hint=LINK_HINT)
            else:
                problems.add(path, message=SPECIAL_MESSAGE, hint=SPECIAL_HINT)
    return sorted(found)


def _kind(path: Path) -> str:
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return "link"
    return "file" if stat.S_ISREG(mode) else "special"


class ReadRefused(Exception):
    """A file that is not read: a link, not a regular file, too large, or unreadable."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """Read a regular file without following a link; raise ReadRefused saying why not.

    O_NOFOLLOW makes the check and the read one step: a link swapped in between cannot win.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        if error.errno == errno.ELOOP or path.is_symlink():
            raise ReadRefused(LINK_MESSAGE, LINK_HINT) from None
        raise ReadRefused(f"无法读取文件：{error.strerror}", "请确认文件存在且可读") from None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise ReadRefused(SPECIAL_MESSAGE, SPECIAL_HINT)
        if max_bytes is not None and status.st_size > max_bytes:
            raise ReadRefused(f"文件过大（{status.st_size:,} 字节，上限 {max_bytes:,} 字节）",
                              "请检查是否误传了其他文件，或拆分内容")
        return handle.read()


def read_files(folder: Path, suffix: str = "", recursive: bool = True) -> dict[str, bytes]:
    """The regular files under folder (ending in suffix; only the top level unless recursive),
    by relative path. Raises InputError naming every link or unreadable file, so nothing is
    published from outside the repository.
    """
    problems = Problems()
    result: dict[str, bytes] = {}
    for path in files(folder, problems):
        relative = path.relative_to(folder)
        if not path.name.endswith(suffix) or (not recursive and len(relative.parts) > 1):
            continue
        try:
            result[relative.as_posix()] = read_bytes(path)
        except ReadRefused as refused:
            problems.add(path, message=refused.message, hint=refused.hint)
    if problems:
        raise InputError(problems)
    return result
