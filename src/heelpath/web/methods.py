"""The methods the app answers at a path, read from its own routes (for OPTIONS and 405)."""

from __future__ import annotations

from starlette.routing import Match, Mount
from starlette.types import Scope

# the methods a route can declare; HEAD and OPTIONS follow from them
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(scope: Scope) -> list[str]:
    """The methods the app answers at this request's path, sorted; empty where nothing is served.

    Each route is asked whether it would take the path with each method, so an
    included router answers for its own routes. HEAD wherever GET
    (``security.HeadAsGetMiddleware``), OPTIONS wherever anything
    (``security.OptionsMiddleware``). The files under /static answer GET.
    """
    methods: set[str] = set()
    for route in scope["app"].router.routes:
        if isinstance(route, Mount):
            if route.matches(scope)[0] is not Match.NONE:
                methods.add("GET")
            continue
        for method in _METHODS:
            if route.matches({**scope, "method": method})[0] is Match.FULL:
                methods.add(method)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods | {"OPTIONS"}) if methods else []
