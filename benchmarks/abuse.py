"""What abuse does to a live `heelpath serve` on loopback: one row per probe.

uv run python benchmarks/abuse.py [--slowloris N=1100]

Starts `heelpath serve` on a free port, with its log in a file, and runs each
probe against it over raw sockets. For each probe it prints: how many requests,
the statuses they got (`closed` when the server closed the connection without
an answer, `-` when the client left first), the seconds the probe took, the log
lines the server wrote meanwhile, and the server's resident memory before and
after. Ends with the totals: server errors (5xx) and log lines per request.
"""

from __future__ import annotations

import argparse
import collections
import os
import selectors
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HOST = "127.0.0.1"
GOOD = b'{"age": 46, "sex": "female", "findings": {"pain_at_insertion": true}}'


def post(path: str, body: bytes, content_type: str = "application/json", length: int = -1) -> bytes:
    n = len(body) if length < 0 else length
    return (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {n}\r\nConnection: close\r\n\r\n"
    ).encode() + body


def get(path: str, host: str = HOST, method: str = "GET") -> bytes:
    return f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()


class Server:
    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind((HOST, 0))
            self.port = s.getsockname()[1]
        self.log_path = Path(tempfile.mkstemp(prefix="heelpath-abuse-", suffix=".log")[1])
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "heelpath", "serve", "--host", HOST, "--port", str(self.port)],
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180
        while True:
            try:
                if status(self.ask(get("/healthz"))) == "200":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise SystemExit("heelpath serve did not become ready:\n" + self.log_text())
            time.sleep(0.2)

    def ask(self, raw: bytes, timeout: float = 30) -> bytes:
        with socket.create_connection((HOST, self.port), timeout=timeout) as s:
            s.sendall(raw)
            return read_all(s)

    def connect(self) -> socket.socket:
        return socket.create_connection((HOST, self.port), timeout=30)

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def log_lines(self) -> int:
        return len(self.log_text().splitlines())

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def read_all(s: socket.socket) -> bytes:
    data = b""
    try:
        while chunk := s.recv(65536):
            data += chunk
    except (ConnectionError, TimeoutError):
        pass
    return data


def status(response: bytes) -> str:
    if not response:
        return "closed"
    return response.split(b" ", 2)[1].decode() if response.startswith(b"HTTP/1.1 ") else "?"


def reset(s: socket.socket) -> None:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def wait_closed(socks: list[socket.socket], within: float) -> list[str]:
    """For each socket: "closed" once the server closes it, "open" if still open at the end."""
    started = time.monotonic()
    result = {s: "open" for s in socks}
    with selectors.DefaultSelector() as sel:
        for s in socks:
            sel.register(s, selectors.EVENT_READ)
        while any(v == "open" for v in result.values()):
            left = within - (time.monotonic() - started)
            if left <= 0:
                break
            for key, _ in sel.select(timeout=left):
                s = key.fileobj
                assert isinstance(s, socket.socket)
                try:
                    data = s.recv(65536)
                except ConnectionError:
                    data = b""
                if not data:
                    result[s] = "closed"
                    sel.unregister(s)
                elif data.startswith(b"HTTP/1.1 "):
                    result[s] = status(data)
                    sel.unregister(s)
    for s in socks:
        s.close()
    return list(result.values())


# -- the probes: each returns the statuses it saw ---------------------------------------------


def healthy(server: Server, n: int = 20) -> list[str]:
    return [status(server.ask(get("/healthz"))) for _ in range(n)]


def resets_mid_body(server: Server, n: int = 200) -> list[str]:
    for _ in range(n):
        s = server.connect()
        s.sendall(post("/api/v1/assess", GOOD, length=4000))
        time.sleep(0.002)
        reset(s)
    time.sleep(1)  # let the server notice each one
    return ["-"] * n


def slowloris(server: Server, n: int) -> list[str]:
    socks = [server.connect() for _ in range(n)]
    for s in socks:
        s.sendall(f"GET / HTTP/1.1\r\nHost: {HOST}\r\nX-Slow: ".encode())
    return wait_closed(socks, within=60)


def slow_bodies(server: Server, n: int = 50) -> list[str]:
    socks = [server.connect() for _ in range(n)]
    for s in socks:
        s.sendall(post("/api/v1/assess", GOOD[:10], length=len(GOOD)))
    return wait_closed(socks, within=90)


