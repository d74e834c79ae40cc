"""The account calls of the API: sign up, get a token, download or delete everything.

``POST /api/v1/accounts`` and ``POST /api/v1/tokens`` take ``{"email",
"password"}``; every other call takes ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.responses import Response

from heelpath.store import accounts, records
from heelpath.store.accounts import Account
from heelpath.web.auth import require_api_account
from heelpath.web.errors import NO_STORE, ErrorOut
from heelpath.web.routes.api import JsonApiRoute

JSON = "application/json"
router = APIRouter(tags=["account"], route_class=JsonApiRoute)


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Annotated[str, Field(min_length=3, max_length=254, strict=True)]
    password: Annotated[str, Field(min_length=1, max_length=accounts.MAX_PASSWORD, strict=True)]


class AccountOut(BaseModel):
    id: int
    email: str


class TokenOut(BaseModel):
    token: str


def error_docs(*statuses: int) -> dict[int | str, dict[str, Any]]:
    text = {
        415: "The body is not declared `application/json`.",
        401: "No valid token (Authorization: Bearer <token>).",
        404: "No such record of yours (someone else's answers the same).",
        409: "Clashes with a stored record.",
        413: "The body is larger than the limit.",
        422: "Bad input; `error.field` names the field.",
        429: "Too many failed sign-ins; see Retry-After.",
    }
    return {s: {"model": ErrorOut, "description": text[s]} for s in statuses}


def json_response(data: Any, status: int = 200) -> Response:
    """A JSON answer of the accounts and records API: a person's own data, never cached."""
    return Response(orjson.dumps(data), status_code=status, media_type=JSON, headers=NO_STORE)


@router.post(
    "/api/v1/accounts",
    summary="Create an account",
    status_code=201,
    response_model=AccountOut,
    responses=error_docs(409, 413, 415, 422),
)
def create_account(request: Request, body: Credentials) -> Response:
    with request.app.state.db.transaction() as session:
        account = accounts.create(session, body.email, body.password)
    return json_response({"id": account.id, "email": account.email}, 201)


@router.post(
    "/api/v1/tokens",
    summary="Sign in: get a token for the other calls",
    response_model=TokenOut,
    responses=error_docs(401, 413, 415, 422, 429),
)
def create_token(request: Request, body: Credentials) -> Response:
    db = request.app.state.db
    email = body.email.strip().lower()
    with db.transaction() as session:
        accounts.check_rate(session, email)
    with db.transaction() as session:
        account = accounts.authenticate(session, body.email, body.password)
        if account is not None:
            return json_response({"token": accounts.start_session(session, account, "api")})
    with db.transaction() as session:
        accounts.record_failure(session, email)
    raise HTTPException(401, "The email or the password is wrong.")


@router.get(
    "/api/v1/export",
    summary="All of my data",
    description="Everything stored about the account: assessments, diary, VISA-A.",
    response_model=None,
    responses={200: {"description": "All of my data as JSON."}, **error_docs(401)},
)
def export(request: Request, account: Annotated[Account, Depends(require_api_account)]) -> Response:
    with request.app.state.db.transaction() as session:
        return json_response(records.export(session, account.id))


@router.delete(
    "/api/v1/accounts/me",
    summary="Delete my account and everything of mine",
    status_code=204,
    response_class=Response,
    responses=error_docs(401),
)
def delete_me(
    request: Request, account: Annotated[Account, Depends(require_api_account)]
) -> Response:
    with request.app.state.db.transaction() as session:
        accounts.delete_account(session, account.id)
    return Response(status_code=204)
