"""Make a synthetic city out of the real district: k districts, each a copy of the real one.

District 1 keeps the real ids; district d (2 … k) gets boards `beigang-d` named 北港街道（d）,
campaigns `biaozhunhua-dd` named …（d）, targets `<id>-dd`, quotas re-keyed to its own boards and
its own copy of every real progress report. A district's campaigns apply to its own boards only
(the unit 各板块 is spelled out as the district's eight boards once k > 1), so the number of
target × board cells grows linearly in k, as in a real city where a district does not report on
another district's tasks. Every text, date, quota and report value is the real one.

Campaign and target copies end in -d<d> rather than -<d>: ids share one namespace in the plan,
and `jinshu-yelian-2` is already a real target.

    python -m benchmarks.synth --k 10 --out benchmarks/out/k10/data
"""

from __future__ import annotations

import argparse
import copy
import csv
import io
import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = ROOT / "tests" / "fixtures" / "data"
"""The seed of every synthetic data set: the frozen sample, so a benchmark does not change
when a district replaces data/."""
ALL_BOARDS = "各板块"
"""The directory unit that stands for every board (all_boards: true in data/boards.yaml)."""


def board_slug(slug: str, district: int) -> str:
    return slug if district == 1 else f"{slug}-{district}"


def item_id(item: str, district: int) -> str:
    return item if district == 1 else f"{item}-d{district}"


def suffix(name: str, district: int) -> str:
    return name if district == 1 else f"{name}（{district}）"


# --- boards.yaml -------------------------------------------------------------------------------

def make_directory(real: dict[str, Any], k: int) -> dict[str, Any]:
    """Return the directory with k copies of the boards and of the units that report (each
    district has its own 区局); other units and the contacts are shared."""
    directory = copy.deepcopy(real)
    directory["boards"] = [
        {**board, "slug": board_slug(board["slug"], d), "name": suffix(board["name"], d),
         "short": suffix(board["short"], d),
         "aliases": [suffix(alias, d) for alias in board.get("aliases", [])]}
        for d in range(1, k + 1) for board in real["boards"]]
    directory["units"] = [*real["units"], *(
        {**unit, "name": suffix(unit["name"], d), "slug": board_slug(unit["slug"], d),
         "full_name": suffix(unit["full_name"], d), "aliases": [suffix(a, d) for a in
                                                               unit.get("aliases", [])]}
        for d in range(2, k + 1) for unit in real["units"] if unit.get("reports"))]
    return directory


def reporting_units(directory: dict[str, Any]) -> dict[str, str]:
    """Name -> slug of the units that report (区局)."""
    return {unit["name"]: unit["slug"] for unit in directory["units"] if unit.get("reports")}


# --- plans/<year>.yaml -------------------------------------------------------------------------

def make_plan(real: dict[str, Any], board_slugs: list[str], k: int,
              units: tuple[str, ...] = ()) -> dict[str, Any]:
    """Return the plan with k copies of every campaign, each group's districts one after another.

    `units` names the reporting units: in district d they are that district's own."""
    plan = copy.deepcopy(real)
    for pillar in plan["pillars"]:
        for group in pillar["groups"]:
            group["campaigns"] = [_campaign(campaign, d, board_slugs, k, units)
                                  for d in range(1, k + 1) for campaign in group["campaigns"]]
    return plan


def _campaign(real: dict[str, Any], d: int, slugs: list[str], k: int,
              units: tuple[str, ...]) -> dict[str, Any]:
    campaign = copy.deepcopy(real)
    campaign["id"] = item_id(real["id"], d)
    campaign["name"] = suffix(real["name"], d)
    campaign["responsible"] = _owners(real["responsible"], d, slugs, k, units)
    campaign["targets"] = [_target(target, d, slugs, k, units) for target in real["targets"]]
    return campaign


def _target(real: dict[str, Any], d: int, slugs: list[str], k: int,
            units: tuple[str, ...]) -> dict[str, Any]:
    target = copy.deepcopy(real)
    target["id"] = item_id(real["id"], d)
    target["owners"] = _owners(real["owners"], d, slugs, k, units)
    if real.get("support"):
        target["support"] = _owners(real["support"], d, slugs, k, units)
    if real.get("quotas"):
        # Same numbers under the district's own slugs: metric.total still equals their sum.
        target["quotas"] = {board_slug(slug, d): value for slug, value in real["quotas"].items()}
    return target


