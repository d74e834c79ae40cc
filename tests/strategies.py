"""Hypothesis strategies for the engine, kept in one place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

_VOCAB = json.loads(
    (Path(__file__).resolve().parents[1] / "src/heelpath/knowledge/vocabulary.json").read_text()
)
FINDING_IDS: list[str] = [f["id"] for f in _VOCAB["findings"]]
SEXES: list[str] = list(_VOCAB["sex"])
FOOTWEAR: list[str] = list(_VOCAB["footwear"])
WORK: list[str] = list(_VOCAB["work"])

findings = st.dictionaries(st.sampled_from(FINDING_IDS), st.booleans(), max_size=30)

# -- what a hostile or careless client sends ------------------------------------------------

# the digits str.isdigit() accepts and int() refuses, or int() reads but are not ASCII
ODD_DIGITS = ["²", "¹", "³", "٣", "۴", "߅", "𝟗", "0" * 400, "1e3", "-0", " 4 ", "\x00"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=60)
    | st.sampled_from(ODD_DIGITS + FINDING_IDS[:5] + FOOTWEAR)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text(max_size=20) | st.sampled_from(FINDING_IDS), inner, max_size=5)
    ),
    max_leaves=40,
)
# any JSON document, deep nesting, or bytes that are not JSON at all
hostile_bodies = st.one_of(
    json_values.map(lambda v: json.dumps(v).encode()),
    st.integers(15, 1100).map(lambda n: b'{"x": ' + b"[" * n + b"]" * n + b"}"),
    st.binary(max_size=300),
)


@st.composite
def inputs(draw: st.DrawFn, finding_ids: list[str] | None = None) -> dict[str, Any]:
    """A valid contract input, with optional fields sometimes left out."""
    ids = finding_ids or FINDING_IDS
    data: dict[str, Any] = {
        "age": draw(st.integers(0, 120)),
        "findings": draw(st.dictionaries(st.sampled_from(ids), st.booleans(), max_size=30)),
    }
    if draw(st.booleans()):
        data["sex"] = draw(st.sampled_from(SEXES))
    if draw(st.booleans()):
        data["footwear"] = draw(st.lists(st.sampled_from(FOOTWEAR), max_size=3, unique=True))
    if draw(st.booleans()):
        data["work"] = draw(st.sampled_from(WORK))
    if draw(st.booleans()):
        data["pain_score"] = draw(st.integers(0, 10))
    return data


# -- the plan builder's inputs: differentials and triages made by hand --------------------

CONDITION_IDS: list[str] = [c["id"] for c in _VOCAB["conditions"]]
LEVELS: list[str] = [t["id"] for t in _VOCAB["triage_levels"]]


@st.composite
def differentials(draw: st.DrawFn, condition_ids: list[str] | None = None) -> Any:
    """A ranked differential over the conditions: shares sum to 1 with the residual,
    and each condition's own chance is at least its share."""
    from heelpath.reasoning.results import ConditionScore, Differential

    ids = condition_ids or CONDITION_IDS
    weights = draw(st.lists(st.floats(0.0, 1.0), min_size=len(ids), max_size=len(ids)))
    residual = draw(st.floats(0.03, 0.5))
    total = sum(weights) or 1.0
    shares = [(1 - residual) * w / total for w in weights]
    scores = []
    for cid, p in zip(ids, shares, strict=True):
        chance = draw(st.floats(min_value=min(p, 1.0), max_value=1.0))
        scores.append(ConditionScore(cid, cid.replace("_", " "), p, chance, (), ()))
    scores.sort(key=lambda s: -s.probability)
    return Differential(tuple(scores), residual)


@st.composite
def triages(draw: st.DrawFn, rules: Any) -> Any:
    """Some red-flag rules of ``rules`` (knowledge.red_flag_rules) fired; the level is the
    highest of them, or sometimes higher (the plan must cope with any level)."""
    from heelpath.reasoning.results import FiredRule, Triage, level_rank

    chosen = draw(st.lists(st.sampled_from(list(rules)), max_size=4, unique_by=lambda r: r.id))
    fired = sorted(
        (FiredRule(r.id, r.code, r.level, r.reason, (), r.adds) for r in chosen),
        key=lambda f: -level_rank(f.level),
    )
    floor = fired[0].level if fired else LEVELS[0]
    level = draw(st.sampled_from([lv for lv in LEVELS if level_rank(lv) >= level_rank(floor)]))
    reasons = tuple(f.reason for f in fired) or ("no warning signs",)
    return Triage(level, reasons, tuple(fired), tuple(f.id for f in fired))


