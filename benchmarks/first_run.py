"""The first commands on a fresh clone: how long until the app answers, and until the tests start.

    uv run python benchmarks/first_run.py [--cold-cache]

Clones this checkout's HEAD into a temporary folder and times, from nothing:

1. the README's serve command (``uv run --locked --no-dev heelpath serve``, on a free
   port instead of 8000) until ``GET /healthz`` answers;
2. the README's test command's set-up, with the development tools
   (``uv run --locked pytest --version``) in that same clone.

uv's download cache is this machine's, as on any machine that has installed Python
packages before (a warm network); ``--cold-cache`` gives uv an empty cache instead,
so everything is downloaded. The figures go in the README.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 600.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def time_serve(clone: Path, env: dict[str, str]) -> float:
    port = free_port()
    start = time.perf_counter()
    server = subprocess.Popen(
        ["uv", "run", "--locked", "--no-dev", "heelpath", "serve", "--port", str(port)],
        cwd=clone,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while not answers(port):
            if server.poll() is not None:
                raise SystemExit(f"heelpath serve exited with {server.returncode}")
            if time.perf_counter() - start > DEADLINE:
                raise SystemExit("heelpath serve did not answer in time")
            time.sleep(0.05)
        return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)


def time_test_setup(clone: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["uv", "run", "--locked", "pytest", "--version"],
        cwd=clone,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-cache", action="store_true", help="start uv with an empty cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "heelpath"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_"))}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a person's machine
        if args.cold_cache:
            env["UV_CACHE_DIR"] = str(Path(tmp) / "uv-cache")
        cache = "an empty uv cache" if args.cold_cache else "this machine's uv cache"
        serve = time_serve(clone, env)
        print(f"fresh clone, {cache}: `uv run --locked --no-dev heelpath serve` answers "
              f"after {serve:.1f} s")  # fmt: skip
        tests = time_test_setup(clone, env)
        print(f"then `uv run --locked pytest` adds the development tools: {tests:.1f} s")
        shutil.rmtree(clone / ".venv", ignore_errors=True)


if __name__ == "__main__":
    main()
