"""Sharing with a clinic.

The person (``/account/sharing``): make a share code, see who has access and revoke
it at once, read the log of every view. The clinician (``/clinic``): register as one,
redeem a code, and read each person's assessments, diary and charts, read-only;
every such page or download is written to the person's audit log in the same
transaction as the read (``store/sharing.py``). A person who did not share, or
revoked, answers 404 exactly as one who does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from heelpath.errors import InvalidInput
from heelpath.exports.diary_csv import diary_csv
from heelpath.store import records, sharing
from heelpath.store.accounts import Account, TooManyAttempts
from heelpath.web import charts_svg, recovery
from heelpath.web.auth import check_csrf, require_page_account
from heelpath.web.result_view import TRIAGE_WORDS
from heelpath.web.routes.account_exports import csv_download
from heelpath.web.routes.account_pages import render, text

router = APIRouter(include_in_schema=False)
Me = Annotated[Account, Depends(require_page_account)]
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]
BAD_CODE = (
    "That code does not work: it may be mistyped, used already, or more than "
    f"{sharing.CODE_HOURS} hours old. Ask the person for a new one."
)


# ---- the person --------------------------------------------------------------------------


def _sharing_page(
    request: Request, account: Account, code: sharing.Code | None = None, status: int = 200
) -> Response:
    with request.app.state.db.transaction() as session:
        access = sharing.access_list(session, account.id)
        log = sharing.audit_log(session, account.id)
    return render(
        request,
        "sharing.html",
        {
            "title": "Share with your clinician",
            "code": code,
            "hours": sharing.CODE_HOURS,
            "access": access,
            "log": log,
            "revoked": request.query_params.get("revoked") == "1",
        },
        status=status,
    )


@router.get("/account/sharing")
def sharing_page(request: Request, account: Me) -> Response:
    return _sharing_page(request, account)


@router.post("/account/sharing/codes", dependencies=[Depends(check_csrf)])
def new_code(request: Request, account: Me) -> Response:
    with request.app.state.db.transaction() as session:
        code = sharing.create_code(session, account.id)
    return _sharing_page(request, account, code)


@router.post("/account/sharing/{share_id}/revoke", dependencies=[Depends(check_csrf)])
def revoke(request: Request, account: Me, share_id: RecordId) -> Response:
    with request.app.state.db.transaction() as session:
        done = sharing.revoke(session, account.id, share_id)
    if not done:
        raise HTTPException(404)
    return RedirectResponse("/account/sharing?revoked=1", status_code=303)


# ---- the clinician -----------------------------------------------------------------------


def _clinic_page(
    request: Request, account: Account, errors: dict[str, str] | None = None, status: int = 200
) -> Response:
    with request.app.state.db.transaction() as session:
        name = sharing.clinician_name(session, account.id)
        people = sharing.patients(session, account.id) if name else []
    return render(
        request,
        "clinic.html",
        {
            "title": "Clinic",
            "name": name,
            "people": people,
            "errors": errors or {},
            "hours": sharing.CODE_HOURS,
        },
        status=status,
    )


@router.get("/clinic")
def clinic(request: Request, account: Me) -> Response:
    return _clinic_page(request, account)


@router.post("/clinic/register", dependencies=[Depends(check_csrf)])
async def register(request: Request, account: Me) -> Response:
    form = await request.form()
    try:
        with request.app.state.db.transaction() as session:
            sharing.register_clinician(session, account, text(form, "name"))
    except InvalidInput as exc:
        return _clinic_page(request, account, {"name": exc.message.capitalize()}, 422)
    return RedirectResponse("/clinic", status_code=303)


@router.post("/clinic/codes", dependencies=[Depends(check_csrf)])
async def redeem(request: Request, account: Me) -> Response:
    form = await request.form()
    try:
        with request.app.state.db.transaction() as session:
            if sharing.clinician_name(session, account.id) is None:
                raise HTTPException(403, "Register as a clinician first.")
            person_id = sharing.redeem(session, account, text(form, "code"))
    except TooManyAttempts as exc:
        message = f"Too many codes that did not work: try again in {exc.retry_after} seconds."
        return _clinic_page(request, account, {"code": message}, 429)
    if person_id is None:
        return _clinic_page(request, account, {"code": BAD_CODE}, 422)
    return RedirectResponse(f"/clinic/people/{person_id}", status_code=303)


def _summary(created_at: dt.datetime, answer: Any) -> dict[str, Any]:
    conditions = answer["conditions"]
    return {
        "created_at": created_at,
        "headline": TRIAGE_WORDS[answer["triage"]["level"]][0],
        "leading": conditions[0]["name"] if conditions else "",
    }


def _person_view(request: Request, clinician_id: int, person_id: int) -> dict[str, Any]:
    """What a clinician sees of one person; 404 unless they share with this clinician now."""
    app = request.app
    with app.state.db.transaction() as session:
        if not sharing.open_record(
            session, clinician_id, person_id, "viewed the assessments, diary and charts"
        ):
            raise HTTPException(404)
        email = next(
            p.email for p in sharing.patients(session, clinician_id) if p.user_id == person_id
        )
        assessments = records.assessments(session, person_id)
        entries = records.entries(session, person_id)
    progress = recovery.progress(app.state.db, app.state.engine, person_id)
    return {
        "title": f"Records shared by {email}",
        "person_id": person_id,
        "email": email,
        "assessments": [_summary(a.created_at, a.answer) for a in reversed(assessments)],
        "rows": list(reversed(entries)),
        "p": progress,
        "pain_chart": charts_svg.pain_chart(progress.pain),
        "visa_chart": charts_svg.visa_chart(progress.visa, progress.visa_target),
    }


@router.get("/clinic/people/{person_id}")
def person(request: Request, account: Me, person_id: RecordId) -> Response:
    return render(request, "clinic_person.html", _person_view(request, account.id, person_id))


@router.get("/clinic/people/{person_id}/diary.csv")
def person_diary_csv(request: Request, account: Me, person_id: RecordId) -> Response:
    with request.app.state.db.transaction() as session:
        if not sharing.open_record(session, account.id, person_id, "downloaded the diary (CSV)"):
            raise HTTPException(404)
        rows = [e.as_dict() for e in records.diary(session, person_id)]
    return csv_download(diary_csv(rows), f"heelpath-diary-{person_id}.csv")
