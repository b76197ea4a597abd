"""Split a 目标任务 cell into printed items, each item into clauses, and clauses into targets.

An item becomes several targets (1a, 1b …) when its parts have different owners or different
measures; the clause reader below decides where one part ends and the next begins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.plan_import import phrases
from generator.plan_import.names import OTHERS, Names

_ITEM_NO = re.compile(r"(?:^|(?<=[\s；;。]))(\d{1,2})[.．、](?![\d.]*%)\s*")
_OPEN, _CLOSE = "（(《“\"‘「", "）)》”\"’」"
_ENDS = "，,；;。"
_SENTENCE_ENDS = "；;。"
SOFT_STARTERS = re.compile(r"^(?:严禁|确保|加强)")
ENCOURAGE = re.compile(r"^鼓励")
CONTINUING = re.compile(r"^(?:持续|加强|进一步)|常态化|持续(?:推进|完善|丰富|优化|开展)|进一步完善"
                        r"|确保(?![^，。；]*\d)")
CONDITIONAL = re.compile(r"^(?:出现|发现|一旦|如遇|如发现|若)")
TIME_PREFIX = re.compile(r"^(?:(?:\d{4}\s*年\s*)?(?:\d{1,2}\s*月(?:底底?前|底|末|份)(?:起)?|"
                         r"\d{1,2}月份?起|[一二三四]季度(?:起|末|内|前)?|年底前?|本年底|全年|"
                         r"上半年|下半年(?:起)?))[，,]?")


@dataclass(frozen=True)
class Item:
    no: str | None
    """The printed number (\"1\"), or None for an unnumbered cell."""
    text: str
    question: str | None = None


def split_items(cell: str) -> list[Item]:
    """Cut a cell at its printed numbers 1. 2. 3.; without numbers, at ‘；’ before a deadline."""
    marks = _numbered(cell)
    if not marks:
        return [Item(None, text) for text in _unnumbered(cell)]
    items: list[Item] = []
    if cell[:marks[0][1]].strip():
        items.append(Item(None, cell[:marks[0][1]].strip(), "本条印在序号 1 之前，请确认其归属"))
    seen: set[str] = set()
    for index, (number, _start, body_start) in enumerate(marks):
        end = marks[index + 1][1] if index + 1 < len(marks) else len(cell)
        question = f"原文序号“{number}”重复出现，已按顺序编号，请确认" if number in seen else None
        seen.add(number)
        items.append(Item(number, cell[body_start:end].strip(), question))
    return items


def _numbered(cell: str) -> list[tuple[str, int, int]]:
    """(number, start, body start) of each item number that continues the sequence 1, 2, 3 …"""
    found: list[tuple[str, int, int]] = []
    expected = 1
    for match in _ITEM_NO.finditer(cell):
        number = int(match.group(1))
        if number == expected or (found and number == expected - 1):
            found.append((match.group(1), match.start(), match.end()))
            expected = number + 1
    return found


def _unnumbered(cell: str) -> list[str]:
    """Sentences that each begin with their own deadline are separate items."""
    pieces = re.split(r"(?<=[；;])\s*(?=(?:\d{1,2}月|年底|[一二三四]季度))", cell.strip())
    return [p.strip() for p in pieces if p.strip()]


def clauses(text: str) -> list[tuple[str, bool]]:
    """(clause, starts a sentence) pairs: text cut after ，；。 outside brackets and quotes."""
    out: list[tuple[str, bool]] = []
    depth, begin, sentence = 0, 0, True
    for index, char in enumerate(text):
        if char in _OPEN and not (char in _CLOSE and depth):
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
        elif char in _ENDS and depth == 0:
            out.append((text[begin:index + 1], sentence))
            sentence, begin = char in _SENTENCE_ENDS, index + 1
    if text[begin:].strip():
        out.append((text[begin:], sentence))
    return [(clause, start) for clause, start in out if clause.strip()]


# --- what one clause says -------------------------------------------------------------------

@dataclass(frozen=True)
class Clause:
    text: str
    sentence_start: bool
    lead: tuple[str, ...]
    """Owners named at the start of the clause (各板块, 区局, board slugs)."""
    support: tuple[str, ...]
    """Owners named as helpers (各板块配合区局 → support 各板块, lead 区局)."""
    time_lead: bool
    prefix_only: bool
    quotas: tuple[tuple[tuple[str, ...], float, str | None], ...]
    thresholds: tuple[phrases.Threshold, ...]
    baseline: phrases.BaselineRef | None
    soft: bool
    encourage: bool

    @property
    def starter(self) -> bool:
        return self.sentence_start or self.time_lead or bool(self.lead) or self.soft

    @property
    def measured(self) -> bool:
        return bool(self.thresholds or self.baseline or self.quotas)


def read_clause(text: str, sentence_start: bool, names: Names) -> Clause:
    body = text.strip()
    time = TIME_PREFIX.match(body)
    rest = body[time.end():] if time else body
    lead, support = lead_owners(rest, names)
    quota = quotas(body, names)
    return Clause(
        text, sentence_start, tuple(lead), tuple(support), bool(time),
        bool(time) and not rest.strip(" ，,"), tuple(quota),
        () if quota else tuple(phrases.thresholds(body)),
        None if quota else phrases.baseline(body),
        bool(SOFT_STARTERS.match(rest)), bool(ENCOURAGE.match(rest)))


def lead_owners(text: str, names: Names) -> tuple[list[str], list[str]]:
    """Owners a clause starts with; ‘X配合Y’ makes Y the owner and X the support."""
    text = re.sub(r"^(?:由|请|要求)", "", text.strip())
    text = re.sub(r"^鼓励", "", text)
    if text.startswith("全区组织") and names.district:
        return [names.district], []
    found, rest = _name_list(text, names)
    if not found:
        return [], []
    helped, _ = _name_list(rest[2:], names) if rest.startswith("配合") else ([], "")
    return (helped, found) if helped else (found, [])


def _name_list(text: str, names: Names) -> tuple[list[str], str]:
    pattern = re.compile(rf"^(?:{names.pattern()})")
    found: list[str] = []
    while True:
        match = pattern.match(text)
        if not match:
            break
        found.append(names.lookup[match.group(0)])
        text = text[match.end():]
        joiner = re.match(r"^[、和与及]", text)
        if not joiner or not pattern.match(text[1:]):
            break
        text = text[1:]
    return found, text


def quotas(text: str, names: Names) -> list[tuple[tuple[str, ...], float, str | None]]:
    """Per-board numbers of a quota clause (其中邹区镇25家 / 五星街道、西林街道各培育1家)."""
    body = re.sub(r"^其中", "", text.strip().rstrip(_ENDS))
    boards = names.pattern(boards_only=True) + "|" + "|".join(OTHERS)
    clause = re.compile(
        rf"^((?:{boards})(?:[、和及与](?:{boards}))*)(?:各|均)?[\u4e00-\u9fff]{{0,3}}?"
        rf"(?:均不少于|各不少于|不少于|不低于)?\s*(\d+(?:\.\d+)?)\s*({phrases.UNITS})?$")
    pieces = [body] if clause.match(body) else body.split("、")
    out = []
    for piece in pieces:
        match = clause.match(piece)
        if not match:
            return []
        listed = tuple(names.lookup.get(n, n) for n in re.split(r"[、和及与]", match.group(1)))
        out.append((listed, float(match.group(2)), match.group(3)))
    return out


# --- parts: where one target ends and the next begins ------------------------------------------

@dataclass
class Part:
    clauses: list[Clause] = field(default_factory=list)
    reason: str = ""
    """Why this part was split from the one before: owner, measure or nature."""

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.clauses).strip()


