"""Drive the interview's plain HTML forms from tests, as a browser with JavaScript off would."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlencode

from fastapi.testclient import TestClient
from httpx import Response


class FormPage:
    """A page of the interview as a browser sees it: its HTML and its form's fields."""

    def __init__(self, status: int, html: str) -> None:
        self.status = status
        self.html = html
        parser = _FormParser()
        parser.feed(html)
        self.fields: list[tuple[str, str]] = parser.fields  # what the form would send now
        self.options: dict[str, list[str]] = parser.options  # radio/checkbox name -> values

    def title(self) -> str:
        start = self.html.index("<h1")
        return re.sub(r"<[^>]+>", "", self.html[start : self.html.index("</h1>", start)]).strip()

    def value(self, name: str) -> list[str]:
        return [v for n, v in self.fields if n == name]

    def every(self, reply: str) -> dict[str, str | list[str]]:
        """The same answer to every question on the page: ``reply`` (yes, no or unsure) to
        each yes/no/not sure question; to a tick question (a warning checklist, a
        checklist, "where does it hurt?"), "None of these" for "no" where it has that box,
        else "not sure"."""
        out: dict[str, str | list[str]] = {}
        for name, options in self.options.items():
            if name.startswith("q_"):
                out[name] = reply
            elif "unsure" in options:
                out[name] = "none" if reply == "no" and "none" in options else "unsure"
        return out


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                self.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select is not None:
            if self._select_first is None:
                self._select_first = a.get("value", "")
            if "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
                self._select_chosen = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self.fields.append((self._select, self._select_first))
            self._select = None


class Walker:
    """Walks the interview through the app as a browser with JavaScript off does: it
    posts each step's form, follows the redirect, and keeps the answers cookie."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.url = ""

    def get(self, url: str) -> FormPage:
        for _ in range(10):
            r = self.client.get(url, follow_redirects=False)
            if r.status_code != 303:
                self.url = url
                return FormPage(r.status_code, r.text)
            url = r.headers["location"]
        raise AssertionError("too many redirects")

    def start(self) -> FormPage:
        return self.get("/assess")

    def submit(
        self, page: FormPage, changes: dict[str, str | list[str]] | None = None, go: str = "next"
    ) -> FormPage:
        """Send the page's form with these changes (``go="back"``: follow its Back link)."""
        if go == "back":
            back = re.search(
                r'<a class="button button-secondary" href="([^"]+)">Back</a>', page.html
            )
            assert back, "no Back link on the page"
            return self.get(back.group(1))
        changes = changes or {}
        fields = [(n, v) for n, v in page.fields if n not in changes]
        for name, value in changes.items():
            fields.extend((name, v) for v in ([value] if isinstance(value, str) else value))
        action = re.search(r'<form method="post" action="([^"]+)"', page.html)
        assert action, "no form on the page"
        r = post_form(self.client, fields, path=action.group(1), follow_redirects=False)
        if r.status_code == 303:
            return self.get(r.headers["location"])
        return FormPage(r.status_code, r.text)

    def walk_to(
        self, about: dict[str, str | list[str]], found: Callable[[FormPage], bool]
    ) -> FormPage:
        """Through about you, the warning signs (no) and shoes, then "not sure" to every
        question on each step (and "I can't say where"), up to the first step ``found``
        accepts."""
        page = self.submit(self.start(), about)
        page = self.submit(page, page.every("no"))
        page = self.submit(page, {})
        for _ in range(30):
            if found(page):
                return page
            assert self.url.startswith("/assess/step/"), "the interview ended first"
            page = self.submit(page, page.every("unsure"))
        raise AssertionError("no such step")

    def answer_all(
        self, about: dict[str, str | list[str]], yes: set[str], no: set[str] | None = None
    ) -> FormPage:
        """Go through every step, saying yes/no to the findings asked (not sure to the
        others), past the check page; return the result page."""
        page = self.submit(self.start(), about)
        for _ in range(60):
            if "triage-title" in page.html:
                return page
            if self.url.startswith("/assess/check"):
                page = self.get("/assess/result")
                continue
            # the about-you fields this step shows (shoes and work come after the warning signs)
            changes: dict[str, str | list[str]] = {
                name: value for name, value in about.items() if f'name="{name}"' in page.html
            }
            for name in page.options:
                options = page.options[name]
                if not name.startswith("q_") and "unsure" in options:
                    # a tick question ("where does it hurt?", a checklist): tick the boxes
                    # said yes to; else "none of these" when all are said no to; else
                    # "not sure" ("I can't say where")
                    boxes = [v for v in options if v not in ("unsure", "none")]
                    ticked = [v for v in boxes if v in yes]
                    none = "none" in options and all(v in (no or set()) for v in boxes)
                    changes[name] = ticked or ("none" if none else "unsure")
                    continue
                fid = name.removeprefix("q_")
                if fid in yes:
                    changes[name] = "yes"
                elif fid in (no or set()):
                    changes[name] = "no"
                elif name.startswith("q_"):
                    changes[name] = "unsure"
            page = self.submit(page, changes)
        raise AssertionError("the interview did not end")


def post_form(
    client: TestClient,
    fields: list[tuple[str, str]],
    path: str = "/assess",
    follow_redirects: bool | None = None,
) -> Response:
    """POST fields as a browser does (repeated names kept in order)."""
    extra = {} if follow_redirects is None else {"follow_redirects": follow_redirects}
    return client.post(
        path,
        content=urlencode(fields),
        headers={"content-type": "application/x-www-form-urlencoded"},
        **extra,  # type: ignore[arg-type]
    )


CSRF_FIELD = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def step_token(client: TestClient) -> str:
    """The CSRF token the interview's forms carry for this client (its cookie set too)."""
    m = CSRF_FIELD.search(client.get("/assess/step/1").text)
    assert m, "no CSRF token on the first step"
    return m.group(1)
