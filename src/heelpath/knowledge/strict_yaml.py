"""The YAML reader of the knowledge files: strict, so that what a reviewer sees is what loads.

It refuses duplicate keys (the second silently replaces the first) and aliases
that loop or expand beyond a bound (an "alias bomb" of a few lines expands to
billions of values); an alias that names a shared rule, as interventions.yaml
does, is kept. Imported only when a file is parsed, not read from the cache
(``files.py``).
"""

from __future__ import annotations

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


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """One line from a YAML error: what is wrong and where (PyYAML's own is several lines)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        what = exc.problem or exc.context or "cannot be parsed"
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            return f"{what} (line {mark.line + 1}, column {mark.column + 1})"
        return what
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def parse_yaml(name: str, text: str) -> Any:
    """The parsed document, or KnowledgeError naming the file and the line."""
    try:
        return yaml.load(text, Loader=KnowledgeLoader)
    except yaml.YAMLError as exc:
        raise KnowledgeError(name, "", "", f"not valid YAML: {_yaml_problem(exc)}") from None
    except RecursionError:
        raise KnowledgeError(name, "", "", "not valid YAML: nested too deeply") from None
