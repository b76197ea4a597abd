"""Read YAML safely, remembering where each value stands so problems can name a line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.problems import Problems

# A guard against a wrong file, not a format limit: a province-size plan (k≈100 districts of
# this district's 40 campaigns) is about 12 MiB.
MAX_YAML_BYTES = 32 * 1024 * 1024
Marks = dict[tuple, tuple[int, int]]
ALIAS_PROBLEM = "不允许使用 YAML 别名（*别名）"
ALIAS_HINT = "请把内容直接写出来，不要使用 & 锚点和 * 别名"
SYNTAX_HINT = "请检查缩进、冒号后的空格和引号是否成对"


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases, which is how YAML "billion laughs" bombs work."""

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem=ALIAS_PROBLEM, problem_mark=event.start_mark
            )
        return super().compose_node(parent, index)


class _AliasSeen(Exception):
    """The fast parse met an alias: let the careful parser report it."""


def read_yaml(path: Path, text: str, problems: Problems) -> tuple[Any, Marks]:
    """Parse YAML text; on failure record a problem and return (None, {}).

    libyaml parses when it is available (about twice as fast on a city-size plan); any error or
    alias sends the text through the pure-Python parser, whose messages we translate.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            node = yaml.compose(text, Loader=fast)
            marks: Marks = {}
            return (_Builder(path, problems, marks, refuse_shared=True).build(node, ())
                    if node is not None else None), marks
        except (yaml.YAMLError, _AliasSeen):
            pass
    return _read_carefully(path, text, problems)


def _read_carefully(path: Path, text: str, problems: Problems) -> tuple[Any, Marks]:
    try:
        node = yaml.compose(text, Loader=_NoAliasLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        described = _describe(error)
        hint = ALIAS_HINT if described == ALIAS_PROBLEM else SYNTAX_HINT
        problems.add(path, line, column, f"YAML 格式错误：{described}", hint)
        return None, {}
    except yaml.YAMLError as error:
        problems.add(path, 0, 0, f"YAML 格式错误：{error}", "请检查文件格式")
        return None, {}
    if node is None:
        return None, {}
    marks: Marks = {}
    builder = _Builder(path, problems, marks)
    return builder.build(node, ()), marks


def load_yaml_file(path: Path, problems: Problems, max_bytes: int = MAX_YAML_BYTES
                   ) -> tuple[Any, Marks]:
    """Read a UTF-8 YAML file with size and encoding checks."""
    text = read_text_limited(path, problems, max_bytes)
    if text is None:
        return None, {}
    return read_yaml(path, text, problems)


def read_text_limited(path: Path, problems: Problems, max_bytes: int) -> str | None:
    """Read a UTF-8 text file no larger than max_bytes, recording a problem otherwise."""
    try:
        size = path.stat().st_size
    except OSError as error:
        problems.add(path, 0, 0, f"无法读取文件：{error.strerror}", "请确认文件存在且可读")
        return None
    if size > max_bytes:
        problems.add(path, 0, 0, f"文件过大（{size:,} 字节，上限 {max_bytes:,} 字节）",
                     "请检查是否误传了其他文件，或拆分内容")
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.add(path, line, 0, "文件不是 UTF-8 编码，无法读取",
                     "请用记事本或 VS Code 以“UTF-8”编码另存此文件")
        return None
    return text


def _describe(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or ""
    translations = {
        "mapping values are not allowed here": "此处不能出现“键: 值”（可能缺少缩进或引号）",
        "could not find expected ':'": "缺少冒号 ':'",
        "found character '\\t' that cannot start any token": "不能使用 Tab 缩进，请改用空格",
        "expected <block end>, but found": "缩进不一致",
        "found undefined alias": "引用了未定义的别名",
        "did not find expected key": "缩进不一致或缺少键",
        "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
        "found unknown escape character": "字符串中有无效的转义字符",
        "expected ',' or ']'": "方括号 [ ] 列表没有正确闭合",
        "expected ',' or '}'": "花括号 { } 没有正确闭合",
        "found duplicate anchor": "锚点名称重复",
        "could not find expected": "缺少配对的引号或括号",
    }
    for english, chinese in translations.items():
        if problem.startswith(english):
            return chinese
    return problem or str(error)


class _Builder:
    """Turn a composed YAML node tree into Python values plus a map of positions."""

    def __init__(self, path: Path, problems: Problems, marks: Marks,
                 refuse_shared: bool = False):
        self.path = path
        self.problems = problems
        self.marks = marks
        self.constructor = yaml.SafeLoader("")
        self.refuse_shared = refuse_shared
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, at: tuple) -> Any:
        if self.refuse_shared:  # a node met twice is an alias, and aliases are refused
            if id(node) in self.seen:
                raise _AliasSeen
            self.seen.add(id(node))
        self.marks[at] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, at + (index,)) for index, item in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            line, column = self.marks[at]
            self.problems.add(self.path, line, column, f"无法识别的值：{error}", "")
            return None

    def _mapping(self, node: yaml.MappingNode, at: tuple) -> dict:
        result: dict = {}
        self.constructor.flatten_mapping(node)
        for key_node, value_node in node.value:
            # Keys are read as written: YAML 1.1 would turn `no:` into False and `2023:` into int.
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or key == "":
                line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                self.problems.add(self.path, line, column, "键必须是简单文字", "")
                continue
            if key in result:
                line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                self.problems.add(self.path, line, column, f"键 '{key}' 重复出现",
                                  "同一层级的键只能出现一次，请删除或合并重复项")
            self.marks[at + (key, "<key>")] = (key_node.start_mark.line + 1,
                                               key_node.start_mark.column + 1)
            result[key] = self.build(value_node, at + (key,))
        return result


def mark_for(marks: Marks, loc: tuple) -> tuple[int, int]:
    """Find the position of the deepest known node along loc."""
    loc = tuple(loc)
    while loc:
        if loc in marks:
            return marks[loc]
        loc = loc[:-1]
    return marks.get((), (0, 0))
