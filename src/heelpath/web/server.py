"""``heelpath serve``: the web app under uvicorn, one process per worker."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's HTTP protocol, setting ``TCP_NODELAY`` on each connection itself.

    asyncio sets it only on connections accepted from a socket it created. With
    ``--workers N`` uvicorn binds the socket for its processes itself, the option is
    lost, and each response after the first on a keep-alive connection waited for
    the client's delayed ACK (about 40 ms).
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def serve(
    host: str = "127.0.0.1", port: int = 8000, workers: int = 1, **uvicorn_options: Any
) -> None:
    """Serve the app with uvicorn until interrupted (``heelpath serve``).

    With ``workers`` > 1, uvicorn runs that many processes, each building its own
    app from the environment through the factory (the engine is CPU-bound, so one
    process uses one core).
    """
    if workers < 1:
        raise ValueError("workers must be at least 1")
    options: dict[str, Any] = {
        "log_level": "info",
        "server_header": False,
        "http": NoDelayH11Protocol,
        **uvicorn_options,
    }
    target: Any
    if workers == 1:
        from heelpath.web.app import create_app

        target = create_app()
    else:
        target = "heelpath.web.app:create_app"
        options.update(factory=True, workers=workers)
    print(f"heelpath is running at http://{host}:{port}/ (press Ctrl+C to stop)", flush=True)
    uvicorn.run(target, host=host, port=port, **options)