def _owners(owners: list[str], d: int, slugs: list[str], k: int,
            units: tuple[str, ...] = ()) -> list[str]:
    """Re-key board owners to district d; spell out 各板块 as its boards once there are others."""
    result: list[str] = []
    for owner in owners:
        if owner in slugs:
            names = [board_slug(owner, d)]
        elif owner in units:
            names = [suffix(owner, d)]
        elif owner == ALL_BOARDS and k > 1:
            names = [board_slug(slug, d) for slug in slugs]
        else:
            names = [owner]
        result += [name for name in names if name not in result]
    return result


# --- progress reports --------------------------------------------------------------------------

def report_copy(text: str, d: int, campaign_names: dict[str, str]) -> str:
    """Return a real report re-keyed to district d: target ids and campaign names."""
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rows[0])
    target_col = rows[0].index("指标编号")
    name_col = rows[0].index("指标名称") if "指标名称" in rows[0] else None
    for row in rows[1:]:
        if not any(row):
            continue
        row = list(row)
        if name_col is not None:
            row[name_col] = campaign_names.get(row[target_col], row[name_col])
        row[target_col] = item_id(row[target_col], d)
        writer.writerow(row)
    return out.getvalue()


def copy_reports(source: Path, dest: Path, slugs: list[str], plans: list[dict[str, Any]],
                 k: int) -> int:
    """Write every real report once per district; return the number of files written."""
    names = {target["id"]: campaign["name"] for plan in plans for pillar in plan["pillars"]
             for group in pillar["groups"] for campaign in group["campaigns"]
             for target in campaign["targets"]}
    count = 0
    for path in sorted(source.glob("*/*.csv")):
        if path.stem not in slugs:
            continue
        folder = dest / path.parent.name
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, folder / path.name)
        text = path.read_text(encoding="utf-8-sig")
        for d in range(2, k + 1):
            district_names = {tid: suffix(name, d) for tid, name in names.items()}
            (folder / f"{board_slug(path.stem, d)}.csv").write_text(
                report_copy(text, d, district_names), encoding="utf-8-sig", newline="")
        count += k
    return count


# --- the whole data folder ---------------------------------------------------------------------

def _dump(data: Any, path: Path) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, encoding="utf-8")


def make(k: int, out: Path, real: Path = REAL_DATA) -> Path:
    """Write a k-district data folder to out (replacing it); return out."""
    if k < 1:
        raise ValueError(f"k 必须是正整数，收到 {k}")
    shutil.rmtree(out, ignore_errors=True)
    if k == 1:  # the real data, byte for byte
        shutil.copytree(real, out)
        return out
    out.mkdir(parents=True)
    directory = yaml.safe_load((real / "boards.yaml").read_text(encoding="utf-8"))
    slugs = [board["slug"] for board in directory["boards"]]
    _dump(make_directory(directory, k), out / "boards.yaml")
    (out / "plans").mkdir()
    plans = []
    for plan_path in sorted((real / "plans").glob("*.yaml")):
        plans.append(yaml.safe_load(plan_path.read_text(encoding="utf-8")))
        _dump(make_plan(plans[-1], slugs, k, tuple(reporting_units(directory))),
              out / "plans" / plan_path.name)
    reporters = slugs + list(reporting_units(directory).values())
    copy_reports(real / "progress", out / "progress", reporters, plans, k)
    for name in ("site.yaml",):
        if (real / name).exists():
            shutil.copy2(real / name, out / name)
    for name in ("source", "cases"):
        if (real / name).is_dir():
            shutil.copytree(real / name, out / name)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.synth",
        description="生成 k 倍规模的合成数据（k 个区，每区复制真实数据）")
    parser.add_argument("--k", type=int, required=True, help="规模倍数（区的个数），如 10")
    parser.add_argument("--out", type=Path, required=True, help="输出的数据目录")
    args = parser.parse_args(argv)
    make(args.k, args.out)
    print(f"已生成 k={args.k} 的合成数据到 {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
