"""The diary pages: today's entry, corrections, and the weekly VISA-A questionnaire.

Plain forms (they work with JavaScript off); every post carries the CSRF token.
A warning sign ticked in an entry re-runs triage at once and the result is shown.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from heelpath.errors import InvalidInput
from heelpath.interview import Answers
from heelpath.parsing import whole_number
from heelpath.store import records
from heelpath.store.accounts import Account
from heelpath.store.records import DayTaken
from heelpath.tracking.diary import DIARY_RED_FLAGS, PAIN_FIELDS, parse_day, parse_entry
from heelpath.tracking.visa_a import ITEM_7_POINTS, ITEM_8_POINTS, parse_answers
from heelpath.web import recovery, result_view
from heelpath.web.auth import check_csrf, require_page_account
from heelpath.web.routes.account_pages import render, text
from heelpath.web.visa_a_wording import (
    ITEM_7,
    ITEM_7_CHOICES,
    ITEM_8_BRANCHES,
    ITEM_8_QUESTION,
    ITEM_8_TIMES,
    ITEMS,
)

router = APIRouter(include_in_schema=False)
Me = Annotated[Account, Depends(require_page_account)]
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NUMBER_FIELDS = (*PAIN_FIELDS, "stiffness_morning")
# any number a diary or VISA-A form holds has at most 3 digits (pain 0-10, sets, points 0-30);
# a value that is not one stays text and is refused by name
_MOST = 999


def _number(raw: str) -> int | str:
    """A form's number as an int when it is one (ASCII digits, ``parsing.whole_number``)."""
    n = whole_number(raw, 0, _MOST)
    return raw if n is None else n


def _plan(request: Request, user_id: int) -> list[dict[str, Any]]:
    with request.app.state.db.transaction() as session:
        latest = records.latest_assessment(session, user_id)
    return recovery.plan_items(dict(latest.answer)) if latest else []


def _warning_signs(request: Request) -> list[tuple[str, str]]:
    by_id = {f.id: f for f in request.app.state.knowledge.findings}
    return [(fid, by_id[fid].question) for fid in DIARY_RED_FLAGS]


def _form_data(form: FormData) -> dict[str, Any]:
    """The form as the diary's JSON shape; a number that is not one stays text (and is refused)."""
    data: dict[str, Any] = {"date": text(form, "date"), "notes": text(form, "notes")}
    for name in NUMBER_FIELDS:
        raw = text(form, name).strip()
        if raw:
            data[name] = _number(raw)
    done = [v for v in form.getlist("done") if isinstance(v, str)]
    sets: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key.startswith("sets_") and isinstance(value, str) and value.strip():
            sets[key[5:]] = _number(value.strip())
    data["done"] = done
    data["sets"] = sets
    data["ice"] = form.get("ice") == "yes"
    data["red_flags"] = [v for v in form.getlist("red_flags") if isinstance(v, str)]
    return data


def _entry_form(
    request: Request,
    account: Account,
    values: dict[str, Any],
    errors: dict[str, str],
    entry_id: int | None,
    status: int = 200,
) -> Response:
    plan = _plan(request, account.id)
    kinds = {i.id: i.kind for i in request.app.state.knowledge.interventions}
    return render(
        request,
        "diary_form.html",
        {
            "title": "Correct a diary entry" if entry_id else "Today's diary",
            "values": values,
            "errors": errors,
            "entry_id": entry_id,
            "plan": plan,
            "exercise_ids": {
                i["intervention"]
                for i in plan
                if kinds.get(i["intervention"]) in recovery.EXERCISE_KINDS
            },
            "warning_signs": _warning_signs(request),
            "pains": range(11),
        },
        status=status,
    )


@router.get("/diary")
def diary(request: Request, account: Me) -> Response:
    with request.app.state.db.transaction() as session:
        rows = records.entries(session, account.id)
        has_assessment = records.latest_assessment(session, account.id) is not None
    return render(
        request,
        "diary.html",
        {"title": "My diary", "rows": list(reversed(rows)), "has_assessment": has_assessment},
    )


@router.get("/diary/new")
def new_entry(request: Request, account: Me) -> Response:
    values = {"date": recovery.today().isoformat(), "done": [], "sets": {}, "red_flags": []}
    return _entry_form(request, account, values, {}, None)


