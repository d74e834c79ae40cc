"""`heelpath serve`'s HTTP protocol sets TCP_NODELAY on every connection, even when accepted
from a socket bound the way uvicorn binds it for several workers."""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from heelpath.web.server import DeadlineH11Protocol


async def _no_delay_on_accepted(protocol_class: type[H11Protocol]) -> int:
    """TCP_NODELAY of a connection the protocol accepted from a socket like uvicorn's
    multi-worker one (``socket.socket(family)``: protocol number 0, which asyncio skips)."""

    async def app(scope: Any, receive: Any, send: Any) -> None:  # never called
        raise AssertionError

    config = Config(app, lifespan="off")
    config.load()
    state = ServerState()
    seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Probe(protocol_class):  # type: ignore[misc, valid-type]
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    listener = socket.socket(family=socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: Probe(config=config, server_state=state, app_state={}), sock=listener
    )
    try:
        _, writer = await asyncio.open_connection(*listener.getsockname())
        value = await asyncio.wait_for(seen, timeout=30)
        writer.close()
        await writer.wait_closed()
        return value
    finally:
        server.close()
        await server.wait_closed()


def _no_delay(protocol_class: type[H11Protocol]) -> int:
    # in a thread of its own: the browser tests keep an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(_no_delay_on_accepted(protocol_class))).result()


def test_no_delay_is_set_on_connections_from_a_worker_socket() -> None:
    assert _no_delay(DeadlineH11Protocol) != 0


def test_without_it_the_option_is_lost() -> None:
    # why heelpath's protocol sets it: uvicorn's own leaves it off here
    assert _no_delay(H11Protocol) == 0
