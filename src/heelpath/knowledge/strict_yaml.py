"""The YAML reader of the knowledge files: strict, so that what a reviewer sees is what loads.

It refuses duplicate keys (the second silently replaces the first) and every
anchor and alias (``&name``, ``*name``): a value must be written where it is
used, so a reader never has to follow a reference to know what an entry says,
and no "alias bomb" of a few lines can expand to billions of values. What
several interventions share is named in the rule language instead
(``definitions:`` and ``texts:`` in interventions.yaml). Imported only when a
file is parsed, not read from the cache (``files.py``).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

from heelpath.errors import KnowledgeError
from heelpath.parsing import quote

# The C parser reads the knowledge several times faster (cold start of the CLI).
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_anchors(name: str, text: str) -> None:
    """KnowledgeError on the first anchor or alias; YAML writes each with ``&`` or ``*``."""
    if "&" not in text and "*" not in text:
        return
    for event in yaml.parse(text, Loader=_SafeLoader):
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            kind, sign = ("alias", "*") if isinstance(event, yaml.AliasEvent) else ("anchor", "&")
            what = f"a YAML {kind} {quote(sign + anchor)}"
            mark = event.start_mark
            if mark is not None:
                what += f" (line {mark.line + 1}, column {mark.column + 1})"
            raise KnowledgeError(
                name,
                "",
                "",
                f"{what}: anchors and aliases are not allowed, write the value where it is used",
            )


class KnowledgeLoader(_SafeLoader):  # type: ignore[misc]
    """YAML's safe loader, refusing duplicate keys."""

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
        _refuse_anchors(name, text)
        return yaml.load(text, Loader=KnowledgeLoader)
    except yaml.YAMLError as exc:
        raise KnowledgeError(name, "", "", f"not valid YAML: {_yaml_problem(exc)}") from None
    except RecursionError:
        raise KnowledgeError(name, "", "", "not valid YAML: nested too deeply") from None
