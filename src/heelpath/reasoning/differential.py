"""The Bayesian differential over the posterior-heel conditions.

For each condition: a prior shaped by age and sex, times the likelihood ratios
of the findings that are known (LR+ when present, LR- when absent; an unknown
finding gives no update). Findings that measure nearly the same thing share an
overlap group: within a group the strongest ratio counts in full and the others
as their square root (in log space: half), separately for ratios pointing up
and down. A single ratio is capped at 20 (and 1/20), the product for one
condition at 200 (and 1/200). Findings that mean more together than apart
(combinations) add their extra ratio, a shared finding's correction only once. A
residual "something not listed" keeps its prior with ratio 1, so the listed
probabilities sum to less than 1; its share is kept at 0.03 or more.

A follow-up finding (findings.yaml ``follows``: "from a height" after "a fall") counts
only when the finding it follows is present: its ratios are the chance of it given
that finding, so the two multiply without counting one fact twice, and without that
finding the question does not apply.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from heelpath.case import Case
from heelpath.knowledge.model import Demographic, Knowledge, PriorModifier
from heelpath.reasoning.results import ConditionScore, Differential

MAX_SINGLE_LR = 20.0
MAX_PRODUCT_LR = 200.0
MIN_RESIDUAL = 0.03
# Probabilities are shown to 4 decimals, rounded down, so the listed ones never sum
# above 1 and keep their order; the nudge absorbs float error just below a step.
SHOWN_SCALE = 10000.0
NUDGE = 1e-7
# Conditions shown to the person (the contract lists these) carry their explanations:
# the top three and every one with a probability of at least 1%.
EXPLAIN_TOP = 3
EXPLAIN_MIN_PROBABILITY = 0.01
# In children the adult column fades in over 15-17 (brief §1.0: "use a blend").
CHILD_WEIGHT_BY_AGE = {15: 0.75, 16: 0.5, 17: 0.25}


def child_weight(age: int) -> float:
    """How much of the child prior column applies at this age (1 up to 14, 0 from 18)."""
    if age <= 14:
        return 1.0
    return CHILD_WEIGHT_BY_AGE.get(age, 0.0)


def _capped_log(ratio: float, limit: float) -> float:
    cap = math.log(limit)
    return min(cap, max(-cap, math.log(ratio)))


@dataclass(frozen=True, order=True)
class FindingWeights:
    """One finding's log likelihood ratios (capped), by condition; a ratio of 1 is left out.
    Ordered by position: the findings of an overlap group together."""

    position: int
    group: str = field(compare=False)  # its overlap group (its own id when it shares none)
    present: dict[str, float] = field(compare=False)
    absent: dict[str, float] = field(compare=False)


@dataclass(frozen=True)
class ConditionModel:
    id: str
    name: str
    prior_adult: float
    prior_child: float
    modifiers: tuple[PriorModifier, ...]

    def prior(self, age: int, sex: str | None) -> float:
        w = child_weight(age)
        p = w * self.prior_child + (1 - w) * self.prior_adult
        for m in self.modifiers:
            p *= m.multiplier if m.when.matches(age, sex) else m.otherwise
        return p


@dataclass(frozen=True)
class Combination:
    """Findings whose extra (capped log) ratio for a condition applies when all are
    present, and the person is in the age range ``when`` if one is given."""

    findings: tuple[str, ...]
    condition: str
    log_ratio: float
    when: Demographic | None = None

    def holds(self, findings: Mapping[str, bool], age: int, sex: str | None) -> bool:
        if self.when is not None and not self.when.matches(age, sex):
            return False
        return all(findings.get(f) is True for f in self.findings)


@dataclass(frozen=True, eq=False)  # compared (and cached) by identity
class Model:
    """The knowledge as the scoring uses it; build once with :func:`compile_model`."""

    conditions: tuple[ConditionModel, ...]
    # the findings of each overlap group together, the groups in the knowledge's order
    # of their first finding
    findings: dict[str, FindingWeights]
    residual_adult: float
    residual_child: float
    sites: tuple[str, ...] = ()  # "where does it hurt": naming one answers the others
    # findings that mean more together (or at some ages): applied when all are present
    combined: tuple[Combination, ...] = ()
    # follow-up -> the finding it follows: counted only when that finding is present
    follows: Mapping[str, str] = field(default_factory=dict)

    def residual_prior(self, age: int) -> float:
        w = child_weight(age)
        return w * self.residual_child + (1 - w) * self.residual_adult


@functools.lru_cache(maxsize=1024)
def model_priors(model: Model, age: int, sex: str | None) -> dict[str, float]:
    """Each condition's prior for this age and sex (worked out once per age and sex; the
    dict is shared: read it, never change it)."""
    return {c.id: c.prior(age, sex) for c in model.conditions}


def compile_model(knowledge: Knowledge) -> Model:
    """Gather each finding's capped log ratios by condition, and the findings by overlap group."""
    groups: dict[str, list[str]] = {}
    for f in knowledge.findings:
        groups.setdefault(f.overlap or f"finding:{f.id}", []).append(f.id)
    weights: dict[str, FindingWeights] = {}
    for group, fids in groups.items():  # each group's findings together
        for fid in fids:
            weights[fid] = FindingWeights(len(weights), group, {}, {})
    for lr in knowledge.likelihood_ratios:
        w = weights[lr.finding]
        if lr.lr_pos is not None and lr.lr_pos != 1:
            w.present[lr.condition] = _capped_log(lr.lr_pos, MAX_SINGLE_LR)
        if lr.lr_neg is not None and lr.lr_neg != 1:
            w.absent[lr.condition] = _capped_log(lr.lr_neg, MAX_SINGLE_LR)
    return Model(
        conditions=tuple(
            ConditionModel(c.id, c.name, c.prior.adult, c.prior.child, c.modifiers)
            for c in knowledge.conditions
        ),
        findings=weights,
        residual_adult=knowledge.residual_prior.adult,
        residual_child=knowledge.residual_prior.child,
        sites=knowledge.sites,
        combined=tuple(
            Combination(c.findings, c.condition, _capped_log(c.lr, MAX_SINGLE_LR), c.when)
            for c in knowledge.combined
        ),
        follows=knowledge.follow_ups,
    )


