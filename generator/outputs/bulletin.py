"""The quarterly progress bulletin (工作进展通报) as a Word document: the notice's 定期总结通报.

A quarter's bulletin reads one `Evaluation` of the plan year whose statuses rest on that
quarter's report day: evaluated at `bulletin_as_of` (the site's as-of for the latest quarter;
for an earlier one, its last day before the next report day). Every number, status, rank and
name comes from that evaluation (and the cases of the quarter); `bulletin()` turns it into a
`Bulletin` of plain strings, `bulletin_docx()` draws that.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from generator.common.files import write_atomically
from generator.common.formatting import date_text, number, percent, score_text
from generator.common.numerals import chinese_number, quarter_name
from generator.common.problems import InputError, Problems
from generator.evaluate import ATTENTION, STATUS_ORDER, Cell, Compliance, Evaluation
from generator.evaluate.calendar import QUARTERS, Point, ReportCalendar, quarter_of
from generator.inputs.cases import Case
from generator.inputs.catalog import Catalog
from generator.inputs.models import Plan
from generator.outputs.docx_style import Span
from generator.site import cache

log = logging.getLogger(__name__)

LABEL = re.compile(r"(?P<year>\d{4})Q(?P<quarter>[1-4])")
LOOSE = re.compile(r"(?P<year>\d{4})\D*?(?P<quarter>\d)\D*")
FOLDER = "downloads/bulletins"
TITLE_LINE = 20
"""Characters of 二号 type on a 156 mm line: a longer title is broken in two, at a word."""
BREAKS = ("安全生产", "工作进展", "进展通报")
"""Where a long title may break (before these words), as a typesetter would."""


@dataclass(frozen=True)
class RankRow:
    rank: str
    name: str
    task: str
    report: str
    total: str


@dataclass(frozen=True)
class Concern:
    """One item of 需要关注的事项: a target of a board that is not where it should be."""

    status: str
    campaign: str
    target: str
    explanation: str
    contacts: str


@dataclass(frozen=True)
class BoardConcerns:
    name: str
    items: tuple[Concern, ...]


@dataclass(frozen=True)
class CaseNote:
    title: str
    board: str
    campaign: str
    date: str
    summary: str
    recommended: bool
    sample: bool


@dataclass(frozen=True)
class Bulletin:
    """Everything a bulletin prints, as text: the drawing adds no fact of its own."""

    year: int
    quarter: int
    issuer: str
    date: dt.date
    title_lines: tuple[str, ...]
    recipients: str
    sample: str | None
    """The sample-data explanation, or None when the figures are real."""
    opening: str
    overview: tuple[str, ...]
    ranking_note: str
    ranking: tuple[RankRow, ...]
    compliance_note: str
    compliance_head: tuple[str | tuple[str, str], ...]
    """板块, then each quarter as two lines: 第一季度 / 3月25日."""
    compliance: tuple[tuple[str, ...], ...]
    concerns_note: str
    concerns: tuple[BoardConcerns, ...]
    cases_note: str
    cases: tuple[CaseNote, ...]
    closing: tuple[str, ...]

    @property
    def title(self) -> str:
        return "".join(self.title_lines)

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)


# --- which quarters, evaluated when ---------------------------------------------------------

def quarter_label(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


def calendar_of(plan: Plan) -> ReportCalendar:
    return ReportCalendar(plan.year, plan.notice.report_day)


def published_quarters(plan: Plan, as_of: dt.date) -> list[int]:
    """The quarters whose report day has passed by as_of (a report day counts from the next
    day, as the statuses do): each has a bulletin."""
    point = calendar_of(plan).point_at(as_of)
    return list(range(1, point.quarter + 1)) if point else []


def bulletin_as_of(plan: Plan, quarter: int, as_of: dt.date) -> dt.date:
    """The data a quarter's bulletin rests on: everything up to as_of, but for an earlier
    quarter only up to the next report day (the last day its statuses still stand)."""
    if quarter == QUARTERS[-1]:
        return as_of
    return min(as_of, calendar_of(plan).due(quarter + 1))


# --- the contents ---------------------------------------------------------------------------

def bulletin(ev: Evaluation, settings, cases: Sequence[Case] = ()) -> Bulletin:
    """The bulletin of the quarter whose report day `ev`'s statuses rest on."""
    plan, quarter = ev.catalog.plan, report_point(ev).quarter
    notice = plan.notice
    return Bulletin(
        year=ev.year, quarter=quarter, issuer=notice.issuer, date=ev.as_of,
        title_lines=title_lines(f"{ev.year}年{quarter_name(quarter)}"
                                f"{subject(plan)}进展通报"),
        recipients="、".join(notice.recipients) + "：",
        sample=sample_text(settings, plan),
        opening=(f"根据{notice.number}的要求，各板块于每季度末月{notice.report_day}日报送工作进展。"
                 f"现将{ev.year}年{quarter_name(quarter)}各板块工作进展情况通报如下。"),
        overview=overview(ev), ranking_note=ranking_note(ev), ranking=ranking(ev),
        compliance_note=compliance_note(ev), compliance_head=compliance_head(ev),
        compliance=compliance_rows(ev),
        concerns_note=("下列指标处于" + "、".join(s.label for s in ATTENTION) +
                       "状态，请各板块对照原文和说明抓紧推进，并在下次报送时写明进展。"),
        concerns=concerns(ev), cases_note=cases_note(ev, quarter_cases(ev, cases)),
        cases=tuple(case_note(case) for case in quarter_cases(ev, cases)),
        closing=closing(ev))


