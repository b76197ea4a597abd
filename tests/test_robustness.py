"""The published site is always whole: runs at once, kills mid-swap, unwritable caches and outputs.

Every test runs the real CLI in subprocesses on a copy of a project that was built and published
once for each of two variants (SITE_URL unset and set: other calendar links and canonical URLs),
and compares build/docs and site/ file by file and byte by byte with those reference trees.
Kills and full disks are injected through PORTAL_FAULT (generator/faults.py).
"""

from __future__ import annotations

import fcntl
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import FIXTURE_AS_OF, ROOT, Run, copy_project, run_cli

from generator.site import cache

pytestmark = pytest.mark.slow

VARIANTS = {"plain": {"SITE_URL": ""}, "moved": {"SITE_URL": "https://portal.example/"}}
WAITING = "另一个构建正在进行，等待其完成…"
PATIENCE = 600  # seconds a child process may take before the test gives up on it


@dataclass(frozen=True)
class Reference:
    project: Path  # built and published as "plain", with the chart cache warm for both variants
    docs: dict[str, dict[str, bytes]]
    site: dict[str, dict[str, bytes]]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    """Staging and previous folders a run left beside site/ or build/docs."""
    return sorted(p.name for folder in (root, root / "build")
                  for p in folder.glob(".*") if ".staging" in p.name or ".previous" in p.name)


def cli(root: Path, variant: str, *args: str, **env: str) -> Run:
    return run_cli(root, *args, env={**VARIANTS[variant], **env})


def build(root: Path, variant: str, **env: str) -> Run:
    return cli(root, variant, "build", "--as-of", FIXTURE_AS_OF, **env)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Reference:
    root = copy_project(tmp_path_factory.mktemp("reference"))
    docs, site = {}, {}
    for variant in ("moved", "plain"):
        for result in (build(root, variant), cli(root, variant, "publish")):
            assert result.code == 0, result.err
        docs[variant], site[variant] = tree(root / "build/docs"), tree(root / "site")
    assert docs["plain"] != docs["moved"] and site["plain"] != site["moved"]
    return Reference(root, docs, site)


@pytest.fixture
def project(reference, tmp_path) -> Path:
    """A copy of the reference project: build/docs and site/ as built for "plain"."""
    return shutil.copytree(reference.project, tmp_path / "project")


def assert_whole(root: Path, reference: Reference, docs: str, site: str) -> None:
    assert tree(root / "build/docs") == reference.docs[docs]
    assert tree(root / "site") == reference.site[site]
    assert leftovers(root) == []


def assert_explained(result: Run) -> None:
    """A Chinese message, exit 1, and none of the last guard's internal-error report."""
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err and "内部错误" not in result.err, result.err


# --- two runs at once ------------------------------------------------------------------------------

@contextmanager
def lock_held(root: Path) -> Iterator[None]:
    with open(root / ".build.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def start(root: Path, variant: str, commands: list[list[str]], log: Path,
          **env: str) -> subprocess.Popen:
    """Start the CLI commands one after the other, as `make site` does, stderr going to log."""
    line = " && ".join(shlex.join([sys.executable, "-m", "generator", *args]) for args in commands)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GITHUB_ACTIONS": "", **VARIANTS[variant], **env}
    with open(log, "w") as err:
        return subprocess.Popen(["sh", "-c", line], cwd=root, env=env, stdout=subprocess.DEVNULL,
                                stderr=err)


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


ROUNDS = ("moved", "plain", "moved")
BUILD_AND_PUBLISH = [["build", "--as-of", FIXTURE_AS_OF], ["publish"]]


def test_two_runs_at_once_leave_the_site_one_run_leaves(project, reference, tmp_path):
    """Both runs start while the lock is held, so both are waiting when it is released."""
    for number, variant in enumerate(ROUNDS):
        logs = [tmp_path / f"round{number}-{run}.err" for run in (1, 2)]
        with lock_held(project):
            runs = [start(project, variant, BUILD_AND_PUBLISH, log) for log in logs]
            for log in logs:
                wait_for(lambda log=log: WAITING in log.read_text(), f"{log.name} to wait")
        codes = [run.wait(timeout=PATIENCE) for run in runs]
        assert codes == [0, 0], [log.read_text() for log in logs]
        assert_whole(project, reference, docs=variant, site=variant)


