"""The prompt to see a podiatrist at about 6 weeks without meaningful improvement."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from heelpath.tracking.diary import DiaryEntry
from heelpath.tracking.escalation import REVIEW_AFTER_DAYS, check

START = dt.date(2026, 1, 5)


def entries(first_pain: int, last_pain: int, days: int) -> list[DiaryEntry]:
    out = []
    for n in range(days + 1):
        pain = first_pain if n < 7 else last_pain
        out.append(DiaryEntry(START + dt.timedelta(days=n), pain, pain, pain))
    return out


def test_no_improvement_at_6_weeks_prompts_a_podiatrist_visit() -> None:
    today = START + dt.timedelta(days=REVIEW_AFTER_DAYS)
    visa = [(START, 50), (today, 55)]
    esc = check(START, today, entries(6, 6, REVIEW_AFTER_DAYS), visa)
    assert esc is not None
    assert "podiatrist" in esc.message
    assert any("50 to 55" in r for r in esc.reasons)


def test_before_6_weeks_there_is_no_prompt() -> None:
    today = START + dt.timedelta(days=REVIEW_AFTER_DAYS - 1)
    assert check(START, today, entries(6, 6, REVIEW_AFTER_DAYS - 1), []) is None


def test_a_meaningful_visa_a_rise_means_no_prompt() -> None:
    today = START + dt.timedelta(days=50)
    assert check(START, today, entries(6, 6, 50), [(START, 50), (today, 60)]) is None


def test_pain_falling_by_2_points_means_no_prompt() -> None:
    today = START + dt.timedelta(days=50)
    assert check(START, today, entries(6, 4, 50), [(START, 50), (today, 52)]) is None


def test_missing_data_after_6_weeks_still_prompts() -> None:
    today = START + dt.timedelta(days=60)
    esc = check(START, today, [], [])
    assert esc is not None and len(esc.reasons) == 2


def test_after_12_weeks_it_is_a_referral() -> None:
    today = START + dt.timedelta(days=90)
    esc = check(START, today, entries(6, 6, 90), [])
    assert esc is not None and esc.urgent_referral and "now" in esc.message


@given(
    st.integers(0, 200),
    st.integers(0, 10),
    st.integers(0, 10),
    st.integers(0, 100),
    st.integers(0, 100),
)
def test_the_prompt_comes_exactly_when_nothing_improved_after_6_weeks(
    days: int, first: int, last: int, visa_first: int, visa_last: int
) -> None:
    today = START + dt.timedelta(days=days)
    visa = [(START, visa_first), (today, visa_last)] if days else [(START, visa_first)]
    esc = check(START, today, entries(first, last, days), visa)
    improved_visa = days > 0 and visa_last - visa_first >= 10
    recent = last if days >= 7 else first
    drop = first - recent
    improved_pain = drop >= 2 or (first > 0 and drop / first >= 0.3)
    should = days >= REVIEW_AFTER_DAYS and not improved_visa and not improved_pain
    assert (esc is not None) == should
