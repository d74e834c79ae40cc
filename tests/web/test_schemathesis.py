"""Schemathesis against the app's own OpenAPI schema: no input it can make is a server error.

The schema is loaded when this module is collected (schemathesis's lazy
fixture loader does not work with pytest 9), from an app over the shipped
knowledge; requests go to the app in-process through ASGI.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from heelpath.web.app import create_app
from heelpath.web.settings import Settings

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings()))
# both valid inputs (answered 200) and schema-breaking ones (answered 4xx, never 5xx)
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_answers_with_a_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            negative_data_rejection,
        ]
    )
