"""The REST API, version 1: ``POST /api/v1/assess``, ``GET /api/v1/vocabulary``, ``GET /healthz``.

The assessment endpoint speaks the contract (spec v1) exactly: the body is
validated by the engine's own parser, so the API, the CLI and the Python API
refuse the same inputs with the same messages. Bad input is a 422 naming the
field (``web/errors.py``). The request schema in the OpenAPI document is built
from the loaded knowledge, so it lists every finding id the engine accepts.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import Response

from heelpath.errors import InvalidInput
from heelpath.knowledge.model import Knowledge
from heelpath.web.errors import ErrorOut
from heelpath.web.schemas import AnswerOut, AssessmentInput

JSON = "application/json"

EXAMPLE_INPUT: dict[str, Any] = {
    "age": 46,
    "sex": "female",
    "findings": {"pain_at_insertion": True, "pop_or_snap": False},
    "footwear": ["dress"],
    "work": "seated",
    "pain_score": 5,
}


class Health(BaseModel):
    status: str


class IdText(BaseModel):
    id: str
    text: str


class TriageLevelOut(BaseModel):
    id: str
    meaning: str


class ConditionInfo(BaseModel):
    id: str
    name: str
    summary: str


class FindingInfo(BaseModel):
    id: str
    group: str
    text: str
    question: str
    red_flag: bool


class VocabularyOut(BaseModel):
    """Every id the API accepts and emits."""

    spec_version: str
    triage_levels: list[TriageLevelOut]
    conditions: list[ConditionInfo]
    findings: list[FindingInfo]
    interventions: list[IdText]
    footwear: list[str]
    work: list[str]
    sex: list[str]


def input_schema(knowledge: Knowledge) -> dict[str, Any]:
    """The JSON schema of one assessment input, with every known finding id spelled out."""
    schema = AssessmentInput.model_json_schema()
    schema["properties"]["findings"] = {
        "title": "Findings",
        "type": "object",
        "description": (
            "Finding id -> true (present) or false (absent). A finding that is not "
            "listed is unknown, which is not the same as absent."
        ),
        "properties": {
            f.id: {"type": "boolean", "description": f.text} for f in knowledge.findings
        },
        "additionalProperties": False,
    }
    return schema


def vocabulary(knowledge: Knowledge) -> dict[str, Any]:
    v = knowledge.vocabulary
    return {
        "spec_version": v.spec_version,
        "triage_levels": [
            {"id": level, "meaning": v.triage_meanings.get(level, "")} for level in v.triage_levels
        ],
        "conditions": [
            {"id": c.id, "name": c.name, "summary": c.summary} for c in knowledge.conditions
        ],
        "findings": [
            {
                "id": f.id,
                "group": f.group,
                "text": f.text,
                "question": f.question,
                "red_flag": f.red_flag,
            }
            for f in knowledge.findings
        ],
        "interventions": [
            {"id": i, "text": v.intervention_texts.get(i, "")} for i in v.interventions
        ],
        "footwear": list(v.footwear),
        "work": list(v.work),
        "sex": list(v.sex),
    }


def build_router(knowledge: Knowledge) -> APIRouter:
    """The API routes for one knowledge base (its ids shape the documented schema)."""
    router = APIRouter()
    vocabulary_body = orjson.dumps(vocabulary(knowledge))
    health_body = orjson.dumps({"status": "ok"})
    errors_doc: dict[int | str, dict[str, Any]] = {
        413: {"model": ErrorOut, "description": "The body is larger than the limit."},
        422: {"model": ErrorOut, "description": "Bad input; `error.field` names the field or id."},
    }

    @router.post(
        "/api/v1/assess",
        tags=["assessment"],
        summary="Assess one person's answers",
        description=(
            "Takes one assessment input (spec v1) and returns the answer: triage, red "
            "flags, likely causes with probabilities and the reasons for each, the care "
            "plan, and the disclaimer."
        ),
        response_model=None,
        responses={200: {"model": AnswerOut, "description": "The answer (spec v1)."}, **errors_doc},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {JSON: {"schema": input_schema(knowledge), "example": EXAMPLE_INPUT}},
            }
        },
    )
    async def assess(request: Request) -> Response:
        body = await request.body()
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise InvalidInput(
                "body", "must be a JSON object: the assessment input (spec v1)"
            ) from None
        # bad input raises InvalidInput here: 422 naming the field. An assessment takes
        # well under a millisecond, so it runs here rather than in a thread.
        answer = request.app.state.engine.assess(data)
        return Response(orjson.dumps(answer), media_type=JSON)

    @router.get(
        "/api/v1/vocabulary",
        tags=["assessment"],
        summary="Every id the API accepts and emits",
        response_model=None,
        responses={200: {"model": VocabularyOut, "description": "The vocabulary."}},
    )
    async def get_vocabulary() -> Response:
        return Response(vocabulary_body, media_type=JSON)

    @router.get(
        "/healthz",
        tags=["meta"],
        summary="Is the service up?",
        response_model=None,
        responses={200: {"model": Health, "description": 'Always `{"status": "ok"}`.'}},
    )
    async def health() -> Response:
        return Response(health_body, media_type=JSON)

    return router
