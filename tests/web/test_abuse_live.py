"""Abuse over real sockets: slow clients, clients that vanish, keep-alive after an error.

Each test serves an app with uvicorn on a free loopback port (``live.py``),
with the deadlines of ``heelpath serve`` shortened to seconds, and speaks raw
HTTP/1.1 to it.
"""

from __future__ import annotations

import selectors
import socket
import struct
import time
from collections.abc import Iterator

import pytest

from heelpath.case import Case
from heelpath.engine import Assessment, Engine
from heelpath.web.app import create_app
from heelpath.web.settings import Settings
from web.live import BODY_TIMEOUT, HEAD_TIMEOUT, Live, live_server, read_response

pytestmark = pytest.mark.slow

ASSESS = (
    b"POST /api/v1/assess HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
)
GOOD = b'{"age": 87, "sex": "female", "findings": {"pain_at_insertion": true}}'


def get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()


def status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0


def headers(response: bytes) -> dict[str, str]:
    head = response.partition(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")[1:]
    return {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head)}


def reset(s: socket.socket) -> None:
    """Close with a TCP reset, as a client that crashes or loses its network does."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def wait_closed(socks: list[socket.socket], within: float) -> list[float]:
    """Seconds until the server closed each socket; fails if one is still open after ``within``."""
    started = time.monotonic()
    closed_after: dict[socket.socket, float] = {}
    with selectors.DefaultSelector() as sel:
        for s in socks:
            sel.register(s, selectors.EVENT_READ)
        while len(closed_after) < len(socks):
            left = within - (time.monotonic() - started)
            assert left > 0, f"{len(socks) - len(closed_after)} connections still open"
            for key, _ in sel.select(timeout=left):
                s = key.fileobj
                assert isinstance(s, socket.socket)
                try:
                    data = s.recv(65536)
                except ConnectionError:
                    data = b""
                if not data:
                    closed_after[s] = time.monotonic() - started
                    sel.unregister(s)
    return list(closed_after.values())


def wait_for_lines(live: Live, count: int, within: float = 30) -> list[str]:
    deadline = time.monotonic() + within
    while len([r for r in live.records if r.name.startswith("heelpath")]) < count:
        assert time.monotonic() < deadline, live.lines()[-5:]
        time.sleep(0.05)
    return live.lines()


def wait_for_id(live: Live, request_id: str, within: float = 30) -> list[str]:
    deadline = time.monotonic() + within
    while not any(request_id in ln for ln in live.lines()):
        assert time.monotonic() < deadline, live.lines()[-5:]
        time.sleep(0.05)
    return live.lines()


@pytest.fixture(scope="module")
def live(engine: Engine) -> Iterator[Live]:
    with live_server(create_app(Settings(), engine=engine)) as server:
        yield server


def test_connections_with_unfinished_headers_are_closed_in_bounded_time(live: Live) -> None:
    socks = [live.connect() for _ in range(200)]
    for s in socks:
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    try:
        # the server still answers others meanwhile
        assert status(live.request(get("/healthz"))) == 200
        times = wait_closed(socks, within=HEAD_TIMEOUT + 10)
    finally:
        for s in socks:
            s.close()
    assert max(times) < HEAD_TIMEOUT + 10
    assert status(live.request(get("/healthz"))) == 200


def test_a_head_sent_a_byte_at_a_time_is_cut_off_at_the_deadline(live: Live) -> None:
    # activity does not extend the deadline: it runs from the request's start
    with live.connect() as s:
        started = time.monotonic()
        head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Drip: " + b"a" * 200
        closed = False
        for byte in head:
            try:
                s.sendall(bytes([byte]))
            except ConnectionError:
                closed = True
                break
            time.sleep(0.05)
            if time.monotonic() - started > HEAD_TIMEOUT + 8:
                break
        if not closed:
            closed = wait_closed([s], within=HEAD_TIMEOUT + 8 - (time.monotonic() - started)) != []
    assert closed
    assert time.monotonic() - started < HEAD_TIMEOUT + 8


def test_a_kept_alive_connection_with_a_slow_second_request_is_closed(live: Live) -> None:
    with live.connect() as s:
        s.sendall(get("/healthz"))
        assert status(read_response(s)) == 200
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127")
        wait_closed([s], within=HEAD_TIMEOUT + 10)


def test_a_body_that_stops_arriving_is_cut_off_and_logged_in_one_line(live: Live) -> None:
    before = len(live.records)
    with live.connect() as s:
        s.sendall(ASSESS % 1000 + GOOD[:10])
        wait_closed([s], within=BODY_TIMEOUT + 10)
    lines = wait_for_lines(
        live, 1 + sum(r.name.startswith("heelpath") for r in live.records[:before])
    )
    new = lines[len(lines) - (len(live.records) - before) :]
    assert any("disconnected" in ln for ln in new), new
    assert not any("Traceback" in ln or "ERROR" in ln for ln in new), new


def test_clients_that_reset_mid_body_write_one_line_each_and_no_traceback(live: Live) -> None:
    ours = sum(r.name.startswith("heelpath") for r in live.records)
    before = len(live.lines())
    for _ in range(100):
        s = live.connect()
        s.sendall(ASSESS % 2000 + GOOD)
        time.sleep(0.005)
        reset(s)
    lines = wait_for_lines(live, ours + 100)
    time.sleep(0.5)  # anything written late is counted too
    new = live.lines()[before:]
    assert len(new) <= 100, new[:5]
    assert not any("Traceback" in ln or ln.startswith("ERROR") for ln in new), new[:5]
    assert all("disconnected" in ln for ln in new if "heelpath" in ln)
    started = time.monotonic()
    assert status(live.request(get("/healthz"))) == 200
    assert time.monotonic() - started < 5
    assert lines


def test_a_declared_body_over_the_limit_is_refused_with_connection_close(live: Live) -> None:
    with live.connect() as s:
        s.sendall(ASSESS % 10_000_000)
        response = read_response(s)
        assert status(response) == 413
        assert headers(response)["connection"] == "close"
        wait_closed([s], within=10)


def test_a_head_growing_past_16_kib_is_refused(live: Live) -> None:
    with live.connect() as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 20_000)
        response = read_response(s)
    assert status(response) == 400
    assert headers(response).get("connection") == "close"


def test_every_response_has_a_request_id_and_the_log_no_query(live: Live) -> None:
    response = live.request(get("/api/v1/vocabulary?name=Jane+Doe"))
    request_id = headers(response)["x-request-id"]
    lines = wait_for_id(live, request_id)
    mine = [ln for ln in lines if request_id in ln]
    assert len(mine) == 1 and "/api/v1/vocabulary" in mine[0]
    assert "Jane" not in "\n".join(lines)


# -- after a server error ---------------------------------------------------------------------


class _Broken(Engine):
    def evaluate(self, case: Case) -> Assessment:
        raise RuntimeError(f"boom for age {case.age}")


@pytest.fixture(scope="module")
def broken(engine: Engine) -> Iterator[Live]:
    with live_server(create_app(Settings(), engine=_Broken(engine.knowledge))) as server:
        yield server


def test_after_a_500_the_kept_alive_connection_still_works(broken: Live) -> None:
    with broken.connect() as s:
        s.sendall(ASSESS % len(GOOD) + GOOD)
        first = read_response(s)
        assert status(first) == 500
        if headers(first).get("connection") == "close":
            pytest.fail("the server closed after a 500; it should keep the connection")
        s.sendall(get("/api/v1/vocabulary"))
        assert status(read_response(s)) == 200


def settled(live: Live, quiet: float = 0.3, within: float = 30) -> int:
    """The number of log lines once none has come for ``quiet`` seconds: a request's line
    is written after its response has gone, so an earlier request's may still be due."""
    deadline = time.monotonic() + within
    count, since = len(live.lines()), time.monotonic()
    while time.monotonic() - since < quiet:
        assert time.monotonic() < deadline, "the log never settled"
        time.sleep(0.05)
        if len(live.lines()) != count:
            count, since = len(live.lines()), time.monotonic()
    return count


def test_a_500_is_one_log_line_with_its_id_and_no_values(broken: Live) -> None:
    before = settled(broken)
    response = broken.request(ASSESS % len(GOOD) + GOOD)
    request_id = headers(response)["x-request-id"]
    wait_for_id(broken, request_id)
    time.sleep(0.3)
    new = broken.lines()[before:]
    assert len(new) == 1, new
    assert new[0].startswith("ERROR") and "RuntimeError" in new[0]
    # the request id is random hex and may itself hold "87": look at the line without it
    rest = new[0].replace(request_id, "")
    for value in ("87", "female", "pain_at_insertion", "boom"):
        assert value not in rest
