"""Every error the web app answers, handled in one place.

- ``InvalidInput`` (an assessment that breaks the contract) -> 422 naming the field.
- FastAPI's own request validation -> 422 naming the field, in the same shape.
- HTTP errors (401, 403, 404, 405, 413 ...) -> their status.
- A page that needs an account, without one -> a redirect to sign in.
- A clash with a stored record (a second diary entry for a day, an email
  already taken, a diary before any saved assessment) -> 409.
- Too many failed sign-ins -> 429 with Retry-After.
- Anything else -> 500, without details; ``web/boundary.py`` logs it in one line.

Under ``/api/`` (and for the OpenAPI schema) the answer is JSON in one shape,
``{"error": {"status": ..., "field": ..., "message": ...}}``; everywhere else
it is a plain page in the site's layout. No error is cached: a 422 quotes what
was sent, which can be health data (``Cache-Control: no-store``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from heelpath.errors import InvalidInput
from heelpath.parsing import field_path
from heelpath.store.accounts import EmailTaken, TooManyAttempts
from heelpath.store.records import DayTaken
from heelpath.web.auth import SignInRequired
from heelpath.web.methods import allowed_methods
from heelpath.web.recovery import NoAssessment

NO_STORE = {"cache-control": "no-store"}

TITLES = {
    400: "That request could not be read",
    401: "Please sign in",
    403: "That was refused",
    408: "That took too long to arrive",
    404: "Page not found",
    405: "That is not allowed here",
    409: "That clashes with what is already there",
    413: "That is too much to send",
    415: "That kind of content is not accepted here",
    422: "Some answers could not be used",
    429: "Too many tries",
    500: "Something went wrong on our side",
}


class ErrorDetail(BaseModel):
    status: int
    field: str | None = None
    message: str


class ErrorOut(BaseModel):
    """The one shape of every API error."""

    error: ErrorDetail


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/openapi.json"


def error_response(
    request: Request, status: int, message: str, field: str | None = None
) -> Response:
    """The error in the API's JSON shape or as a page, depending on where it happened."""
    if wants_json(request):
        body: dict[str, Any] = {"status": status, "message": message}
        if field is not None:
            body["field"] = field
        return Response(
            orjson.dumps({"error": body}),
            status_code=status,
            media_type="application/json",
            headers=NO_STORE,
        )
    templates = request.app.state.templates
    page: Response = templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "title": TITLES.get(status, "Something went wrong"), "message": message},
        status_code=status,
        headers=NO_STORE,
    )
    return page


async def _invalid_input(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InvalidInput)
    # an input that is not an object at all is a fault of the whole body
    return error_response(request, 422, exc.message, exc.field or "body")


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    loc = [p for p in first.get("loc", ()) if p not in ("body", "query", "path")]
    # a fault of the whole body (a list where an object belongs) names the body
    field = field_path(loc) or "body"
    return error_response(request, 422, str(first.get("msg", "is not valid")), field)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "")
    if exc.status_code == 404:
        message = "There is nothing at this address."
    response = error_response(request, exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    if exc.status_code == 405:
        response.headers["allow"] = ", ".join(allowed_methods(request.scope))
    return response


async def _sign_in_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(f"/signin?next={quote(exc.next_path)}", status_code=303)


async def _conflict(request: Request, exc: Exception) -> Response:
    if isinstance(exc, DayTaken):
        message = (
            "There is already a diary entry for that day: correct it instead "
            f"(/api/v1/diary/{exc.entry_id} in the API)."
        )
        return error_response(request, 409, message, "date")
    if isinstance(exc, EmailTaken):
        return error_response(request, 409, "An account with this email already exists.", "email")
    return error_response(
        request, 409, "Save an assessment to your account first: the diary follows its plan."
    )


async def _too_many(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TooManyAttempts)
    response = error_response(
        request,
        429,
        f"Too many wrong passwords. Please wait {exc.retry_after} seconds and try again.",
    )
    response.headers["retry-after"] = str(exc.retry_after)
    return response


async def _unexpected(request: Request, exc: Exception) -> Response:
    # logged once, in one line, by web/boundary.py: the id below is the one it logs
    request_id = request.scope.get("state", {}).get("request_id", "")
    message = "Please try again. If it keeps happening, tell us"
    if request_id:
        message += f" and quote the reference {request_id}"
    return error_response(request, 500, message + ".")


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(InvalidInput, _invalid_input)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(SignInRequired, _sign_in_required)
    app.add_exception_handler(DayTaken, _conflict)
    app.add_exception_handler(EmailTaken, _conflict)
    app.add_exception_handler(NoAssessment, _conflict)
    app.add_exception_handler(TooManyAttempts, _too_many)
    app.add_exception_handler(Exception, _unexpected)
