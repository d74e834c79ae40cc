"""Who is asking: the session cookie (pages), the Bearer token (API), and CSRF.

- The session cookie holds a random secret; the database holds its SHA-256 and
  the account it belongs to, so any app process can check it. The cookie is
  HttpOnly, SameSite=Lax, and Secure whenever the request came over HTTPS (or
  always, with ``HEELPATH_SECURE_COOKIES=1``).
- API calls carry ``Authorization: Bearer <token>`` (no cookie, so no CSRF);
  a missing or wrong token is a 401.
- CSRF: every form carries ``csrf_token`` = HMAC(app secret, the CSRF cookie's
  random value) (the signed double-submit cookie). The app secret is
  ``HEELPATH_SECRET_KEY`` or one made once and kept in the database, so every
  process agrees on it. A form post without the right token is a 403.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from heelpath.store import accounts
from heelpath.store.accounts import Account

SESSION_COOKIE = "heelpath_session"
CSRF_COOKIE = "heelpath_csrf"
PENDING_COOKIE = "heelpath_pending"
CSRF_FIELD = "csrf_token"


class SignInRequired(Exception):
    """A page that needs an account, asked for without one: the handler sends to sign-in."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def secure(request: Request) -> bool:
    setting = request.app.state.settings.secure_cookies
    return setting if setting is not None else request.url.scheme == "https"


def set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure(request),
    )


def clear_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=secure(request))


# ---- CSRF -----------------------------------------------------------------------------------


def _csrf_seed(request: Request) -> str:
    seed = request.cookies.get(CSRF_COOKIE, "")
    if 20 <= len(seed) <= 100:
        return seed
    new = getattr(request.state, "csrf_new", None)  # made once per request
    if new is None:
        new = secrets.token_urlsafe(24)
        request.state.csrf_new = new
    return str(new)


def _sign(request: Request, seed: str) -> str:
    key: bytes = request.app.state.csrf_key
    return hmac.new(key, seed.encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The token a form on this page carries (templates call it)."""
    return _sign(request, _csrf_seed(request))


async def check_csrf(request: Request) -> None:
    """A dependency of every form post: 403 unless the form carries the right token."""
    seed = request.cookies.get(CSRF_COOKIE, "")
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    # compared as bytes: compare_digest refuses a str that is not ASCII (a hostile form)
    if (
        not seed
        or not isinstance(sent, str)
        or not hmac.compare_digest(sent.encode(), _sign(request, seed).encode())
    ):
        raise HTTPException(
            403,
            "This form has expired or did not come from this site. Go back, reload the "
            "page and try again.",
        )


class CSRFCookieMiddleware:
    """Sets the CSRF cookie on a response whose page made a new one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                new = scope.get("state", {}).get("csrf_new")
                if new:
                    request = Request(scope)
                    probe = Response()
                    set_cookie(request, probe, CSRF_COOKIE, new, max_age=None)
                    cookie = probe.headers["set-cookie"].encode("latin-1")
                    message = {**message, "headers": [*message["headers"], (b"set-cookie", cookie)]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


# ---- who is signed in -----------------------------------------------------------------------


def page_account(request: Request) -> Account | None:
    """The account of the session cookie, looked up once per request."""
    if not hasattr(request.state, "account"):
        token = request.cookies.get(SESSION_COOKIE)
        account = None
        if token:
            with request.app.state.db.transaction() as session:
                account = accounts.account_for(session, token, "web")
        request.state.account = account
    found: Account | None = request.state.account
    return found


def require_page_account(request: Request) -> Account:
    """A dependency of the pages that need an account."""
    account = page_account(request)
    if account is None:
        raise SignInRequired(request.url.path)
    return account


_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/tokens.")


def require_api_account(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Account:
    """A dependency of the API calls that need an account: 401 without a live token."""
    account = None
    if credentials is not None and credentials.scheme.lower() == "bearer":
        with request.app.state.db.transaction() as session:
            account = accounts.account_for(session, credentials.credentials, "api")
    if account is None:
        raise HTTPException(
            401,
            "A valid token is needed: Authorization: Bearer <token> (POST /api/v1/tokens).",
            headers={"www-authenticate": "Bearer"},
        )
    return account


def template_globals(request: Request) -> dict[str, Any]:
    """What every page's layout needs: the signed-in account and the CSRF token."""
    return {"account": page_account(request), "csrf_token": lambda: csrf_token(request)}