def report_point(ev: Evaluation) -> Point:
    """The report day whose statuses a bulletin reports: there is none before the first one."""
    if ev.point is None:
        raise ValueError("no report day has passed: nothing to report on")
    return ev.point


def subject(plan: Plan) -> str:
    """What the plan is about, from its attachment's title: 「2023 年度钟楼区冶金等工贸行业安全
    生产工作要点任务分解表」 → 冶金等工贸行业安全生产工作 (the district's name is the issuer's)."""
    found = re.search(r"年度\s*(?P<rest>.+?)(?:要点)?任务分解表", plan.notice.attachment)
    rest = found["rest"].strip() if found else ""
    place = re.match(r"^\S{1,6}?[省市区县]", rest)
    if place and place.group(0) in plan.notice.issuer:
        rest = rest[place.end():]
    return rest or "安全生产工作"


def title_lines(title: str, limit: int = TITLE_LINE) -> tuple[str, ...]:
    """Break a long title once, before the break word nearest its middle."""
    if _width(title) <= limit:
        return (title,)
    cuts = [index for word in BREAKS for index in _find_all(title, word)
            if 0 < index < len(title)]
    fitting = [cut for cut in cuts if _width(title[:cut]) <= limit]
    if not fitting:
        return (title,)
    middle = _width(title) / 2
    cut = min(fitting, key=lambda index: (abs(_width(title[:index]) - middle), index))
    return (title[:cut], title[cut:])


def _find_all(text: str, word: str) -> list[int]:
    return [match.start() for match in re.finditer(re.escape(word), text)]


def _width(text: str) -> float:
    """Printed width in characters: digits and Latin letters take half a character."""
    return sum(0.5 if ord(char) < 0x2E80 else 1 for char in text)


def sample_text(settings, plan: Plan) -> str | None:
    """The explanation under the 示例数据 line, or None when nothing in the document is sample."""
    parts = []
    if settings.sample_data:
        parts.append(settings.sample_notice)
    if plan.sample:
        parts.append(f"{plan.year} 年度的计划是演示用的虚构计划，不是正式文件。")
    return "".join(parts) or None


def judged_on(ev: Evaluation) -> str:
    point = report_point(ev)
    if point.closed:
        return f"{ev.year}年全年（截至{date_text(point.date)}）的报送"
    return f"{date_text(point.date)}应报的{quarter_name(point.quarter)}报表"


def overview(ev: Evaluation) -> tuple[str, ...]:
    district = ev.district()
    counts = "、".join(f"{status.label}{district.counts[status]}项" for status in STATUS_ORDER
                      if district.counts[status])
    rate = percent(district.done_rate, 1)
    return (
        f"本通报的指标状态和考核排名依据各板块{judged_on(ev)}核定"
        f"（排名依据日：{date_text(ev.ranking_date)}；数据截至{date_text(ev.as_of)}）。",
        f"全区各板块和区局等单位共承担{district.total}项“指标×责任单位”，其中{counts}。",
        f"已完成率{rate}：已完成（含逾期完成）{district.done}项，占已进入考核的"
        f"{district.assessed}项（不含未到期和不评估）。需要关注的"
        f"（{'、'.join(s.label for s in ATTENTION)}）共{district.attention}项，见第四部分。",
    )


