"""People using the app in tests: each with their own browser (cookies) or API token."""

from __future__ import annotations

import itertools
import re
import uuid
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI
from fastapi.testclient import TestClient

PASSWORD = "a long enough password"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
_count = itertools.count()


def new_email() -> str:
    return f"p{next(_count)}-{uuid.uuid4().hex[:6]}@example.com"


def csrf(client: TestClient, path: str = "/signin") -> str:
    m = CSRF.search(client.get(path).text)
    assert m, f"no CSRF token on {path}"
    return m.group(1)


class Browser:
    """A person with their own cookie jar, signed up through the pages."""

    def __init__(self, app: FastAPI, email: str | None = None) -> None:
        self.client = TestClient(app, follow_redirects=False)
        self.email = email or new_email()

    def sign_up(self) -> Browser:
        token = csrf(self.client, "/signup")
        r = self.client.post(
            "/signup",
            data={"csrf_token": token, "email": self.email, "password": PASSWORD, "consent": "yes"},
        )
        assert r.status_code == 303, r.text
        return self

    def token(self) -> str:
        return csrf(self.client, "/signin")

    def post(self, path: str, data: dict[str, Any] | list[tuple[str, str]]) -> Any:
        fields = list(data.items()) if isinstance(data, dict) else list(data)
        fields.append(("csrf_token", self.token()))
        return self.client.post(
            path,
            content=urlencode(fields),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )

    def save_assessment(self, **fields: str) -> int:
        r = self.post("/my/assessments", {"age": "46", "q_pain_at_insertion": "yes", **fields})
        assert r.status_code == 303, r.text
        return int(r.headers["location"].rsplit("/", 1)[1])


class ApiUser:
    """A person using the JSON API with a Bearer token."""

    def __init__(self, app: FastAPI) -> None:
        self.client = TestClient(app)
        self.email = new_email()
        r = self.client.post("/api/v1/accounts", json={"email": self.email, "password": PASSWORD})
        assert r.status_code == 201, r.text
        r = self.client.post("/api/v1/tokens", json={"email": self.email, "password": PASSWORD})
        assert r.status_code == 200, r.text
        self.headers = {"authorization": f"Bearer {r.json()['token']}"}

    def get(self, path: str) -> Any:
        return self.client.get(path, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(path, json=body, headers=self.headers)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(path, json=body, headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.headers)


SHARE_CODE = re.compile(r'class="share-code">([A-Z0-9-]+)<')
REVOKE = re.compile(r'action="/account/sharing/(\d+)/revoke"')


def make_code(person: Browser) -> str:
    """A share code made on the person's sharing page, as it is shown to them."""
    r = person.post("/account/sharing/codes", {})
    assert r.status_code == 200, r.text
    m = SHARE_CODE.search(r.text)
    assert m, "no share code on the page"
    return m.group(1)


def clinician(app: FastAPI, name: str = "Dr Clare Hale, Heel Clinic") -> Browser:
    """A new account registered as a clinician."""
    c = Browser(app).sign_up()
    r = c.post("/clinic/register", {"name": name})
    assert r.status_code == 303, r.text
    return c


def share_with_a_clinician(app: FastAPI, person: Browser, to: Browser | None = None) -> int:
    """The person shares with a clinician (a new one unless given); the share's id."""
    c = to or clinician(app)
    r = c.post("/clinic/codes", {"code": make_code(person)})
    assert r.status_code == 303, r.text
    ids = REVOKE.findall(person.client.get("/account/sharing").text)
    assert ids, "the share is not listed"
    return int(ids[-1])
