"""The build state: what the current output holds, by input hash.

A SQLite file beside the builds. `tree_files` maps each output path of each of the two trees
(publish/output.py) to the key of the inputs it was written from (UNTRACKED for the files every
build writes again); `search_docs` keeps each published record's search document by the hash of the
revision it came from (tokenizing is the costly part of a record's search entry); `records`
keeps each published record's card and its share of every data file (KeptRecord, and the
shares `RecordShares` reads back), so that a build reads from the store only the records that
changed; `meta`
names the build directory the state describes, the fingerprint of all its inputs, and the
related slugs its records name that were not published (`BuildRelated`): what tells the next
build, without reading a record, whether a draft created or published since changes a record's
public form, and the salt its keys were made with; `planned` holds the build's planned pages
(publish/plan.py: path → template and key), which an edit re-plans only in part, and
`sums` what the pages of each unit of that plan are made of beside their records' cards
(plan.py Sums: an edit in place re-plans the pages showing its records from them); `other`
names the other tree and `writing` the tree a build is writing into (until it saves: a tree a
killed build was writing into is not trusted). A state that describes another directory than
the one the site points at (a build killed between commit and swap) is ignored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import orjson

if TYPE_CHECKING:
    from casework.publish.datafiles import RecordData

# The key of a file written by every build that changes anything (data files, feed, sitemap,
# search index): never equal to a planned key.
UNTRACKED = "*"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
DROP TABLE IF EXISTS files;
CREATE TABLE IF NOT EXISTS tree_files (
  tree TEXT NOT NULL, path TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (tree, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (
  slug TEXT PRIMARY KEY, key TEXT NOT NULL, card BLOB NOT NULL, about BLOB NOT NULL,
  line BLOB NOT NULL, pretty BLOB NOT NULL, csv BLOB NOT NULL, geo BLOB NOT NULL,
  points BLOB NOT NULL, rows BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS planned (
  path TEXT PRIMARY KEY, template TEXT NOT NULL, key TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sums (
  family TEXT NOT NULL, key TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (family, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_docs (
  slug TEXT PRIMARY KEY, hash TEXT NOT NULL, doc BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS charts (
  key TEXT PRIMARY KEY, salt TEXT NOT NULL, svg TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS layout (
  position INTEGER PRIMARY KEY, slug TEXT NOT NULL, key TEXT NOT NULL,
  archive_at INTEGER NOT NULL, archive_size INTEGER NOT NULL,
  ndjson_at INTEGER NOT NULL, ndjson_size INTEGER NOT NULL,
  csv_at INTEGER NOT NULL, csv_size INTEGER NOT NULL,
  geojson_at INTEGER NOT NULL, geojson_size INTEGER NOT NULL,
  sources_rows INTEGER NOT NULL, timeline_rows INTEGER NOT NULL,
  provisions_rows INTEGER NOT NULL
);
"""


@dataclass(frozen=True)
class BuildRelated:
    """Of the slugs a build's records name as related: those not published then (held here
    unpublished, or by no record here), and those its output left out (held unpublished)."""

    named: frozenset[str]
    withheld: frozenset[str]


# A record's share of each data file: publish/datafiles.py RecordData's fields, in order.
SHARES = ("line", "pretty", "csv", "geo", "points", "rows")


