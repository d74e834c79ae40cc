"""The edge of every request: its id, its one log line, and what no handler caught.

:class:`RequestBoundary` wraps the whole app (inside the security headers) and

- gives each request an id, sent back in the ``X-Request-Id`` header so a
  person can quote it;
- writes exactly one log line per request: method, path (never the query
  string or the body, which can hold health answers), status, time and id;
- makes a client that went away mid-request one ``disconnected`` line, not an
  error with tracebacks;
- makes a server error one line at level ERROR naming the exception's type and
  where it was raised, never its message (which can quote what was sent); the
  response itself is the app's one 500 (``web/errors.py``). The exception
  stops here, so the server keeps the connection open as it said it would.
"""

from __future__ import annotations

import logging
import secrets
import time
import traceback

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from heelpath.parsing import field_part

log = logging.getLogger("heelpath.access")
REQUEST_ID_HEADER = b"x-request-id"
MAX_LOGGED_PATH = 120


def _where(exc: BaseException) -> str:
    """File, line and function where ``exc`` was raised: code, never data."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{last.filename.rsplit('/', 2)[-1]}:{last.lineno} in {last.name}"


class RequestBoundary:
    """Request id, one log line per request, and the last catch for what escaped the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", []), (REQUEST_ID_HEADER, request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        failure = ""
        try:
            await self.app(scope, receive, send_with_id)
        except ClientDisconnect:
            failure = "disconnected"
        except Exception as exc:  # the app's 500 is already sent; this is its log line
            failure = f"{type(exc).__name__} at {_where(exc)}"
            if not status:  # the error page itself failed: a bare 500
                await send_with_id(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                    }
                )
                await send_with_id({"type": "http.response.body", "body": b"Server error"})
        ms = (time.perf_counter() - started) * 1000
        path = field_part(scope.get("path", ""), MAX_LOGGED_PATH)
        what = f'"{scope.get("method", "")} {path}"'
        if failure == "disconnected":
            log.info("%s client disconnected after %.1f ms id=%s", what, ms, request_id)
        elif status >= 500:
            log.error("%s %d %.1f ms id=%s %s", what, status, ms, request_id, failure)
        else:
            log.info("%s %d %.1f ms id=%s", what, status, ms, request_id)
