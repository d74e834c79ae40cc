"""heelpath: back-of-heel pain assessment, triage and home plan.

The Python API::

    import heelpath
    answer = heelpath.assess({"age": 46, "findings": {"pain_at_insertion": True}})

``assess`` takes one contract input (spec v1) and returns the answer as a dict;
it raises ``heelpath.errors.InvalidInput`` naming the field at fault.
"""

from __future__ import annotations

from typing import Any

from heelpath.engine import Engine, default_engine
from heelpath.knowledge import load_knowledge

__version__ = "0.1.0"

__all__ = ["Engine", "__version__", "assess", "load_knowledge"]


def assess(data: dict[str, Any]) -> dict[str, Any]:
    """Assess one input (a dict in the contract's shape) and return the answer dict."""
    return default_engine().assess(data)
