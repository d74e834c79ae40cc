"""A small rule language over what is known of a person, shared by triage and the plan.

Knowledge files write conditions as YAML; this module checks them at load and
compiles them to predicates. The forms:

    finding_id                          the finding is present (true)
    name                                a named expression of the file's
                                        ``definitions:`` map holds (see
                                        :func:`compile_definitions`)
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
    {share_at_least: {condition: id, value: P}}
                                        the condition's share of the normalised
                                        differential the answer shows is >= P
                                        (the can't-miss thresholds)
    {leading: [condition_id, ...]}      the top-ranked condition is one of these
    {rule_fired: rule_id}               a red-flag rule fired (plan only)

There is no negation on purpose: every form can only become true when a
finding is added, so adding a red flag can never switch a rule off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import Any

from heelpath.errors import KnowledgeError


@dataclass(frozen=True)
class Facts:
    """What a predicate can look at."""

    age: int
    sex: str | None
    findings: Mapping[str, bool]
    footwear: tuple[str, ...] = ()
    work: str | None = None
    pain_score: int | None = None
    chance: Mapping[str, float] = field(default_factory=dict)
    share: Mapping[str, float] = field(default_factory=dict)
    leading: str | None = None
    fired: frozenset[str] = frozenset()

    @cached_property
    def present(self) -> frozenset[str]:
        """The findings that are true."""
        return frozenset(k for k, v in self.findings.items() if v is True)


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
    # named expressions (a file's `definitions:`), each compiled once
    definitions: Mapping[str, Predicate] = field(default_factory=lambda: MappingProxyType({}))


_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


def compile_definitions(raw: Any, ids: Ids, file: str) -> Ids:
    """``ids`` with the named expressions of a ``definitions:`` map added.

    A name stands for its expression wherever an expression may be written, in
    its file only. It is compiled once, so every use shares one predicate (the
    safety filter checks each distinct predicate once per person). A definition
    may use the names defined above it, never one below, so no definition can
    refer to itself. A name must not be a finding id: ``when: name`` would be
    ambiguous.
    """
    if raw is None:
        return ids
    if not isinstance(raw, Mapping):
        raise KnowledgeError(file, "definitions", "", "expected a mapping of name to expression")
    named: dict[str, Predicate] = dict(ids.definitions)
    for name, expr in raw.items():
        if not isinstance(name, str) or not _NAME.match(name):
            raise KnowledgeError(
                file, "definitions", str(name), "a name is lower-case letters, digits and _"
            )
        if name in ids.findings:
            raise KnowledgeError(
                file, "definitions", name, "a finding has this id: choose another name"
            )
        known = replace(ids, definitions=MappingProxyType(dict(named)))
        named[name] = compile_expression(expr, known, (file, "definitions", name))
    return replace(ids, definitions=MappingProxyType(named))


def compile_expression(expr: Any, ids: Ids, where: tuple[str, str, str]) -> Predicate:
    """Check ``expr`` and return its predicate; ``where`` is (file, entry, field) for errors."""

    def bad(msg: str) -> KnowledgeError:
        return KnowledgeError(*where, msg)

    if isinstance(expr, str):
        if expr in ids.findings:
            fid = expr
            return lambda f: fid in f.present
        if expr in ids.definitions:
            return ids.definitions[expr]
        if ids.definitions:
            raise bad(f"unknown finding or definition {expr!r}")
        raise bad(f"unknown finding {expr!r}")
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
        parts = tuple(compile_expression(a, ids, where) for a in arg)
        return _any(parts) if key == "any" else _all(parts)
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
    if key in ("chance_at_least", "share_at_least"):
        if not isinstance(arg, Mapping) or set(arg) != {"condition", "value"}:
            raise bad(f"{key!r} takes {{condition: id, value: P}}")
        cid, value = arg["condition"], arg["value"]
        if cid not in ids.conditions:
            raise bad(f"unknown condition {cid!r}")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value < 1:
            raise bad(f"{key!r} value must be between 0 and 1, not {value!r}")
        threshold = float(value)
        if key == "share_at_least":
            return lambda f: f.share.get(cid, 0.0) >= threshold
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


def _any(parts: tuple[Predicate, ...]) -> Predicate:
    def holds(f: Facts) -> bool:
        for p in parts:  # noqa: SIM110 - a loop: cheaper than any() over a generator
            if p(f):
                return True
        return False

    return holds


def _all(parts: tuple[Predicate, ...]) -> Predicate:
    def holds(f: Facts) -> bool:
        for p in parts:  # noqa: SIM110 - a loop: cheaper than all() over a generator
            if not p(f):
                return False
        return True

    return holds


def reads_differential(expr: Any) -> bool:
    """Whether an expression reads the normalised differential (``share_at_least``, ``leading``).

    Those forms are not monotone in the answers on their own: evidence for one
    condition shrinks every other condition's share. Triage closes them over
    the warning signs (``reasoning/triage.py``).
    """
    if isinstance(expr, Mapping):
        for key, arg in expr.items():
            if key in ("share_at_least", "leading"):
                return True
            if key in ("any", "all") and any(reads_differential(a) for a in arg):
                return True
    return False


@dataclass(frozen=True)
class ProbabilityReads:
    """The probability forms an expression reads: ``chance_at_least`` and
    ``share_at_least`` as (condition, threshold), and whether it reads ``leading``."""

    chances: tuple[tuple[str, float], ...] = ()
    shares: tuple[tuple[str, float], ...] = ()
    leading: bool = False


def probabilities_read(expr: Any) -> ProbabilityReads:
    """Every ``chance_at_least``, ``share_at_least`` and ``leading`` form in an expression."""
    chances: list[tuple[str, float]] = []
    shares: list[tuple[str, float]] = []
    leading = False

    def walk(e: Any) -> None:
        nonlocal leading
        if not isinstance(e, Mapping):
            return
        for key, arg in e.items():
            if key == "chance_at_least":
                chances.append((arg["condition"], float(arg["value"])))
            elif key == "share_at_least":
                shares.append((arg["condition"], float(arg["value"])))
            elif key == "leading":
                leading = True
            elif key in ("any", "all"):
                for a in arg:
                    walk(a)

    walk(expr)
    return ProbabilityReads(tuple(chances), tuple(shares), leading)


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
