"""The interview as a FHIR R4 Questionnaire, a person's answers as a QuestionnaireResponse,
and the way back from the response to the assessment input.

The Questionnaire is built from the knowledge: an "about you" group (age, sex,
shoes, work, pain score) and one group per finding group, each finding a yes/no
question whose linkId is the finding id, coded in heelpath's finding code system,
with its how-to-check help as a display item. The app serves it at
``/fhir/Questionnaire/heelpath-interview``.

In a response a finding the person answered is a boolean; a finding left open
(unknown, which is not "no") has no item at all, so it stays unknown on the way back.
A follow-up finding (findings.yaml ``follows``) is enabled only when the question it
follows is answered yes (``enableWhen``); a response holds the yes its own yes implies.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from heelpath import __version__
from heelpath.contract import with_follow_ups
from heelpath.errors import InvalidInput
from heelpath.exports.fhir_codes import ANSWER_SYSTEM, FINDING_SYSTEM, INTERVIEW_URL
from heelpath.interview import FOOTWEAR_CHOICES, SEX_CHOICES, WORK_CHOICES
from heelpath.knowledge.model import Knowledge
from heelpath.knowledge.version import knowledge_version

ABOUT = "about-you"
GROUP_TITLES = {
    "history": "How it started",
    "location": "Where it hurts",
    "pattern": "When it hurts",
    "signs": "What you can see and feel",
    "health": "Your health",
}
CHOICE_FIELDS = ("sex", "footwear", "work")


def _choice(field: str, code: str, labels: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {
        "system": f"{ANSWER_SYSTEM}/{field}",
        "code": code,
        "display": dict(labels).get(code, code.replace("_", " ")),
    }


def _choices(knowledge: Knowledge) -> dict[str, list[dict[str, Any]]]:
    v = knowledge.vocabulary
    return {
        "sex": [_choice("sex", c, SEX_CHOICES) for c in v.sex],
        "footwear": [_choice("footwear", c, FOOTWEAR_CHOICES) for c in v.footwear],
        "work": [_choice("work", c, WORK_CHOICES) for c in v.work],
    }


def interview_questionnaire(knowledge: Knowledge) -> dict[str, Any]:
    """The interview as a Questionnaire resource (FHIR R4 JSON)."""
    choices = _choices(knowledge)
    about: list[dict[str, Any]] = [
        {"linkId": "age", "text": "How old are you (in whole years)?", "type": "integer",
         "required": True},
        {"linkId": "sex", "text": "Sex", "type": "choice",
         "answerOption": [{"valueCoding": c} for c in choices["sex"]]},
        {"linkId": "footwear", "text": "Which shoes do you wear most?", "type": "choice",
         "repeats": True, "answerOption": [{"valueCoding": c} for c in choices["footwear"]]},
        {"linkId": "work", "text": "Is your work mostly sitting, or on your feet?",
         "type": "choice", "answerOption": [{"valueCoding": c} for c in choices["work"]]},
        {"linkId": "pain_score",
         "text": "How bad was the pain at its worst in the last 24 hours, from 0 to 10?",
         "type": "integer"},
    ]  # fmt: skip
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in knowledge.findings:
        item: dict[str, Any] = {
            "linkId": f.id,
            "code": [{"system": FINDING_SYSTEM, "code": f.id, "display": f.text}],
            "text": f.question,
            "type": "boolean",
        }
        if f.follows is not None:
            item["enableWhen"] = [{"question": f.follows, "operator": "=", "answerBoolean": True}]
        if f.help:
            item["item"] = [{"linkId": f"{f.id}.help", "text": f.help, "type": "display"}]
        groups.setdefault(f.group, []).append(item)
    return {
        "resourceType": "Questionnaire",
        "id": "heelpath-interview",
        "url": INTERVIEW_URL,
        "version": f"{__version__}+knowledge.{knowledge_version()}",
        "name": "HeelpathInterview",
        "title": "heelpath: pain at the back of the heel",
        "status": "active",
        "subjectType": ["Patient"],
        "description": (
            "The questions heelpath asks about pain at the back of the heel. A finding left "
            "unanswered is unknown, which is not the same as no."
        ),
        "item": [
            {"linkId": ABOUT, "text": "About you", "type": "group", "item": about},
            *(
                {"linkId": group, "text": GROUP_TITLES.get(group, group.capitalize()),
                 "type": "group", "item": items}
                for group, items in groups.items()
            ),
        ],
    }  # fmt: skip


def interview_response(
    data: Mapping[str, Any], knowledge: Knowledge, *, subject: str, authored: str
) -> dict[str, Any]:
    """A validated input's answers as a QuestionnaireResponse to the interview."""
    choices = _choices(knowledge)
    about: list[dict[str, Any]] = [{"linkId": "age", "answer": [{"valueInteger": data["age"]}]}]
    for field in CHOICE_FIELDS:
        value = data.get(field)
        codes = value if isinstance(value, list) else ([] if value is None else [value])
        if codes:
            by_code = {c["code"]: c for c in choices[field]}
            about.append({"linkId": field, "answer": [{"valueCoding": by_code[c]} for c in codes]})
    if data.get("pain_score") is not None:
        about.append({"linkId": "pain_score", "answer": [{"valueInteger": data["pain_score"]}]})

    answered = with_follow_ups(data.get("findings", {}), knowledge.follow_ups)
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in knowledge.findings:  # in the Questionnaire's order
        if f.id in answered:
            groups.setdefault(f.group, []).append(
                {"linkId": f.id, "text": f.question, "answer": [{"valueBoolean": answered[f.id]}]}
            )
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": INTERVIEW_URL,
        "status": "completed",
        "subject": {"reference": subject},
        "authored": authored,
        "item": [
            {"linkId": ABOUT, "item": about},
            *({"linkId": g, "item": items} for g, items in groups.items()),
        ],
    }


