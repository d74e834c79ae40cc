"""Security from the start: strict response headers, a bound on request bodies, the host
check, HEAD and OPTIONS.

All are plain ASGI middleware (no per-request task or buffering), so they
cost next to nothing on the API's hot path.

The Content-Security-Policy allows scripts, styles and images from this
origin only, and no inline script or style at all: templates carry no
``<script>`` bodies, no ``style`` attributes and no event-handler attributes.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from heelpath.web.errors import error_response
from heelpath.web.methods import allowed_methods

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)

_RAW_HEADERS = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS]
_NAMES = {k for k, _ in _RAW_HEADERS}


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response (replacing any the app set)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
                message = {**message, "headers": headers + _RAW_HEADERS}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Refuses request bodies larger than ``max_bytes`` with 413.

    A declared Content-Length over the limit is refused before the app runs
    and before any of the body is read. A body streamed without one is counted
    as it arrives, and refused with an ``HTTPException`` where the app reads
    it. Both answers come from the app's one error handler (``web/errors.py``):
    JSON under /api/, a page elsewhere.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    declared = int(v)
                except ValueError:
                    declared = None
                break
        limit = self.max_bytes
        too_large = f"The request body is larger than {limit} bytes."
        if declared is not None and declared > limit:
            response = error_response(Request(scope), 413, too_large)
            response.headers["connection"] = "close"
            await response(scope, receive, send)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, too_large)
            return message

        await self.app(scope, limited_receive, send)


class HeadAsGetMiddleware:
    """Answers HEAD wherever GET is answered: the GET response's headers, without its body.

    Where GET is not allowed either, the answer is the same 405 a GET gets.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


class OptionsMiddleware:
    """Answers OPTIONS wherever the app serves something: 204 and ``Allow`` with its methods.

    A path nothing serves gets its 404. No CORS headers are sent: the API
    serves this origin and clients that are not browsers, so a browser's
    cross-origin preflight finds no permission and the browser stops there.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        methods = (
            allowed_methods(scope)
            if scope["type"] == "http" and scope["method"] == "OPTIONS"
            else []
        )
        if not methods:
            await self.app(scope, receive, send)
            return
        await Response(status_code=204, headers={"allow": ", ".join(methods)})(scope, receive, send)


_HOST_ALLOWED = "heelpath.host_allowed"


async def _mark_allowed(scope: Scope, receive: Receive, send: Send) -> None:
    scope[_HOST_ALLOWED] = True


async def _discard(message: Message) -> None:
    return None


class TrustedHostsMiddleware:
    """Answers only requests whose Host header names this server (``HEELPATH_ALLOWED_HOSTS``).

    Starlette's ``TrustedHostMiddleware`` decides; a refusal is answered by the
    app's one error handler like any other 400 (JSON naming the ``host`` under
    /api/, the error page elsewhere) instead of Starlette's plain text.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str]) -> None:
        self.app = app
        self.check = TrustedHostMiddleware(
            _mark_allowed, allowed_hosts=list(allowed_hosts), www_redirect=False
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.check(scope, receive, _discard)  # a refusal is sent nowhere
        if scope.pop(_HOST_ALLOWED, False):
            await self.app(scope, receive, send)
            return
        message = "This server does not answer to that host name (the Host header)."
        response = error_response(Request(scope), 400, message, field="host")
        await response(scope, receive, send)
