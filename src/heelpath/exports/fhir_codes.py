"""The codes a heelpath FHIR export uses, and the check of its required-binding codes.

Standard terminologies where a code exists, heelpath's own code systems where
none does (``docs/fhir.md`` lists which is which):

- the pain score: LOINC 72514-3 "Pain severity - 0-10 verbal numeric rating
  [Score] - Reported", with SNOMED CT 225908003 "Pain score";
- the VISA-A total, conditions, findings, interventions, triage levels, footwear
  and work: heelpath code systems (LOINC and SNOMED CT have no VISA-A code, and
  the knowledge's conditions and interventions are finer than a terminology's).

Neither ``fhir.resources`` nor HL7's JSON schema checks every code against its
value set, so :func:`binding_errors` checks each required-binding code we emit
against the value set FHIR R4 binds it to.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

BASE = "http://heelpath.org/fhir"
INTERVIEW_URL = f"{BASE}/Questionnaire/heelpath-interview"
VISA_A_URL = f"{BASE}/Questionnaire/visa-a"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

FINDING_SYSTEM = f"{BASE}/CodeSystem/finding"
CONDITION_SYSTEM = f"{BASE}/CodeSystem/condition"
INTERVENTION_SYSTEM = f"{BASE}/CodeSystem/intervention"
TRIAGE_SYSTEM = f"{BASE}/CodeSystem/triage-level"
OBSERVATION_SYSTEM = f"{BASE}/CodeSystem/observation"
ANSWER_SYSTEM = f"{BASE}/CodeSystem/answer"  # sex, footwear and work choices

TRIAGE_EXTENSION = f"{BASE}/StructureDefinition/triage-level"
PROBABILITY_EXTENSION = f"{BASE}/StructureDefinition/probability"

PAIN_SCORE_CODES = (
    {
        "system": LOINC,
        "code": "72514-3",
        "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    },
    {"system": SNOMED, "code": "225908003", "display": "Pain score"},
)
VISA_A_CODES = (
    {
        "system": OBSERVATION_SYSTEM,
        "code": "visa-a-total",
        "display": "VISA-A total score (Victorian Institute of Sport Assessment - Achilles), 0-100",
    },
)


def _codes(words: str) -> frozenset[str]:
    return frozenset(words.split())


ITEM_TYPES = _codes(
    "group display boolean decimal integer date dateTime time string text url choice "
    "open-choice attachment reference quantity"
)

# Required bindings in FHIR R4 for the elements heelpath writes: resource type -> element
# path (dots; a list is walked item by item) -> the codes of the bound value set.
REQUIRED_BINDINGS: Mapping[str, Mapping[str, frozenset[str]]] = {
    "Bundle": {
        "type": _codes(
            "document message transaction transaction-response batch batch-response history "
            "searchset collection"
        )
    },
    "Patient": {"gender": _codes("male female other unknown")},
    "Questionnaire": {
        "status": _codes("draft active retired unknown"),
        # the interview nests: groups of questions, each with its help as a display item
        "item.type": ITEM_TYPES,
        "item.item.type": ITEM_TYPES,
        "item.item.item.type": ITEM_TYPES,
        # a follow-up question is enabled by a yes to the question it follows
        "item.item.enableWhen.operator": _codes("exists = != > < >= <="),
    },
    "QuestionnaireResponse": {
        "status": _codes("in-progress completed amended entered-in-error stopped"),
    },
    "Observation": {
        "status": _codes(
            "registered preliminary final amended corrected cancelled entered-in-error unknown"
        ),
    },
    "ClinicalImpression": {"status": _codes("in-progress completed entered-in-error")},
    "CarePlan": {
        "status": _codes("draft active on-hold revoked completed entered-in-error unknown"),
        "intent": _codes("proposal plan order option"),
        "activity.detail.status": _codes(
            "not-started scheduled in-progress on-hold completed cancelled stopped unknown "
            "entered-in-error"
        ),
    },
    "Narrative": {"status": _codes("generated extensions additional empty")},
}


def _values(node: Any, path: list[str], where: str) -> Iterator[tuple[str, Any]]:
    """Each value at ``path`` under ``node`` with where it is (lists walked by index)."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _values(item, path, f"{where}[{i}]")
        return
    if not path:
        yield where, node
        return
    if isinstance(node, Mapping) and path[0] in node:
        yield from _values(node[path[0]], path[1:], f"{where}.{path[0]}")


def binding_errors(resource: Mapping[str, Any], where: str = "") -> list[str]:
    """Every required-binding code in ``resource`` (a Bundle's entries too) that is not in
    its value set, as 'path: code is not in value set' messages; empty when all are."""
    kind = str(resource.get("resourceType", ""))
    where = where or kind
    errors: list[str] = []
    for path, allowed in REQUIRED_BINDINGS.get(kind, {}).items():
        for at, code in _values(resource, path.split("."), where):
            if code not in allowed:
                errors.append(f"{at}: {code!r} is not in the required value set")
    text = resource.get("text")
    if (
        isinstance(text, Mapping)
        and text.get("status") not in REQUIRED_BINDINGS["Narrative"]["status"]
    ):
        errors.append(
            f"{where}.text.status: {text.get('status')!r} is not in the required value set"
        )
    for i, entry in enumerate(resource.get("entry", []) if kind == "Bundle" else []):
        if isinstance(entry, Mapping) and isinstance(entry.get("resource"), Mapping):
            errors += binding_errors(entry["resource"], f"{where}.entry[{i}].resource")
    return errors