def test_a_second_run_says_once_that_it_waits_or_gives_up_after_its_time(project):
    log = project.parent / "waiting.err"
    with lock_held(project):
        refused = run_cli(project, "publish", env={"PORTAL_LOCK_WAIT": "1"})
        waiting = start(project, "moved", [["build", "--as-of", FIXTURE_AS_OF]], log,
                        PORTAL_LOCK_WAIT="600")
        wait_for(lambda: WAITING in log.read_text(), "the build to wait")
        assert waiting.poll() is None  # the lock is ours: it cannot have finished
    assert waiting.wait(timeout=PATIENCE) == 0
    assert log.read_text().count(WAITING) == 1
    assert_explained(refused)
    assert refused.err == (
        f"{WAITING}\n"
        ".build.lock: 另一个构建正在进行，等待 1 秒后仍未结束 — 请等它完成后再运行；"
        "环境变量 PORTAL_LOCK_WAIT 可设定最多等待的秒数（不设则一直等待）\n"
        "发现 1 个问题。未生成任何文件，上次生成的结果保持不变。\n")


# --- a kill at each step of the swap ---------------------------------------------------------------

BUILD_KILLS = {  # step → what build/docs holds right after the kill, before any other run
    "write:file": "plain",
    "swap:before-first-rename": "plain",
    "swap:after-first-rename": None,  # absent; .docs.previous holds "plain"
    "swap:after-second-rename": "moved",
}


@pytest.mark.parametrize("step", BUILD_KILLS)
def test_a_build_killed_at_any_step_leaves_a_whole_tree(project, reference, step):
    killed = build(project, "moved", PORTAL_FAULT=step)
    assert killed.code == -signal.SIGKILL, killed.err
    docs = project / "build/docs"
    if BUILD_KILLS[step] is None:
        assert not docs.exists()
        assert tree(project / "build/.docs.previous") == reference.docs["plain"]
    else:
        assert tree(docs) == reference.docs[BUILD_KILLS[step]]
    again = build(project, "moved")
    assert again.code == 0, again.err
    assert_whole(project, reference, docs="moved", site="plain")


def test_publish_puts_back_the_pages_a_killed_build_left_aside(project, reference):
    assert build(project, "moved", PORTAL_FAULT="swap:after-first-rename").code == -signal.SIGKILL
    published = cli(project, "plain", "publish")
    assert published.code == 0, published.err
    assert "上次运行在替换 build/docs 时被中断，已恢复为之前的内容。" in published.err
    assert_whole(project, reference, docs="plain", site="plain")


def test_a_publish_killed_between_the_renames_leaves_a_whole_site(project, reference):
    """The same swap as the build's (tested above at every step), here on site/."""
    assert build(project, "moved").code == 0
    killed = cli(project, "moved", "publish", PORTAL_FAULT="swap:after-first-rename")
    assert killed.code == -signal.SIGKILL, killed.err
    assert not (project / "site").exists()
    assert tree(project / ".site.previous") == reference.site["plain"]
    again = cli(project, "moved", "publish")
    assert again.code == 0, again.err
    assert "上次运行在替换 site 时被中断，已恢复为之前的内容。" in again.err
    assert_whole(project, reference, docs="moved", site="moved")


# --- caches are optional ---------------------------------------------------------------------------

CACHES = (".cache/charts", ".cache/calendar", ".cache/forms", ".cache")


def can_write_despite_chmod(folder: Path) -> bool:
    """True when chmod does not stop us (root): then the fault hook plays the read-only disk."""
    probe = folder / ".probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return False
    probe.unlink()
    return True


def cold_start(root: Path) -> None:
    """Leave the cache with work to do: forms and feeds gone, five charts gone, no build/docs."""
    shutil.rmtree(root / ".cache/forms")
    shutil.rmtree(root / ".cache/calendar")
    for chart in sorted((root / ".cache/charts").glob("*.svg"))[:5]:
        chart.unlink()
    shutil.rmtree(root / "build/docs")


@contextmanager
def read_only(*folders: Path) -> Iterator[None]:
    for folder in folders:
        folder.chmod(0o555)
    try:
        yield
    finally:
        for folder in folders:
            folder.chmod(0o755)


