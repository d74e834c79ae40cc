"""The static files, served under names that carry their content's hash.

``heelpath.css`` is linked from the pages as ``/static/heelpath.<hash>.css``: a new
version has a new name, so a browser may keep each one for a year without asking
again. The plain names still answer (a bookmark, an old page), with ``no-cache``
so that they are checked each time.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

FOREVER = "public, max-age=31536000, immutable"
CHECK_EACH_TIME = "no-cache"


def hashed_name(path: Path) -> str:
    """``heelpath.css`` -> ``heelpath.<first 12 hex digits of its SHA-256>.css``."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{path.stem}.{digest}{path.suffix}"


class StaticAssets(StaticFiles):
    """StaticFiles that also answers each file's hashed name, cached for good."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory)
        files = sorted(p for p in directory.iterdir() if p.is_file())
        self.urls = {p.name: f"/static/{hashed_name(p)}" for p in files}  # name -> its URL
        self._names = {hashed_name(p): p.name for p in files}  # hashed name -> name

    def url(self, name: str) -> str:
        """The URL to link a static file by (KeyError for a file that is not there)."""
        return self.urls[name]

    async def get_response(self, path: str, scope: Scope) -> Response:
        name = self._names.get(path)
        response = await super().get_response(path if name is None else name, scope)
        response.headers["cache-control"] = CHECK_EACH_TIME if name is None else FOREVER
        return response
