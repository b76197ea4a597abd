"""Validate parsed YAML against a model, turning pydantic errors into Chinese problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.common.problems import Problems, did_you_mean, display_path
from generator.inputs.yamlio import Marks, mark_for

M = TypeVar("M", bound=BaseModel)

_TYPE_NAMES = {
    "int": "整数", "float": "数字", "string": "文字", "str": "文字", "bool": "是/否 (true/false)",
    "date": "日期（如 2023-06-30）", "list": "列表（每项以“- ”开头）", "dict": "键值映射",
}


def validate_model(model: type[M], data: Any, path: Path, marks: Marks,
                   problems: Problems) -> M | None:
    """Return the validated model, or None after recording each error with its position."""
    if not isinstance(data, dict):
        line, column = marks.get((), (1, 1))
        got = "空文件" if data is None else f"{_kind(data)}"
        problems.add(path, line, column, f"文件顶层应为键值映射，实际是{got}",
                     "请参照 data/ 下同类文件的格式填写")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        # A value the YAML reader refused (an impossible date, a !!tag) was already explained
        # at its position; the schema's "expected a date, got nothing" would only repeat it.
        explained = {(p.path, p.line, p.column) for p in problems.items}
        for item in error.errors(include_url=False):
            loc = tuple(item["loc"])
            line, column = mark_for(marks, _key_loc(item, loc))
            if (display_path(path), line, column) in explained:
                continue
            message, hint = translate(item, model, loc, data)
            problems.add(path, line, column, message, hint)
        return None


def _key_loc(item: ErrorDetails, loc: tuple) -> tuple:
    if item["type"] == "extra_forbidden":
        return loc + ("<key>",)
    return loc


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "列表"
    if isinstance(value, str):
        return f"文字 '{value[:20]}'"
    return type(value).__name__


def field_path(loc: tuple, data: Any = None) -> str:
    """Render a location in the YAML's own terms, naming list items by their id when they have one.

    ("pillars", 0, "groups", 2, "campaigns", 3, "targets", 1, "metric") with data →
    "targets[biaozhunhua-1b].metric"; without an id, items are counted from 1.
    """
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            if ident is not None:
                parts = [f"{parts[-1] if parts else ''}[{ident}]"]
            elif parts:
                parts[-1] += f"[{part + 1}]"
            node = item
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)


def translate(item: ErrorDetails, model: type[BaseModel], loc: tuple, data: Any = None
              ) -> tuple[str, str]:
    """Translate one pydantic error into a Chinese message and a hint on how to fix it."""
    kind = item["type"]
    name = field_path(loc, data)
    got = item.get("input")
    if kind == "missing":
        return f"缺少必填字段 '{loc[-1]}'（位置 {field_path(loc[:-1], data) or '顶层'}）", \
            f"请补上 {loc[-1]}: …"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        return f"未知字段 '{loc[-1]}'", did_you_mean(str(loc[-1]), allowed, "字段")
    if kind == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        return f"{name} 的值 '{got}' 不在允许范围内", f"可选值：{expected}"
    if kind == "string_pattern_mismatch" and str(loc[-1]).endswith("_url"):
        return f"{name} 的值 '{got}' 不是 http(s) 网址", "请写完整网址，如 https://example.gov.cn/portal/"
    if kind == "string_pattern_mismatch":
        return f"{name} 的值 '{got}' 格式不对", "只能使用小写英文字母、数字和连字符，并以字母开头"
    if kind == "string_too_short":
        return f"{name} 不能为空", "请填写内容"
    if kind == "string_too_long":
        limit = item.get("ctx", {}).get("max_length", 0)
        return (f"{name} 过长（{len(str(got)):,} 字，上限 {limit:,} 字）",
                "请精简；如确需全文，请放在 data/source/ 的原文文件中")
    if kind in RANGE_WORDS:
        return f"{name} 的值 {got} 超出允许范围", _range_hint(loc, item)
    for type_name, chinese in _TYPE_NAMES.items():
        if kind.startswith(type_name + "_") or kind == type_name + "_type":
            return f"{name} 应为{chinese}，收到 {_show(got)}", f"请把此处改为{chinese}"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_from_datetime_inexact"):
        return f"{name} 应为日期（如 2023-06-30），收到 {_show(got)}", "日期格式为 年-月-日"
    if kind == "model_type" or kind == "model_attributes_type":
        return f"{name} 应为键值映射，收到 {_show(got)}", "请参照同类条目的格式"
    if kind == "value_error":
        return f"{name}：{item['ctx']['error']}", ""
    return f"{name}：{item['msg']}", ""


RANGE_WORDS = {"greater_than_equal": ("ge", "不能小于"), "less_than_equal": ("le", "不能大于"),
               "greater_than": ("gt", "须大于"), "less_than": ("lt", "须小于")}
RANGE_HINTS = {"report_day": "报送日须在 1 至 28 日之间：每个月都有这一天（2 月只有 28 日）"}


def _range_hint(loc: tuple, item: ErrorDetails) -> str:
    if str(loc[-1]) in RANGE_HINTS:
        return RANGE_HINTS[str(loc[-1])]
    key, words = RANGE_WORDS[item["type"]]
    return f"{words} {item.get('ctx', {}).get(key, '')}"


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "列表" if isinstance(value, list) else "键值映射"
    return repr(value) if value is not None else "空值"


def _allowed_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