Moved = dict[str, list[tuple[float, str]]]  # condition -> (log ratio, finding) that moved it


def log_ratios(
    model: Model, findings: Mapping[str, bool], age: int, sex: str | None = None
) -> tuple[dict[str, float], Moved]:
    """Each condition's combined log likelihood ratio (groups damped, product capped), and
    the findings that moved each condition, in model order."""
    total = {c.id: 0.0 for c in model.conditions}
    # the strongest ratio up and down for each (overlap group, condition, up)
    strongest: dict[tuple[str, str, bool], float] = {}
    moved: Moved = {}
    known = sorted(
        (model.findings[fid], fid, value)
        for fid, value in findings.items()
        if fid not in model.follows or findings.get(model.follows[fid]) is True
    )
    for weights, fid, value in known:
        for cid, t in (weights.present if value else weights.absent).items():
            total[cid] += t
            moved.setdefault(cid, []).append((t, fid))
            key = (weights.group, cid, t > 0)
            if abs(t) > abs(strongest.get(key, 0.0)):
                strongest[key] = t
    up = dict.fromkeys(total, 0.0)
    down = dict.fromkeys(total, 0.0)
    for (_, cid, is_up), t in strongest.items():  # group by group, in model order
        if is_up:
            up[cid] += t
        else:
            down[cid] += t
    together = _together(model, findings, age, sex, total)
    cap = math.log(MAX_PRODUCT_LR)
    # each group's strongest in full, the others halved: 0.5 * sum + 0.5 * strongest
    combined = {
        cid: min(cap, max(-cap, 0.5 * t + 0.5 * (up[cid] + down[cid]) + together[cid]))
        for cid, t in total.items()
    }
    return combined, moved


