"""The gate in front of the editor and the editing API (web/gate.py).

Who asks comes first: an anonymous caller learns nothing about what exists — every slug,
revision and proposal gets the same answer — and nothing it sends is read: a body is refused
before its first byte is taken, and an over-long body from a signed-in caller is refused before
it is held in memory. A read-only API token reads but is refused (403) by every route that
changes something, before its body is read; an expired token is no token. Every changing route
is taken from the app's own route table, so that a route added later is checked too."""

from __future__ import annotations

import re
import socket
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from starlette.routing import Mount, Route

from casework.formats.tracker_json import record_dict
from casework.model import Status
from casework.store.accounts import TokenScope
from casework.web.security import SAFE_METHODS
from tests.serving import serving
from tests.store.factories import make_record
from tests.web.editing import SITE, Team

MISSING = "no-such-record"
PRIVATE = ("/edit/", "/api/records")


def _answer(response: object) -> tuple[int, bytes, str]:
    status = response.status_code  # type: ignore[attr-defined]
    body = response.content  # type: ignore[attr-defined]
    headers = response.headers  # type: ignore[attr-defined]
    return status, body, headers.get("location", "")


@pytest.mark.parametrize("state", [Status.draft, Status.review, Status.published])
def test_an_anonymous_caller_gets_the_same_answer_for_every_slug(team: Team, state: Status) -> None:
    team.record("exists-here", state)
    anonymous = team.client()
    record = {"record": {"slug": "x"}, "baseRevision": 1}
    for slug_path in (
        ("GET", "/edit/{slug}/", None),
        ("GET", "/edit/{slug}/history", None),
        ("GET", "/edit/{slug}/history/1", None),
        ("GET", "/edit/{slug}/history/99999999999999999999", None),
        ("POST", "/edit/{slug}/", {"title": "x"}),
        ("POST", "/edit/{slug}/workflow", {"act": "publish"}),
        ("POST", "/edit/{slug}/restore", {"number": "1"}),
        ("POST", "/edit/{slug}/withdraw-version", {"version": "1", "reason": "x"}),
        ("POST", "/edit/{slug}/notes", {"text": "x"}),
        ("POST", "/edit/{slug}/rename", {"new_slug": "some-new-slug"}),
        ("POST", "/edit/{slug}/delete", {"reason": "x"}),
        ("POST", "/edit/{slug}/merge", {"duplicate": "exists-here"}),
        ("POST", "/edit/{slug}/merge", {"duplicate": MISSING, "step": "merge"}),
        ("GET", "/api/records/{slug}", None),
        ("PUT", "/api/records/{slug}", record),
        ("POST", "/api/records/{slug}/status", {"status": "published", "baseRevision": 1}),
    ):
        method, path, data = slug_path
        answers = []
        for slug in ("exists-here", MISSING):
            url = path.format(slug=slug)
            if method == "GET":
                response = anonymous.http.get(url)
            elif url.startswith("/api/"):
                response = anonymous.http.request(method, url, json=data)
            else:
                response = anonymous.http.request(method, url, data=data)
            status, body, location = _answer(response)
            answers.append((status, body.replace(slug.encode(), b"SLUG"),
                            location.replace(slug, "SLUG")))  # fmt: skip
        assert answers[0] == answers[1], (method, path)
        assert answers[0][0] in (303, 401), (method, path)


@pytest.mark.parametrize("state", [Status.draft, Status.published])
def test_an_anonymous_bulk_request_answers_the_same_for_every_slug(
    team: Team, state: Status
) -> None:
    team.record("exists-here", state)
    anonymous = team.client()
    answers = []
    for slug in ("exists-here", MISSING):
        got = anonymous.http.get(f"/edit/bulk?q={slug}")
        posted = anonymous.http.post(
            "/edit/bulk", data={"step": "apply", "kind": "add-tag", "value": "t", "slug": slug}
        )
        answers.append([(r.status_code, r.content.replace(slug.encode(), b"SLUG"),
                         r.headers.get("location", "").replace(slug, "SLUG"))
                        for r in (got, posted)])  # fmt: skip
    assert answers[0] == answers[1]
    assert [a[0] for a in answers[0]] == [303, 401]
    assert team.store.get("exists-here").revision == (1 if state is Status.draft else 2)


