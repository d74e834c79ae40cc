"""Account pages: sign up, sign in, sign out, my account (download, delete), privacy.

Every form carries the CSRF token (``check_csrf``). Signing in or up also saves
an assessment the person asked to keep before they had an account.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from heelpath.errors import InvalidInput
from heelpath.store import accounts, backup, records, sharing
from heelpath.store.accounts import Account, EmailTaken, TooManyAttempts
from heelpath.web import answers_cookie, recovery
from heelpath.web.auth import (
    PENDING_COOKIE,
    SESSION_COOKIE,
    check_csrf,
    clear_cookie,
    require_page_account,
    set_cookie,
)

router = APIRouter(include_in_schema=False)
NO_STORE = {"cache-control": "no-store"}
SESSION_SECONDS = accounts.WEB_SESSION_DAYS * 24 * 3600


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response: Response = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status, headers=NO_STORE
    )
    return response


def safe_next(raw: object) -> str:
    """Only a path on this site: never an open redirect."""
    if (
        isinstance(raw, str)
        and raw.startswith("/")
        and not raw.startswith("//")
        and "\\" not in raw
    ):
        return raw
    return "/progress"


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _signed_in(request: Request, account: Account, next_path: str) -> Response:
    """Start a session, keep any held assessment, and go on."""
    db = request.app.state.db
    held = None
    with db.transaction() as session:
        token = accounts.start_session(session, account, "web")
        held = accounts.take_pending(session, request.cookies.get(PENDING_COOKIE))
    if held is not None:
        new_id, _ = recovery.save_assessment(
            db, request.app.state.engine, account.id, held, "interview"
        )
        next_path = f"/my/assessments/{new_id}"
    response = RedirectResponse(next_path, status_code=303)
    set_cookie(request, response, SESSION_COOKIE, token, SESSION_SECONDS)
    clear_cookie(request, response, PENDING_COOKIE)
    return response


@router.get("/signup")
def signup_page(request: Request, next: str = "/progress") -> Response:
    return render(
        request,
        "signup.html",
        {"title": "Create an account", "next": safe_next(next), "errors": {}, "email": ""},
    )


@router.post("/signup", dependencies=[Depends(check_csrf)])
async def signup(request: Request) -> Response:
    form = await request.form()
    email, password, next_path = (
        text(form, "email"),
        text(form, "password"),
        safe_next(form.get("next")),
    )
    errors = {}
    if form.get("consent") != "yes":
        errors["consent"] = "Please tick the box to agree, or use heelpath without an account."
    try:
        accounts.normalise_email(email)
    except InvalidInput as exc:
        errors["email"] = f"Email {exc.message}."
    try:
        accounts.check_password(password)
    except InvalidInput as exc:
        errors["password"] = f"Password {exc.message}."
    account = None
    if not errors:
        try:
            with request.app.state.db.transaction() as session:
                account = accounts.create(session, email, password)
        except EmailTaken:
            errors["email"] = "An account with this email already exists: sign in instead."
    if account is None:
        context = {
            "title": "Create an account",
            "next": next_path,
            "errors": errors,
            "email": email,
        }
        return render(request, "signup.html", context, status=422)
    return _signed_in(request, account, next_path)


@router.get("/signin")
def signin_page(request: Request, next: str = "/progress") -> Response:
    return render(
        request,
        "signin.html",
        {"title": "Sign in", "next": safe_next(next), "error": None, "email": ""},
    )


@router.post("/signin", dependencies=[Depends(check_csrf)])
async def signin(request: Request) -> Response:
    form = await request.form()
    email, password, next_path = (
        text(form, "email"),
        text(form, "password"),
        safe_next(form.get("next")),
    )
    db = request.app.state.db
    key = email.strip().lower()
    context = {"title": "Sign in", "next": next_path, "email": email}
    try:
        with db.transaction() as session:
            accounts.check_rate(session, key)
    except TooManyAttempts as exc:
        message = f"Too many wrong passwords. Please wait {exc.retry_after} seconds and try again."
        response = render(request, "signin.html", {**context, "error": message}, status=429)
        response.headers["retry-after"] = str(exc.retry_after)
        return response
    with db.transaction() as session:
        account = accounts.authenticate(session, email, password)
    if account is None:
        with db.transaction() as session:
            accounts.record_failure(session, key)
        error = "The email or the password is wrong."
        return render(request, "signin.html", {**context, "error": error}, status=401)
    return _signed_in(request, account, next_path)


@router.post("/signout", dependencies=[Depends(check_csrf)])
def signout(request: Request) -> Response:
    with request.app.state.db.transaction() as session:
        accounts.end_session(session, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    clear_cookie(request, response, SESSION_COOKIE)
    return response


@router.get("/account")
def account_page(
    request: Request, account: Annotated[Account, Depends(require_page_account)]
) -> Response:
    return render(
        request,
        "account.html",
        {"title": "My account", "me": account, "backup_days": backup.KEEP_DAYS},
    )


@router.get("/account/export")
def download(
    request: Request, account: Annotated[Account, Depends(require_page_account)]
) -> Response:
    with request.app.state.db.transaction() as session:
        data = records.export(session, account.id)
    return Response(
        orjson.dumps(data, option=orjson.OPT_INDENT_2),
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="heelpath-my-data.json"', **NO_STORE},
    )


@router.post("/account/delete", dependencies=[Depends(check_csrf)])
async def delete(
    request: Request, account: Annotated[Account, Depends(require_page_account)]
) -> Response:
    form = await request.form()
    if form.get("confirm") != "yes":
        context = {
            "title": "My account",
            "me": account,
            "backup_days": backup.KEEP_DAYS,
            "error": "Tick the box to confirm.",
        }
        return render(request, "account.html", context, status=422)
    with request.app.state.db.transaction() as session:
        accounts.delete_account(session, account.id)
    response = render(
        request,
        "deleted.html",
        {"title": "Your account is deleted", "backup_days": backup.KEEP_DAYS},
    )
    clear_cookie(request, response, SESSION_COOKIE)
    request.state.account = None
    return response


@router.get("/privacy")
def privacy(request: Request) -> Response:
    return render(
        request,
        "privacy.html",
        {
            "title": "Privacy: what we keep and for how long",
            "pending_hours": accounts.PENDING_ASSESSMENT_HOURS,
            "answers_hours": answers_cookie.MAX_AGE_SECONDS // 3600,
            "session_days": accounts.WEB_SESSION_DAYS,
            "token_days": accounts.API_TOKEN_DAYS,
            "inactive_years": accounts.INACTIVE_ACCOUNT_DAYS // 365,
            "failure_minutes": int(accounts.SIGN_IN_WINDOW.total_seconds() // 60),
            "backup_days": backup.KEEP_DAYS,
            "share_hours": sharing.CODE_HOURS,
        },
    )
