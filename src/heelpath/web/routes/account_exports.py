"""What a signed-in person can take away: a saved assessment as the printable plan (with
their pain and VISA-A charts) or as a FHIR record for a clinic, and the diary as CSV.
Someone else's record answers 404, as one that does not exist."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response

from heelpath.exports.diary_csv import diary_csv
from heelpath.exports.fhir import VisaA, build_bundle
from heelpath.exports.pdf_charts import Series
from heelpath.store import records
from heelpath.store.accounts import Account
from heelpath.web import charts_svg, recovery
from heelpath.web.auth import require_page_account

router = APIRouter(include_in_schema=False)
Me = Annotated[Account, Depends(require_page_account)]
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "cache-control": "no-store",
        },
    )


def csv_download(text: str, filename: str) -> Response:
    return download(text.encode("utf-8"), "text/csv; charset=utf-8", filename)


def progress_series(progress: recovery.Progress) -> list[Series]:
    """The pain and VISA-A charts of the progress page, as series for the printed plan."""
    out = []
    pain = charts_svg.pain_chart(progress.pain)
    if pain is not None:
        points = [(p.day, float(p.pain)) for p in progress.pain]
        out.append(Series("Worst pain each day (0-10)", points, 10, pain.summary))
    visa = charts_svg.visa_chart(progress.visa, progress.visa_target)
    if visa is not None:
        points = [(v.day, float(v.score)) for v in progress.visa]
        out.append(
            Series("VISA-A (0-100, higher is better)", points, 100, visa.summary,
                   target=progress.visa_target, target_label="a real change")
        )  # fmt: skip
    return out


@router.get("/my/assessments/{assessment_id}/plan.pdf")
async def saved_plan_pdf(request: Request, account: Me, assessment_id: RecordId) -> Response:
    from heelpath.exports.pdf import render_pdf  # ReportLab loads on the first download

    app = request.app
    with app.state.db.transaction() as session:
        row = records.assessment(session, account.id, assessment_id)
        if row is None:
            raise HTTPException(404)
        data, answer = dict(row.input), dict(row.answer)
    charts = progress_series(recovery.progress(app.state.db, app.state.engine, account.id))
    today = dt.date.today()
    pdf = await run_in_threadpool(
        render_pdf, data, answer, app.state.knowledge, today=today, charts=charts
    )
    return download(pdf, "application/pdf", f"heelpath-plan-{today.isoformat()}.pdf")


@router.get("/my/assessments/{assessment_id}/record.json")
def saved_record(request: Request, account: Me, assessment_id: RecordId) -> Response:
    with request.app.state.db.transaction() as session:
        row = records.assessment(session, account.id, assessment_id)
        if row is None:
            raise HTTPException(404)
        scores = records.visa_as(session, account.id)
        data, answer, when = dict(row.input), dict(row.answer), row.created_at
    latest = scores[-1] if scores else None
    visa = VisaA(latest.day, latest.answers, latest.score) if latest else None
    bundle = build_bundle(data, answer, request.app.state.knowledge, when=when, visa_a=visa)
    return download(
        orjson.dumps(bundle), "application/fhir+json", f"heelpath-record-{assessment_id}.fhir.json"
    )


@router.get("/diary.csv")
def my_diary_csv(request: Request, account: Me) -> Response:
    with request.app.state.db.transaction() as session:
        rows = [e.as_dict() for e in records.diary(session, account.id)]
    return csv_download(diary_csv(rows), f"heelpath-diary-{dt.date.today().isoformat()}.csv")
