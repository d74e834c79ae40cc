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

from collections.abc import Sequence
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


# init=False and a hand-written __init__: mypyc compiles it to direct slot stores,
# where the __init__ that dataclass generates runs as interpreted Python.
@dataclass(frozen=True, slots=True, init=False)
class Screening:
    """The filter's verdict for one person: removed interventions and cautions, by id."""

    # plain dicts (not Mapping) so that compiled look-ups take the dict fast path
    removed: dict[str, tuple[str, ...]]  # id -> reasons, in knowledge order
    cautions: dict[str, tuple[str, ...]]  # id -> warnings for kept interventions
    avoid: tuple[Avoided, ...]  # the removed ones for plan.avoid, reasons joined, same order

    def __init__(
        self,
        removed: dict[str, tuple[str, ...]],
        cautions: dict[str, tuple[str, ...]],
        avoid: tuple[Avoided, ...],
    ) -> None:
        object.__setattr__(self, "removed", removed)
        object.__setattr__(self, "cautions", cautions)
        object.__setattr__(self, "avoid", avoid)

    def allows(self, intervention_id: str) -> bool:
        return intervention_id not in self.removed

    def avoided(self) -> tuple[Avoided, ...]:
        return self.avoid


@dataclass(frozen=True, slots=True)
class Guarded:
    """One intervention's guards; each expression is given by its bit in ``Guards``."""

    id: str
    hands_off: bool  # a kind the triage gate holds back until the person has been seen
    contraindications: tuple[tuple[str, int], ...]  # (reason, expression bit)
    cautions: tuple[tuple[str, int], ...]  # (warning, expression bit)
    # the expression bits of each list or'ed together, to see with one ``&`` that none
    # of them holds
    contraindicated_by: int
    cautioned_by: int
    # Worked out once for every combination of its expressions that can hold (the
    # bits of ``held & contraindicated_by``): the reasons it is removed for and its
    # plan.avoid entry; likewise the warnings by ``held & cautioned_by``. Empty for an
    # intervention with too many distinct expressions: screen then works them out.
    removals: dict[int, tuple[tuple[str, ...], Avoided]]
    warnings: dict[int, tuple[str, ...]]
    held_back: tuple[tuple[str, ...], Avoided]  # the triage gate's reason and entry


@dataclass(frozen=True, slots=True)
class Guards:
    """Every intervention's contraindications and cautions, prepared once per knowledge.

    An expression shared by several guards (a YAML alias such as
    ``*rupture_suspected``) is one predicate with one number, so it is evaluated
    once per person however many interventions it guards. Expression number n
    is represented by the bit ``1 << n``: the expressions that hold for a person
    are then one int, and a guard list is checked against it with one ``&``.
    """

    # (bit, predicate) of each distinct expression, in two groups: those that
    # cannot look at the leading condition have one value for all of a person's
    # variants, so the first variant is enough; the others are checked on each
    same_for_all: tuple[tuple[int, Predicate], ...]
    per_variant: tuple[tuple[int, Predicate], ...]
    # in knowledge order; an intervention without any guard that the triage gate
    # never holds back cannot be removed or cautioned, so it is not listed
    interventions: tuple[Guarded, ...]


def compile_guards(interventions: Sequence[Intervention]) -> Guards:
    """Number the distinct guard expressions and list each intervention's guards by number."""
    numbers: dict[Predicate, int] = {}
    looks_at_leading: set[Predicate] = set()

    def numbered(guards: Sequence[Guard]) -> tuple[tuple[str, int], ...]:
        """(text, bit) of each guard."""
        for g in guards:
            if not g.ignores_leading:
                looks_at_leading.add(g.holds)
        return tuple((g.text, 1 << numbers.setdefault(g.holds, len(numbers))) for g in guards)

    guarded = []
    for iv in interventions:
        hands_off = iv.kind in HANDS_OFF_KINDS
        if not (iv.contraindications or iv.cautions or hands_off):
            continue
        contraindications = numbered(iv.contraindications)
        cautions = numbered(iv.cautions)
        guarded.append(
            Guarded(
                id=iv.id,
                hands_off=hands_off,
                contraindications=contraindications,
                cautions=cautions,
                contraindicated_by=_mask(contraindications),
                cautioned_by=_mask(cautions),
                removals={
                    held: (reasons, Avoided(iv.id, " ".join(reasons)))
                    for held, reasons in _by_held(contraindications).items()
                },
                warnings=_by_held(cautions),
                held_back=((UNTIL_SEEN_REASON,), Avoided(iv.id, UNTIL_SEEN_REASON)),
            )
        )
    return Guards(
        same_for_all=tuple((1 << n, p) for p, n in numbers.items() if p not in looks_at_leading),
        per_variant=tuple((1 << n, p) for p, n in numbers.items() if p in looks_at_leading),
        interventions=tuple(guarded),
    )


