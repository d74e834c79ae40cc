"""The pages that say who made heelpath and how far to trust it: about and clinical safety."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from heelpath import __version__
from heelpath.knowledge.version import knowledge_version

router = APIRouter()


def _render(request: Request, name: str, context: dict[str, object]) -> Response:
    response: Response = request.app.state.templates.TemplateResponse(request, name, context)
    return response


@router.get("/about", include_in_schema=False)
def about(request: Request) -> Response:
    knowledge = request.app.state.knowledge
    return _render(
        request,
        "about.html",
        {
            "title": "About heelpath",
            "heelpath_version": __version__,
            "knowledge_version": knowledge_version(),
            "conditions": len(knowledge.conditions),
            "sources": len(knowledge.sources),
            "rules": len(knowledge.red_flag_rules),
        },
    )


@router.get("/clinical-safety", include_in_schema=False)
def clinical_safety(request: Request) -> Response:
    summary = request.app.state.safety_summary
    return _render(
        request, "clinical_safety.html", {"title": "Clinical safety", "summary": summary}
    )
