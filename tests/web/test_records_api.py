"""The records API, on SQLite and PostgreSQL: exactly the calls, statuses and shapes the
issue lists, Bearer tokens, and a warning sign in the diary re-running triage at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from web.people import PASSWORD, ApiUser, new_email

TODAY = dt.date.today()
VISA: dict[str, Any] = {
    "q1": 6,
    "q2": 7,
    "q3": 5,
    "q4": 8,
    "q5": 4,
    "q6": 3,
    "q7": 4,
    "q8": {"branch": "B", "points": 10},
}
ASSESSMENT = {"age": 46, "findings": {"pain_at_insertion": True}}


def day(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


def entry(n: int, **changes: Any) -> dict[str, Any]:
    return {
        "date": day(n),
        "pain_morning": 3,
        "pain_during": 4,
        "pain_after": 3,
        "done": [],
        "notes": "",
        **changes,
    }


@pytest.fixture
def person(records_app: FastAPI) -> ApiUser:
    p = ApiUser(records_app)
    assert p.post("/api/v1/assessments", ASSESSMENT).status_code == 201
    return p


def test_accounts_and_tokens(records_app: FastAPI) -> None:
    c = TestClient(records_app)
    email = new_email()
    r = c.post("/api/v1/accounts", json={"email": email, "password": PASSWORD})
    assert r.status_code == 201 and r.json()["email"] == email
    assert (
        c.post("/api/v1/accounts", json={"email": email, "password": PASSWORD}).status_code == 409
    )
    r = c.post("/api/v1/tokens", json={"email": email, "password": "wrong password"})
    assert r.status_code == 401
    r = c.post("/api/v1/tokens", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200 and set(r.json()) == {"token"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/assessments"),
        ("POST", "/api/v1/assessments"),
        ("GET", "/api/v1/assessments/1"),
        ("GET", "/api/v1/diary"),
        ("POST", "/api/v1/diary"),
        ("GET", "/api/v1/diary/1"),
        ("PUT", "/api/v1/diary/1"),
        ("DELETE", "/api/v1/diary/1"),
        ("POST", "/api/v1/visa-a"),
        ("GET", "/api/v1/progress"),
        ("GET", "/api/v1/export"),
        ("DELETE", "/api/v1/accounts/me"),
    ],
)
@pytest.mark.parametrize("auth", [None, "Bearer not-a-token", "Basic dXNlcjpwYXNz"])
def test_a_missing_or_wrong_token_is_401(
    records_app: FastAPI, method: str, path: str, auth: str | None
) -> None:
    headers = {"authorization": auth} if auth else {}
    r = TestClient(records_app).request(method, path, headers=headers, json={})
    assert r.status_code == 401
    assert r.json()["error"]["status"] == 401


def test_a_session_cookie_is_not_an_api_token(records_app: FastAPI) -> None:
    from web.people import Browser

    b = Browser(records_app).sign_up()
    cookie = b.client.cookies.get("heelpath_session")
    r = TestClient(records_app).get("/api/v1/diary", headers={"authorization": f"Bearer {cookie}"})
    assert r.status_code == 401


def test_assessments_are_kept_and_read_back(person: ApiUser) -> None:
    r = person.post("/api/v1/assessments", {"age": 30, "findings": {"pop_or_snap": True}})
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"id", "answer"} and body["answer"]["triage"]["level"] in (
        "urgent",
        "emergency",
    )
    listed = person.get("/api/v1/assessments").json()
    assert [a["id"] for a in listed][-1] == body["id"]
    one = person.get(f"/api/v1/assessments/{body['id']}").json()
    assert one["input"]["findings"] == {"pop_or_snap": True}
    r = person.post("/api/v1/assessments", {"findings": {}})
    assert r.status_code == 422 and r.json()["error"]["field"] == "age"


def test_a_persons_records_are_never_cached(person: ApiUser) -> None:
    r = person.post("/api/v1/assessments", {"age": 30, "findings": {"pop_or_snap": True}})
    assert r.status_code == 201 and r.headers["cache-control"] == "no-store"
    for path in (
        "/api/v1/assessments",
        f"/api/v1/assessments/{r.json()['id']}",
        "/api/v1/progress",
    ):
        assert person.get(path).headers["cache-control"] == "no-store", path


def test_the_diary_write_read_correct_delete(person: ApiUser) -> None:
    r = person.post(
        "/api/v1/diary", entry(1, done=["progressive_calf_strengthening"], notes="first")
    )
    assert r.status_code == 201
    eid = r.json()["id"]
    assert r.json()["retriage"] is None
    got = person.get(f"/api/v1/diary/{eid}").json()
    assert got["notes"] == "first" and got["date"] == day(1)
    r = person.post("/api/v1/diary", entry(1))
    assert r.status_code == 409 and r.json()["error"]["field"] == "date"
    r = person.put(f"/api/v1/diary/{eid}", entry(1, pain_morning=1, notes="corrected"))
    assert r.status_code == 200
    assert person.get(f"/api/v1/diary/{eid}").json()["notes"] == "corrected"
    assert [e["id"] for e in person.get("/api/v1/diary").json()] == [eid]
    assert person.delete(f"/api/v1/diary/{eid}").status_code == 204
    assert person.get(f"/api/v1/diary/{eid}").status_code == 404
    assert person.delete(f"/api/v1/diary/{eid}").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pain_morning": 11}, "pain_morning"),
        ({"pain_during": "4"}, "pain_during"),
        ({"date": "yesterday"}, "date"),
        ({"date": "2999-01-01"}, "date"),
        ({"done": ["not_a_plan_item"]}, "done.0"),
        ({"red_flags": ["diabetes"]}, "red_flags.0"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_diary_field_is_a_422_naming_it(
    person: ApiUser, changes: dict[str, Any], field: str
) -> None:
    r = person.post("/api/v1/diary", entry(2, **changes))
    assert r.status_code == 422
    assert r.json()["error"]["field"] == field


def test_the_diary_needs_a_saved_assessment_first(records_app: FastAPI) -> None:
    p = ApiUser(records_app)
    r = p.post("/api/v1/diary", entry(1))
    assert r.status_code == 409 and "assessment" in r.json()["error"]["message"]


def test_a_warning_sign_in_the_diary_re_runs_triage_at_once(person: ApiUser) -> None:
    before = person.get("/api/v1/assessments").json()[-1]["answer"]["triage"]["level"]
    assert before == "self_care"
    r = person.post("/api/v1/diary", entry(3, red_flags=["pop_or_snap", "cannot_bear_weight"]))
    assert r.status_code == 201
    retriage = r.json()["retriage"]
    assert retriage["triage"]["level"] in ("urgent", "emergency")
    latest = person.get("/api/v1/assessments").json()[-1]
    assert latest["input"]["findings"]["pop_or_snap"] is True
    assert (
        person.get(f"/api/v1/diary/{r.json()['id']}").json()["retriage_assessment_id"]
        == latest["id"]
    )
    progress = person.get("/api/v1/progress").json()
    assert progress["triage"]["level"] == retriage["triage"]["level"]
    # no loading exercises are given before being seen
    assert progress["today"]["exercises"] == []


def test_a_correction_that_adds_a_warning_sign_re_runs_triage(person: ApiUser) -> None:
    eid = person.post("/api/v1/diary", entry(4)).json()["id"]
    r = person.put(f"/api/v1/diary/{eid}", entry(4, red_flags=["calf_swelling_tenderness"]))
    assert r.status_code == 200 and r.json()["retriage"]["triage"]["level"] != "self_care"


def test_visa_a_is_scored_as_published(person: ApiUser) -> None:
    r = person.post("/api/v1/visa-a", {"date": day(0), "answers": VISA})
    assert r.status_code == 201 and r.json()["score"] == 47 and set(r.json()) == {"id", "score"}


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({**VISA, "q8": {"branch": "A", "points": 4}}, "answers.q8.points"),
        ({**VISA, "q8": {"branch": "C", "points": 30}}, "answers.q8.points"),
        ({**VISA, "q8": {"branch": "B", "points": 3}}, "answers.q8.points"),
        ({**VISA, "q8": {"branch": "D", "points": 0}}, "answers.q8.branch"),
        ({**VISA, "q7": 5}, "answers.q7"),
        ({**VISA, "q2": 11}, "answers.q2"),
        ({k: v for k, v in VISA.items() if k != "q5"}, "answers.q5"),
    ],
)
def test_a_bad_visa_a_item_is_a_422_naming_it(
    person: ApiUser, answers: dict[str, Any], field: str
) -> None:
    r = person.post("/api/v1/visa-a", {"date": day(0), "answers": answers})
    assert r.status_code == 422
    assert r.json()["error"]["field"] == field


def test_progress_gives_the_series_and_todays_exercises_with_the_reason(person: ApiUser) -> None:
    person.post(
        "/api/v1/diary",
        entry(
            2,
            pain_during=4,
            done=["progressive_calf_strengthening"],
            sets={"progressive_calf_strengthening": 3},
        ),
    )
    person.post("/api/v1/diary", entry(1, pain_morning=3, pain_during=None, pain_after=None))
    person.post("/api/v1/visa-a", {"date": day(1), "answers": VISA})
    p = person.get("/api/v1/progress").json()
    assert [pt["date"] for pt in p["pain"]] == [day(2), day(1)]
    assert p["visa_a"] == [{"date": day(1), "score": 47}]
    assert p["visa_a_meaningful_target"] == 57
    assert (
        p["today"]["action"] == "progress" and "settled by the next morning" in p["today"]["reason"]
    )
    hsr = next(
        x for x in p["today"]["exercises"] if x["intervention"] == "progressive_calf_strengthening"
    )
    assert hsr["last_sets"] == 3 and hsr["sets_today"] == 4
    assert p["adherence"] and p["escalation"] is None


def test_export_and_delete_me(person: ApiUser) -> None:
    person.post("/api/v1/diary", entry(5, notes="secret"))
    data = person.get("/api/v1/export").json()
    assert data["account"]["email"] == person.email and data["diary"][0]["notes"] == "secret"
    assert person.delete("/api/v1/accounts/me").status_code == 204
    assert person.get("/api/v1/export").status_code == 401
    r = person.client.post("/api/v1/tokens", json={"email": person.email, "password": PASSWORD})
    assert r.status_code == 401


def test_the_calls_are_in_the_openapi_schema(records_app: FastAPI) -> None:
    paths = TestClient(records_app).get("/openapi.json").json()["paths"]
    expected = {
        "/api/v1/accounts": {"post"},
        "/api/v1/tokens": {"post"},
        "/api/v1/assessments": {"get", "post"},
        "/api/v1/assessments/{assessment_id}": {"get"},
        "/api/v1/diary": {"get", "post"},
        "/api/v1/diary/{entry_id}": {"get", "put", "delete"},
        "/api/v1/visa-a": {"post"},
        "/api/v1/progress": {"get"},
        "/api/v1/export": {"get"},
        "/api/v1/accounts/me": {"delete"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    assert "201" in paths["/api/v1/diary"]["post"]["responses"]
    assert "401" in paths["/api/v1/diary"]["get"]["responses"]


def test_whole_numbers_written_with_a_point_are_whole_numbers(person: ApiUser) -> None:
    # JSON Schema's integer includes 3.0; 3.5, "3" and true are still refused
    r = person.post(
        "/api/v1/diary",
        entry(
            40,
            pain_morning=3.0,
            done=["progressive_calf_strengthening"],
            sets={"progressive_calf_strengthening": 2.0},
        ),
    )
    assert r.status_code == 201, r.text
    assert person.get(f"/api/v1/diary/{r.json()['id']}").json()["pain_morning"] == 3
    for bad in (3.5, "3", True):
        r = person.post("/api/v1/diary", entry(41, pain_morning=bad))
        assert r.status_code == 422 and r.json()["error"]["field"] == "pain_morning", bad
    answers = {**VISA, "q1": 6.0, "q7": 4.0, "q8": {"branch": "B", "points": 10.0}}
    r = person.post("/api/v1/visa-a", {"date": day(40), "answers": answers})
    assert r.status_code == 201, r.text
