"""The Bayesian differential over the posterior-heel conditions.

For each condition: a prior shaped by age and sex, times the likelihood ratios
of the findings that are known (LR+ when present, LR- when absent; an unknown
finding gives no update). Findings that measure nearly the same thing share an
overlap group: within a group the strongest ratio counts in full and the others
as their square root (in log space: half), separately for ratios pointing up
and down. A single ratio is capped at 20 (and 1/20), the product for one
condition at 200 (and 1/200). A residual "something not listed" keeps its prior
with ratio 1, so the listed probabilities sum to less than 1; its share is kept
at 0.03 or more.

Everything is vectorised with NumPy so that a batch of cases is scored in a few
array operations (see ``score_many``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from heelpath.contract import Case
from heelpath.knowledge.model import Knowledge
from heelpath.reasoning.results import ConditionScore, Differential

MAX_SINGLE_LR = 20.0
MAX_PRODUCT_LR = 200.0
MIN_RESIDUAL = 0.03
# Probabilities are shown to 4 decimals, rounded down, so the listed ones never sum
# above 1 and keep their order; the nudge absorbs float error just below a step.
_SHOWN_SCALE = 10000.0
_NUDGE = 1e-7
_LOG_PRODUCT_CAP = math.log(MAX_PRODUCT_LR)
# Conditions shown to the person (the contract lists these) carry their explanations:
# the top three and every one with a probability of at least 1%.
EXPLAIN_TOP = 3
EXPLAIN_MIN_PROBABILITY = 0.01
# In children the adult column fades in over 15-17 (brief §1.0: "use a blend").
CHILD_WEIGHT_BY_AGE = {15: 0.75, 16: 0.5, 17: 0.25}

FloatArray = npt.NDArray[np.float64]


def child_weight(age: int) -> float:
    """How much of the child prior column applies at this age (1 up to 14, 0 from 18)."""
    if age <= 14:
        return 1.0
    return CHILD_WEIGHT_BY_AGE.get(age, 0.0)


class Sparse(NamedTuple):
    """One finding's non-zero log likelihood ratios, for the scalar path."""

    row: int  # its row in the weight matrices (findings of a group are adjacent)
    group: int  # its overlap group
    alone: bool  # the only finding of its group
    pos: tuple[tuple[int, float], ...]  # (condition, log LR+) when present
    neg: tuple[tuple[int, float], ...]  # (condition, log LR-) when absent
    pos_by_condition: dict[int, float]
    neg_by_condition: dict[int, float]


@dataclass(frozen=True, eq=False)
class Model:
    """The knowledge compiled into arrays; build once with :func:`compile_model`."""

    condition_ids: tuple[str, ...]
    condition_names: tuple[str, ...]
    finding_ids: tuple[str, ...]  # ordered so that each overlap group is contiguous
    column: dict[str, int]  # finding id -> row of the weight matrices
    group_starts: npt.NDArray[np.intp]  # first row of each overlap group (for reduceat)
    w_pos: FloatArray  # (F, C) log LR+ (0 where none)
    w_neg: FloatArray  # (F, C) log LR- (0 where none)
    prior_adult: FloatArray  # (C,)
    prior_child: FloatArray  # (C,)
    residual_adult: float
    residual_child: float
    # (condition index, age_min, age_max, sex, multiplier, otherwise)
    modifiers: tuple[tuple[int, int | None, int | None, str | None, float, float], ...]
    # the same weights, sparse, for scoring one case without array overhead
    sparse: dict[str, Sparse]


