"""The REST API speaks the contract: answers in spec v1, bad input a 422 naming the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from heelpath.web.schemas import AnswerOut

PACKAGED_VOCABULARY = Path(__file__).resolve().parents[2] / "src/heelpath/knowledge/vocabulary.json"

RUPTURE = {
    "age": 41,
    "sex": "male",
    "findings": {
        "sudden_onset": True,
        "pop_or_snap": True,
        "palpable_gap": True,
        "calf_squeeze_no_foot_movement": True,
    },
}


def test_assess_answers_in_the_contracts_shape(client: TestClient) -> None:
    r = client.post("/api/v1/assess", json=RUPTURE)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    answer = AnswerOut.model_validate(r.json())
    assert answer.triage.level in ("urgent", "emergency")
    assert answer.conditions[0].id == "achilles_tendon_rupture"
    first = {i.intervention for i in answer.plan.phases[0].items}
    assert first & {"urgent_in_person_care", "call_emergency_services"}


def test_assess_gives_the_same_answer_as_the_library(client: TestClient) -> None:
    import heelpath

    data = {
        "age": 46,
        "sex": "female",
        "findings": {"pain_at_insertion": True},
        "footwear": ["dress"],
    }
    assert client.post("/api/v1/assess", json=data).json() == heelpath.assess(data)


def test_open_questions_only_when_asked(client: TestClient) -> None:
    import heelpath

    data = {"age": 45, "sex": "female", "findings": {"fall_or_heel_impact": True}}
    plain = client.post("/api/v1/assess", json=data).json()
    assert "open_questions" not in plain
    asked = client.post("/api/v1/assess?open_questions=true", json=data).json()
    answer = AnswerOut.model_validate(asked)
    assert answer.open_questions
    assert asked == heelpath.assess(data, open_questions=True)
    assert {k: v for k, v in asked.items() if k != "open_questions"} == plain
    found = {q.finding for q in answer.open_questions}
    assert "chest_pain_or_breathless" in found and "fall_or_heel_impact" not in found


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"findings": {}}, "age"),
        ({"age": 130, "findings": {}}, "age"),
        ({"age": "forty", "findings": {}}, "age"),
        ({"age": 40}, "findings"),
        ({"age": 40, "findings": {"pain_in_elbow": True}}, "findings.pain_in_elbow"),
        ({"age": 40, "findings": {"pain_at_insertion": "yes"}}, "findings.pain_at_insertion"),
        ({"age": 40, "findings": {}, "sex": "unknown"}, "sex"),
        ({"age": 40, "findings": {}, "footwear": ["stilettos"]}, "footwear"),
        ({"age": 40, "findings": {}, "work": "astronaut"}, "work"),
        ({"age": 40, "findings": {}, "pain_score": 11}, "pain_score"),
        ({"age": 40, "findings": {}, "colour": "blue"}, "colour"),
        (
            {"age": 40, "findings": {"fall_or_heel_impact": False, "fall_from_height": True}},
            "findings.fall_from_height",
        ),
        ([1, 2, 3], "body"),
    ],
)
def test_bad_input_is_422_naming_the_field(client: TestClient, body: Any, field: str) -> None:
    r = client.post("/api/v1/assess", json=body)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["status"] == 422
    assert error["field"] == field
    assert error["message"]


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/jsonx"]
)
def test_a_body_not_declared_json_is_415(client: TestClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    r = client.post("/api/v1/assess", content=b'{"age": 40, "findings": {}}', headers=headers)
    assert r.status_code == 415
    assert r.json()["error"]["field"] == "content-type"
    assert r.headers["cache-control"] == "no-store"


def test_json_with_a_charset_is_json(client: TestClient) -> None:
    headers = {"content-type": "Application/JSON; charset=utf-8"}
    r = client.post("/api/v1/assess", content=b'{"age": 40, "findings": {}}', headers=headers)
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (b"age=40", "body", "is not valid JSON"),
        (b'{"age": 40, "findings": {}', "body", "is not valid JSON"),
        (b'{"age": 40, "findings": {}, "sex": "\xff"}', "body", "is not valid JSON"),
        (b"[1, 2]", "body", "must be a JSON object"),
        (b'"text"', "body", "must be a JSON object"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_422_saying_which(
    client: TestClient, body: bytes, field: str, words: str
) -> None:
    r = client.post("/api/v1/assess", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["field"] == field
    assert words in error["message"]


def test_a_json_object_is_never_told_it_is_not_one(client: TestClient) -> None:
    r = client.post("/api/v1/assess", json={"age": "forty", "findings": {}})
    assert r.status_code == 422
    assert "JSON object" not in r.json()["error"]["message"]


def test_every_api_error_has_one_shape(client: TestClient) -> None:
    for r in (
        client.get("/api/v1/nothing-here"),
        client.get("/api/v1/assess"),
        client.post("/api/v1/assess", json={"age": -1, "findings": {}}),
    ):
        assert r.headers["content-type"] == "application/json"
        body = r.json()
        assert set(body) == {"error"}
        assert {"status", "message"} <= set(body["error"]) <= {"status", "message", "field"}
        assert body["error"]["status"] == r.status_code


def test_vocabulary_lists_every_spec_id(client: TestClient) -> None:
    r = client.get("/api/v1/vocabulary")
    assert r.status_code == 200
    got = r.json()
    spec = json.loads(PACKAGED_VOCABULARY.read_text())
    for key in ("triage_levels", "conditions", "findings", "interventions"):
        ids = {e["id"] for e in got[key]}
        assert {e["id"] for e in spec[key]} <= ids, key
    for key in ("footwear", "work", "sex"):
        assert set(spec[key]) <= set(got[key])
    assert all(f["question"] for f in got["findings"])
    # the project's own findings are marked, and a follow-up names the finding it follows
    spec_ids = {e["id"] for e in spec["findings"]}
    assert all(f["own"] == (f["id"] not in spec_ids) for f in got["findings"])
    height = next(f for f in got["findings"] if f["id"] == "fall_from_height")
    assert height["own"] and height["follows"] == "fall_or_heel_impact"
    assert all(f["follows"] is None for f in got["findings"] if f["id"] != "fall_from_height")


def test_a_fall_from_a_height_with_no_fall_is_refused_naming_both(client: TestClient) -> None:
    body = {"age": 40, "findings": {"fall_or_heel_impact": False, "fall_from_height": True}}
    error = client.post("/api/v1/assess", json=body).json()["error"]
    assert error["field"] == "findings.fall_from_height"
    assert "findings.fall_or_heel_impact" in error["message"]


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/v1/assess", "/api/v1/vocabulary", "/healthz"} <= set(spec["paths"])
    body = spec["paths"]["/api/v1/assess"]["post"]["requestBody"]["content"]["application/json"]
    findings = body["schema"]["properties"]["findings"]
    assert "pain_at_insertion" in findings["properties"]
    assert (
        "follow-up to fall_or_heel_impact"
        in findings["properties"]["fall_from_height"]["description"]
    )
    assert findings["additionalProperties"] is False
    assert "422" in spec["paths"]["/api/v1/assess"]["post"]["responses"]
    # the pages are not part of the API
    assert "/assess" not in spec["paths"]


def test_docs_page_lists_every_operation(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    for op in ("POST /api/v1/assess", "GET /api/v1/vocabulary", "GET /healthz"):
        assert op in r.text
    assert "findings" in r.text


def test_health(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}
    assert r.headers["cache-control"] == "no-store"
