"""The assessment contract, spec version 1 (``docs/assess-contract.md``).

``parse_case`` turns one input (already parsed from JSON) into a validated,
frozen :class:`Case`, or raises :class:`InvalidInput` naming the field or id.
Fields are checked in the contract's order (age, sex, findings, footwear, work,
pain_score), then unknown fields; the first fault is reported. The same
contract as pydantic models, for the API's OpenAPI document, is in
``web/schemas.py``; a test holds the two to the same verdicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal, get_args

from heelpath.case import Case
from heelpath.errors import InvalidInput
from heelpath.parsing import field_path, integral, quote

__all__ = ["SPEC_VERSION", "Case", "parse_case", "with_follow_ups"]

SPEC_VERSION = "1"

Sex = Literal["female", "male", "other"]
Footwear = Literal["athletic", "dress", "flats_or_womens_dress", "boots", "sandals"]
Work = Literal["seated", "standing_or_manual"]
TriageLevel = Literal["self_care", "soon", "urgent", "emergency"]

FIELDS = ("age", "sex", "findings", "footwear", "work", "pain_score")
MAX_AGE = 120
MAX_PAIN_SCORE = 10


def _whole_number(value: Any, field: str, highest: int) -> int:
    # an integer in the JSON Schema sense: 80 and 80.0 alike, never 80.5, "80" or true
    value = integral(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(field, "must be a whole number")
    if not 0 <= value <= highest:
        raise InvalidInput(field, f"must be between 0 and {highest} (got {quote(value)})")
    return value


def _one_of(value: Any, field: str, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        listed = " or ".join([", ".join(repr(a) for a in allowed[:-1]), repr(allowed[-1])])
        raise InvalidInput(field, f"{quote(value)} is not one of {listed}")
    return value


def _findings(value: Any) -> dict[str, bool]:
    if not isinstance(value, dict):
        raise InvalidInput("findings", "must be an object mapping finding ids to true or false")
    for fid, present in value.items():
        if not isinstance(present, bool):
            raise InvalidInput(field_path(("findings", fid)), "must be true or false")
    return dict(value)


def _footwear(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InvalidInput("footwear", "must be a list")
    return tuple(_one_of(v, "footwear", get_args(Footwear)) for v in value)


def with_follow_ups(findings: Mapping[str, bool], follows: Mapping[str, str]) -> dict[str, bool]:
    """The findings with what a follow-up's "yes" says: the finding it follows is present.

    ``follows`` maps each follow-up finding to the one it follows (findings.yaml
    ``follows``): "a fall from a height" is asked only after "a fall", so a yes to it is a
    yes to the fall, added when the fall was left out. A yes to the follow-up with a no to
    the finding it follows contradicts itself and is refused, naming both. A no to the
    follow-up is kept as given (without a yes to the finding it follows it counts for
    nothing: see ``reasoning.differential``).
    """
    out = dict(findings)
    for fid, parent in follows.items():
        if out.get(fid) is not True:
            continue
        if out.get(parent) is False:
            raise InvalidInput(
                field_path(("findings", fid)),
                f"is true, but findings.{parent} is false: a yes to {fid} means a yes to "
                f"{parent} too (set {parent} to true, or leave it out)",
            )
        out[parent] = True
    return out


def parse_case(
    data: Any, finding_ids: frozenset[str], follows: Mapping[str, str] | None = None
) -> Case:
    """Validate one input against the contract and the known finding ids; ``follows``
    (follow-up -> the finding it follows) adds what a follow-up's yes implies."""
    if not isinstance(data, Mapping):
        raise InvalidInput("", "the input must be a JSON object")
    if "age" not in data:
        raise InvalidInput("age", "is required")
    age = _whole_number(data["age"], "age", MAX_AGE)
    sex = data.get("sex")
    if sex is not None:
        sex = _one_of(sex, "sex", get_args(Sex))
    if "findings" not in data:
        raise InvalidInput("findings", "is required")
    findings = _findings(data["findings"])
    footwear = _footwear(data.get("footwear"))
    work = data.get("work")
    if work is not None:
        work = _one_of(work, "work", get_args(Work))
    pain_score = data.get("pain_score")
    if pain_score is not None:
        pain_score = _whole_number(pain_score, "pain_score", MAX_PAIN_SCORE)
    for key in data:
        if key not in FIELDS:
            raise InvalidInput(field_path((key,)), "is not a field of the assessment input")
    for fid in findings:
        if fid not in finding_ids:
            raise InvalidInput(field_path(("findings", fid)), f"unknown finding id {quote(fid)}")
    findings = with_follow_ups(findings, follows or {})
    return Case(
        age=age,
        sex=sex,
        findings=MappingProxyType(findings),  # a copy of its own, read-only
        footwear=footwear,
        work=work,
        pain_score=pain_score,
    )
