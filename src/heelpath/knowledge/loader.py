"""Load the knowledge files, validate every entry, and cross-check them.

A broken file is refused with a :class:`KnowledgeError` naming the file, the
entry and the field. Nothing is half-loaded: either the whole knowledge base
loads, or nothing does.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from heelpath.errors import KnowledgeError
from heelpath.knowledge.expressions import Ids, compile_expression
from heelpath.knowledge.files import read_json, read_yaml
from heelpath.knowledge.model import (
    Checklist,
    CombinedFinding,
    Condition,
    Demographic,
    Finding,
    Knowledge,
    LikelihoodRatio,
    NeutralCell,
    Prior,
    PriorModifier,
    Provenance,
    RedFlagRule,
    Source,
    Vocabulary,
)
from heelpath.parsing import quote

KNOWLEDGE_DIR = Path(__file__).parent
LEVELS = ("self_care", "soon", "urgent", "emergency")


class _Reader:
    """Field access that names file, entry and field in every error."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, entry: str, field: str, message: str) -> KnowledgeError:
        return KnowledgeError(self.file, entry, field, message)

    def mapping(self, obj: Any, entry: str, field: str = "") -> Mapping[str, Any]:
        if not isinstance(obj, Mapping):
            raise self.fail(entry, field, f"expected a mapping, got {type(obj).__name__}")
        return obj

    def list(self, obj: Mapping[str, Any], key: str, entry: str = "") -> list[Any]:
        value = obj.get(key)
        if not isinstance(value, list):
            raise self.fail(entry, key, "expected a list")
        return value

    def text(self, obj: Mapping[str, Any], key: str, entry: str, required: bool = True) -> str:
        value = obj.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(entry, key, "expected non-empty text")
        return value.strip()

    def number(
        self,
        obj: Mapping[str, Any],
        key: str,
        entry: str,
        *,
        lo: float,
        hi: float,
        required: bool = True,
        lo_open: bool = False,
        whole: bool = False,
    ) -> float | None:
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(entry, key, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(entry, key, f"expected a number, got {quote(value)}")
        if whole and not (isinstance(value, int) or value.is_integer()):
            raise self.fail(entry, key, f"expected a whole number, got {quote(value)}")
        # written so that NaN fails it: NaN is neither below nor above anything
        in_range = (lo < value if lo_open else lo <= value) and value <= hi
        if not in_range:
            bound = f"above {lo}" if lo_open else f"at least {lo}"
            raise self.fail(
                entry, key, f"{quote(value)} out of range (must be {bound} and at most {hi})"
            )
        return float(value)

    def flag(self, obj: Mapping[str, Any], key: str, entry: str) -> bool:
        value = obj.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(entry, key, "expected true or false")
        return value

    def only(self, obj: Mapping[str, Any], allowed: set[str], entry: str) -> None:
        extra = sorted(str(k) for k in set(obj) - allowed)
        if extra:
            raise self.fail(
                entry, extra[0], f"unknown field (allowed: {', '.join(sorted(allowed))})"
            )

    def provenance(
        self, obj: Mapping[str, Any], entry: str, sources: Mapping[str, Source]
    ) -> Provenance:
        label = obj.get("label")
        if label not in ("published", "estimate"):
            raise self.fail(
                entry, "label", f"must be 'published' or 'estimate', not {quote(label)}"
            )
        source = obj.get("source")
        if source is not None:
            if not isinstance(source, str) or source not in sources:
                raise self.fail(
                    entry, "source", f"unknown source id {quote(source)} (see sources.yaml)"
                )
        elif label == "published":
            raise self.fail(entry, "source", "a published number needs a source id")
        rationale = obj.get("rationale") or ""
        if not isinstance(rationale, str):
            raise self.fail(entry, "rationale", "expected text")
        if label == "estimate" and not rationale.strip():
            raise self.fail(entry, "rationale", "an estimate needs a one-line rationale")
        return Provenance(label=label, source=source, rationale=rationale.strip())


def _read_yaml(directory: Path, name: str) -> Mapping[str, Any]:
    return read_yaml(directory / name)


VOCABULARY_LISTS: dict[str, tuple[str, ...]] = {
    # list -> the text fields each of its entries must have
    "triage_levels": ("id", "meaning"),
    "conditions": ("id", "name"),
    "findings": ("id", "group", "text"),
    "interventions": ("id", "text"),
}
VOCABULARY_WORDS = ("footwear", "work", "sex")


def read_vocabulary(path: Path) -> Mapping[str, Any]:
    """vocabulary.json, parsed and checked: every list there, every entry with its text fields."""
    r = _Reader(path.name)
    data = read_json(path)
    if not isinstance(data.get("spec_version"), str | int) or isinstance(
        data.get("spec_version"), bool
    ):
        raise r.fail("", "spec_version", "expected text")
    for key, fields in VOCABULARY_LISTS.items():
        for i, raw in enumerate(r.list(data, key)):
            entry = f"{key} #{i + 1}"
            obj = r.mapping(raw, entry)
            for field in fields:
                r.text(obj, field, entry)
    for key in VOCABULARY_WORDS:
        words = r.list(data, key)
        if not all(isinstance(w, str) and w for w in words):
            raise r.fail("", key, "expected a list of non-empty text")
    return data


def load_vocabulary(path: Path) -> Vocabulary:
    """The spec's vocabulary (a copy ships in the package; a test keeps it equal to the spec)."""
    return _vocabulary(read_vocabulary(path))


def _vocabulary(data: Mapping[str, Any]) -> Vocabulary:
    return Vocabulary(
        spec_version=str(data["spec_version"]),
        triage_levels=tuple(t["id"] for t in data["triage_levels"]),
        triage_meanings={t["id"]: t["meaning"] for t in data["triage_levels"]},
        conditions=tuple(c["id"] for c in data["conditions"]),
        findings=tuple(f["id"] for f in data["findings"]),
        interventions=tuple(i["id"] for i in data["interventions"]),
        intervention_texts={i["id"]: i["text"] for i in data["interventions"]},
        footwear=tuple(data["footwear"]),
        work=tuple(data["work"]),
        sex=tuple(data["sex"]),
    )


def _load_sources(directory: Path) -> dict[str, Source]:
    r = _Reader("sources.yaml")
    data = _read_yaml(directory, r.file)
    out: dict[str, Source] = {}
    for i, raw in enumerate(r.list(data, "sources")):
        entry = f"#{i + 1}"
        obj = r.mapping(raw, entry)
        sid = r.text(obj, "id", entry)
        r.only(obj, {"id", "citation", "note", "url"}, sid)
        if sid in out:
            raise r.fail(sid, "id", "duplicate source id")
        out[sid] = Source(
            id=sid, citation=r.text(obj, "citation", sid), note=r.text(obj, "note", sid, False)
        )
    return out


def _prior(r: _Reader, obj: Any, entry: str, field: str, sources: Mapping[str, Source]) -> Prior:
    p = r.mapping(obj, entry, field)
    r.only(p, {"adult", "child", "label", "source", "rationale"}, entry)
    adult = r.number(p, "adult", entry, lo=0.0, hi=1.0)
    child = r.number(p, "child", entry, lo=0.0, hi=1.0)
    assert adult is not None and child is not None
    return Prior(adult=adult, child=child, provenance=r.provenance(p, entry, sources))


def _load_conditions(
    directory: Path, vocab: Vocabulary, names: Mapping[str, str], sources: Mapping[str, Source]
) -> tuple[tuple[Condition, ...], Prior]:
    r = _Reader("conditions.yaml")
    data = _read_yaml(directory, r.file)
    residual = _prior(r, data.get("residual_prior"), "residual_prior", "residual_prior", sources)
    out: dict[str, Condition] = {}
    for i, raw in enumerate(r.list(data, "conditions")):
        obj = r.mapping(raw, f"#{i + 1}")
        cid = r.text(obj, "id", f"#{i + 1}")
        r.only(obj, {"id", "name", "plain_name", "summary", "prior", "modifiers", "own"}, cid)
        if cid in out:
            raise r.fail(cid, "id", "duplicate condition id")
        own = r.flag(obj, "own", cid)
        if (cid in vocab.conditions) == own:
            raise r.fail(
                cid, "own", "'own: true' marks exactly the conditions not in the vocabulary"
            )
        name = r.text(obj, "name", cid, required=own) or names[cid]
        modifiers = []
        for j, mraw in enumerate(obj.get("modifiers") or []):
            where = f"{cid} modifier #{j + 1}"
            m = r.mapping(mraw, where)
            r.only(m, {"when", "multiplier", "otherwise", "label", "source", "rationale"}, where)
            w = r.mapping(m.get("when"), where, "when")
            r.only(w, {"age_min", "age_max", "sex"}, where)
            age_min = r.number(w, "age_min", where, lo=0, hi=120, required=False, whole=True)
            age_max = r.number(w, "age_max", where, lo=0, hi=120, required=False, whole=True)
            sex = w.get("sex")
            if sex is not None and sex not in vocab.sex:
                raise r.fail(where, "sex", f"unknown sex {quote(sex)}")
            if age_min is None and age_max is None and sex is None:
                raise r.fail(where, "when", "name an age range or a sex")
            mult = r.number(m, "multiplier", where, lo=0.0, hi=20.0)
            other = r.number(m, "otherwise", where, lo=0.0, hi=20.0, required=False)
            assert mult is not None
            modifiers.append(
                PriorModifier(
                    when=Demographic(
                        age_min=None if age_min is None else int(age_min),
                        age_max=None if age_max is None else int(age_max),
                        sex=sex,
                    ),
                    multiplier=mult,
                    otherwise=1.0 if other is None else other,
                    provenance=r.provenance(m, where, sources),
                )
            )
        out[cid] = Condition(
            id=cid,
            name=name,
            summary=r.text(obj, "summary", cid),
            plain_name=r.text(obj, "plain_name", cid, required=False),
            prior=_prior(r, obj.get("prior"), cid, "prior", sources),
            modifiers=tuple(modifiers),
            own=own,
        )
    missing = [c for c in vocab.conditions if c not in out]
    if missing:
        raise r.fail(missing[0], "id", "a vocabulary condition has no entry")
    return tuple(out.values()), residual


def _load_findings(
    directory: Path, vocab: Vocabulary, vocab_raw: Mapping[str, Any]
) -> tuple[tuple[Finding, ...], tuple[Checklist, ...]]:
    """The findings of findings.yaml, and its checklists (findings asked together)."""
    r = _Reader("findings.yaml")
    data = _read_yaml(directory, r.file)
    meta = {f["id"]: f for f in vocab_raw["findings"]}
    groups = {f["group"] for f in vocab_raw["findings"]}
    out: dict[str, Finding] = {}
    for i, raw in enumerate(r.list(data, "findings")):
        obj = r.mapping(raw, f"#{i + 1}")
        fid = r.text(obj, "id", f"#{i + 1}")
        r.only(
            obj,
            {
                "id",
                "question",
                "question_child",
                "help",
                "help_child",
                "place",
                "overlap",
                "red_flag",
                "own",
                "group",
                "text",
                "follows",
            },
            fid,
        )
        if fid in out:
            raise r.fail(fid, "id", "duplicate finding id")
        own = r.flag(obj, "own", fid)
        if (fid in meta) == own:
            raise r.fail(fid, "own", "'own: true' marks exactly the findings not in the vocabulary")
        group = r.text(obj, "group", fid) if own else meta[fid]["group"]
        if group not in groups:
            raise r.fail(fid, "group", f"unknown group {quote(group)} (one of {sorted(groups)})")
        overlap = obj.get("overlap")
        if overlap is not None and (not isinstance(overlap, str) or not overlap.strip()):
            raise r.fail(fid, "overlap", "expected an overlap-group name")
        follows = r.text(obj, "follows", fid, required=False) or None
        if follows is not None:
            if follows not in out:
                raise r.fail(
                    fid, "follows", f"{quote(follows)} is not a finding listed before this one"
                )
            if out[follows].follows is not None:
                raise r.fail(fid, "follows", f"{quote(follows)} is itself a follow-up")
        out[fid] = Finding(
            id=fid,
            group=group,
            text=r.text(obj, "text", fid) if own else meta[fid]["text"],
            question=r.text(obj, "question", fid),
            question_child=r.text(obj, "question_child", fid, required=False),
            help=r.text(obj, "help", fid, required=False),
            help_child=r.text(obj, "help_child", fid, required=False),
            place=r.text(obj, "place", fid, required=False),
            overlap=overlap,
            red_flag=r.flag(obj, "red_flag", fid),
            own=own,
            follows=follows,
        )
    missing = [f for f in vocab.findings if f not in out]
    if missing:
        raise r.fail(missing[0], "id", "a vocabulary finding has no entry")
    return tuple(out.values()), _checklists(r, data, out)


def _checklists(
    r: _Reader, data: Mapping[str, Any], findings: Mapping[str, Finding]
) -> tuple[Checklist, ...]:
    """Findings asked together as one tick-list question (optional ``checklists``)."""
    if data.get("checklists") is None:
        return ()
    out: list[Checklist] = []
    boxed: dict[str, str] = {}
    for i, raw in enumerate(r.list(data, "checklists")):
        obj = r.mapping(raw, f"checklists #{i + 1}")
        cid = r.text(obj, "id", f"checklists #{i + 1}")
        r.only(obj, {"id", "title", "question", "question_child", "boxes", "why", "warning"}, cid)
        if cid in findings or any(c.id == cid for c in out):
            raise r.fail(cid, "id", "a checklist id must differ from every finding and checklist")
        boxes: list[tuple[str, str]] = []
        for j, box in enumerate(r.list(obj, "boxes", cid)):
            b = r.mapping(box, cid, f"boxes #{j + 1}")
            r.only(b, {"finding", "box"}, f"{cid} boxes #{j + 1}")
            fid = r.text(b, "finding", f"{cid} boxes #{j + 1}")
            if fid not in findings:
                raise r.fail(cid, "boxes", f"unknown finding {quote(fid)}")
            if findings[fid].follows is not None:
                raise r.fail(cid, "boxes", f"{quote(fid)} is a follow-up question")
            if fid in boxed:
                raise r.fail(cid, "boxes", f"{quote(fid)} is already in {quote(boxed[fid])}")
            boxed[fid] = cid
            boxes.append((fid, r.text(b, "box", f"{cid} boxes #{j + 1}")))
        if len(boxes) < 2:
            raise r.fail(cid, "boxes", "a checklist asks at least two findings together")
        out.append(
            Checklist(
                id=cid,
                title=r.text(obj, "title", cid),
                question=r.text(obj, "question", cid),
                question_child=r.text(obj, "question_child", cid),
                boxes=tuple(boxes),
                why=r.text(obj, "why", cid),
                warning=r.flag(obj, "warning", cid),
            )
        )
    return tuple(out)


def _load_evidence(
    directory: Path,
    findings: Mapping[str, Finding],
    conditions: Mapping[str, Condition],
    sources: Mapping[str, Source],
) -> tuple[
    tuple[LikelihoodRatio, ...],
    tuple[NeutralCell, ...],
    tuple[str, ...],
    tuple[CombinedFinding, ...],
]:
    """The ratios, the neutral cells, the sites and the combined findings of evidence.yaml."""
    r = _Reader("evidence.yaml")
    data = _read_yaml(directory, r.file)
    seen: set[tuple[str, str]] = set()
    out = []
    for i, raw in enumerate(r.list(data, "likelihood_ratios")):
        obj = r.mapping(raw, f"#{i + 1}")
        fid = r.text(obj, "finding", f"#{i + 1}")
        cid = r.text(obj, "condition", f"#{i + 1}")
        entry = f"{fid} x {cid}"
        r.only(
            obj, {"finding", "condition", "lr_pos", "lr_neg", "label", "source", "rationale"}, entry
        )
        if fid not in findings:
            raise r.fail(entry, "finding", f"unknown finding {fid!r}")
        if cid not in conditions:
            raise r.fail(entry, "condition", f"unknown condition {cid!r}")
        if (fid, cid) in seen:
            raise r.fail(entry, "finding", "duplicate finding-condition pair")
        seen.add((fid, cid))
        lr_pos = r.number(obj, "lr_pos", entry, lo=0.0, hi=1000.0, required=False, lo_open=True)
        lr_neg = r.number(obj, "lr_neg", entry, lo=0.0, hi=1000.0, required=False, lo_open=True)
        if lr_pos is None and lr_neg is None:
            raise r.fail(entry, "lr_pos", "give lr_pos, lr_neg or both")
        out.append(LikelihoodRatio(fid, cid, lr_pos, lr_neg, r.provenance(obj, entry, sources)))
    out = _cap_home_tests(r, data, findings, out)
    return (
        tuple(out),
        _load_neutral(r, data, findings, conditions, seen),
        _sites(r, data, findings),
        _combined(r, data, findings, conditions, sources),
    )


def _combined(
    r: _Reader,
    data: Mapping[str, Any],
    findings: Mapping[str, Finding],
    conditions: Mapping[str, Condition],
    sources: Mapping[str, Source],
) -> tuple[CombinedFinding, ...]:
    """``combined``: ``{findings: [two or more], condition, lr, label, source, rationale}``,
    or one finding with ``when: {age_min, age_max}`` (a finding that means more at some ages)."""
    if data.get("combined") is None:
        return ()
    out = []
    seen: set[tuple[frozenset[str], str, Demographic | None]] = set()
    for i, raw in enumerate(r.list(data, "combined")):
        entry = f"combined #{i + 1}"
        obj = r.mapping(raw, entry)
        r.only(obj, {"findings", "condition", "lr", "when", "label", "source", "rationale"}, entry)
        when = _age_range(r, obj, entry) if "when" in obj else None
        ids = r.list(obj, "findings", entry)
        if len(ids) < (1 if when else 2) or len(set(ids)) != len(ids):
            raise r.fail(
                entry, "findings", "name two or more different findings (or one, with an age range)"
            )
        for fid in ids:
            if not isinstance(fid, str) or fid not in findings:
                raise r.fail(entry, "findings", f"unknown finding {fid!r}")
        cid = r.text(obj, "condition", entry)
        if cid not in conditions:
            raise r.fail(entry, "condition", f"unknown condition {cid!r}")
        key = (frozenset(ids), cid, when)
        if key in seen:
            raise r.fail(entry, "findings", "the same combination is given twice")
        seen.add(key)
        lr = r.number(obj, "lr", entry, lo=0.0, hi=1000.0, lo_open=True)
        assert lr is not None
        provenance = r.provenance(obj, entry, sources)
        out.append(CombinedFinding(tuple(ids), cid, lr, provenance, when))
    return tuple(out)


def _age_range(r: _Reader, obj: Mapping[str, Any], entry: str) -> Demographic:
    """``when: {age_min, age_max}`` (inclusive; at least one)."""
    w = r.mapping(obj.get("when"), entry, "when")
    r.only(w, {"age_min", "age_max"}, entry)
    age_min = r.number(w, "age_min", entry, lo=0, hi=120, required=False, whole=True)
    age_max = r.number(w, "age_max", entry, lo=0, hi=120, required=False, whole=True)
    if age_min is None and age_max is None:
        raise r.fail(entry, "when", "name an age range (age_min, age_max or both)")
    return Demographic(
        age_min=None if age_min is None else int(age_min),
        age_max=None if age_max is None else int(age_max),
    )


def _cap_home_tests(
    r: _Reader,
    data: Mapping[str, Any],
    findings: Mapping[str, Finding],
    ratios: list[LikelihoodRatio],
) -> list[LikelihoodRatio]:
    """Hold the ratios of tests a person does at home within ``home_tests``' bounds.

    The published figures were measured with clinicians doing the test; done by a
    partner at home it is less reliable, so a ratio beyond the bounds is brought back
    to them, and the basis says so.
    """
    if data.get("home_tests") is None:
        return ratios
    obj = r.mapping(data["home_tests"], "home_tests")
    r.only(obj, {"findings", "max_lr_pos", "min_lr_neg", "why"}, "home_tests")
    r.text(obj, "why", "home_tests")
    top = r.number(obj, "max_lr_pos", "home_tests", lo=1.0, hi=1000.0)
    bottom = r.number(obj, "min_lr_neg", "home_tests", lo=0.0, hi=1.0, lo_open=True)
    assert top is not None and bottom is not None
    tests = set()
    for fid in r.list(obj, "findings", "home_tests"):
        if not isinstance(fid, str) or fid not in findings:
            raise r.fail("home_tests", "findings", f"unknown finding {fid!r}")
        tests.add(fid)
    out = []
    for lr in ratios:
        pos = lr.lr_pos if lr.lr_pos is None or lr.finding not in tests else min(lr.lr_pos, top)
        neg = lr.lr_neg if lr.lr_neg is None or lr.finding not in tests else max(lr.lr_neg, bottom)
        if (pos, neg) != (lr.lr_pos, lr.lr_neg):
            note = (
                f" Capped for a test done at home (clinic figures LR+ {lr.lr_pos:g}"
                if lr.lr_pos is not None
                else " Capped for a test done at home (clinic figures LR+ none"
            )
            note += f", LR- {lr.lr_neg:g})." if lr.lr_neg is not None else ", LR- none)."
            p = lr.provenance
            lr = LikelihoodRatio(
                lr.finding,
                lr.condition,
                pos,
                neg,
                # moved away from the study's figure: an estimate resting on that study
                Provenance(
                    label="estimate", source=p.source, rationale=(p.rationale + note).strip()
                ),
            )
        out.append(lr)
    return out


def _sites(r: _Reader, data: Mapping[str, Any], findings: Mapping[str, Finding]) -> tuple[str, ...]:
    """The findings that answer "where does it hurt" (optional ``sites: {findings, why}``)."""
    if data.get("sites") is None:
        return ()
    obj = r.mapping(data["sites"], "sites")
    r.only(obj, {"findings", "why"}, "sites")
    r.text(obj, "why", "sites")
    ids = r.list(obj, "findings", "sites")
    for fid in ids:
        if not isinstance(fid, str) or fid not in findings:
            raise r.fail("sites", "findings", f"unknown finding {fid!r}")
        if not findings[fid].place:
            raise r.fail(
                "sites",
                "findings",
                f"{fid!r} has no 'place' in findings.yaml (its words in 'where does it hurt?')",
            )
    return tuple(ids)


def _load_neutral(
    r: _Reader,
    data: Mapping[str, Any],
    findings: Mapping[str, Finding],
    conditions: Mapping[str, Condition],
    seen: set[tuple[str, str]],
) -> tuple[NeutralCell, ...]:
    """The cells decided as neutral: ``{finding, conditions: [...], why}`` entries.

    A cell is either a ratio or neutral, never both; the section is optional (a
    knowledge base without it simply has undecided cells, which the matrix shows).
    """
    if data.get("neutral") is None:
        return ()
    out: list[NeutralCell] = []
    for i, raw in enumerate(r.list(data, "neutral")):
        entry = f"neutral #{i + 1}"
        obj = r.mapping(raw, entry)
        fid = r.text(obj, "finding", entry)
        entry = f"neutral {fid}"
        r.only(obj, {"finding", "conditions", "why"}, entry)
        if fid not in findings:
            raise r.fail(entry, "finding", f"unknown finding {fid!r}")
        why = r.text(obj, "why", entry)
        cids = r.list(obj, "conditions", entry)
        if not cids:
            raise r.fail(entry, "conditions", "name at least one condition")
        for cid in cids:
            if not isinstance(cid, str) or cid not in conditions:
                raise r.fail(entry, "conditions", f"unknown condition {cid!r}")
            if (fid, cid) in seen:
                raise r.fail(
                    entry, "conditions", f"{fid} x {cid} is decided twice (a ratio or neutral)"
                )
            seen.add((fid, cid))
            out.append(NeutralCell(fid, cid, why))
    return tuple(out)


def _load_red_flags(
    directory: Path, ids: Ids, vocab: Vocabulary, sources: Mapping[str, Source]
) -> tuple[RedFlagRule, ...]:
    r = _Reader("red_flags.yaml")
    data = _read_yaml(directory, r.file)
    out: dict[str, RedFlagRule] = {}
    for i, raw in enumerate(r.list(data, "rules")):
        obj = r.mapping(raw, f"#{i + 1}")
        rid = r.text(obj, "id", f"#{i + 1}")
        r.only(
            obj,
            {"id", "code", "level", "when", "reason", "adds", "label", "source", "rationale"},
            rid,
        )
        if rid in out:
            raise r.fail(rid, "id", "duplicate rule id")
        level = obj.get("level")
        if level not in LEVELS:
            raise r.fail(rid, "level", f"must be one of {', '.join(LEVELS)}")
        compile_expression(obj.get("when"), ids, (r.file, rid, "when"))
        adds = obj.get("adds") or []
        if not isinstance(adds, list) or any(a not in vocab.interventions for a in adds):
            raise r.fail(rid, "adds", "expected a list of vocabulary intervention ids")
        out[rid] = RedFlagRule(
            id=rid,
            code=r.text(obj, "code", rid),
            level=str(level),
            when=obj["when"],
            reason=r.text(obj, "reason", rid),
            provenance=r.provenance(obj, rid, sources),
            adds=tuple(adds),
        )
    return tuple(out.values())


@contextmanager
def _reading(file: str) -> Iterator[None]:
    """The last guard: a shape no check above foresaw still fails as a KnowledgeError."""
    try:
        yield
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError) as exc:
        raise KnowledgeError(
            file, "", "", f"an entry has a shape that cannot be read ({type(exc).__name__})"
        ) from exc