def _items(items: Any, where: str) -> Iterator[tuple[str, str, list[Any]]]:
    """(where, linkId, answers) of every answered item, groups walked."""
    if not isinstance(items, list):
        raise InvalidInput(where, "must be a list of items")
    for i, item in enumerate(items):
        at = f"{where}[{i}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("linkId"), str):
            raise InvalidInput(at, "an item needs a linkId")
        if "item" in item:
            yield from _items(item["item"], f"{at}.item")
        if "answer" in item:
            answers = item["answer"]
            if not isinstance(answers, list) or not answers:
                raise InvalidInput(f"{at}.answer", "must be a non-empty list")
            yield at, item["linkId"], answers


def _one(answers: list[Any], key: str, at: str) -> Any:
    if len(answers) != 1 or not isinstance(answers[0], Mapping) or key not in answers[0]:
        raise InvalidInput(f"{at}.answer", f"must be one answer with {key}")
    return answers[0][key]


def _code(answer: Any, field: str, at: str) -> str:
    coding = answer.get("valueCoding") if isinstance(answer, Mapping) else None
    if not isinstance(coding, Mapping) or coding.get("system") != f"{ANSWER_SYSTEM}/{field}":
        raise InvalidInput(f"{at}.answer", f"must be a valueCoding from {ANSWER_SYSTEM}/{field}")
    return str(coding.get("code"))


def input_from_response(response: Mapping[str, Any], knowledge: Knowledge) -> dict[str, Any]:
    """The assessment input a QuestionnaireResponse to the interview holds (not yet
    validated against the contract: the caller does that)."""
    if response.get("questionnaire") != INTERVIEW_URL:
        raise InvalidInput("questionnaire", f"is not the heelpath interview ({INTERVIEW_URL})")
    finding_ids = {f.id for f in knowledge.findings}
    data: dict[str, Any] = {"findings": {}}
    for at, link, answers in _items(response.get("item", []), "item"):
        if link in ("age", "pain_score"):
            data[link] = _one(answers, "valueInteger", at)
        elif link == "footwear":
            data["footwear"] = [_code(a, "footwear", at) for a in answers]
        elif link in ("sex", "work"):
            data[link] = _code(_one_answer(answers, at), link, at)
        elif link in finding_ids:
            data["findings"][link] = _one(answers, "valueBoolean", at)
        else:
            raise InvalidInput(f"{at}.linkId", f"{link!r} is not a question of the interview")
    if "age" not in data:
        raise InvalidInput("item", "the response has no answer for age")
    # the contract's order, for a person reading the output
    order = ("age", "sex", "findings", "footwear", "work", "pain_score")
    return {key: data[key] for key in order if key in data}


def _one_answer(answers: list[Any], at: str) -> Any:
    if len(answers) != 1:
        raise InvalidInput(f"{at}.answer", "must be exactly one answer")
    return answers[0]
