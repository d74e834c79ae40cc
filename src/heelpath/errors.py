"""The one error tree of heelpath.

    HeelpathError                 anything heelpath refuses or cannot do
    ├── InvalidInput              an assessment input breaks the contract (spec v1);
    │                             ``field`` names the field or id at fault
    └── KnowledgeError            a knowledge file is broken; names file, entry and field

The reasoning code raises only these. The CLI maps them to exit status 2 and a
message on standard error (``cli.py``); the web app maps ``InvalidInput`` to
HTTP 422 with the field (``web/errors.py``). Nothing else catches them.
"""

from __future__ import annotations


class HeelpathError(Exception):
    """Base of every error heelpath raises on purpose."""


class InvalidInput(HeelpathError):
    """An input that breaks the assessment contract.

    ``field`` is a dotted path to the field or id at fault, e.g. ``age`` or
    ``findings.pain_in_elbow``; ``message`` says what is wrong with it.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


class KnowledgeError(HeelpathError):
    """A knowledge file that cannot be loaded: names the file, the entry and the field."""

    def __init__(self, file: str, entry: str, field: str, message: str) -> None:
        self.file = file
        self.entry = entry
        self.field = field
        self.message = message
        where = file
        if entry:
            where += f", entry {entry!r}"
        if field:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")
