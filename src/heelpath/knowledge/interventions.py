"""Interventions as data: ``interventions.yaml`` loaded, checked and compiled.

Every vocabulary intervention has exactly one entry; the project's own
additions say ``own: true``. Every expression (contraindications, cautions,
when-to-offer rules) is compiled with the shared rule language at load, so a
misspelt finding, condition or rule id is refused with a
:class:`~heelpath.errors.KnowledgeError` naming file, entry and field.

What several entries share is named once at the top of the file: an
expression under ``definitions:`` (used by its name, ``when: child``), a
sentence under ``texts:`` (used as ``reason: {text: rupture_reason}``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from heelpath.errors import KnowledgeError
from heelpath.knowledge.expressions import (
    Facts,
    Ids,
    Predicate,
    compile_definitions,
    compile_expression,
)
from heelpath.knowledge.files import read_yaml
from heelpath.knowledge.model import Source, Vocabulary
from heelpath.parsing import quote

FILE = "interventions.yaml"

KINDS = frozenset(
    {"care", "refer", "settle", "load", "stretch", "massage", "support", "protect", "activity"}
)
PHASES = ("get_seen", "settle", "load_and_correct", "return_to_activity", "when_to_get_help")
GRADES = ("A", "B", "C", "D", "E", "F")
# How a grade reads to a person (evidence brief §0: A strong, B moderate, C weak,
# D conflicting, E theoretical, F expert opinion), in the plain words of the result
# page's key: strong, some, mixed or little evidence. The letter stays in the knowledge
# tables for clinicians.
GRADE_WORDS = {
    "A": "Strong evidence",
    "B": "Some evidence",
    "C": "Little evidence",
    "D": "Mixed evidence",
    "E": "Little evidence",
    "F": "Little evidence",
}
# The kinds that load or stretch the tendon, or rub it: never before an urgent
# or emergency person has been seen.
HANDS_OFF_KINDS = frozenset({"load", "stretch", "massage"})
_FIELDS = frozenset(
    {
        "id", "own", "title", "kind", "phase", "instructions", "dose", "dose_by_level", "serves",
        "only_when", "include_when", "requires", "replaced_by", "until_seen_when", "after_seen_when",
        "evidence", "seed_note", "choosing", "by_level", "by_condition", "by_rule",
        "by_footwear", "by_work", "for_child", "contraindications", "cautions",
        "if_unknown", "not_recommended",
    }
)  # fmt: skip
_LEVELS = ("self_care", "soon", "urgent", "emergency")


def never(_: Facts) -> bool:
    """The when-rule of an entry that has none: holds for no one."""
    return False


def _no_texts() -> Mapping[str, str]:
    return MappingProxyType({})


def _no_doses() -> Mapping[str, Dose]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Dose:
    """How long or how many, how often, and for how long a course."""

    each: str
    how_often: str = ""
    course: str = ""  # "for" in the YAML: how many weeks

    def text(self) -> str:
        parts = [self.each, self.how_often]
        if self.course:
            parts.append(f"for {self.course}")
        return "; ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Evidence:
    """How strong the evidence is, for some conditions (empty: any)."""

    grade: str
    summary: str
    source: str | None
    rationale: str
    conditions: frozenset[str] = frozenset()

    def words(self) -> str:
        """The grade in plain words, e.g. 'Strong evidence: ...'."""
        return f"{GRADE_WORDS[self.grade]}: {self.summary}"


@dataclass(frozen=True, slots=True)
class Guard:
    """A contraindication (``text`` is the reason) or a caution (``text`` is the warning)."""

    when: Any  # the expression as written, for review and documentation
    holds: Predicate
    text: str
    source: str | None = None  # id in sources.yaml, e.g. for a drug interaction


@dataclass(frozen=True, slots=True)
class NotRecommended:
    """Conditions for which the evidence does not support this intervention, and why."""

    conditions: frozenset[str]
    reason: str


@dataclass(frozen=True, slots=True)
class ChildVersion:
    """What a child (under 16) is told instead of the adult instructions and dose."""

    instructions: str
    dose: Dose | None


@dataclass(frozen=True, slots=True)
class Intervention:
    """One thing the plan may ask a person to do; see the header of interventions.yaml."""

    id: str
    title: str
    kind: str
    phase: str
    instructions: str
    dose: Dose
    evidence: tuple[Evidence, ...]
    dose_by_level: Mapping[str, Dose] = field(default_factory=_no_doses)
    serves_all: bool = False
    serves: frozenset[str] = frozenset()
    only_when: Predicate | None = None
    include_when: Predicate = never
    requires: tuple[str, ...] = ()
    replaced_by: tuple[str, ...] = ()
    until_seen_when: Predicate = never
    after_seen_when: Predicate = never
    seed_note: str = ""
    choosing: str = ""
    by_level: Mapping[str, str] = field(default_factory=_no_texts)
    by_condition: Mapping[str, str] = field(default_factory=_no_texts)
    by_rule: Mapping[str, str] = field(default_factory=_no_texts)
    by_footwear: Mapping[str, str] = field(default_factory=_no_texts)
    by_work: Mapping[str, str] = field(default_factory=_no_texts)
    for_child: ChildVersion | None = None
    contraindications: tuple[Guard, ...] = ()
    cautions: tuple[Guard, ...] = ()
    # a plain caution shown while a contraindication's findings are unanswered (the note
    # says what to check), so the plan is safe without asking each one
    if_unknown: tuple[Guard, ...] = ()
    not_recommended: tuple[NotRecommended, ...] = ()
    own: bool = False

    def __repr__(self) -> str:
        # the full entry is pages long; the id says which one it is
        return f"Intervention({self.id!r})"

    def dose_for(self, level: str) -> Dose:
        return self.dose_by_level.get(level, self.dose)

    def serves_any(self, conditions: Iterable[str]) -> bool:
        return self.serves_all or not self.serves.isdisjoint(conditions)

    def evidence_for(self, conditions: tuple[str, ...]) -> Evidence:
        """The evidence entry for the first of ``conditions`` it names, else the general one."""
        for cid in conditions:
            for e in self.evidence:
                if cid in e.conditions:
                    return e
        general = [e for e in self.evidence if not e.conditions]
        return general[0] if general else self.evidence[0]


class _Entry:
    """Field access for one entry that names file, entry and field in every error."""

    def __init__(
        self,
        obj: Mapping[str, Any],
        entry: str,
        ids: Ids,
        vocab: Vocabulary,
        texts: Mapping[str, str],
    ) -> None:
        self.obj = obj
        self.entry = entry
        self.ids = ids
        self.vocab = vocab
        self.texts = texts

    def fail(self, field: str, message: str) -> KnowledgeError:
        return KnowledgeError(FILE, self.entry, field, message)

    def text(self, value: Any, field: str) -> str:
        """Text written out, or ``{text: name}`` naming one of the file's ``texts:``."""
        if isinstance(value, Mapping) and set(value) == {"text"}:
            name = value["text"]
            if not isinstance(name, str) or name not in self.texts:
                raise self.fail(field, f"unknown text {quote(name)} (the names are under 'texts:')")
            return self.texts[name]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, "expected non-empty text, or {text: name}")
        return " ".join(value.split())

    def req_text(self, key: str) -> str:
        return self.text(self.obj.get(key), key)

    def opt_text(self, key: str) -> str:
        value = self.obj.get(key)
        return "" if value is None else self.text(value, key)

    def choice(self, key: str, allowed: tuple[str, ...] | frozenset[str]) -> str:
        value = self.obj.get(key)
        if value not in allowed:
            raise self.fail(key, f"must be one of {', '.join(sorted(allowed))}, not {value!r}")
        return str(value)

    def expression(self, value: Any, field: str) -> Predicate:
        return compile_expression(value, self.ids, (FILE, self.entry, field))

    def opt_expression(self, key: str) -> Predicate | None:
        value = self.obj.get(key)
        return None if value is None else self.expression(value, key)

    def conditions(self, value: Any, field: str) -> frozenset[str]:
        if not isinstance(value, list):
            raise self.fail(field, "expected a list of condition ids")
        for cid in value:
            if cid not in self.ids.conditions:
                raise self.fail(field, f"unknown condition {cid!r}")
        return frozenset(value)

    def dose(self, value: Any, field: str) -> Dose:
        if isinstance(value, str):
            return Dose(each=self.text(value, field))
        if not isinstance(value, Mapping):
            raise self.fail(field, "expected text or {each, how_often, for}")
        extra = sorted(set(value) - {"each", "how_often", "for"})
        if extra:
            raise self.fail(f"{field}.{extra[0]}", "unknown field (allowed: each, how_often, for)")
        return Dose(
            each=self.text(value.get("each"), f"{field}.each"),
            how_often=self.text(value["how_often"], f"{field}.how_often")
            if "how_often" in value
            else "",
            course=self.text(value["for"], f"{field}.for") if "for" in value else "",
        )

    def ids_list(self, key: str) -> tuple[str, ...]:
        value = self.obj.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "expected a list of intervention ids")
        return tuple(value)

    def doses_by_level(self) -> Mapping[str, Dose]:
        value = self.obj.get("dose_by_level")
        if value is None:
            return MappingProxyType({})
        if not isinstance(value, Mapping):
            raise self.fail("dose_by_level", "expected a mapping of triage level to dose")
        out = {}
        for level, dose in value.items():
            if level not in _LEVELS:
                raise self.fail(f"dose_by_level.{level}", f"unknown triage level {level!r}")
            out[str(level)] = self.dose(dose, f"dose_by_level.{level}")
        return MappingProxyType(out)

    def texts_by(
        self, key: str, allowed: frozenset[str] | tuple[str, ...] | None
    ) -> Mapping[str, str]:
        """A mapping of id to text; ``allowed`` None accepts any id (rules not yet known)."""
        value = self.obj.get(key)
        if value is None:
            return MappingProxyType({})
        if not isinstance(value, Mapping):
            raise self.fail(key, "expected a mapping of id to text")
        out = {}
        for k, v in value.items():
            if allowed is not None and k not in allowed:
                raise self.fail(f"{key}.{k}", f"unknown id {k!r}")
            out[str(k)] = self.text(v, f"{key}.{k}")
        return MappingProxyType(out)

    def guards(
        self, key: str, text_key: str, sources: Mapping[str, Source] | None
    ) -> tuple[Guard, ...]:
        value = self.obj.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(key, "expected a list")
        out = []
        for i, raw in enumerate(value):
            field = f"{key}[{i}]"
            if not isinstance(raw, Mapping) or not {"when", text_key} <= set(raw) <= {
                "when",
                text_key,
                "source",
            }:
                raise self.fail(field, f"expected {{when, {text_key}}} and an optional source")
            source = raw.get("source")
            if source is not None:
                self.text(source, f"{field}.source")
                if sources is not None and source not in sources:
                    raise self.fail(f"{field}.source", f"unknown source id {source!r}")
            out.append(
                Guard(
                    when=raw["when"],
                    holds=self.expression(raw["when"], f"{field}.when"),
                    text=self.text(raw[text_key], f"{field}.{text_key}"),
                    source=source,
                )
            )
        return tuple(out)

    def evidence(self, sources: Mapping[str, Source] | None) -> tuple[Evidence, ...]:
        value = self.obj.get("evidence")
        if not isinstance(value, list) or not value:
            raise self.fail("evidence", "expected a non-empty list of {grade, summary, source}")
        out = []
        for i, raw in enumerate(value):
            field = f"evidence[{i}]"
            if not isinstance(raw, Mapping):
                raise self.fail(field, "expected a mapping")
            extra = sorted(set(raw) - {"grade", "summary", "source", "rationale", "for"})
            if extra:
                raise self.fail(f"{field}.{extra[0]}", "unknown field")
            grade = raw.get("grade")
            if grade not in GRADES:
                raise self.fail(f"{field}.grade", f"must be one of A-F, not {grade!r}")
            source = raw.get("source")
            rationale = raw.get("rationale")
            if source is None and rationale is None:
                raise self.fail(field, "needs a source id, or a rationale when there is none")
            if source is not None:
                self.text(source, f"{field}.source")
                if sources is not None and source not in sources:
                    raise self.fail(f"{field}.source", f"unknown source id {source!r}")
            out.append(
                Evidence(
                    grade=str(grade),
                    summary=self.text(raw.get("summary"), f"{field}.summary"),
                    source=source,
                    rationale=""
                    if rationale is None
                    else self.text(rationale, f"{field}.rationale"),
                    conditions=self.conditions(raw["for"], f"{field}.for")
                    if "for" in raw
                    else frozenset(),
                )
            )
        return tuple(out)