def _together(
    model: Model,
    findings: Mapping[str, bool],
    age: int,
    sex: str | None,
    total: dict[str, float],
) -> dict[str, float]:
    """The extra ratio of the findings that mean more together than apart, by condition.

    Each combination that holds counts in full, except that two pairs sharing a
    finding correct the same ratio (a steroid and a fluoroquinolone, each with both
    heels, both cancel what "both heels" says about a rupture): of those only the
    strongest counts, so a correction is never made twice. A combination with an age
    range is a finding's extra ratio at those ages and always counts.
    """
    together = dict.fromkeys(total, 0.0)
    used: dict[str, set[str]] = {}  # condition -> findings already in a counted pair
    holding = [c for c in model.combined if c.holds(findings, age, sex)]
    for c in sorted(holding, key=lambda c: -abs(c.log_ratio)):  # stable: knowledge order
        if c.when is not None:
            together[c.condition] += c.log_ratio
        elif used.setdefault(c.condition, set()).isdisjoint(c.findings):
            together[c.condition] += c.log_ratio
            used[c.condition].update(c.findings)
    return together


def shown(probability: float) -> float:
    """The probability as shown: 4 decimals, rounded down."""
    return math.floor(probability * SHOWN_SCALE + NUDGE) / SHOWN_SCALE


def own_chance(prior: float, ratio: float) -> float:
    """The condition's own posterior: its prior odds times its likelihood ratio."""
    if prior >= 1:
        return 1.0
    odds = prior / (1 - prior) * ratio
    return 1.0 if odds == math.inf else odds / (1 + odds)


def ranking_findings(model: Model, findings: Mapping[str, bool]) -> Mapping[str, bool]:
    """The answers as the ranking reads them: a person who named where it hurts has said
    the other sites do not hurt, so the unnamed sites count as absent."""
    if not any(findings.get(site) for site in model.sites):
        return findings
    return {**{site: False for site in model.sites}, **findings}


def score(model: Model, case: Case) -> Differential:
    """Score one case: every condition, most probable first (ties in knowledge order).

    The probabilities (the ranking) read the named sites as a full answer; each
    condition's own chance, which triage reads, uses only the answers as given.
    """
    log_lr, moved = log_ratios(model, case.findings, case.age, case.sex)
    ranking = ranking_findings(model, case.findings)
    if ranking is case.findings:
        rank_lr = log_lr
    else:
        rank_lr = log_ratios(model, ranking, case.age, case.sex)[0]
    priors = model_priors(model, case.age, case.sex)
    ratio = {cid: math.exp(t) for cid, t in log_lr.items()}
    weight = {cid: priors[cid] * math.exp(rank_lr[cid]) for cid in priors}
    residual = model.residual_prior(case.age)
    total = sum(weight.values()) + residual
    probability = {cid: w / total for cid, w in weight.items()}
    if residual / total < MIN_RESIDUAL:  # keep at least MIN_RESIDUAL for "not listed"
        squeeze = (1 - MIN_RESIDUAL) / (1 - residual / total)
        probability = {cid: p * squeeze for cid, p in probability.items()}
    showing = {cid: shown(p) for cid, p in probability.items()}
    ranked = sorted(model.conditions, key=lambda c: showing[c.id], reverse=True)  # stable
    scores = []
    for rank, c in enumerate(ranked):
        supporting: tuple[str, ...] = ()
        against: tuple[str, ...] = ()
        if rank < EXPLAIN_TOP or showing[c.id] >= EXPLAIN_MIN_PROBABILITY:
            # the findings that moved it, strongest first (equals in model order)
            terms = sorted(moved.get(c.id, ()), key=lambda term: -abs(term[0]))
            supporting = tuple(fid for t, fid in terms if t > 0)
            against = tuple(fid for t, fid in terms if t < 0)
        chance = own_chance(priors[c.id], ratio[c.id])
        scores.append(ConditionScore(c.id, c.name, showing[c.id], chance, supporting, against))
    return Differential(tuple(scores), residual=1.0 - sum(probability.values()))
