"""Arbitrary JSON at the accounts and records API: never a 5xx, every 422 names a field.

The calls read their bodies with the assessment API's one strict parser
(``routes/api.py``, ``JsonApiRoute``), so hostile nesting, odd numbers or not
JSON at all are refused in the same words, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategies import hostile_bodies, json_values
from web.people import PASSWORD, ApiUser, new_email

VISA: dict[str, Any] = {
    "q1": 6, "q2": 7, "q3": 5, "q4": 8, "q5": 4, "q6": 3, "q7": 4,
    "q8": {"branch": "B", "points": 10},
}  # fmt: skip
DIARY: dict[str, Any] = {"date": "2026-03-01", "pain_morning": 3, "done": [], "sets": {}}
CREDENTIALS = {"email": "someone@example.com", "password": PASSWORD}
ASSESSMENT = {"age": 46, "findings": {"pain_at_insertion": True}}


@st.composite
def near(draw: st.DrawFn, valid: dict[str, Any]) -> bytes:
    """A valid body with some fields (or a nested one) replaced by anything, as JSON."""
    data = json.loads(json.dumps(valid))
    for name in draw(st.lists(st.sampled_from([*valid, "extra"]), max_size=3)):
        data[name] = draw(json_values)
    return json.dumps(data).encode()


CALLS = {
    "POST /api/v1/accounts": near(CREDENTIALS),
    "POST /api/v1/tokens": near(CREDENTIALS),
    "POST /api/v1/assessments": near(ASSESSMENT),
    "POST /api/v1/diary": near(DIARY),
    "PUT /api/v1/diary/{entry}": near(DIARY),
    "POST /api/v1/visa-a": near({"date": "2026-03-01", "answers": VISA}),
}


@pytest.fixture(scope="module")
def person(records_app: FastAPI) -> ApiUser:
    p = ApiUser(records_app)
    assert p.post("/api/v1/assessments", ASSESSMENT).status_code == 201
    return p


@pytest.fixture(scope="module")
def entry_id(person: ApiUser) -> int:
    r = person.post("/api/v1/diary", {**DIARY, "date": "2026-02-01"})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


@pytest.mark.parametrize("call", list(CALLS))
def test_any_json_at_a_records_call_is_answered_below_500_naming_a_field(
    person: ApiUser, entry_id: int, call: str
) -> None:
    method, path = call.split(" ")
    path = path.format(entry=entry_id)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(body=CALLS[call] | hostile_bodies)
    def probe(body: bytes) -> None:
        headers = {**person.headers, "content-type": "application/json"}
        r = person.client.request(method, path, content=body, headers=headers)
        assert r.status_code < 500, r.text[:300]
        assert r.headers["cache-control"] == "no-store"
        if r.status_code == 422:
            error = r.json()["error"]
            assert isinstance(error["field"], str) and error["field"], error
            assert len(r.content) < 1000

    probe()
    assert person.client.get("/healthz").status_code == 200
    assert person.get("/api/v1/assessments").status_code == 200


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (
            b'{"email": "a@example.com", "password": ' + b"[" * 100 + b"]" * 100 + b"}",
            "password",
            "nested deeper",
        ),
        (
            b'{"email": "a@example.com", "password": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            "body",
            "is not valid JSON",
        ),
        (b'{"email": "a@example.com", "password": "x"', "body", "is not valid JSON"),
        (b'{"email": "a@example.com", "password": "\xff"}', "body", "is not valid JSON"),
        (b'{"email": NaN, "password": "x"}', "body", "is not valid JSON"),
    ],
)
def test_a_body_the_strict_parser_refuses_is_422_naming_the_field(
    records_app: FastAPI, body: bytes, field: str, words: str
) -> None:
    r = TestClient(records_app).post(
        "/api/v1/accounts", content=body, headers={"content-type": "application/json"}
    )
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["field"] == field and words in error["message"]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_records_body_not_declared_json_is_415(
    records_app: FastAPI, person: ApiUser, content_type: str | None
) -> None:
    body = json.dumps({"email": new_email(), "password": PASSWORD}).encode()
    headers = {"content-type": content_type} if content_type else {}
    r = TestClient(records_app).post("/api/v1/accounts", content=body, headers=headers)
    assert r.status_code == 415 and r.json()["error"]["field"] == "content-type"
    r = person.client.post(
        "/api/v1/diary", content=json.dumps(DIARY).encode(), headers={**person.headers, **headers}
    )
    assert r.status_code == 415
