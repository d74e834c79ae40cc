"""What an attacker or a careless client sends, in process: never a 500, always a named field.

The probes that need real sockets (slow clients, disconnects, keep-alive after
an error) are in ``test_abuse_live.py``; the random ones in
``test_abuse_properties.py``.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from heelpath.case import Case
from heelpath.engine import Assessment, Engine
from heelpath.interview import SCREENS
from heelpath.web.app import create_app
from heelpath.web.settings import DEFAULT_ALLOWED_HOSTS, Settings
from web.webform import post_form

JSON = {"content-type": "application/json"}


def _nested(depth: int, leaf: str = '"dress"') -> bytes:
    """JSON nested ``depth`` lists deep, written out (JSON encoders stop far sooner)."""
    return ("[" * depth + leaf + "]" * depth).encode()


@pytest.fixture(scope="module")
def roomy(engine: Engine) -> Any:
    """A client of an app with the default body limit (64 KiB), as ``heelpath serve`` has."""
    with TestClient(create_app(Settings(), engine=engine)) as c:
        yield c


# -- the API: every refusal a 422 naming a field, and short ---------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"age": 40, "findings": {}, "footwear": ' + _nested(1000) + b"}", "footwear"),
        (b'{"age": 40, "findings": {}, "footwear": ' + _nested(10) + b"}", "footwear"),
        (b'{"age": 40, "findings": {"swelling": ' + _nested(500, "{}") + b"}}", "findings"),
        (b'{"findings": {}, "age": ' + _nested(900, "1") + b"}", "age"),
        ({"age": 40, "findings": {"x" * 50_000: True}}, "findings.x"),
        ({"age": 40, "findings": {}, "sex": "\x00" * 8_000}, "sex"),
        ({"age": 40, "findings": {}, "k" * 30_000: 1}, "kkkk"),
        ({"age": 10**30, "findings": {}}, "age"),
        ({"age": 80.5, "findings": {}}, "age"),
        ({"age": True, "findings": {}}, "age"),
        ({"age": "40", "findings": {}}, "age"),
        ({"age": 40, "findings": {}, "pain_score": 3.5}, "pain_score"),
    ],
    ids=[
        "footwear 1000 deep",
        "footwear 10 deep",
        "a finding 500 deep",
        "age 900 deep",
        "a 60 KB finding id",
        "8,000 NULs",
        "a 30 KB field name",
        "age 10**30",
        "age 80.5",
        "age true",
        "age as text",
        "pain 3.5",
    ],
)
def test_hostile_json_is_a_short_422_naming_the_field(
    roomy: TestClient, body: dict[str, Any] | bytes, field: str
) -> None:
    if isinstance(body, bytes):
        r = roomy.post("/api/v1/assess", content=body, headers=JSON)
    else:
        r = roomy.post("/api/v1/assess", json=body)
    assert r.status_code == 422, r.text[:300]
    error = r.json()["error"]
    assert error["field"].startswith(field)
    # what was sent is quoted at most in a short prefix: the answer stays small
    assert len(r.content) < 400, r.content[:400]
    assert r.headers["cache-control"] == "no-store"


def test_a_50_kb_unknown_id_is_not_echoed(roomy: TestClient) -> None:
    r = roomy.post("/api/v1/assess", json={"age": 40, "findings": {"z" * 50_000: True}})
    assert r.status_code == 422
    assert r.text.count("z" * 41) == 0


def test_json_nested_beyond_what_the_parser_reads_is_422(client: TestClient) -> None:
    body = b'{"age": 40, "findings": {}, "footwear": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    r = client.post("/api/v1/assess", content=body, headers=JSON)
    assert r.status_code == 422
    assert r.json()["error"]["field"] in ("body", "footwear")


@pytest.mark.parametrize(("age", "pain"), [(80.0, 3.0), (80, 3), (0.0, 0.0), (120.0, 10.0)])
def test_whole_numbers_written_with_a_point_are_whole_numbers(
    client: TestClient, age: float, pain: float
) -> None:
    r = client.post("/api/v1/assess", json={"age": age, "findings": {}, "pain_score": pain})
    assert r.status_code == 200, r.text
    same = client.post(
        "/api/v1/assess", json={"age": int(age), "findings": {}, "pain_score": int(pain)}
    )
    assert r.json() == same.json()


def test_an_answer_is_never_cached(client: TestClient) -> None:
    r = client.post("/api/v1/assess", json={"age": 40, "findings": {}})
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"


# -- the form: the same values, where str.isdigit() used to let them through ---------------


@pytest.mark.parametrize(
    "fields",
    [
        [("step", "0"), ("go", "next"), ("age", "4²")],
        [("step", "0"), ("go", "next"), ("age", "٤٠")],
        [("step", "0"), ("go", "next"), ("age", "40"), ("pain_score", "¹")],
        [("step", "²"), ("go", "next"), ("age", "40")],
        [("step", "9" * 5000), ("go", "next"), ("age", "40")],
        [("step", "-1"), ("go", "back"), ("age", "40")],
        [("step", str(len(SCREENS))), ("go", "next"), ("age", "9" * 5000)],
        [("step", "1"), ("go", "next"), ("age", "40"), ("q_" + "x" * 12_000, "yes")],
        [("step", "1"), ("go", "next"), ("age", "40"), ("sex", "\x00\x01")],
    ],
    ids=[
        "age 4²",
        "age in Arabic-Indic digits",
        "pain ¹",
        "step ²",
        "step of 5000 digits",
        "step -1",
        "age of 5000 digits",
        "a 12 KB question name",
        "sex with control characters",
    ],
)
def test_hostile_form_fields_never_make_a_500(
    client: TestClient, fields: list[tuple[str, str]]
) -> None:
    r = post_form(client, fields)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["cache-control"] == "no-store"


def test_a_form_with_a_superscript_age_asks_for_the_age_again(client: TestClient) -> None:
    r = post_form(client, [("step", "0"), ("go", "next"), ("age", "4²")])
    assert "Enter an age in whole years" in r.text


# -- HEAD, hosts, content types ----------------------------------------------------------------

GET_PATHS = ["/", "/assess", "/docs", "/openapi.json", "/api/v1/vocabulary", "/healthz"]


@pytest.mark.parametrize("path", [*GET_PATHS, "/static/heelpath.css"])
def test_head_is_answered_wherever_get_is(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-security-policy"] == get.headers["content-security-policy"]


def test_head_where_get_is_not_allowed_is_405(client: TestClient) -> None:
    assert client.head("/api/v1/assess").status_code == 405


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.2", "localhost.evil.example", ""])
def test_an_unknown_host_is_refused(client: TestClient, host: str) -> None:
    r = client.get("/", headers={"host": host})
    assert r.status_code == 400
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"])
def test_the_loopback_names_are_allowed_by_default(client: TestClient, host: str) -> None:
    assert client.get("/", headers={"host": host}).status_code == 200


def test_allowed_hosts_come_from_the_environment() -> None:
    env = {"HEELPATH_ALLOWED_HOSTS": " heel.example.org , *.heel.example.org "}
    assert Settings.from_env(env).allowed_hosts == ("heel.example.org", "*.heel.example.org")
    assert Settings.from_env({}).allowed_hosts == DEFAULT_ALLOWED_HOSTS
    assert Settings.from_env({"HEELPATH_MAX_BODY_BYTES": "²"}).max_body_bytes == 64 * 1024


def test_a_configured_host_is_served_and_the_loopback_then_refused(engine: Engine) -> None:
    app = create_app(Settings(allowed_hosts=("heel.example.org",)), engine=engine)
    with TestClient(app, base_url="http://heel.example.org") as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/healthz", headers={"host": "localhost"}).status_code == 400


# -- server errors: one line, an id, no values -------------------------------------------------


class _Broken(Engine):
    def evaluate(self, case: Case) -> Assessment:
        raise RuntimeError(f"boom for age {case.age}")


@pytest.fixture(scope="module")
def broken_client(engine: Engine) -> Any:
    app = create_app(Settings(), engine=_Broken(engine.knowledge))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_a_500_logs_one_line_with_its_id_and_no_values(
    broken_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="heelpath")
    r = broken_client.post(
        "/api/v1/assess?secret=q",
        json={"age": 87, "sex": "female", "findings": {"pain_at_insertion": True}},
    )
    assert r.status_code == 500
    request_id = r.headers["x-request-id"]
    assert request_id in r.json()["error"]["message"]
    records = [rec for rec in caplog.records if rec.name.startswith("heelpath")]
    assert len(records) == 1
    line = records[0].getMessage()
    assert records[0].levelno == logging.ERROR and records[0].exc_info is None
    assert request_id in line and "RuntimeError" in line and "/api/v1/assess" in line
    # the request id is random hex and may itself hold "87": look at the line without it
    rest = line.replace(request_id, "")
    for value in ("87", "female", "pain_at_insertion", "boom", "secret"):
        assert value not in rest


def test_every_request_gets_one_access_line_without_its_query(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="heelpath")
    r = client.get("/api/v1/vocabulary?name=Jane+Doe&age=87")
    lines = [rec.getMessage() for rec in caplog.records if rec.name.startswith("heelpath")]
    assert len(lines) == 1
    assert "/api/v1/vocabulary" in lines[0] and r.headers["x-request-id"] in lines[0]
    # (the request id is random hex, so "87" alone may well appear in it)
    assert "Jane" not in lines[0] and "age=87" not in lines[0] and "?" not in lines[0]


def test_a_server_that_cannot_answer_is_not_ready(broken_client: TestClient) -> None:
    r = broken_client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["status"] == "not ready"
    assert "RuntimeError" in r.json()["problem"]


def test_nan_in_the_knowledge_is_never_marked_ready(engine: Engine) -> None:
    # a NaN that reached the engine by another road than the loader (which refuses it)
    k = engine.knowledge
    first = k.conditions[0]
    nan_prior = dataclasses.replace(first.prior, adult=float("nan"))
    broken = dataclasses.replace(
        k, conditions=(dataclasses.replace(first, prior=nan_prior), *k.conditions[1:])
    )
    with TestClient(
        create_app(Settings(), engine=Engine(broken)), raise_server_exceptions=False
    ) as c:
        r = c.get("/healthz")
    assert r.status_code == 503
    assert r.json()["status"] == "not ready"


# -- OPTIONS, 405 and the host refusal, answered the app's way ---------------------------------


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/api/v1/assess", "OPTIONS, POST"),
        ("/", "GET, HEAD, OPTIONS"),
        ("/api/v1/diary/5", "DELETE, GET, HEAD, OPTIONS, PUT"),
        ("/api/v1/assessments", "GET, HEAD, OPTIONS, POST"),
        ("/static/heelpath.css", "GET, HEAD, OPTIONS"),
    ],
)
def test_options_lists_the_methods_of_the_route(client: TestClient, path: str, allow: str) -> None:
    r = client.options(path)
    assert r.status_code == 204 and r.content == b""
    assert r.headers["allow"] == allow
    assert r.headers["x-content-type-options"] == "nosniff"


def test_a_cross_origin_preflight_gets_no_permission(client: TestClient) -> None:
    r = client.options(
        "/api/v1/assess",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert r.status_code == 204
    assert not [h for h in r.headers if h.startswith("access-control-")]


def test_options_where_nothing_is_served_is_404(client: TestClient) -> None:
    r = client.options("/api/v1/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["status"] == 404


@pytest.mark.parametrize(
    ("path", "allow"), [("/api/v1/assess", "OPTIONS, POST"), ("/healthz", "GET, HEAD, OPTIONS")]
)
def test_a_405_lists_every_method_the_path_allows(
    client: TestClient, path: str, allow: str
) -> None:
    r = client.request("DELETE", path)
    assert r.status_code == 405
    assert r.headers["allow"] == allow
    assert r.headers["cache-control"] == "no-store"
    if path.startswith("/api/"):
        assert r.json()["error"]["status"] == 405
    else:
        assert r.headers["content-type"].startswith("text/html")


def test_an_unknown_host_is_refused_like_any_error(client: TestClient) -> None:
    api = client.get("/api/v1/vocabulary", headers={"host": "evil.example"})
    assert api.status_code == 400
    assert api.headers["content-type"] == "application/json"
    assert api.json()["error"]["field"] == "host"
    assert api.headers["cache-control"] == "no-store"
    page = client.get("/assess", headers={"host": "evil.example"})
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1" in page.text and "host name" in page.text
    assert "evil.example" not in page.text  # the page's links never take the sent host
