"""How responses go out: static files under their content hash, cached for good; pages and
answers compressed; the server's own time in each response."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
from fastapi.testclient import TestClient

from heelpath.web.app import STATIC_DIR
from heelpath.web.assets import CHECK_EACH_TIME, FOREVER, hashed_name


def test_pages_link_each_static_file_by_its_hashed_name(client: TestClient) -> None:
    html = client.get("/").text
    links = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert f"/static/{hashed_name(STATIC_DIR / 'heelpath.css')}" in links
    for link in links:
        r = client.get(link)
        assert r.status_code == 200
        assert r.headers["cache-control"] == FOREVER
        name = re.sub(r"\.[0-9a-f]{12}\.", ".", link.removeprefix("/static/"))
        assert r.content == (STATIC_DIR / name).read_bytes()


def test_plain_names_still_answer_but_are_checked_each_time(client: TestClient) -> None:
    r = client.get("/static/heelpath.css")
    assert r.status_code == 200
    assert r.headers["cache-control"] == CHECK_EACH_TIME
    assert client.get("/static/heelpath.0123456789ab.css").status_code == 404


def test_a_changed_file_gets_a_new_name(tmp_path: Path) -> None:
    css = tmp_path / "site.css"
    css.write_text("body { color: black }")
    before = hashed_name(css)
    css.write_text("body { color: navy }")
    assert re.fullmatch(r"site\.[0-9a-f]{12}\.css", before)
    assert hashed_name(css) != before


def test_pages_and_answers_are_compressed_for_clients_that_ask(client: TestClient) -> None:
    page = client.get("/", headers={"accept-encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    data = {"age": 46, "findings": {"pain_at_insertion": True}}
    raw = client.post("/api/v1/assess", json=data, headers={"accept-encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip"
    assert raw.json()["conditions"]  # decoded by the client: the same answer
    plain = client.post("/api/v1/assess", json=data, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert orjson.loads(plain.content) == raw.json()
    assert raw.num_bytes_downloaded < len(plain.content) / 2  # what went over the wire


def test_every_response_says_how_long_the_server_took(client: TestClient) -> None:
    for r in (client.get("/"), client.get("/healthz"), client.get("/no-such-page")):
        took = re.fullmatch(r"app;dur=(\d+\.\d\d)", r.headers["server-timing"])
        assert took, r.headers["server-timing"]
        assert 0 <= float(took.group(1)) < 60_000
