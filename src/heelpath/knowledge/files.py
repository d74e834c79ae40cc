"""Reading a knowledge file: YAML or JSON, strictly, every failure a named KnowledgeError;
each YAML file parsed once per content.

Strict because a knowledge file changes clinical answers: a value that a
reviewer cannot see in the file must not reach the engine. So the YAML reader
(``strict_yaml.py``) refuses duplicate keys and every YAML anchor and alias.
Neither reader lets through ``NaN`` or an infinity (``.nan``,
``.inf``): a bound check that compares lets NaN pass, it being neither below
nor above anything. A file that is not UTF-8, cannot be read or does not
parse raises :class:`KnowledgeError` with a one-line message naming the file
and the line; a non-finite number, the entry and the field.

Parsing the YAML is most of the cost of loading the knowledge, which every
command pays at start. So the parsed form of each file that passed is kept in a
per-user cache (``$HEELPATH_CACHE_DIR``, else ``$XDG_CACHE_HOME/heelpath``, else
``~/.cache/heelpath``) under the SHA-256 of the file's bytes: an edited file has
another name there and is parsed and checked afresh, and a cache that cannot be
read or written is passed over. The checks of ``loader.py`` run on every load.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from heelpath.errors import KnowledgeError
from heelpath.parsing import quote

# bump when the cached form or the checks before caching change (2: anchors and
# aliases refused, so a file cached with them is parsed afresh and refused)
CACHE_FORMAT = 2


def cache_dir() -> Path:
    if os.environ.get("HEELPATH_CACHE_DIR"):
        return Path(os.environ["HEELPATH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "heelpath"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise KnowledgeError(path.name, "", "", "file is missing") from None
    except OSError as exc:
        raise KnowledgeError(path.name, "", "", f"cannot be read ({exc.strerror})") from None


def _decode(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise KnowledgeError(
            name, "", "", f"is not UTF-8 text (line {line}, byte {exc.start})"
        ) from None


def _entry_name(obj: Mapping[str, Any], index: int) -> str:
    # the names the loader gives entries: an id, or "finding x condition" for a ratio
    if isinstance(obj.get("id"), str):
        return quote(obj["id"]).strip("'")
    if isinstance(obj.get("finding"), str) and isinstance(obj.get("condition"), str):
        return f"{obj['finding']} x {obj['condition']}"
    return f"#{index + 1}"


def _non_finite(data: Any) -> tuple[str, str, float] | None:
    """The entry and field of the first NaN or infinity in a parsed file, if any.

    Walked with an explicit stack: the entry is the nearest list item (by its
    name), the field the dotted path of keys below it.
    """
    stack: list[tuple[Any, str, tuple[str, ...]]] = [(data, "", ())]
    while stack:
        value, entry, keys = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return entry, ".".join(keys), value
        if isinstance(value, Mapping):
            stack.extend((v, entry, (*keys, str(k))) for k, v in value.items())
        elif isinstance(value, list):
            for i, item in enumerate(value):
                name = _entry_name(item, i) if isinstance(item, Mapping) else f"#{i + 1}"
                where = f"{entry} {'.'.join(keys)} {name}" if entry else name
                stack.append((item, where, ()))
    return None


def read_yaml(path: Path) -> Mapping[str, Any]:
    """Parse one knowledge file; a missing or malformed file raises KnowledgeError naming it."""
    name = path.name
    raw = _read(path)
    cached = cache_dir() / f"{path.stem}-{hashlib.sha256(raw).hexdigest()}-{CACHE_FORMAT}.pickle"
    data = _read_cached(cached)
    if data is None:
        from heelpath.knowledge.strict_yaml import parse_yaml  # only for a file not in the cache

        data = parse_yaml(name, _decode(name, raw))
        if not isinstance(data, Mapping):
            raise KnowledgeError(name, "", "", "expected a mapping at the top level")
        bad = _non_finite(data)
        if bad is not None:
            entry, field, value = bad
            raise KnowledgeError(name, entry, field, f"{value} is not a finite number")
        _write_cached(cached, data)
    if not isinstance(data, Mapping):
        raise KnowledgeError(name, "", "", "expected a mapping at the top level")
    return data


def _read_cached(path: Path) -> Any:
    """The parsed form kept at ``path``, or None. The cache is the user's own, written
    only by :func:`_write_cached`."""
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


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a knowledge file may hold")


def read_json(path: Path) -> Mapping[str, Any]:
    """Parse one JSON knowledge file (the vocabulary); NaN and Infinity are refused."""
    name = path.name
    text = _decode(name, _read(path))
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise KnowledgeError(
            name, "", "", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise KnowledgeError(name, "", "", f"not valid JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise KnowledgeError(name, "", "", "expected an object at the top level")
    return data
