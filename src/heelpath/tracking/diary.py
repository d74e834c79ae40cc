"""One day of the diary: pain, what was done, and the warning signs asked each day.

An entry records morning stiffness and pain (0–10), pain during and after
activity, which plan items were done (exercises with their sets), ice, notes,
and the answers to a few warning-sign questions. Any warning sign answered yes
re-runs triage at once (``heelpath.store`` stores the new result).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from heelpath.errors import InvalidInput

# Warning signs that can newly appear during recovery, asked in every entry. Each is a
# red-flag finding of the knowledge (findings.yaml, red_flag: true), so a yes feeds the
# same triage rules as the first assessment (a test checks the ids).
DIARY_RED_FLAGS = (
    "pop_or_snap",
    "felt_kicked_in_calf",
    "cannot_bear_weight",
    "calf_swelling_tenderness",
    "spreading_redness",
    "fever_or_unwell",
    "chest_pain_or_breathless",
)
PAIN_FIELDS = ("pain_morning", "pain_during", "pain_after")
MAX_NOTES = 2000
MAX_SETS = 20
EARLIEST = dt.date(2000, 1, 1)


@dataclass(frozen=True, slots=True)
class DiaryEntry:
    """What a person wrote for one day (validated)."""

    day: dt.date
    pain_morning: int
    pain_during: int | None
    pain_after: int | None
    stiffness_morning: int | None = None
    done: tuple[str, ...] = ()
    sets: Mapping[str, int] | None = None
    ice: bool = False
    notes: str = ""
    red_flags: tuple[str, ...] = ()

    def worst_pain(self) -> int:
        """The day's worst recorded pain: what the pain chart shows."""
        return max(
            p for p in (self.pain_morning, self.pain_during, self.pain_after) if p is not None
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "pain_morning": self.pain_morning,
            "pain_during": self.pain_during,
            "pain_after": self.pain_after,
            "stiffness_morning": self.stiffness_morning,
            "done": list(self.done),
            "sets": dict(self.sets or {}),
            "ice": self.ice,
            "notes": self.notes,
            "red_flags": list(self.red_flags),
        }


def _pain(data: Mapping[str, Any], name: str, required: bool) -> int | None:
    raw = data.get(name)
    if raw is None:
        if required:
            raise InvalidInput(name, "is missing: a whole number from 0 to 10")
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 10:
        raise InvalidInput(name, "must be a whole number from 0 to 10")
    return raw


def parse_day(raw: Any, today: dt.date, field: str = "date") -> dt.date:
    """A diary date: ISO ``YYYY-MM-DD``, not in the future."""
    if not isinstance(raw, str):
        raise InvalidInput(field, "must be a date written YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(field, "must be a date written YYYY-MM-DD") from None
    if len(raw) != 10:
        raise InvalidInput(field, "must be a date written YYYY-MM-DD")
    if day > today + dt.timedelta(days=1):  # a day's grace for time zones ahead of ours
        raise InvalidInput(field, "cannot be in the future")
    if day < EARLIEST:
        raise InvalidInput(field, f"cannot be before {EARLIEST.isoformat()}")
    return day


def _id_list(raw: Any, field: str, allowed: frozenset[str], what: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise InvalidInput(field, f"must be a list of {what} ids")
    for i, item in enumerate(raw):
        if item not in allowed:
            raise InvalidInput(f"{field}.{i}", f"{item!r} is not a known {what} id")
    return tuple(dict.fromkeys(raw))


def parse_entry(data: Any, *, today: dt.date, interventions: frozenset[str]) -> DiaryEntry:
    """Check one entry (the API's JSON or the page's form); errors name the field."""
    if not isinstance(data, Mapping):
        raise InvalidInput("body", "must be a JSON object: one diary entry")
    known = {
        "date",
        *PAIN_FIELDS,
        "stiffness_morning",
        "done",
        "sets",
        "ice",
        "notes",
        "red_flags",
    }
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidInput(unknown[0], "is not a diary field")
    day = parse_day(data.get("date"), today)
    pain_morning = _pain(data, "pain_morning", required=True)
    assert pain_morning is not None
    done = _id_list(data.get("done"), "done", interventions, "plan item")
    sets_raw = data.get("sets") or {}
    if not isinstance(sets_raw, Mapping):
        raise InvalidInput("sets", "must be an object: plan item id -> number of sets")
    sets: dict[str, int] = {}
    for key, value in sets_raw.items():
        if key not in interventions:
            raise InvalidInput(f"sets.{key}", "is not a known plan item id")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SETS:
            raise InvalidInput(f"sets.{key}", f"must be a whole number from 0 to {MAX_SETS}")
        if value:
            sets[key] = value
    ice = data.get("ice", False)
    if not isinstance(ice, bool):
        raise InvalidInput("ice", "must be true or false")
    notes = data.get("notes") or ""
    if not isinstance(notes, str) or len(notes) > MAX_NOTES:
        raise InvalidInput("notes", f"must be text of at most {MAX_NOTES} characters")
    red_flags = _id_list(
        data.get("red_flags"), "red_flags", frozenset(DIARY_RED_FLAGS), "warning sign"
    )
    return DiaryEntry(
        day=day,
        pain_morning=pain_morning,
        pain_during=_pain(data, "pain_during", required=False),
        pain_after=_pain(data, "pain_after", required=False),
        stiffness_morning=_pain(data, "stiffness_morning", required=False),
        done=tuple(dict.fromkeys((*done, *sets))),
        sets=sets,
        ice=ice,
        notes=notes,
        red_flags=red_flags,
    )


def entry_from_dict(data: Mapping[str, Any]) -> DiaryEntry:
    """An entry as stored (already checked once): no checks beyond the types."""
    return DiaryEntry(
        day=dt.date.fromisoformat(data["date"]),
        pain_morning=data["pain_morning"],
        pain_during=data.get("pain_during"),
        pain_after=data.get("pain_after"),
        stiffness_morning=data.get("stiffness_morning"),
        done=tuple(data.get("done") or ()),
        sets=dict(data.get("sets") or {}),
        ice=bool(data.get("ice")),
        notes=data.get("notes") or "",
        red_flags=tuple(data.get("red_flags") or ()),
    )
