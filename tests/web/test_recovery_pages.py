"""The diary, VISA-A and progress pages, on SQLite and PostgreSQL: plain forms that work with
JavaScript off, charts a screen reader can read, and the safety prompts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from heelpath.store import models
from web.people import Browser

TODAY = dt.date.today()


def day(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


def signed_up_with_assessment(app: FastAPI) -> Browser:
    b = Browser(app).sign_up()
    b.save_assessment()
    return b


def test_the_diary_needs_a_saved_assessment_first(records_app: FastAPI) -> None:
    b = Browser(records_app).sign_up()
    assert "save a result first" in b.client.get("/diary").text
    r = b.post("/diary", {"date": day(1), "pain_morning": "3"})
    assert r.status_code == 409


def test_writing_and_correcting_a_day(records_app: FastAPI) -> None:
    b = signed_up_with_assessment(records_app)
    form = b.client.get("/diary/new").text
    assert 'name="done" value="progressive_calf_strengthening"' in form
    r = b.post(
        "/diary",
        [
            ("date", day(1)),
            ("pain_morning", "3"),
            ("pain_during", "4"),
            ("pain_after", "2"),
            ("done", "progressive_calf_strengthening"),
            ("sets_progressive_calf_strengthening", "3"),
            ("ice", "yes"),
            ("notes", "first day"),
        ],
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/progress")
    listing = b.client.get("/diary").text
    entry_id = re.search(r'href="/diary/(\d+)"', listing).group(1)  # type: ignore[union-attr]
    edit = b.client.get(f"/diary/{entry_id}").text
    assert "first day" in edit and 'value="3" selected' in edit
    r = b.post(f"/diary/{entry_id}", {"date": day(1), "pain_morning": "2", "notes": "fixed"})
    assert r.status_code == 303
    assert "fixed" in b.client.get(f"/diary/{entry_id}").text
    r = b.post("/diary", {"date": day(1), "pain_morning": "5"})
    assert r.status_code == 409 and "already an entry for that day" in r.text
    assert b.post(f"/diary/{entry_id}/delete", {}).status_code == 303
    assert b.client.get(f"/diary/{entry_id}").status_code == 404


def test_a_bad_diary_field_is_named_on_the_form(records_app: FastAPI) -> None:
    b = signed_up_with_assessment(records_app)
    r = b.post("/diary", {"date": day(1), "pain_morning": "eleven"})
    assert r.status_code == 422 and 'href="#pain_morning"' in r.text


# the digits str.isdigit() accepts and int() refuses, and more digits than int() reads
ODD_NUMBERS = ["²", "٣", "𝟗", "9" * 5000, "-1", "3.0", " 3 x"]


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_an_odd_number_on_the_diary_form_is_named_never_a_500(
    records_app: FastAPI, value: str
) -> None:
    b = signed_up_with_assessment(records_app)
    r = b.post("/diary", {"date": day(1), "pain_morning": value})
    assert r.status_code == 422 and 'href="#pain_morning"' in r.text
    r = b.post(
        "/diary",
        {"date": day(1), "pain_morning": "3", "sets_progressive_calf_strengthening": value},
    )
    assert r.status_code == 422, r.text[:300]


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_an_odd_number_on_the_visa_a_form_is_named_never_a_500(
    records_app: FastAPI, value: str
) -> None:
    b = signed_up_with_assessment(records_app)
    answers = {"date": day(0), "q1": "6", "q2": "7", "q3": "5", "q4": "8", "q5": "4"}
    answers |= {"q6": "3", "q7": "4", "q8_branch": "B"}
    r = b.post("/visa-a", {**answers, "q3": value, "q8_b": "10"})
    assert r.status_code == 422 and "Question 3" in r.text
    r = b.post("/visa-a", {**answers, "q8_b": value})
    assert r.status_code == 422 and "Question 8" in r.text


def test_a_warning_sign_ticked_in_the_diary_shows_the_new_advice_at_once(
    records_app: FastAPI,
) -> None:
    b = signed_up_with_assessment(records_app)
    r = b.post(
        "/diary",
        [
            ("date", day(2)),
            ("pain_morning", "3"),
            ("red_flags", "pop_or_snap"),
            ("red_flags", "cannot_bear_weight"),
        ],
    )
    assert r.status_code == 200
    assert "a warning sign changed your advice" in r.text
    assert "Get seen in person today" in r.text or "Call emergency services now" in r.text
    progress = b.client.get("/progress").text
    assert "Your latest advice" in progress
    assert "Your plan has no exercises for now: get seen first" in progress


def test_visa_a_page_scores_and_names_a_bad_item(records_app: FastAPI) -> None:
    b = signed_up_with_assessment(records_app)
    page = b.client.get("/visa-a").text
    assert page.count('type="radio" id="q8a-') == 5 and 'name="q8_branch"' in page
    answers = {
        "date": day(0),
        "q1": "6",
        "q2": "7",
        "q3": "5",
        "q4": "8",
        "q5": "4",
        "q6": "3",
        "q7": "4",
        "q8_branch": "B",
        "q8_b": "10",
    }
    r = b.post("/visa-a", {**answers, "q8_b": "7"})  # 7 is an A/C value, not a B one
    assert r.status_code == 422 and "Question 8" in r.text and 'href="#q8"' in r.text
    r = b.post("/visa-a", {k: v for k, v in answers.items() if k != "q3"})
    assert r.status_code == 422 and "Question 3" in r.text
    assert b.post("/visa-a", answers).status_code == 303
    assert "47 out of 100" in b.client.get("/visa-a").text


def test_progress_charts_are_accessible_svg_with_the_mcid_marked(records_app: FastAPI) -> None:
    b = signed_up_with_assessment(records_app)
    for n, (pain, during) in enumerate([(5, 5), (4, 4), (4, 3)]):
        b.post(
            "/diary",
            [
                ("date", day(4 - n)),
                ("pain_morning", str(pain)),
                ("pain_during", str(during)),
                ("done", "progressive_calf_strengthening"),
                ("sets_progressive_calf_strengthening", "3"),
            ],
        )
    b.post("/diary", {"date": day(1), "pain_morning": "3"})  # settled by the next morning
    visa = {
        "q1": "5",
        "q2": "5",
        "q3": "5",
        "q4": "5",
        "q5": "5",
        "q6": "5",
        "q7": "4",
        "q8_branch": "B",
        "q8_b": "10",
    }
    b.post("/visa-a", {**visa, "date": day(4)})
    b.post("/visa-a", {**visa, "date": day(1), "q1": "9"})
    html = b.client.get("/progress").text
    svgs = re.findall(r"<svg class=\"chart\"[^>]*>.*?</svg>", html, re.S)
    assert len(svgs) == 3
    for svg in svgs:
        assert 'role="img"' in svg and "<title " in svg and "<desc " in svg
        assert "style=" not in svg  # the CSP allows no inline style
    assert "real change: 54" in html  # first score 44 + 10
    assert "7-day average" in html and "<table" in html
    assert "4 sets today (last time 3)" in html, re.search(
        r"data-action.{0,400}", html, re.S
    ).group(0)  # type: ignore[union-attr]


def test_no_improvement_after_six_weeks_prompts_a_visit_on_the_page(records_app: FastAPI) -> None:
    b = signed_up_with_assessment(records_app)
    with records_app.state.db.transaction() as s:
        user_id = s.scalar(select(models.User.id).where(models.User.email == b.email))
        s.execute(
            update(models.Assessment)
            .where(models.Assessment.user_id == user_id)
            .values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=50))
        )
    html = b.client.get("/progress").text
    assert "Time to get it checked" in html  # no diary at all is no improvement either
    for n in (49, 48, 2, 1):
        b.post("/diary", {"date": day(n), "pain_morning": "6", "pain_during": "6"})
    html = b.client.get("/progress").text
    assert "Time to get it checked" in html and "podiatrist" in html
    assert "Your pain has not come down clearly" in html


def test_pages_with_records_are_not_cached(records_app: FastAPI) -> None:
    b = signed_up_with_assessment(records_app)
    for path in ("/progress", "/diary", "/visa-a", "/account", "/my/assessments"):
        assert b.client.get(path).headers["cache-control"] == "no-store", path
