"""parse_case and the contract's pydantic models (web/schemas.py, the OpenAPI document) give
the same verdict on every input: accepted by both, or refused by both naming the same
field, with the messages the API has always given for pydantic's errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from heelpath.contract import FIELDS, parse_case
from heelpath.errors import InvalidInput
from heelpath.parsing import field_path, quote
from heelpath.web.schemas import AssessmentInput

IDS = frozenset({"a", "b", "c"})

anything = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(-1, 200) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=5,
)
values = {
    "age": st.integers(-3, 130) | anything,
    "sex": st.sampled_from(["female", "male", "other", "unknown"]) | anything,
    "findings": st.dictionaries(st.sampled_from(sorted(IDS)), st.booleans() | anything) | anything,
    "footwear": st.lists(st.sampled_from(["athletic", "boots", "stilettos", 3]), max_size=3)
    | anything,
    "work": st.sampled_from(["seated", "standing_or_manual", "astronaut"]) | anything,
    "pain_score": st.integers(-2, 12) | anything,
}


@st.composite
def inputs(draw: st.DrawFn) -> dict[str, Any]:
    data = {key: draw(value) for key, value in values.items() if draw(st.booleans())}
    if draw(st.integers(0, 9)) == 0:
        data[draw(st.sampled_from(["colour", "Age", "id"]))] = draw(anything)
    return data


def pydantic_verdict(data: Any) -> tuple[str, str] | None:
    """(field, message) of the first error, with the messages the API gave for them."""
    if not isinstance(data, Mapping):
        return ("", "the input must be a JSON object")
    try:
        AssessmentInput.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        field = "footwear" if loc[:1] == ("footwear",) else field_path(loc)
        return (field, _message(err))
    return None


def _message(err: Mapping[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field of the assessment input"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if kind in ("greater_than_equal", "less_than_equal"):
        hi = 120 if err["loc"][:1] == ("age",) else 10
        return f"must be between 0 and {hi} (got {quote(err.get('input'))})"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{quote(err.get('input'))} is not one of {expected}"
    if kind == "dict_type":
        return "must be an object mapping finding ids to true or false"
    if kind == "list_type":
        return "must be a list"
    return str(err.get("msg", "is not valid"))


def our_verdict(data: Any) -> tuple[str, str] | None:
    # the models know no finding ids: every id given counts as known here
    findings = data.get("findings") if isinstance(data, Mapping) else None
    known = IDS | set(findings) if isinstance(findings, dict) else IDS
    try:
        parse_case(data, known)
    except InvalidInput as exc:
        return (exc.field, exc.message)
    return None


@settings(max_examples=1500, deadline=None)
@given(inputs())
@example({"age": True, "findings": {}})
@example({"age": 40.0, "findings": {}})
@example({"age": 40.5, "findings": {}, "pain_score": 3.0})
@example({"age": 40, "findings": {"x" * 80: True}})
@example({"age": "forty"})
@example({"findings": {"a": 1}, "sex": "unknown"})
@example({"age": 40, "findings": {}, "footwear": ["boots", "stilettos"], "work": "x"})
@example({"age": 40, "findings": {}, "pain_score": 11, "colour": "blue"})
@example([1, 2, 3])
def test_parse_case_agrees_with_the_pydantic_models(data: Any) -> None:
    assert our_verdict(data) == pydantic_verdict(data)


def test_the_contract_fields_are_the_models() -> None:
    assert tuple(AssessmentInput.model_fields) == FIELDS


def test_a_valid_input_becomes_a_read_only_case_of_its_own() -> None:
    data: dict[str, Any] = {"age": 40, "findings": {"a": True}, "footwear": ["boots"]}
    case = parse_case(data, IDS)
    data["findings"]["b"] = False
    assert dict(case.findings) == {"a": True}
    assert case.footwear == ("boots",)
    assert (case.sex, case.work, case.pain_score) == (None, None, None)
