"""How ``heelpath serve`` runs uvicorn: deadlines for slow clients, limits, and its logs.

uvicorn closes an idle keep-alive connection (``timeout_keep_alive``) but
never one whose request is still arriving: a client that sends its headers a
byte at a time holds a connection, and its memory, for ever ("slowloris").
:class:`DeadlineH11Protocol` is uvicorn's own HTTP/1.1 protocol with two
deadlines added, each armed when its part of the request begins:

- the request line and headers must arrive within ``HEAD_TIMEOUT`` seconds of
  the connection opening (or of the previous response, on a kept-alive one);
- the body must arrive within ``BODY_TIMEOUT`` seconds of the headers.

A connection that misses one is closed. The app sees a body cut short as a
client disconnect (one log line, ``web/boundary.py``). Behind a reverse proxy,
set the proxy's own limits as well (``docs/deploy.md``).

It also sets ``TCP_NODELAY`` on each connection itself. asyncio sets it only on
connections accepted from a socket it created; with ``--workers N`` uvicorn binds
the socket for its processes itself, the option was lost, and each response after
the first on a keep-alive connection waited for the client's delayed ACK (about
40 ms).
"""

from __future__ import annotations

import asyncio
import copy
import socket
from typing import Any

import h11
from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT = 10.0  # seconds for the request line and headers
BODY_TIMEOUT = 30.0  # seconds for the body, once the headers are in
KEEP_ALIVE_TIMEOUT = 5  # seconds an idle kept-alive connection stays open
MAX_CONNECTIONS = 1000  # beyond this, uvicorn answers 503 (with Connection: close)
MAX_HEAD_BYTES = 16 * 1024  # request line and headers; h11 answers 400 beyond it

PROTOCOL = "heelpath.web.server:DeadlineH11Protocol"


class DeadlineH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing connections whose request arrives too slowly."""

    head_timeout = HEAD_TIMEOUT
    body_timeout = BODY_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._deadline: asyncio.TimerHandle | None = None
        self._reading: object = None  # the h11 state the deadline was armed for
        super().connection_made(transport)
        self._watch()

    def handle_events(self) -> None:
        # called for every chunk received, and after each response for the next request
        super().handle_events()
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _watch(self) -> None:
        """Arm the deadline for the part of the request now being read, if it changed."""
        state = self.conn.their_state
        reading = state if state in (h11.IDLE, h11.SEND_BODY) else None
        if reading is self._reading:
            return
        self._disarm()
        self._reading = reading
        if reading is not None and not self.transport.is_closing():
            timeout = self.head_timeout if reading is h11.IDLE else self.body_timeout
            self._deadline = self.loop.call_later(timeout, self._missed, reading)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _missed(self, reading: object) -> None:
        self._deadline = None
        if self.conn.their_state is reading and not self.transport.is_closing():
            self.transport.close()


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with heelpath's loggers on the same handler.

    uvicorn's own access log is off (``serve`` passes ``access_log=False``):
    it writes the query string; ``web/boundary.py`` writes one line per
    request with the path alone.
    """
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["heelpath"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def uvicorn_options() -> dict[str, Any]:
    """The options ``heelpath serve`` gives uvicorn, whatever else it is asked for."""
    return {
        "http": PROTOCOL,
        "timeout_keep_alive": KEEP_ALIVE_TIMEOUT,
        "limit_concurrency": MAX_CONNECTIONS,
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
        "access_log": False,
        "log_config": log_config(),
        "server_header": False,
    }