async def _write(request: Request, account: Account, entry_id: int | None) -> Response:
    form = await request.form()
    values = _form_data(form)
    app = request.app
    interventions = frozenset(i.id for i in app.state.knowledge.interventions)
    try:
        entry = parse_entry(values, today=recovery.today(), interventions=interventions)
        written = recovery.write_entry(app.state.db, app.state.engine, account.id, entry, entry_id)
    except InvalidInput as exc:
        return _entry_form(
            request, account, values, {exc.field.split(".")[0]: exc.message}, entry_id, 422
        )
    except DayTaken:
        message = "There is already an entry for that day: correct that one from your diary."
        return _entry_form(request, account, values, {"date": message}, entry_id, 409)
    if written is None:
        raise HTTPException(404)
    if written.retriage is not None:
        view = result_view.build(written.retriage, app.state.knowledge, Answers())
        return render(
            request,
            "retriage.html",
            {"title": f"Please read: {view.triage.headline}", "view": view},
        )
    return RedirectResponse("/progress?saved=1", status_code=303)


@router.post("/diary", dependencies=[Depends(check_csrf)])
async def create_entry(request: Request, account: Me) -> Response:
    return await _write(request, account, None)


@router.get("/diary/{entry_id}")
def edit_entry(request: Request, account: Me, entry_id: RecordId) -> Response:
    with request.app.state.db.transaction() as session:
        row = records.entry(session, account.id, entry_id)
    if row is None:
        raise HTTPException(404)
    return _entry_form(request, account, dict(row.data), {}, entry_id)


@router.post("/diary/{entry_id}", dependencies=[Depends(check_csrf)])
async def correct_entry(request: Request, account: Me, entry_id: RecordId) -> Response:
    return await _write(request, account, entry_id)


@router.post("/diary/{entry_id}/delete", dependencies=[Depends(check_csrf)])
def delete_entry(request: Request, account: Me, entry_id: RecordId) -> Response:
    with request.app.state.db.transaction() as session:
        if not records.delete_entry(session, account.id, entry_id):
            raise HTTPException(404)
    return RedirectResponse("/diary", status_code=303)


def _visa_page(
    request: Request,
    account: Account,
    values: dict[str, str],
    error: tuple[str, str] | None,
    status: int = 200,
) -> Response:
    with request.app.state.db.transaction() as session:
        rows = records.visa_as(session, account.id)
    return render(
        request,
        "visa_a.html",
        {
            "title": "VISA-A questionnaire",
            "items": ITEMS,
            "item_7_question": ITEM_7,
            "item_7": list(zip(ITEM_7_POINTS, ITEM_7_CHOICES, strict=True)),
            "item_8_question": ITEM_8_QUESTION,
            "item_8": [
                (b, ITEM_8_BRANCHES[b], list(zip(ITEM_8_POINTS[b], ITEM_8_TIMES, strict=True)))
                for b in "ABC"
            ],
            "values": values,
            "error": error,
            "rows": list(reversed(rows)),
        },
        status=status,
    )


@router.get("/visa-a")
def visa_a(request: Request, account: Me) -> Response:
    return _visa_page(request, account, {"date": recovery.today().isoformat()}, None)


@router.post("/visa-a", dependencies=[Depends(check_csrf)])
async def score_visa_a(request: Request, account: Me) -> Response:
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    answers: dict[str, Any] = {}
    for q in ("q1", "q2", "q3", "q4", "q5", "q6", "q7"):
        raw = values.get(q, "")
        answers[q] = whole_number(raw, 0, _MOST)
    branch = values.get("q8_branch", "")
    raw = values.get(f"q8_{branch.lower()}", "") if branch in ITEM_8_POINTS else ""
    answers["q8"] = {"branch": branch or None, "points": whole_number(raw, 0, _MOST)}
    for q in ("q1", "q2", "q3", "q4", "q5", "q6", "q7"):
        if answers[q] is None:
            del answers[q]
    try:
        day = parse_day(values.get("date", ""), recovery.today())
        parsed = parse_answers(answers)
    except InvalidInput as exc:
        parts = exc.field.split(".")
        if parts[0] == "answers" and len(parts) > 1:
            anchor, what = parts[1], f"Question {parts[1][1:]}"
        else:
            anchor, what = "date", "Day"
        return _visa_page(request, account, values, (anchor, f"{what} {exc.message}."), 422)
    recovery.add_visa_a(request.app.state.db, account.id, day, parsed)
    return RedirectResponse("/progress?visa_a=1", status_code=303)
