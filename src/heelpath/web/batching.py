"""Assessments of requests that arrive together, run back to back.

Under concurrent load several ``POST /api/v1/assess`` requests are read in the
same turn of the event loop. Each handler validates its own body (so bad input
is still answered at once, naming the field) and hands the case to the app's
:class:`Batcher`; the batcher then runs every case handed to it in that turn,
one after another, in a single callback, and each handler gets its own answer
back. Nothing is shared between the cases but the engine: each is assessed
on its own, exactly as ``Engine.assess_case`` would, and an error in one goes to
that request alone.

Why: the engine is CPU-bound and compiled (``setup.py``); between two requests
the server's own code pushes the engine's code and knowledge out of the CPU
caches, and the next assessment pays to bring them back (measured: 45 µs per
assessment back to back, about 100 µs interleaved with request handling). Run
back to back, the cases after the first find them warm. With a single request
there is nothing to wait for: its case runs on the loop's next turn.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

from heelpath.case import Case


class Batcher:
    """Runs the cases handed to it in one turn of the event loop, back to back."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self._pending: list[tuple[Case, asyncio.Future[bytes]]] = []
        self._scheduled = False
        self.largest = 0  # the most cases run in one turn so far (for monitoring)

    def assess(self, case: Case) -> asyncio.Future[bytes]:
        """The answer to ``case`` as JSON bytes, once the batch it joins has run."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[bytes] = loop.create_future()
        self._pending.append((case, answer))
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._run)
        return answer

    def _run(self) -> None:
        batch, self._pending, self._scheduled = self._pending, [], False
        self.largest = max(self.largest, len(batch))
        engine = self.engine
        for case, answer in batch:
            if answer.cancelled():  # the client has gone
                continue
            try:
                answer.set_result(orjson.dumps(engine.assess_case(case)))
            except Exception as exc:  # that request's own 500; the others go on
                answer.set_exception(exc)