def split_parts(text: str, names: Names, year: int) -> list[Part]:
    """Cut an item into parts with one owner and one measure each."""
    infos = [read_clause(c, s, names) for c, s in clauses(text)]
    parts: list[Part] = []
    for index, clause in enumerate(infos):
        current = parts[-1] if parts else None
        reason = _split_before(current, infos, index, year) if current else "first"
        if reason:
            parts.append(Part([clause], "" if reason == "first" else reason))
        else:
            current.clauses.append(clause)  # type: ignore[union-attr]
    return parts


def _split_before(current: Part, infos: list[Clause], index: int, year: int) -> str | None:
    clause = infos[index]
    if all(c.prefix_only for c in current.clauses) or clause.quotas or clause.encourage:
        return None
    if clause.thresholds or clause.baseline:
        if any(c.measured for c in current.clauses):
            return "measure"
    if not clause.starter:
        return None
    segment = _segment(infos, index)
    return _differs(current.clauses, segment, year)


def _segment(infos: list[Clause], index: int) -> list[Clause]:
    """The clause and the rest of its sentence."""
    out: list[Clause] = []
    for clause in infos[index:]:
        if out and clause.sentence_start:
            break
        out.append(clause)
    return out


def _differs(current: list[Clause], segment: list[Clause], year: int) -> str | None:
    ours, theirs = owners_named(current), owners_named(segment)
    if ours and theirs and set(ours) != set(theirs):
        return "owner"
    mine, other = nature(current, year), nature(segment, year)
    own_deadline = phrases.deadline(_join(segment), year).date
    if own_deadline and phrases.deadline(_join(current), year).date not in (None, own_deadline):
        return "deadline"
    if "N" in (mine, other):
        return None
    if not ours and theirs and mine == "D":
        return None  # the segment says who does the dated task, and how much
    if mine == other == "T":
        return "measure"
    if mine == "C" and other == "T" and not theirs and not segment[0].sentence_start:
        return None  # 加强跟踪，确保100%完成整改: the number measures the same duty
    return "nature" if mine != other else None


def _join(clauses_: list[Clause]) -> str:
    return "".join(c.text for c in clauses_)


def owners_named(clauses_: list[Clause]) -> list[str]:
    """The owners the first owner-led clause names (quota clauses name boards, not owners)."""
    for clause in clauses_:
        if clause.lead and not clause.quotas:
            return list(clause.lead)
    return []


def nature(clauses_: list[Clause], year: int) -> str:
    """T measured, R recurring, C continuing, D dated, N nothing yet (a heading, a condition)."""
    text = _join(clauses_)
    if any(c.measured for c in clauses_):
        return "T"
    if phrases.period(text):
        return "R"
    if CONTINUING.search(text.strip()) or CONDITIONAL.match(text.strip()):
        return "C"
    if phrases.deadline(text, year).date:
        return "D"
    return "N"
