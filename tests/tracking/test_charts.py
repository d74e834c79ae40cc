"""The series behind the charts: the 7-day average and adherence stay true to the diary."""

from __future__ import annotations

import datetime as dt

from hypothesis import given

from heelpath.tracking.charts import adherence_series, meaningful_target, pain_series, visa_series
from heelpath.tracking.diary import DiaryEntry
from strategies import diaries

START = dt.date(2026, 2, 2)  # a Monday


def test_the_7_day_average_covers_the_last_7_days_only() -> None:
    entries = [
        DiaryEntry(START + dt.timedelta(days=n), 8 if n == 0 else 2, None, None) for n in range(8)
    ]
    series = pain_series(entries)
    assert series[0].average == 8
    assert series[6].average == round((8 + 2 * 6) / 7, 2)
    assert series[7].average == 2


def test_the_meaningful_target_is_10_points_above_the_first_score() -> None:
    s = visa_series([(START + dt.timedelta(days=7), 70), (START, 45)])
    assert [p.score for p in s] == [45, 70]
    assert meaningful_target(s) == 55
    assert meaningful_target(visa_series([(START, 95)])) == 100


@given(diaries(START, days=50))
def test_each_average_lies_within_its_window(entries: list[DiaryEntry]) -> None:
    for point in pain_series(entries):
        window = [e.worst_pain() for e in entries if 0 <= (point.day - e.day).days < 7]
        assert min(window) <= point.average <= max(window)


@given(diaries(START, days=50))
def test_adherence_counts_each_exercise_day_once(entries: list[DiaryEntry]) -> None:
    today = START + dt.timedelta(days=50)
    weeks = adherence_series(entries, frozenset({"heel_raise"}), today)
    assert sum(w.exercise_days for w in weeks) == sum(1 for e in entries if e.done)
    assert all(0 <= w.percent <= 100 for w in weeks)