def compile_model(knowledge: Knowledge) -> Model:
    """Turn the knowledge into the arrays the scoring works on."""
    conditions = knowledge.conditions
    cidx = {c.id: i for i, c in enumerate(conditions)}
    # Contiguous overlap groups: order findings by first appearance of their group.
    order: list[str] = []
    groups: dict[str, list[str]] = {}
    for f in knowledge.findings:
        key = f.overlap or f"__{f.id}"
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(f.id)
    finding_ids: list[str] = []
    starts: list[int] = []
    for key in order:
        starts.append(len(finding_ids))
        finding_ids.extend(groups[key])
    column = {fid: i for i, fid in enumerate(finding_ids)}
    n_f, n_c = len(finding_ids), len(conditions)
    w_pos = np.zeros((n_f, n_c))
    w_neg = np.zeros((n_f, n_c))
    cap = math.log(MAX_SINGLE_LR)
    for lr in knowledge.likelihood_ratios:
        r, c = column[lr.finding], cidx[lr.condition]
        if lr.lr_pos is not None:
            w_pos[r, c] = min(cap, max(-cap, math.log(lr.lr_pos)))
        if lr.lr_neg is not None:
            w_neg[r, c] = min(cap, max(-cap, math.log(lr.lr_neg)))
    modifiers = tuple(
        (cidx[c.id], m.when.age_min, m.when.age_max, m.when.sex, m.multiplier, m.otherwise)
        for c in conditions
        for m in c.modifiers
    )
    group_of = np.searchsorted(np.asarray(starts), np.arange(n_f), side="right") - 1
    group_size = np.bincount(group_of)
    sparse = {}
    for fid, r in column.items():
        pos = tuple((c, float(w_pos[r, c])) for c in range(n_c) if w_pos[r, c] != 0.0)
        neg = tuple((c, float(w_neg[r, c])) for c in range(n_c) if w_neg[r, c] != 0.0)
        g = int(group_of[r])
        sparse[fid] = Sparse(r, g, bool(group_size[g] == 1), pos, neg, dict(pos), dict(neg))
    return Model(
        condition_ids=tuple(c.id for c in conditions),
        condition_names=tuple(c.name for c in conditions),
        finding_ids=tuple(finding_ids),
        column=column,
        group_starts=np.asarray(starts, dtype=np.intp),
        w_pos=w_pos,
        w_neg=w_neg,
        prior_adult=np.array([c.prior.adult for c in conditions]),
        prior_child=np.array([c.prior.child for c in conditions]),
        residual_adult=knowledge.residual_prior.adult,
        residual_child=knowledge.residual_prior.child,
        modifiers=modifiers,
        sparse=sparse,
    )


@functools.lru_cache(maxsize=2048)
def prior_row(
    model: Model, age: int, sex: str | None
) -> tuple[tuple[float, ...], float, tuple[float, ...]]:
    """Prior of each condition, of the residual, and each condition's prior odds (cached).

    (The model is compared by identity: one cache serves each compiled model.)
    """
    w = child_weight(age)
    p = [
        w * float(child) + (1 - w) * float(adult)
        for child, adult in zip(model.prior_child.tolist(), model.prior_adult.tolist(), strict=True)
    ]
    for ci, lo, hi, want_sex, mult, otherwise in model.modifiers:
        hit = (lo is None or age >= lo) and (hi is None or age <= hi)
        hit = hit and (want_sex is None or sex == want_sex)
        p[ci] *= mult if hit else otherwise
    odds = tuple(x / (1 - x) if x < 1 else math.inf for x in p)
    return tuple(p), w * model.residual_child + (1 - w) * model.residual_adult, odds


def priors(model: Model, cases: Sequence[Case]) -> tuple[FloatArray, FloatArray]:
    """Prior of each condition (N, C) and of the residual (N,) for each case's age and sex."""
    rows = [prior_row(model, c.age, c.sex) for c in cases]
    return np.array([r[0] for r in rows]), np.array([r[1] for r in rows])


def contributions(model: Model, cases: Sequence[Case]) -> FloatArray:
    """Log likelihood ratio of every finding for every condition, per case: (N, F, C)."""
    n = len(cases)
    present = np.zeros((n, len(model.finding_ids)), dtype=bool)
    absent = np.zeros_like(present)
    col = model.column
    for i, case in enumerate(cases):
        for fid, value in case.findings.items():
            j = col.get(fid)
            if j is None:
                continue
            if value:
                present[i, j] = True
            else:
                absent[i, j] = True
    terms: FloatArray = np.where(
        present[:, :, None], model.w_pos[None], np.where(absent[:, :, None], model.w_neg[None], 0.0)
    )
    return terms