def nested(server: Server, n: int = 50) -> list[str]:
    body = b'{"age": 40, "findings": {}, "footwear": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    return [status(server.ask(post("/api/v1/assess", body))) for _ in range(n)]


def huge_declared(server: Server, n: int = 20) -> list[str]:
    return [status(server.ask(post("/api/v1/assess", b"", length=50_000_000))) for _ in range(n)]


def huge_sent(server: Server, n: int = 5) -> list[str]:
    body = b'{"age": 40, "findings": {"' + b"x" * 1_000_000 + b'": true}}'
    return [status(server.ask(post("/api/v1/assess", body))) for _ in range(n)]


def long_unknown_id(server: Server, n: int = 20) -> list[str]:
    body = b'{"age": 40, "findings": {"' + b"x" * 60_000 + b'": true}}'
    return [status(server.ask(post("/api/v1/assess", body))) for _ in range(n)]


def odd_digits(server: Server, n: int = 50) -> list[str]:
    form = b"step=%C2%B2&go=next&age=4%C2%B2&pain_score=%C2%B9"
    long_step = b"step=" + b"9" * 5000 + b"&go=next&age=40"
    return [
        status(server.ask(post("/assess", body, "application/x-www-form-urlencoded")))
        for body in [form, long_step] * (n // 2)
    ]


def records_nested(server: Server, n: int = 50) -> list[str]:
    body = b'{"email": "a@example.com", "password": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    return [status(server.ask(post("/api/v1/accounts", body))) for _ in range(n)]


def options(server: Server, n: int = 50) -> list[str]:
    return [status(server.ask(get("/api/v1/assess", method="OPTIONS"))) for _ in range(n)]


def wrong_type(server: Server, n: int = 50) -> list[str]:
    return [status(server.ask(post("/api/v1/assess", GOOD, "text/plain"))) for _ in range(n)]


def wrong_host(server: Server, n: int = 50) -> list[str]:
    return [status(server.ask(get("/", host="evil.example"))) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slowloris", type=int, default=1100, help="connections (1100)")
    args = parser.parse_args()
    server = Server()
    probes: list[tuple[str, Callable[[], list[str]]]] = [
        ("GET /healthz", lambda: healthy(server)),
        ("client resets mid-body", lambda: resets_mid_body(server)),
        (
            f"slowloris: {args.slowloris} unfinished heads",
            lambda: slowloris(server, args.slowloris),
        ),
        ("bodies that stop arriving", lambda: slow_bodies(server)),
        ("footwear nested 1000 deep", lambda: nested(server)),
        ("50 MB body declared", lambda: huge_declared(server)),
        ("1 MB body sent", lambda: huge_sent(server)),
        ("60 KB unknown finding id", lambda: long_unknown_id(server)),
        ("form: ², ¹, a 5000-digit step", lambda: odd_digits(server)),
        ("records API: a body 1000 deep", lambda: records_nested(server)),
        ("OPTIONS /api/v1/assess", lambda: options(server)),
        ("API body as text/plain", lambda: wrong_type(server)),
        ("Host: evil.example", lambda: wrong_host(server)),
        ("GET /healthz after it all", lambda: healthy(server)),
    ]
    print(f"heelpath serve on {HOST}:{server.port}, log {server.log_path}")
    print(f"{'probe':<34} {'n':>5}  {'statuses':<26} {'s':>6} {'log':>5}  memory MB")
    total = collections.Counter[str]()
    requests = 0
    lines_before_all = server.log_lines()
    try:
        for name, probe in probes:
            rss, lines = server.rss_mb(), server.log_lines()
            started = time.monotonic()
            seen = probe()
            took = time.monotonic() - started
            time.sleep(0.2)
            counts = collections.Counter(seen)
            total.update(counts)
            requests += len(seen)
            shown = ", ".join(f"{k}×{v}" for k, v in sorted(counts.items()))
            print(
                f"{name:<34} {len(seen):>5}  {shown:<26} {took:>6.2f} "
                f"{server.log_lines() - lines:>5}  {rss:.0f} -> {server.rss_mb():.0f}"
            )
        written = server.log_lines() - lines_before_all
        errors = sum(v for k, v in total.items() if k.startswith("5"))
        tracebacks = server.log_text().count("Traceback")
        print(
            f"server errors (5xx): {errors}; tracebacks in the log: {tracebacks}; "
            f"log lines: {written} for {requests} requests ({written / requests:.2f} each)"
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