def knowledge_dir() -> Path:
    """The folder the knowledge is loaded from: ``HEELPATH_KNOWLEDGE_DIR``, else the shipped one."""
    return Path(os.environ.get("HEELPATH_KNOWLEDGE_DIR") or KNOWLEDGE_DIR)


def load_knowledge(directory: Path | str | None = None) -> Knowledge:
    """Load and validate the whole knowledge base (by default ``knowledge_dir()``)."""
    d = Path(directory) if directory is not None else knowledge_dir()
    vocab_path = d / "vocabulary.json"
    if not vocab_path.exists():
        vocab_path = KNOWLEDGE_DIR / "vocabulary.json"
    vocab_raw = read_vocabulary(vocab_path)
    vocab = _vocabulary(vocab_raw)
    names = {c["id"]: c["name"] for c in vocab_raw["conditions"]}
    with _reading("sources.yaml"):
        sources = _load_sources(d)
    with _reading("conditions.yaml"):
        conditions, residual = _load_conditions(d, vocab, names, sources)
    with _reading("findings.yaml"):
        findings, checklists = _load_findings(d, vocab, vocab_raw)
    by_finding = {f.id: f for f in findings}
    by_condition = {c.id: c for c in conditions}
    with _reading("evidence.yaml"):
        lrs, neutral, sites, combined = _load_evidence(d, by_finding, by_condition, sources)
    for checklist in checklists:
        for fid, _ in checklist.boxes:
            if fid in sites:
                raise KnowledgeError(
                    "findings.yaml", checklist.id, "boxes", f"{quote(fid)} is a place (sites)"
                )
    ids = Ids(
        findings=frozenset(by_finding),
        conditions=frozenset(by_condition),
        sex=frozenset(vocab.sex),
        footwear=frozenset(vocab.footwear),
        work=frozenset(vocab.work),
    )
    with _reading("red_flags.yaml"):
        rules = _load_red_flags(d, ids, vocab, sources)
    interventions: tuple[Any, ...] = ()
    if (d / "interventions.yaml").exists():
        try:
            module = importlib.import_module("heelpath.knowledge.interventions")
        except ModuleNotFoundError:
            module = None
        if module is not None:
            rule_ids = Ids(
                findings=ids.findings,
                conditions=ids.conditions,
                sex=ids.sex,
                footwear=ids.footwear,
                work=ids.work,
                rules=frozenset(r.id for r in rules),
            )
            with _reading("interventions.yaml"):
                interventions = tuple(
                    module.load_interventions(d / "interventions.yaml", rule_ids, vocab, sources)
                )
    return Knowledge(
        vocabulary=vocab,
        sources=sources,
        conditions=conditions,
        residual_prior=residual,
        findings=findings,
        likelihood_ratios=lrs,
        red_flag_rules=rules,
        interventions=interventions,
        neutral=neutral,
        sites=sites,
        combined=combined,
        checklists=checklists,
    )
