"""The pages: the start page, the interview (one screen per group) and the result.

Plain HTML forms, so everything works with JavaScript off. The answers so far
travel with the form as hidden fields: no database, no session, and the
in-page Back button keeps every answer. Pages that carry answers are sent with
``Cache-Control: no-store`` so health answers stay out of shared caches.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from heelpath import interview as iv
from heelpath.interview import SCREENS, Answers, Interview
from heelpath.parsing import whole_number
from heelpath.web import result_view

router = APIRouter()
NO_STORE = {"cache-control": "no-store"}
ABOUT_FIELDS = frozenset({"age", "sex", "footwear", "work", "pain_score"})


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request, name, context, status_code=status, headers=NO_STORE
    )
    return response


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    return _render(
        request, "home.html", {"title": "Pain at the back of the heel", "steps": len(SCREENS)}
    )


def render_step(
    request: Request, index: int, answers: Answers, errors: dict[str, str] | None = None
) -> Response:
    interview: Interview = request.app.state.interview
    screen = SCREENS[index]
    questions = interview.questions(screen, answers) if screen.group else ()
    visible = (
        ABOUT_FIELDS if screen.group is None else {iv.FINDING_PREFIX + f.id for f in questions}
    )
    hidden = [(n, v) for n, v in iv.to_fields(answers) if n not in visible]
    return _render(
        request,
        "step.html",
        {
            "title": f"{screen.title} (step {index + 1} of {len(SCREENS)})",
            "screen": screen,
            "index": index,
            "total": len(SCREENS),
            "questions": questions,
            "answers": answers,
            "hidden": hidden,
            "errors": errors or {},
            "sex_choices": iv.SEX_CHOICES,
            "footwear_choices": iv.FOOTWEAR_CHOICES,
            "work_choices": iv.WORK_CHOICES,
            "pain_choices": iv.PAIN_CHOICES,
            "prefix": iv.FINDING_PREFIX,
        },
    )


def render_result(request: Request, answers: Answers) -> Response:
    engine = request.app.state.engine
    answer = engine.assess(iv.to_input(answers))
    view = result_view.build(answer, engine.knowledge, answers)
    return _render(
        request,
        "result.html",
        {
            "title": f"Your result: {view.triage.headline}",
            "view": view,
            "hidden": iv.to_fields(answers),
            "back_step": len(SCREENS),
        },
    )


@router.get("/assess", include_in_schema=False)
async def start(request: Request) -> Response:
    return render_step(request, 0, Answers())


@router.post("/assess", include_in_schema=False)
async def step(request: Request) -> Response:
    form = await request.form()
    interview: Interview = request.app.state.interview
    answers = iv.parse_form(
        ((k, v) for k, v in form.multi_items() if isinstance(v, str)), interview.knowledge
    )
    raw_step = form.get("step")
    # len(SCREENS) is the result page; anything else is the first step
    step_number = whole_number(raw_step, 0, len(SCREENS)) if isinstance(raw_step, str) else None
    current = step_number or 0
    going_back = form.get("go") == "back"

    if not going_back:
        problems = iv.about_errors(answers)
        if problems:
            # the age is needed before anything else can be worked out
            return render_step(request, 0, answers, problems)
    target = current - 1 if going_back else current + 1
    target = max(0, target)
    # skip a screen that has nothing left to ask, in the direction of travel
    while 0 < target < len(SCREENS) and not interview.questions(SCREENS[target], answers):
        target += -1 if going_back else 1
    if target >= len(SCREENS):
        return render_result(request, answers)
    return render_step(request, target, answers)
