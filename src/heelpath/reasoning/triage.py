"""Red-flag triage: the rules of ``knowledge/red_flags.yaml`` over findings and the differential.

The level is the highest level any rule fires; with none, self-care. Rules are
monotone by construction (the rule language has no negation, and the
probability rules read each condition's own posterior chance, which another
condition's evidence cannot shrink), so adding a red-flag finding never lowers
the level — a Hypothesis property test holds the code to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from heelpath.case import Case
from heelpath.knowledge.expressions import Facts, Ids, Predicate, compile_expression, findings_named
from heelpath.knowledge.model import Knowledge, RedFlagRule
from heelpath.reasoning.results import LEVELS, Differential, FiredRule, Triage, level_rank

SELF_CARE_REASON = (
    "No warning signs came up in your answers, so careful home care is a reasonable start. "
    "See a podiatrist or doctor if it is not clearly better in about 6 weeks, "
    "or straight away if any warning sign appears."
)


@dataclass(frozen=True)
class CompiledRule:
    rule: RedFlagRule
    predicate: Predicate
    findings: tuple[str, ...]  # the findings the rule names, sorted


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


def triage(rules: tuple[CompiledRule, ...], case: Case, differential: Differential) -> Triage:
    """Fire every rule that holds; the level is the highest one."""
    facts = facts_for(case, differential)
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
        if c.predicate(facts)
    ]
    if not fired:
        return Triage(level=LEVELS[0], reasons=(SELF_CARE_REASON,), fired=(), red_flags=())
    level = fired[0].level  # rules are sorted highest level first
    reasons: list[str] = []
    red_flags: list[str] = []
    for f in fired:
        if f.reason not in reasons:
            reasons.append(f.reason)
        for fid in f.findings or (f.id,):
            if fid not in red_flags:
                red_flags.append(fid)
    return Triage(
        level=level, reasons=tuple(reasons), fired=tuple(fired), red_flags=tuple(red_flags)
    )
