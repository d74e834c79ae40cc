"""Today's exercises by the pain-monitoring model: progress, hold or step back, with the reason."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from heelpath.tracking.diary import DiaryEntry
from heelpath.tracking.progression import (
    HOLD,
    PROGRESS,
    START,
    STEP_BACK,
    decide,
    todays_exercises,
)
from strategies import diaries

EX = frozenset({"heel_raise"})
TODAY = dt.date(2026, 3, 10)


def day(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def session(
    n: int, morning: int, during: int, after: int | None = None, sets: int = 3
) -> DiaryEntry:
    return DiaryEntry(
        day=day(n),
        pain_morning=morning,
        pain_during=during,
        pain_after=after,
        done=("heel_raise",),
        sets={"heel_raise": sets},
    )


def morning(n: int, pain: int) -> DiaryEntry:
    return DiaryEntry(day=day(n), pain_morning=pain, pain_during=None, pain_after=None)


def test_no_exercise_day_yet_starts_with_the_plan() -> None:
    d = decide([morning(1, 3)], TODAY, EX)
    assert d.action == START


def test_pain_at_most_5_that_settled_by_the_next_morning_progresses() -> None:
    d = decide([session(2, 3, 5, 4), morning(1, 3)], TODAY, EX)
    assert d.action == PROGRESS
    assert "5 out of 10" in d.reason and "next morning" in d.reason
    items = todays_exercises([session(2, 3, 5, 4), morning(1, 3)], d, ["heel_raise"])
    assert items[0].last_sets == 3 and items[0].sets_today == 4


def test_pain_during_over_5_steps_back() -> None:
    entries = [session(2, 3, 6), morning(1, 3)]
    d = decide(entries, TODAY, EX)
    assert d.action == STEP_BACK
    assert "6 out of 10" in d.reason
    assert todays_exercises(entries, d, ["heel_raise"])[0].sets_today == 2


def test_pain_after_over_5_steps_back() -> None:
    d = decide([session(2, 3, 4, 7), morning(1, 3)], TODAY, EX)
    assert d.action == STEP_BACK and "after exercise" in d.reason


def test_pain_not_settled_by_the_next_morning_holds() -> None:
    d = decide([session(2, 3, 4, 4), morning(1, 5)], TODAY, EX)
    assert d.action == HOLD and "had not settled" in d.reason


def test_no_next_morning_yet_holds() -> None:
    d = decide([session(1, 3, 4, 4)], TODAY, EX)
    assert d.action == HOLD and "do not know yet" in d.reason


def test_morning_pain_rising_week_to_week_steps_back() -> None:
    entries = [morning(n, 2) for n in range(8, 15)] + [morning(n, 5) for n in range(3, 8)]
    entries += [session(2, 5, 3, 3), morning(1, 5)]
    d = decide(entries, TODAY, EX)
    assert d.action == STEP_BACK and "week to week" in d.reason


def test_todays_entry_does_not_decide_today() -> None:
    d = decide([session(0, 3, 9)], TODAY, EX)
    assert d.action == START


@given(diaries(day(40), days=40))
def test_progress_only_when_every_rule_was_kept(entries: list[DiaryEntry]) -> None:
    d = decide(entries, TODAY, EX)
    if d.action == PROGRESS:
        last = max(
            (e for e in entries if e.done and e.pain_during is not None), key=lambda e: e.day
        )
        assert last.pain_during is not None and last.pain_during <= 5
        assert last.pain_after is None or last.pain_after <= 5
        nxt = [e for e in entries if e.day == last.day + dt.timedelta(days=1)]
        assert nxt and nxt[0].pain_morning <= last.pain_morning
    assert d.reason


@given(diaries(day(40), days=40), st.integers(1, 10))
def test_pain_over_5_during_the_last_session_never_progresses(
    entries: list[DiaryEntry], extra: int
) -> None:
    bad = session(1, 3, min(10, 5 + extra))
    kept = [e for e in entries if e.day < bad.day]
    d = decide([*kept, bad], TODAY, EX)
    assert d.action == STEP_BACK


@given(diaries(day(40), days=40))
def test_sets_today_stay_between_1_and_10(entries: list[DiaryEntry]) -> None:
    d = decide(entries, TODAY, EX)
    for item in todays_exercises(entries, d, ["heel_raise"]):
        assert item.sets_today is None or 1 <= item.sets_today <= 10