def ranked(*shares: tuple[str, float], residual: float = 0.03) -> Any:
    """A hand-made differential: (condition id, probability) pairs; chance = probability."""
    from heelpath.reasoning.results import ConditionScore, Differential

    scores = [ConditionScore(c, c.replace("_", " "), p, p, (), ()) for c, p in shares]
    scores.sort(key=lambda s: -s.probability)
    return Differential(tuple(scores), residual)


def fired(rules: Any, *rule_ids: str, level: str | None = None) -> Any:
    """A hand-made triage: these rules of ``rules`` fired; the level is the highest unless given."""
    from heelpath.reasoning.results import FiredRule, Triage, level_rank

    by_id = {r.id: r for r in rules}
    fr = sorted(
        (FiredRule(i, by_id[i].code, by_id[i].level, by_id[i].reason, (), by_id[i].adds)
         for i in rule_ids),
        key=lambda f: -level_rank(f.level),
    )  # fmt: skip
    lvl = level or (fr[0].level if fr else LEVELS[0])
    reasons = tuple(f.reason for f in fr) or ("no warning signs",)
    return Triage(lvl, reasons, tuple(fr), tuple(rule_ids))


def plan_for(
    knowledge: Any,
    differential: Any,
    *rule_ids: str,
    level: str | None = None,
    age: int = 40,
    findings: dict[str, bool] | None = None,
    footwear: tuple[str, ...] = (),
    work: str | None = None,
    pain_score: int | None = None,
) -> Any:
    """The plan for a hand-made person, differential and triage (rules fired by id)."""
    from types import MappingProxyType

    from heelpath.contract import Case
    from heelpath.reasoning.plan import build_plan

    case = Case(
        age=age,
        findings=MappingProxyType(dict(findings or {})),
        footwear=footwear,
        work=work,
        pain_score=pain_score,
    )
    return build_plan(
        knowledge, case, differential, fired(knowledge.red_flag_rules, *rule_ids, level=level)
    )


# -- follow-up records: VISA-A answers and diaries -------------------------------------------

# VISA-A item 8: the points each branch allows, as published
VISA_A_Q8_POINTS = {"A": (0, 7, 14, 21, 30), "B": (0, 4, 10, 14, 20), "C": (0, 2, 5, 7, 10)}


@st.composite
def visa_a_answers(draw: st.DrawFn) -> dict[str, Any]:
    """One completed VISA-A: q1-q6 0-10, q7 0/4/7/10, q8 a branch and one of its points."""
    answers: dict[str, Any] = {f"q{n}": draw(st.integers(0, 10)) for n in range(1, 7)}
    answers["q7"] = draw(st.sampled_from((0, 4, 7, 10)))
    branch = draw(st.sampled_from(sorted(VISA_A_Q8_POINTS)))
    answers["q8"] = {"branch": branch, "points": draw(st.sampled_from(VISA_A_Q8_POINTS[branch]))}
    return answers


@st.composite
def diaries(
    draw: st.DrawFn, start: Any, days: int = 60, exercises: tuple[str, ...] = ("heel_raise",)
) -> list[Any]:
    """A diary of up to ``days`` days from ``start``, some days missing."""
    import datetime as dt

    from heelpath.tracking.diary import DiaryEntry

    pains = st.integers(0, 10)
    out = []
    for offset in sorted(draw(st.sets(st.integers(0, days - 1), max_size=days))):
        did = draw(st.booleans())
        out.append(
            DiaryEntry(
                day=start + dt.timedelta(days=offset),
                pain_morning=draw(pains),
                pain_during=draw(st.none() | pains),
                pain_after=draw(st.none() | pains),
                done=exercises if did else (),
                sets={e: draw(st.integers(1, 6)) for e in exercises} if did else {},
            )
        )
    return out
