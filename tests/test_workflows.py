"""The GitHub Actions workflows are valid, safe, and the checks that say so can fail.

* every file in .github/workflows/ validates against the github-workflows JSON schema
  (check-jsonschema's built-in copy: offline);
* zizmor (offline audits) finds nothing of High severity in .github/workflows/;
* the deliberately broken workflows in tests/fixtures/workflows/ make those same checks fail;
* a few properties of check.yml / deploy.yml that the schema cannot express;
* .github/dependabot.yml validates against the dependabot schema, zizmor finds nothing in it,
  and it updates both pip and github-actions weekly (a broken fixture shows the check can fail).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "workflows"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
DEPENDABOT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dependabot"

WORKFLOW_FILES = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def _console_script(name: str) -> str:
    """The console script `name` installed next to this interpreter (or on PATH)."""
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"`{name}` is not installed (it is a dev dependency: pip install -e '.[dev]')")
    return found


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def check_jsonschema(path: Path, schema: str = "vendor.github-workflows"
                     ) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)])


def zizmor(path: Path) -> tuple[subprocess.CompletedProcess[str], list[dict]]:
    """Run zizmor offline; return the process and its parsed JSON findings.

    zizmor's exit codes: 0 = no findings, 10-14 = findings (10 + highest severity),
    anything else = zizmor itself failed (e.g. 3 for a file that is not a valid workflow).
    Findings are [] when zizmor printed no JSON.
    """
    proc = _run([_console_script("zizmor"), "--offline", "--no-progress", "--format", "json",
                 str(path)])
    try:
        findings = json.loads(proc.stdout) if proc.stdout.strip() else []
    except json.JSONDecodeError:
        findings = []
    return proc, findings


def _severity(finding: dict) -> str:
    return str(finding.get("determinations", {}).get("severity", "")).lower()


def _describe(findings: list[dict]) -> str:
    lines = []
    for f in findings:
        where = []
        for loc in f.get("locations", []):
            sym = loc.get("symbolic", {})
            path = sym.get("key", {}).get("Local", {}).get("verbatim_path", "?")
            row = loc.get("concrete", {}).get("location", {}).get("start_point", {}).get("row")
            where.append(f"{path}:{row + 1 if isinstance(row, int) else '?'}")
        lines.append(f"  [{_severity(f)}] {f.get('ident')}: {f.get('desc')} at {', '.join(where)}")
    return "\n".join(lines)


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _triggers(wf: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    on = wf.get("on", wf.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return dict(on or {})


def _uses(step: dict, action: str) -> bool:
    return str(step.get("uses", "")).startswith(action + "@")


def _all_steps(wf: dict):
    for job_id, job in wf.get("jobs", {}).items():
        for step in job.get("steps", []) or []:
            yield job_id, step


# --------------------------------------------------------------------------- real workflows


def test_there_are_workflows():
    names = {p.name for p in WORKFLOW_FILES}
    assert {"check.yml", "deploy.yml"} <= names, f"found only {sorted(names)}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_matches_github_schema(path: Path):
    proc = check_jsonschema(path)
    assert proc.returncode == 0, (
        f"check-jsonschema rejected {path.name}:\n{proc.stdout}{proc.stderr}"
    )


def test_zizmor_finds_nothing_high():
    proc, findings = zizmor(WORKFLOWS)
    assert proc.returncode == 0 or 10 <= proc.returncode <= 14, (
        f"zizmor failed to run (exit {proc.returncode}):\n{proc.stderr}"
    )
    assert isinstance(findings, list)
    high = [f for f in findings if _severity(f) == "high"]
    assert not high, "zizmor reports High findings:\n" + _describe(high)


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_actions_pinned_to_full_sha_with_version_comment(path: Path):
    pattern = re.compile(r"^\s*(?:-\s*)?uses:\s*(\S+?)(?:\s+#\s*(\S+))?\s*$")
    seen = 0
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = pattern.match(line)
        if not m:
            continue
        seen += 1
        ref, comment = m.group(1), m.group(2)
        if ref.startswith("./"):
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), (
            f"{path.name}:{lineno}: `{ref}` is not pinned to a full commit SHA"
        )
        assert comment and re.fullmatch(r"v\d+\.\d+\.\d+", comment), (
            f"{path.name}:{lineno}: pinned action needs a `# vX.Y.Z` comment"
        )
    assert seen, f"{path.name} uses no action at all?"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_basics(path: Path):
    wf = _load(path)
    triggers = _triggers(wf)
    assert "pull_request_target" not in triggers, f"{path.name}: never use pull_request_target"
    assert "permissions" in wf, f"{path.name}: set top-level permissions explicitly"
    assert wf["permissions"] not in ("write-all", "read-all"), path.name
    for job_id, job in wf["jobs"].items():
        assert "timeout-minutes" in job, f"{path.name}: job {job_id} has no timeout-minutes"
    for job_id, step in _all_steps(wf):
        if _uses(step, "actions/checkout"):
            assert (step.get("with") or {}).get("persist-credentials") is False, (
                f"{path.name}: job {job_id} checks out with persisted credentials"
            )
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\$\{\{[^}]*\bsecrets\.", text), f"{path.name} uses secrets"


def test_check_workflow():
    wf = _load(WORKFLOWS / "check.yml")
    assert set(_triggers(wf)) == {"pull_request"}
    assert wf["permissions"] == {"contents": "read"}
    data, code = wf["jobs"]["data"], wf["jobs"]["code"]
    data_runs = [s.get("run", "") for s in data["steps"]]
    for target in ("make validate", "make site", "-m generator diff --base \"$BASE_SHA\""):
        assert any(target in r for r in data_runs), f"check.yml's data job does not run {target}"
    summary = next(s for s in data["steps"] if "generator diff" in s.get("run", ""))
    assert any(s.get("run") == "make lint" and "if" not in s for s in code["steps"])
    assert summary.get("if") == "always()"  # the summary explains a red validate too
    assert summary["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert not any("make test" in r for r in data_runs)
    assert any("make test" in s.get("run", "") for s in code["steps"])
    assert any(s.get("run") == "make lint" and "if" not in s for s in code["steps"])
    assert code["env"]["CI"] == "true"  # a missing browser fails instead of skipping
    setups = [s for _, s in _all_steps(wf) if _uses(s, "actions/setup-python")]
    assert setups and setups[0]["with"]["python-version"] == "3.11"
    assert setups[0]["with"].get("cache") == "pip"
    assert setups[0]["with"].get("cache-dependency-path") == "pyproject.toml"


def test_deploy_workflow():
    wf = _load(WORKFLOWS / "deploy.yml")
    triggers = _triggers(wf)
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["schedule"] == [{"cron": "0 18 * * *"}]  # 02:00 Beijing (UTC+8)
    assert "workflow_dispatch" in triggers
    assert wf["permissions"] == {}
    assert wf["concurrency"] == {"group": "pages", "cancel-in-progress": False}

    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for s in build["steps"]]
    for target in ("make validate", "make site"):
        assert any(target in r for r in runs), f"deploy.yml build job does not run `{target}`"
    assert not any("make test" in r for r in runs)  # no tests against live data
    upload = [s for s in build["steps"] if _uses(s, "actions/upload-pages-artifact")]
    assert upload and upload[0]["with"]["path"] == "site"
    setups = [s for s in build["steps"] if _uses(s, "actions/setup-python")]
    assert setups and setups[0]["with"].get("cache") == "pip"

    assert deploy["needs"] in ("build", ["build"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    steps = [s for s in deploy["steps"] if _uses(s, "actions/deploy-pages")]
    assert steps and steps[0].get("id") == "deployment"


# --------------------------------------------------------------------------- the checks can fail


def test_fixtures_are_outside_dot_github():
    assert FIXTURES.is_dir()
    assert ".github" not in FIXTURES.relative_to(ROOT).parts


@pytest.mark.parametrize("name", ["unknown-key.yml", "bad-permission.yml"])
def test_schema_check_rejects_broken_fixture(name: str):
    proc = check_jsonschema(FIXTURES / name)
    assert proc.returncode != 0, f"check-jsonschema accepted the broken fixture {name}"
    assert "Schema validation errors" in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_schema_check_names_the_bad_permission():
    proc = _run([sys.executable, "-m", "check_jsonschema", "--verbose", "--builtin-schema",
                 "vendor.github-workflows", str(FIXTURES / "bad-permission.yml")])
    assert proc.returncode != 0
    assert "superuser" in proc.stdout + proc.stderr


@pytest.mark.parametrize("name", ["unknown-key.yml", "bad-permission.yml"])
def test_zizmor_rejects_invalid_fixture(name: str):
    # zizmor refuses a workflow that breaks the schema: that is a failure too.
    proc, _ = zizmor(FIXTURES / name)
    assert proc.returncode != 0, f"zizmor accepted the broken fixture {name}"


def test_insecure_fixture_passes_schema_but_not_zizmor():
    path = FIXTURES / "insecure.yml"
    # schema-valid: only the security audit can catch it
    assert check_jsonschema(path).returncode == 0
    proc, findings = zizmor(path)
    assert proc.returncode == 14, (
        f"zizmor exit {proc.returncode}, expected 14 (High findings):\n{proc.stderr}"
    )
    high = {f["ident"] for f in findings if _severity(f) == "high"}
    assert "dangerous-triggers" in high, _describe(findings)
    assert "unpinned-uses" in high, _describe(findings)


@pytest.mark.parametrize("name", ["check.yml", "deploy.yml"])
def test_workflows_keep_the_virtualenv_and_the_generator_cache(name: str):
    wf = _load(WORKFLOWS / name)
    jobs = ["data", "code"] if name == "check.yml" else ["build"]
    for job_id in jobs:
        caches = {s["with"]["path"]: s for s in wf["jobs"][job_id]["steps"]
                  if _uses(s, "actions/cache")}
        assert ".venv" in caches, f"{name}: job {job_id} does not cache .venv"
        assert "pyproject.toml" in caches[".venv"]["with"]["key"]
    generator_cache = next(s for s in wf["jobs"][jobs[0]]["steps"]
                           if _uses(s, "actions/cache") and s["with"]["path"] == ".cache")
    # The code is part of the key: entries drawn by another generator are never restored.
    assert "hashFiles('generator/**'" in generator_cache["with"]["key"]
    assert generator_cache["with"]["restore-keys"].startswith("portal-cache-${{ hashFiles(")


def test_a_data_only_pull_request_skips_the_browser_suite():
    steps = _load(WORKFLOWS / "check.yml")["jobs"]["code"]["steps"]
    changes = next(s for s in steps if s.get("id") == "changes")
    assert "grep -qv '^data/'" in changes["run"]
    runs = {s["run"]: s.get("if") for s in steps if "run" in s and "make test" in s["run"]}
    assert runs == {"make test": "steps.changes.outputs.code == 'true'",
                    "make test-fast": "steps.changes.outputs.code != 'true'"}


@pytest.mark.parametrize("changed, code", [(["data/progress/2023Q3/beigang.csv"], "false"),
                                           (["data/a.csv", "generator/cli.py"], "true"),
                                           (["README.md"], "true")])
def test_the_changed_files_step_tells_data_from_code(tmp_path: Path, changed: list, code: str):
    steps = _load(WORKFLOWS / "check.yml")["jobs"]["code"]["steps"]
    script = next(s for s in steps if s.get("id") == "changes")["run"]
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "base.txt").write_text("base", encoding="utf-8")
    subprocess.run([*git, "-C", str(tmp_path), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-qm", "base"], check=True)
    base = subprocess.run(["git", "-C", str(tmp_path), "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    for name in changed:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    subprocess.run([*git, "-C", str(tmp_path), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-qm", "change"], check=True)
    output = tmp_path / "output"
    subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, check=True,
                   env={**os.environ, "BASE_SHA": base, "GITHUB_OUTPUT": str(output)})
    assert output.read_text(encoding="utf-8") == f"code={code}\n"


# --------------------------------------------------------------------------- dependabot


def test_dependabot_matches_its_schema():
    proc = check_jsonschema(DEPENDABOT, "vendor.dependabot")
    assert proc.returncode == 0, f"check-jsonschema rejected dependabot.yml:\n{proc.stdout}{proc.stderr}"


def test_dependabot_schema_check_rejects_a_broken_fixture():
    proc = check_jsonschema(DEPENDABOT_FIXTURES / "bad-interval.yml", "vendor.dependabot")
    assert proc.returncode != 0
    assert "hourly" in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_zizmor_finds_nothing_in_dependabot():
    proc, findings = zizmor(DEPENDABOT)
    assert proc.returncode == 0, f"zizmor (exit {proc.returncode}):\n{_describe(findings)}{proc.stderr}"


def test_dependabot_updates_pip_and_actions_weekly():
    updates = {u["package-ecosystem"]: u for u in _load(DEPENDABOT)["updates"]}
    assert set(updates) == {"pip", "github-actions"}
    for ecosystem, update in updates.items():
        assert update["directory"] == "/", ecosystem
        assert update["schedule"]["interval"] == "weekly", ecosystem
