"""The guard that keeps Python code in a process holding a SQLite database away from its files
(store/guard.py): first as a server, the command line and an editor's script meet it — every
save the server acknowledged is there after a restart — then each way of naming the file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from casework.store import open_store
from casework.store.copy import copy_store
from casework.store.guard import DatabaseFileInUse, database_of, held_databases
from casework.store.sqlite import SQLiteStore
from tests.serving import free_port, launched
from tests.store.factories import make_record

PASSWORD = "guard test password"

# `casework serve`, and beside it a thread standing for any code of the server's that may be
# handed a path (the editor's "Read an article at" box did this with the database's own):
# each time TRIGGER appears it reads the path written in it with ingest's file reader, and
# writes what happened to RESULT.
SERVE_WITH_A_READER = """
import sys, threading, time
from pathlib import Path
from casework.cli import app
from casework.ingest.readers import read_path  # imported here: not in two threads at once
trigger, result = Path(sys.argv[1]), Path(sys.argv[2])

def reader():
    while True:
        if trigger.exists():
            target = trigger.read_text()
            trigger.unlink()
            try:
                read_path(Path(target))
                outcome = "read"
            except Exception as error:
                outcome = f"{type(error).__name__}: {error}"
            result.with_suffix(".new").write_text(outcome)
            result.with_suffix(".new").rename(result)
        time.sleep(0.05)

threading.Thread(target=reader, daemon=True).start()
app(args=sys.argv[3:], prog_name="casework")
"""


def _casework(
    folder: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casework", "-t", str(folder), *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


@contextmanager
def _server(folder: Path, trigger: Path, result: Path) -> Iterator[httpx.Client]:
    port = free_port()
    args = ["-t", str(folder), "serve", "--port", str(port)]
    command = [sys.executable, "-c", SERVE_WITH_A_READER, str(trigger), str(result), *args]
    base = f"http://127.0.0.1:{port}"
    with (
        launched(command, base, env={"CASEWORK_WARM_SITE": "0"}),
        httpx.Client(base_url=base, timeout=60) as client,
    ):
        yield client


def _read_in_the_server(path: Path, trigger: Path, result: Path) -> str:
    trigger.with_suffix(".new").write_text(str(path))
    trigger.with_suffix(".new").rename(trigger)  # whole, or not there yet
    deadline = time.monotonic() + 60
    while not result.exists():
        assert time.monotonic() < deadline, "the server's reader did not answer within 60 s"
        time.sleep(0.05)
    outcome = result.read_text()
    result.unlink()
    return outcome


def test_every_save_the_server_acknowledged_survives_a_command_and_a_restart(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "t"
    assert _casework(tmp_path, "init", str(folder)).returncode == 0
    added = _casework(
        folder, "user", "add", "ada", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert added.returncode == 0, added.stderr
    made_token = _casework(folder, "user", "token", "ada", "--name", "script", "--scope", "write")
    token = made_token.stdout.strip()
    made = _casework(folder, "new", "Crews held at the quay", "--date", "2026-03-02")
    assert made.returncode == 0, made.stderr
    slug, database = "crews-held-at-the-quay", folder / "tracker.db"
    headers = {"Authorization": f"Bearer {token}"}
    acknowledged: dict[int, str] = {}  # revision → the title saved in it

    def save(client: httpx.Client, n: int) -> None:
        current = client.get(f"/api/records/{slug}", headers=headers).json()
        record: dict[str, Any] = current["record"]
        record["title"] = f"Crews held at the quay, save {n}"
        answer = client.put(
            f"/api/records/{slug}",
            json={"record": record, "baseRevision": current["revision"], "message": f"save {n}"},
            headers=headers,
        )
        assert answer.status_code == 200, answer.text
        acknowledged[answer.json()["revision"]] = record["title"]

    trigger, result = tmp_path / "trigger", tmp_path / "result"
    with _server(folder, trigger, result) as client:
        save(client, 1)
        # The server's own code handed the database's path: it must not open it.
        read = _read_in_the_server(database, trigger, result)
        # Commands run beside the server and the saves; the last to close a database nobody
        # else holds a lock on checkpoints and deletes its WAL.
        with ThreadPoolExecutor(max_workers=3) as pool:
            commands = [
                pool.submit(_casework, folder, "ingest", str(database)),
                pool.submit(_casework, folder, "history", slug, "--verify"),
                pool.submit(_casework, folder, "search", "quay"),
            ]
            for n in range(2, 5):
                save(client, n)
            finished = [command.result() for command in commands]
        for n in range(5, 9):
            save(client, n)
        assert _casework(folder, "history", slug, "--verify").returncode == 0
        save(client, 9)

    assert len(acknowledged) == 9
    store = open_store(database)  # as the restarted server finds it
    try:
        for number, title in acknowledged.items():
            assert store.revision(slug, number).record.title == title, number
        assert store.get(slug).revision == max(acknowledged)
        assert store.verify_history() == []
    finally:
        store.close()
    assert read.startswith("DatabaseFileInUse: ") and str(database) in read, read
    ingest, verify, search = finished
    assert ingest.returncode == 1 and "is the tracker's database" in ingest.stderr, ingest.stderr
    assert verify.returncode == 0 and search.returncode == 0, verify.stderr + search.stderr


# --- each way of naming the file ------------------------------------------------------------


@pytest.fixture
def held(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(tmp_path / "tracker.db")
    store.create(make_record("pier"), author="ada", message="first")  # the WAL exists
    yield store
    store.close()


def _locks_held_on(path: Path) -> list[str]:
    """This process's POSIX locks on `path`, as /proc/locks lists them."""
    inode = os.stat(path).st_ino
    found = []
    with open("/proc/locks", encoding="ascii") as listing:
        for line in listing:
            fields = line.split()
            if fields[4] == str(os.getpid()) and int(fields[5].split(":")[2]) == inode:
                found.append(f"{fields[3]} {fields[6]}-{fields[7]}")
    return found


