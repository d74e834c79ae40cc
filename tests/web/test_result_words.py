"""No patient-facing string names a seed, an article we started from, or an internal id:
checked over the result page and the printed plan of every development case."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI

from exports.readback import dev_case_params, pdf_text
from heelpath.engine import Engine
from heelpath.exports.pdf import render_pdf
from web.results import DAY, result_html

FORBIDDEN = re.compile(r"\bseed\b|\barticle\b|\bthe source\b", re.IGNORECASE)
SNAKE_ID = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # calf_stretch, pain_at_insertion ...


def visible_text(html: str) -> str:
    """What a person reads: no tags (so no attributes), no scripts."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _ids(engine: Engine) -> set[str]:
    k = engine.knowledge
    return (
        {f.id for f in k.findings}
        | {c.id for c in k.conditions}
        | {i.id for i in k.interventions}
        | {r.id for r in k.red_flag_rules}
    )


def _check(text: str, engine: Engine) -> None:
    assert FORBIDDEN.findall(text) == []
    snake = set(SNAKE_ID.findall(text))
    assert snake == set(), snake
    named = {i for i in _ids(engine) if "_" in i and i in text}
    assert named == set()


@pytest.mark.parametrize("case", dev_case_params())
def test_the_result_page_of_each_dev_case_speaks_plainly(
    app: FastAPI, engine: Engine, case: dict[str, Any]
) -> None:
    _check(visible_text(result_html(app, case["input"], engine)), engine)


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize("case", dev_case_params())
def test_the_printed_plan_of_each_dev_case_speaks_plainly(
    engine: Engine, case: dict[str, Any]
) -> None:
    data = case["input"]
    pdf = render_pdf(data, engine.assess(data), engine.knowledge, today=DAY)
    _check(pdf_text(pdf), engine)


def test_the_check_can_fail(engine: Engine) -> None:
    with pytest.raises(AssertionError):
        _check("As the seed article says", engine)
    with pytest.raises(AssertionError):
        _check("Try calf_stretch", engine)
