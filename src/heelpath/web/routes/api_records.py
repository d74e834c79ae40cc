"""The records calls of the API: saved assessments, the diary, VISA-A and progress.

Every call takes ``Authorization: Bearer <token>`` and sees only the token's
own records: another person's record answers 404, exactly like one that does
not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response

from heelpath.knowledge.model import Knowledge
from heelpath.parsing import integral
from heelpath.store import records
from heelpath.store.accounts import Account
from heelpath.tracking.diary import DIARY_RED_FLAGS, MAX_NOTES, MAX_SETS, parse_day, parse_entry
from heelpath.tracking.visa_a import ITEM_7_POINTS, ITEM_8_POINTS, parse_answers
from heelpath.web import recovery
from heelpath.web.auth import require_api_account
from heelpath.web.routes.api import EXAMPLE_INPUT, JsonApiRoute, input_schema
from heelpath.web.routes.api_accounts import error_docs, json_response
from heelpath.web.schemas import AnswerOut

# A whole number: 3 or 3.0 (JSON Schema's integer), never 3.5, "3" or true.
Whole = BeforeValidator(integral)
Pain = Annotated[int, Whole, Field(ge=0, le=10, strict=True)]
Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-03-01"])]
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Owner = Annotated[Account, Depends(require_api_account)]


class DiaryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: Day
    pain_morning: Pain
    pain_during: Pain | None = None
    pain_after: Pain | None = None
    stiffness_morning: Pain | None = None
    done: list[str] = Field(default_factory=list, max_length=50)
    sets: dict[str, Annotated[int, Whole, Field(ge=0, le=MAX_SETS, strict=True)]] = Field(
        default_factory=dict, max_length=50
    )
    ice: Annotated[bool, Field(strict=True)] = False
    notes: Annotated[str, Field(max_length=MAX_NOTES)] = ""
    red_flags: list[Literal[DIARY_RED_FLAGS]] = Field(default_factory=list)  # type: ignore[valid-type]


def OneOf(allowed: Sequence[int]) -> Any:
    """A whole number (never true or false) from ``allowed``, listed as an enum in the schema."""

    def check(value: int) -> int:
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(map(str, allowed))}")
        return value

    return Annotated[
        int,
        Whole,
        Field(strict=True, json_schema_extra={"enum": list(allowed)}),
        AfterValidator(check),
    ]


class Item8(BaseModel):
    model_config = ConfigDict(extra="forbid")
    branch: Literal["A", "B", "C"]
    points: OneOf(sorted({p for ps in ITEM_8_POINTS.values() for p in ps}))  # type: ignore[valid-type]


class VisaAnswersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    q1: Pain
    q2: Pain
    q3: Pain
    q4: Pain
    q5: Pain
    q6: Pain
    q7: OneOf(ITEM_7_POINTS)  # type: ignore[valid-type]
    q8: Item8


class VisaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: Day
    answers: VisaAnswersIn


class CreatedOut(BaseModel):
    id: int


class DiaryCreatedOut(BaseModel):
    id: int
    retriage: AnswerOut | None = Field(
        None, description="When a warning sign was answered yes: the new triage, at once."
    )


class VisaCreatedOut(BaseModel):
    id: int
    score: int


class AssessmentCreatedOut(BaseModel):
    id: int
    answer: AnswerOut


def build_router(knowledge: Knowledge) -> APIRouter:
    router = APIRouter(route_class=JsonApiRoute)
    interventions = frozenset(i.id for i in knowledge.interventions)

    def entry_of(body: DiaryIn) -> Any:
        return parse_entry(body.model_dump(), today=recovery.today(), interventions=interventions)

    @router.post(
        "/api/v1/assessments",
        tags=["records"],
        summary="Assess and keep one assessment",
        status_code=201,
        response_model=None,
        responses={
            201: {"model": AssessmentCreatedOut, "description": "Kept: its id and the answer."},
            **error_docs(401, 413, 415, 422),
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": input_schema(knowledge),
                        "example": EXAMPLE_INPUT,
                    }
                },
            }
        },
    )
    async def create_assessment(request: Request, account: Owner) -> Response:
        data = await request.json()  # read by JsonApiRoute, strictly
        app = request.app
        new_id, answer = await run_in_threadpool(
            recovery.save_assessment, app.state.db, app.state.engine, account.id, data, "api"
        )
        return json_response({"id": new_id, "answer": answer}, 201)

    @router.get(
        "/api/v1/assessments",
        tags=["records"],
        summary="My saved assessments",
        response_model=None,
        responses={200: {"description": "Oldest first."}, **error_docs(401)},
    )
    def list_assessments(request: Request, account: Owner) -> Response:
        with request.app.state.db.transaction() as session:
            rows = records.assessments(session, account.id)
            return json_response([records.assessment_out(r) for r in rows])

    @router.get(
        "/api/v1/assessments/{assessment_id}",
        tags=["records"],
        summary="One of my saved assessments",
        response_model=None,
        responses={200: {"description": "The input and the answer."}, **error_docs(401, 404)},
    )
    def get_assessment(request: Request, account: Owner, assessment_id: RecordId) -> Response:
        with request.app.state.db.transaction() as session:
            row = records.assessment(session, account.id, assessment_id)
            if row is None:
                raise HTTPException(404)
            return json_response(records.assessment_out(row))

    @router.post(
        "/api/v1/diary",
        tags=["diary"],
        summary="Write the diary for one day",
        description=(
            "One entry a day. A warning sign in `red_flags` re-runs triage at once; the "
            "answer comes back as `retriage`."
        ),
        status_code=201,
        response_model=DiaryCreatedOut,
        responses=error_docs(401, 409, 413, 415, 422),
    )
    def create_entry(request: Request, account: Owner, body: DiaryIn) -> Response:
        app = request.app
        written = recovery.write_entry(app.state.db, app.state.engine, account.id, entry_of(body))
        assert written is not None
        return json_response({"id": written.entry_id, "retriage": written.retriage}, 201)

    @router.get(
        "/api/v1/diary",
        tags=["diary"],
        summary="My diary, oldest first",
        response_model=None,
        responses={200: {"description": "Every entry."}, **error_docs(401)},
    )
    def list_entries(request: Request, account: Owner) -> Response:
        with request.app.state.db.transaction() as session:
            return json_response(
                [records.entry_out(r) for r in records.entries(session, account.id)]
            )

    @router.get(
        "/api/v1/diary/{entry_id}",
        tags=["diary"],
        summary="One diary entry",
        response_model=None,
        responses={200: {"description": "The entry."}, **error_docs(401, 404)},
    )
    def get_entry(request: Request, account: Owner, entry_id: RecordId) -> Response:
        with request.app.state.db.transaction() as session:
            row = records.entry(session, account.id, entry_id)
            if row is None:
                raise HTTPException(404)
            return json_response(records.entry_out(row))

    @router.put(
        "/api/v1/diary/{entry_id}",
        tags=["diary"],
        summary="Correct a diary entry",
        response_model=DiaryCreatedOut,
        responses=error_docs(401, 404, 409, 413, 415, 422),
    )
    def put_entry(request: Request, account: Owner, entry_id: RecordId, body: DiaryIn) -> Response:
        app = request.app
        written = recovery.write_entry(
            app.state.db, app.state.engine, account.id, entry_of(body), entry_id
        )
        if written is None:
            raise HTTPException(404)
        return json_response({"id": written.entry_id, "retriage": written.retriage})

    @router.delete(
        "/api/v1/diary/{entry_id}",
        tags=["diary"],
        summary="Delete a diary entry",
        status_code=204,
        response_class=Response,
        responses=error_docs(401, 404),
    )
    def delete_entry(request: Request, account: Owner, entry_id: RecordId) -> Response:
        with request.app.state.db.transaction() as session:
            if not records.delete_entry(session, account.id, entry_id):
                raise HTTPException(404)
        return Response(status_code=204)

    @router.post(
        "/api/v1/visa-a",
        tags=["diary"],
        summary="Score and keep a VISA-A questionnaire",
        description=(
            "Items q1-q6 score 0-10, q7 0, 4, 7 or 10; item 8 is one branch with its "
            "published points (A: 0, 7, 14, 21, 30; B: 0, 4, 10, 14, 20; C: 0, 2, 5, 7, 10). "
            "Anything else is a 422 naming the item."
        ),
        status_code=201,
        response_model=VisaCreatedOut,
        responses=error_docs(401, 413, 415, 422),
    )
    def create_visa_a(request: Request, account: Owner, body: VisaIn) -> Response:
        day = parse_day(body.date, recovery.today())
        answers = parse_answers(body.answers.model_dump())
        new_id, total = recovery.add_visa_a(request.app.state.db, account.id, day, answers)
        return json_response({"id": new_id, "score": total}, 201)

    @router.get(
        "/api/v1/progress",
        tags=["diary"],
        summary="The series behind the charts, and today's exercises with the reason",
        response_model=None,
        responses={200: {"description": "Progress."}, **error_docs(401)},
    )
    def get_progress(request: Request, account: Owner) -> Response:
        app = request.app
        return json_response(
            recovery.progress(app.state.db, app.state.engine, account.id).as_dict()
        )

    return router
