"""The same answers as the committed digest (tests/answers_digest.py): every vignette and
10,000 random inputs, one at a time and through batch mode."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

import heelpath
from answers_digest import (
    answer_hash,
    inputs_hash,
    random_cases,
    read_digest,
    vignette_cases,
)
from heelpath.engine import Engine

DIGEST = read_digest()


def _differences(cases: list[tuple[str, dict[str, Any]]], answers: list[Any]) -> list[str]:
    assert len(answers) == len(cases)
    out = []
    for (key, data), answer in zip(cases, answers, strict=True):
        if key not in DIGEST:
            out.append(f"{key}: not in the digest")
        elif answer_hash(answer) != DIGEST[key]:
            out.append(f"{key}: a different answer for {orjson.dumps(data).decode()}")
    return out


def _check(name: str, cases: list[tuple[str, dict[str, Any]]], answers: list[Any]) -> None:
    assert inputs_hash(cases) == DIGEST[f"inputs:{name}"], (
        f"the {name} inputs are not the ones the digest was written from"
    )
    differences = _differences(cases, answers)
    assert not differences, (
        f"{len(differences)} of {len(cases)} {name} answers differ, first:\n"
        + "\n".join(differences[:10])
    )


@pytest.fixture(scope="module")
def vignettes() -> list[tuple[str, dict[str, Any]]]:
    cases = vignette_cases()
    if not cases:
        pytest.skip("../shared/vignettes is not beside this checkout")
    return cases


@pytest.fixture(scope="module")
def randoms() -> list[tuple[str, dict[str, Any]]]:
    return random_cases()


def test_vignettes_answer_as_before(vignettes: list[tuple[str, dict[str, Any]]]) -> None:
    _check("vignettes", vignettes, [heelpath.assess(data) for _, data in vignettes])


def test_random_inputs_answer_as_before(randoms: list[tuple[str, dict[str, Any]]]) -> None:
    _check("random", randoms, [heelpath.assess(data) for _, data in randoms])


def test_batch_mode_answers_as_before(
    engine: Engine, randoms: list[tuple[str, dict[str, Any]]]
) -> None:
    lines = [orjson.dumps(data) for _, data in randoms]
    _check("random", randoms, [orjson.loads(out) for out in engine.assess_lines(lines)])


def test_a_changed_answer_is_named() -> None:
    key, data = random_cases(1)[0]
    answer = heelpath.assess(data)
    assert not _differences([(key, data)], [answer])
    answer["conditions"][0]["probability"] += 0.0001
    assert _differences([(key, data)], [answer]) == [
        f"{key}: a different answer for {orjson.dumps(data).decode()}"
    ]
