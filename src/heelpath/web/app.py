"""The web app's factory.

``create_app`` builds everything when it is called — settings, the engine,
the interview, templates and routes — and nothing is built at import, so
tests can make as many apps as they like, each with its own settings.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from fastapi import FastAPI
from fastapi.templating import Jinja2Templates
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp

from heelpath import __version__
from heelpath.engine import Engine, default_engine
from heelpath.interview import Interview
from heelpath.web import errors
from heelpath.web.assets import StaticAssets
from heelpath.web.routes import api, docs, exports, pages
from heelpath.web.security import BodyLimitMiddleware, SecurityHeadersMiddleware
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
    """FastAPI with the security headers outermost, so even a 500 carries them."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeadersMiddleware(super().build_middleware_stack())


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
    return Jinja2Templates(env=env)


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """Build the web app: the interview and result pages, the REST API and its docs.

    ``settings`` default to the environment (``Settings.from_env``); ``engine``
    to the engine over the shipped knowledge.
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
    app.state.engine = engine
    app.state.knowledge = engine.knowledge
    app.state.interview = Interview(engine.knowledge)
    assets = StaticAssets(STATIC_DIR)
    app.state.templates = _templates(assets)

    errors.install(app)
    app.include_router(api.build_router(engine.knowledge))
    app.include_router(docs.router)
    app.include_router(pages.router)
    app.include_router(exports.router)
    app.mount("/static", assets, name="static")
    # pages and answers are text of 5-60 KB: compressed for any client that asks
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(ServerTimingMiddleware)
    return app