@pytest.mark.parametrize("trouble", ["read-only", "disk full"])
def test_a_cache_that_cannot_be_written_only_warns(project, reference, trouble):
    cold_start(project)
    before = tree(project / ".cache")
    if trouble == "disk full":
        result = build(project, "plain", PORTAL_FAULT="cache:store=ENOSPC")
        reason = "磁盘空间不足"
    else:
        with read_only(project / ".cache", project / ".cache/charts"):
            root = can_write_despite_chmod(project / ".cache")
            result = build(project, "plain", PORTAL_FAULT="cache:store=EROFS" if root else "")
        reason = "只读文件系统" if root else "没有写入权限"
    assert result.code == 0, result.err
    for folder in CACHES:
        warning = (f"警告：缓存目录 {folder} 无法写入（{reason}），本次构建不使用该缓存，"
                   "生成的结果不受影响 — 请检查该目录的权限和磁盘空间")
        assert result.err.count(warning) == 1, result.err
    assert tree(project / "build/docs") == reference.docs["plain"]
    assert tree(project / ".cache") == before


def test_a_damaged_cache_entry_is_redrawn(project, reference):
    chart = sorted((project / ".cache/charts").glob("*.svg"))[0]
    chart.write_bytes(chart.read_bytes().replace(b"<svg", b"<SVG", 1))
    form = sorted((project / ".cache/forms").glob("*.xlsx"))[0]
    form.write_bytes(form.read_bytes()[:-100])  # cut short, as by a crash in an older version
    shutil.rmtree(project / "build/docs")
    result = build(project, "plain")
    assert result.code == 0, result.err
    assert tree(project / "build/docs") == reference.docs["plain"]
    for entry in (chart, form):
        shown = entry.relative_to(project).as_posix()
        assert result.err.count(f"警告：缓存文件 {shown} 已损坏") == 1, result.err
    assert cache.read(chart.parent, chart.stem, ".svg") is not None  # written anew
    assert cache.read(form.parent, form.stem, ".xlsx") is not None


def test_the_template_cache_is_optional_too(tmp_path, caplog):
    import jinja2

    from generator.pages.render import _OptionalBytecodeCache

    missing = tmp_path / "gone"
    bytecode = _OptionalBytecodeCache(directory=str(missing))
    bucket = jinja2.bccache.Bucket(jinja2.Environment(), "page", "checksum")
    bucket.code = compile("", "page", "exec")
    bytecode.dump_bytecode(bucket)
    assert f"警告：缓存目录 {missing} 无法写入" in caplog.text


# --- outputs that cannot be written ----------------------------------------------------------------

OUTPUT_TROUBLE = {  # command, PORTAL_FAULT, folder made read-only (None: the disk is full)
    "build, disk full": (["build", "--as-of", FIXTURE_AS_OF], "write:file=ENOSPC", None),
    "build, read-only": (["build", "--as-of", FIXTURE_AS_OF], "staging=EROFS", "build"),
    "publish, disk full": (["publish"], "publish:file=ENOSPC", None),
    "publish, read-only": (["publish"], "staging=EROFS", "."),
}
HINTS = {"磁盘空间不足": "请清理磁盘空间后重新运行",
         "只读文件系统": "请确认该文件夹和它所在的文件夹可以写入后重新运行",
         "没有写入权限": "请确认该文件夹和它所在的文件夹可以写入后重新运行"}


@pytest.mark.parametrize("case", OUTPUT_TROUBLE)
def test_an_output_that_cannot_be_written_is_explained_and_kept(project, reference, case):
    args, fault, locked = OUTPUT_TROUBLE[case]
    publishing = args[0] == "publish"
    if publishing:  # new pages, so that a site is worth publishing
        assert build(project, "moved").code == 0
    if locked is None:
        result, reason = cli(project, "moved", *args, PORTAL_FAULT=fault), "磁盘空间不足"
    else:
        with read_only(project / locked):
            root = can_write_despite_chmod(project / locked)
            result = cli(project, "moved", *args, PORTAL_FAULT=fault if root else "")
        reason = "只读文件系统" if root else "没有写入权限"
    assert_explained(result)
    folder = "site" if publishing else "build/docs"
    assert result.err == (f"{folder}: 无法写入（{reason}） — {HINTS[reason]}\n"
                          "发现 1 个问题。未生成任何文件，上次生成的结果保持不变。\n")
    assert_whole(project, reference, docs="moved" if publishing else "plain", site="plain")
