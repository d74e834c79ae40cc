"""When home care is not working: the prompt to see a podiatrist at about 6 weeks.

Tendon and heel pain usually take about 12 weeks to settle; the recommended
default is a review at 6 weeks and a referral by 12 if there is no progress
(NHS Dumfries & Galloway pathway 2024; NICE CKS — see the evidence brief,
R1). "Meaningful improvement" is a VISA-A rise of at least 10 points
(``visa_a.MEANINGFUL_CHANGE``) or pain down by at least 2 points or 30%
(Farrar, Pain 2001 — published) between the first week and the last.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import mean

from heelpath.tracking.diary import DiaryEntry
from heelpath.tracking.visa_a import MEANINGFUL_CHANGE

REVIEW_AFTER_DAYS = 42  # about 6 weeks (evidence brief R1, recommended default)
REFER_AFTER_DAYS = 84  # 12 weeks
PAIN_CHANGE_POINTS = 2.0  # published: Farrar 2001
PAIN_CHANGE_FRACTION = 0.3  # published: Farrar 2001


@dataclass(frozen=True, slots=True)
class Escalation:
    """The prompt to be seen, and why."""

    weeks: int
    reasons: tuple[str, ...]
    urgent_referral: bool  # 12 weeks or more: a referral, not only a review

    @property
    def message(self) -> str:
        who = "a podiatrist (or a physiotherapist or doctor)"
        if self.urgent_referral:
            return (
                f"It has been about {self.weeks} weeks without clear improvement. Please book "
                f"a visit with {who} now: the diagnosis and the plan need checking."
            )
        return (
            f"It has been about {self.weeks} weeks without clear improvement. Please book "
            f"a visit with {who} to check the diagnosis and the plan."
        )


def _mean_pain(entries: Sequence[DiaryEntry], first: dt.date, last: dt.date) -> float | None:
    values = [e.worst_pain() for e in entries if first <= e.day <= last]
    return mean(values) if values else None


def pain_fell(entries: Sequence[DiaryEntry], start: dt.date, today: dt.date) -> bool | None:
    """Did the worst daily pain fall meaningfully from the first week to the last? None: unknown."""
    first = _mean_pain(entries, start, start + dt.timedelta(days=6))
    recent = _mean_pain(entries, today - dt.timedelta(days=6), today)
    if first is None or recent is None:
        return None
    drop = first - recent
    return drop >= PAIN_CHANGE_POINTS or (first > 0 and drop / first >= PAIN_CHANGE_FRACTION)


def visa_a_rose(scores: Sequence[tuple[dt.date, int]]) -> bool | None:
    """Did VISA-A rise by the meaningful change from the first score to the last? None: unknown."""
    if len(scores) < 2:
        return None
    ordered = sorted(scores)
    return ordered[-1][1] - ordered[0][1] >= MEANINGFUL_CHANGE


def check(
    start: dt.date,
    today: dt.date,
    entries: Sequence[DiaryEntry],
    visa_scores: Sequence[tuple[dt.date, int]],
) -> Escalation | None:
    """The prompt to be seen when about 6 weeks have passed with no meaningful improvement.

    Missing data never counts as improvement: with no diary and no second
    VISA-A after 6 weeks, the person is still prompted to be seen.
    """
    days = (today - start).days
    if days < REVIEW_AFTER_DAYS:
        return None
    visa = visa_a_rose(visa_scores)
    pain = pain_fell(entries, start, today)
    if visa or pain:
        return None
    reasons = []
    if visa is None:
        reasons.append("There are not two VISA-A scores to compare yet.")
    else:
        first, last = sorted(visa_scores)[0][1], sorted(visa_scores)[-1][1]
        reasons.append(
            f"Your VISA-A score went from {first} to {last}: less than the "
            f"{MEANINGFUL_CHANGE} points that count as a real change."
        )
    if pain is None:
        reasons.append("The diary does not show the first and the last week's pain to compare.")
    else:
        reasons.append("Your pain has not come down clearly since the first week.")
    return Escalation(days // 7, tuple(reasons), days >= REFER_AFTER_DAYS)
