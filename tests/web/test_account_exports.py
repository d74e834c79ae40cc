"""A signed-in person's take-aways: a saved plan as a PDF with their charts, and as a FHIR
record; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi import FastAPI

from exports.hl7_schema import schema_errors
from exports.readback import pdf_text
from heelpath.exports.fhir_codes import binding_errors
from web.people import Browser

DAYS = [(dt.date.today() - dt.timedelta(days=n)).isoformat() for n in (3, 2, 1)]


def _person(app: FastAPI) -> tuple[Browser, int]:
    p = Browser(app).sign_up()
    saved = p.save_assessment(q_pain_midportion="yes", pain_score="6")
    for day, pain in zip(DAYS, ("6", "5", "3"), strict=True):
        assert p.post("/diary", {"date": day, "pain_morning": pain}).status_code == 303
    return p, saved


@pytest.mark.usefixtures("poppler")
def test_a_saved_plan_prints_with_the_persons_pain_chart(records_app: FastAPI) -> None:
    p, saved = _person(records_app)
    r = p.client.get(f"/my/assessments/{saved}/plan.pdf")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    text = pdf_text(r.content)
    assert "Your care plan" in text
    assert "Your progress" in text
    assert "Worst pain each day (0-10)" in text
    assert "3 days from" in text  # the chart's sentence, as on the progress page
    assert f"/my/assessments/{saved}/plan.pdf" in p.client.get(f"/my/assessments/{saved}").text


def test_a_saved_assessment_downloads_as_a_fhir_record(records_app: FastAPI) -> None:
    p, saved = _person(records_app)
    r = p.client.get(f"/my/assessments/{saved}/record.json")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/fhir+json"
    bundle = r.json()
    assert schema_errors(bundle) == []
    assert binding_errors(bundle) == []
    other = Browser(records_app).sign_up()
    assert other.client.get(f"/my/assessments/{saved}/record.json").status_code == 404
    assert other.client.get(f"/my/assessments/{saved}/plan.pdf").status_code == 404
