"""An assessment as a FHIR R4 Bundle, and a Bundle back to the assessment input.

``heelpath fhir INPUT.json`` prints a Bundle of type ``collection`` holding:

- a Patient (no name or identifier: only the sex the person gave, if any);
- a QuestionnaireResponse of the interview answers (``fhir_questionnaire.py``);
- an Observation of the pain score (LOINC 72514-3), when one was given;
- a QuestionnaireResponse and an Observation of the VISA-A total, when there is one;
- a ClinicalImpression: the triage level and why, and the differential, each
  condition a finding with its probability;
- a CarePlan: every plan item an activity with its instructions and dose (the
  phase as its schedule), and every item left out a ``doNotPerform`` activity
  with the reason.

Every resource has the R4 shape that ``fhir.resources.R4B`` and HL7's R4 JSON
schema check (``tests/exports/test_fhir.py``); ``fhir_codes.binding_errors``
checks the required-binding codes. ``bundle_to_input`` reads the interview
answers back out of such a Bundle.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from heelpath.errors import InvalidInput
from heelpath.exports.fhir_codes import (
    CONDITION_SYSTEM,
    INTERVENTION_SYSTEM,
    INTERVIEW_URL,
    OBSERVATION_CATEGORY,
    PAIN_SCORE_CODES,
    PROBABILITY_EXTENSION,
    TRIAGE_EXTENSION,
    TRIAGE_SYSTEM,
    VISA_A_CODES,
    VISA_A_URL,
)
from heelpath.exports.fhir_questionnaire import input_from_response, interview_response
from heelpath.knowledge.model import Knowledge

# fullUrls are name-based UUIDs of the input: the same assessment gives the same Bundle
NAMESPACE = uuid.UUID("5b0f3e36-6c1e-4c52-9b7e-2f1f0f3c8a11")
VISA_A_ITEMS = ("q1", "q2", "q3", "q4", "q5", "q6", "q7")


@dataclass(frozen=True, slots=True)
class VisaA:
    """One VISA-A questionnaire: items q1-q7 (points) and q8 (branch A, B or C, and its
    points), and the total score, 0-100, as the tracking code scored it."""

    date: dt.date
    answers: Mapping[str, Any]
    score: int


def _survey() -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]


def _observation(
    codes: tuple[dict[str, str], ...], value: int, subject: str, when: str, derived: str | None
) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": _survey(),
        "code": {"coding": list(codes), "text": codes[0]["display"]},
        "subject": {"reference": subject},
        "effectiveDateTime": when,
        "valueInteger": value,
    }
    if derived is not None:
        obs["derivedFrom"] = [{"reference": derived}]
    return obs


def _visa_a_response(visa: VisaA, subject: str) -> dict[str, Any]:
    items: list[dict[str, Any]] = [
        {"linkId": q, "answer": [{"valueInteger": int(visa.answers[q])}]}
        for q in VISA_A_ITEMS
        if q in visa.answers
    ]
    q8 = visa.answers.get("q8")
    if isinstance(q8, Mapping):
        items.append(
            {
                "linkId": "q8",
                "item": [
                    {"linkId": "q8.branch", "answer": [{"valueString": str(q8["branch"])}]},
                    {"linkId": "q8.points", "answer": [{"valueInteger": int(q8["points"])}]},
                ],
            }
        )
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": VISA_A_URL,
        "status": "completed",
        "subject": {"reference": subject},
        "authored": visa.date.isoformat(),
        "item": items,
    }


def _impression(answer: Mapping[str, Any], subject: str, when: str) -> dict[str, Any]:
    triage = answer["triage"]
    level = triage["level"]
    findings = []
    for c in answer["conditions"]:
        reasons = ", ".join(c["supporting"]) or "none"
        against = ", ".join(c["against"]) or "none"
        findings.append(
            {
                "extension": [
                    {"url": PROBABILITY_EXTENSION, "valueDecimal": float(c["probability"])}
                ],
                "itemCodeableConcept": {
                    "coding": [{"system": CONDITION_SYSTEM, "code": c["id"], "display": c["name"]}],
                    "text": c["name"],
                },
                "basis": (
                    f"probability {c['probability']}; supported by: {reasons}; against: {against}"
                ),
            }
        )
    return {
        "resourceType": "ClinicalImpression",
        "extension": [
            {
                "url": TRIAGE_EXTENSION,
                "valueCodeableConcept": {
                    "coding": [{"system": TRIAGE_SYSTEM, "code": level}],
                    "text": triage.get("meaning") or level,
                },
            }
        ],
        "status": "completed",
        "description": "heelpath assessment of pain at the back of the heel (not a diagnosis)",
        "subject": {"reference": subject},
        "effectiveDateTime": when,
        "date": when,
        "summary": f"Triage: {level}. " + " ".join(triage["reasons"]),
        "finding": findings,
        "note": [{"text": answer["disclaimer"]}],
    }


def _activity(item: Mapping[str, Any], phase_title: str) -> dict[str, Any]:
    description = item["instructions"]
    if item.get("dose"):
        description += f" How much: {item['dose']}"
    return {
        "detail": {
            "code": {
                "coding": [{"system": INTERVENTION_SYSTEM, "code": item["intervention"]}],
                "text": item.get("title") or item["intervention"],
            },
            "status": "not-started",
            "scheduledString": phase_title,
            "description": description,
        }
    }


def _care_plan(
    answer: Mapping[str, Any], subject: str, when: str, impression: str
) -> dict[str, Any]:
    plan = answer["plan"]
    activities = [
        _activity(item, phase["title"]) for phase in plan["phases"] for item in phase["items"]
    ]
    activities += [
        {
            "detail": {
                "code": {
                    "coding": [{"system": INTERVENTION_SYSTEM, "code": a["intervention"]}],
                    "text": a["intervention"].replace("_", " "),
                },
                "reasonCode": [{"text": a["reason"]}],
                "status": "not-started",
                "doNotPerform": True,
                "description": f"Left out: {a['reason']}",
            }
        }
        for a in plan["avoid"]
    ]
    return {
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "title": "Home care plan for pain at the back of the heel",
        "description": " / ".join(f"{n}. {p['title']}" for n, p in enumerate(plan["phases"], 1)),
        "subject": {"reference": subject},
        "created": when,
        "supportingInfo": [{"reference": impression}],
        "activity": activities,
    }


def build_bundle(
    data: Mapping[str, Any],
    answer: Mapping[str, Any],
    knowledge: Knowledge,
    *,
    when: dt.datetime | None = None,
    visa_a: VisaA | None = None,
) -> dict[str, Any]:
    """One validated input, its answer (and a VISA-A, if any) as a FHIR R4 Bundle."""
    moment = (when or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    seed = orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode() + moment

    def url(kind: str) -> str:
        return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}:{seed}')}"

    patient, interview, impression = url("Patient"), url("interview"), url("impression")
    person: dict[str, Any] = {"resourceType": "Patient"}
    if data.get("sex") in ("female", "male", "other"):
        person["gender"] = data["sex"]
    entries = [
        (patient, person),
        (interview, interview_response(data, knowledge, subject=patient, authored=moment)),
    ]
    if data.get("pain_score") is not None:
        pain = _observation(PAIN_SCORE_CODES, data["pain_score"], patient, moment, interview)
        entries.append((url("pain_score"), pain))
    if visa_a is not None:
        response = url("visa_a_response")
        entries.append((response, _visa_a_response(visa_a, patient)))
        total = _observation(VISA_A_CODES, visa_a.score, patient, visa_a.date.isoformat(), response)
        entries.append((url("visa_a_total"), total))
    entries.append((impression, _impression(answer, patient, moment)))
    entries.append((url("care_plan"), _care_plan(answer, patient, moment, impression)))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": moment,
        "entry": [{"fullUrl": u, "resource": r} for u, r in entries],
    }


def bundle_to_input(bundle: Any, knowledge: Knowledge) -> dict[str, Any]:
    """The assessment input held in a Bundle's interview QuestionnaireResponse (the
    caller validates it against the contract). Bad input names where it is wrong."""
    if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
        raise InvalidInput("resourceType", "the input must be a FHIR Bundle")
    entries = bundle.get("entry")
    if not isinstance(entries, list):
        raise InvalidInput("entry", "the Bundle has no entries")
    found = [
        (i, e["resource"])
        for i, e in enumerate(entries)
        if isinstance(e, Mapping)
        and isinstance(e.get("resource"), Mapping)
        and e["resource"].get("resourceType") == "QuestionnaireResponse"
        and e["resource"].get("questionnaire") == INTERVIEW_URL
    ]
    if len(found) != 1:
        raise InvalidInput(
            "entry",
            f"expected one QuestionnaireResponse to {INTERVIEW_URL}, found {len(found)}",
        )
    index, response = found[0]
    try:
        return input_from_response(response, knowledge)
    except InvalidInput as exc:
        raise InvalidInput(f"entry[{index}].resource.{exc.field}", exc.message) from None
