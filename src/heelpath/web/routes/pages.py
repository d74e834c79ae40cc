"""The pages: the start page, the interview (one URL per step), check your answers, the result.

Post/Redirect/Get: every step is a page of its own (``GET /assess/step/<n>``);
its form posts to the same address, which keeps the answers and redirects (303)
to the next page, so Back and Reload never resubmit a form. Step 1 is "about
you", step 2 the warning signs, step 3 shoes and work, steps 4 on the questions
the interview chose,
one short screen at a time (``heelpath.interview``); "where does it hurt?" is
one of them, a box per place. Then ``/assess/check``
lists every answer with a "Change" link, and ``/assess/result`` shows the
result for as long as the answers last.

The answers live in a signed cookie (``answers_cookie``), never in a URL or a
log; ``POST /assess/forget`` deletes them. Pages that show answers are sent
with ``Cache-Control: no-store``. Plain HTML forms: everything works with
JavaScript off.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import RedirectResponse, Response

from heelpath import interview as iv
from heelpath.interview import Answers, Interview, Screen
from heelpath.knowledge.model import Finding
from heelpath.web import answers_cookie, result_view
from heelpath.web.auth import check_csrf

router = APIRouter(include_in_schema=False)
NO_STORE = {"cache-control": "no-store"}
ABOUT_FIELDS = frozenset({"age", "sex", "pain_score"})
DAILY_FIELDS = frozenset({"footwear", "work"})
ABOUT_STEP, WARNING_STEP, DAILY_STEP, FIRST_CHOSEN_STEP = 1, 2, 3, 4
StepNumber = Annotated[int, Path(ge=1, le=500)]
REPLY_WORDS = {"yes": "Yes", "no": "No", "unsure": "Not sure", None: "Not answered"}


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request, name, context, status_code=status, headers=NO_STORE
    )
    return response


def _redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


def _interview(request: Request) -> Interview:
    interview: Interview = request.app.state.interview
    return interview


def step_url(n: int, change: bool = False) -> str:
    return f"/assess/step/{n}" + ("?change=1" if change else "")


@router.get("/")
async def home(request: Request) -> Response:
    forgotten = request.query_params.get("forgotten") == "1"
    return _render(
        request, "home.html", {"title": "Pain at the back of the heel", "forgotten": forgotten}
    )


def _furthest(interview: Interview, answers: Answers) -> int:
    """The last step this person can open now."""
    if answers.age is None:
        return ABOUT_STEP
    if interview.missing_warning_signs(answers):
        return WARNING_STEP
    return DAILY_STEP + len(answers.screens)


def _questions(interview: Interview, answers: Answers, n: int) -> Screen:
    """The heading and the questions of step n (n = 2, or n >= 4); for the warning signs,
    every sign, those of the warning checklists too (see :func:`_warning_sections`)."""
    if n == WARNING_STEP:
        return Screen("Warning signs", interview.warning_signs(answers))
    return interview.screen_at(answers, n - FIRST_CHOSEN_STEP)


def _warning_sections(
    interview: Interview, answers: Answers, errors: dict[str, str]
) -> list[tuple[str, list[dict[str, Any]]]]:
    """The warning-signs step, in two parts (help at once, a check today): a question
    per sign, or a warning checklist with its boxes (an item each)."""
    emergency: list[dict[str, Any]] = []
    today: list[dict[str, Any]] = []
    for item in interview.warning_steps(answers):
        if isinstance(item, Screen) and item.tick is not None:
            entry: dict[str, Any] = {
                "tick": item.tick,
                "boxes": item.findings,
                "question": item.tick.wording(answers),
                "ticked": _ticked(interview, answers, item.tick.id),
                "error": errors.get(tick_anchor(item)),
            }
        else:
            entry = {"tick": None, "finding": item}
        (emergency if interview.is_emergency_item(item) else today).append(entry)
    sections = [
        ("Signs that need help at once", emergency),
        ("Signs that need a check today", today),
    ]
    return [(heading, items) for heading, items in sections if items]


def _ticked(interview: Interview, answers: Answers, tick_id: str) -> frozenset[str]:
    """The boxes of a tick question to show checked: those answered yes, or "not sure",
    or "none of these"; nothing when it is not answered yet."""
    reply = interview.tick_reply(answers, tick_id)
    if isinstance(reply, tuple):
        return frozenset(reply)
    if reply == "unsure":
        return frozenset({iv.TICK_UNSURE})
    if reply == "none":
        return frozenset({iv.TICK_NONE})
    return frozenset()


def tick_anchor(screen: Screen) -> str:
    """The id an error or a "Change" link leads to: the first box of a tick question."""
    name = screen.tick.id if screen.tick is not None else iv.SITES
    return f"{name}-{screen.findings[0].id}" if screen.findings else name


def render_step(
    request: Request,
    n: int,
    answers: Answers,
    errors: dict[str, str] | None = None,
    change: bool = False,
    sent: list[str] | None = None,
) -> Response:
    """Step n for these answers. ``sent``: a tick question's boxes as the person sent
    them, shown again with an error."""
    interview = _interview(request)
    questions: tuple[Finding, ...] = ()
    tick: iv.TickQuestion | None = None
    if n == ABOUT_STEP:
        title = "About you"
    elif n == DAILY_STEP:
        title = "Your child's shoes" if answers.is_child else "Shoes and work"
    else:
        screen = _questions(interview, answers, n)
        title, questions, tick = screen.title, screen.findings, screen.tick
    if sent is not None:
        ticked = frozenset(sent)
    else:
        ticked = _ticked(interview, answers, tick.id) if tick is not None else frozenset()
    sections = _warning_sections(interview, answers, errors or {}) if n == WARNING_STEP else []
    back = "/assess/check" if change else (step_url(n - 1) if n > ABOUT_STEP else "/")
    return _render(
        request,
        "step.html",
        {
            "title": f"{title} (step {n})" if not errors else f"Error: {title} (step {n})",
            "heading": title,
            "n": n,
            "kind": {ABOUT_STEP: "about", WARNING_STEP: "warning", DAILY_STEP: "daily"}.get(
                n, "chosen" if tick is None else "sites" if tick.id == iv.SITES else "checklist"
            ),
            "questions": questions,
            "warning_sections": sections,
            "wording": {f.id: interview.wording(f, answers) for f in questions},
            "hints": {f.id: interview.hint(f, answers) for f in questions},
            "child": answers.is_child,
            "answers": answers,
            "errors": errors or {},
            "change": change,
            "back": back,
            "sex_choices": iv.SEX_CHOICES,
            "footwear_choices": iv.FOOTWEAR_CHOICES,
            "work_choices": iv.WORK_CHOICES,
            "pain_choices": iv.PAIN_CHOICES,
            "prefix": iv.FINDING_PREFIX,
            "tick": tick,
            "tick_question_text": tick.wording(answers) if tick is not None else "",
            "tick_unsure": iv.TICK_UNSURE,
            "tick_none": iv.TICK_NONE,
            "tick_error": next(iter((errors or {}).values()), None) if tick else None,
            "ticked": ticked,
        },
        status=422 if errors else 200,
    )


@router.get("/assess")
async def start(request: Request) -> Response:
    return _redirect(step_url(ABOUT_STEP))


@router.post("/assess")
async def old_form(request: Request) -> Response:
    """The result page's "Change my answers" button: to the answers, to change any."""
    return _redirect("/assess/check")


