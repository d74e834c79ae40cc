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


def _hashed_path(path: Path, directory: Path) -> str:
    """The path under ``directory``, its file name hashed: ``drawings/x.<hash>.svg``."""
    return path.relative_to(directory).with_name(hashed_name(path)).as_posix()


class StaticAssets(StaticFiles):
    """StaticFiles that also answers each file's hashed name, cached for good."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory)
        self.urls: dict[str, str] = {}  # a file's path in the folder -> the URL to link
        self._names: dict[str, str] = {}  # a hashed path -> the file's path
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            name, hashed = path.relative_to(directory).as_posix(), _hashed_path(path, directory)
            self.urls[name] = f"/static/{hashed}"
            self._names[hashed] = name

    def url(self, name: str) -> str:
        """The URL to link a static file by (KeyError for a file that is not there)."""
        return self.urls[name]

    async def get_response(self, path: str, scope: Scope) -> Response:
        name = self._names.get(path)
        response = await super().get_response(path if name is None else name, scope)
        response.headers["cache-control"] = CHECK_EACH_TIME if name is None else FOREVER
        return response
