"""Calendar arithmetic every stage shares."""

from __future__ import annotations

import datetime as dt


def month_end(day: dt.date) -> dt.date:
    """The last day of day's month: 2023-02-10 → 2023-02-28, 2024-02-01 → 2024-02-29."""
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def months_later(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after day's month: (2023-11-05, 3) → 2024-02-01."""
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)
