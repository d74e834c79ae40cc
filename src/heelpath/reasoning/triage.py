"""Red-flag triage: the rules of ``knowledge/red_flags.yaml`` over findings and the differential.

The level is the highest level any rule fires; with none, self-care. Rules are
monotone by construction (the rule language has no negation, and the
probability rules read each condition's own posterior chance, which another
condition's evidence cannot shrink), so adding a red-flag finding never lowers
the level — a Hypothesis property test holds the code to it.

The can't-miss rules read the normalised differential (a condition's share, or
which condition leads), which a new warning sign can shrink by raising another
condition. So that they can only add ways to raise the level, such a rule fires
when it holds on the differential the answer shows, or on the differential of
the same answers with any of the warning signs the person reported left out
(and the warning signs they denied left unknown): adding a warning sign only adds
to that family, so it can never switch the rule off. The family is searched only
when the rule would raise the level.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from heelpath.case import Case
from heelpath.knowledge.expressions import (
    Facts,
    Ids,
    Predicate,
    compile_expression,
    findings_named,
    reads_differential,
)
from heelpath.knowledge.model import Knowledge, RedFlagRule
from heelpath.reasoning.results import (
    LEVELS,
    Differential,
    FiredRule,
    Triage,
    Unchecked,
    level_rank,
)

# Said only when every warning-sign question that could still raise the level was
# answered: "no warning signs" after questions left open would be false reassurance.
SELF_CARE_REASON = (
    "No warning signs came up in your answers, so careful home care is a reasonable start. "
    "See a podiatrist or doctor if it is not clearly better in about 6 weeks, "
    "or straight away if any warning sign appears."
)
SELF_CARE_UNCHECKED_REASON = (
    "Some questions about warning signs were not answered, so heelpath could not check "
    "them. Home care is a reasonable start only if none of those signs is there: check "
    "them now, and get seen today if any of them is. See a podiatrist or doctor if it is "
    "not clearly better in about 6 weeks, or straight away if any warning sign appears."
)
# The levels whose warning signs must be asked about before anyone is reassured.
WARNING_LEVELS = frozenset({"urgent", "emergency"})
# Findings that cannot apply to some people, so are never listed as unanswered for them
# (a pregnancy question for a man or a young child).
NOT_FOR: dict[str, Callable[[Case], bool]] = {
    "pregnant": lambda case: case.sex == "male" or case.age < 12 or case.age > 55,
}

# Up to this many reported warning signs, every subset is tried (2**n differentials);
# above it, the subsets of up to CLOSURE_SMALL signs and the whole set. By then the
# warning-sign rules themselves have long reached same-day care.
CLOSURE_EXACT = 8
CLOSURE_SMALL = 2

Rescore = Callable[[Case], Differential]


@dataclass(frozen=True)
class CompiledRule:
    rule: RedFlagRule
    predicate: Predicate
    findings: tuple[str, ...]  # the findings the rule names, sorted
    reads_differential: bool = False  # share_at_least / leading: closed over warning signs


def compile_rules(knowledge: Knowledge) -> tuple[CompiledRule, ...]:
    """Compile the red-flag rules once; highest level first."""
    v = knowledge.vocabulary
    ids = Ids(
        findings=frozenset(f.id for f in knowledge.findings),
        conditions=frozenset(c.id for c in knowledge.conditions),
        sex=frozenset(v.sex),
        footwear=frozenset(v.footwear),
        work=frozenset(v.work),
    )
    compiled = [
        CompiledRule(
            rule=r,
            predicate=compile_expression(r.when, ids, ("red_flags.yaml", r.id, "when")),
            findings=tuple(sorted(findings_named(r.when))),
            reads_differential=reads_differential(r.when),
        )
        for r in knowledge.red_flag_rules
    ]
    compiled.sort(key=lambda c: -level_rank(c.rule.level))
    return tuple(compiled)


def facts_for(case: Case, differential: Differential, fired: frozenset[str] = frozenset()) -> Facts:
    """What the rule language sees of a case."""
    return Facts(
        age=case.age,
        sex=case.sex,
        findings=case.findings,
        footwear=case.footwear,
        work=case.work,
        pain_score=case.pain_score,
        chance={s.id: s.chance for s in differential.scores},
        share={s.id: s.probability for s in differential.scores},
        leading=differential.leading.id if differential.scores else None,
        fired=fired,
    )


def _warning_sign_subsets(present: list[str]) -> Iterator[tuple[str, ...]]:
    """The reported warning signs to keep, largest sets first."""
    n = len(present)
    sizes = range(n, -1, -1) if n <= CLOSURE_EXACT else [n, *range(CLOSURE_SMALL, -1, -1)]
    for size in sizes:
        yield from itertools.combinations(present, size)


def closed_facts(case: Case, rescore: Rescore, red_flags: frozenset[str]) -> Iterator[Facts]:
    """Facts for the same answers with any reported warning signs left out (denied ones unknown)."""
    base = {f: v for f, v in case.findings.items() if f not in red_flags}
    present = sorted(f for f, v in case.findings.items() if v is True and f in red_flags)
    for kept in _warning_sign_subsets(present):
        alt = replace(case, findings={**base, **dict.fromkeys(kept, True)})
        yield facts_for(alt, rescore(alt))


def triage(
    rules: tuple[CompiledRule, ...],
    case: Case,
    differential: Differential,
    rescore: Rescore | None = None,
    red_flags: frozenset[str] = frozenset(),
) -> Triage:
    """Fire every rule that holds; the level is the highest one.

    With ``rescore`` (the differential of another case) the rules that read the
    normalised differential are also tried over the ``red_flags`` left out (see
    the module docstring).
    """
    facts = facts_for(case, differential)
    hits = {c.rule.id for c in rules if c.predicate(facts)}
    reached = max((level_rank(c.rule.level) for c in rules if c.rule.id in hits), default=0)
    doubtful = [
        c
        for c in rules
        if c.reads_differential and c.rule.id not in hits and level_rank(c.rule.level) > reached
    ]
    if doubtful and rescore is not None:
        for alt in closed_facts(case, rescore, red_flags):
            hits |= {c.rule.id for c in doubtful if c.predicate(alt)}
            doubtful = [c for c in doubtful if c.rule.id not in hits]
            if not doubtful:
                break
    fired = [
        FiredRule(
            c.rule.id,
            c.rule.code,
            c.rule.level,
            c.rule.reason,
            tuple(f for f in c.findings if f in facts.present),
            c.rule.adds,
        )
        for c in rules
        if c.rule.id in hits
    ]
    if not fired:
        unchecked = unchecked_warning_signs(rules, case, differential, LEVELS[0])
        reason = SELF_CARE_UNCHECKED_REASON if unchecked else SELF_CARE_REASON
        return Triage(LEVELS[0], (reason,), fired=(), red_flags=(), unchecked=unchecked)
    level = fired[0].level  # rules are sorted highest level first
    reasons: list[str] = []
    found: list[str] = []
    for f in fired:
        if f.reason not in reasons:
            reasons.append(f.reason)
        for fid in f.findings or (f.id,):
            if fid not in found:
                found.append(fid)
    return Triage(
        level=level,
        reasons=tuple(reasons),
        fired=tuple(fired),
        red_flags=tuple(found),
        unchecked=unchecked_warning_signs(rules, case, differential, level),
    )


def unchecked_warning_signs(
    rules: tuple[CompiledRule, ...], case: Case, differential: Differential, level: str
) -> tuple[Unchecked, ...]:
    """The unanswered findings that could still raise the level to same-day or emergency care.

    A finding counts when a same-day or emergency rule above ``level`` names it, is
    not firing, and would fire if every unanswered finding it names were "yes" (so a
    question made moot by an answered "no" is not listed). Its level is the highest a
    "yes" to it alone would reach; one that only counts together with another
    unanswered sign gets the lowest level of the rules that name it. Highest level
    first, then in rule order.
    """
    warning = [
        c
        for c in rules  # highest level first
        if c.rule.level in WARNING_LEVELS and level_rank(c.rule.level) > level_rank(level)
    ]

    def fires(c: CompiledRule, extra: list[str]) -> bool:
        alt = replace(case, findings={**case.findings, **dict.fromkeys(extra, True)})
        return c.predicate(facts_for(alt, differential))

    open_rules: dict[str, list[str]] = {}  # finding -> levels of the open rules naming it
    for c in warning:
        unanswered = [
            f
            for f in c.findings
            if f not in case.findings and not (f in NOT_FOR and NOT_FOR[f](case))
        ]
        if unanswered and fires(c, unanswered):
            for f in unanswered:
                open_rules.setdefault(f, []).append(c.rule.level)
    found: dict[str, str] = {}
    for f, levels in open_rules.items():
        alone = next((c.rule.level for c in warning if f in c.findings and fires(c, [f])), None)
        found[f] = alone or min(levels, key=level_rank)
    order = list(open_rules)
    ranked = sorted(found.items(), key=lambda kv: (-level_rank(kv[1]), order.index(kv[0])))
    return tuple(Unchecked(f, lvl) for f, lvl in ranked)
