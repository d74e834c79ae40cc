"""Arbitrary JSON and arbitrary form bodies, at the API and at the form: never a 5xx.

For every body Hypothesis makes up: the answer is below 500; an API refusal
names a field; and afterwards the server is still ready (``/healthz``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategies import (
    FINDING_IDS,
    FOOTWEAR,
    ODD_DIGITS,
    SEXES,
    WORK,
    hostile_bodies,
    inputs,
    json_values,
)

FIELDS = ["age", "sex", "findings", "footwear", "work", "pain_score"]
FORM_NAMES = [*FIELDS, "step", "go", *(f"q_{f}" for f in FINDING_IDS[:10])]
FORM_VALUES = ["yes", "no", "unsure", "next", "back", *SEXES, *FOOTWEAR, *WORK]


@st.composite
def near_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid input with some fields replaced by anything, or fields added."""
    data: dict[str, Any] = draw(inputs())
    for name in draw(st.lists(st.sampled_from([*FIELDS, "extra"]), max_size=3)):
        data[name] = draw(json_values)
    return data


bodies = near_inputs().map(lambda d: json.dumps(d).encode()) | hostile_bodies

form_fields = st.lists(
    st.tuples(
        st.sampled_from(FORM_NAMES) | st.text(max_size=20),
        st.sampled_from(FORM_VALUES + ODD_DIGITS) | st.text(max_size=30),
    ),
    max_size=25,
)
form_bodies = st.one_of(
    form_fields.map(lambda f: urlencode(f).encode()),
    st.binary(max_size=300),
)
form_types = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "multipart/form-data",
        "text/plain",
        "application/json",
    ]
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(body=bodies)
def test_any_json_at_the_api_is_answered_below_500_naming_a_field(
    client: TestClient, body: bytes
) -> None:
    r = client.post("/api/v1/assess", content=body, headers={"content-type": "application/json"})
    assert r.status_code < 500, r.text[:300]
    if r.status_code != 200:
        error = r.json()["error"]
        assert isinstance(error["field"], str) and error["field"], error
        assert len(r.content) < 1000
    assert r.headers["cache-control"] == "no-store"
    assert client.get("/healthz").status_code == 200


@SETTINGS
@given(body=form_bodies, content_type=form_types)
def test_any_form_body_at_the_form_is_answered_below_500(
    client: TestClient, body: bytes, content_type: str
) -> None:
    r = client.post("/assess", content=body, headers={"content-type": content_type})
    assert r.status_code < 500, r.text[:300]
    assert client.get("/healthz").status_code == 200


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=form_bodies, content_type=form_types)
def test_any_form_body_at_the_plan_download_is_answered_below_500(
    client: TestClient, body: bytes, content_type: str
) -> None:
    # the same form as the result page; a valid one is rendered as a PDF (slower: fewer runs)
    r = client.post("/assess/plan.pdf", content=body, headers={"content-type": content_type})
    assert r.status_code < 500, r.text[:300]
    assert r.headers["cache-control"] == "no-store"


@SETTINGS
@given(body=form_bodies | bodies, content_type=form_types)
def test_any_body_of_any_type_at_the_api_is_answered_below_500(
    client: TestClient, body: bytes, content_type: str
) -> None:
    r = client.post("/api/v1/assess", content=body, headers={"content-type": content_type})
    assert r.status_code < 500, r.text[:300]
    if r.status_code != 200:
        assert r.json()["error"]["field"]


def test_the_server_is_still_ready_after_all_that(client: TestClient) -> None:
    # runs after the properties above (same session app): nothing they sent broke it
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    assert client.post("/api/v1/assess", json={"age": 40, "findings": {}}).status_code == 200
