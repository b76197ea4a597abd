"""Read YAML safely, remembering where each value stands so problems can name a line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.common.problems import Problems
from generator.inputs import sources
from generator.inputs.safe_text import HIDDEN_HINT, find_hidden, hidden_message

# A guard against a wrong file, not a format limit: a province-size plan (k≈100 districts of
# this district's 40 campaigns) is about 12 MiB.
MAX_YAML_BYTES = 32 * 1024 * 1024
Marks = dict[tuple, tuple[int, int]]
ALIAS_PROBLEM = "不允许使用 YAML 别名（*别名）"
ALIAS_HINT = "请把内容直接写出来，不要使用 & 锚点和 * 别名"
SYNTAX_HINT = "请检查缩进、冒号后的空格和引号是否成对"
MAX_DEPTH = 32
"""Collections nested deeper than this are refused: a plan nests about 11 deep. Without a limit,
`[[[[…` 100,000 deep crashes libyaml's composer (a C stack overflow) and the pure-Python one
raises RecursionError."""
DEPTH_PROBLEM = f"嵌套层数过多（超过 {MAX_DEPTH} 层）"
DEPTH_HINT = "请检查缩进和方括号、花括号：本项目的文件都只有十来层；可能误传了其他文件"
SAFE_C_DEPTH = 5000
"""libyaml's composer recurses in C: below this depth it is known to be safe."""
PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in
              ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")}
"""The tags YAML gives plain values by itself; any other (!!binary, !!python/…, !!set, !local)
is written on purpose and refused: the files hold text, numbers, dates, lists and mappings."""
TAG_HINT = "请删除以 ! 开头的标签，直接写出内容（文字可以加引号）"


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases, which is how YAML "billion laughs" bombs work."""

    depth = 0

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        event = self.peek_event()
        # types-PyYAML: an event's mark may be the C loader's Mark, MarkedYAMLError wants the
        # pure-Python one; both have the same fields and this loader is the pure-Python one.
        if isinstance(event, yaml.events.AliasEvent):
            raise yaml.MarkedYAMLError(problem=ALIAS_PROBLEM, problem_mark=event.start_mark)  # type: ignore[arg-type]
        if isinstance(event, yaml.events.CollectionStartEvent) and self.depth >= MAX_DEPTH:
            raise yaml.MarkedYAMLError(problem=DEPTH_PROBLEM, problem_mark=event.start_mark)  # type: ignore[arg-type]
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _AliasSeen(Exception):
    """The fast parse met an alias: let the careful parser report it."""


class _TooDeep(Exception):
    """A collection nested deeper than MAX_DEPTH: the whole file is refused, at its mark."""

    def __init__(self, mark: tuple[int, int]):
        super().__init__(mark)
        self.mark = mark


def read_yaml(path: Path, text: str, problems: Problems) -> tuple[Any, Marks]:
    """Parse YAML text; on failure record a problem and return (None, {}).

    libyaml parses when it is available (about twice as fast on a city-size plan); any error or
    alias sends the text through the pure-Python parser, whose messages we translate.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None and not _may_be_deeper(text, SAFE_C_DEPTH):
        try:
            node = yaml.compose(text, Loader=fast)
            marks: Marks = {}
            return (_Builder(path, problems, marks, refuse_shared=True).build(node, ())
                    if node is not None else None), marks
        except (yaml.YAMLError, _AliasSeen):
            pass
        except _TooDeep as deep:
            problems.add(path, *deep.mark, f"YAML 格式错误：{DEPTH_PROBLEM}", DEPTH_HINT)
            return None, {}
    return _read_carefully(path, text, problems)


