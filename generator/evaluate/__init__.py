"""Evaluate stage: the status, score and rank of every target × owner, decided at report days.

calendar (report days, evaluation points) → observations (what each owner reported, per
quarter) → rules (one per target kind) → scores (compliance, weights, ranking) → evaluation
(the one model every page, chart, download and calendar reads). tables does the tabular work
with pandas, imported only when a table is first asked for: the cells as one frame, the status
counts (rollups, the board × campaign matrix) and the ranking. timeline derives 更新动态 (what
moved on each date) from the reports and cases.
"""

from generator.evaluate.calendar import Point, ReportCalendar
from generator.evaluate.evaluation import Evaluation, evaluate
from generator.evaluate.model import (
    ATTENTION,
    LABELS,
    STATUS_ORDER,
    Cell,
    Compliance,
    Rollup,
    Status,
    rollup,
)
from generator.evaluate.scores import ComplianceRecord, OwnerScore

__all__ = ["ATTENTION", "LABELS", "STATUS_ORDER", "Cell", "Compliance", "ComplianceRecord",
           "Evaluation", "OwnerScore", "Point", "ReportCalendar", "Rollup", "Status", "evaluate",
           "rollup"]
