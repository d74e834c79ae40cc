"""The assessment contract (spec v1) as pydantic models, for the API's OpenAPI document.

These describe the input and the answer; they validate nothing that is served:
``heelpath.contract.parse_case`` checks every input (the API, the CLI and the
library alike), and ``tests/test_contract.py`` holds the two to the same verdicts.
Built only by the web app, so the command line never pays for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from heelpath.contract import Footwear, Sex, TriageLevel, Work
from heelpath.parsing import integral

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


class UncheckedOut(BaseModel):
    finding: str = Field(description="A warning-sign finding id that was not answered.")
    level: TriageLevel = Field(description="The level a 'yes' to it could raise triage to.")


class TriageOut(BaseModel):
    level: TriageLevel
    reasons: list[str]
    unchecked: list[UncheckedOut] = Field(
        default_factory=list,
        description="Warning-sign questions left unanswered that could still raise the "
        "level to same-day or emergency care, highest level first (project addition).",
    )


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


class OpenQuestionOut(BaseModel):
    finding: str
    would_change: list[Literal["triage", "leading"]]


class AnswerOut(BaseModel):
    """The engine's answer (spec v1)."""

    model_config = ConfigDict(extra="allow")
    spec_version: Literal["1"]
    triage: TriageOut
    red_flags: list[str]
    conditions: list[ConditionOut]
    plan: PlanOut
    disclaimer: str
    open_questions: list[OpenQuestionOut] | None = None  # spec 1.1, when asked