def _intervention(e: _Entry, sources: Mapping[str, Source] | None) -> Intervention:
    obj = e.obj
    serves = obj.get("serves")
    serves_all = serves == "all"
    for_child = None
    if obj.get("for_child") is not None:
        child = obj["for_child"]
        if not isinstance(child, Mapping) or not set(child) <= {"instructions", "dose"}:
            raise e.fail("for_child", "expected {instructions, dose}")
        for_child = ChildVersion(
            instructions=e.text(child.get("instructions"), "for_child.instructions"),
            dose=e.dose(child["dose"], "for_child.dose") if "dose" in child else None,
        )
    not_recommended = []
    for i, raw in enumerate(obj.get("not_recommended") or []):
        field = f"not_recommended[{i}]"
        if not isinstance(raw, Mapping) or set(raw) != {"for", "reason"}:
            raise e.fail(field, "expected {for, reason}")
        not_recommended.append(
            NotRecommended(
                conditions=e.conditions(raw["for"], f"{field}.for"),
                reason=e.text(raw["reason"], f"{field}.reason"),
            )
        )
    return Intervention(
        id=e.entry,
        title=e.req_text("title"),
        kind=e.choice("kind", KINDS),
        phase=e.choice("phase", PHASES),
        instructions=e.req_text("instructions"),
        dose=e.dose(obj.get("dose"), "dose"),
        dose_by_level=e.doses_by_level(),
        evidence=e.evidence(sources),
        serves_all=serves_all,
        serves=frozenset() if serves_all else e.conditions(serves, "serves"),
        only_when=e.opt_expression("only_when"),
        include_when=e.opt_expression("include_when") or never,
        requires=e.ids_list("requires"),
        replaced_by=e.ids_list("replaced_by"),
        until_seen_when=e.opt_expression("until_seen_when") or never,
        after_seen_when=e.opt_expression("after_seen_when") or never,
        seed_note=e.opt_text("seed_note"),
        choosing=e.opt_text("choosing"),
        by_level=e.texts_by("by_level", _LEVELS),
        by_condition=e.texts_by("by_condition", e.ids.conditions),
        by_rule=e.texts_by("by_rule", e.ids.rules or None),
        by_footwear=e.texts_by("by_footwear", (*e.vocab.footwear, "default")),
        by_work=e.texts_by("by_work", e.vocab.work),
        for_child=for_child,
        contraindications=e.guards("contraindications", "reason", sources),
        cautions=e.guards("cautions", "note", sources),
        if_unknown=e.guards("if_unknown", "note", sources),
        not_recommended=tuple(not_recommended),
        own=obj.get("own") is True,
    )


