"""Isolation, proven: user B walks every route and API call against user A's records and gets
nothing — no read, no write, no sign that the record exists (404 exactly as for a record that
does not exist). B is a registered clinician too, whom A has not shared with: a clinician sees
only the people who shared with them. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response

from web.people import ApiUser, Browser, share_with_a_clinician

SECRET = "A-private-note-7f3e"
MISSING = 2**31 - 1
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()
ENTRY = {"date": YESTERDAY, "pain_morning": 2, "notes": "B was here"}
VISA = {
    "date": YESTERDAY,
    "answers": {
        "q1": 1,
        "q2": 1,
        "q3": 1,
        "q4": 1,
        "q5": 1,
        "q6": 1,
        "q7": 0,
        "q8": {"branch": "C", "points": 0},
    },
}


def _all_routes(routes: list[Any]) -> list[Any]:
    # FastAPI keeps an included router as one entry that holds the router's own routes
    out = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        out += _all_routes(inner.routes) if inner is not None else [route]
    return out


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    out = []
    for route in _all_routes(app.routes):
        if isinstance(route, APIRoute):
            out.extend((method, route.path) for method in sorted(route.methods))
    return out


def test_the_walk_sees_every_route(records_app: FastAPI) -> None:
    paths = {p for _, p in _routes(records_app)}
    assert {"/diary/{entry_id}", "/api/v1/diary/{entry_id}", "/clinic/people/{person_id}"} <= paths


def _a_records(app: FastAPI) -> tuple[Browser, ApiUser, dict[str, int]]:
    a = Browser(app).sign_up()
    a.save_assessment()
    r = a.post("/diary", {"date": YESTERDAY, "pain_morning": "3", "notes": SECRET})
    assert r.status_code == 303
    api = ApiUser(app)
    api_assessment = api.post("/api/v1/assessments", {"age": 50, "findings": {}}).json()["id"]
    api_entry = api.post("/api/v1/diary", {**ENTRY, "notes": SECRET}).json()["id"]
    with app.state.db.transaction() as s:
        from heelpath.store import records

        browser_user = records.export(s, _user_id(app, a.email))
    share_id = share_with_a_clinician(app, a)
    return (
        a,
        api,
        {
            "assessment_id": api_assessment,
            "entry_id": api_entry,
            "browser_entry_id": browser_user["diary"][0]["id"],
            "browser_assessment_id": browser_user["assessments"][0]["id"],
            "browser_share_id": share_id,
            "browser_person_id": _user_id(app, a.email),
        },
    )


def _user_id(app: FastAPI, email: str) -> int:
    from sqlalchemy import select

    from heelpath.store import models

    with app.state.db.transaction() as s:
        uid = s.scalar(select(models.User.id).where(models.User.email == email))
    assert uid is not None
    return uid


def _call(b: Browser, b_api: ApiUser, method: str, path: str) -> Response:
    body: dict[str, Any] | None = None
    if path.startswith("/api/"):
        if "diary" in path and method in ("POST", "PUT"):
            body = ENTRY
        elif "visa-a" in path:
            body = VISA
        elif method == "POST":
            body = {"age": 40, "findings": {}}
        return b_api.client.request(method, path, headers=b_api.headers, json=body)
    if method == "POST":
        return b.post(path, {"date": YESTERDAY, "pain_morning": "2", "notes": "B was here"})
    return b.client.request(method, path)


def _normalised(r: Response) -> tuple[int, str]:
    # the CSRF token differs per browser; everything else must be the same
    return r.status_code, re.sub(r'value="[0-9a-f]{64}"', 'value=""', r.text)


def test_user_b_cannot_read_write_or_detect_user_a_s_records(records_app: FastAPI) -> None:
    a, a_api, ids = _a_records(records_app)
    b, b_api = Browser(records_app).sign_up(), ApiUser(records_app)
    assert b.post("/clinic/register", {"name": "Dr B, B's Clinic"}).status_code == 303
    b.save_assessment()
    # B has a plan of their own, so a diary write is refused for being A's, not for want of one
    assert b_api.post("/api/v1/assessments", {"age": 40, "findings": {}}).status_code == 201
    before_a = TestClient(records_app).get("/api/v1/export", headers=a_api.headers).json()
    before_browser = a.client.get("/account/export").json()

    exercised = set()
    for method, path in _routes(records_app):
        if method == "HEAD":
            continue
        params = re.findall(r"{(\w+)}", path)
        if params == ["n"]:
            # the interview's steps: numbered pages over the browser's own answers cookie
            if method == "GET":
                r = _call(b, b_api, method, path.replace("{n}", "1"))
                assert SECRET not in r.text and a.email not in r.text, path
            exercised.add((method, path))
        elif params:
            kinds = {"assessment_id", "entry_id", "share_id", "person_id"}
            assert set(params) <= kinds, f"{path}: unknown record kind"
            page = not path.startswith("/api/")
            for name in params:
                key = f"browser_{name}" if page else name
                theirs = path.replace(f"{{{name}}}", str(ids[key]))
                missing = path.replace(f"{{{name}}}", str(MISSING))
                got, none = _call(b, b_api, method, theirs), _call(b, b_api, method, missing)
                assert got.status_code == 404, f"{method} {theirs}: {got.status_code}"
                assert _normalised(got) == _normalised(none), f"{method} {theirs} leaks existence"
            exercised.add((method, path))
        elif method == "GET":
            r = _call(b, b_api, method, path)
            assert SECRET not in r.text and a.email not in r.text and a_api.email not in r.text, (
                path
            )
            exercised.add((method, path))

    # every route that names a record was tried, and every page or call that reads
    assert {(m, p) for m, p in _routes(records_app) if "{" in p or m == "GET"} - exercised == set()
    # and A's records are exactly as they were
    after_a = TestClient(records_app).get("/api/v1/export", headers=a_api.headers).json()
    assert after_a == before_a
    assert a.client.get("/account/export").json() == before_browser
