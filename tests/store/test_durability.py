"""The PostgreSQL durability check against the real server (its real settings pass; a session
with synchronous_commit off is refused), and the message for the server-wide settings that a
test cannot turn off, built from settings as the server would report them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from casework.store.base import StoreError
from casework.store.durability import (
    NotDurable,
    check_durability,
    durability_message,
    read_settings,
)
from casework.store.sqlite import SQLiteStore
from tests.store.pg import SERVER, require_postgres

SAFE = {"fsync": "on", "full_page_writes": "on", "synchronous_commit": "on"}


@pytest.fixture
def engine() -> Iterator[Engine]:
    require_postgres()
    made = create_engine(f"{SERVER}/postgres")
    yield made
    made.dispose()


def test_the_real_server_passes_on_an_engine_and_a_connection(engine: Engine) -> None:
    check_durability(engine)
    with engine.connect() as conn:
        assert read_settings(conn).keys() == SAFE.keys()
        check_durability(conn)


def test_synchronous_commit_off_in_the_session_is_refused(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SET synchronous_commit = off"))
        with pytest.raises(NotDurable) as caught:
            check_durability(conn)
        conn.execute(text("SET synchronous_commit = local"))  # local still waits for the disk
        check_durability(conn)
    message = str(caught.value)
    assert isinstance(caught.value, StoreError)
    assert "\n" not in message
    assert "synchronous_commit is off" in message
    assert "a crash could lose or corrupt committed revisions" in message
    assert "fsync" not in message and "full_page_writes" not in message


def test_the_message_names_each_setting_that_is_off() -> None:
    assert durability_message(SAFE) is None
    assert durability_message({**SAFE, "synchronous_commit": "remote_apply"}) is None
    message = durability_message({**SAFE, "fsync": "off", "full_page_writes": "off"})
    assert message is not None and "\n" not in message
    assert "fsync is off (writes are not forced to disk)" in message
    assert "full_page_writes is off (a page half-written at a crash cannot be repaired)" in message
    assert "synchronous_commit" not in message
    assert "turn them on" in message
    # A setting the server did not report is not taken on trust.
    missing = durability_message({"fsync": "on", "synchronous_commit": "on"})
    assert missing is not None and "full_page_writes is off" in missing


def test_sqlite_is_not_checked(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "tracker.db")
    try:
        check_durability(store._engine)  # SQLite sets synchronous=FULL itself
    finally:
        store.close()
