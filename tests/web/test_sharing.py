"""Sharing with a clinic, through the pages and the API, on SQLite and PostgreSQL: share codes
are short, expiring and single-use; a clinician sees only the people who shared with them,
read-only; a revocation holds on the very next request; every view is in the person's log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from fastapi import FastAPI
from sqlalchemy import update

from exports.hl7_schema import schema_errors
from heelpath.exports.fhir_codes import binding_errors
from heelpath.store import models, sharing
from heelpath.store.accounts import MAX_FAILURES_PER_EMAIL
from web.people import ApiUser, Browser, clinician, make_code, share_with_a_clinician

YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()
NOTE = "Calf tight after the 5k, 4f9a"


def person_with_diary(app: FastAPI) -> Browser:
    p = Browser(app).sign_up()
    p.save_assessment()
    r = p.post("/diary", {"date": YESTERDAY, "pain_morning": "4", "notes": NOTE})
    assert r.status_code == 303, r.text
    return p


def person_id(app: FastAPI, who: Browser) -> int:
    from sqlalchemy import select

    with app.state.db.transaction() as s:
        uid = s.scalar(select(models.User.id).where(models.User.email == who.email))
    assert uid is not None
    return uid


def test_a_share_code_is_short_readable_and_shown_once(records_app: FastAPI) -> None:
    p = person_with_diary(records_app)
    code = make_code(p)
    assert re.fullmatch(r"[A-HJKMNP-TV-Z2-9]{4}-[A-HJKMNP-TV-Z2-9]{4}", code)
    assert code not in p.client.get("/account/sharing").text
    with records_app.state.db.transaction() as s:
        stored = [c.code_hash for c in s.query(models.ShareCode).all()]
    assert code.replace("-", "") not in " ".join(stored)  # only its hash is kept


def test_the_clinician_sees_the_diary_read_only_and_the_view_is_logged(
    records_app: FastAPI,
) -> None:
    p = person_with_diary(records_app)
    c = clinician(records_app, "Dr Ada Stone, Northside Podiatry")
    share_with_a_clinician(records_app, p, to=c)
    pid = person_id(records_app, p)
    page = c.client.get(f"/clinic/people/{pid}")
    assert page.status_code == 200
    assert NOTE in page.text
    assert "<form" not in page.text.split("<main", 1)[1].split("</main>")[0]  # nothing to change
    assert p.email in c.client.get("/clinic").text
    log = p.client.get("/account/sharing").text
    assert "Dr Ada Stone, Northside Podiatry" in log
    assert "viewed the assessments, diary and charts" in log
    rows = list(csv.reader(io.StringIO(c.client.get(f"/clinic/people/{pid}/diary.csv").text)))
    assert rows[1][0] == YESTERDAY and rows[1][-1] == NOTE
    assert "downloaded the diary (CSV)" in p.client.get("/account/sharing").text


def test_revoking_ends_access_on_the_next_request(records_app: FastAPI) -> None:
    p = person_with_diary(records_app)
    c = clinician(records_app)
    share_id = share_with_a_clinician(records_app, p, to=c)
    pid = person_id(records_app, p)
    assert c.client.get(f"/clinic/people/{pid}").status_code == 200
    r = p.post(f"/account/sharing/{share_id}/revoke", {})
    assert r.status_code == 303
    for path in (f"/clinic/people/{pid}", f"/clinic/people/{pid}/diary.csv"):
        gone, never = c.client.get(path), c.client.get(path.replace(str(pid), str(2**31 - 1)))
        assert gone.status_code == 404
        assert gone.text == never.text  # as if the person did not exist
    assert p.email not in c.client.get("/clinic").text
    assert "Nobody: your records are yours alone." in p.client.get("/account/sharing").text
    # revoking twice, or someone else's share, is not found
    assert p.post(f"/account/sharing/{share_id}/revoke", {}).status_code == 404


def test_a_code_works_once(records_app: FastAPI) -> None:
    p = person_with_diary(records_app)
    code = make_code(p)
    first, second = clinician(records_app), clinician(records_app)
    assert first.post("/clinic/codes", {"code": code}).status_code == 303
    again = second.post("/clinic/codes", {"code": code})
    assert again.status_code == 422
    assert "does not work" in again.text
    assert second.client.get(f"/clinic/people/{person_id(records_app, p)}").status_code == 404


def test_an_expired_code_does_not_work(records_app: FastAPI) -> None:
    p = person_with_diary(records_app)
    code = make_code(p)
    with records_app.state.db.transaction() as s:
        s.execute(
            update(models.ShareCode).values(
                expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
            )
        )
    r = clinician(records_app).post("/clinic/codes", {"code": code})
    assert r.status_code == 422


def test_a_code_is_forgiving_of_case_spaces_and_dashes(records_app: FastAPI) -> None:
    p = person_with_diary(records_app)
    code = make_code(p)
    typed = " " + code.lower().replace("-", " ") + " "
    assert clinician(records_app).post("/clinic/codes", {"code": typed}).status_code == 303


def test_guessing_codes_is_stopped(records_app: FastAPI) -> None:
    c = clinician(records_app)
    for _ in range(MAX_FAILURES_PER_EMAIL):
        assert c.post("/clinic/codes", {"code": "AAAA-AAAA"}).status_code == 422
    p = person_with_diary(records_app)
    blocked = c.post("/clinic/codes", {"code": make_code(p)})
    assert blocked.status_code == 429
    assert "try again in" in blocked.text


def test_only_a_clinician_can_redeem_a_code(records_app: FastAPI) -> None:
    p = person_with_diary(records_app)
    someone = Browser(records_app).sign_up()
    assert someone.post("/clinic/codes", {"code": make_code(p)}).status_code == 403
    assert someone.client.get(f"/clinic/people/{person_id(records_app, p)}").status_code == 404


def test_a_clinician_sees_only_the_people_who_shared_with_them(records_app: FastAPI) -> None:
    shared, other = person_with_diary(records_app), person_with_diary(records_app)
    c = clinician(records_app)
    share_with_a_clinician(records_app, shared, to=c)
    share_with_a_clinician(records_app, other)  # with another clinician
    clinic = c.client.get("/clinic").text
    assert shared.email in clinic and other.email not in clinic
    assert c.client.get(f"/clinic/people/{person_id(records_app, other)}").status_code == 404
    assert c.email not in other.client.get("/account/sharing").text


def test_deleting_either_account_ends_the_share_and_keeps_the_persons_log(
    records_app: FastAPI,
) -> None:
    p = person_with_diary(records_app)
    c = clinician(records_app, "Dr Lee Marsh")
    share_with_a_clinician(records_app, p, to=c)
    assert c.client.get(f"/clinic/people/{person_id(records_app, p)}").status_code == 200
    r = c.post("/account/delete", {"confirm": "yes"})
    assert r.status_code in (200, 303)
    page = p.client.get("/account/sharing").text
    assert "Nobody: your records are yours alone." in page
    assert "Dr Lee Marsh" in page  # the log keeps who looked, after they left


def test_the_diary_as_csv_for_the_person_and_through_the_api(records_app: FastAPI) -> None:
    p = person_with_diary(records_app)
    r = p.post("/diary", {"date": dt.date.today().isoformat(), "pain_morning": "2",
                          "notes": "=HYPERLINK(\"http://x\")"})  # fmt: skip
    assert r.status_code == 303
    download = p.client.get("/diary.csv")
    assert download.headers["content-type"].startswith("text/csv")
    assert download.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(download.text)))
    assert rows[0][:2] == ["date", "pain_morning"]
    assert [r[0] for r in rows[1:]] == [YESTERDAY, dt.date.today().isoformat()]
    assert rows[2][-1] == '\'=HYPERLINK("http://x")'  # never a formula in a spreadsheet

    api = ApiUser(records_app)
    assert api.post("/api/v1/assessments", {"age": 40, "findings": {}}).status_code == 201
    assert api.post("/api/v1/diary", {"date": YESTERDAY, "pain_morning": 3}).status_code == 201
    got = api.get("/api/v1/diary.csv")
    assert got.status_code == 200
    assert list(csv.reader(io.StringIO(got.text)))[1][:2] == [YESTERDAY, "3"]


def test_a_saved_assessment_as_fhir_through_the_api(records_app: FastAPI) -> None:
    api = ApiUser(records_app)
    saved = api.post(
        "/api/v1/assessments", {"age": 41, "findings": {"pain_midportion": True}, "pain_score": 5}
    )
    visa = {"q1": 6, "q2": 5, "q3": 7, "q4": 4, "q5": 6, "q6": 5, "q7": 4,
            "q8": {"branch": "A", "points": 14}}  # fmt: skip
    assert api.post("/api/v1/visa-a", {"date": YESTERDAY, "answers": visa}).status_code == 201
    r = api.get(f"/api/v1/assessments/{saved.json()['id']}/fhir")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/fhir+json"
    bundle = r.json()
    assert schema_errors(bundle) == []
    assert binding_errors(bundle) == []
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") == 2  # the interview and the VISA-A
    assert kinds.count("Observation") == 2  # the pain score and the VISA-A total
    other = ApiUser(records_app)
    assert other.get(f"/api/v1/assessments/{saved.json()['id']}/fhir").status_code == 404


@pytest.mark.parametrize("raw", ["", "abc", None, 7, "ABCD-EFGH-IJKL-MNOP-QRST"])
def test_codes_are_normalised_without_surprises(raw: object) -> None:
    code = sharing.normalise_code(raw)
    assert isinstance(code, str)
    assert len(code) <= sharing.CODE_LENGTH + 8
    assert "-" not in code and " " not in code
