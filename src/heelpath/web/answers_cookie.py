"""The interview's answers between pages: a signed, HttpOnly, SameSite=Lax cookie.

Nothing is kept on the server. The cookie holds the answers (age, sex, shoes,
work, pain, each yes / no / not sure, and which questions each step asked, "where
does it hurt?" as its marker ``where`` and the places it showed),
compressed, with the time it was made, signed with HMAC-SHA256 under a key
derived from the app secret (``HEELPATH_SECRET_KEY`` or the one kept in the
database, so every app process agrees). It lasts ``MAX_AGE_SECONDS``; a cookie
that is too old, too big, unsigned, or signed with another key is ignored: the
person starts again, never an error page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import zlib
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response

from heelpath.interview import Answers
from heelpath.knowledge.model import Knowledge
from heelpath.web.auth import clear_cookie, set_cookie

COOKIE = "heelpath_answers"
MAX_AGE_SECONDS = 24 * 3600
MAX_COOKIE_CHARS = 3800  # browsers keep about 4,096 bytes per cookie
MAX_JSON_BYTES = 16_000  # decompression stops here: no zip bombs
VERSION = 1


def derive_key(secret: bytes) -> bytes:
    """The cookie's own key, derived from the app secret (never the CSRF key itself)."""
    return hmac.new(secret, b"heelpath interview answers", hashlib.sha256).digest()


def _key(request: Request) -> bytes:
    return derive_key(request.app.state.csrf_key)


def _sign(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def encode(answers: Answers, key: bytes, now: float | None = None) -> str:
    data: dict[str, Any] = {
        "v": VERSION,
        "t": int(now if now is not None else time.time()),
        "age": answers.age_text,
        "sex": answers.sex,
        "shoes": list(answers.footwear),
        "work": answers.work,
        "pain": answers.pain_score,
        "yes": sorted(f for f, v in answers.findings.items() if v),
        "no": sorted(f for f, v in answers.findings.items() if not v),
        "unsure": sorted(answers.unsure),
        "screens": [list(s) for s in answers.screens],
    }
    body = base64.urlsafe_b64encode(zlib.compress(orjson.dumps(data), 9)).decode().rstrip("=")
    return f"{body}.{_sign(key, body)}"


def decode(
    value: str, key: bytes, knowledge: Knowledge, now: float | None = None
) -> Answers | None:
    """The answers in a cookie, or None when it is missing, tampered with, old or malformed."""
    if not value or len(value) > MAX_COOKIE_CHARS or value.count(".") != 1:
        return None
    body, signature = value.split(".")
    if not hmac.compare_digest(signature, _sign(key, body)):
        return None
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_JSON_BYTES)
        if inflater.unconsumed_tail:
            return None
        data = orjson.loads(raw)
    except (ValueError, zlib.error):
        return None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        return None
    made = data.get("t")
    current = now if now is not None else time.time()
    if not isinstance(made, int) or not 0 <= current - made <= MAX_AGE_SECONDS:
        return None
    return _answers(data, knowledge)


def _answers(data: dict[str, Any], knowledge: Knowledge) -> Answers | None:
    """Rebuild the answers through the form reader, so only known ids and values survive."""
    from heelpath.interview import FINDING_PREFIX, merge_form, tick_questions

    def strings(name: str) -> list[str]:
        value = data.get(name)
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    fields: list[tuple[str, str]] = []
    for name, key in (("age", "age"), ("sex", "sex"), ("work", "work")):
        if isinstance(data.get(key), str):
            fields.append((name, data[key]))
    if isinstance(data.get("pain"), int):
        fields.append(("pain_score", str(data["pain"])))
    fields.extend(("footwear", s) for s in strings("shoes"))
    for reply in ("yes", "no", "unsure"):
        fields.extend((FINDING_PREFIX + fid, reply) for fid in strings(reply))
    answers = merge_form(Answers(), fields, knowledge)
    ticks = set(tick_questions(knowledge))  # first in a screen: "where does it hurt?", a checklist
    known = {f.id for f in knowledge.findings} | ticks
    screens_raw = data.get("screens")
    screens: list[tuple[str, ...]] = []
    if isinstance(screens_raw, list):
        for s in screens_raw:
            if not isinstance(s, list):
                return None
            kept = [f for f in s if isinstance(f, str) and f in known]
            screens.append(tuple(f for i, f in enumerate(kept) if f not in ticks or i == 0))
    return replace(
        answers, findings=MappingProxyType(dict(answers.findings)), screens=tuple(screens)
    )


def load(request: Request) -> Answers | None:
    """The answers this browser carries, or None (none yet, or not to be trusted)."""
    return decode(request.cookies.get(COOKIE, ""), _key(request), request.app.state.knowledge)


def save(request: Request, response: Response, answers: Answers) -> None:
    set_cookie(request, response, COOKIE, encode(answers, _key(request)), MAX_AGE_SECONDS)


def forget(request: Request, response: Response) -> None:
    clear_cookie(request, response, COOKIE)
