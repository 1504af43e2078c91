"""The build state: what the current output holds, by input hash.

A SQLite file beside the builds. `files` maps each output path to the key of the inputs it was
written from; `cards` keeps each published record's card by the hash of the revision it came
from; `meta` names the build directory the state describes. A state that describes another
directory than the one the site points at (a build killed between commit and swap) is ignored.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import orjson

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, key TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cards (slug TEXT PRIMARY KEY, hash TEXT NOT NULL, card BLOB NOT NULL);
"""


class BuildState:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        # A cache: WAL with NORMAL sync cannot corrupt it, and a lost last commit only means
        # the next build finds the state stale (its build name no longer matches) and
        # rebuilds everything.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def files(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT path, key FROM files"))

    def cards(self, wanted: dict[str, str]) -> dict[str, dict[str, Any]]:
        """Cards whose record hash is still `wanted[slug]`."""
        found = {}
        for slug, hash_, card in self.db.execute("SELECT slug, hash, card FROM cards"):
            if wanted.get(slug) == hash_:
                found[slug] = orjson.loads(card)
        return found

    def save(
        self,
        build: str,
        files: dict[str, str],
        cards: dict[str, tuple[str, dict[str, Any]]],
        *,
        published: set[str],
        full: bool,
    ) -> None:
        """Describe the new build: every file's key; `cards` are the new or changed ones
        (slug → (record hash, card)); cards of records no longer `published` are dropped.
        `full` starts the cards afresh (the old state described another build)."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM files")
            db.executemany("INSERT INTO files (path, key) VALUES (?, ?)", files.items())
            if full:
                db.execute("DELETE FROM cards")
            else:
                gone = {slug for (slug,) in db.execute("SELECT slug FROM cards")} - published
                db.executemany("DELETE FROM cards WHERE slug = ?", ((s,) for s in gone))
            db.executemany(
                "INSERT OR REPLACE INTO cards (slug, hash, card) VALUES (?, ?, ?)",
                ((slug, h, orjson.dumps(card)) for slug, (h, card) in cards.items()),
            )
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('build', ?)", (build,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
