"""Typed models of the plan, the directory of boards and units, reports and cases."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]
TargetId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=80)]
MAX_TEXT = 2000
"""Longest text one field may hold, in characters: the longest item of the 2023 plan has 130.
A guard against a pasted document or a flood, not a style rule."""
Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT, strip_whitespace=True)]
Note = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
"""Optional free text (a note, a unit), as long as a Text may be."""


class Model(BaseModel):
    """Base for every input model: unknown fields are mistakes, not extensions."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- directory: data/boards.yaml -------------------------------------------------------------

class Board(Model):
    slug: Slug
    """Fixed ASCII slug used in file names, URLs and exports."""
    name: Text
    """Name as printed in the document, e.g. 北港街道."""
    short: Text
    """Short name used in tables and charts, e.g. 北港."""
    aliases: list[Text] = []
    """Other names the document or clerks use (高新园, 邹区 ...)."""


class Unit(Model):
    name: Text
    """Name as the document writes it in 责任地区 or in a target, e.g. 区局."""
    full_name: Text
    level: Literal["市", "区", "板块", "其他"]
    aliases: list[Text] = []
    note: Note | None = None
    all_boards: bool = False
    """True for 各板块/各地区: the unit stands for every board."""
    slug: Slug | None = None
    """ASCII slug for a unit that reports like a board (data/progress/<quarter>/<slug>.csv)."""
    reports: bool = False
    """True when the unit reports its own progress (区局): its targets get statuses."""


class Contact(Model):
    name: Text
    kind: Literal["个人", "处室"]
    unit: Text
    """The unit the contact belongs to (a Unit name)."""
    note: Note | None = None


class Directory(Model):
    boards: list[Board]
    units: list[Unit]
    contacts: list[Contact]


# --- plan: data/plans/<year>.yaml -----------------------------------------------------------

class Requirement(Model):
    no: int
    title: Text
    text: Text


class Notice(Model):
    number: Text
    title: Text
    issuer: Text
    date: dt.date
    recipients: list[Text]
    preamble: Text
    requirements: list[Requirement]
    attachment: Text
    closing: Text
    """The sentence printed under the table."""
    report_day: int = Field(default=25, ge=1, le=28)
    """Day of each quarter's last month on which progress is due (每季度末的第 25 日); at most
    the 28th, a day every month has."""


class Metric(Model):
    kind: Literal["count", "percent", "ratio", "done"]
    op: Literal[">=", "<=", "=="] = ">="
    value: float | None = None
    """Threshold per board (or for the owner), e.g. 5 for 不低于5%; None for done-type."""
    unit: Note | None = None
    total: float | None = None
    """District total stated in the text; per-board quotas must add up to it (94, 47)."""
    subject: Note | None = None
    """What is measured, e.g. 三级安全生产标准化创建企业数."""


class Baseline(Model):
    ref: Literal["previous_year"]
    description: Text
    value: float | None = None
    """Last year's figure when the document states it (9.2 条)."""


class Recurrence(Model):
    every: Literal["day", "month", "quarter", "year"]
    start: dt.date
    end: dt.date | None = None
    times: int = Field(default=1, ge=1)
    """How many times per period (每月不少于2次 → 2)."""


TargetKind = Literal["milestone", "cumulative", "level", "limit", "recurring", "continuing",
                     "unassessed"]
"""How a target is judged (方法说明 explains each):

- milestone: done once by a deadline (示范点, 手册, 一轮培训); judged at the deadline;
- cumulative: a continuous count (标准化创建 25 家); the expectation is pro-rated;
- level: a rate or average that must reach a value (投保率 ≥97%), on its latest value;
- limit: a red line that must never be exceeded (不得超过, 严禁); re-checked at every report;
- recurring: per period (每月/每季度); counted per period due by the report date;
- continuing: a duty without a measure (持续推进, 常态化); confirmed per quarter;
- unassessed: shown, never scored (完成上级交办的其他任务).
"""


class Milestone(Model):
    date: dt.date
    value: float = Field(ge=0)
    """What must be reached by `date` (an interim milestone the bureau sets)."""


class Target(Model):
    id: TargetId
    no: str | None = None
    """Item number as printed in 目标任务 (1, 2, 3 ...); sub-items get a letter (1a, 1b)."""
    text: Text
    """Verbatim text of the item."""
    deadline: dt.date | None = None
    start: dt.date | None = None
    recurrence: Recurrence | None = None
    kind: TargetKind | None = None
    """How the target is judged; see TargetKind."""
    owners: list[Text]
    """Who leads (主办): unit names (区局, 市局, 各板块 ...) or board slugs."""
    support: list[Text] = []
    """Who supports (配合): their cells get statuses but do not count in their score."""
    weight: float | None = Field(default=None, ge=0)
    """Weight in the assessment; default: each printed item weighs 1, shared by its parts."""
    milestones: list[Milestone] = []
    """Interim milestones for a milestone or cumulative target (optional)."""
    metric: Metric | None = None
    quotas: dict[str, float] = {}
    """Per-board quota keyed by board slug."""
    baseline: Baseline | None = None
    note: Note | None = None


class Campaign(Model):
    id: Slug
    name: Text
    """重点专项, or the short name of the row."""
    work: Note | None = None
    """具体工作, verbatim."""
    focus: Note | None = None
    """小切口, where the row names one."""
    responsible: list[Text]
    """责任地区, as unit names or board slugs."""
    contacts: list[Text]
    targets: list[Target]


class Group(Model):
    name: Note | None = None
    campaigns: list[Campaign]


class Pillar(Model):
    id: Slug
    no: int
    name: Text
    """e.g. 小切口，抓关键."""
    short: Text
    """e.g. 小切口."""
    groups: list[Group]


class ReportScores(Model):
    on_time: float = Field(default=100, ge=0, le=100)
    late: float = Field(default=60, ge=0, le=100)
    missing: float = Field(default=0, ge=0, le=100)


class Scoring(Model):
    """How the assessment scores a board; the bureau sets it in the plan (方法说明 prints it)."""

    task_weight: float = Field(default=0.8, ge=0, le=1)
    """Share of the total score that comes from the targets the board leads."""
    report_weight: float = Field(default=0.2, ge=0, le=1)
    """Share that comes from reporting on time."""
    late_factor: float = Field(default=0.6, ge=0, le=1)
    """Share of a cell's points earned when it is completed after its judgement report."""
    report_scores: ReportScores = ReportScores()


class Plan(Model):
    year: int
    sample: bool = False
    """True for an invented demonstration plan: every page of that year says so."""
    notice: Notice
    scoring: Scoring = Scoring()
    pillars: list[Pillar]
