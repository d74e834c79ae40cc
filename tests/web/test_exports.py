"""The web app's exports: the plan as a PDF beside Print, and the interview as a Questionnaire."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from exports.hl7_schema import schema_errors, validator
from exports.readback import pdf_text
from heelpath.exports.fhir import bundle_to_input
from heelpath.exports.fhir_codes import INTERVIEW_URL, binding_errors
from heelpath.knowledge import Knowledge
from web.webform import Walker, post_form

ABOUT: dict[str, str | list[str]] = {"age": "46", "sex": "female", "footwear": ["dress"]}


def test_the_result_offers_the_pdf_beside_print(walker: Walker) -> None:
    page = walker.answer_all(ABOUT, yes={"pain_at_insertion"})
    actions = page.html[page.html.index('class="actions') :]
    assert 'formaction="/assess/plan.pdf"' in actions
    assert actions.index("Print this page") < actions.index("Download the plan (PDF)")


@pytest.mark.usefixtures("poppler")
def test_the_pdf_button_downloads_the_plan_of_these_answers(
    walker: Walker, client: TestClient
) -> None:
    page = walker.answer_all(ABOUT, yes={"chest_pain_or_breathless", "calf_swelling_tenderness"})
    r = post_form(client, page.fields, path="/assess/plan.pdf")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"].startswith('attachment; filename="heelpath-plan-')
    assert r.headers["cache-control"] == "no-store"
    text = pdf_text(r.content)
    assert "Call emergency services now" in text
    assert "Your care plan" in text


def test_the_pdf_without_an_age_goes_back_to_ask_for_it(client: TestClient) -> None:
    r = post_form(client, [("q_pain_at_insertion", "yes")], path="/assess/plan.pdf")
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    assert "There is a problem" in r.text


def test_the_interview_questionnaire_is_served_as_fhir(client: TestClient) -> None:
    r = client.get("/fhir/Questionnaire/heelpath-interview")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/fhir+json"
    q = r.json()
    assert q["url"] == INTERVIEW_URL
    assert list(validator().iter_errors(q)) == []
    assert binding_errors(q) == []


def test_the_clinic_record_button_downloads_a_bundle_of_these_answers(
    walker: Walker, client: TestClient, knowledge: Knowledge
) -> None:
    page = walker.answer_all(ABOUT, yes={"pain_at_insertion"}, no={"palpable_gap"})
    assert 'formaction="/assess/record.json"' in page.html
    r = post_form(client, page.fields, path="/assess/record.json")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/fhir+json"
    assert r.headers["content-disposition"].endswith('.fhir.json"')
    bundle = r.json()
    assert schema_errors(bundle) == []
    assert binding_errors(bundle) == []
    assert bundle_to_input(bundle, knowledge) == {
        "age": 46,
        "sex": "female",
        "findings": {"palpable_gap": False, "pain_at_insertion": True},
        "footwear": ["dress"],
    }


def test_a_stale_height_answer_after_the_fall_is_changed_to_no_still_downloads(
    client: TestClient, knowledge: Knowledge
) -> None:
    # "from a height" was answered after a fall, then the fall changed to "no": the record
    # carries no contradiction (and no 422); the height no longer applies
    fields = [
        ("age", "46"),
        ("q_fall_or_heel_impact", "no"),
        ("q_fall_from_height", "yes"),
        ("q_pain_at_insertion", "yes"),
    ]
    r = post_form(client, fields, path="/assess/record.json")
    assert r.status_code == 200
    assert bundle_to_input(r.json(), knowledge)["findings"] == {
        "fall_or_heel_impact": False,
        "pain_at_insertion": True,
    }
