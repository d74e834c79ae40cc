"""Reading a knowledge file: YAML or JSON, strictly, every failure a named KnowledgeError.

Strict because a knowledge file changes clinical answers: a value that a
reviewer cannot see in the file must not reach the engine. So the YAML reader
refuses duplicate keys (the second silently replaces the first) and aliases
that loop or expand beyond a bound (an "alias bomb" of a few lines expands to
billions of values); an alias that names a shared rule, as interventions.yaml
does, is kept. Neither reader lets through ``NaN`` or an infinity (``.nan``,
``.inf``): a bound check that compares lets NaN pass, it being neither below
nor above anything. A file that is not UTF-8, cannot be read or does not
parse raises :class:`KnowledgeError` with a one-line message naming the file
and the line; a non-finite number, the entry and the field.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, SequenceNode

from heelpath.errors import KnowledgeError
from heelpath.parsing import quote

# The C parser reads the knowledge several times faster (cold start of the CLI).
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Far more values than any knowledge file holds with its aliases spelled out (the
# largest, evidence.yaml, about 4,000), far fewer than an "alias bomb" expands to.
MAX_EXPANDED_VALUES = 100_000


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _check_aliases(root: Node) -> None:
    """Refuse a document whose aliases loop or expand beyond ``MAX_EXPANDED_VALUES``.

    An alias shares its anchor's node, so the size of the document with every
    alias spelled out is worked out once per node (post-order, explicit stack).
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in _children(node))
            if sizes[key] > MAX_EXPANDED_VALUES:
                raise ConstructorError(
                    None,
                    None,
                    f"its aliases (*name) expand to more than {MAX_EXPANDED_VALUES} values",
                    node.start_mark,
                )
        elif key in open_nodes:
            raise ConstructorError(
                None, None, "an alias (*name) refers to a value that contains it", node.start_mark
            )
        elif key not in sizes:
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((c, False) for c in _children(node))


class KnowledgeLoader(_SafeLoader):  # type: ignore[misc]
    """YAML's safe loader, refusing alias bombs, aliases that loop and duplicate keys."""

    def construct_document(self, node: Node) -> Any:
        _check_aliases(node)
        return super().construct_document(node)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep)
        if len(mapping) != len(node.value):
            seen: list[Any] = []
            for key_node, _ in node.value:
                key = self.constructed_objects.get(key_node)
                if key in seen:
                    raise ConstructorError(
                        None, None, f"duplicate key {quote(key)}", key_node.start_mark
                    )
                seen.append(key)
        return mapping


def _text(path: Path) -> str:
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise KnowledgeError(name, "", "", "file is missing") from None
    except OSError as exc:
        raise KnowledgeError(name, "", "", f"cannot be read ({exc.strerror})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise KnowledgeError(
            name, "", "", f"is not UTF-8 text (line {line}, byte {exc.start})"
        ) from None


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """One line from a YAML error: what is wrong and where (PyYAML's own is several lines)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        what = exc.problem or exc.context or "cannot be parsed"
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            return f"{what} (line {mark.line + 1}, column {mark.column + 1})"
        return what
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


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
    text = _text(path)
    try:
        data = yaml.load(text, Loader=KnowledgeLoader)
    except yaml.YAMLError as exc:
        raise KnowledgeError(name, "", "", f"not valid YAML: {_yaml_problem(exc)}") from None
    except RecursionError:
        raise KnowledgeError(name, "", "", "not valid YAML: nested too deeply") from None
    if not isinstance(data, Mapping):
        raise KnowledgeError(name, "", "", "expected a mapping at the top level")
    bad = _non_finite(data)
    if bad is not None:
        entry, field, value = bad
        raise KnowledgeError(name, entry, field, f"{value} is not a finite number")
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a knowledge file may hold")


def read_json(path: Path) -> Mapping[str, Any]:
    """Parse one JSON knowledge file (the vocabulary); NaN and Infinity are refused."""
    name = path.name
    text = _text(path)
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
