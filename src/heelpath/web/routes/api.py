"""The REST API, version 1: ``POST /api/v1/assess``, ``GET /api/v1/vocabulary``, ``GET /healthz``.

The assessment endpoint speaks the contract (spec v1) exactly: the body is
validated by the engine's own parser, so the API, the CLI and the Python API
refuse the same inputs with the same messages. Bad input is a 422 naming the
field (``web/errors.py``). The request schema in the OpenAPI document is built
from the loaded knowledge, so it lists every finding id the engine accepts.

Every call of the API that takes a body (here, and in the accounts and records
routers) is a :class:`JsonApiRoute`: only ``application/json`` is read (415
otherwise: a cross-site form cannot post as JSON without the browser asking
first), by the one strict parser (``parsing.parse_json``: bounded size and
depth, faults named). Every answer, 200 or 422, is sent with
``Cache-Control: no-store``: it is health data.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from heelpath.knowledge.model import Finding, Knowledge
from heelpath.parsing import parse_json
from heelpath.web.errors import NO_STORE, ErrorOut, error_response
from heelpath.web.readiness import readiness_problem
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
    problem: str | None = None


def is_json(request: Request) -> bool:
    """The body is declared ``application/json`` (parameters such as charset allowed)."""
    declared = request.headers.get("content-type", "")
    return declared.split(";", 1)[0].strip().lower() == JSON


BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class JsonBodyRequest(Request):
    """A request whose body, read as JSON, goes through ``parse_json`` once."""

    async def json(self) -> Any:
        if not hasattr(self, "_parsed"):
            self._parsed = parse_json(await self.body())
        return self._parsed


class JsonApiRoute(APIRoute):
    """An API call whose body is JSON, read by the one strict parser before anything else.

    For POST, PUT and PATCH: a body not declared ``application/json`` is a 415
    naming ``content-type``; one that is not JSON, or nests too deep, a 422
    naming the field (``parsing.parse_json``). The endpoint's body model, or the
    endpoint itself (``await request.json()``), then reads that parsed document:
    FastAPI's own ``json.loads`` never runs.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def parsed_first(request: Request) -> Response:
            request = JsonBodyRequest(request.scope, request.receive)
            if request.method in BODY_METHODS:
                if not is_json(request):
                    return error_response(
                        request, 415, "must be sent as application/json", field="content-type"
                    )
                await request.json()  # InvalidInput: 422 naming the field (web/errors.py)
            return await handler(request)

        return parsed_first


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
    own: bool = Field(
        default=False, description="A finding of the project's own, not in the spec's vocabulary."
    )
    follows: str | None = Field(
        default=None,
        description="A follow-up: asked only after a yes to this finding, and its yes means "
        "a yes to that finding too (true with that finding false is refused).",
    )


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
        "properties": {f.id: _finding_schema(f) for f in knowledge.findings},
        "additionalProperties": False,
    }
    return schema


def _finding_schema(f: Finding) -> dict[str, Any]:
    description = f.text
    if f.follows is not None:
        description += (
            f" A follow-up to {f.follows}: true means {f.follows} is true too (added when it "
            f"is left out; refused with 422 when it is false)."
        )
    return {"type": "boolean", "description": description}


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
                "own": f.own,
                "follows": f.follows,
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
    router = APIRouter(route_class=JsonApiRoute)
    vocabulary_body = orjson.dumps(vocabulary(knowledge))
    health_body = orjson.dumps({"status": "ok"})
    errors_doc: dict[int | str, dict[str, Any]] = {
        413: {"model": ErrorOut, "description": "The body is larger than the limit."},
        415: {"model": ErrorOut, "description": "The body is not declared `application/json`."},
        422: {"model": ErrorOut, "description": "Bad input; `error.field` names the field or id."},
    }

    @router.post(
        "/api/v1/assess",
        tags=["assessment"],
        summary="Assess one person's answers",
        description=(
            "Takes one assessment input (spec v1) and returns the answer: triage, red "
            "flags, likely causes with probabilities and the reasons for each, the care "
            "plan, and the disclaimer. With `?open_questions=true` the answer also lists "
            "`open_questions` (spec 1.1): the unanswered findings that would change the "
            "triage level or the leading condition, most decisive first."
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
    async def assess(request: Request, open_questions: bool = False) -> Response:
        # read by JsonApiRoute: application/json only, then the strict parser
        data = await request.json()
        # bad input raises InvalidInput here: 422 naming the field. An assessment takes
        # well under a millisecond, so it runs here rather than in a thread; the open
        # questions take tens of milliseconds, so they run in a worker thread.
        engine = request.app.state.engine
        if open_questions:
            answer = await run_in_threadpool(engine.assess, data, True)
        else:
            answer = engine.assess(data)
        return Response(orjson.dumps(answer), media_type=JSON, headers=NO_STORE)

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
        summary="Is the service ready to answer?",
        description=(
            "Ready when the engine has answered a known case rightly (a textbook Achilles "
            "tendon rupture: urgent, the rupture first, finite probabilities)."
        ),
        response_model=None,
        responses={
            200: {"model": Health, "description": '`{"status": "ok"}`: ready.'},
            503: {"model": Health, "description": "Not ready; `problem` says why."},
        },
    )
    async def health(request: Request) -> Response:
        state = request.app.state
        if not state.ready:
            # the knowledge is immutable: one right answer holds for the process's life
            problem = readiness_problem(state.engine)
            if problem is not None:
                body = orjson.dumps({"status": "not ready", "problem": problem})
                return Response(body, status_code=503, media_type=JSON, headers=NO_STORE)
            state.ready = True
        return Response(health_body, media_type=JSON, headers=NO_STORE)

    return router