def _texts(raw: Any) -> Mapping[str, str]:
    """The ``texts:`` map: sentences several entries share, by name."""
    if raw is None:
        return MappingProxyType({})
    if not isinstance(raw, Mapping):
        raise KnowledgeError(FILE, "texts", "", "expected a mapping of name to text")
    out = {}
    for name, value in raw.items():
        if not isinstance(name, str) or not isinstance(value, str) or not value.strip():
            raise KnowledgeError(FILE, "texts", str(name), "expected non-empty text")
        out[name] = " ".join(value.split())
    return MappingProxyType(out)


def load_interventions(
    path: Path,
    ids: Ids,
    vocabulary: Vocabulary,
    sources: Mapping[str, Source] | None = None,
) -> tuple[Intervention, ...]:
    """Load ``interventions.yaml``: one checked entry per vocabulary intervention.

    ``sources`` (the loaded ``sources.yaml``), when given, is used to check every
    source id; the knowledge tests check them in any case.
    """
    data = read_yaml(path)
    if not isinstance(data.get("interventions"), list):
        raise KnowledgeError(FILE, "", "interventions", "expected a list under 'interventions'")
    extra = sorted(set(data) - {"definitions", "texts", "interventions"})
    if extra:
        raise KnowledgeError(
            FILE, "", extra[0], "unknown top-level key (allowed: definitions, texts, interventions)"
        )
    ids = compile_definitions(data.get("definitions"), ids, FILE)
    texts = _texts(data.get("texts"))
    out: dict[str, Intervention] = {}
    for i, raw in enumerate(data["interventions"]):
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            raise KnowledgeError(FILE, f"#{i + 1}", "id", "each entry needs an id")
        iid = raw["id"]
        unknown = sorted(set(raw) - _FIELDS)
        if unknown:
            raise KnowledgeError(FILE, iid, unknown[0], "unknown field")
        if iid in out:
            raise KnowledgeError(FILE, iid, "id", "duplicate intervention id")
        own = raw.get("own", False)
        if not isinstance(own, bool) or (iid in vocabulary.interventions) == own:
            raise KnowledgeError(
                FILE,
                iid,
                "own",
                "'own: true' marks exactly the interventions not in the vocabulary",
            )
        out[iid] = _intervention(_Entry(raw, iid, ids, vocabulary, texts), sources)
    missing = [i for i in vocabulary.interventions if i not in out]
    if missing:
        raise KnowledgeError(FILE, missing[0], "id", "a vocabulary intervention has no entry")
    for iv in out.values():
        for key, named in (("requires", iv.requires), ("replaced_by", iv.replaced_by)):
            for other in named:
                if other not in out:
                    raise KnowledgeError(FILE, iv.id, key, f"unknown intervention {other!r}")
    return tuple(out.values())
