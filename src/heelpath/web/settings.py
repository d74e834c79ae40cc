"""The web app's settings, read when the app is built (never at import)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from heelpath.parsing import whole_number
from heelpath.store.db import database_url as default_database_url

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
    ``database_url``: ``HEELPATH_DATABASE_URL``, else the SQLite file in the
    per-user data folder (``heelpath.store.db``). ``secret_key``
    (``HEELPATH_SECRET_KEY``) signs CSRF tokens; without one, a key made once
    and kept in the database is used, so every process shares it.
    ``secure_cookies`` (``HEELPATH_SECURE_COOKIES`` = 1 or 0) forces the Secure
    flag on or off; by default cookies are Secure when the request came over HTTPS.
    """

    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    allowed_hosts: tuple[str, ...] = DEFAULT_ALLOWED_HOSTS
    database_url: str | None = None
    secret_key: str | None = None
    secure_cookies: bool | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        limit = whole_number(env.get("HEELPATH_MAX_BODY_BYTES", ""), 1, 2**31)
        hosts = tuple(
            h.strip() for h in env.get("HEELPATH_ALLOWED_HOSTS", "").split(",") if h.strip()
        )
        secure = env.get("HEELPATH_SECURE_COOKIES", "").strip()
        return cls(
            max_body_bytes=limit or DEFAULT_MAX_BODY_BYTES,
            allowed_hosts=hosts or DEFAULT_ALLOWED_HOSTS,
            database_url=default_database_url(env),
            secret_key=env.get("HEELPATH_SECRET_KEY") or None,
            secure_cookies={"1": True, "0": False}.get(secure),
        )

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()
