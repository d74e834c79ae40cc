"""The web app's settings, read when the app is built (never at import)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    """What can be changed about the web app.

    ``max_body_bytes`` bounds every request body: an assessment is a few
    kilobytes, so anything far larger is refused before it is read.
    ``database_url`` is accepted for the deployments that pass one; this
    version stores nothing, so it is not used.
    """

    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    database_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        raw = env.get("HEELPATH_MAX_BODY_BYTES", "").strip()
        limit = int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_BODY_BYTES
        return cls(max_body_bytes=limit, database_url=env.get("HEELPATH_DATABASE_URL") or None)
