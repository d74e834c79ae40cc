"""Progress charts as server-drawn SVG: no script, no external library, readable by a screen reader.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that
says in words what the chart shows; the page also carries each chart's data
as a table. Colours and strokes come from classes in ``heelpath.css`` (the
Content-Security-Policy allows no inline style).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from heelpath.tracking.charts import PainPoint, VisaPoint, WeekAdherence

WIDTH, HEIGHT = 600, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36


@dataclass(frozen=True, slots=True)
class Chart:
    svg: Markup
    summary: str


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _x(day: dt.date, first: dt.date, last: dt.date) -> float:
    span = max(1, (last - first).days)
    return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span


def _y(value: float, top: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)


def _frame(
    chart_id: str,
    title: str,
    desc: str,
    body: list[str],
    top: float,
    ticks: Sequence[float],
    first: dt.date,
    last: dt.date,
) -> Markup:
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for t in ticks:
        y = _y(t, top)
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="chart-tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{t:g}</text>'
        )
    base = HEIGHT - BOTTOM
    parts.append(f'<text class="chart-tick" x="{LEFT}" y="{base + 22}">{first:%d %b}</text>')
    if last != first:
        parts.append(
            f'<text class="chart-tick" x="{WIDTH - RIGHT}" y="{base + 22}" text-anchor="end">{last:%d %b}</text>'
        )
    parts.extend(body)
    parts.append("</svg>")
    return Markup("".join(parts))


def _polyline(css: str, points: Sequence[tuple[float, float]]) -> str:
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<polyline class="{css}" fill="none" points="{coords}"/>'


def pain_chart(series: Sequence[PainPoint]) -> Chart | None:
    if not series:
        return None
    first, last = series[0].day, series[-1].day
    raw = [(_x(p.day, first, last), _y(p.pain, 10)) for p in series]
    avg = [(_x(p.day, first, last), _y(p.average, 10)) for p in series]
    body = [_polyline("chart-line-light", raw), _polyline("chart-line", avg)]
    body += [f'<circle class="chart-dot-light" cx="{x:.1f}" cy="{y:.1f}" r="3"/>' for x, y in raw]
    summary = (
        f"{_count(len(series), 'day')} from {first:%d %B} to {last:%d %B}. Worst pain on the first day "
        f"{series[0].pain} out of 10, on the last day {series[-1].pain}; the 7-day average is now "
        f"{series[-1].average:.1f}."
    )
    svg = _frame(
        "pain-chart",
        "Pain each day (0 to 10) and its 7-day average",
        summary,
        body,
        10,
        (0, 5, 10),
        first,
        last,
    )
    return Chart(svg, summary)


def visa_chart(series: Sequence[VisaPoint], target: int | None) -> Chart | None:
    if not series or target is None:
        return None
    first, last = series[0].day, series[-1].day
    pts = [(_x(v.day, first, last), _y(v.score, 100)) for v in series]
    ty = _y(target, 100)
    body = [
        f'<line class="chart-target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>',
        f'<text class="chart-target-label" x="{WIDTH - RIGHT}" y="{ty - 6:.1f}" text-anchor="end">'
        f"real change: {target}</text>",
        _polyline("chart-line", pts),
    ]
    body += [f'<circle class="chart-dot" cx="{x:.1f}" cy="{y:.1f}" r="4"/>' for x, y in pts]
    change = series[-1].score - series[0].score
    reached = "reached" if series[-1].score >= target else "not reached yet"
    summary = (
        f"{_count(len(series), 'score')} from {first:%d %B} to {last:%d %B}: first {series[0].score}, "
        f"latest {series[-1].score} (a change of {change:+d}). A real change is 10 points or "
        f"more: the line at {target} marks it, {reached}."
    )
    svg = _frame(
        "visa-chart",
        "VISA-A score (0 to 100, higher is better)",
        summary,
        body,
        100,
        (0, 50, 100),
        first,
        last,
    )
    return Chart(svg, summary)


def adherence_chart(weeks: Sequence[WeekAdherence]) -> Chart | None:
    if not weeks:
        return None
    inner = WIDTH - LEFT - RIGHT
    slot = inner / len(weeks)
    body = []
    for i, w in enumerate(weeks):
        x = LEFT + i * slot + slot * 0.15
        y = _y(w.percent, 100)
        body.append(
            f'<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{HEIGHT - BOTTOM - y:.1f}"/>'
        )
    latest = weeks[-1]
    summary = (
        f"{_count(len(weeks), 'week')}. This week exercises were done on {latest.exercise_days} of "
        f"{latest.days} days ({latest.percent}%)."
    )
    first, last = weeks[0].week_start, weeks[-1].week_start
    svg = _frame(
        "adherence-chart",
        "Days with exercises done, per week (%)",
        summary,
        body,
        100,
        (0, 50, 100),
        first,
        last,
    )
    return Chart(svg, summary)