def test_sqlite_holds_a_lock_on_the_file_and_a_refused_open_leaves_it(
    held: SQLiteStore, tmp_path: Path
) -> None:
    database = tmp_path / "tracker.db"
    before = _locks_held_on(database)
    assert before, "SQLite in WAL mode keeps a shared lock on the database file"
    with pytest.raises(DatabaseFileInUse):
        open(database, "rb").close()
    assert _locks_held_on(database) == before


def test_a_forked_child_holds_no_lock_and_is_not_guarded(held: SQLiteStore, tmp_path: Path) -> None:
    database = tmp_path / "tracker.db"
    before = _locks_held_on(database)
    child = os.fork()
    if child == 0:  # POSIX locks are not inherited: reading the file here drops nothing
        code = 1
        try:
            open(database, "rb").close()
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert _locks_held_on(database) == before
    with pytest.raises(DatabaseFileInUse):
        open(database, "rb")


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_every_way_of_opening_a_held_file_is_refused(
    held: SQLiteStore, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"tracker.db{suffix}"
    openers = [
        lambda: open(path, "rb"),
        lambda: path.open("ab"),
        lambda: os.open(path, os.O_RDONLY | os.O_CREAT),
        lambda: open(os.fsencode(path), "rb"),
        lambda: shutil.copyfile(tmp_path / "other", path),
    ]
    (tmp_path / "other").write_bytes(b"x")
    for opener in openers:
        with pytest.raises(DatabaseFileInUse) as refused:
            opener()
        message = str(refused.value)
        assert str(path) in message and "\n" not in message
        assert isinstance(refused.value, PermissionError)


def test_links_and_other_spellings_of_the_name_are_refused(
    held: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "tracker.db"
    (tmp_path / "sub").mkdir()
    os.symlink(database, tmp_path / "symlink")
    os.symlink(tmp_path, tmp_path / "folder-link")
    os.link(database, tmp_path / "hardlink")
    os.link(tmp_path / "tracker.db-wal", tmp_path / "wal-hardlink")
    os.symlink(tmp_path / "tracker.db-journal", tmp_path / "dangling")  # no journal yet
    names = [
        tmp_path / "symlink",
        tmp_path / "folder-link" / "tracker.db-shm",
        tmp_path / "hardlink",
        tmp_path / "wal-hardlink",
        tmp_path / "dangling",
        tmp_path / "sub" / ".." / "tracker.db",
    ]
    for name in names:
        with pytest.raises(DatabaseFileInUse):
            open(name, "ab").close()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseFileInUse):
        open("tracker.db", "rb").close()
    assert not (tmp_path / "tracker.db-journal").exists()


def test_removing_renaming_or_truncating_a_held_file_is_refused(
    held: SQLiteStore, tmp_path: Path
) -> None:
    wal = tmp_path / "tracker.db-wal"
    (tmp_path / "other").write_bytes(b"x")
    refused = [
        lambda: os.remove(wal),
        lambda: wal.unlink(),
        lambda: os.replace(tmp_path / "other", tmp_path / "tracker.db"),
        lambda: os.rename(wal, tmp_path / "moved"),
        lambda: shutil.move(wal, tmp_path / "moved"),
        lambda: os.truncate(tmp_path / "tracker.db", 0),
        lambda: shutil.rmtree(tmp_path),
    ]
    for action in refused:
        with pytest.raises(DatabaseFileInUse):
            action()
    assert wal.exists() and held.get("pier").revision == 1


def test_other_files_sqlite_itself_and_copies_still_work(held: SQLiteStore, tmp_path: Path) -> None:
    other = tmp_path / "tracker.db.bak"
    other.write_bytes(b"not the database")
    assert other.read_bytes() == b"not the database"
    os.replace(other, tmp_path / "tracker.db-old")
    # SQLite's own opens are not Python's: a second connection and a second store are fine.
    direct = sqlite3.connect(tmp_path / "tracker.db")
    assert direct.execute("SELECT count(*) FROM records").fetchone() == (1,)
    direct.close()
    second = SQLiteStore(tmp_path / "tracker.db")
    copy = open_store(tmp_path / "copy.db")
    try:
        copy_store(second, copy)
        assert copy.get("pier").revision == 1
    finally:
        copy.close()
        second.close()
    # The first store still holds the file after the second closed.
    with pytest.raises(DatabaseFileInUse):
        open(tmp_path / "tracker.db", "rb")
    held.create(make_record("quay"), author="ada", message="after all that")
    assert held.verify_history() == []


def test_closing_the_store_stops_guarding_its_files(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "tracker.db")
    assert str((tmp_path / "tracker.db").resolve()) in held_databases()
    store.close()
    store.close()  # twice is once
    assert str((tmp_path / "tracker.db").resolve()) not in held_databases()
    assert (tmp_path / "tracker.db").read_bytes().startswith(b"SQLite format 3")


def test_database_of_names_the_database_and_its_siblings_only(
    held: SQLiteStore, tmp_path: Path
) -> None:
    database = tmp_path / "tracker.db"
    os.symlink(database, tmp_path / "symlink")
    os.link(database, tmp_path / "hardlink")
    for name in ("tracker.db", "tracker.db-wal", "tracker.db-journal", "symlink", "hardlink"):
        assert database_of(tmp_path / name, database), name
    (tmp_path / "article.html").write_text("<p>x</p>")
    for name in ("article.html", "tracker.db-walrus", "missing.db"):
        assert not database_of(tmp_path / name, database), name
