"""The FHIR R4 export: every resource passes fhir.resources (R4B), every Bundle HL7's own JSON
schema and the required-binding value sets, and a Bundle gives back the input it came from."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports.hl7_schema import SCHEMA, schema_errors, validator
from exports.readback import dev_case_params
from heelpath.engine import Engine
from heelpath.errors import InvalidInput
from heelpath.exports.fhir import VisaA, build_bundle, bundle_to_input
from heelpath.exports.fhir_codes import INTERVIEW_URL, binding_errors
from heelpath.exports.fhir_questionnaire import interview_questionnaire
from strategies import inputs, visa_a_answers

WHEN = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)
VISA = VisaA(
    dt.date(2026, 3, 10),
    {"q1": 6, "q2": 5, "q3": 7, "q4": 4, "q5": 6, "q6": 5, "q7": 4,
     "q8": {"branch": "A", "points": 14}},
    51,
)  # fmt: skip


def r4b_errors(resource: dict[str, Any]) -> list[str]:
    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except Exception as exc:  # pydantic's ValidationError, or an unknown resource type
        return [f"{resource['resourceType']}: {exc}"]
    return []


def all_problems(bundle: dict[str, Any]) -> list[str]:
    problems = r4b_errors(bundle)
    for entry in bundle["entry"]:
        problems += r4b_errors(entry["resource"])
    return problems + schema_errors(bundle) + binding_errors(bundle)


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def same_input(data: dict[str, Any]) -> dict[str, Any]:
    """The input as it comes back: an empty shoe list means none given, as in the contract."""
    out = dict(data)
    if out.get("footwear") == []:
        del out["footwear"]
    return out


def test_the_vendored_schema_is_hl7s_r4_schema() -> None:
    digest = hashlib.sha256(SCHEMA.read_bytes()).hexdigest()
    assert digest == "15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d"
    assert json.loads(SCHEMA.read_text())["id"] == "http://hl7.org/fhir/json-schema/4.0"


@pytest.mark.parametrize("case", dev_case_params())
def test_each_dev_case_exports_a_valid_bundle_that_round_trips(
    engine: Engine, case: dict[str, Any]
) -> None:
    data = case["input"]
    answer = engine.assess(data)
    bundle = build_bundle(data, answer, engine.knowledge, when=WHEN, visa_a=VISA)
    assert all_problems(bundle) == []
    assert bundle_to_input(bundle, engine.knowledge) == same_input(data)

    (impression,) = resources(bundle, "ClinicalImpression")
    assert [f["itemCodeableConcept"]["coding"][0]["code"] for f in impression["finding"]] == [
        c["id"] for c in answer["conditions"]
    ]
    assert [f["extension"][0]["valueDecimal"] for f in impression["finding"]] == [
        c["probability"] for c in answer["conditions"]
    ]
    assert (
        impression["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]
        == (answer["triage"]["level"])
    )
    (plan,) = resources(bundle, "CarePlan")
    activities = [a["detail"] for a in plan["activity"]]
    items = [i for p in answer["plan"]["phases"] for i in p["items"]]
    done = [a for a in activities if not a.get("doNotPerform")]
    assert [a["code"]["coding"][0]["code"] for a in done] == [i["intervention"] for i in items]
    for activity, item in zip(done, items, strict=True):
        assert item["instructions"] in activity["description"]
        assert item.get("dose", "") in activity["description"]
    left_out = [a for a in activities if a.get("doNotPerform")]
    assert [a["reasonCode"][0]["text"] for a in left_out] == [
        a["reason"] for a in answer["plan"]["avoid"]
    ]


def test_pain_score_is_a_loinc_coded_observation(engine: Engine) -> None:
    data = {"age": 46, "findings": {"pain_at_insertion": True}, "pain_score": 7}
    bundle = build_bundle(data, engine.assess(data), engine.knowledge, when=WHEN)
    (pain,) = resources(bundle, "Observation")
    assert {"system": "http://loinc.org", "code": "72514-3"}.items() <= pain["code"]["coding"][
        0
    ].items()
    assert pain["valueInteger"] == 7
    assert pain["status"] == "final"
    without = build_bundle({**data, "pain_score": None}, engine.assess(data), engine.knowledge)
    assert resources(without, "Observation") == []


def test_visa_a_comes_as_a_questionnaire_response_and_a_total(engine: Engine) -> None:
    data = {"age": 30, "findings": {"pain_midportion": True}}
    bundle = build_bundle(data, engine.assess(data), engine.knowledge, when=WHEN, visa_a=VISA)
    (total,) = resources(bundle, "Observation")
    assert total["valueInteger"] == 51
    assert total["code"]["coding"][0]["code"] == "visa-a-total"
    responses = resources(bundle, "QuestionnaireResponse")
    (visa,) = [r for r in responses if r["questionnaire"] != INTERVIEW_URL]
    assert [i["linkId"] for i in visa["item"]] == ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"]
    assert total["derivedFrom"][0]["reference"] in {e["fullUrl"] for e in bundle["entry"]}


def test_the_questionnaire_asks_every_finding_and_passes_every_check(engine: Engine) -> None:
    q = interview_questionnaire(engine.knowledge)
    assert r4b_errors(q) == []
    assert list(validator().iter_errors(q)) == []
    assert binding_errors(q) == []
    asked = {i["linkId"] for g in q["item"] for i in g["item"]}
    assert {f.id for f in engine.knowledge.findings} <= asked
    assert {"age", "sex", "footwear", "work", "pain_score"} <= asked


def test_every_answer_in_a_response_is_a_question_of_the_questionnaire(engine: Engine) -> None:
    q = interview_questionnaire(engine.knowledge)
    groups = {g["linkId"]: {i["linkId"] for i in g["item"]} for g in q["item"]}
    data = {"age": 12, "sex": "male", "findings": {f.id: True for f in engine.knowledge.findings}}
    bundle = build_bundle(data, engine.assess(data), engine.knowledge, when=WHEN)
    (response,) = resources(bundle, "QuestionnaireResponse")
    for group in response["item"]:
        assert {i["linkId"] for i in group["item"]} <= groups[group["linkId"]]


def test_the_binding_check_catches_what_the_r4b_classes_let_through(engine: Engine) -> None:
    data = {"age": 46, "findings": {}}
    bundle = build_bundle(data, engine.assess(data), engine.knowledge, when=WHEN)
    (plan,) = resources(bundle, "CarePlan")
    plan["intent"] = "wish"
    plan["activity"][0]["detail"]["status"] = "someday"
    assert r4b_errors(plan) == []  # structure only: fhir.resources does not check value sets
    errors = binding_errors(bundle)
    assert any("intent: 'wish'" in e for e in errors)
    assert any("activity[0].detail.status: 'someday'" in e for e in errors)


def test_hl7s_schema_catches_a_broken_bundle(engine: Engine) -> None:
    data = {"age": 46, "findings": {"swelling": True}, "pain_score": 3}
    bundle = build_bundle(data, engine.assess(data), engine.knowledge, when=WHEN)
    broken = copy.deepcopy(bundle)
    (pain,) = resources(broken, "Observation")
    del pain["code"]  # Observation.code is required
    assert schema_errors(broken)
    assert any("'code' is a required property" in e for e in schema_errors(broken))
    extra = copy.deepcopy(bundle)
    resources(extra, "CarePlan")[0]["dose"] = "twice"
    assert schema_errors(extra)


BAD_BUNDLES: list[tuple[Any, str]] = [
    ([], "resourceType"),
    ({"resourceType": "Patient"}, "resourceType"),
    ({"resourceType": "Bundle", "type": "collection"}, "entry"),
    ({"resourceType": "Bundle", "entry": []}, "entry"),
]


@pytest.mark.parametrize(("bundle", "field"), BAD_BUNDLES)
def test_what_is_not_a_heelpath_bundle_is_refused_naming_why(
    engine: Engine, bundle: Any, field: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        bundle_to_input(bundle, engine.knowledge)
    assert err.value.field == field


def _tampered(engine: Engine, change: Any) -> dict[str, Any]:
    data = {"age": 46, "sex": "female", "findings": {"swelling": True}}
    bundle = build_bundle(data, engine.assess(data), engine.knowledge, when=WHEN)
    change(resources(bundle, "QuestionnaireResponse")[0])
    return bundle


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda r: r["item"][1]["item"][0].update(linkId="pain_in_elbow"), "linkId"),
        (lambda r: r["item"][1]["item"][0].update(answer=[{"valueString": "yes"}]), "answer"),
        (lambda r: r["item"][0]["item"][0].update(answer=[]), "answer"),
        (lambda r: r["item"][0]["item"].pop(0), "item"),
        (lambda r: r["item"][0]["item"][1].update(answer=[{"valueString": "F"}]), "answer"),
    ],
    ids=["unknown question", "not a boolean", "no answer", "no age", "sex not coded"],
)
def test_a_tampered_response_is_refused_naming_the_place(
    engine: Engine, change: Any, where: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        bundle_to_input(_tampered(engine, change), engine.knowledge)
    assert err.value.field.startswith("entry[1].resource.")
    assert err.value.field.endswith(where)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=inputs(), visa=st.none() | visa_a_answers())
def test_random_inputs_round_trip_and_pass_fhir_resources(
    engine: Engine, data: dict[str, Any], visa: dict[str, Any] | None
) -> None:
    record = None if visa is None else VisaA(dt.date(2026, 1, 5), visa, 50)
    bundle = build_bundle(data, engine.assess(data), engine.knowledge, when=WHEN, visa_a=record)
    assert bundle_to_input(bundle, engine.knowledge) == same_input(data)
    problems = r4b_errors(bundle) + binding_errors(bundle)
    for entry in bundle["entry"]:
        problems += r4b_errors(entry["resource"])
    assert problems == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=inputs(), visa=st.none() | visa_a_answers())
def test_random_inputs_give_bundles_that_pass_hl7s_schema(
    engine: Engine, data: dict[str, Any], visa: dict[str, Any] | None
) -> None:
    record = None if visa is None else VisaA(dt.date(2026, 1, 5), visa, 50)
    bundle = build_bundle(data, engine.assess(data), engine.knowledge, when=WHEN, visa_a=record)
    assert schema_errors(bundle) == []


def test_the_same_assessment_gives_the_same_bundle(engine: Engine) -> None:
    data = {"age": 46, "findings": {"pain_at_insertion": True}}
    first = build_bundle(data, engine.assess(data), engine.knowledge, when=WHEN)
    assert first == build_bundle(data, engine.assess(data), engine.knowledge, when=WHEN)
    urls = [e["fullUrl"] for e in first["entry"]]
    assert len(set(urls)) == len(urls)


def test_fhir_command_and_its_way_back(tmp_path: Path) -> None:
    data = {"age": 52, "sex": "female", "findings": {"pain_at_insertion": True}, "pain_score": 6,
            "footwear": ["dress"], "work": "seated"}  # fmt: skip
    source = tmp_path / "in.json"
    source.write_text(json.dumps(data))
    cmd = [sys.executable, "-m", "heelpath", "fhir"]
    out = subprocess.run([*cmd, str(source)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    bundle = json.loads(out.stdout)
    assert bundle["resourceType"] == "Bundle"
    saved = tmp_path / "bundle.json"
    saved.write_text(out.stdout)
    back = subprocess.run(
        [*cmd, "--to-input", str(saved)], capture_output=True, text=True, timeout=120
    )
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout) == data


def test_fhir_command_refuses_bad_input_with_status_2(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"resourceType": "Bundle", "entry": []}))
    run = subprocess.run(
        [sys.executable, "-m", "heelpath", "fhir", "--to-input", str(source)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "QuestionnaireResponse" in run.stderr
    assert run.stdout == ""


def test_a_follow_up_question_is_enabled_by_a_yes_to_the_one_it_follows(engine: Engine) -> None:
    q = interview_questionnaire(engine.knowledge)
    items = {i["linkId"]: i for g in q["item"] for i in g["item"]}
    height = items["fall_from_height"]
    assert height["enableWhen"] == [
        {"question": "fall_or_heel_impact", "operator": "=", "answerBoolean": True}
    ]
    assert "enableWhen" not in items["fall_or_heel_impact"]
    assert binding_errors(q) == []
    height["enableWhen"][0]["operator"] = "is"
    assert any("enableWhen[0].operator: 'is'" in e for e in binding_errors(q))


def test_a_fall_from_a_height_alone_exports_with_the_fall_it_implies(engine: Engine) -> None:
    data = {"age": 52, "findings": {"fall_from_height": True}}
    bundle = build_bundle(data, engine.assess(data), engine.knowledge, when=WHEN)
    assert all_problems(bundle) == []
    back = bundle_to_input(bundle, engine.knowledge)
    # the response answers the fall as well, so the follow-up is never an answer to a
    # disabled question; read back it is the same case
    assert back["findings"] == {"fall_or_heel_impact": True, "fall_from_height": True}
    assert engine.parse(back) == engine.parse(data)


def test_a_fall_from_a_height_with_no_fall_is_refused_on_the_way_back(engine: Engine) -> None:
    data = {"age": 52, "findings": {"fall_or_heel_impact": True, "fall_from_height": True}}
    bundle = build_bundle(data, engine.assess(data), engine.knowledge, when=WHEN)
    (response,) = resources(bundle, "QuestionnaireResponse")
    for group in response["item"]:
        for item in group["item"]:
            if item["linkId"] == "fall_or_heel_impact":
                item["answer"] = [{"valueBoolean": False}]
    with pytest.raises(InvalidInput) as err:
        engine.parse(bundle_to_input(bundle, engine.knowledge))
    assert err.value.field == "findings.fall_from_height"
    assert "findings.fall_or_heel_impact" in err.value.message
