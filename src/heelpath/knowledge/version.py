"""The knowledge version: which clinical content an answer came from.

It is a digest of the knowledge files themselves, so it changes whenever a
likelihood ratio, a dose or a rule does, and nobody has to remember to bump it.
A printout or an export carries it beside the heelpath version.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from heelpath.knowledge.loader import KNOWLEDGE_DIR

DIGEST_CHARS = 12


@cache
def knowledge_version(directory: Path = KNOWLEDGE_DIR) -> str:
    """The first 12 hex digits of the SHA-256 over the folder's YAML and JSON files, by name."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*")):
        if path.suffix in (".yaml", ".json"):
            digest.update(path.name.encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:DIGEST_CHARS]
