"""A tracker with a team in it, and a browser-like client that signs in through the real
login form and posts the editor's real forms (CSRF token included, as a browser would)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from casework.model import Record, Site, Status
from casework.store import open_store
from casework.store.accounts import Role
from casework.store.base import Store
from casework.web.app import create_app
from tests.store.factories import make_record

SITE = Site(url="https://m.example.org", title="Monitor")
PASSWORD = "correct horse battery staple"
TEAM = {
    "ada": Role.admin,
    "eve": Role.editor,
    "ed": Role.editor,
    "rita": Role.reviewer,
    "vic": Role.viewer,
}

_CSRF = re.compile(r'name="csrf" value="([^"]*)"')
_BASE = re.compile(r'name="base_revision" value="(\d+)"')


@dataclass
class Team:
    store: Store
    app: Any

    def client(self, username: str | None = None) -> Browser:
        client = TestClient(self.app, base_url="http://testserver", follow_redirects=False)
        browser = Browser(client)
        if username is not None:
            browser.sign_in(username)
        return browser

    def record(self, slug: str, status: Status, **changes: Any) -> Record:
        record = make_record(slug, **changes)
        self.store.create(record, author="seed", message="seed", status=Status.draft)
        if status is not Status.draft:
            self.store.set_status(slug, status, base_revision=1, author="seed", message="seed")
        return record


class Browser:
    def __init__(self, client: TestClient) -> None:
        self.http = client

    def sign_in(self, username: str, password: str = PASSWORD) -> Any:
        page = self.http.get("/login")
        token = _CSRF.search(page.text)
        assert token, page.text
        return self.http.post(
            "/login",
            data={"username": username, "password": password, "csrf": token.group(1), "next": ""},
        )

    def csrf(self, path: str = "/edit/account") -> str:
        found = _CSRF.search(self.http.get(path).text)
        return found.group(1) if found else ""

    def form(self, path: str) -> tuple[str, int]:
        """The CSRF token and base revision a GET of an editor page gives."""
        text = self.http.get(path).text
        token, base = _CSRF.search(text), _BASE.search(text)
        return (token.group(1) if token else "", int(base.group(1)) if base else 0)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.http.get(path, **kwargs)

    def post(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        if isinstance(data, list):  # (name, value) pairs, as a form posts them
            pairs: dict[str, list[str]] = {}
            for name, value in data:
                pairs.setdefault(name, []).append(value)
            data = pairs
        return self.http.post(path, data=data, **kwargs)


@pytest.fixture(params=["sqlite", "postgres"])
def team(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Team]:
    """The team on each engine: the editor runs unchanged on SQLite and PostgreSQL."""
    if request.param == "postgres":
        from tests.store.pg import fresh_database

        with fresh_database("casework_web") as url:
            yield from _team(url)
    else:
        yield from _team(f"sqlite:///{tmp_path / 'tracker.db'}")


def _team(url: str) -> Iterator[Team]:
    from argon2 import PasswordHasher

    store = open_store(url)
    # Cheap hashing parameters for tests only: the default's cost is what makes it slow.
    store.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
    for username, role in TEAM.items():
        store.accounts.add_user(username, PASSWORD, role, username.title())
    yield Team(store=store, app=create_app(store, SITE))
    store.close()


def fields_of(record: Record) -> list[tuple[str, str]]:
    """The fields the editor's form posts for `record`."""
    from casework.web.forms import flat_fields, record_values

    return flat_fields(record_values(record))
