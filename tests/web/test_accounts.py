"""Accounts in the browser, on SQLite and PostgreSQL: sign up, in and out, the session
cookie, CSRF on every form, the sign-in limit, download and delete, and saving an
anonymous assessment afterwards."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from heelpath.store import accounts
from heelpath.web import answers_cookie
from web.people import PASSWORD, Browser, csrf, new_email

FORMS = [
    ("/signup", {"email": "x@example.com", "password": PASSWORD, "consent": "yes"}),
    ("/signin", {"email": "x@example.com", "password": PASSWORD}),
    ("/signout", {}),
    ("/my/assessments", {"age": "46"}),
    ("/diary", {"date": "2026-01-01", "pain_morning": "3"}),
    ("/diary/1", {"date": "2026-01-01", "pain_morning": "3"}),
    ("/diary/1/delete", {}),
    ("/visa-a", {"date": "2026-01-01"}),
    ("/account/delete", {"confirm": "yes"}),
]


def test_sign_up_sets_a_secure_httponly_samesite_session_cookie(records_app: FastAPI) -> None:
    client = TestClient(records_app, base_url="https://testserver", follow_redirects=False)
    token = csrf(client, "/signup")
    r = client.post(
        "/signup",
        data={"csrf_token": token, "email": new_email(), "password": PASSWORD, "consent": "yes"},
    )
    assert r.status_code == 303
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("heelpath_session="))
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "samesite"} <= flags
    assert "samesite=lax" in cookie.lower()
    assert client.get("/progress").status_code == 200


def test_sign_up_needs_consent_and_names_bad_fields(records_app: FastAPI) -> None:
    b = Browser(records_app)
    r = b.post("/signup", {"email": "nope", "password": "short"})
    assert r.status_code == 422
    assert "Email must be an email address" in r.text
    assert "Password must be" in r.text
    assert "Please tick the box" in r.text


def test_sign_in_and_out(records_app: FastAPI) -> None:
    b = Browser(records_app).sign_up()
    assert b.post("/signout", {}).status_code == 303
    assert b.client.get("/progress").headers["location"] == "/signin?next=/progress"
    r = b.post("/signin", {"email": b.email, "password": PASSWORD, "next": "/diary"})
    assert r.status_code == 303 and r.headers["location"] == "/diary"
    assert b.client.get("/diary").status_code == 200


def test_sign_in_never_redirects_off_the_site(records_app: FastAPI) -> None:
    b = Browser(records_app).sign_up()
    b.post("/signout", {})
    r = b.post("/signin", {"email": b.email, "password": PASSWORD, "next": "//evil.example"})
    assert r.headers["location"] == "/progress"


def test_a_signed_out_session_cannot_be_replayed(records_app: FastAPI) -> None:
    b = Browser(records_app).sign_up()
    stolen = b.client.cookies.get("heelpath_session")
    b.post("/signout", {})
    thief = TestClient(records_app, follow_redirects=False, cookies={"heelpath_session": stolen})
    assert thief.get("/progress").status_code == 303


@pytest.mark.parametrize(("path", "fields"), FORMS, ids=[p for p, _ in FORMS])
def test_every_form_refuses_a_post_without_the_csrf_token(
    records_app: FastAPI, path: str, fields: dict[str, str]
) -> None:
    b = Browser(records_app).sign_up()
    b.client.get("/signin")  # has the CSRF cookie
    assert b.client.post(path, data=fields).status_code == 403
    assert b.client.post(path, data={**fields, "csrf_token": "0" * 64}).status_code == 403
    # a token from another browser does not fit this browser's cookie
    other = Browser(records_app)
    assert b.client.post(path, data={**fields, "csrf_token": other.token()}).status_code == 403


def test_every_form_page_carries_the_csrf_token(records_app: FastAPI) -> None:
    b = Browser(records_app).sign_up()
    b.save_assessment()
    for path in ("/signup", "/signin", "/account", "/diary/new", "/visa-a", "/progress"):
        html = b.client.get(path).text
        forms = html.count('method="post"')
        assert forms and html.count('name="csrf_token"') == forms, path


def test_wrong_passwords_are_limited_per_email_in_the_database(records_app: FastAPI) -> None:
    b = Browser(records_app).sign_up()
    b.post("/signout", {})
    for _ in range(accounts.MAX_FAILURES_PER_EMAIL):
        assert (
            b.post("/signin", {"email": b.email, "password": "wrong password"}).status_code == 401
        )
    r = b.post("/signin", {"email": b.email, "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    # a second app over the same database (another process) keeps the same count
    api = TestClient(records_app)
    r = api.post("/api/v1/tokens", json={"email": b.email, "password": PASSWORD})
    assert r.status_code == 429


def test_saving_an_anonymous_assessment_after_signing_up(records_app: FastAPI) -> None:
    anon = Browser(records_app)
    r = anon.post("/my/assessments", {"age": "46", "q_pain_at_insertion": "yes"})
    assert r.status_code == 303 and r.headers["location"].startswith("/signup")
    assert "heelpath_pending=" in r.headers["set-cookie"]
    token = anon.token()
    r = anon.client.post(
        "/signup",
        data={"csrf_token": token, "email": anon.email, "password": PASSWORD, "consent": "yes"},
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/my/assessments/")
    page = anon.client.get(r.headers["location"])
    assert page.status_code == 200 and "Insertional Achilles tendinopathy" in page.text


def test_saving_without_an_age_is_refused_by_name(records_app: FastAPI) -> None:
    b = Browser(records_app).sign_up()
    r = b.post("/my/assessments", {"q_pain_at_insertion": "yes"})
    assert r.status_code == 422 and "age" in r.text


def test_download_my_data_and_delete_my_account(records_app: FastAPI) -> None:
    b = Browser(records_app).sign_up()
    b.save_assessment()
    r = b.post("/diary", {"date": "2026-01-02", "pain_morning": "3", "notes": "mine"})
    assert r.status_code == 303
    r = b.client.get("/account/export")
    assert "attachment" in r.headers["content-disposition"]
    data = json.loads(r.text)
    assert data["account"]["email"] == b.email
    assert len(data["assessments"]) == 1 and data["diary"][0]["notes"] == "mine"
    assert b.post("/account/delete", {}).status_code == 422  # not confirmed
    r = b.post("/account/delete", {"confirm": "yes"})
    assert r.status_code == 200 and "deleted" in r.text
    assert b.client.get("/progress").status_code == 303
    again = Browser(records_app, b.email)
    assert again.post("/signin", {"email": b.email, "password": PASSWORD}).status_code == 401


def test_the_privacy_page_states_retention_and_consent(records_app: FastAPI) -> None:
    html = TestClient(records_app).get("/privacy").text
    assert f"{accounts.PENDING_ASSESSMENT_HOURS} hours" in html
    assert "until you delete your account" in html
    assert "Backups are kept for 35 days" in html
    # the interview's answers cookie: what it holds, that it is signed, not on the server
    assert "kept in one cookie in your own browser" in html and "signed" in html
    assert f"deleted after {answers_cookie.MAX_AGE_SECONDS // 3600} hours" in html
