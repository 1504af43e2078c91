"""The editing service over a real store on each engine, for every test here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from casework.editing import Editing
from casework.model import Site
from casework.store import open_store
from casework.store.base import Store

SITE = Site(url="https://m.example.org")
DAY = date(2026, 5, 4)


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "postgres":
        from tests.store.pg import fresh_database

        with fresh_database("casework_editing") as url:
            opened = open_store(url)
            yield opened
            opened.close()
    else:
        opened = open_store(tmp_path / "tracker.db")
        yield opened
        opened.close()


@pytest.fixture
def editing(store: Store) -> Editing:
    return Editing(store, SITE, today=lambda: DAY)