def test_an_anonymous_caller_learns_nothing_of_proposals(team: Team, tmp_path: object) -> None:
    anonymous = team.client()
    first = _answer(anonymous.http.get("/edit/proposals/20260101-000000-abcdef"))
    second = _answer(anonymous.http.get("/edit/proposals/" + "9" * 5000))
    assert first[0] == second[0] == 303


def _raw(base: str, request: bytes, wait: float = 10.0) -> bytes:
    """Send `request` on a new connection to `base` and read what comes back within
    `wait` seconds (the server may answer before the request's body is sent)."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=wait) as sock:
        sock.sendall(request)
        chunks = []
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks):
                break
        return b"".join(chunks)


def test_an_anonymous_body_is_refused_before_a_byte_of_it_is_read(team: Team) -> None:
    team.record("exists-here", Status.draft)
    with serving(team.app) as base:
        # A megabyte announced (within the route's limit) and never sent: the answer comes
        # without waiting for it, so nothing of it was read.
        head = (
            b"PUT /api/records/exists-here HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"
        )
        assert _raw(base, head).startswith(b"HTTP/1.1 401")
        form = (
            b"POST /edit/exists-here/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 1000000\r\n\r\ntitle="
        )
        assert _raw(base, form).startswith(b"HTTP/1.1 401")
        # Past the limit: 413 at once, whoever asks (it depends on the length alone).
        huge = head.replace(b"1000000", b"300000000")
        assert _raw(base, huge).startswith(b"HTTP/1.1 413")


def test_a_signed_in_body_past_the_limit_is_refused_before_it_is_read(team: Team) -> None:
    token, _ = team.store.accounts.create_token("rita", "limits", scope=TokenScope.write)
    team.record("exists-here", Status.draft)
    with serving(team.app) as base:
        head = (
            b"PUT /api/records/exists-here HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer " + token.encode() + b"\r\n"
            b"Content-Type: application/json\r\nContent-Length: 300000000\r\n\r\n{"
        )
        answer = _raw(base, head)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        # Sent in chunks, with no length: cut off at the limit, not read to the end.
        chunk = b"8000\r\n" + b" " * 0x8000 + b"\r\n"
        head = (
            b"PUT /api/records/exists-here HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer " + token.encode() + b"\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        parts = urlsplit(base)
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
            sock.sendall(head)
            sent = 0
            answer = b""
            sock.settimeout(0.001)
            while sent < 200 << 20:  # far past the 32 MiB limit
                try:
                    sock.sendall(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent += len(chunk)
                try:
                    answer += sock.recv(65536)
                except (TimeoutError, BlockingIOError):
                    continue
                if answer:
                    break
            sock.settimeout(10)
            try:
                answer += sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                pass
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 64 << 20


def test_the_editor_saves_a_body_the_api_would_accept(team: Team) -> None:
    """More than a megabyte of Markdown: once a bare 400 from the form parser, the edit
    lost; the form takes what the API takes."""
    team.record("long-read", Status.draft)
    eve = team.client("eve")
    token, base = eve.form("/edit/long-read/")
    from tests.web.editing import fields_of

    body = ("A paragraph of testimony, written out at length. " * 40 + "\n\n") * 700
    assert len(body.encode()) > 1_300_000
    fields = [(k, v) for k, v in fields_of(make_record("long-read")) if k != "body"]
    answer = eve.post(
        "/edit/long-read/",
        [*fields, ("body", body), ("csrf", token), ("base_revision", str(base))],
    )
    assert answer.status_code == 303, answer.text[:300]
    assert team.store.get("long-read").record.body == body


def test_a_body_longer_than_a_record_may_hold_comes_back_in_the_form(team: Team) -> None:
    team.record("too-long", Status.draft)
    eve = team.client("eve")
    token, base = eve.form("/edit/too-long/")
    from tests.web.editing import fields_of

    body = "x" * 2_000_001
    fields = [(k, v) for k, v in fields_of(make_record("too-long")) if k != "body"]
    answer = eve.post(
        "/edit/too-long/",
        [*fields, ("body", body), ("csrf", token), ("base_revision", str(base))],
    )
    assert answer.status_code == 422
    assert "at most 2,000,000" in answer.text and body in answer.text  # kept, to trim
    assert team.store.get("too-long").revision == 1


# --- API tokens' scope and expiry ----------------------------------------------------------
def changing_routes(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every private route that changes something, path parameters
    filled in: {slug} is "pier", a revision number 1, a proposal id "p1". The editor's come
    from the route table, the API's from its OpenAPI description."""
    found: list[tuple[str, str]] = []
    for route in app.routes:
        if isinstance(route, Mount) and hasattr(route.app, "openapi"):
            for path, operations in route.app.openapi()["paths"].items():
                found += [(m.upper(), route.path + path) for m in operations]
        elif isinstance(route, Route):
            found += [(method, route.path) for method in route.methods or ()]
    return sorted(
        (method, fill(path))
        for method, path in found
        if path.startswith(PRIVATE) and method not in SAFE_METHODS
    )


