"""Whether a tracker's site is up to date, told without opening the store.

A no-change `casework build` used to cost what loading the store's code costs (SQLAlchemy,
the models: most of half a second) before it could compare anything. This module, on the
standard library alone, fingerprints everything the site is built from that can change
between builds — the tracker's casework.toml, the SQLite database's files (the database, its
write-ahead log and rollback journal: size, modification time, and the log's header and the
database's, which every commit changes), casework's version, templates and assets — and the
build state keeps the fingerprint taken before the build read anything. The same fingerprint
later means nothing was committed since.

A fingerprint is only ever kept when it can vouch: not when a file it covers was modified in
the last RACY_SECONDS before it was taken (a commit in the same clock tick as the look could
leave the modification time as it was, git's "racily clean" case), nor for a PostgreSQL
database (its changes leave no file here), nor while proposal files wait in the folder (the
next build imports them), nor in a process that holds a database open (reading its files
could drop SQLite's locks: casework.store.guard). Then the build decides the long way, as before.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
import tomllib
from importlib import resources
from pathlib import Path

RACY_SECONDS = 2.0
CONFIG_NAME = "casework.toml"  # casework.config.CONFIG_NAME, not imported: it loads pydantic
SQLITE = "sqlite:///"


def _database_file(folder: Path, config: bytes, db: str | None) -> Path | None:
    url = db
    if url is None:
        raw = tomllib.loads(config.decode("utf-8"))
        url = raw.get("database", {}).get("url", "sqlite:///tracker.db")
    if not isinstance(url, str) or not url.startswith(SQLITE) or "?" in url:
        return None
    path = Path(url[len(SQLITE) :])
    return path if path.is_absolute() else folder / path


def fingerprint(folder: Path, db: str | None = None) -> str | None:
    """The fingerprint of what a build of the tracker in `folder` reads (see above), or None
    when it cannot vouch for it."""
    from casework import __version__

    guard = sys.modules.get("casework.store.guard")
    if guard is not None and guard.held_databases():
        # This process holds a database open: reading a database file's header here could
        # drop SQLite's locks on it (casework.store.guard says why). Only a command's own
        # start, before any store opens, takes the fingerprint.
        return None
    started = time.time()
    folder = folder.resolve()
    try:
        config = (folder / CONFIG_NAME).read_bytes()
        database = _database_file(folder, config, db)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    if database is None or (folder / "proposals").exists():
        return None
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{__version__}\0{folder}\0{database}\0".encode())
    h.update(config)
    for suffix in ("", "-wal", "-journal"):
        path = Path(f"{database}{suffix}")
        try:
            st = path.stat()
        except FileNotFoundError:
            h.update(f"{suffix}: none\0".encode())
            continue
        if st.st_mtime > started - RACY_SECONDS:
            return None
        h.update(f"{suffix}: {st.st_size} {st.st_mtime_ns} {st.st_ino}\0".encode())
        if suffix in ("", "-wal"):
            with path.open("rb") as f:
                h.update(f.read(100))  # the header: change counter, WAL salts, checkpoints
    render = resources.files("casework.render")
    for part in ("templates", "static"):
        for item in sorted(render.joinpath(part).iterdir(), key=lambda p: p.name):
            if item.is_file():
                h.update(f"{part}/{item.name}\0".encode())
                h.update(item.read_bytes())
    return h.hexdigest()


def up_to_date(out: Path, quick: str) -> int | None:
    """When the build state beside `out` says the site it points at was built from `quick`
    (and has nothing left to remove), the number of records it holds; else None."""
    builds = out.absolute().parent / f".{out.name}.builds"
    state = builds / "state.sqlite"
    if not out.is_symlink() or not state.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
        try:
            meta = dict(db.execute("SELECT name, value FROM meta"))
        finally:
            db.close()
    except sqlite3.Error:
        return None
    target = Path(os.path.realpath(out))
    if (
        meta.get("quick") != quick
        or meta.get("keep_previous") != "1"
        or target != Path(os.path.realpath(builds / meta.get("build", "-")))
        or not meta.get("records", "").isdigit()
    ):
        return None
    return int(meta["records"])
