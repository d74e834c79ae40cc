"""Progress charts for the printed plan of an account, drawn with ReportLab's own shapes.

A chart is a time series (one value a day with an entry) on a fixed scale (pain
0-10, VISA-A 0-100), with an optional target line (VISA-A's meaningful change).
Every chart is printed with a sentence that says what it shows, so it is never
the only way the numbers reach the reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
from reportlab.lib import colors

LEFT, BOTTOM, RIGHT, TOP = 26.0, 16.0, 8.0, 8.0
INK = colors.HexColor("#14365d")
GRID = colors.HexColor("#c8c8c8")
TARGET = colors.HexColor("#1d6b3a")


@dataclass(frozen=True, slots=True)
class Series:
    """One chart: its title, points (day, value), the top of its scale, and its words."""

    title: str
    points: Sequence[tuple[dt.date, float]]
    top: float
    description: str
    target: float | None = None
    target_label: str = ""


def line_chart(series: Series, width: float, height: float, font: str) -> Drawing:
    """The series as a line with a dot a day, gridlines at 0, half and the top, and the
    first and last days named under the axis."""
    d = Drawing(width, height)
    plot_w, plot_h = width - LEFT - RIGHT, height - BOTTOM - TOP
    points = sorted(series.points)
    first, last = points[0][0], points[-1][0]
    span = max(1, (last - first).days)

    def x(day: dt.date) -> float:
        return LEFT + plot_w * (day - first).days / span

    def y(value: float) -> float:
        return BOTTOM + plot_h * max(0.0, min(value, series.top)) / series.top

    for value in (0, series.top / 2, series.top):
        d.add(Line(LEFT, y(value), LEFT + plot_w, y(value), strokeColor=GRID, strokeWidth=0.5))
        d.add(String(LEFT - 4, y(value) - 3, f"{value:g}", fontName=font, fontSize=7,
                     textAnchor="end"))  # fmt: skip
    if series.target is not None:
        d.add(Line(LEFT, y(series.target), LEFT + plot_w, y(series.target),
                   strokeColor=TARGET, strokeWidth=0.8, strokeDashArray=[3, 2]))  # fmt: skip
        d.add(String(LEFT + plot_w, y(series.target) + 2, series.target_label, fontName=font,
                     fontSize=6.5, fillColor=TARGET, textAnchor="end"))  # fmt: skip
    coords = [c for day, value in points for c in (x(day), y(value))]
    if len(points) > 1:
        d.add(PolyLine(coords, strokeColor=INK, strokeWidth=1.2))
    for day, value in points:
        d.add(Circle(x(day), y(value), 1.6, fillColor=INK, strokeColor=INK))
    d.add(String(LEFT, 3, first.strftime("%d %b %Y"), fontName=font, fontSize=7))
    if last != first:
        d.add(String(LEFT + plot_w, 3, last.strftime("%d %b %Y"), fontName=font, fontSize=7,
                     textAnchor="end"))  # fmt: skip
    return d
