"""The API's exports of a person's own records: a saved assessment as a FHIR R4 Bundle, and
the diary as CSV. Bearer token only; another person's record answers 404, as one that
does not exist."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Path, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from heelpath.exports.diary_csv import diary_csv
from heelpath.exports.fhir import VisaA, build_bundle
from heelpath.store import records
from heelpath.store.accounts import Account
from heelpath.web.auth import require_api_account
from heelpath.web.routes.account_exports import csv_download
from heelpath.web.routes.api_accounts import error_docs

router = APIRouter()
Owner = Annotated[Account, Depends(require_api_account)]
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]
FHIR_JSON = "application/fhir+json"


@router.get(
    "/api/v1/assessments/{assessment_id}/fhir",
    tags=["records"],
    summary="A saved assessment as a FHIR R4 Bundle",
    response_class=Response,
    responses={
        200: {
            "description": "The Bundle (docs/fhir.md): the answers, the pain score, the latest "
            "VISA-A, the differential and the care plan.",
            "content": {FHIR_JSON: {"schema": {"type": "object"}}},
        },
        **error_docs(401, 404),
    },
)
def assessment_fhir(request: Request, account: Owner, assessment_id: RecordId) -> Response:
    with request.app.state.db.transaction() as session:
        row = records.assessment(session, account.id, assessment_id)
        if row is None:
            raise HTTPException(404, "No such assessment of yours.")
        scores = records.visa_as(session, account.id)
        data, answer, when = dict(row.input), dict(row.answer), row.created_at
    latest = scores[-1] if scores else None
    visa = VisaA(latest.day, latest.answers, latest.score) if latest else None
    bundle = build_bundle(data, answer, request.app.state.knowledge, when=when, visa_a=visa)
    return Response(orjson.dumps(bundle), media_type=FHIR_JSON)


@router.get(
    "/api/v1/diary.csv",
    tags=["records"],
    summary="The diary as CSV",
    response_class=Response,
    responses={
        200: {
            "description": "One row a day, oldest first, with a header row.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **error_docs(401),
    },
)
def diary_as_csv(request: Request, account: Owner) -> Response:
    with request.app.state.db.transaction() as session:
        rows = [e.as_dict() for e in records.diary(session, account.id)]
    return csv_download(diary_csv(rows), f"heelpath-diary-{dt.date.today().isoformat()}.csv")