class KeptRecord:
    """What a build keeps of a published record, by `key` (the hash of its revision and of
    what else its public form depends on): its card and `about` (the related slugs as
    authored, its `captures` key, the URLs it cites); beside them, its share of each record
    data file, which stays on disk until read (`shares`). A later build whose key for the
    record is the same reads this instead of the record.

    Read from the state, the card stays the bytes it was kept as until asked for (decoding
    every kept card was 0.1-0.15 s of an edit at 10,000 records, which needs a few): its
    `head` — title, date, lastUpdated, what the other records' pages, the sitemap and the
    feed need of every card — is read by SQLite from those bytes."""

    __slots__ = ("_card", "_head", "_raw", "about", "key")

    def __init__(
        self,
        key: str,
        card: dict[str, Any] | None,
        about: dict[str, Any],
        *,
        raw: bytes | None = None,
        head: tuple[str, str, str] | None = None,
    ) -> None:
        if card is None and raw is None:
            raise ValueError("a card or its bytes")
        self.key, self.about = key, about
        self._card, self._raw, self._head = card, raw, head

    @property
    def card(self) -> dict[str, Any]:
        if self._card is None:
            assert self._raw is not None
            self._card = orjson.loads(self._raw)
            self._raw = None
        return self._card

    @property
    def head(self) -> tuple[str, str, str]:
        """The card's (title, date, lastUpdated)."""
        if self._head is None:
            card = self.card
            self._head = (card["title"], card["date"], card["lastUpdated"])
        return self._head

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KeptRecord):
            return NotImplemented
        return (self.key, self.card, self.about) == (other.key, other.card, other.about)

    def __repr__(self) -> str:
        return f"KeptRecord({self.key!r}, {self.card!r}, {self.about!r})"


class RecordShares(Sequence["RecordData"]):
    """The data-file shares of `slugs` (in that order), read from the state a slice at a
    time: a build holds one batch of them, not every record's (they are a dataset's size,
    several times the records' JSON)."""

    def __init__(self, state: BuildState, slugs: list[str]) -> None:
        self.state, self.slugs = state, slugs

    def __len__(self) -> int:
        return len(self.slugs)

    @overload
    def __getitem__(self, index: int) -> RecordData: ...
    @overload
    def __getitem__(self, index: slice) -> list[RecordData]: ...
    def __getitem__(self, index: int | slice) -> RecordData | list[RecordData]:
        from casework.publish.datafiles import RecordData

        if isinstance(index, slice):
            return [RecordData(*found) for found in self.state.shares(self.slugs[index])]
        return RecordData(*self.state.shares([self.slugs[index]])[0])

    def __iter__(self) -> Iterator[RecordData]:
        for start in range(0, len(self.slugs), 256):
            yield from self[start : start + 256]


@dataclass(frozen=True)
class Layout:
    """Where each record's share is in the record-ordered text files of a build
    (publish/datafiles.py SPLICED: records.json, records.ndjson, records.csv,
    incidents.geojson): `spans[name][i]` is the (offset, length) of the i-th record's share
    in that file (length 0: none), and `spans["records.sqlite"][i]` its rows in the sources,
    timeline and legal_provisions tables of records.sqlite; `keys[i]` the key it was made
    from; `sizes` are the files' sizes. An edit copies the unchanged records' bytes and
    rows from the site's files."""

    slugs: list[str]
    keys: list[str]
    spans: dict[str, list[tuple[int, ...]]]
    sizes: dict[str, int]

    def rows(self) -> Iterator[tuple[Any, ...]]:
        columns = [self.spans[name] for name in LAYOUT_FILES]
        for i, (slug, key) in enumerate(zip(self.slugs, self.keys, strict=True)):
            yield (i, slug, key, *(value for spans in columns for value in spans[i]))


# The files a Layout describes, in its table's column order.
LAYOUT_FILES = (
    "records.json", "records.ndjson", "records.csv", "incidents.geojson", "records.sqlite"
)  # fmt: skip