def combine(model: Model, terms: FloatArray) -> FloatArray:
    """Sum the log ratios per condition with overlap groups damped and the product capped: (N, C)."""
    up = np.maximum(terms, 0.0)
    down = np.minimum(terms, 0.0)
    strongest_up = np.maximum.reduceat(up, model.group_starts, axis=1).sum(axis=1)
    strongest_down = np.minimum.reduceat(down, model.group_starts, axis=1).sum(axis=1)
    # strongest in full, the others halved: 0.5 * sum + 0.5 * strongest
    total = 0.5 * terms.sum(axis=1) + 0.5 * (strongest_up + strongest_down)
    cap = math.log(MAX_PRODUCT_LR)
    clipped: FloatArray = np.clip(total, -cap, cap)
    return clipped


def score_many(model: Model, cases: Sequence[Case]) -> list[Differential]:
    """Score a batch of cases at once; one :class:`Differential` per case, in order."""
    if not cases:
        return []
    prior, residual = priors(model, cases)
    terms = contributions(model, cases)
    log_lr = combine(model, terms)
    lr = np.exp(log_lr)
    weight = prior * lr
    total = weight.sum(axis=1) + residual
    prob = weight / total[:, None]
    resid_share = residual / total
    # keep at least MIN_RESIDUAL for "something not listed"
    squeeze = np.where(resid_share < MIN_RESIDUAL, (1 - MIN_RESIDUAL) / (1 - resid_share), 1.0)
    prob = prob * squeeze[:, None]
    resid_share = 1 - prob.sum(axis=1)
    with np.errstate(divide="ignore"):
        odds = np.where(prior < 1, prior / (1 - prior), np.inf) * lr
    chance = np.where(np.isinf(odds), 1.0, odds / (1 + odds))
    # rank by the probability as shown (4 decimals); equal ones keep knowledge order
    shown = np.floor(prob * _SHOWN_SCALE + _NUDGE) / _SHOWN_SCALE
    order = np.argsort(-shown, axis=1, kind="stable")
    known: npt.NDArray[np.bool_] = np.any(terms != 0.0, axis=2)  # (N, F): findings that count

    ids, names, fids = model.condition_ids, model.condition_names, model.finding_ids
    out = []
    for n in range(len(cases)):
        cols = np.flatnonzero(known[n])
        sub = terms[n, cols, :]  # (k, C): only the findings that count
        ranks = np.argsort(-np.abs(sub), axis=0, kind="stable").T.tolist()
        values = sub.T.tolist()
        known_ids = [fids[j] for j in cols.tolist()]
        probs = shown[n].tolist()
        chances = chance[n].tolist()
        scores = []
        for rank, c in enumerate(order[n].tolist()):
            p = probs[c]
            if rank < EXPLAIN_TOP or p >= EXPLAIN_MIN_PROBABILITY:
                col, idx = values[c], ranks[c]
                supporting = tuple(known_ids[j] for j in idx if col[j] > 0)
                against = tuple(known_ids[j] for j in idx if col[j] < 0)
            else:
                supporting = against = ()
            scores.append(
                ConditionScore(
                    id=ids[c],
                    name=names[c],
                    probability=p,
                    chance=chances[c],
                    supporting=supporting,
                    against=against,
                )
            )
        out.append(Differential(scores=tuple(scores), residual=float(resid_share[n])))
    return out