@router.get("/assess/step/{n}")
async def show_step(request: Request, n: StepNumber, change: str = "") -> Response:
    interview = _interview(request)
    answers = answers_cookie.load(request) or Answers()
    furthest = _furthest(interview, answers)
    if n > furthest:
        return _redirect(step_url(furthest))
    return render_step(request, n, answers, change=change == "1")


def _step_fields(
    interview: Interview, answers: Answers, n: int, form: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Only the fields step n asks; a question left blank on a chosen step is "not sure"."""
    if n == ABOUT_STEP:
        return [(k, v) for k, v in form if k in ABOUT_FIELDS]
    if n == DAILY_STEP:
        return [(k, v) for k, v in form if k in DAILY_FIELDS]
    if n == WARNING_STEP:
        ticks = set(interview.warning_ticks(answers))
        names = {iv.FINDING_PREFIX + f.id for f in interview.warning_signs(answers)}
        return [(k, v) for k, v in form if k in names or k in ticks]
    screen = _questions(interview, answers, n)
    if screen.tick is not None:  # the boxes ticked, checked before (a blank is an error)
        return [(k, v) for k, v in form if k == screen.tick.id]
    names = {iv.FINDING_PREFIX + f.id for f in screen.findings}
    fields = [(k, v) for k, v in form if k in names]
    if n > WARNING_STEP:
        sent = {k for k, _ in fields}
        fields.extend((name, "unsure") for name in sorted(names - sent))
    return fields


@router.post("/assess/step/{n}", dependencies=[Depends(check_csrf)])
async def answer_step(request: Request, n: StepNumber) -> Response:
    interview = _interview(request)
    answers = answers_cookie.load(request) or Answers()
    if n > _furthest(interview, answers):
        return _redirect(step_url(_furthest(interview, answers)))
    form = await request.form()
    items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    change = form.get("change") == "1"
    if n >= FIRST_CHOSEN_STEP:
        screen = _questions(interview, answers, n)
        tick = screen.tick
        sent = [v for k, v in items if tick is not None and k == tick.id]
        problem = interview.tick_error(tick.id, sent, answers) if tick is not None else None
        if problem:  # nothing ticked: an error naming the question, never a default
            return render_step(request, n, answers, {tick_anchor(screen): problem}, change, sent)
    fields = _step_fields(interview, answers, n, items)
    clashes: dict[str, str] = {}
    if n == WARNING_STEP:  # boxes ticked with "none of these" or "not sure": not kept
        for item in interview.warning_steps(answers):
            if isinstance(item, Screen) and item.tick is not None:
                sent = [v for k, v in fields if k == item.tick.id]
                problem = interview.tick_error(item.tick.id, sent, answers) if sent else None
                if problem:
                    clashes[tick_anchor(item)] = problem
                    fields = [(k, v) for k, v in fields if k != item.tick.id]
    answers = iv.merge_form(answers, fields, interview.knowledge)
    if n == ABOUT_STEP:
        problems = iv.about_errors(answers)
        if problems:
            return render_step(request, n, answers, problems, change)
    elif n == WARNING_STEP:
        missing = interview.missing_warning_steps(answers)
        if missing or clashes:
            errors: dict[str, str] = {}
            for item in missing:
                if isinstance(item, Screen) and item.tick is not None:
                    anchor = tick_anchor(item)
                    errors[anchor] = clashes.get(anchor) or str(
                        interview.tick_error(item.tick.id, [], answers)
                    )
                elif isinstance(item, Finding):
                    errors[f"{iv.FINDING_PREFIX}{item.id}-yes"] = (
                        "Choose yes, no or not sure for: " + interview.wording(item, answers)
                    )
            errors.update((k, v) for k, v in clashes.items() if k not in errors)
            response = render_step(request, n, answers, errors, change)
            answers_cookie.save(request, response, answers)  # keep what was answered
            return response
    answers, url = _onward(interview, answers, n, change)
    response = _redirect(url)
    answers_cookie.save(request, response, answers)
    return response


def _onward(interview: Interview, answers: Answers, n: int, change: bool) -> tuple[Answers, str]:
    """Where to go after step n: a step already shown, a new screen, the check page or
    (when care today or at once is decided) straight to the result."""
    if interview.missing_warning_signs(answers):
        return answers, step_url(WARNING_STEP, change)
    last_shown = DAILY_STEP + len(answers.screens)
    urgent = interview.outlook(answers).level >= iv.URGENT
    if n < last_shown and not change and not urgent:
        return answers, step_url(n + 1)
    screen = interview.next_screen(answers)
    if screen is not None:
        answers = interview.with_screen(answers, screen)
        return answers, step_url(DAILY_STEP + len(answers.screens), change)
    return answers, "/assess/result" if urgent else "/assess/check"


def _ready_for_result(interview: Interview, answers: Answers) -> bool:
    """An age and every warning sign answered: no check page or result before that,
    so nothing can say "no warning signs" by default."""
    return answers.age is not None and not interview.missing_warning_signs(answers)


@router.get("/assess/check")
async def check(request: Request) -> Response:
    interview = _interview(request)
    answers = answers_cookie.load(request) or Answers()
    if not _ready_for_result(interview, answers):
        return _redirect(step_url(_furthest(interview, answers)))
    view = _about_rows(answers)
    rows: list[tuple[str, str | tuple[str, ...], str, int]] = []
    prefix = iv.FINDING_PREFIX
    for item in interview.warning_steps(answers):
        if isinstance(item, Screen) and item.tick is not None:
            words = _tick_words(interview, answers, item.tick)
            rows.append((item.tick.wording(answers), words, tick_anchor(item), WARNING_STEP))
        elif isinstance(item, Finding):
            reply = REPLY_WORDS[answers.reply(item.id)]
            rows.append((interview.wording(item, answers), reply, prefix + item.id, WARNING_STEP))
    for i in range(len(answers.screens)):
        screen = interview.screen_at(answers, i)
        step = FIRST_CHOSEN_STEP + i
        if screen.tick is not None:
            question = screen.tick.wording(answers)
            words = _tick_words(interview, answers, screen.tick)
            rows.append((question, words, tick_anchor(screen), step))
            continue
        for f in screen.findings:
            reply = REPLY_WORDS[answers.reply(f.id)]
            rows.append((interview.wording(f, answers), reply, prefix + f.id, step))
    return _render(
        request,
        "check.html",
        {"title": "Check your answers", "about": view, "rows": rows},
    )


def _tick_words(
    interview: Interview, answers: Answers, tick: iv.TickQuestion
) -> str | tuple[str, ...]:
    """The answer to a tick question in words: the boxes ticked (one per line)."""
    reply = interview.tick_reply(answers, tick.id)
    if isinstance(reply, tuple):
        return tuple(tick.boxes[fid] for fid in reply)
    if reply == "none":
        return tick.none
    return tick.cant_say if reply == "unsure" else REPLY_WORDS[None]


def _label(choices: tuple[tuple[str, str], ...], value: str | None) -> str:
    return dict(choices).get(value or "", "Not said")


def _about_rows(answers: Answers) -> list[tuple[str, str, int]]:
    """The about-you answers: (label, answer, the step that asks it)."""
    pain = "Not said" if answers.pain_score is None else f"{answers.pain_score} out of 10"
    shoes = ", ".join(_label(iv.FOOTWEAR_CHOICES, f) for f in answers.footwear) or "Not said"
    rows = [
        ("Age", str(answers.age), ABOUT_STEP),
        ("Sex", _label(iv.SEX_CHOICES, answers.sex), ABOUT_STEP),
        ("Worst pain in the last day", pain, ABOUT_STEP),
        ("Shoes worn most", shoes, DAILY_STEP),
    ]
    if not answers.is_child:
        rows.append(("Work", _label(iv.WORK_CHOICES, answers.work), DAILY_STEP))
    return rows


def render_result(request: Request, answers: Answers) -> Response:
    engine = request.app.state.engine
    answer = engine.assess(_interview(request).case_input(answers))
    view = result_view.build(answer, engine.knowledge, answers)
    return _render(
        request,
        "result.html",
        {
            "title": f"Your result: {view.triage.headline}",
            "view": view,
            "hidden": iv.to_fields(answers),
            "back_step": 0,  # the "Change my answers" button posts to /assess: the check page
        },
    )


@router.get("/assess/result")
async def result(request: Request) -> Response:
    interview = _interview(request)
    answers = answers_cookie.load(request) or Answers()
    if not _ready_for_result(interview, answers):
        return _redirect(step_url(_furthest(interview, answers)))
    return render_result(request, answers)


@router.post("/assess/forget", dependencies=[Depends(check_csrf)])
async def forget(request: Request) -> Response:
    response = _redirect("/?forgotten=1")
    answers_cookie.forget(request, response)
    return response
