"""Today's exercises, by the pain-monitoring model (Silbernagel et al., Am J Sports Med 2007).

Pain during exercise may reach 5 out of 10; pain after it may reach 5 but must
have settled to the usual level by the next morning; morning pain must not rise
from week to week. If a rule is broken, cut the load back; if not, keep or
increase it (thresholds published; the rule as written here is an estimate).

The "usual level" is the morning pain of the exercise day itself, written
before exercising. The last exercise day decides, with the next morning's entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import mean

from heelpath.tracking.diary import DiaryEntry

PAIN_LIMIT = 5  # published: 0-2 safe, 3-5 acceptable, > 5 too much
WEEKLY_RISE = 1.0  # estimate: a rise of more than 1 point in the weekly mean morning pain
PROGRESS, HOLD, STEP_BACK, START = "progress", "hold", "step_back", "start"


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with the load today, and why (in plain words)."""

    action: str  # progress | hold | step_back | start
    reason: str
    based_on: dt.date | None = None  # the exercise day that decided


@dataclass(frozen=True, slots=True)
class ExerciseToday:
    """One exercise of the plan with today's number of sets (None: start with the plan's dose)."""

    intervention: str
    last_sets: int | None
    sets_today: int | None


def _session_day(entry: DiaryEntry, exercises: frozenset[str]) -> bool:
    return entry.pain_during is not None and any(item in exercises for item in entry.done)


def _weekly_rise(entries: Sequence[DiaryEntry], today: dt.date) -> tuple[float, float] | None:
    """(last week's mean morning pain, the week before's) when it rose by more than the limit."""
    this_week = [e.pain_morning for e in entries if 0 < (today - e.day).days <= 7]
    week_before = [e.pain_morning for e in entries if 7 < (today - e.day).days <= 14]
    if len(this_week) < 3 or len(week_before) < 3:
        return None
    now, before = mean(this_week), mean(week_before)
    return (now, before) if now - before > WEEKLY_RISE else None


def decide(entries: Iterable[DiaryEntry], today: dt.date, exercises: frozenset[str]) -> Decision:
    """Progress, hold or step back today, with the reason, from the entries before today."""
    past = sorted((e for e in entries if e.day < today), key=lambda e: e.day)
    by_day = {e.day: e for e in entries}
    sessions = [e for e in past if _session_day(e, exercises)]
    if not sessions:
        return Decision(
            START,
            "No exercise day in your diary yet: start with the plan's dose, and write down "
            "your pain during and after exercise, and the next morning.",
        )
    last = sessions[-1]
    day = f"{last.day.day} {last.day:%B}"
    assert last.pain_during is not None
    if last.pain_during > PAIN_LIMIT:
        return Decision(
            STEP_BACK,
            f"Pain during exercise on {day} was {last.pain_during} out of 10, above the limit "
            f"of {PAIN_LIMIT}: do one set fewer (or less weight) today.",
            last.day,
        )
    if last.pain_after is not None and last.pain_after > PAIN_LIMIT:
        return Decision(
            STEP_BACK,
            f"Pain after exercise on {day} was {last.pain_after} out of 10, above the limit "
            f"of {PAIN_LIMIT}: do one set fewer (or less weight) today.",
            last.day,
        )
    rise = _weekly_rise(past, today)
    if rise is not None:
        return Decision(
            STEP_BACK,
            f"Your morning pain has gone up from week to week (about {rise[1]:.1f} to "
            f"{rise[0]:.1f} out of 10): do one set fewer (or less weight) today.",
            last.day,
        )
    next_morning = by_day.get(last.day + dt.timedelta(days=1))
    if next_morning is None:
        return Decision(
            HOLD,
            f"We do not know yet whether the pain settled by the morning after {day}: "
            "write that morning's pain in the diary. Until then, keep the same load.",
            last.day,
        )
    if next_morning.pain_morning > last.pain_morning:
        return Decision(
            HOLD,
            f"The pain had not settled by the next morning ({next_morning.pain_morning} out of "
            f"10, against {last.pain_morning} the morning before): keep the same load today.",
            last.day,
        )
    return Decision(
        PROGRESS,
        f"Pain during exercise on {day} stayed at or under {PAIN_LIMIT} out of 10 and had "
        "settled by the next morning: you can add one set (or a little weight) today.",
        last.day,
    )


def todays_exercises(
    entries: Iterable[DiaryEntry], decision: Decision, exercises: Sequence[str]
) -> tuple[ExerciseToday, ...]:
    """Each exercise with today's sets: the last recorded sets adjusted by the decision."""
    last_sets: dict[str, int] = {}
    for entry in sorted(entries, key=lambda e: e.day):
        sets: Mapping[str, int] = entry.sets or {}
        for item, n in sets.items():
            last_sets[item] = n
    step = {PROGRESS: 1, HOLD: 0, STEP_BACK: -1, START: 0}[decision.action]
    out = []
    for item in exercises:
        last = last_sets.get(item)
        today = None if last is None else max(1, min(last + step, 10))
        out.append(ExerciseToday(item, last, today))
    return tuple(out)
