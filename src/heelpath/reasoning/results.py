"""The immutable results the reasoning steps hand to each other and to the adapters.

Each is a dataclass for its repr and equality, with ``Final`` fields and its own
``__init__`` rather than ``frozen=True``: compiled by mypyc (``setup.py``) such a
class is a native class whose fields cannot be assigned after ``__init__``
(AttributeError), and it is built about 25 times faster than a frozen dataclass,
whose generated ``__init__`` goes through ``object.__setattr__`` for every field.
Several of these are built for every assessment. Run from source, mypy (strict)
holds the fields final.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

LEVELS: tuple[str, ...] = ("self_care", "soon", "urgent", "emergency")


def level_rank(level: str) -> int:
    """0 for self_care up to 3 for emergency."""
    return LEVELS.index(level)


@dataclass(init=False, slots=True)
class ConditionScore:
    """One condition in the differential.

    ``probability`` is its share of the differential (all listed conditions
    plus the residual sum to 1). ``chance`` is its own posterior: prior odds
    times its likelihood ratios, not shrunk by the other conditions; triage
    thresholds use it so that a new finding for another condition cannot hide
    a dangerous one. ``supporting`` / ``against`` are finding ids, strongest first.
    """

    id: Final[str]
    name: Final[str]
    probability: Final[float]
    chance: Final[float]
    supporting: Final[tuple[str, ...]]
    against: Final[tuple[str, ...]]

    def __init__(
        self,
        id: str,
        name: str,
        probability: float,
        chance: float,
        supporting: tuple[str, ...],
        against: tuple[str, ...],
    ) -> None:
        self.id = id
        self.name = name
        self.probability = probability
        self.chance = chance
        self.supporting = supporting
        self.against = against


@dataclass(init=False, slots=True)
class Differential:
    """All conditions, most probable first, and the residual for 'something not listed'."""

    scores: Final[tuple[ConditionScore, ...]]
    residual: Final[float]

    def __init__(self, scores: tuple[ConditionScore, ...], residual: float) -> None:
        self.scores = scores
        self.residual = residual

    @property
    def leading(self) -> ConditionScore:
        return self.scores[0]

    def probability(self, condition_id: str) -> float:
        for s in self.scores:
            if s.id == condition_id:
                return s.probability
        raise KeyError(condition_id)

    def score(self, condition_id: str) -> ConditionScore:
        for s in self.scores:
            if s.id == condition_id:
                return s
        raise KeyError(condition_id)


@dataclass(init=False, slots=True)
class FiredRule:
    """A red-flag rule that fired for this person."""

    id: Final[str]
    code: Final[str]
    level: Final[str]
    reason: Final[str]
    findings: Final[tuple[str, ...]]  # the present findings the rule looked at
    adds: Final[tuple[str, ...]]  # interventions the plan must include

    def __init__(
        self,
        id: str,
        code: str,
        level: str,
        reason: str,
        findings: tuple[str, ...],
        adds: tuple[str, ...],
    ) -> None:
        self.id = id
        self.code = code
        self.level = level
        self.reason = reason
        self.findings = findings
        self.adds = adds


@dataclass(init=False, slots=True)
class Triage:
    """How urgently to be seen, and why. ``fired`` is highest level first."""

    level: Final[str]
    reasons: Final[tuple[str, ...]]
    fired: Final[tuple[FiredRule, ...]]
    red_flags: Final[tuple[str, ...]]

    def __init__(
        self,
        level: str,
        reasons: tuple[str, ...],
        fired: tuple[FiredRule, ...],
        red_flags: tuple[str, ...],
    ) -> None:
        self.level = level
        self.reasons = reasons
        self.fired = fired
        self.red_flags = red_flags

    def fired_ids(self) -> frozenset[str]:
        return frozenset(r.id for r in self.fired)


@dataclass(init=False, slots=True)
class PlanItem:
    """One thing to do, dosed, with how strong its evidence is."""

    intervention: Final[str]
    title: Final[str]
    instructions: Final[str]
    dose: Final[str]
    evidence: Final[str]  # grade and plain words, e.g. "Strong (grade A): ..."
    note: Final[str]  # e.g. where the evidence departs from common advice

    def __init__(
        self,
        intervention: str,
        title: str,
        instructions: str,
        dose: str = "",
        evidence: str = "",
        note: str = "",
    ) -> None:
        self.intervention = intervention
        self.title = title
        self.instructions = instructions
        self.dose = dose
        self.evidence = evidence
        self.note = note

    def as_dict(self) -> dict[str, str]:
        d = {
            "intervention": self.intervention,
            "title": self.title,
            "instructions": self.instructions,
        }
        if self.dose:
            d["dose"] = self.dose
        if self.evidence:
            d["evidence"] = self.evidence
        if self.note:
            d["note"] = self.note
        return d


@dataclass(init=False, slots=True)
class Phase:
    id: Final[str]
    title: Final[str]
    items: Final[tuple[PlanItem, ...]]
    summary: Final[str]

    def __init__(self, id: str, title: str, items: tuple[PlanItem, ...], summary: str = "") -> None:
        self.id = id
        self.title = title
        self.items = items
        self.summary = summary

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "items": [i.as_dict() for i in self.items],
        }


@dataclass(init=False, slots=True)
class Avoided:
    """An intervention deliberately left out for this person, and why (plain words)."""

    intervention: Final[str]
    reason: Final[str]

    def __init__(self, intervention: str, reason: str) -> None:
        self.intervention = intervention
        self.reason = reason

    def as_dict(self) -> dict[str, str]:
        return {"intervention": self.intervention, "reason": self.reason}


@dataclass(init=False, slots=True)
class Plan:
    phases: Final[tuple[Phase, ...]]
    avoid: Final[tuple[Avoided, ...]]

    def __init__(self, phases: tuple[Phase, ...], avoid: tuple[Avoided, ...]) -> None:
        self.phases = phases
        self.avoid = avoid

    def interventions(self) -> frozenset[str]:
        return frozenset(i.intervention for p in self.phases for i in p.items)

    def as_dict(self) -> dict[str, object]:
        return {
            "phases": [p.as_dict() for p in self.phases],
            "avoid": [a.as_dict() for a in self.avoid],
        }
