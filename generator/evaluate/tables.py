"""The evaluation's tables, computed with pandas: the cells as one frame, their status counts by
district, pillar, campaign and owner (and the board × campaign matrix), and the ranking.

pandas is imported inside each function, never when this module is: a no-op build, `validate`
and every command that evaluates nothing do not load it (tests/test_performance.py checks a
no-op build; `make bench` measures what importing it costs).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from generator.evaluate.model import STATUS_ORDER, Cell, Rollup, Status

if TYPE_CHECKING:
    import pandas as pd

    from generator.inputs.catalog import Catalog

KEYS = ("pillar", "campaign", "owner")
"""What a rollup can be grouped by, in the order a key tuple lists them."""
STATUS_CODES = [status.value for status in STATUS_ORDER]


def cells_frame(cells: Sequence[Cell], catalog: Catalog) -> pd.DataFrame:
    """One row per cell, in evaluation order: its target, owner, campaign, pillar and status
    (the status's code, a categorical of STATUS_ORDER)."""
    import pandas as pd

    infos = [catalog.targets[cell.target_id] for cell in cells]
    return pd.DataFrame({
        "target": [cell.target_id for cell in cells],
        "owner": [cell.owner for cell in cells],
        "is_board": [cell.is_board for cell in cells],
        "campaign": [info.campaign.id for info in infos],
        "pillar": [info.pillar.id for info in infos],
        "status": pd.Categorical([cell.status.value for cell in cells],
                                 categories=STATUS_CODES),
    })


def status_counts(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Cells per status for each combination of `keys` that has cells (a pivot table): one row
    per combination, one column per status code in STATUS_ORDER, 0 where none; with no keys,
    one row for all the cells."""
    # The status column is a categorical of STATUS_CODES: counted with its unobserved categories,
    # every status is a column, in STATUS_ORDER, 0 where no cell has it.
    if not keys:
        return frame["status"].value_counts(sort=False).to_frame().T
    return frame.pivot_table(index=list(keys), columns="status", aggfunc="size", fill_value=0,
                             observed=False)


def rollups(frame: pd.DataFrame, keys: Sequence[str]) -> dict[Any, Rollup]:
    """A Rollup per combination of `keys` that has cells: keyed by its value for one key, by
    the tuple of values (in the order of `keys`) for several; by () for no key (all cells)."""
    rows = status_counts(frame, keys).to_dict("index")
    if not keys:
        rows = {(): rows["count"]}
    return {key: Rollup({Status(str(code)): int(n) for code, n in counts.items()})
            for key, counts in rows.items()}


def ranking(totals: Sequence[float | None], order: Sequence[int]) -> list[tuple[int, int | None]]:
    """(position in `totals`, rank) from first to last: the higher total first, then the lower
    `order`; equal totals share the best rank of their group (1, 1, 3); a None total has no rank
    and comes after every ranked one."""
    import pandas as pd

    table = pd.DataFrame({"total": list(totals), "order": list(order)})
    table["rank"] = table["total"].rank(method="min", ascending=False)  # None: no rank (NaN)
    table = table.sort_values(["total", "order"], ascending=[False, True])  # NaN last
    table = table.reset_index(names="position")
    return [(int(position), None if pd.isna(rank) else int(rank))
            for position, rank in table[["position", "rank"]].itertuples(index=False, name=None)]
