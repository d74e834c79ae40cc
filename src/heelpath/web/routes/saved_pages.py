"""Saved assessments: keep the result of the check, see the ones kept.

The result page carries the answers as hidden fields; "Save to my account"
posts them here. Without an account yet, the input is held for a day (a
random key in an HttpOnly cookie) and saved when the person signs up or in.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from heelpath import interview as iv
from heelpath.errors import InvalidInput
from heelpath.store import accounts, records
from heelpath.store.accounts import Account
from heelpath.web import recovery, result_view
from heelpath.web.auth import (
    PENDING_COOKIE,
    check_csrf,
    page_account,
    require_page_account,
    set_cookie,
)
from heelpath.web.routes.account_pages import render

router = APIRouter(include_in_schema=False)
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("/my/assessments", dependencies=[Depends(check_csrf)])
async def save(request: Request) -> Response:
    form = await request.form()
    knowledge = request.app.state.knowledge
    answers = iv.parse_form(
        ((k, v) for k, v in form.multi_items() if isinstance(v, str)), knowledge
    )
    if answers.age is None:
        raise InvalidInput("age", "is missing: go back to the check and enter your age")
    data = iv.to_input(answers)
    request.app.state.engine.assess(data)  # InvalidInput (422) before anything is kept
    account = page_account(request)
    db = request.app.state.db
    if account is None:
        with db.transaction() as session:
            token = accounts.hold_pending(session, data)
        response = RedirectResponse("/signup?next=/progress", status_code=303)
        set_cookie(
            request, response, PENDING_COOKIE, token, accounts.PENDING_ASSESSMENT_HOURS * 3600
        )
        return response
    new_id, _ = recovery.save_assessment(
        db, request.app.state.engine, account.id, data, "interview"
    )
    return RedirectResponse(f"/my/assessments/{new_id}", status_code=303)


@router.get("/my/assessments")
def saved(request: Request, account: Annotated[Account, Depends(require_page_account)]) -> Response:
    with request.app.state.db.transaction() as session:
        rows = records.assessments(session, account.id)
    return render(request, "saved_list.html", {"title": "My saved assessments", "rows": rows})


@router.get("/my/assessments/{assessment_id}")
def saved_one(
    request: Request,
    account: Annotated[Account, Depends(require_page_account)],
    assessment_id: RecordId,
) -> Response:
    with request.app.state.db.transaction() as session:
        row = records.assessment(session, account.id, assessment_id)
    if row is None:
        raise HTTPException(404)
    knowledge = request.app.state.knowledge
    answers = iv.parse_form(_fields(row.input), knowledge)
    view = result_view.build(row.answer, knowledge, answers)
    return render(
        request,
        "saved_one.html",
        {"title": f"Saved assessment: {view.triage.headline}", "view": view, "row": row},
    )


def _fields(data: dict[str, object]) -> list[tuple[str, str]]:
    """The stored contract input as the interview's form fields (to describe the answers)."""
    out: list[tuple[str, str]] = []
    for key in ("age", "sex", "work", "pain_score"):
        if data.get(key) is not None:
            out.append((key, str(data[key])))
    for shoe in data.get("footwear") or []:  # type: ignore[attr-defined]
        out.append(("footwear", str(shoe)))
    for finding, value in (data.get("findings") or {}).items():  # type: ignore[attr-defined]
        out.append((iv.FINDING_PREFIX + finding, "yes" if value else "no"))
    return out
