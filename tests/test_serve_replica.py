"""`casework serve --replica-url` (README: Past one machine): public reads from a read
replica, the editor, the editing API and every write on the primary.

Two real PostgreSQL databases filled by the same import stand in for a primary and its
replica; a record is then retitled in the "replica" alone, so every answer says which
database it was read from. Served by two worker processes (`--workers 2`, whose processes
open the replica from the environment, casework.web.asgi). A save through the API lands on
the primary, and its author reads it back at once there; the public site shows it when the
replica has it — here, when the test writes it there, as replication would. Polls until a
generous deadline, never timed."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.exc import SQLAlchemyError

from casework.cli import app
from casework.config import load_config
from casework.model.roles import Role
from casework.store import open_store
from casework.store.base import StoreError
from casework.store.postgres import ReplicaBehind
from tests.serving import eventually, free_port, launched
from tests.store.conftest import new_postgres_database
from tests.test_cli import cw, ndjson_file, runner

DEADLINE = 30.0  # seconds: far past the follower's, on a loaded test machine
REPLICA_WORD = "replicaonlyquokka"  # in the replica's copy of one record alone
PRIMARY_WORD = "primaryonlynarwhal"  # saved through the API: on the primary alone


@pytest.fixture
def primary_url() -> Iterator[str]:
    with new_postgres_database() as url:
        yield url


@pytest.fixture
def replica_url() -> Iterator[str]:
    with new_postgres_database() as url:
        yield url


def _retitle(url: str, slug: str, word: str, *, replica: bool = False) -> None:
    store = open_store(url, replica=replica)
    try:
        stored = store.get(slug)
        record = stored.record.model_copy(update={"title": f"{stored.record.title} {word}"})
        store.save(record, base_revision=stored.revision, author="test", message=word)
    finally:
        store.close()


@pytest.fixture
def tracker(
    tmp_path: Path, primary_url: str, replica_url: str, monkeypatch: pytest.MonkeyPatch
) -> Path:
    folder = tmp_path / "t"
    assert cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")[0] == 0
    records = ndjson_file(tmp_path / "r.ndjson", 6, seed=29)
    for url in (primary_url, replica_url):
        code, _, err = cw(folder, "--db", url, "import", "--status", "published", str(records))
        assert code == 0, err
    monkeypatch.setenv("CASEWORK_DATABASE_URL", primary_url)
    added = runner.invoke(
        app,
        ["--tracker", str(folder), "user", "add", "ada", "--role", "admin", "--password-stdin"],
        input="replica test password\n",
    )
    assert added.exit_code == 0, added.stderr
    return folder


def _eventually(check: Callable[[], bool], what: str) -> None:
    eventually(check, what, DEADLINE)


def test_public_reads_go_to_the_replica_and_writes_and_the_editor_to_the_primary(
    tracker: Path,
    primary_url: str,
    replica_url: str,
) -> None:
    code, out, err = cw(tracker, "user", "token", "ada", "--name", "t", "--scope", "write")
    assert code == 0, err
    auth = {"Authorization": f"Bearer {out.strip().splitlines()[-1]}"}
    slug = _first_slug(primary_url)
    _retitle(replica_url, slug, REPLICA_WORD)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "casework", "-t", str(tracker), "serve", "--workers", "2"]
    command += ["--port", str(port), "--replica-url", replica_url]
    log = tracker.parent / "serve.log"
    with launched(command, base, log=log):
        page = f"{base}/incident/{slug}/"
        # Public reads: the replica's copy, on every route (asked a few times: two workers).
        for _ in range(4):
            assert REPLICA_WORD in httpx.get(page, timeout=30).text
            assert REPLICA_WORD in httpx.get(f"{base}/api/incidents/{slug}", timeout=30).text
            found = httpx.get(f"{base}/api/incidents", params={"q": REPLICA_WORD}, timeout=30)
            assert [hit["slug"] for hit in found.json()["incidents"]] == [slug]
            searched = httpx.get(f"{base}/search/", params={"q": REPLICA_WORD}, timeout=30)
            assert f"/incident/{slug}/" in searched.text
            assert REPLICA_WORD in httpx.get(f"{base}/", timeout=30).text  # a planned page
        # The editing API reads the primary's.
        state = httpx.get(f"{base}/api/records/{slug}", headers=auth, timeout=30).json()
        assert REPLICA_WORD not in state["record"]["title"]

        # A save goes to the primary, and its author reads it back there at once.
        record = state["record"] | {"title": f"{state['record']['title']} {PRIMARY_WORD}"}
        saved = httpx.put(
            f"{base}/api/records/{slug}",
            headers=auth,
            json={"record": record, "baseRevision": state["revision"], "message": "m"},
            timeout=30,
        )
        assert saved.status_code == 200, saved.text
        for _ in range(4):
            again = httpx.get(f"{base}/api/records/{slug}", headers=auth, timeout=30).json()
            assert PRIMARY_WORD in again["record"]["title"]
        assert PRIMARY_WORD in _title(primary_url, slug)
        assert PRIMARY_WORD not in _title(replica_url, slug)
        # The public still reads the replica, which has not had the save.
        assert PRIMARY_WORD not in httpx.get(page, timeout=30).text
        nothing = httpx.get(f"{base}/api/incidents", params={"q": PRIMARY_WORD}, timeout=30)
        assert nothing.json()["total"] == 0

        # Replicated: the public site and API follow the replica's change feed.
        _retitle(replica_url, slug, PRIMARY_WORD)
        for _ in range(4):  # both workers
            _eventually(lambda: PRIMARY_WORD in httpx.get(page, timeout=30).text, "page")
            _eventually(
                lambda: (
                    httpx.get(
                        f"{base}/api/incidents", params={"q": PRIMARY_WORD}, timeout=30
                    ).json()["total"]
                    == 1
                ),
                "API search",
            )


def _first_slug(url: str) -> str:
    store = open_store(url)
    try:
        return next(iter(store.iter_records())).record.slug
    finally:
        store.close()


def _title(url: str, slug: str) -> str:
    store = open_store(url)
    try:
        return store.get(slug).record.title
    finally:
        store.close()


def test_a_replica_is_opened_read_only_and_never_migrated(
    tmp_path: Path,
    primary_url: str,
    replica_url: str,
) -> None:
    # An empty database as the replica: not at the schema, and not migrated to it.
    with pytest.raises(ReplicaBehind, match="not at this casework's schema"):
        open_store(replica_url, replica=True)
    open_store(primary_url).close()  # migrated as a primary
    replica = open_store(primary_url, replica=True)
    try:
        with pytest.raises((StoreError, SQLAlchemyError)):
            replica.accounts.add_user("eve", "a long enough password 123", Role.editor)
    finally:
        replica.close()
    with pytest.raises(StoreError, match="read replica is a PostgreSQL database"):
        open_store(f"sqlite:///{tmp_path / 'x.db'}", replica=True)


def test_replica_url_is_read_from_casework_toml(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    assert cw(tmp_path, "init", str(folder))[0] == 0
    toml = folder / "casework.toml"
    assert "# replica_url" in toml.read_text()
    text = toml.read_text().replace(
        "[database]\n", '[database]\nreplica_url = "postgresql://r@replica:5432/t"\n'
    )
    toml.write_text(text)
    assert load_config(folder).replica_url == "postgresql://r@replica:5432/t"
    toml.write_text(text.replace('"postgresql://r@replica:5432/t"', "3"))
    with pytest.raises(Exception, match=r"\[database\] replica_url"):
        load_config(folder)
