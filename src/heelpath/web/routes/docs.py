"""``/docs``: the REST API's reference, rendered on the server from the live OpenAPI schema.

A plain page rather than Swagger UI: nothing is fetched from another host, no
inline script is needed under the Content-Security-Policy, and it reads well
with a screen reader and at 375 px. Machines read ``/openapi.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from heelpath.web.routes.api import EXAMPLE_INPUT

router = APIRouter()
MAX_DEPTH = 4


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    body: list[Field]
    responses: list[tuple[str, str, list[Field]]]


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        resolved: dict[str, Any] = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
        return resolved
    return schema


def _type(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return "object"
    if "anyOf" in schema:
        return " or ".join(_type(spec, s) for s in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(json.dumps(v) for v in schema["enum"])
    if "const" in schema:
        return json.dumps(schema["const"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {_type(spec, schema.get('items', {}))}"
    if kind == "object" and "properties" in schema and not schema.get("required"):
        return "object: id → " + _type(spec, next(iter(schema["properties"].values())))
    if kind == "integer" and ("minimum" in schema or "maximum" in schema):
        return f"integer {schema.get('minimum', '')}–{schema.get('maximum', '')}"
    return str(kind)


def _fields(
    spec: dict[str, Any], schema: dict[str, Any], prefix: str = "", depth: int = 0
) -> list[Field]:
    schema = _resolve(spec, schema)
    required = set(schema.get("required", ()))
    out: list[Field] = []
    for name, prop in schema.get("properties", {}).items():
        full = f"{prefix}{name}"
        out.append(
            Field(full, _type(spec, prop), name in required, str(prop.get("description", "")))
        )
        if depth >= MAX_DEPTH:
            continue
        inner = prop.get("items", prop) if prop.get("type") == "array" else prop
        if "$ref" in inner:
            suffix = "[]." if prop.get("type") == "array" else "."
            out.extend(_fields(spec, inner, full + suffix, depth + 1))
    return out


def operations(spec: dict[str, Any]) -> list[Operation]:
    """The operations of an OpenAPI document, flattened for the reference page."""
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            body: list[Field] = []
            content = op.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = _fields(spec, content["application/json"].get("schema", {}))
            responses = []
            for status, resp in op.get("responses", {}).items():
                schema = resp.get("content", {}).get("application/json", {}).get("schema", {})
                responses.append((status, str(resp.get("description", "")), _fields(spec, schema)))
            out.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    anchor=f"{method}-{path.strip('/').replace('/', '-')}",
                    summary=str(op.get("summary", "")),
                    description=str(op.get("description", "")),
                    body=body,
                    responses=responses,
                )
            )
    return out


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
async def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request,
        "api_docs.html",
        {
            "title": "heelpath REST API",
            "spec": spec,
            "operations": operations(spec),
            "example": json.dumps(EXAMPLE_INPUT, indent=2),
        },
    )
