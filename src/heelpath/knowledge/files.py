"""Reading a knowledge file: YAML (with libyaml's C parser when present), errors named."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from heelpath.errors import KnowledgeError

# The C parser reads the knowledge several times faster (cold start of the CLI).
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Mapping[str, Any]:
    """Parse one knowledge file; a missing or malformed file raises KnowledgeError naming it."""
    name = path.name
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_Loader)
    except FileNotFoundError:
        raise KnowledgeError(name, "", "", "file is missing") from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(name, "", "", f"not valid YAML: {exc}") from None
    if not isinstance(data, Mapping):
        raise KnowledgeError(name, "", "", "expected a mapping at the top level")
    return data
