"""The web app's settings, read when the app is built (never at import)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from heelpath.parsing import whole_number

DEFAULT_MAX_BODY_BYTES = 64 * 1024
# the loopback names, and the test client's
DEFAULT_ALLOWED_HOSTS = ("localhost", "127.0.0.1", "[::1]", "testserver")


@dataclass(frozen=True, slots=True)
class Settings:
    """What can be changed about the web app.

    ``max_body_bytes`` bounds every request body: an assessment is a few
    kilobytes, so anything far larger is refused before it is read.
    ``allowed_hosts`` are the names the app answers to in the ``Host`` header
    (others get 400), so a page cannot be served under a hostile name (DNS
    rebinding); ``*.example.org`` allows the subdomains, ``*`` anything.
    ``database_url`` is accepted for the deployments that pass one; this
    version stores nothing, so it is not used.
    """

    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    allowed_hosts: tuple[str, ...] = DEFAULT_ALLOWED_HOSTS
    database_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        limit = whole_number(env.get("HEELPATH_MAX_BODY_BYTES", ""), 1, 2**31)
        hosts = tuple(
            h.strip() for h in env.get("HEELPATH_ALLOWED_HOSTS", "").split(",") if h.strip()
        )
        return cls(
            max_body_bytes=limit or DEFAULT_MAX_BODY_BYTES,
            allowed_hosts=hosts or DEFAULT_ALLOWED_HOSTS,
            database_url=env.get("HEELPATH_DATABASE_URL") or None,
        )