class BuildState:
    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        """`read_only`: a second connection, to read what the build's own one committed
        (publish/build.py reads the data files' shares on a thread beside the build)."""
        self.path = path
        if read_only:
            self.db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
            return
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

    def files(self, tree: str) -> dict[str, str]:
        """path → key of every file in `tree`."""
        return dict(self.db.execute("SELECT path, key FROM tree_files WHERE tree = ?", (tree,)))

    def set_meta(self, **values: str) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", values.items()
        )

    def begin_writing(self, tree: str) -> None:
        """Say, before the first file is written, that `tree` is being written (see save)."""
        self.db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('writing', ?)", (tree,))

    def add_twin(self, build: str, twin: str) -> None:
        """Name `twin`, a tree holding what `build` holds, as the other tree."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM tree_files WHERE tree = ?", (twin,))
            db.execute(
                "INSERT INTO tree_files (tree, path, key) "
                "SELECT ?, path, key FROM tree_files WHERE tree = ?",
                (twin, build),
            )
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('other', ?)", (twin,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def related(self) -> BuildRelated | None:
        """The build's related slugs (None for a state written before they were kept)."""
        named, withheld = self.meta("related_named"), self.meta("related_withheld")
        if named is None or withheld is None:
            return None
        return BuildRelated(frozenset(orjson.loads(named)), frozenset(orjson.loads(withheld)))

    def published(self) -> set[str]:
        """The records the build holds (each has its search document kept)."""
        return {slug for (slug,) in self.db.execute("SELECT slug FROM search_docs")}

    def kept_records(self) -> dict[str, KeptRecord]:
        """Every record kept by the last build (see KeptRecord: its card decoded when asked
        for), without its shares."""
        return {
            slug: KeptRecord(
                key, None, orjson.loads(about), raw=card, head=tuple(orjson.loads(head))
            )
            for slug, key, card, head, about in self.db.execute(
                "SELECT slug, key, card, json_extract(CAST(card AS TEXT), '$.title', '$.date', "
                "'$.lastUpdated'), about FROM records"
            )
        }

    def planned(self) -> dict[str, tuple[str, str]]:
        """path → (template, key) of every page the build planned (publish/plan.py)."""
        return {
            path: (template, key)
            for path, template, key in self.db.execute("SELECT path, template, key FROM planned")
        }

    def sums_kept(self) -> bool:
        """Whether the kept sums (publish/plan.py Sums) are those of the plan the state
        holds (not when a casework that keeps none saved it since)."""
        return self.meta("sums") == self.meta("build")

    def sums(self, units: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Any]:
        """The kept sums of those of `units` the plan has."""
        found = {}
        for family, key in units:
            row = self.db.execute(
                "SELECT data FROM sums WHERE family = ? AND key = ?", (family, key)
            ).fetchone()
            if row is not None:
                found[(family, key)] = orjson.loads(row[0])
        return found

    def charts(self, salt: str) -> dict[str, str]:
        """The home page's chart drawings (render/chart.py `chart_key` → SVG) the last build
        that drew or used one kept, made with `salt` (with another, casework or its
        templates changed since: drawn again)."""
        return dict(self.db.execute("SELECT key, svg FROM charts WHERE salt = ?", (salt,)))

    def keep_records(self, kept: Iterable[tuple[str, KeptRecord, RecordData]]) -> None:
        """Keep records as they are made (slug, what is kept, its shares), each batch
        committed at once: a row is valid for its key whichever build wrote it (the key is
        a hash of all it is made from), so a build killed after this leaves nothing wrong,
        and the shares need not wait in memory for `save`."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (slug, k.key, orjson.dumps(k.card), orjson.dumps(k.about), *astuple(data))
                    for slug, k, data in kept
                ),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def shares(self, slugs: Sequence[str], *names: str) -> list[tuple[bytes, ...]]:
        """The kept shares (`names` of SHARES, all by default) of `slugs`, in their order."""
        columns = ", ".join(names or SHARES)
        if not set(names) <= set(SHARES):
            raise ValueError(f"not a share: {names}")
        found: dict[str, tuple[bytes, ...]] = {}
        # Under SQLite's 32,766 bound variables a statement.
        for start in range(0, len(slugs), 4096):
            part = slugs[start : start + 4096]
            marks = ",".join("?" * len(part))
            for slug, *data in self.db.execute(
                f"SELECT slug, {columns} FROM records WHERE slug IN ({marks})",
                part,
            ):
                found[slug] = tuple(data)
        return [found[slug] for slug in slugs]

    def layout(self) -> Layout | None:
        """The data files' layout of the build the state describes (None: not known, as
        after a state written before layouts were kept)."""
        sizes = self.meta("layout_sizes")
        if sizes is None:
            return None
        slugs, keys = [], []
        spans: dict[str, list[tuple[int, ...]]] = {name: [] for name in LAYOUT_FILES}
        archive, ndjson, csv, geojson, sqlite = (spans[name] for name in LAYOUT_FILES)
        for slug, key, *values in self.db.execute(
            "SELECT slug, key, archive_at, archive_size, ndjson_at, ndjson_size, csv_at, "
            "csv_size, geojson_at, geojson_size, sources_rows, timeline_rows, provisions_rows "
            "FROM layout ORDER BY position"
        ):
            slugs.append(slug)
            keys.append(key)
            archive.append((values[0], values[1]))
            ndjson.append((values[2], values[3]))
            csv.append((values[4], values[5]))
            geojson.append((values[6], values[7]))
            sqlite.append((values[8], values[9], values[10]))
        return Layout(slugs, keys, spans, orjson.loads(sizes))

    def search_docs(self, wanted: dict[str, str]) -> dict[str, Any]:
        """Search documents (as `save` got them) whose record hash is still `wanted[slug]`."""
        found = {}
        for slug, hash_, doc in self.db.execute("SELECT slug, hash, doc FROM search_docs"):
            if wanted.get(slug) == hash_:
                found[slug] = orjson.loads(doc)
        return found

    def current_search_docs(
        self, wanted: dict[str, str], fields: int, tail: str
    ) -> dict[str, bool]:
        """Of the kept search documents whose record hash is still `wanted[slug]` (those
        `search_docs(wanted)` gives), slug → whether the document has `fields` fields and
        ends with `tail` (one an older build kept may not), told without decoding them: by
        the form `save` said every one has (`docs_form`), else by SQLite's JSON functions
        (a state saved before it said so)."""
        found = {}
        if self.meta("docs_form") == f"{fields}:{tail}":
            for slug, hash_ in self.db.execute("SELECT slug, hash FROM search_docs"):
                if wanted.get(slug) == hash_:
                    found[slug] = True
            return found
        for slug, hash_, usable in self.db.execute(
            "SELECT slug, hash, json_array_length(CAST(doc AS TEXT)) = ? "
            "AND json_extract(CAST(doc AS TEXT), ?) IS ? FROM search_docs",
            (fields, f"$[{fields - 1}]", tail),
        ):
            if wanted.get(slug) == hash_:
                found[slug] = bool(usable)
        return found

    def search_docs_of(self, slugs: Sequence[str]) -> dict[str, Any]:
        """The kept search documents of `slugs` (those it holds)."""
        found = {}
        for start in range(0, len(slugs), 4096):
            part = slugs[start : start + 4096]
            marks = ",".join("?" * len(part))
            for slug, doc in self.db.execute(
                f"SELECT slug, doc FROM search_docs WHERE slug IN ({marks})", part
            ):
                found[slug] = orjson.loads(doc)
        return found

    def stale_search_docs(self, wanted: dict[str, str]) -> dict[str, Any]:
        """The kept search documents `search_docs(wanted)` leaves out: those of records
        changed since (their previous ones) or no longer published."""
        stale = [
            slug
            for slug, hash_ in self.db.execute("SELECT slug, hash FROM search_docs")
            if wanted.get(slug) != hash_
        ]
        return self.search_docs_of(stale)

    def save(
        self,
        build: str,
        inputs: str,
        files: dict[str, str],
        before: dict[str, str],
        other: str | None,
        search_docs: dict[str, tuple[str, Any]],
        *,
        published: set[str],
        full: bool,
        related: BuildRelated,
        keep_previous: bool,
        quick: str = "",
        records: int = 0,
        planned: dict[str, tuple[str, str]] | None = None,
        planned_before: dict[str, tuple[str, str]] | None = None,
        salt: str = "",
        docs_form: str = "",
        layout: Layout | None = None,
        sums: dict[tuple[str, str], Any] | None = None,
        sums_of: set[tuple[str, str]] | None = None,
        charts: dict[str, str] | None = None,
    ) -> None:
        """Describe the new build, made from `inputs`: every file's key (`before`: those the
        tree held, as `files(build)` said; `other`: the tree it replaces); `search_docs` are
        the new ones (slug → (record hash, document)); documents of records no longer
        `published` are dropped. `full` starts them afresh (the old state described
        another build). `related`: see BuildRelated. `keep_previous`: whether the build
        this one replaces may be kept for rollback (a later build removes it if not).
        `quick`, `records`: see publish/quick.py. Kept records (`keep_records`) no longer
        `published` are dropped; the others stay whatever build kept them (their key says
        what they were made from). `planned`: the pages planned (path → (template, key)),
        `planned_before` those the state held (None: unknown), made with `salt`.
        `docs_form`: the form (`current_search_docs`) of every search document kept once
        this is saved — the build made again each one of another form. `layout`: where each
        record is in the build's data files (None: not known). `sums`: the plan's sums
        (publish/plan.py) made now, which replace those kept of the units `sums_of` (None:
        every one). `charts`: the chart drawings the build drew or used (render/chart.py),
        which replace those kept, made with `salt` (None: those kept stay)."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            # Only the rows that changed: most of a tree's 30,000 files did not.
            db.execute("DELETE FROM tree_files WHERE tree NOT IN (?, ?)", (build, other or build))
            db.executemany(
                "DELETE FROM tree_files WHERE tree = ? AND path = ?",
                ((build, path) for path in before.keys() - files.keys()),
            )
            db.executemany(
                "INSERT OR REPLACE INTO tree_files (tree, path, key) VALUES (?, ?, ?)",
                ((build, p, k) for p, k in files.items() if before.get(p) != k),
            )
            for table in ("search_docs", "records"):
                if full and table == "search_docs":
                    db.execute(f"DELETE FROM {table}")  # a name of ours
                    continue
                there = {slug for (slug,) in db.execute(f"SELECT slug FROM {table}")}
                db.executemany(
                    f"DELETE FROM {table} WHERE slug = ?",
                    ((s,) for s in there - published),
                )
            if planned_before is None:
                db.execute("DELETE FROM planned")
                planned_before = {}
            db.executemany(
                "DELETE FROM planned WHERE path = ?",
                ((path,) for path in planned_before.keys() - (planned or {}).keys()),
            )
            db.executemany(
                "INSERT OR REPLACE INTO planned (path, template, key) VALUES (?, ?, ?)",
                (
                    (path, *page)
                    for path, page in (planned or {}).items()
                    if planned_before.get(path) != page
                ),
            )
            db.executemany(
                "INSERT OR REPLACE INTO search_docs (slug, hash, doc) VALUES (?, ?, ?)",
                ((slug, h, orjson.dumps(doc)) for slug, (h, doc) in search_docs.items()),
            )
            if sums_of is None:
                db.execute("DELETE FROM sums")
            db.executemany("DELETE FROM sums WHERE family = ? AND key = ?", sums_of or ())
            db.executemany(
                "INSERT OR REPLACE INTO sums (family, key, data) VALUES (?, ?, ?)",
                ((*unit, orjson.dumps(data)) for unit, data in (sums or {}).items()),
            )
            if charts is not None:
                db.execute("DELETE FROM charts")
                db.executemany(
                    "INSERT INTO charts (key, salt, svg) VALUES (?, ?, ?)",
                    ((key, salt, svg) for key, svg in charts.items()),
                )
            db.execute("DELETE FROM layout")
            db.execute("DELETE FROM meta WHERE name = 'layout_sizes'")
            if layout is not None:
                db.executemany(
                    "INSERT INTO layout VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    layout.rows(),
                )
                db.execute(
                    "INSERT INTO meta (name, value) VALUES ('layout_sizes', ?)",
                    (orjson.dumps(layout.sizes).decode(),),
                )
            db.executemany(
                "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)",
                [
                    ("build", build),
                    ("other", other or ""),
                    ("writing", ""),
                    ("inputs", inputs),
                    ("related_named", orjson.dumps(sorted(related.named)).decode()),
                    ("related_withheld", orjson.dumps(sorted(related.withheld)).decode()),
                    ("keep_previous", "1" if keep_previous else "0"),
                    # publish/quick.py's fingerprint of what the build read, and its records.
                    ("quick", quick),
                    ("records", str(records)),
                    ("salt", salt),
                    ("docs_form", docs_form),
                    # The sums describe this build's plan (one saved by a casework that kept
                    # none leaves those of an older plan, under another name).
                    ("sums", build),
                ],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