def ranking_note(ev: Evaluation) -> str:
    scoring = ev.catalog.plan.scoring
    task, report = number(round(scoring.task_weight * 100, 1)), \
        number(round(scoring.report_weight * 100, 1))
    return (f"按本平台“方法说明”公开的方法计算：综合得分 = 任务得分 × {task}% + 报送得分 × "
            f"{report}%；得分相同的名次并列，尚无可计分指标的板块不排名（“—”）。"
            "得分是对公开数据的机械计算，仅供参考，不代替区局的正式考核结论。")


def ranking(ev: Evaluation) -> tuple[RankRow, ...]:
    return tuple(RankRow("—" if score.rank is None else str(score.rank), score.name,
                         score_text(score.task_score), score_text(score.report_score),
                         score_text(score.total))
                 for score in ev.scores())


def compliance_head(ev: Evaluation) -> tuple[str | tuple[str, str], ...]:
    calendar = calendar_of(ev.catalog.plan)
    # The report day on a line of its own, without brackets: four quarters fit A4 at 四号.
    days = [calendar.due(q) for q in range(1, report_point(ev).quarter + 1)]
    return ("板块", *((quarter_name(q), f"{day.month}月{day.day}日")
                     for q, day in enumerate(days, start=1)))


def compliance_rows(ev: Evaluation) -> tuple[tuple[str, ...], ...]:
    """Per board: 按时 / 迟报 / 未报 for each quarter up to this one."""
    return tuple((board.name, *(record.status.label for record in ev.board_compliance(slug)
                                if record.quarter <= report_point(ev).quarter))
                 for slug, board in ev.catalog.boards.items())


def compliance_note(ev: Evaluation) -> str:
    quarter = report_point(ev).quarter
    records = [record for slug in ev.catalog.boards for record in ev.board_compliance(slug)
               if record.quarter == quarter]
    counts = "、".join(f"{status.label}{sum(r.status is status for r in records)}个"
                      for status in (Compliance.ON_TIME, Compliance.LATE, Compliance.MISSING))
    due = calendar_of(ev.catalog.plan).due(quarter)
    return (f"{quarter_name(quarter)}报表应于{date_text(due)}报送，"
            f"{len(records)}个板块中{counts}（按报表中填写的上报日期判定）。")


def concerns(ev: Evaluation) -> tuple[BoardConcerns, ...]:
    """Per board in directory order: its cells that need attention, worst first, plan order."""
    order = {status: index for index, status in enumerate(ATTENTION)}
    result = []
    for slug, board in ev.catalog.boards.items():
        cells = sorted((cell for cell in ev.by_board.get(slug, ()) if cell.status in order),
                       key=lambda cell: order[cell.status])
        result.append(BoardConcerns(board.name, tuple(concern(ev.catalog, c) for c in cells)))
    return tuple(result)


def concern(catalog: Catalog, cell: Cell) -> Concern:
    info = catalog.targets[cell.target_id]
    target = info.target
    text = f"{target.no}. {target.text}" if target.no else target.text
    role = "（配合）" if cell.role == "support" else ""
    return Concern(cell.status.label, info.campaign.name + role, text, cell.explanation,
                   "、".join(info.campaign.contacts) or "—")


def quarter_cases(ev: Evaluation, cases: Sequence[Case]) -> list[Case]:
    """The year's cases dated in this quarter (and by the as-of date), oldest first."""
    quarter = report_point(ev).quarter
    chosen = [case for case in cases if case.year == ev.year and case.date <= ev.as_of
              and quarter_of(case.date) == quarter]
    return sorted(chosen, key=lambda case: (case.date, case.page_path))


def cases_note(ev: Evaluation, cases: Sequence[Case]) -> str:
    quarter = quarter_name(report_point(ev).quarter)
    if not cases:
        return f"{quarter}暂无典型案例。"
    recommended = sum(case.recommended for case in cases)
    tail = f"，其中{recommended}篇已由区局推荐报送市局" if recommended else ""
    return f"{quarter}各板块报送典型案例{len(cases)}篇{tail}。"


