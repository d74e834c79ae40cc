"""The web app's settings, read when the app is built (never at import)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from heelpath.store.db import database_url as default_database_url

DEFAULT_MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    """What can be changed about the web app.

    ``max_body_bytes`` bounds every request body: an assessment is a few
    kilobytes, so anything far larger is refused before it is read.
    ``database_url``: ``HEELPATH_DATABASE_URL``, else the SQLite file in the
    per-user data folder (``heelpath.store.db``). ``secret_key``
    (``HEELPATH_SECRET_KEY``) signs CSRF tokens; without one, a key made once
    and kept in the database is used, so every process shares it.
    ``secure_cookies`` (``HEELPATH_SECURE_COOKIES`` = 1 or 0) forces the Secure
    flag on or off; by default cookies are Secure when the request came over HTTPS.
    """

    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    database_url: str | None = None
    secret_key: str | None = None
    secure_cookies: bool | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        raw = env.get("HEELPATH_MAX_BODY_BYTES", "").strip()
        limit = int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_BODY_BYTES
        secure = env.get("HEELPATH_SECURE_COOKIES", "").strip()
        return cls(
            max_body_bytes=limit,
            database_url=default_database_url(env),
            secret_key=env.get("HEELPATH_SECRET_KEY") or None,
            secure_cookies={"1": True, "0": False}.get(secure),
        )

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()
