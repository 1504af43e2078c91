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
        full: bool,
    ) -> None:
        """Replace the state with the new build's. `cards`: slug → (record hash, card); with
        `full` false only the changed files and cards are given, the rest kept."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            if full:
                db.execute("DELETE FROM files")
                db.execute("DELETE FROM cards")
            db.executemany("INSERT OR REPLACE INTO files (path, key) VALUES (?, ?)", files.items())
            db.executemany(
                "INSERT OR REPLACE INTO cards (slug, hash, card) VALUES (?, ?, ?)",
                ((slug, h, orjson.dumps(card)) for slug, (h, card) in cards.items()),
            )
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('build', ?)", (build,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def forget(self, paths: list[str], slugs: list[str]) -> None:
        """Drop files no longer in the output and cards of records no longer published."""
        self.db.execute("BEGIN IMMEDIATE")
        self.db.executemany("DELETE FROM files WHERE path = ?", ((p,) for p in paths))
        self.db.executemany("DELETE FROM cards WHERE slug = ?", ((s,) for s in slugs))
        self.db.execute("COMMIT")
