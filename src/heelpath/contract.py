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

__all__ = ["SPEC_VERSION", "Case", "parse_case"]

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


def parse_case(data: Any, finding_ids: frozenset[str]) -> Case:
    """Validate one input against the contract and the known finding ids."""
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
    return Case(
        age=age,
        sex=sex,
        findings=MappingProxyType(findings),  # a copy of its own, read-only
        footwear=footwear,
        work=work,
        pain_score=pain_score,
    )
