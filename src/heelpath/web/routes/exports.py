"""Taking a result away from the web app: the printable plan as a PDF, the assessment as
a FHIR R4 Bundle for a clinic, and the interview as a FHIR Questionnaire
(``/fhir/Questionnaire/heelpath-interview``).

``POST /assess/plan.pdf`` and ``POST /assess/record.json`` take the same form as the
result page (its answers travel in the form, as everywhere in the interview), assess
them again and return a download; the page's buttons submit to them, so they work
with JavaScript off.
"""

from __future__ import annotations

import datetime as dt

import orjson
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from heelpath import interview as iv
from heelpath.exports.fhir import build_bundle
from heelpath.exports.fhir_questionnaire import interview_questionnaire
from heelpath.interview import Answers, Interview
from heelpath.web.routes.pages import ABOUT_STEP, render_step

router = APIRouter()
FHIR_JSON = "application/fhir+json"


async def _answers(request: Request) -> Answers:
    form = await request.form()
    interview: Interview = request.app.state.interview
    return iv.parse_form(
        ((k, v) for k, v in form.multi_items() if isinstance(v, str)), interview.knowledge
    )


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "cache-control": "no-store",
        },
    )


@router.post("/assess/plan.pdf", include_in_schema=False)
async def plan_pdf(request: Request) -> Response:
    answers = await _answers(request)
    problems = iv.about_errors(answers)
    if problems:
        # nothing to print without an age: the interview's own page says what is missing
        return render_step(request, ABOUT_STEP, answers, problems)
    # ReportLab and svglib load on the first download, not when a server process starts
    from heelpath.exports.pdf import render_pdf

    engine = request.app.state.engine
    data = iv.to_input(answers)
    answer = engine.assess(data)
    today = dt.date.today()
    # the PDF takes a tenth of a second or more: keep it off the event loop
    pdf = await run_in_threadpool(render_pdf, data, answer, engine.knowledge, today=today)
    return _download(pdf, "application/pdf", f"heelpath-plan-{today.isoformat()}.pdf")


@router.post("/assess/record.json", include_in_schema=False)
async def fhir_record(request: Request) -> Response:
    answers = await _answers(request)
    problems = iv.about_errors(answers)
    if problems:
        return render_step(request, ABOUT_STEP, answers, problems)
    engine = request.app.state.engine
    data = iv.to_input(answers)
    bundle = build_bundle(data, engine.assess(data), engine.knowledge)
    today = dt.date.today().isoformat()
    return _download(orjson.dumps(bundle), FHIR_JSON, f"heelpath-record-{today}.fhir.json")


@router.get(
    "/fhir/Questionnaire/heelpath-interview",
    tags=["fhir"],
    summary="The interview as a FHIR R4 Questionnaire",
    response_class=Response,
    responses={
        200: {
            "description": "The Questionnaire resource (FHIR R4 JSON).",
            "content": {FHIR_JSON: {"schema": {"type": "object"}}},
        }
    },
)
async def questionnaire(request: Request) -> Response:
    """The interview as a FHIR R4 Questionnaire: every question heelpath can ask, each
    finding's linkId its id. Exported QuestionnaireResponses answer this Questionnaire."""
    body = orjson.dumps(interview_questionnaire(request.app.state.knowledge))
    return Response(body, media_type=FHIR_JSON)
