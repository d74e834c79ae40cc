"""The web app's factory.

``create_app`` builds everything when it is called — settings, the engine,
the interview, templates and routes — and nothing is built at import, so
tests can make as many apps as they like, each with its own settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI
from fastapi.templating import Jinja2Templates
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp

from heelpath import __version__
from heelpath.drawings import drawing_for
from heelpath.engine import Engine, default_engine
from heelpath.errors import KnowledgeError
from heelpath.interview import Interview
from heelpath.knowledge.loader import knowledge_dir
from heelpath.store import accounts
from heelpath.store.db import Database
from heelpath.web import errors, server
from heelpath.web.assets import StaticAssets
from heelpath.web.auth import CSRFCookieMiddleware, template_globals
from heelpath.web.boundary import RequestBoundary
from heelpath.web.readiness import readiness_problem
from heelpath.web.result_view import evidence_parts
from heelpath.web.routes import (
    account_exports,
    account_pages,
    api,
    api_accounts,
    api_exports,
    api_records,
    diary_pages,
    docs,
    exports,
    info_pages,
    pages,
    progress_pages,
    saved_pages,
    sharing_pages,
)
from heelpath.web.safety_summary import load_summary
from heelpath.web.security import (
    BodyLimitMiddleware,
    HeadAsGetMiddleware,
    OptionsMiddleware,
    SecurityHeadersMiddleware,
    TrustedHostsMiddleware,
)
from heelpath.web.settings import Settings
from heelpath.web.timing import ServerTimingMiddleware

HERE = Path(__file__).parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"

DESCRIPTION = (
    "Assess pain at the back of the heel: likely causes with their probabilities, "
    "red-flag triage and a personal home care plan (assessment contract, spec v1). "
    "Not a diagnosis."
)


class HeelpathApp(FastAPI):
    """FastAPI with the security headers outermost, so even a 500 carries them.

    Inside them the request boundary (``web/boundary.py``): the request id,
    one log line per request, and the last catch for what escaped the app.
    """

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeadersMiddleware(RequestBoundary(super().build_middleware_stack()))


def _templates(assets: StaticAssets) -> Jinja2Templates:
    # autoescape everything: every value a template shows is escaped unless marked safe
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["version"] = __version__
    env.globals["static"] = assets.url  # {{ static("heelpath.css") }}: its hashed URL
    env.globals["drawing"] = drawing_for  # partials/drawing.html
    env.globals["evidence_parts"] = evidence_parts  # "Strong evidence: ..." -> its two parts
    return Jinja2Templates(env=env, context_processors=[template_globals])


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """Build the web app: the interview and result pages, accounts, the diary and
    progress, the REST API and its docs.

    ``settings`` default to the environment (``Settings.from_env``); ``engine``
    to the engine over the shipped knowledge. The database is brought to the
    newest schema here (migrations are idempotent and serialised between
    processes), and expired records are purged (retention).
    """
    settings = settings if settings is not None else Settings.from_env()
    engine = engine if engine is not None else default_engine()
    app = HeelpathApp(
        title="heelpath",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # /docs is our own page: no CDN, no inline script
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.ready = False  # set by the first right answer to /healthz (readiness.py)
    app.state.engine = engine
    app.state.knowledge = engine.knowledge
    app.state.interview = Interview(engine.knowledge)
    app.state.safety_summary = load_summary()  # the clinical-safety page, from the hazard log
    assets = StaticAssets(STATIC_DIR)
    app.state.templates = _templates(assets)
    db = Database(settings.resolved_database_url())
    db.upgrade()
    with db.transaction() as session:
        accounts.purge_expired(session)
        secret = settings.secret_key or accounts.shared_secret(session, "csrf")
    app.state.db = db
    app.state.csrf_key = secret.encode()

    errors.install(app)
    app.include_router(api.build_router(engine.knowledge))
    app.include_router(api_accounts.router)
    app.include_router(api_records.build_router(engine.knowledge))
    app.include_router(api_exports.router)
    app.include_router(docs.router)
    app.include_router(pages.router)
    app.include_router(info_pages.router)
    app.include_router(account_pages.router)
    app.include_router(saved_pages.router)
    app.include_router(diary_pages.router)
    app.include_router(progress_pages.router)
    app.include_router(exports.router)
    app.include_router(sharing_pages.router)
    app.include_router(account_exports.router)
    app.mount("/static", assets, name="static")
    app.add_middleware(CSRFCookieMiddleware)
    # the last added runs first: the host is checked before anything else is read
    # pages and answers are text of 5-60 KB: compressed for any client that asks
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(OptionsMiddleware)
    app.add_middleware(TrustedHostsMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(ServerTimingMiddleware)  # times all of the above
    return app


def serve(
    host: str = "127.0.0.1", port: int = 8000, workers: int = 1, **uvicorn_options: Any
) -> None:
    """Serve the app with uvicorn until interrupted (``heelpath serve``).

    The engine is built and checked on the known case first (``readiness.py``):
    broken knowledge raises KnowledgeError before anything listens. With
    ``workers`` > 1, uvicorn runs that many processes, each building its own
    app from the environment through the factory (the engine is CPU-bound, so
    one process uses one core). Deadlines, limits and logging: ``server.py``.
    """
    import uvicorn

    if workers < 1:
        raise ValueError("workers must be at least 1")
    engine = default_engine()
    problem = readiness_problem(engine)
    if problem is not None:
        raise KnowledgeError(str(knowledge_dir()), "", "", problem)
    options: dict[str, Any] = {"log_level": "info", **server.uvicorn_options(), **uvicorn_options}
    target: Any
    if workers == 1:
        target = create_app(engine=engine)
    else:
        target = "heelpath.web.app:create_app"
        options.update(factory=True, workers=workers)
    print(f"heelpath is running at http://{host}:{port}/ (press Ctrl+C to stop)", flush=True)
    uvicorn.run(target, host=host, port=port, **options)
