"""heelpath: back-of-heel pain assessment, triage and home plan.

The Python API::

    import heelpath
    answer = heelpath.assess({"age": 46, "findings": {"pain_at_insertion": True}})

``assess`` takes one contract input (spec v1) and returns the answer as a dict;
it raises ``heelpath.errors.InvalidInput`` naming the field at fault.
``heelpath.assess(data, open_questions=True)`` adds the questions that would settle it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heelpath.engine import Engine
    from heelpath.knowledge import load_knowledge

__version__ = "0.1.0"

__all__ = ["Engine", "__version__", "assess", "load_knowledge"]


def assess(data: dict[str, Any], *, open_questions: bool = False) -> dict[str, Any]:
    """Assess one input (a dict in the contract's shape) and return the answer dict; with
    ``open_questions=True`` the answer also lists the unanswered findings that would
    change the triage level or the leading condition (spec 1.1, optional)."""
    from heelpath.engine import default_engine

    return default_engine().assess(data, open_questions)


def __getattr__(name: str) -> Any:
    # imported on first use, so that `heelpath serve --help` or a web worker's start
    # does not pay for what it does not use
    if name == "Engine":
        from heelpath.engine import Engine

        return Engine
    if name == "load_knowledge":
        from heelpath.knowledge import load_knowledge

        return load_knowledge
    raise AttributeError(f"module 'heelpath' has no attribute {name!r}")
