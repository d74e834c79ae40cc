"""A small rule language over what is known of a person, shared by triage and the plan.

Knowledge files write conditions as YAML; this module checks them at load and
compiles them to predicates. The forms:

    finding_id                          the finding is present (true)
    {absent: finding_id}                the finding is known to be absent (false)
    {any: [expr, ...]}                  at least one holds
    {all: [expr, ...]}                  every one holds
    {age_below: N} / {age_at_least: N}  whole years
    {sex: female|male|other}
    {pain_score_at_least: N}            worst pain in the last 24 h, 0-10
    {footwear: id} / {work: id}
    {chance_at_least: {condition: id, value: P}}
                                        the condition's own posterior (its prior
                                        odds times its likelihood ratios, not
                                        shrunk by the other conditions) is >= P
    {leading: [condition_id, ...]}      the top-ranked condition is one of these
    {rule_fired: rule_id}               a red-flag rule fired (plan only)

There is no negation on purpose: every form can only become true when a
finding is added, so adding a red flag can never switch a rule off.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from heelpath.errors import KnowledgeError


# ``init=False`` with a hand-written ``__init__``: the ``__init__`` that ``dataclass``
# generates is interpreted Python even when this module is compiled (about 1.5 µs a
# Facts, made several times for every assessment); mypyc compiles this one to direct
# slot stores. The fields, defaults, equality, ``repr`` and ``replace`` are as before.
@dataclass(frozen=True, slots=True, init=False)
class Facts:
    """What a predicate can look at."""

    age: int
    sex: str | None
    findings: Mapping[str, bool]
    footwear: tuple[str, ...] = ()
    work: str | None = None
    pain_score: int | None = None
    chance: Mapping[str, float] = field(default_factory=dict)
    leading: str | None = None
    fired: frozenset[str] = frozenset()
    present: frozenset[str] = field(init=False)  # the findings that are true

    def __init__(
        self,
        age: int,
        sex: str | None,
        findings: Mapping[str, bool],
        footwear: tuple[str, ...] = (),
        work: str | None = None,
        pain_score: int | None = None,
        chance: Mapping[str, float] | None = None,  # None: a new empty dict
        leading: str | None = None,
        fired: frozenset[str] = frozenset(),
    ) -> None:
        object.__setattr__(self, "age", age)
        object.__setattr__(self, "sex", sex)
        object.__setattr__(self, "findings", findings)
        object.__setattr__(self, "footwear", footwear)
        object.__setattr__(self, "work", work)
        object.__setattr__(self, "pain_score", pain_score)
        object.__setattr__(self, "chance", {} if chance is None else chance)
        object.__setattr__(self, "leading", leading)
        object.__setattr__(self, "fired", fired)
        present = frozenset(k for k, v in findings.items() if v is True)
        object.__setattr__(self, "present", present)

    def with_leading(self, leading: str | None) -> Facts:
        """The same facts with another leading condition.

        The plan checks its rules once for each likely condition as the leading
        one; this is what ``dataclasses.replace(self, leading=...)`` gives, without
        its generic (and, compiled, comparatively slow) field-by-field copy.
        """
        return Facts(
            age=self.age,
            sex=self.sex,
            findings=self.findings,
            footwear=self.footwear,
            work=self.work,
            pain_score=self.pain_score,
            chance=self.chance,
            leading=leading,
            fired=self.fired,
        )


Predicate = Callable[[Facts], bool]


@dataclass(frozen=True, slots=True)
class Ids:
    """The ids an expression may name, for checking at load."""

    findings: frozenset[str]
    conditions: frozenset[str]
    sex: frozenset[str]
    footwear: frozenset[str]
    work: frozenset[str]
    rules: frozenset[str] = frozenset()


def compile_expression(expr: Any, ids: Ids, where: tuple[str, str, str]) -> Predicate:
    """Check ``expr`` and return its predicate; ``where`` is (file, entry, field) for errors."""

    def bad(msg: str) -> KnowledgeError:
        return KnowledgeError(*where, msg)

    if isinstance(expr, str):
        if expr not in ids.findings:
            raise bad(f"unknown finding {expr!r}")
        fid = expr
        return lambda f: fid in f.present
    if not isinstance(expr, Mapping) or len(expr) != 1:
        raise bad(f"an expression is a finding id or a one-key mapping, not {expr!r}")
    ((key, arg),) = expr.items()
    if key == "absent":
        if arg not in ids.findings:
            raise bad(f"unknown finding {arg!r}")
        return lambda f: f.findings.get(arg) is False
    if key in ("any", "all"):
        if not isinstance(arg, Sequence) or isinstance(arg, str) or not arg:
            raise bad(f"{key!r} takes a non-empty list")
        if key == "any":
            # every part is checked and compiled once; the simple ones are then folded
            parts_any = _any_parts(arg)
            return _compile_any([(a, compile_expression(a, ids, where)) for a in parts_any])
        compiled = [(a, compile_expression(a, ids, where)) for a in arg]
        named = frozenset(a for a in arg if isinstance(a, str))
        parts = tuple(p for a, p in compiled if not isinstance(a, str))
        if not parts:
            return lambda f: named <= f.present
        return lambda f: named <= f.present and all(p(f) for p in parts)
    if key in ("age_below", "age_at_least", "pain_score_at_least"):
        if not isinstance(arg, int) or isinstance(arg, bool):
            raise bad(f"{key!r} takes a whole number")
        n = arg
        if key == "age_below":
            return lambda f: f.age < n
        if key == "age_at_least":
            return lambda f: f.age >= n
        return lambda f: f.pain_score is not None and f.pain_score >= n
    if key == "sex":
        if arg not in ids.sex:
            raise bad(f"unknown sex {arg!r}")
        return lambda f: f.sex == arg
    if key == "footwear":
        if arg not in ids.footwear:
            raise bad(f"unknown footwear {arg!r}")
        return lambda f: arg in f.footwear
    if key == "work":
        if arg not in ids.work:
            raise bad(f"unknown work {arg!r}")
        return lambda f: f.work == arg
    if key == "chance_at_least":
        if not isinstance(arg, Mapping) or set(arg) != {"condition", "value"}:
            raise bad("'chance_at_least' takes {condition: id, value: P}")
        cid, value = arg["condition"], arg["value"]
        if cid not in ids.conditions:
            raise bad(f"unknown condition {cid!r}")
        if not isinstance(value, (int, float)) or not 0 < value < 1:
            raise bad(f"'chance_at_least' value must be between 0 and 1, not {value!r}")
        threshold = float(value)
        return lambda f: f.chance.get(cid, 0.0) >= threshold
    if key == "leading":
        if not isinstance(arg, Sequence) or isinstance(arg, str) or not arg:
            raise bad("'leading' takes a non-empty list of condition ids")
        for cid in arg:
            if cid not in ids.conditions:
                raise bad(f"unknown condition {cid!r}")
        wanted = frozenset(arg)
        return lambda f: f.leading in wanted
    if key == "rule_fired":
        if ids.rules and arg not in ids.rules:
            raise bad(f"unknown red-flag rule {arg!r}")
        return lambda f: arg in f.fired
    raise bad(f"unknown expression form {key!r}")


def _any_parts(arg: Sequence[Any]) -> list[Any]:
    """The parts of an ``any``, with the parts of each ``any`` nested in it spliced in.

    An ``any`` inside an ``any`` (a shared alias such as ``*rupture_suspected`` in a
    longer list) holds exactly when one of its parts does, so its parts can join the
    outer ones: they are then folded with them (``_compile_any``) and the predicate
    makes one call fewer. A malformed nested ``any`` is left as it is, so compiling it
    refuses it with the usual message.
    """
    out: list[Any] = []
    for a in arg:
        nested = a.get("any") if isinstance(a, Mapping) and len(a) == 1 else None
        if isinstance(nested, Sequence) and not isinstance(nested, str) and nested:
            out += _any_parts(nested)
        else:
            out.append(a)
    return out


def _compile_any(compiled: Sequence[tuple[Any, Predicate]]) -> Predicate:
    """``any`` with its simple parts folded into sets: it runs for every plan item of every case."""
    named: set[str] = set()
    rules: set[str] = set()
    leads: set[str] = set()
    chances: list[tuple[str, float]] = []
    others: list[Predicate] = []
    for a, predicate in compiled:
        if isinstance(a, str):
            named.add(a)
        elif isinstance(a, Mapping) and len(a) == 1 and "rule_fired" in a:
            rules.add(a["rule_fired"])
        elif isinstance(a, Mapping) and len(a) == 1 and "leading" in a:
            leads.update(a["leading"])
        elif isinstance(a, Mapping) and len(a) == 1 and "chance_at_least" in a:
            c = a["chance_at_least"]
            chances.append((c["condition"], float(c["value"])))
        else:
            others.append(predicate)
    # The few ids as tuples, each looked up with ``in``: compiled, that is a direct set
    # look-up, where ``isdisjoint`` would be a generic method call.
    named_t, rules_t, leads_f = tuple(sorted(named)), tuple(sorted(rules)), frozenset(leads)
    chances_t, others_t = tuple(chances), tuple(others)

    def holds(f: Facts) -> bool:
        present = f.present
        for fid in named_t:
            if fid in present:
                return True
        fired = f.fired
        for rid in rules_t:
            if rid in fired:
                return True
        if f.leading in leads_f:
            return True
        chance = f.chance
        for cid, threshold in chances_t:
            if chance.get(cid, 0.0) >= threshold:
                return True
        for p in others_t:  # noqa: SIM110 - a plain loop: runs for every guard of every plan
            if p(f):
                return True
        return False

    return holds


def findings_named(expr: Any) -> set[str]:
    """The finding ids an expression names (present or absent), for explanations and checks."""
    if isinstance(expr, str):
        return {expr}
    if isinstance(expr, Mapping):
        out: set[str] = set()
        for key, arg in expr.items():
            if key == "absent" and isinstance(arg, str):
                out.add(arg)
            elif key in ("any", "all"):
                for a in arg:
                    out |= findings_named(a)
        return out
    return set()
