"""``heelpath serve`` processes for tests: on a free loopback port, over a given database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    def __init__(self, proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.proc = proc
        self.url = url
        self.log = log


def start(database_url: str, log: Path, deadline_s: float = 60) -> Server:
    """Start a server and wait (polling) until it answers /healthz."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "HEELPATH_DATABASE_URL": database_url}
    with log.open("a") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "heelpath", "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return Server(proc, url, log)
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(Server(proc, url, log))
            raise AssertionError(f"heelpath serve did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


def stop(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.terminate()
        try:
            server.proc.wait(10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait(5)


@contextmanager
def serving(database_url: str, log: Path) -> Iterator[Server]:
    server = start(database_url, log)
    try:
        yield server
    finally:
        stop(server)