def score(model: Model, case: Case) -> Differential:
    """Score one case: the same model as :func:`score_many`, without array overhead.

    The arithmetic follows ``score_many`` step by step and in the same order
    (findings by row, groups in order), so both give the same numbers; a
    property test holds them to it.
    """
    prior, residual, prior_odds = prior_row(model, case.age, case.sex)
    n_c = len(prior)
    sums = [0.0] * n_c
    strongest_up = [0.0] * n_c
    strongest_down = [0.0] * n_c
    sparse = model.sparse
    known: list[tuple[Sparse, str, bool]] = []
    for fid, value in case.findings.items():
        found = sparse.get(fid)
        if found is not None:
            known.append((found, fid, value))
    known.sort(key=_by_row)
    # Rows are sorted and a group's rows are adjacent, so groups come one after another
    # and are added in ascending order, as score_many's reduceat does.
    # the strongest upward and downward ratio per condition in the current group, and
    # the conditions that group touched (lists, not dicts: indexed in C when compiled)
    group_up = [0.0] * n_c
    group_down = [0.0] * n_c
    touched: list[int] = []
    current = -1
    for entry, _, value in known:
        if entry.group != current:
            _add_group(touched, group_up, group_down, strongest_up, strongest_down)
            current = entry.group
        if entry.alone:
            for c, t in entry.pos if value else entry.neg:
                sums[c] += t
                if t > 0.0:
                    strongest_up[c] += t
                else:
                    strongest_down[c] += t
            continue
        for c, t in entry.pos if value else entry.neg:
            sums[c] += t
            touched.append(c)
            if t > 0.0:
                if t > group_up[c]:
                    group_up[c] = t
            elif t < group_down[c]:
                group_down[c] = t
    _add_group(touched, group_up, group_down, strongest_up, strongest_down)
    # Plain index loops and math.* called by name: compiled (setup.py), these are C loops
    # and C calls; a zip() or a function held in a local would go through Python's protocols.
    cap = _LOG_PRODUCT_CAP
    weight: list[float] = []
    chance: list[float] = []
    for c in range(n_c):
        lr = math.exp(
            min(cap, max(-cap, 0.5 * sums[c] + 0.5 * (strongest_up[c] + strongest_down[c])))
        )
        weight.append(prior[c] * lr)
        odds = prior_odds[c] * lr
        chance.append(1.0 if odds == math.inf else odds / (1 + odds))
    total = sum(weight, 0.0) + residual  # 0.0: compiled, sum() of floats must start as one
    prob = [w / total for w in weight]
    resid_share = residual / total
    if resid_share < MIN_RESIDUAL:
        squeeze = (1 - MIN_RESIDUAL) / (1 - resid_share)
        prob = [p * squeeze for p in prob]
    resid_share = 1.0 - sum(prob, 0.0)
    shown = [math.floor(p * _SHOWN_SCALE + _NUDGE) / _SHOWN_SCALE for p in prob]
    # stable: equal probabilities keep knowledge order
    order = sorted(range(n_c), key=shown.__getitem__, reverse=True)
    # The explained conditions get each finding that moved them, strongest first and
    # then by row: the same order score_many gives. ``known`` is in row order, so a
    # stable sort on strength alone keeps rows in order among equals.
    explained = [False] * n_c
    for rank, c in enumerate(order):
        explained[c] = rank < EXPLAIN_TOP or shown[c] >= EXPLAIN_MIN_PROBABILITY
    terms: list[list[tuple[float, str]]] = [[] for _ in range(n_c)]
    for entry, fid, value in known:
        for c, w in entry.pos if value else entry.neg:
            if explained[c]:
                terms[c].append((w, fid))
    ids, names = model.condition_ids, model.condition_names
    scores: list[ConditionScore] = []
    for c in order:
        moved = terms[c]
        if moved:
            moved.sort(key=_strength)
            supporting = tuple([fid for w, fid in moved if w > 0])
            against = tuple([fid for w, fid in moved if w < 0])
        else:
            supporting = against = ()
        scores.append(ConditionScore(ids[c], names[c], shown[c], chance[c], supporting, against))
    return Differential(scores=tuple(scores), residual=resid_share)


def _add_group(
    touched: list[int],
    group_up: list[float],
    group_down: list[float],
    strongest_up: list[float],
    strongest_down: list[float],
) -> None:
    """Add a finished overlap group's strongest ratios to the totals; reset it for the next."""
    for c in touched:
        up, down = group_up[c], group_down[c]
        if up > 0.0:
            strongest_up[c] += up
            group_up[c] = 0.0
        if down < 0.0:
            strongest_down[c] += down
            group_down[c] = 0.0
    touched.clear()


def _by_row(item: tuple[Sparse, str, bool]) -> int:
    return item[0].row


def _strength(term: tuple[float, str]) -> float:
    """Sort key: the strongest ratio first, up or down."""
    return -abs(term[0])