def fill(path: str) -> str:
    values = {"slug": "pier", "number": "1", "id": "p1"}
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values[m.group(1)], path)


def bearer(team: Team, username: str, **options: Any) -> dict[str, str]:
    token, _ = team.store.accounts.create_token(username, "script", **options)
    return {"Authorization": f"Bearer {token}"}


def test_a_read_token_is_refused_by_every_route_that_changes_something(team: Team) -> None:
    team.record("pier", Status.published)
    client = team.client().http
    reader = bearer(team, "ada")  # an admin's token: only its scope stands in the way
    routes = changing_routes(team.app)
    assert ("POST", "/api/records") in routes and ("POST", "/edit/new") in routes
    assert ("PUT", "/api/records/pier") in routes and ("POST", "/edit/pier/restore") in routes
    accounts = team.store.accounts
    before = (team.store.generation(), [t.id for t in accounts.tokens()], accounts.users())
    for method, path in routes:
        answer = client.request(method, path, headers=reader, data={"name": "x"})
        assert answer.status_code == 403, (method, path, answer.status_code)
        assert "may only read" in answer.text, (method, path)
    assert (team.store.generation(), [t.id for t in accounts.tokens()], accounts.users()) == before
    # Reading is what it is for: drafts too, as its user's role allows.
    assert client.get("/api/records/pier", headers=reader).status_code == 200
    assert client.get("/edit/pier/history", headers=reader).status_code == 200


def test_a_read_token_cannot_write_what_a_write_token_can(team: Team) -> None:
    client = team.client().http
    body = {"record": record_dict(make_record("quay"), SITE), "message": "From a script"}
    refused = client.post("/api/records", json=body, headers=bearer(team, "eve"))
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("this API token may only read")
    assert not team.store.exists("quay")
    made = client.post(
        "/api/records", json=body, headers=bearer(team, "eve", scope=TokenScope.write)
    )
    assert made.status_code == 201, made.text
    assert team.store.get("quay").status is Status.draft


def test_an_expired_token_is_answered_as_no_token(team: Team) -> None:
    team.record("pier", Status.draft)
    client = team.client().http
    headers = bearer(team, "eve", scope=TokenScope.write, lifetime=timedelta(microseconds=1))
    answer = client.get("/api/records/pier", headers=headers)
    assert answer.status_code == 401
    assert answer.json() == client.get("/api/records/pier").json()
    assert client.get("/edit/pier/", headers=headers).status_code == 303  # to the sign-in page
