"""Security from the start: strict headers on every response, a body limit, escaped output."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from heelpath.case import Case
from heelpath.engine import Assessment, Engine
from heelpath.web.app import create_app
from heelpath.web.settings import Settings
from web.webform import Walker, post_form, step_token

PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(1)>'


def _responses(client: TestClient) -> Iterator[tuple[str, Response]]:
    yield "GET /", client.get("/")
    yield "GET /assess", client.get("/assess")
    token = step_token(client)
    yield (
        "POST /assess/step/1",
        client.post(
            "/assess/step/1", data={"csrf_token": token, "age": "30"}, follow_redirects=False
        ),
    )
    yield "GET /assess/step/2", client.get("/assess/step/2")
    yield "GET /docs", client.get("/docs")
    yield "GET /openapi.json", client.get("/openapi.json")
    yield "GET /api/v1/vocabulary", client.get("/api/v1/vocabulary")
    yield "POST /api/v1/assess 200", client.post("/api/v1/assess", json={"age": 30, "findings": {}})
    yield "POST /api/v1/assess 422", client.post("/api/v1/assess", json={"findings": {}})
    yield "GET /static/heelpath.css", client.get("/static/heelpath.css")
    yield "GET 404", client.get("/nothing/here")
    yield "POST 413", client.post("/api/v1/assess", content=b"x" * 20_000)


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for what, r in _responses(client):
        h = r.headers
        csp = h.get("content-security-policy", "")
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
        assert directives.get("default-src") == "'none'", what
        assert directives.get("script-src") == "'self'", what
        assert directives.get("style-src") == "'self'", what
        assert directives.get("frame-ancestors") == "'none'", what
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, what
        assert h.get("x-content-type-options") == "nosniff", what
        assert h.get("x-frame-options") == "DENY", what
        assert h.get("referrer-policy") == "no-referrer", what


def test_pages_with_answers_are_not_cached(walker: Walker) -> None:
    walker.answer_all({"age": "30"}, yes={"pain_at_insertion"})
    for path in ("/assess/step/1", "/assess/step/2", "/assess/check", "/assess/result"):
        assert walker.client.get(path).headers["cache-control"] == "no-store", path
    token = step_token(walker.client)
    r = walker.client.post(
        "/assess/step/1", data={"csrf_token": token, "age": "31"}, follow_redirects=False
    )
    assert r.status_code == 303
    assert r.headers["cache-control"] == "no-store"


class _Broken(Engine):
    def evaluate(self, case: Case) -> Assessment:
        raise RuntimeError("boom")


def test_a_server_error_says_nothing_of_its_cause_and_keeps_the_headers(engine: Engine) -> None:
    broken = _Broken(engine.knowledge)
    with TestClient(create_app(Settings(), engine=broken), raise_server_exceptions=False) as c:
        r = c.post("/api/v1/assess", json={"age": 30, "findings": {}})
        assert r.status_code == 500
        assert r.json()["error"]["status"] == 500
        assert "boom" not in r.text
        assert "unsafe-inline" not in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        walker = Walker(c)
        signs = walker.submit(walker.start(), {"age": "30"})
        walker.submit(signs, signs.every("no"))
        page = c.get("/assess/result")
        assert page.status_code == 500
        assert "text/html" in page.headers["content-type"]
        assert "boom" not in page.text


# -- the body limit (16 KiB in the test app) ------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/assess", "/assess"])
def test_a_declared_body_over_the_limit_is_refused_with_413(client: TestClient, path: str) -> None:
    r = client.post(path, content=b"x" * 16_385, headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_a_streamed_body_over_the_limit_is_refused_with_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b" " * 1024

    r = client.post(
        "/api/v1/assess", content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413
    assert r.json()["error"]["status"] == 413


def test_a_body_under_the_limit_is_read(client: TestClient) -> None:
    body = b'{"age": 30, "findings": {}}' + b" " * 16_000
    r = client.post("/api/v1/assess", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200


# -- escaping: a script payload through every field ------------------------------------------


def _unsafe(html: str) -> list[str]:
    bad = [m for m in re.findall(r"<script\b[^>]*>", html) if 'src="/static/' not in m]
    # the page's own drawings are images from /static/; any other <img> is an injection
    bad += [m for m in re.findall(r"<img\b[^>]*>", html) if not re.search(r' src="/static/', m)]
    bad += re.findall(r"\sonerror=", html)
    return bad


def _form_fields(knowledge: Any) -> list[tuple[str, str]]:
    fields = [(PAYLOAD, PAYLOAD), ("change", PAYLOAD)]
    for name in ("age", "sex", "footwear", "work", "pain_score"):
        fields.append((name, PAYLOAD))
    fields += [(f"q_{f.id}", PAYLOAD) for f in knowledge.findings]
    fields.append((f"q_{PAYLOAD}", "yes"))
    return fields


@pytest.mark.parametrize("path", ["/assess/step/1", "/assess/step/2", "/assess/step/3", "/assess"])
def test_a_script_payload_in_every_form_field_comes_back_escaped(
    walker: Walker, engine: Engine, path: str
) -> None:
    signs = walker.submit(walker.start(), {"age": "30"})
    walker.submit(signs, signs.every("no"))
    fields = [("csrf_token", step_token(walker.client)), *_form_fields(engine.knowledge)]
    r = post_form(walker.client, fields, path=path)
    assert r.status_code in (200, 422)
    assert _unsafe(r.text) == []


def test_a_payload_that_is_a_valid_age_prefix_is_shown_escaped(walker: Walker) -> None:
    page = walker.submit(walker.start(), {"age": "<b>1</b>"})
    assert page.status == 422
    assert "&lt;b&gt;1&lt;/b" in page.html
    assert "<b>1" not in page.html


def test_a_full_assessment_with_payloads_everywhere_stays_escaped(
    walker: Walker, engine: Engine
) -> None:
    fields = [(n, "30") if n == "age" else (n, v) for n, v in _form_fields(engine.knowledge)]
    signs = walker.submit(walker.start(), dict(fields))
    walker.submit(signs, {**dict(fields), **signs.every("no")})
    for path in ("/assess/check", "/assess/result"):
        page = walker.get(path)
        assert _unsafe(page.html) == [], path
    assert "triage-title" in page.html


API_BODIES: list[Any] = [
    {"age": PAYLOAD, "findings": {}},
    {"age": 30, "findings": {PAYLOAD: True}},
    {"age": 30, "findings": {"pain_at_insertion": PAYLOAD}},
    {"age": 30, "findings": {}, "sex": PAYLOAD},
    {"age": 30, "findings": {}, "footwear": [PAYLOAD]},
    {"age": 30, "findings": {}, "work": PAYLOAD},
    {"age": 30, "findings": {}, "pain_score": PAYLOAD},
    {"age": 30, "findings": {}, PAYLOAD: PAYLOAD},
    PAYLOAD,
]


@pytest.mark.parametrize("body", API_BODIES)
def test_a_script_payload_in_every_api_field_is_answered_as_json_only(
    client: TestClient, body: Any
) -> None:
    r = client.post("/api/v1/assess", json=body)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/json"
    assert r.headers["x-content-type-options"] == "nosniff"
    r.json()  # well-formed JSON: the payload is a string inside it, never markup


def test_a_payload_in_the_path_is_not_echoed(client: TestClient) -> None:
    for path in (f"/{PAYLOAD}", f"/api/v1/{PAYLOAD}"):
        r = client.get(path)
        assert r.status_code == 404
        assert "<script>" not in r.text and "onerror" not in r.text
