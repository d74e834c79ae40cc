"""A diary entry is checked field by field; its warning signs are the knowledge's red flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from heelpath.errors import InvalidInput
from heelpath.knowledge import Knowledge
from heelpath.tracking.diary import DIARY_RED_FLAGS, parse_entry

TODAY = dt.date(2026, 3, 10)
PLAN = frozenset({"ice", "heel_raise"})


def entry(**changes: Any) -> dict[str, Any]:
    return {"date": "2026-03-09", "pain_morning": 3, **changes}


def test_every_diary_warning_sign_is_a_red_flag_finding(knowledge: Knowledge) -> None:
    by_id = {f.id: f for f in knowledge.findings}
    for fid in DIARY_RED_FLAGS:
        assert fid in by_id and by_id[fid].red_flag, fid


def test_a_full_entry_is_kept_as_written() -> None:
    e = parse_entry(
        entry(
            pain_during=4,
            pain_after=2,
            stiffness_morning=5,
            done=["ice"],
            sets={"heel_raise": 3},
            ice=True,
            notes="ok",
            red_flags=["pop_or_snap"],
        ),
        today=TODAY,
        interventions=PLAN,
    )
    assert e.day == dt.date(2026, 3, 9)
    assert e.done == ("ice", "heel_raise")  # sets count as done
    assert e.worst_pain() == 4
    assert e.red_flags == ("pop_or_snap",)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": "2026-3-9"}, "date"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": "2026-03-12"}, "date"),
        ({"pain_morning": 11}, "pain_morning"),
        ({"pain_morning": None}, "pain_morning"),
        ({"pain_during": "5"}, "pain_during"),
        ({"done": ["fly"]}, "done.0"),
        ({"sets": {"heel_raise": 99}}, "sets.heel_raise"),
        ({"red_flags": ["diabetes"]}, "red_flags.0"),
        ({"notes": "x" * 2001}, "notes"),
        ({"mood": 3}, "mood"),
    ],
)
def test_a_bad_field_is_named(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_entry(entry(**changes), today=TODAY, interventions=PLAN)
    assert err.value.field == field
