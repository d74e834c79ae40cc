"""Strict readers for what a person or a client sends, one function per kind of value.

Every value heelpath reads from outside (a form field, a JSON body, a number in
either) goes through one of these before it reaches ``int()``, a message or
the engine, so that no input can make a server error:

- ``whole_number``: ASCII digits only (``str.isdigit`` also accepts ``²`` and
  ``٣``, which ``int`` refuses), at most as many digits as the bound has.
- ``parse_json``: a JSON document of bounded nesting, its faults named.
- ``integral``: a whole number written as ``80.0`` is the integer it is (JSON
  Schema calls it an integer too).
- ``quote`` and ``field_path``: at most a short, escaped prefix of what was
  sent, for messages; never the repr of a whole container.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from heelpath.errors import InvalidInput

ASCII_DIGITS = frozenset("0123456789")
# the contract's inputs nest two deep (input > findings > value); far deeper is no input
MAX_JSON_DEPTH = 16
QUOTE_CHARS = 40


def whole_number(text: str, lo: int, hi: int) -> int | None:
    """The whole number in ``text`` if it is one between ``lo`` and ``hi`` (>= 0), else None.

    Only ASCII digits count, with surrounding spaces allowed; no sign, no
    decimal point, and no more digits than ``hi`` has.
    """
    text = text.strip(" \t")
    if not text or len(text) > len(str(hi)) or not ASCII_DIGITS.issuperset(text):
        return None
    n = int(text)
    return n if lo <= n <= hi else None


def integral(value: Any) -> Any:
    """``value`` as an int when it is a finite float with no fraction (``80.0``); else unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def quote(value: Any, limit: int = QUOTE_CHARS) -> str:
    """A short, escaped rendering of a value someone sent, for an error message."""
    if isinstance(value, str):
        shown = repr(value[:limit])
        return shown + "..." if len(value) > limit else shown
    if value is None or isinstance(value, bool):
        return orjson.dumps(value).decode()
    if isinstance(value, int | float):
        text = repr(value)
        return text if len(text) <= limit else text[:limit] + "..."
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return "a value of another kind"


def field_part(part: Any, limit: int = QUOTE_CHARS) -> str:
    """One part of a field's dotted path, cut to ``limit`` characters and made printable."""
    text = str(part)
    cut = text[:limit]
    if not cut.isprintable():
        cut = cut.encode("unicode_escape").decode("ascii")[:limit]
    return cut + "..." if len(text) > limit else cut


def field_path(parts: Iterable[Any]) -> str:
    """The dotted path of a field, each part cut short (an unknown id can be any length)."""
    return ".".join(field_part(p) for p in parts)


def _too_deep(data: Any, max_depth: int) -> str | None:
    """The top-level field under which ``data`` nests deeper than ``max_depth``, if any.

    Walked with an explicit stack, never by recursion, so no depth can exhaust it.
    """
    stack: list[tuple[Any, int, str]] = [(data, 0, "")]
    while stack:
        value, depth, top = stack.pop()
        if depth > max_depth:
            return top or "body"
        if isinstance(value, dict):
            for key, child in value.items():
                stack.append((child, depth + 1, top or field_part(key)))
        elif isinstance(value, list):
            stack.extend((child, depth + 1, top) for child in value)
    return None


def parse_json(raw: bytes | str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """One JSON document, nested at most ``max_depth`` deep; InvalidInput naming the fault.

    A document that is not JSON is the fault of the whole ``body``; one nested
    too deep, of the top-level field the nesting is under.
    """
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        # orjson's message says where (line, column), never what was sent
        raise InvalidInput("body", f"is not valid JSON ({exc})") from None
    field = _too_deep(data, max_depth)
    if field is not None:
        raise InvalidInput(field, f"is nested deeper than {max_depth} levels")
    return data
