"""The progress page: charts, today's exercises with the reason, and any prompt to be seen."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from heelpath.store.accounts import Account
from heelpath.web import charts_svg, recovery
from heelpath.web.auth import require_page_account
from heelpath.web.result_view import TRIAGE_WORDS
from heelpath.web.routes.account_pages import render

router = APIRouter(include_in_schema=False)


@router.get("/progress")
def progress(
    request: Request, account: Annotated[Account, Depends(require_page_account)]
) -> Response:
    app = request.app
    p = recovery.progress(app.state.db, app.state.engine, account.id)
    return render(
        request,
        "progress.html",
        {
            "title": "My progress",
            "p": p,
            "triage_words": TRIAGE_WORDS.get(p.triage_level or "", None),
            "pain_chart": charts_svg.pain_chart(p.pain),
            "visa_chart": charts_svg.visa_chart(p.visa, p.visa_target),
            "adherence_chart": charts_svg.adherence_chart(p.adherence),
            "saved": request.query_params.get("saved") == "1",
        },
    )