def _may_be_deeper(text: str, depth: int) -> bool:
    """Whether text might nest deeper than depth: a cheap upper bound, exact for no file.

    A flow level needs its own [ or {; a block level needs more indentation, or a "- " on the
    same line (a block sequence under a key may share the key's column: twice the columns).
    """
    if text.count("[") + text.count("{") + 2 * _longest_line(text) + 2 <= depth:
        return False
    nesting = 0
    try:  # libyaml's parser keeps its own stack: it is safe at any depth
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, yaml.events.CollectionStartEvent):
                nesting += 1
                if nesting > depth:
                    return True
            elif isinstance(event, yaml.events.CollectionEndEvent):
                nesting -= 1
    except yaml.YAMLError:
        return True  # the careful parser will say what is wrong
    return False


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=0)


def _read_carefully(path: Path, text: str, problems: Problems) -> tuple[Any, Marks]:
    try:
        node = yaml.compose(text, Loader=_NoAliasLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        described = _describe(error)
        hint = {ALIAS_PROBLEM: ALIAS_HINT, DEPTH_PROBLEM: DEPTH_HINT}.get(described, SYNTAX_HINT)
        problems.add(path, line, column, f"YAML 格式错误：{described}", hint)
        return None, {}
    except yaml.YAMLError as error:
        problems.add(path, 0, 0, f"YAML 格式错误：{error}", "请检查文件格式")
        return None, {}
    except RecursionError:  # the depth limit makes this unreachable; kept as the last guard
        problems.add(path, 0, 0, f"YAML 格式错误：{DEPTH_PROBLEM}", DEPTH_HINT)
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
    """Read a UTF-8 text file no larger than max_bytes, recording a problem otherwise.

    Links are refused (generator.inputs.sources), and so is text holding an invisible control or
    bidi character (generator.inputs.safe_text).
    """
    try:
        raw = sources.read_bytes(path, max_bytes)
    except sources.ReadRefused as refused:
        problems.add(path, 0, 0, refused.message, refused.hint)
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.add(path, line, 0, "文件不是 UTF-8 编码，无法读取",
                     "请用记事本或 VS Code 以“UTF-8”编码另存此文件")
        return None
    if found := find_hidden(text):
        line, column, char, count = found
        problems.add(path, line, column, hidden_message(char, count), HIDDEN_HINT)
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
        if node.tag not in PLAIN_TAGS:
            return self._refuse_tag(node, at)
        if isinstance(node, yaml.CollectionNode) and len(at) >= MAX_DEPTH:
            raise _TooDeep(self.marks[at])
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, at + (index,)) for index, item in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            line, column = self.marks[at]
            self.problems.add(self.path, line, column, *_bad_value(node))
            return None

    def _refuse_tag(self, node: yaml.Node, at: tuple) -> Any:
        if node.tag == "tag:yaml.org,2002:value":  # a plain "=" resolves to it: it is text
            return node.value
        line, column = self.marks[at]
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        shown = tag if len(tag) <= 40 else tag[:39] + "…"
        self.problems.add(self.path, line, column, f"不允许使用 YAML 标签 '{shown}'", TAG_HINT)
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


def _bad_value(node: yaml.Node) -> tuple[str, str]:
    """Why a plain value cannot be read: an impossible date (2023-02-30) or time, mostly."""
    shown = str(node.value)[:40]
    if node.tag == "tag:yaml.org,2002:timestamp" and len(shown) > 10:
        return (f"日期时间 '{shown}' 不存在",
                "请核对年、月、日和时、分（时 0–23，分 0–59）；只写日期即可，如 2023-06-30")
    if node.tag == "tag:yaml.org,2002:timestamp":
        return (f"日期 '{shown}' 不存在",
                "请核对年、月、日（如 6 月没有 31 日），写成 2023-06-30 这样的日期")
    return f"无法识别的值 '{shown}'", "请检查这个值的写法；文字可以加引号"


def mark_for(marks: Marks, loc: tuple) -> tuple[int, int]:
    """Find the position of the deepest known node along loc."""
    loc = tuple(loc)
    while loc:
        if loc in marks:
            return marks[loc]
        loc = loc[:-1]
    return marks.get((), (0, 0))