def case_note(case: Case) -> CaseNote:
    return CaseNote(case.title, case.board_name, case.campaign_name, date_text(case.date),
                    case.summary, case.recommended, case.sample)


def closing(ev: Evaluation) -> tuple[str, ...]:
    lines = [ev.catalog.plan.notice.closing]
    point = report_point(ev)
    if not point.closed and point.quarter < QUARTERS[-1]:
        due = calendar_of(ev.catalog.plan).due(point.quarter + 1)
        lines.append(f"下一次报送日为{date_text(due)}，请各板块按时报送。")
    return tuple(lines)


# --- the command line and the site ----------------------------------------------------------

def parse_quarter(label: str, plans: dict[int, Plan], as_of: dt.date) -> tuple[int, int]:
    """Check a quarter label like 2023Q3; raise InputError explaining what is wrong."""
    current = max(plans)
    problems = Problems()
    match = LABEL.fullmatch(label.strip())
    if match is None:
        loose = LOOSE.fullmatch(label.strip())
        hint = (f"是否应为 '{current}Q{loose['quarter']}'？" if loose and loose["quarter"] in "1234"
                else f"季度只能是 1 到 4，如 {current}Q1")
        problems.add("--quarter", message=f"季度 '{label}' 不对：应写成 {current}Q1 至 {current}Q4",
                     hint=hint)
    elif int(match["year"]) not in plans:
        years = "、".join(str(year) for year in sorted(plans))
        problems.add("--quarter", message=f"没有 {match['year']} 年度的任务分解表",
                     hint=f"可通报的年度：{years}")
    else:
        year, quarter = int(match["year"]), int(match["quarter"])
        if quarter not in published_quarters(plans[year], as_of):
            problems.add("--quarter", message=_not_yet(plans[year], quarter, as_of),
                         hint=_available(plans[year], as_of))
    if problems or match is None:  # a label that does not match is one of the problems
        raise InputError(problems)
    return int(match["year"]), int(match["quarter"])


def _not_yet(plan: Plan, quarter: int, as_of: dt.date) -> str:
    due = calendar_of(plan).due(quarter)
    return (f"{plan.year}年{quarter_name(quarter)}的报送日（{date_text(due)}）还没有过"
            f"（数据截至{date_text(as_of)}），尚无可通报的进展")


def _available(plan: Plan, as_of: dt.date) -> str:
    quarters = published_quarters(plan, as_of)
    if not quarters:
        return f"第一季度的通报在{date_text(calendar_of(plan).due(1))}之后才能生成"
    return "可通报的季度：" + "、".join(quarter_label(plan.year, q) for q in quarters)


def bulletin_name(year: int, quarter: int) -> str:
    return f"{quarter_label(year, quarter)}.docx"


def bulletin_files(catalog: Catalog, settings, cases: Sequence[Case], as_of: dt.date,
                   evaluate_at: Callable[[dt.date], Evaluation],
                   cache_dir: Path | None = None) -> dict[str, bytes]:
    """downloads/bulletins/<year>Q<n>.docx for each quarter of the plan year reported by as_of;
    `evaluate_at(day)` evaluates the year with the data up to that day.

    With a `cache_dir`, a bulletin whose contents and drawing code are unchanged is read from
    there: at a city's scale drawing one takes python-docx many seconds.
    """
    plan = catalog.plan
    files = {}
    for quarter in published_quarters(plan, as_of):
        document = bulletin(evaluate_at(bulletin_as_of(plan, quarter, as_of)), settings, cases)
        data, _ = cache.get_or_make(cache_dir, drawing_key(document), ".docx",
                                    functools.partial(bulletin_docx, document))
        files[f"{FOLDER}/{bulletin_name(plan.year, quarter)}"] = data
    return files


DRAWING = ("bulletin.py", "docx_style.py", "docx_writer.py", "office_zip.py")
"""The modules whose code decides a bulletin's bytes besides its contents."""


def drawing_key(document: Bulletin) -> str:
    """A content hash of everything that decides the bytes: the contents (plain values, so
    their repr is complete), the drawing code and python-docx's version."""
    digest = hashlib.sha256(repr(document).encode("utf-8"))
    for name in DRAWING:
        digest.update((Path(__file__).parent / name).read_bytes())
    digest.update(metadata.version("python-docx").encode())
    return digest.hexdigest()


