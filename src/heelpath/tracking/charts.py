"""The series behind the progress charts: pain with its 7-day average, VISA-A, adherence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import mean

from heelpath.tracking.diary import DiaryEntry
from heelpath.tracking.visa_a import MEANINGFUL_CHANGE

AVERAGE_DAYS = 7


@dataclass(frozen=True, slots=True)
class PainPoint:
    day: dt.date
    pain: int  # the day's worst recorded pain, 0-10
    average: float  # mean of the worst pain over the entries of the last 7 days


@dataclass(frozen=True, slots=True)
class VisaPoint:
    day: dt.date
    score: int


@dataclass(frozen=True, slots=True)
class WeekAdherence:
    week_start: dt.date  # a Monday
    days: int  # days of that week so far (7 for a past week)
    exercise_days: int  # days with at least one exercise done

    @property
    def percent(self) -> int:
        return round(100 * self.exercise_days / self.days) if self.days else 0


def pain_series(entries: Sequence[DiaryEntry]) -> tuple[PainPoint, ...]:
    """One point a day with an entry, with the trailing 7-day average of the entries."""
    ordered = sorted(entries, key=lambda e: e.day)
    out = []
    for e in ordered:
        window = [x.worst_pain() for x in ordered if 0 <= (e.day - x.day).days < AVERAGE_DAYS]
        out.append(PainPoint(e.day, e.worst_pain(), round(mean(window), 2)))
    return tuple(out)


def visa_series(scores: Sequence[tuple[dt.date, int]]) -> tuple[VisaPoint, ...]:
    return tuple(VisaPoint(day, score) for day, score in sorted(scores))


def meaningful_target(series: Sequence[VisaPoint]) -> int | None:
    """The first score plus the minimal important change: the line the chart marks."""
    return min(100, series[0].score + MEANINGFUL_CHANGE) if series else None


def adherence_series(
    entries: Sequence[DiaryEntry], exercises: frozenset[str], today: dt.date
) -> tuple[WeekAdherence, ...]:
    """Per week (Monday to Sunday) from the first entry: days on which an exercise was done."""
    if not entries:
        return ()
    done_days = {e.day for e in entries if any(item in exercises for item in e.done)}
    first = min(e.day for e in entries)
    week = first - dt.timedelta(days=first.weekday())
    out = []
    while week <= today:
        days = min(7, (today - week).days + 1)
        count = sum(1 for d in done_days if week <= d < week + dt.timedelta(days=7))
        out.append(WeekAdherence(week, days, count))
        week += dt.timedelta(days=7)
    return tuple(out)
