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
reason; cautions (keep, with a warning) are collected the same way. A
contraindication whose findings were left unanswered becomes a caution when the
knowledge gives its note (``if_unknown``): the person reads what to check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from heelpath.knowledge.expressions import Facts, Predicate, findings_named
from heelpath.knowledge.interventions import HANDS_OFF_KINDS, Guard, Intervention
from heelpath.reasoning.results import Avoided, level_rank

URGENT_RANK = level_rank("urgent")

UNTIL_SEEN_REASON = (
    "Not before you have been seen: your answers need an in-person check first, and "
    "exercising, stretching or rubbing the painful area could make some of the possible "
    "causes worse. The clinician will tell you when to start."
)


@dataclass(frozen=True)
class Screening:
    """The filter's verdict for one person: removed interventions and cautions, by id."""

    removed: dict[str, tuple[str, ...]]  # id -> reasons, in knowledge order
    cautions: dict[str, tuple[str, ...]]  # id -> warnings for kept interventions
    avoid: tuple[Avoided, ...]  # the removed ones for plan.avoid, reasons joined, same order

    def allows(self, intervention_id: str) -> bool:
        return intervention_id not in self.removed


def any_holds(predicate: Predicate, variants: Sequence[Facts]) -> bool:
    """The predicate holds for at least one of the person's variants."""
    for facts in variants:  # noqa: SIM110 - a loop: cheaper than any() over a generator
        if predicate(facts):
            return True
    return False


class _Verdicts:
    """Whether each guard holds for the person, each distinct expression checked once
    (an expression shared by several guards, such as ``*rupture_suspected``, is one)."""

    def __init__(self, variants: Sequence[Facts]) -> None:
        self.variants = variants
        self.known: dict[Predicate, bool] = {}

    def texts(self, guards: Sequence[Guard]) -> tuple[str, ...]:
        """The texts of the guards that hold, each once, in knowledge order."""
        out: list[str] = []
        for g in guards:
            if g.holds not in self.known:
                self.known[g.holds] = any_holds(g.holds, self.variants)
            if self.known[g.holds] and g.text not in out:
                out.append(g.text)
        return tuple(out)


def _unanswered(guards: Sequence[Guard], variants: Sequence[Facts]) -> tuple[str, ...]:
    """The notes of the guards that do not hold on the answers but would if the findings
    they name that were left unanswered were yes: what the person should check."""
    out: list[str] = []
    for g in guards:
        named = findings_named(g.when)
        for facts in variants:
            unknown = named - facts.findings.keys()
            if not unknown or g.holds(facts):
                continue
            if g.holds(replace(facts, findings={**facts.findings, **dict.fromkeys(unknown, True)})):
                out.append(g.text)
                break
    return tuple(out)


def screen(
    interventions: Sequence[Intervention], variants: Sequence[Facts], level: str
) -> Screening:
    """Apply every contraindication and the triage gate.

    ``variants`` are the person's facts, one per condition the plan must be
    safe for (see the module docstring), alike but for ``leading``; a guard
    that holds for any of them holds.
    """
    gate = level_rank(level) >= URGENT_RANK
    verdicts = _Verdicts(variants)
    removed: dict[str, tuple[str, ...]] = {}
    cautions: dict[str, tuple[str, ...]] = {}
    for iv in interventions:
        reasons = verdicts.texts(iv.contraindications)
        if reasons:
            removed[iv.id] = reasons
        elif gate and iv.kind in HANDS_OFF_KINDS:  # held back until the person has been seen
            removed[iv.id] = (UNTIL_SEEN_REASON,)
        else:
            warnings = verdicts.texts(iv.cautions) + _unanswered(iv.if_unknown, variants)
            if warnings:
                cautions[iv.id] = warnings
    avoid = tuple(Avoided(iid, " ".join(reasons)) for iid, reasons in removed.items())
    return Screening(removed, cautions, avoid)
