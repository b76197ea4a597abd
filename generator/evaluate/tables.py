"""The evaluation's tables, computed with pandas: the cells as one frame, their status counts by
district, pillar, campaign and owner (and the board × campaign matrix), and the ranking.

pandas is imported inside each function, never when this module is: a no-op build, `validate`
and every command that evaluates nothing do not load it (tests/test_performance.py checks a
no-op build; `make bench` measures what importing it costs).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from generator.evaluate.model import STATUS_ORDER, Cell, Rollup

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
    if not keys:
        counts = frame["status"].value_counts(sort=False).reindex(STATUS_CODES, fill_value=0)
        return counts.to_frame().T
    table = frame.pivot_table(index=list(keys), columns="status", aggfunc="size", fill_value=0,
                              observed=True, sort=False)
    return table.reindex(columns=STATUS_CODES, fill_value=0)


def rollups(frame: pd.DataFrame, keys: Sequence[str]) -> dict[Any, Rollup]:
    """A Rollup per combination of `keys` that has cells: keyed by its value for one key, by
    the tuple of values (in the order of `keys`) for several; by () for no key (all cells)."""
    table = status_counts(frame, keys)
    index = [()] if not keys else table.index.tolist()
    return {key: Rollup(dict(zip(STATUS_ORDER, row, strict=True)))
            for key, row in zip(index, table.to_numpy().tolist(), strict=True)}


def ranking(totals: Sequence[float | None], order: Sequence[int]) -> list[tuple[int, int | None]]:
    """(position in `totals`, rank) from first to last: the higher total first, then the lower
    `order`; equal totals share the best rank of their group (1, 1, 3); a None total has no rank
    and comes after every ranked one."""
    import pandas as pd

    table = pd.DataFrame({"total": pd.Series(list(totals), dtype="float64"),
                          "order": pd.Series(list(order), dtype="int64")})
    table["rank"] = table["total"].rank(method="min", ascending=False, na_option="keep")
    table = table.sort_values(["total", "order"], ascending=[False, True], na_position="last")
    return [(int(position), None if pd.isna(rank) else int(rank))
            for position, rank in zip(table.index.tolist(), table["rank"].tolist(), strict=True)]
