"""Seasonality: how bookings cluster at month, quarter and year ends (Q4 heaviest)."""

from __future__ import annotations

from datetime import date

import numpy as np

from attain.demo.rows import days

# relative weight of each calendar month (quarter-end months heavier, December heaviest)
MONTH_WEIGHT = {1: 0.70, 2: 0.85, 3: 1.25, 4: 0.80, 5: 0.90, 6: 1.30, 7: 0.75, 8: 0.80, 9: 1.30,
                10: 0.90, 11: 1.05, 12: 1.70}
QUARTER_END_PUSH = 2.4  # the second half of a quarter's last month
WEEKEND = 0.15


def is_quarter_end_push(day: date) -> bool:
    return day.month % 3 == 0 and day.day >= 15


def close_day_weights(start: date, end: date) -> tuple[list[date], np.ndarray]:
    """Every day from start to end and the probability that a deal closes on it."""
    all_days = days(start, end)
    weights = np.array([
        MONTH_WEIGHT[d.month] * (QUARTER_END_PUSH if is_quarter_end_push(d) else 1.0) * (WEEKEND if d.weekday() >= 5 else 1.0)
        for d in all_days
    ])
    return all_days, weights / weights.sum()


def month_shares() -> list[float]:
    """Share of a year's quota in each month (quarter-end months heavier)."""
    total = sum(MONTH_WEIGHT.values())
    return [MONTH_WEIGHT[m] / total for m in range(1, 13)]
