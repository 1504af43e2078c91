"""Fixtures every web test may use: the editor's team (tests/web/editing.py), and a store
filled with the publishing tests' records (tests/publish/conftest.py's `fill`: published
records, drafts and one in review). A module with a store of its own shadows the latter."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from casework.store import open_store
from casework.store.base import Store
from tests.publish.conftest import fill
from tests.web.editing import team  # noqa: F401


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "tracker.db")
    fill(store)
    yield store
    store.close()