def bulletin_links(files: dict[str, bytes], root: str = "") -> list[dict[str, str]]:
    """The assessment page's links to the bulletins among `files`, oldest first."""
    links = []
    for path in sorted(files):
        found = re.fullmatch(rf"{FOLDER}/(\d{{4}})Q([1-4])\.docx", path)
        if found:
            links.append({"label": f"{found[1]}年{quarter_name(int(found[2]))}",
                          "link": root + path})
    return links


def write_bulletin(ev: Evaluation, settings, cases: Sequence[Case], out_dir: Path) -> Path:
    """Write <out_dir>/<year>Q<n>.docx; return its path."""
    document = bulletin(ev, settings, cases)
    path = Path(out_dir) / bulletin_name(document.year, document.quarter)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, bulletin_docx(document))
    log.info("wrote %s", path)
    return path


# --- drawing --------------------------------------------------------------------------------

RANK_WIDTHS = (18, 44, 31, 31, 32)
"""Millimetres, 156 in all (the text block's width)."""


def bulletin_docx(document: Bulletin) -> bytes:
    """Draw the bulletin (imports python-docx on first use)."""
    from generator.outputs.docx_writer import document_writer

    writer = document_writer(document.title, document.issuer, document.date, document.sample,
                             subject="工作进展通报", keywords=document.label)
    _head(writer, document)
    _body(writer, document)
    return writer.to_bytes()


def _head(writer, document: Bulletin) -> None:
    writer.para("GovIssuer", document.issuer)
    writer.para("GovIssuerDate", date_text(document.date))
    title = [Span(line) for line in document.title_lines[:1]]
    for line in document.title_lines[1:]:
        title += [Span("", brk=True), Span(line)]
    writer.para("GovTitle", title)
    writer.para("GovPlain", document.recipients)
    writer.para("GovBody", document.opening)


def _body(writer, document: Bulletin) -> None:
    writer.para("GovHeading1", "一、总体情况")
    for line in document.overview:
        writer.para("GovBody", line)
    writer.para("GovHeading1", "二、各板块得分与排名")
    writer.para("GovBody", document.ranking_note, keep=True)  # with its table
    writer.table(("排名", "板块", "任务得分", "报送得分", "综合得分"),
                 [(r.rank, r.name, r.task, r.report, r.total) for r in document.ranking],
                 RANK_WIDTHS)
    writer.para("GovHeading1", "三、报送情况")
    writer.para("GovBody", document.compliance_note, keep=True)  # with its table
    quarters = len(document.compliance_head) - 1
    writer.table(document.compliance_head, document.compliance,
                 (32, *([124 / quarters] * quarters)))
    writer.para("GovHeading1", "四、需要关注的事项")
    writer.para("GovBody", document.concerns_note)
    for index, board in enumerate(document.concerns, start=1):
        _board_concerns(writer, index, board)
    writer.para("GovHeading1", "五、典型案例")
    writer.para("GovBody", document.cases_note)
    for index, case in enumerate(document.cases, start=1):
        _case(writer, index, case)
    for line in document.closing:  # the signature never stands alone on a page (GB/T 9704)
        writer.para("GovBody", line, keep=True)
    writer.para("GovSignatureFirst", document.issuer, keep=True)
    writer.para("GovSignature", date_text(document.date))


def _board_concerns(writer, index: int, board: BoardConcerns) -> None:
    writer.para("GovHeading2", f"（{chinese_number(index)}）{board.name}")
    if not board.items:
        writer.para("GovBody", "本季度没有需要关注的事项。")
    for number_, item in enumerate(board.items, start=1):
        writer.para("GovBody", [f"{number_}. ", Span(f"【{item.status}】", bold=True),
                                Span(f"{item.campaign}：", bold=True), item.target], keep=True)
        writer.para("GovQuote", [f"说明：{item.explanation}；联系人：{item.contacts}。"])


def _case(writer, index: int, case: CaseNote) -> None:
    marks = ("（示例）" if case.sample else "") + ("【推荐报送市局】" if case.recommended else "")
    writer.para("GovBody", [f"{index}. ", Span(case.title, bold=True), marks,
                            f"（{case.board}，{case.campaign}，{case.date}）"], keep=True)
    writer.para("GovQuote", case.summary)
