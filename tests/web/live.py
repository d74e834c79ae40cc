"""A real uvicorn serving an app on a free loopback port, in a thread, with its log kept.

It runs with the options ``heelpath serve`` gives uvicorn (``web/server.py``),
but shorter read deadlines, so tests of slow clients take seconds.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from heelpath.web import server

HEAD_TIMEOUT = 1.0
BODY_TIMEOUT = 2.0


class QuickDeadlines(server.DeadlineH11Protocol):
    head_timeout = HEAD_TIMEOUT
    body_timeout = BODY_TIMEOUT


class _Keep(logging.Handler):
    def __init__(self, kept: list[logging.LogRecord]) -> None:
        super().__init__(logging.DEBUG)
        self.kept = kept

    def emit(self, record: logging.LogRecord) -> None:
        self.kept.append(record)


@dataclass
class Live:
    host: str
    port: int
    records: list[logging.LogRecord] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Every log line written so far, tracebacks included, as a formatter writes them."""
        formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
        return [ln for r in list(self.records) for ln in formatter.format(r).splitlines()]

    def connect(self, timeout: float = 10.0) -> socket.socket:
        return socket.create_connection((self.host, self.port), timeout=timeout)

    def request(self, raw: bytes, timeout: float = 10.0) -> bytes:
        """One request on its own connection; the whole answer as sent."""
        with self.connect(timeout) as s:
            s.sendall(raw)
            return read_response(s)


def read_response(s: socket.socket) -> bytes:
    """One HTTP/1.1 response with a Content-Length (all heelpath sends), read off the socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


@contextmanager
def live_server(app: Any, **options: Any) -> Iterator[Live]:
    """Serve ``app`` until the block ends; the log of heelpath and uvicorn is kept."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    kept: list[logging.LogRecord] = []
    handler = _Keep(kept)
    loggers = [logging.getLogger(n) for n in ("heelpath", "uvicorn", "uvicorn.error")]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    settings = {
        **server.uvicorn_options(),
        "http": QuickDeadlines,
        "log_config": None,
        "lifespan": "off",
        **options,
    }
    srv = uvicorn.Server(uvicorn.Config(app, **settings))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start within 60 s")
        time.sleep(0.02)
    try:
        yield Live(host, port, kept)
    finally:
        srv.should_exit = True
        thread.join(30)
        sock.close()
        for lg, level in saved:
            lg.removeHandler(handler)
            lg.setLevel(level)
