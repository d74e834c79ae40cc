"""Requests that arrive together are assessed back to back, each getting its own answer."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
import orjson

from heelpath.case import Case
from heelpath.engine import Assessment, Engine
from heelpath.web.app import create_app
from heelpath.web.batching import Batcher
from heelpath.web.settings import Settings

T = TypeVar("T")


def _inputs(engine: Engine, n: int, seed: int = 5) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    ids = [f.id for f in engine.knowledge.findings]
    return [
        {
            "age": rng.randint(8, 90),
            "findings": {i: rng.random() < 0.5 for i in rng.sample(ids, rng.randint(0, 12))},
        }
        for _ in range(n)
    ]


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: other tests (Playwright's) may leave a loop
    running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _post_all(app: Any, bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return list(await asyncio.gather(*(client.post("/api/v1/assess", json=b) for b in bodies)))


def test_concurrent_requests_each_get_their_own_answer(engine: Engine) -> None:
    app = create_app(Settings(), engine=engine)
    bodies = _inputs(engine, 24)
    responses = _run(_post_all(app, bodies))
    assert [r.status_code for r in responses] == [200] * len(bodies)
    for body, response in zip(bodies, responses, strict=True):
        assert response.content == orjson.dumps(engine.assess(body))
    assert app.state.batcher.largest > 1  # they did run together


class _FailsAt99(Engine):
    def evaluate(self, case: Case) -> Assessment:
        if case.age == 99:
            raise RuntimeError("boom")
        return super().evaluate(case)


def test_a_failure_is_that_requests_alone(engine: Engine) -> None:
    failing = _FailsAt99(engine.knowledge)
    app = create_app(Settings(), engine=failing)
    bodies = _inputs(engine, 9)
    bodies[4] = {"age": 99, "findings": {}}
    responses = _run(_post_all(app, bodies))
    assert [r.status_code for r in responses] == [200] * 4 + [500] + [200] * 4
    assert "boom" not in responses[4].text
    for i in (0, 8):
        assert responses[i].content == orjson.dumps(engine.assess(bodies[i]))
    assert app.state.batcher.largest > 1


def test_bad_input_is_refused_for_that_request_alone(engine: Engine) -> None:
    app = create_app(Settings(), engine=engine)
    bodies = [
        {"age": 40, "findings": {}},
        {"age": 400, "findings": {}},
        {"age": 70, "findings": {}},
    ]
    responses = _run(_post_all(app, bodies))
    assert [r.status_code for r in responses] == [200, 422, 200]
    assert responses[1].json()["error"]["field"] == "age"
    assert responses[2].content == orjson.dumps(engine.assess(bodies[2]))
    assert app.state.batcher.largest == 3


class _Counting(Engine):
    calls = 0

    def assess(self, data: Any) -> dict[str, Any]:
        _Counting.calls += 1
        return super().assess(data)


def test_a_request_whose_client_left_is_not_assessed(engine: Engine) -> None:
    counting = _Counting(engine.knowledge)
    batcher = Batcher(counting)
    gone, staying = ({"age": a, "findings": {}} for a in (30, 60))

    async def run() -> bytes:
        first = batcher.assess(gone)
        second = batcher.assess(staying)
        first.cancel()
        return await second

    answer = _run(run())
    assert counting.calls == 1
    assert answer == orjson.dumps(engine.assess({"age": 60, "findings": {}}))
    assert batcher.largest == 2