# At most 2**12 combinations of one intervention's expressions are worked out ahead
_MAX_COMBINED = 12


def _by_held(guards: tuple[tuple[str, int], ...]) -> dict[int, tuple[str, ...]]:
    """``_holding(guards, held)`` for every non-empty combination of the guards'
    expression bits, by that combination (empty if there are too many)."""
    bits = sorted({bit for _, bit in guards})
    if len(bits) > _MAX_COMBINED:
        return {}
    out: dict[int, tuple[str, ...]] = {}
    for combination in range(1, 1 << len(bits)):
        held = 0
        for i, bit in enumerate(bits):
            if combination >> i & 1:
                held |= bit
        out[held] = _holding(guards, held)
    return out


def _mask(guards: tuple[tuple[str, int], ...]) -> int:
    """The bits of the guards' expressions, or'ed together."""
    mask = 0
    for _, bit in guards:
        mask |= bit
    return mask


def any_holds(predicate: Predicate, variants: Sequence[Facts]) -> bool:
    """The predicate holds for at least one of the person's variants.

    A plain loop, not ``any()`` over a generator: it runs for every guard and
    when-rule of every plan, and the generator costs more than the check.
    """
    for facts in variants:  # noqa: SIM110
        if predicate(facts):
            return True
    return False


def _holding(guards: tuple[tuple[str, int], ...], held: int) -> tuple[str, ...]:
    """The texts of the guards whose expression holds (its bit is set in ``held``), each
    text once, in knowledge order."""
    out: list[str] = []
    for text, bit in guards:
        if held & bit and text not in out:
            out.append(text)
    return tuple(out)


def screen(guards: Guards, variants: Sequence[Facts], level: str) -> Screening:
    """Apply every contraindication and the triage gate.

    ``guards`` is ``compile_guards`` of the knowledge's interventions.
    ``variants`` are the person's facts, one per condition the plan must be
    safe for (see the module docstring), alike but for ``leading``; a guard
    that holds for any of them holds.
    """
    gate = level_rank(level) >= URGENT_RANK
    # Each distinct expression is evaluated once for this person, up front, into the
    # bits of ``held``; an intervention none of whose expressions holds is then passed
    # with one ``&``.
    first = variants[0]
    held = 0
    for bit, p in guards.same_for_all:
        if p(first):
            held |= bit
    for bit, p in guards.per_variant:
        if any_holds(p, variants):
            held |= bit
    removed: dict[str, tuple[str, ...]] = {}
    cautions: dict[str, tuple[str, ...]] = {}
    avoid: list[Avoided] = []
    for g in guards.interventions:
        contraindicated = held & g.contraindicated_by
        if contraindicated:  # removed for the contraindications that hold
            removal = g.removals.get(contraindicated)
            if removal is None:  # not worked out ahead (too many expressions)
                reasons = _holding(g.contraindications, held)
                removal = (reasons, Avoided(g.id, " ".join(reasons)))
        elif gate and g.hands_off:  # held back until the person has been seen
            removal = g.held_back
        else:  # kept, with the cautions that hold
            cautioned = held & g.cautioned_by
            if cautioned:
                warnings = g.warnings.get(cautioned)
                cautions[g.id] = _holding(g.cautions, held) if warnings is None else warnings
            continue
        removed[g.id] = removal[0]
        avoid.append(removal[1])
    return Screening(removed=removed, cautions=cautions, avoid=tuple(avoid))
