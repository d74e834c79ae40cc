"""Schemathesis against the app's own OpenAPI schema: no input it can make is a server error.

The schema is loaded when this module is collected (schemathesis's lazy
fixture loader does not work with pytest 9), from an app over the shipped
knowledge; requests go to the app in-process through ASGI. The calls that need
an account are made by a fresh account each time (with a saved assessment, so
the diary is open to it), and with the account's Bearer token; the 401s without
one are pinned in tests/web/test_records_api.py.
"""

from __future__ import annotations

import uuid

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from heelpath.store import accounts
from heelpath.web import recovery
from heelpath.web.app import create_app
from heelpath.web.settings import Settings

app = create_app(Settings())
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
OPEN = ("/api/v1/assess", "/api/v1/vocabulary", "/api/v1/accounts", "/api/v1/tokens", "/healthz")
# both valid inputs (answered 200) and schema-breaking ones (answered 4xx, never 5xx)
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)


def _new_person() -> str:
    """A fresh account with a saved assessment (made in the store: no sign-in to rate-limit)."""
    db = app.state.db
    with db.transaction() as session:
        account = accounts.create(session, f"{uuid.uuid4().hex}@example.com", "a long password")
        token = accounts.start_session(session, account, "api")
    recovery.save_assessment(db, app.state.engine, account.id, {"age": 40, "findings": {}}, "api")
    return token


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_answers_with_a_server_error(case: schemathesis.Case) -> None:
    headers = None
    if case.path.startswith("/api/v1/") and case.path not in OPEN:
        headers = {"authorization": f"Bearer {_new_person()}"}
    case.call_and_validate(
        headers=headers,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            negative_data_rejection,
        ],
    )
