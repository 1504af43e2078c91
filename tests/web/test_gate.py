"""The gate in front of the editor and the editing API (web/gate.py), for API tokens: a
read-only token reads but is refused (403) by every route that changes something, before
its body is read; an expired token is no token. Every changing route is taken from the app's
own route table, so that a route added later is checked too."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from starlette.routing import Mount, Route

from casework.formats.tracker_json import record_dict
from casework.model import Status
from casework.store.accounts import TokenScope
from casework.web.security import SAFE_METHODS
from tests.store.factories import make_record
from tests.web.editing import SITE, Team

PRIVATE = ("/edit/", "/api/records")


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
