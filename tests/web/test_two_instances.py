"""Two app processes on one PostgreSQL: a person signed in on one reads and writes through
the other. Sessions, CSRF keys and the sign-in limit live in the database, not a process."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from databases import postgres_schema
from servers import serving

pytestmark = pytest.mark.slow
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


def token_on(client: httpx.Client, path: str = "/signin") -> str:
    m = CSRF.search(client.get(path).text)
    assert m
    return m.group(1)


def test_signed_in_on_one_instance_reads_and_writes_through_the_other(
    pg_url: str, tmp_path: Path
) -> None:
    with (
        serving(pg_url, tmp_path / "one.log") as one,
        serving(pg_url, tmp_path / "two.log") as two,
        httpx.Client(base_url=one.url, timeout=60) as c1,
    ):
        # sign up and save an assessment on instance one
        c1.post(
            "/signup",
            data={
                "csrf_token": token_on(c1, "/signup"),
                "email": "two@example.com",
                "password": PASSWORD,
                "consent": "yes",
            },
        )
        r = c1.post(
            "/my/assessments",
            data={"csrf_token": token_on(c1), "age": "46", "q_pain_at_insertion": "yes"},
        )
        assert r.status_code == 303

        # the same browser (its cookies) goes to instance two
        with httpx.Client(base_url=two.url, timeout=60, cookies=c1.cookies) as c2:
            assert c2.get("/progress").status_code == 200
            # a form from instance one is accepted by instance two: the CSRF key is shared
            yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
            r = c2.post(
                "/diary",
                data={
                    "csrf_token": token_on(c1),
                    "date": yesterday,
                    "pain_morning": "4",
                    "notes": "written via two",
                },
            )
            assert r.status_code == 303, r.text
            assert "written via two" in c1.get("/account/export").text
            assert "written via two" in c2.get("/account/export").text

        # an API token from one works on two
        t = httpx.post(
            f"{one.url}/api/v1/tokens", json={"email": "two@example.com", "password": PASSWORD}
        ).json()["token"]
        r = httpx.get(f"{two.url}/api/v1/diary", headers={"authorization": f"Bearer {t}"})
        assert r.status_code == 200 and r.json()[0]["notes"] == "written via two"

        # wrong passwords on one count on two
        for _ in range(5):
            httpx.post(
                f"{one.url}/api/v1/tokens",
                json={"email": "two@example.com", "password": "wrong password"},
            )
        r = httpx.post(
            f"{two.url}/api/v1/tokens", json={"email": "two@example.com", "password": PASSWORD}
        )
        assert r.status_code == 429

        # signing out on two ends the session on one
        with httpx.Client(base_url=two.url, timeout=60, cookies=c1.cookies) as c2:
            c2.post("/signout", data={"csrf_token": token_on(c2)})
        assert c1.get("/progress").status_code == 303


def test_the_interview_started_on_one_instance_goes_on_on_the_other(
    pg_url: str, tmp_path: Path
) -> None:
    with (
        serving(pg_url, tmp_path / "one.log") as one,
        serving(pg_url, tmp_path / "two.log") as two,
        httpx.Client(base_url=one.url, timeout=60) as c1,
    ):
        r = c1.post(
            "/assess/step/1", data={"csrf_token": token_on(c1, "/assess/step/1"), "age": "46"}
        )
        assert (r.status_code, r.headers["location"]) == (303, "/assess/step/2")
        # the answers cookie signed by one is trusted by two (the key comes from the database)
        with httpx.Client(base_url=two.url, timeout=60, cookies=c1.cookies) as c2:
            page = c2.get("/assess/step/2")
            assert page.status_code == 200 and "Warning signs" in page.text
            back = c2.get("/assess/step/1")
            assert 'value="46"' in back.text
