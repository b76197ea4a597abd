"""Malformed plan and directory files: each gives one exact Chinese message, exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import edit, line_of, run_cli

PLAN = "data/plans/2023.yaml"
BOARDS = "data/boards.yaml"


def validate(workspace: Path):
    result = run_cli(workspace, "validate")
    assert "Traceback" not in result.err + result.out
    return result


def only_problem(result) -> str:
    assert result.code == 1, result.out + result.err
    lines = result.err.strip().splitlines()
    assert lines[-1] == "发现 1 个问题。未生成任何文件，上次生成的结果保持不变。", result.err
    assert len(lines) == 2, result.err
    return lines[0]


def test_the_real_data_is_valid(workspace):
    result = validate(workspace)
    assert result.code == 0, result.err
    assert result.out.startswith("数据校验通过：2 个年度计划，85 项目标任务，68 份季度报表")


def test_unknown_board_in_quotas_suggests_the_closest(workspace):
    plan = workspace / PLAN
    line = line_of(plan, "zouqu: 25")
    edit(plan, "zouqu: 25", "zouqv: 25")
    assert only_problem(validate(workspace)) == (
        f"{PLAN}:{line}:19: 未知的板块编号 'zouqv' — 是否应为 'zouqu'？")


def test_quota_sum_must_equal_the_stated_total(workspace):
    plan = workspace / PLAN
    line = line_of(plan, "zouqu: 25")
    edit(plan, "beigang: 25", "beigang: 24")
    assert only_problem(validate(workspace)) == (
        f"{PLAN}:{line}:19: 各板块任务数之和为 93，与原文总数 94 不符 — 请核对各板块数字或 metric.total")


def test_duplicate_target_id(workspace):
    plan = workspace / PLAN
    line = line_of(plan, "id: biaozhunhua-1b")
    edit(plan, "id: biaozhunhua-1b", "id: biaozhunhua-1a")
    assert only_problem(validate(workspace)) == (
        f"{PLAN}:{line}:21: 指标编号 'biaozhunhua-1a' 重复 — 每个指标的 id 必须唯一，可加后缀如 -2")


def test_wrong_type_names_the_target(workspace):
    plan = workspace / PLAN
    line = line_of(plan, "beigang: 25")
    edit(plan, "beigang: 25", "beigang: 二十五")
    assert only_problem(validate(workspace)) == (
        f"{PLAN}:{line}:28: targets[biaozhunhua-1a].quotas.beigang 应为数字，收到 '二十五' "
        "— 请把此处改为数字")


def test_bad_yaml(workspace):
    plan = workspace / PLAN
    line = line_of(plan, "xinwen: 22")
    edit(plan, "beigang: 25", "beigang: [25")
    assert only_problem(validate(workspace)) == (
        f"{PLAN}:{line}:25: YAML 格式错误：方括号 [ ] 列表没有正确闭合 "
        "— 请检查缩进、冒号后的空格和引号是否成对")


def test_unknown_field_suggests_the_closest(workspace):
    plan = workspace / PLAN
    line = line_of(plan, "zouqu: 25") - 1
    text = plan.read_text(encoding="utf-8").splitlines()
    text[line - 1] = text[line - 1].replace("quotas:", "quotass:")
    plan.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert only_problem(validate(workspace)) == f"{PLAN}:{line}:17: 未知字段 'quotass' — 是否应为 'quotas'？"


def test_deadline_outside_the_plan_year(workspace):
    plan = workspace / PLAN
    line = line_of(plan, "deadline: 2023-09-30")
    edit(plan, "deadline: 2023-09-30", "deadline: 2024-09-30")
    message = only_problem(validate(workspace))
    assert message.startswith(f"{PLAN}:{line}:")
    assert message.endswith("日期 2024-09-30 不在计划年度 2023 年内 — 请填写 2023 年的日期")


def test_unknown_contact(workspace):
    plan = workspace / PLAN
    line = line_of(plan, "contacts: [钱凌云]")
    edit(plan, "contacts: [钱凌云]", "contacts: [钱凌芸]")
    message = only_problem(validate(workspace))
    assert message.startswith(f"{PLAN}:{line}:")
    assert message.endswith("联系人 '钱凌芸' 未在 data/boards.yaml 登记 — 是否应为 '钱凌云'？")


def test_board_name_instead_of_slug(workspace):
    plan = workspace / PLAN
    line = line_of(plan, "responsible: [区局, beigang]")
    edit(plan, "responsible: [区局, beigang]", "responsible: [区局, 北港街道]")
    message = only_problem(validate(workspace))
    assert message.startswith(f"{PLAN}:{line}:")
    assert message.endswith("板块请写编号而不是名称：'北港街道' — 请改为 'beigang'")


def test_top_level_must_be_a_mapping(workspace):
    (workspace / PLAN).write_text("- 一\n- 二\n", encoding="utf-8")
    assert only_problem(validate(workspace)) == (
        f"{PLAN}:1:1: 文件顶层应为键值映射，实际是列表 — 请参照 data/ 下同类文件的格式填写")


def test_yaml_alias_bomb_is_refused(workspace):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    (workspace / PLAN).write_text(bomb, encoding="utf-8")
    assert only_problem(validate(workspace)) == (
        f"{PLAN}:2:8: YAML 格式错误：不允许使用 YAML 别名（*别名） "
        "— 请把内容直接写出来，不要使用 & 锚点和 * 别名")


def test_plan_file_name_must_be_a_year(workspace):
    plan = workspace / PLAN
    plan.rename(plan.with_name("2023版.yaml"))
    result = validate(workspace)
    assert result.code == 1
    assert ("data/plans/2023版.yaml: 计划文件名 '2023版.yaml' 不符合规则 — 文件名应为四位年份，如 2023.yaml"
            in result.err)


def test_duplicate_board_slug_in_directory(workspace):
    boards = workspace / BOARDS
    line = line_of(boards, "slug: xinwen")
    edit(boards, "slug: xinwen", "slug: beigang")
    result = validate(workspace)
    assert result.code == 1
    assert f"{BOARDS}:{line}:" in result.err
    assert "名称 'beigang' 重复：已在第 2 项使用 — 名称和编号必须唯一" in result.err


def test_every_problem_is_reported_at_once(workspace):
    plan = workspace / PLAN
    edit(plan, "zouqu: 25", "zouqv: 25")
    edit(plan, "id: biaozhunhua-1b", "id: biaozhunhua-1a")
    edit(plan, "contacts: [钱凌云]", "contacts: [钱凌芸]")
    result = validate(workspace)
    assert result.code == 1
    assert result.err.strip().splitlines()[-1].startswith("发现 3 个问题。")


def test_github_annotations_under_actions(workspace):
    plan = workspace / PLAN
    line = line_of(plan, "zouqu: 25")
    edit(plan, "zouqu: 25", "zouqv: 25")
    result = run_cli(workspace, "validate", env={"GITHUB_ACTIONS": "true"})
    assert (f"::error file={PLAN},line={line},col=19::未知的板块编号 'zouqv' — 是否应为 'zouqu'？"
            in result.out)


@pytest.mark.parametrize("command", ["validate", "build", "publish", "make-sample"])
def test_every_command_has_help(workspace, command):
    result = run_cli(workspace, command, "--help")
    assert result.code == 0 and "usage:" in result.out


def test_oversized_plan_file_is_refused(workspace):
    plan = workspace / PLAN
    plan.write_text("# " + "很" * 11_200_000 + "\n", encoding="utf-8")
    size = plan.stat().st_size
    assert only_problem(validate(workspace)) == (
        f"{PLAN}: 文件过大（{size:,} 字节，上限 33,554,432 字节） — 请检查是否误传了其他文件，或拆分内容")


def test_undecodable_directory_file(workspace):
    boards = workspace / BOARDS
    boards.write_bytes("boards:\n  - slug: beigang\n    name: 北港街道\n".encode("gb18030"))
    result = validate(workspace)
    assert result.code == 1
    assert (f"{BOARDS}:3: 文件不是 UTF-8 编码，无法读取 — 请用记事本或 VS Code 以“UTF-8”编码另存此文件"
            in result.err)


def test_text_field_given_a_list_is_explained_in_chinese(workspace):
    plan = workspace / PLAN
    line = line_of(plan, "issuer: 常州市钟楼区应急管理局")
    edit(plan, "issuer: 常州市钟楼区应急管理局", "issuer: [常州市钟楼区应急管理局]")
    assert only_problem(validate(workspace)) == (
        f"{PLAN}:{line}:11: notice.issuer 应为文字，收到 列表 — 请把此处改为文字")
