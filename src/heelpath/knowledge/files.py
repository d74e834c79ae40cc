"""Reading a knowledge file: YAML parsed once per content, errors named.

Parsing the YAML is most of the cost of loading the knowledge, which every
command pays at start. So the parsed form of each file is kept in a per-user
cache (``$HEELPATH_CACHE_DIR``, else ``$XDG_CACHE_HOME/heelpath``, else
``~/.cache/heelpath``) under the SHA-256 of the file's bytes: an edited file
has another name there and is parsed afresh, and a cache that cannot be read
or written is passed over. The checks of ``loader.py`` run on every load.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from heelpath.errors import KnowledgeError

# bump when the cached form changes
CACHE_FORMAT = 1


def cache_dir() -> Path:
    if os.environ.get("HEELPATH_CACHE_DIR"):
        return Path(os.environ["HEELPATH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "heelpath"


def read_yaml(path: Path) -> Mapping[str, Any]:
    """Parse one knowledge file; a missing or malformed file raises KnowledgeError naming it."""
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise KnowledgeError(name, "", "", "file is missing") from None
    cached = cache_dir() / f"{path.stem}-{hashlib.sha256(raw).hexdigest()}-{CACHE_FORMAT}.pickle"
    data = _read_cached(cached)
    if data is None:
        data = _parse(name, raw)
        _write_cached(cached, data)
    if not isinstance(data, Mapping):
        raise KnowledgeError(name, "", "", "expected a mapping at the top level")
    return data


def _parse(name: str, raw: bytes) -> Any:
    import yaml  # only when the file is not in the cache

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when present
    try:
        return yaml.load(raw.decode("utf-8"), Loader=loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise KnowledgeError(name, "", "", f"not valid YAML: {exc}") from None


def _read_cached(path: Path) -> Any:
    """The parsed form kept at ``path``, or None. Pickle keeps the YAML's shared entries
    (aliases) shared; the cache is the user's own, written only by :func:`_write_cached`."""
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign entry: parse afresh (and overwrite it)
        return None


def _write_cached(path: Path, data: Any) -> None:
    """Keep the parsed form; written to a temporary file and renamed, so a reader never
    sees half of it. Nothing is kept where the cache cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
