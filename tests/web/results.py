"""The result page for one contract input, rendered by the app's own template and view.

Rendered straight from ``result_view.build`` and ``result.html`` (not by walking the
interview), so these tests hold the result page whatever route leads to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request

from heelpath import interview as iv
from heelpath.engine import Engine
from heelpath.web import result_view

DAY = dt.date(2026, 3, 14)


def answers_of(data: dict[str, Any], engine: Engine) -> iv.Answers:
    """The interview's answers for a contract input."""
    fields = [(k, str(data[k])) for k in ("age", "sex", "work", "pain_score") if k in data]
    fields += [("footwear", f) for f in data.get("footwear", [])]
    fields += [
        (iv.FINDING_PREFIX + f, "yes" if v else "no") for f, v in data.get("findings", {}).items()
    ]
    return iv.parse_form(fields, engine.knowledge)


def view_of(data: dict[str, Any], engine: Engine) -> result_view.ResultView:
    return result_view.build(engine.assess(data), engine.knowledge, answers_of(data, engine), DAY)


def result_html(app: FastAPI, data: dict[str, Any], engine: Engine) -> str:
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}
    request = Request({**scope, "app": app})
    context = {"title": "Your result", "view": view_of(data, engine), "hidden": [], "back_step": 0}
    response = app.state.templates.TemplateResponse(request, "result.html", context)
    return bytes(response.body).decode()
