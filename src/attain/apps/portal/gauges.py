"""An attainment gauge drawn on the server: a half circle from 0 to 150% with a mark at 100%."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

FULL_SCALE = Decimal("1.5")  # the gauge's right end: 150% of quota
RADIUS, CENTRE_X, CENTRE_Y = 40, 50, 50


@dataclass(frozen=True)
class Gauge:
    arc: str  # SVG path of the filled part ("" at 0)
    track: str  # SVG path of the whole half circle
    mark: tuple[float, float, float, float]  # the 100% line: x1, y1, x2, y2
    level: str  # "below", "at" or "above" quota (for the colour)


def _point(fraction: float, radius: float = RADIUS) -> tuple[float, float]:
    angle = math.pi * (1 - fraction)  # 0 → left end, 1 → right end
    return round(CENTRE_X + radius * math.cos(angle), 2), round(CENTRE_Y - radius * math.sin(angle), 2)


def _arc(fraction: float) -> str:
    start, end = _point(0), _point(fraction)
    return f"M {start[0]} {start[1]} A {RADIUS} {RADIUS} 0 0 1 {end[0]} {end[1]}"


def gauge(attainment: Decimal) -> Gauge:
    shown = float(min(max(attainment, Decimal(0)), FULL_SCALE) / FULL_SCALE)
    quota = float(1 / FULL_SCALE)
    inner, outer = _point(quota, RADIUS - 9), _point(quota, RADIUS + 9)
    level = "below" if attainment < 1 else "at" if attainment < Decimal("1.05") else "above"
    return Gauge(_arc(shown) if shown > 0 else "", _arc(1), (*inner, *outer), level)
