"""The safety filter: what must be left out of this person's plan, and why.

Two controls, both applied before any plan item is written:

1. **Contraindications** (``interventions.yaml``): every one that holds for
   the person removes the intervention. It is checked once for each condition
   close to the top of the differential (``Facts.leading`` set to that
   condition), so a plan is safe for every likely cause, not only the first.
2. **The triage gate**: when triage is urgent or emergency, nothing that
   loads, stretches or rubs the painful area is given until the person has
   been seen.

Everything removed is recorded for ``plan.avoid`` with a plain-language
reason; cautions (keep, with a warning) are collected the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from heelpath.knowledge.expressions import Facts, Predicate
from heelpath.knowledge.interventions import HANDS_OFF_KINDS, Guard, Intervention
from heelpath.reasoning.results import Avoided, level_rank

URGENT_RANK = level_rank("urgent")

UNTIL_SEEN_REASON = (
    "Not before you have been seen: your answers need an in-person check first, and "
    "exercising, stretching or rubbing the painful area could make some of the possible "
    "causes worse. The clinician will tell you when to start."
)


@dataclass(frozen=True, slots=True)
class Screening:
    """The filter's verdict for one person: removed interventions and cautions, by id."""

    removed: Mapping[str, tuple[str, ...]]  # id -> reasons, in knowledge order
    cautions: Mapping[str, tuple[str, ...]]  # id -> warnings for kept interventions

    def allows(self, intervention_id: str) -> bool:
        return intervention_id not in self.removed

    def avoided(self) -> tuple[Avoided, ...]:
        return tuple(Avoided(iid, " ".join(reasons)) for iid, reasons in self.removed.items())


def _holding(guards: Iterable[Guard], holds: Callable[[Predicate], bool]) -> tuple[str, ...]:
    out: list[str] = []
    for g in guards:
        if g.text not in out and holds(g.holds):
            out.append(g.text)
    return tuple(out)


def screen(
    interventions: Sequence[Intervention], variants: Sequence[Facts], level: str
) -> Screening:
    """Apply every contraindication and the triage gate.

    ``variants`` are the person's facts, one per condition the plan must be
    safe for (see the module docstring); a guard that holds for any of them
    holds.
    """
    gate = level_rank(level) >= URGENT_RANK
    memo: dict[Predicate, bool] = {}  # a shared expression (a YAML alias) is checked once

    def holds(p: Predicate) -> bool:
        if p not in memo:
            memo[p] = any(p(f) for f in variants)
        return memo[p]

    removed: dict[str, tuple[str, ...]] = {}
    cautions: dict[str, tuple[str, ...]] = {}
    for iv in interventions:
        reasons = _holding(iv.contraindications, holds)
        if gate and iv.kind in HANDS_OFF_KINDS and not reasons:
            reasons = (UNTIL_SEEN_REASON,)
        if reasons:
            removed[iv.id] = reasons
            continue
        notes = _holding(iv.cautions, holds)
        if notes:
            cautions[iv.id] = notes
    return Screening(removed=removed, cautions=cautions)
