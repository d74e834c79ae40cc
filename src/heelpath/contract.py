"""The assessment contract, spec version 1 (``shared/spec/assess-contract.md``).

``parse_case`` turns one input (already parsed from JSON) into a validated,
frozen :class:`Case`, or raises :class:`InvalidInput` naming the field or id.
The pydantic models also describe the input and the answer in the OpenAPI
schema of the REST API.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    model_validator,
)

from heelpath.case import Case
from heelpath.errors import InvalidInput
from heelpath.parsing import field_path, integral, quote

__all__ = ["SPEC_VERSION", "AnswerOut", "AssessmentInput", "Case", "parse_case"]

SPEC_VERSION = "1"

Sex = Literal["female", "male", "other"]
Footwear = Literal["athletic", "dress", "flats_or_womens_dress", "boots", "sandals"]
Work = Literal["seated", "standing_or_manual"]
TriageLevel = Literal["self_care", "soon", "urgent", "emergency"]
WHOLE_NUMBER_FIELDS = ("age", "pain_score")


class AssessmentInput(BaseModel):
    """One person's answers. A finding that is not listed is unknown, not absent."""

    model_config = ConfigDict(extra="forbid", strict=True)

    age: StrictInt = Field(ge=0, le=120, description="Whole years, 0-120.")
    sex: Sex | None = None
    findings: dict[str, StrictBool] = Field(
        description="Finding id -> true (present) or false (absent); unlisted = unknown."
    )
    footwear: list[Footwear] | None = Field(
        default=None, description="The shoes worn most; drives insole and brace advice."
    )
    work: Work | None = None
    pain_score: StrictInt | None = Field(
        default=None, ge=0, le=10, description="Worst pain in the last 24 hours, 0-10."
    )

    @model_validator(mode="before")
    @classmethod
    def _whole_numbers(cls, data: Any) -> Any:
        # an integer in the JSON Schema sense: 80 and 80.0 alike, never 80.5, "80" or true
        if isinstance(data, Mapping) and any(
            isinstance(data.get(k), float) for k in WHOLE_NUMBER_FIELDS
        ):
            data = {**data, **{k: integral(data[k]) for k in WHOLE_NUMBER_FIELDS if k in data}}
        return data


def _message(err: Mapping[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field of the assessment input"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if kind in ("greater_than_equal", "less_than_equal"):
        hi = 120 if err["loc"][:1] == ("age",) else 10
        return f"must be between 0 and {hi} (got {quote(err.get('input'))})"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{quote(err.get('input'))} is not one of {expected}"
    if kind == "dict_type":
        return "must be an object mapping finding ids to true or false"
    if kind == "list_type":
        return "must be a list"
    return str(err.get("msg", "is not valid"))


def parse_case(data: Any, finding_ids: frozenset[str]) -> Case:
    """Validate one input against the contract and the known finding ids."""
    if not isinstance(data, Mapping):
        raise InvalidInput("", "the input must be a JSON object")
    try:
        model = AssessmentInput.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        # a bad footwear entry is reported as footwear.N; name the field and the value
        path = field_path(loc)
        if loc[:1] == ("footwear",):
            path = "footwear"
        raise InvalidInput(path, _message(err)) from None
    if not finding_ids.issuperset(model.findings):
        unknown = next(f for f in model.findings if f not in finding_ids)
        raise InvalidInput(
            field_path(("findings", unknown)), f"unknown finding id {quote(unknown)}"
        )
    return Case(
        age=model.age,
        sex=model.sex,
        # the model is this call's own and dropped here: its dict needs no copy
        findings=MappingProxyType(model.findings),
        footwear=tuple(model.footwear or ()),
        work=model.work,
        pain_score=model.pain_score,
    )


class TriageOut(BaseModel):
    level: TriageLevel
    reasons: list[str]


class ConditionOut(BaseModel):
    id: str
    name: str
    probability: float = Field(ge=0, le=1)
    supporting: list[str]
    against: list[str]


class PlanItemOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    intervention: str
    instructions: str


class PhaseOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    title: str
    items: list[PlanItemOut]


class AvoidOut(BaseModel):
    intervention: str
    reason: str


class PlanOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    phases: list[PhaseOut]
    avoid: list[AvoidOut]


class AnswerOut(BaseModel):
    """The engine's answer (spec v1)."""

    model_config = ConfigDict(extra="allow")
    spec_version: Literal["1"]
    triage: TriageOut
    red_flags: list[str]
    conditions: list[ConditionOut]
    plan: PlanOut
    disclaimer: str
