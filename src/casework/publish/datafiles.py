"""The site's downloadable dataset: every published record as JSON, NDJSON, CSV and SQLite,
their locations as GeoJSON (`incidents.geojson`) and as the map page's compact points
(`map-points.json`, publish/map_points.py), and a manifest naming each file with its size and
SHA-256.

`records.json` and `records.ndjson` are the bytes `casework export` writes for the same records
(`write_archive`, `write_ndjson`). They are serialized here with orjson, which writes the same
text as the standard library for record data several times faster; a batch that orjson might
write differently (unknown keys, which may hold floats; integers past 64 bits) goes through the
standard library instead. `records.csv` is `write_csv`'s output.

Work that releases the GIL runs beside the serializing: hashing and writing the files on one
thread, SQLite on another. Files are hashed from the bytes as they are written.
"""

from __future__ import annotations

import contextvars
import errno
import hashlib
import io
import json
import os
import sqlite3
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import orjson

from casework.formats import data_file_formats, dumps, record_dict, write_csv
from casework.formats.geojson import features
from casework.model import Record, Site
from casework.publish.map_points import (
    MAP_POINTS_NAME,
    points_document,
    record_points,
    shares_of,
)

BATCH = 64

ARCHIVE_NAME = "records.json"
NDJSON_NAME = "records.ndjson"
CSV_NAME = "records.csv"
SQLITE_NAME = "records.sqlite"
GEOJSON_NAME = "incidents.geojson"
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class DataFile:
    name: str
    size: int
    sha256: str
    media_type: str
    description: str


# name → (media type, description): the record formats' from the registry (formats/registry.py)
DESCRIPTIONS = {
    **{f.data_file: (f.media_type, f.description) for f in data_file_formats() if f.data_file},
    SQLITE_NAME: (
        "application/vnd.sqlite3",
        "An SQLite database (tables incidents, sources, timeline, legal_provisions) "
        "for SQL queries and Datasette.",
    ),
    MAP_POINTS_NAME: (
        "application/json",
        "The map page's points: incidents.geojson's points in columns (slug, title, date, "
        "category, severity, place; longitude and latitude at each place's published "
        "precision), small enough for a browser to load whole.",
    ),
}


# ---------------------------------------------------------------------------------------------
# Running work in order on a thread of its own


class Lane:
    """Jobs run one after another, in order, on one thread. At most `depth` wait, so a
    producer faster than the lane cannot pile up the whole dataset in memory. After a job
    fails the later ones do not run (they depend on it); the error is raised by the `submit`
    or `drain` that waits for it."""

    def __init__(self, name: str, depth: int = 8) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix=name)
        self._pending: deque[Future[Any]] = deque()
        self._depth = depth
        self._failed = False

    def _run(self, job: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        if self._failed:
            raise RuntimeError("not run: an earlier job failed")
        try:
            return job(*args)
        except BaseException:
            self._failed = True
            raise

    def submit(self, job: Callable[..., Any], *args: Any) -> Future[Any]:
        # In the submitter's context (the tracker's search language and place names).
        future = self._pool.submit(contextvars.copy_context().run, self._run, job, args)
        self._pending.append(future)
        while len(self._pending) > self._depth:
            self._pending.popleft().result()
        return future

    def drain(self) -> None:
        while self._pending:
            self._pending.popleft().result()

    def close(self) -> None:
        """Wait for every job, errors ignored (used when giving up after an error)."""
        self._pool.shutdown(wait=True)
        self._pending.clear()


# ---------------------------------------------------------------------------------------------
# Files hashed as they are written


class HashedFile:
    """A binary file that keeps the SHA-256 and size of what is written to it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = open(path, "wb")
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self._hash.update(data)
        self._file.write(data)
        self.size += len(data)

    def close(self) -> None:
        self._file.close()

    def data_file(self) -> DataFile:
        return _data_file(self.path.name, self.size, self._hash.hexdigest())


class LaneWriter(io.RawIOBase):
    """A raw stream whose writes go to a HashedFile on `lane` (copied: a BufferedWriter
    reuses the buffer it passes)."""

    def __init__(self, target: HashedFile, lane: Lane) -> None:
        super().__init__()
        self._target = target
        self._lane = lane

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._lane.submit(self._target.write, chunk)
        return len(chunk)


def _data_file(name: str, size: int, sha256: str) -> DataFile:
    media_type, description = DESCRIPTIONS[name]
    return DataFile(name, size, sha256, media_type, description)


def hash_file(path: Path) -> DataFile:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return _data_file(path.name, path.stat().st_size, digest.hexdigest())


# ---------------------------------------------------------------------------------------------
# JSON: the archive document and NDJSON, a batch of records at a time


def _archive_head(site: Site, generated_at: str, count: int) -> bytes:
    # The opening `write_archive` writes, made the same way.
    head = dumps({"site": site.url, "generatedAt": generated_at, "recordCount": count})
    return (head[:-2] + ',\n  "records": [').encode()


_WRAP_START = len(b'{\n  "r": [')
_WRAP_END = len(b"\n  ]\n}")


def _part_fields() -> tuple[tuple[str, bool], ...]:
    """(field name, whether its parts hold parts themselves) of each list-of-parts field."""
    fields = []
    for name, _key in Record.part_lists():
        (part_type,) = get_args(Record.model_fields[name].annotation)
        fields.append((name, bool(part_type.part_lists())))
    return tuple(fields)


_PART_FIELDS = _part_fields()


def has_unknown_keys(record: Record) -> bool:
    """`record.has_unknown_keys()`, without asking each part for its fields (which made the
    check a fifth of the time spent here)."""
    if record.__pydantic_extra__:
        return True
    for name, nested in _PART_FIELDS:
        parts = getattr(record, name)
        if nested:
            if any(part.has_unknown_keys() for part in parts):
                return True
        elif any(part.__pydantic_extra__ for part in parts):
            return True
    return False


def serialize(records: Sequence[Record], dicts: list[dict[str, Any]]) -> tuple[bytes, list[bytes]]:
    """The batch's part of the archive's `records` array (each record indented as
    `write_archive` indents it, comma-separated, no trailing newline) and its NDJSON lines
    (without newlines)."""
    if not any(has_unknown_keys(record) for record in records):
        try:
            # Wrapped one level down, orjson indents each record exactly as the archive does.
            wrapped = orjson.dumps({"r": dicts}, option=orjson.OPT_INDENT_2)
            lines = [orjson.dumps(d) for d in dicts]
            return wrapped[_WRAP_START:-_WRAP_END], lines
        except orjson.JSONEncodeError:
            pass  # an integer orjson cannot hold, or a lone surrogate: json decides
    pretty = ",".join("\n    " + dumps(d).replace("\n", "\n    ") for d in dicts)
    lines = [json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode() for d in dicts]
    return pretty.encode(), lines


@dataclass(frozen=True)
class RecordData:
    """One record's share of each record file, serialized once. The build keeps it in its
    state by the record's revision (publish/state.py), so that an edit serializes the
    records it changed and assembles the files from the others' kept shares."""

    line: bytes  # its records.ndjson line, without the newline (also SQLite's `record`)
    pretty: bytes  # its entry in records.json's array, indented, without a comma
    csv: bytes  # its records.csv row, line end included
    geo: bytes  # its incidents.geojson features, one a line, joined by ",\n" (b"" for none)
    points: bytes  # its `map_points.record_points`, as JSON (b"null" for none)
    rows: bytes  # its `record_rows` in records.sqlite, as JSON


def csv_header(site: Site) -> bytes:
    """records.csv's header row, as write_csv writes it."""
    stream = io.StringIO(newline="")
    write_csv([], site, stream)
    return stream.getvalue().encode("utf-8")


def record_data(records: Sequence[Record], site: Site) -> list[RecordData]:
    """Each record's RecordData (`records`: public forms), a batch at a time."""
    made: list[RecordData] = []
    header = len(csv_header(site))
    for batch in _batches(records):
        dicts = [record_dict(record, site) for record in batch]
        pretty, lines = serialize(batch, dicts)
        entries = _entries(dicts, pretty)
        for record, d, line, entry in zip(batch, dicts, lines, entries, strict=True):
            stream = io.StringIO(newline="")
            write_csv([record], site, stream)
            found = features(record, site)
            made.append(
                RecordData(
                    line=line,
                    pretty=entry,
                    csv=stream.getvalue().encode("utf-8")[header:],
                    geo=",\n".join(json.dumps(f, ensure_ascii=False) for f in found).encode(),
                    points=orjson.dumps(record_points(found)),
                    rows=orjson.dumps(record_rows(d)),
                )
            )
    return made


def _entries(dicts: list[dict[str, Any]], pretty: bytes) -> list[bytes]:
    """`serialize`'s array part split into each record's entry: each starts with a newline
    and four spaces at the array's level, which no record's own indented text holds."""
    if len(dicts) == 1:
        return [pretty]
    # Entries are joined by ",\n    {": a record's inner lines are indented further.
    parts = pretty.split(b",\n    {")
    if len(parts) != len(dicts):  # cannot happen: dumps indents every inner line deeper
        raise RuntimeError("records.json entries could not be told apart")
    return [parts[0]] + [b"\n    {" + part for part in parts[1:]]


# ---------------------------------------------------------------------------------------------
# SQLite

SCHEMA = """
CREATE TABLE incidents (
  slug TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  date TEXT NOT NULL,
  last_updated TEXT NOT NULL,
  summary TEXT NOT NULL,
  category TEXT NOT NULL,
  category_label TEXT NOT NULL,
  severity TEXT NOT NULL,
  severity_label TEXT NOT NULL,
  posture TEXT NOT NULL,
  posture_label TEXT NOT NULL,
  ongoing INTEGER NOT NULL,
  tags TEXT NOT NULL,
  url TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE TABLE sources (
  slug TEXT NOT NULL REFERENCES incidents(slug),
  position INTEGER NOT NULL,
  url TEXT NOT NULL,
  title TEXT NOT NULL,
  publisher TEXT NOT NULL
);
CREATE TABLE timeline (
  slug TEXT NOT NULL REFERENCES incidents(slug),
  position INTEGER NOT NULL,
  date TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL
);
CREATE TABLE legal_provisions (
  slug TEXT NOT NULL REFERENCES incidents(slug),
  position INTEGER NOT NULL,
  statute TEXT NOT NULL,
  article TEXT,
  provision TEXT NOT NULL
);
"""
# Made after the rows are in: sorting once is cheaper than inserting into an index in slug
# order, which the records are not in.
INDEXES = (
    "CREATE UNIQUE INDEX sources_slug ON sources (slug, position)",
    "CREATE UNIQUE INDEX timeline_slug ON timeline (slug, position)",
    "CREATE UNIQUE INDEX legal_provisions_slug ON legal_provisions (slug, position)",
    "CREATE INDEX incidents_date ON incidents (date)",
)

# JSON text is bound as UTF-8 bytes and cast to TEXT inside SQLite: a str would be encoded
# again on this side, and a BLOB would not be JSON text to SQLite's json functions.
_INSERTS = {
    "incidents": "INSERT INTO incidents VALUES "
    "(?,?,?,?,?,?,?,?,?,?,?,?,CAST(? AS TEXT),?,CAST(? AS TEXT))",
    "sources": "INSERT INTO sources VALUES (?,?,?,?,?)",
    "timeline": "INSERT INTO timeline VALUES (?,?,?,?,?)",
    "legal_provisions": "INSERT INTO legal_provisions VALUES (?,?,?,?,?)",
}

Rows = dict[str, list[tuple[Any, ...]]]


def _with_rowid() -> dict[str, str]:
    """_INSERTS with each row's rowid given first (an edit's patch keeps the rowids)."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(SCHEMA)
        made = {}
        for table, sql in _INSERTS.items():
            columns = ", ".join(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
            made[table] = sql.replace(" VALUES (", f" (rowid, {columns}) VALUES (?,", 1)
        return made
    finally:
        db.close()


_WITH_ROWID = _with_rowid()


@dataclass(frozen=True)
class Patched:
    """records.sqlite made by SqliteBuilder.patch, and the bytes of the site's file copied
    by the kernel and by Python."""

    file: DataFile
    kernel: int
    python: int


def record_rows(d: dict[str, Any]) -> list[Any]:
    """A record's rows of every table but its `incidents` row's last column (its JSON line),
    from its document: [incidents row, sources, timeline, legal_provisions] (JSON-ready: a
    RecordData keeps them). `position` is the 0-based index in the record's list, as in
    its JSON."""
    slug = d["slug"]
    return [
        [
            slug, d["title"], d["date"], d["lastUpdated"], d["summary"],
            d["category"], d["categoryLabel"], d["severity"], d["severityLabel"],
            d["posture"], d["postureLabel"], int(d["ongoing"]),
            orjson.dumps(d["tags"]).decode(), d["url"],
        ],
        [[slug, i, s["url"], s["title"], s["publisher"]] for i, s in enumerate(d["sources"])],
        [[slug, i, t["date"], t["title"], t["summary"]] for i, t in enumerate(d["timeline"])],
        [
            [slug, i, p["statute"], p.get("article"), p["provision"]]
            for i, p in enumerate(d["internationalLaw"])
        ],
    ]  # fmt: skip


def _table_rows(
    batch: Sequence[tuple[bytes, bytes]], counts: list[tuple[int, ...]] | None = None
) -> Rows:
    """The rows of every table for a batch of records' (line, rows) shares; each record's
    rows in sources, timeline and legal_provisions are counted into `counts`."""
    rows: Rows = {name: [] for name in _INSERTS}
    for line, share in batch:
        incident, sources, timeline, provisions = orjson.loads(share)
        if counts is not None:
            counts.append((len(sources), len(timeline), len(provisions)))
        rows["incidents"].append((*incident, line))
        rows["sources"] += map(tuple, sources)
        rows["timeline"] += map(tuple, timeline)
        rows["legal_provisions"] += map(tuple, provisions)
    return rows


class SqliteBuilder:
    """Fills a fresh SQLite file under a temporary name, in one transaction with no journal
    (a failed build leaves only the temporary file, which is removed), then renames it into
    place. Every method runs on the lane given: one thread, in order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.partial = path.with_name("." + path.name + ".partial")
        self._db: sqlite3.Connection | None = None

    def open(self, site_file: Path | None = None) -> None:
        """`site_file`: the site's records.sqlite, attached (read only) as `site` for
        `copy`."""
        self.partial.unlink(missing_ok=True)
        db = self._connect()
        db.executescript(SCHEMA)
        if site_file is not None:
            db.execute("ATTACH ? AS site", (site_file.resolve().as_uri() + "?mode=ro",))
        db.execute("BEGIN")
        self._db = db

    def _connect(self) -> sqlite3.Connection:
        # The lane's thread is not the one that made this object. By URI: SQLite attaches
        # the site's file read-only by URI only on a connection opened by one.
        db = sqlite3.connect(
            self.partial.resolve().as_uri(),
            uri=True,
            isolation_level=None,
            check_same_thread=False,
        )
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        return db

    def copy(self, steps: list[tuple[str, tuple[int, int] | list[tuple[Any, ...]]]]) -> None:
        """Insert, table by table, rows copied from the site's file ((first, last) rowid)
        or given: the same rows in the same order make the same bytes as `insert`."""
        assert self._db is not None
        for table, what in steps:
            if isinstance(what, tuple):
                # A name of ours.
                self._db.execute(
                    f"INSERT INTO {table} SELECT * FROM site.{table} "
                    "WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                    what,
                )
            elif what:
                self._db.executemany(_INSERTS[table], what)

    def insert(self, rows: Rows) -> None:
        assert self._db is not None
        for table, sql in _INSERTS.items():
            if rows[table]:
                self._db.executemany(sql, rows[table])

    def finish(self) -> DataFile:
        assert self._db is not None
        for statement in INDEXES:
            self._db.execute(statement)
        return self._commit()

    def patch(
        self, site_file: Path, changes: list[tuple[str, int, list[tuple[Any, ...]]]]
    ) -> Patched:
        """records.sqlite as the site's file (`site_file`, copied into a new inode) with
        `changes` made: each (table, first rowid, rows) replaces the rows at those rowids.
        The rows and schema are those a whole build writes when each changed record keeps
        its rowids (the same rows, as many); the bytes are not (a whole build's pages are
        filled in order). Deleted rows' bytes are overwritten (`secure_delete`): a record's
        withdrawn words must not stay in the file's free space."""
        target = _create(self.partial)
        source = os.open(site_file, os.O_RDONLY | os.O_CLOEXEC)
        try:
            kernel, python = _copy(source, target, 0, os.fstat(source).st_size)
        finally:
            os.close(source)
            os.close(target)
        self._db = db = self._connect()
        db.execute("PRAGMA secure_delete=ON")
        db.execute("BEGIN")
        for table, first, rows in changes:
            # Names of ours.
            db.execute(
                f"DELETE FROM {table} WHERE rowid BETWEEN ? AND ?", (first, first + len(rows) - 1)
            )
            db.executemany(_WITH_ROWID[table], [(first + n, *row) for n, row in enumerate(rows)])
        return Patched(self._commit(), kernel, python)

    def _commit(self) -> DataFile:
        assert self._db is not None
        self._db.execute("COMMIT")
        self._db.close()
        self._db = None
        os.replace(self.partial, self.path)
        return hash_file(self.path)

    def discard(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self.partial.unlink(missing_ok=True)
        self.path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# The whole dataset


def _batches(records: Sequence[Record]) -> Iterator[Sequence[Record]]:
    for start in range(0, len(records), BATCH):
        yield records[start : start + BATCH]


def loads_line(line: bytes) -> dict[str, Any]:
    """A record's document from its NDJSON line (the standard library's for what orjson
    cannot hold: an integer past 64 bits)."""
    try:
        found: dict[str, Any] = orjson.loads(line)
    except orjson.JSONDecodeError:  # an integer past 64 bits: json holds it
        found = json.loads(line)
    return found


def _abandon(
    lanes: Sequence[Lane], builder: SqliteBuilder, files: list[HashedFile], paths: list[Path]
) -> None:
    """After an error in writing the data files: wait out the lanes' jobs, then remove what
    they wrote (the database's temporary file, `files` closed first, `paths`), so that a
    failed build leaves no partial file."""
    for lane in lanes:
        lane.close()
    builder.discard()
    for file in files:
        file.close()
    for path in paths:
        path.unlink(missing_ok=True)


def _write_all(
    data: Sequence[RecordData], site: Site, directory: Path, generated_at: str
) -> tuple[list[DataFile], dict[str, list[tuple[int, ...]]]]:
    builder = SqliteBuilder(directory / SQLITE_NAME)
    heads = _heads(site, generated_at, len(data))
    spans = {name: _Spans(len(heads[name][0]), *SPLICED[name]) for name in SPLICED}
    archive_at, ndjson_at = spans[ARCHIVE_NAME], spans[NDJSON_NAME]
    csv_at, geojson_at = spans[CSV_NAME], spans[GEOJSON_NAME]
    row_counts: list[tuple[int, ...]] = []
    io_lane, sqlite_lane = Lane("datafiles-io"), Lane("datafiles-sqlite")
    files: list[HashedFile] = []
    try:
        for name in (ARCHIVE_NAME, NDJSON_NAME, CSV_NAME, GEOJSON_NAME, MAP_POINTS_NAME):
            files.append(HashedFile(directory / name))
        sqlite_lane.submit(builder.open)
        archive, ndjson, csv_file, geojson, points_file = files
        io_lane.submit(archive.write, heads[ARCHIVE_NAME][0])
        io_lane.submit(csv_file.write, heads[CSV_NAME][0])
        io_lane.submit(geojson.write, heads[GEOJSON_NAME][0])
        first_feature = True
        points: list[Any] = []
        # One pass, a batch at a time, every file's part of it: `data` may be read from the
        # build state as it goes (publish/state.py RecordShares), never all held at once.
        for start in range(0, len(data), BATCH):
            batch = data[start : start + BATCH]
            for d in batch:  # where each share goes, for an edit's splicing
                archive_at.add(len(d.pretty))
                ndjson_at.add(len(d.line) + 1)
                csv_at.add(len(d.csv))
                geojson_at.add(len(d.geo))
            pretty = b",".join(d.pretty for d in batch)
            io_lane.submit(archive.write, pretty if start == 0 else b"," + pretty)
            io_lane.submit(ndjson.write, b"\n".join(d.line for d in batch) + b"\n")
            sqlite_lane.submit(
                builder.insert, _table_rows([(d.line, d.rows) for d in batch], row_counts)
            )
            io_lane.submit(csv_file.write, b"".join(d.csv for d in batch))
            if found := [d.geo for d in batch if d.geo]:
                io_lane.submit(
                    geojson.write, (b"\n" if first_feature else b",\n") + b",\n".join(found)
                )
                first_feature = False
            points += [orjson.loads(d.points) for d in batch]
        io_lane.submit(archive.write, heads[ARCHIVE_NAME][1])
        # Indexing and hashing the database overlap the last files.
        sqlite_file = sqlite_lane.submit(builder.finish)
        io_lane.submit(geojson.write, heads[GEOJSON_NAME][1])
        io_lane.submit(points_file.write, orjson.dumps(points_document(points)))
        io_lane.drain()
        sqlite_lane.drain()
    except BaseException:
        _abandon((io_lane, sqlite_lane), builder, files, [file.path for file in files])
        raise
    io_lane.close()
    sqlite_lane.close()
    for file in files:
        file.close()
    # The manifest's order: the four record files, then the places and the map's points.
    written = [file.data_file() for file in files[:3]] + [
        sqlite_file.result(),
        files[3].data_file(),
        files[4].data_file(),
    ]
    for f in written:
        if f.name in spans and spans[f.name].at + len(heads[f.name][1]) != f.size:
            raise RuntimeError(f"{f.name}: its layout does not add up")  # cannot happen
    return written, {
        **{name: found.spans for name, found in spans.items()},
        SQLITE_NAME: row_counts,
    }


# ---------------------------------------------------------------------------------------------
# An edit's files: spliced from the site's


# The record-ordered text files, each its head, the records' shares and its tail: name →
# (the bytes before the first non-empty share, those between two). An edit copies the
# unchanged records' bytes from the site's file (the layout the state keeps says where).
SPLICED = {
    ARCHIVE_NAME: (b"", b","),
    NDJSON_NAME: (b"", b""),
    CSV_NAME: (b"", b""),
    GEOJSON_NAME: (b"\n", b",\n"),
}


def _share_of(name: str, pretty: bytes, line: bytes, csv: bytes, geo: bytes) -> bytes:
    if name == ARCHIVE_NAME:
        return pretty
    if name == NDJSON_NAME:
        return line + b"\n"
    return csv if name == CSV_NAME else geo


def _heads(site: Site, generated_at: str, count: int) -> dict[str, tuple[bytes, bytes]]:
    """Each SPLICED file's head and tail."""
    return {
        ARCHIVE_NAME: (
            _archive_head(site, generated_at, count),
            b"\n  ]\n}" if count else b"]\n}",
        ),
        NDJSON_NAME: (b"", b""),
        CSV_NAME: (csv_header(site), b""),
        # As write_geojson writes it: the features of every record, one a line.
        GEOJSON_NAME: (b'{"type": "FeatureCollection", "features": [', b"\n]}\n"),
    }


class _Spans:
    """Where each record's share goes in a file, as they are appended after its head."""

    def __init__(self, start: int, first: bytes, between: bytes) -> None:
        self.at, self.first, self.between = start, first, between
        self.started = False
        self.spans: list[tuple[int, ...]] = []

    def gap(self) -> bytes:
        """The bytes before the next non-empty share (counted in `at`)."""
        found = self.between if self.started else self.first
        self.started = True
        self.at += len(found)
        return found

    def add(self, size: int) -> None:
        """A share of `size` bytes, after its `gap` (none when empty)."""
        if size:
            self.gap()
            self.put(size)
        else:
            self.spans.append((0, 0))

    def put(self, size: int) -> None:
        """A share of `size` bytes right here (its gap written)."""
        self.spans.append((self.at, size) if size else (0, 0))
        self.at += size


@dataclass(frozen=True)
class Splice:
    """What an edit's files are spliced from: the site's data folder (`site`) and the layout
    of its files (`layout`, a publish/state.py Layout), the records' keys in their order
    (`keys`: a record whose key is the one the layout holds is copied from the site's
    files) and the build state's `shares` (publish/state.py BuildState.shares) for the
    others and for the files made whole."""

    site: Path
    layout: Any
    keys: list[str]
    shares: Callable[..., list[tuple[bytes, ...]]]


@dataclass(frozen=True)
class Spliced:
    """How an edit's data files were made from the site's (the build's report keeps it):
    the bytes Python wrote and those the kernel copied, whether records.sqlite is the site's
    file patched (SqliteBuilder.patch) rather than its rows copied into a fresh file, and
    whether the unchanged records' map points were read from the site's map-points.json."""

    python: int
    kernel: int
    sqlite_patched: bool
    points_from_site: bool


def _create(path: Path) -> int:
    """`path` opened for writing as a new inode: never one the site's tree may share."""
    path.unlink(missing_ok=True)
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)


def _copy(source: int, target: int, offset: int, size: int) -> tuple[int, int]:
    """Copy `size` bytes at `offset` of `source` to `target`'s position, in the kernel where
    it can; returns the bytes (copied by the kernel, by Python)."""
    kernel = 0
    if hasattr(os, "copy_file_range"):
        try:
            while kernel < size:
                done = os.copy_file_range(source, target, size - kernel, offset + kernel)
                if done == 0:
                    raise OSError("the site's file ended early")
                kernel += done
            return kernel, 0
        except OSError as error:
            if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL):
                raise
    at, end = offset + kernel, offset + size
    while at < end:
        chunk = os.pread(source, min(1 << 20, end - at), at)
        if not chunk:
            raise OSError("the site's file ended early")
        _write_fd(target, chunk)
        at += len(chunk)
    return kernel, size - kernel


def _write_fd(target: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(target, view) :]


def _splice_file(
    name: str,
    directory: Path,
    site_file: Path,
    head: bytes,
    tail: bytes,
    runs: list[tuple[int, int, int]],
    old: list[tuple[int, ...]],
    made: dict[int, bytes],
) -> tuple[DataFile, _Spans, tuple[int, int]]:
    """`name` from the site's file: its `head`, each run of records (new position from,
    to, old position or -1 for a record whose share is `made[position]`), its `tail`."""
    spans = _Spans(len(head), *SPLICED[name])
    path = directory / name
    target = _create(path)
    source = os.open(site_file, os.O_RDONLY | os.O_CLOEXEC)
    kernel = python = 0
    try:
        pending = [head]
        for start, end, was in runs:
            if was < 0:
                share = made[start]
                if share:
                    pending += [spans.gap(), share]
                spans.put(len(share))
                continue
            shares = old[was : was + end - start]
            filled = [(at, size) for at, size in shares if size]
            if not filled:
                spans.spans += shares
                continue
            pending.append(spans.gap())
            first, last = filled[0][0], filled[-1][0] + filled[-1][1]
            spans.spans += [
                (spans.at + at - first, size) if size else (0, 0) for at, size in shares
            ]
            spans.at += last - first
            data = b"".join(pending)
            _write_fd(target, data)
            python += len(data)
            pending = []
            copied = _copy(source, target, first, last - first)
            kernel, python = kernel + copied[0], python + copied[1]
        data = b"".join([*pending, tail])
        _write_fd(target, data)
        python += len(data)
    finally:
        os.close(source)
        os.close(target)
    with path.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    size = path.stat().st_size
    if size != spans.at + len(tail):
        raise RuntimeError(f"{name}: its layout does not add up")  # cannot happen
    return _data_file(name, size, digest), spans, (kernel, python)


_TABLES = ("incidents", "sources", "timeline", "legal_provisions")


def _sqlite_steps(
    start: int,
    end: int,
    copied: list[int],
    first_rows: list[list[int]],
    counts: list[tuple[int, ...]],
    made: dict[int, tuple[bytes, bytes]],
    new_counts: list[tuple[int, ...]],
) -> list[tuple[str, tuple[int, int] | list[tuple[Any, ...]]]]:
    """SqliteBuilder.copy's steps for the records at `start`..`end` (a batch, as `insert`
    takes them): each table's rows in the records' order, those of a record copied from the
    site's file (`copied[i]`: its position there) as rowid ranges, the others' from their
    (line, rows) shares `made[i]`. Each record's row counts go into `new_counts`."""
    steps: dict[str, list[Any]] = {table: [] for table in _TABLES}

    def add(table: str, first: int, size: int) -> None:
        found = steps[table]
        if found and isinstance(found[-1], tuple) and found[-1][1] + 1 == first:
            found[-1] = (found[-1][0], first + size - 1)
        else:
            found.append((first, first + size - 1))

    for i in range(start, end):
        was = copied[i]
        if was >= 0:
            add("incidents", was + 1, 1)
            for n, table in enumerate(_TABLES[1:]):
                if counts[was][n]:
                    add(table, first_rows[n][was], counts[was][n])
            new_counts.append(counts[was])
            continue
        rows = _table_rows([made[i]], new_counts)
        for table in _TABLES:
            if rows[table]:
                found = steps[table]
                if not found or isinstance(found[-1], tuple):
                    found.append([])
                found[-1] += rows[table]
    return [(table, what) for table in _TABLES for what in steps[table]]


def _patches(
    old: Any,
    slugs: list[str],
    copied: list[int],
    made: dict[int, tuple[bytes, bytes]],
    first_rows: list[list[int]],
) -> list[tuple[str, int, list[tuple[Any, ...]]]] | None:
    """records.sqlite's changes for SqliteBuilder.patch — each changed record's rows at the
    rowids its rows have in the site's file — when every record is where it was and each
    changed one has as many rows in each table (a whole build would give every row the
    rowid it has there), and they are few; None otherwise."""
    # Each changed record's rows are replaced where they are, in pages the copy holds:
    # at 10,000 records, copy and hash included, 64 records patched took 0.22 s of CPU and
    # 1,000 took 0.54 s, against ~0.7 s to fill a file afresh (which is a whole build's
    # bytes): past a batch or a tenth of the records, the file is filled afresh.
    if len(made) > max(BATCH, len(slugs) // 10):
        return None
    if len(slugs) != len(old.slugs) or any(was not in (i, -1) for i, was in enumerate(copied)):
        return None
    counts = old.spans[SQLITE_NAME]
    changes = []
    for i, share in made.items():
        counted: list[tuple[int, ...]] = []
        rows = _table_rows([share], counted)
        if slugs[i] != old.slugs[i] or counted[0] != tuple(counts[i]):
            return None
        changes.append(("incidents", i + 1, rows["incidents"]))
        for n, table in enumerate(_TABLES[1:]):
            if rows[table]:
                changes.append((table, first_rows[n][i], rows[table]))
    return changes


def _points(
    splice: Splice, slugs: list[str], copied: list[int], made: dict[int, bytes]
) -> tuple[list[Any], bool]:
    """Every record's map points (`record_points`), the changed ones' from `made`, the
    others' from the site's map-points.json when the layout knows its size, else from the
    build state; and whether the site's file was read."""
    site_file = splice.site / MAP_POINTS_NAME
    size = splice.layout.sizes.get(MAP_POINTS_NAME)
    if size is not None and site_file.is_file() and site_file.stat().st_size == size:
        site = shares_of(orjson.loads(site_file.read_bytes()))
        return [
            site.get(slug) if was >= 0 else orjson.loads(made[i])
            for i, (slug, was) in enumerate(zip(slugs, copied, strict=True))
        ], True
    points: list[Any] = []
    for start in range(0, len(slugs), 1024):
        batch = splice.shares(slugs[start : start + 1024], "points")
        points += [orjson.loads(found) for (found,) in batch]
    return points, False


def _splice_all(
    splice: Splice, slugs: list[str], site: Site, directory: Path, generated_at: str
) -> tuple[list[DataFile], dict[str, list[tuple[int, ...]]], Spliced] | None:
    """The data files of an edit, the record-ordered text files spliced from the site's
    and records.sqlite's rows copied from the site's, or the site's file patched
    (`_patches`) (None when the site's files are not those the layout describes)."""
    old = splice.layout
    for name in [*SPLICED, SQLITE_NAME]:
        try:
            if (splice.site / name).stat().st_size != old.sizes.get(name):
                return None
        except FileNotFoundError:
            return None
    where = {slug: i for i, slug in enumerate(old.slugs)}
    runs: list[tuple[int, int, int]] = []
    new: list[int] = []
    copied: list[int] = []
    for i, (slug, key) in enumerate(zip(slugs, splice.keys, strict=True)):
        was = where.get(slug, -1)
        if was >= 0 and old.keys[was] != key:
            was = -1
        copied.append(was)
        if was < 0:
            runs.append((i, i + 1, -1))
            new.append(i)
        elif runs and runs[-1][2] >= 0 and runs[-1][2] + i - runs[-1][0] == was:
            runs[-1] = (runs[-1][0], i + 1, runs[-1][2])
        else:
            runs.append((i, i + 1, was))
    made = splice.shares([slugs[i] for i in new], "pretty", "line", "csv", "geo", "rows", "points")
    # Each copied record's first row in sources, timeline and legal_provisions there.
    counts = old.spans[SQLITE_NAME]
    first_rows: list[list[int]] = []
    for n in range(3):
        at, firsts = 1, []
        for found in counts:
            firsts.append(at)
            at += found[n]
        first_rows.append(firsts)
    rows_made = {i: (m[1], m[4]) for i, m in zip(new, made, strict=True)}
    changes = _patches(old, slugs, copied, rows_made, first_rows)
    heads = _heads(site, generated_at, len(slugs))
    builder = SqliteBuilder(directory / SQLITE_NAME)
    # A lane per file: copying (copy_file_range) and hashing (SHA-256 of ~590 MB at 10,000
    # records) release the GIL, so the four files and the database are spliced and hashed at
    # once on as many cores as there are, not one after another.
    io_lanes = {name: Lane(f"datafiles-{name}") for name in SPLICED}
    sqlite_lane = Lane("datafiles-sqlite")
    points_file: HashedFile | None = None
    try:
        text = {
            name: io_lanes[name].submit(
                _splice_file,
                name,
                directory,
                splice.site / name,
                *heads[name],
                runs,
                old.spans[name],
                {i: _share_of(name, *m[:4]) for i, m in zip(new, made, strict=True)},
            )
            for name in SPLICED
        }
        row_counts: list[tuple[int, ...]] = []
        if changes is not None:
            patched = sqlite_lane.submit(builder.patch, splice.site / SQLITE_NAME, changes)
            row_counts = [tuple(found) for found in counts]
        else:
            # The database's rows inserted in the same batches, table by table, as a whole
            # build inserts them: the same bytes.
            sqlite_lane.submit(builder.open, splice.site / SQLITE_NAME)
            for start in range(0, len(slugs), BATCH):
                end = min(start + BATCH, len(slugs))
                steps = _sqlite_steps(start, end, copied, first_rows, counts, rows_made, row_counts)
                sqlite_lane.submit(builder.copy, steps)
            sqlite_file = sqlite_lane.submit(builder.finish)
        # The map's points: its columns are not the records' shares one after another.
        points, points_from_site = _points(
            splice, slugs, copied, {i: m[5] for i, m in zip(new, made, strict=True)}
        )
        points_file = HashedFile(directory / MAP_POINTS_NAME)
        points_file.write(orjson.dumps(points_document(points)))
        points_file.close()
        for lane in io_lanes.values():
            lane.drain()
        sqlite_lane.drain()
    except BaseException:
        paths = [directory / name for name in [*SPLICED, MAP_POINTS_NAME]]
        _abandon([*io_lanes.values(), sqlite_lane], builder, [], paths)
        raise
    for lane in io_lanes.values():
        lane.close()
    sqlite_lane.close()
    done = {name: future.result() for name, future in text.items()}
    kernel = sum(d[2][0] for d in done.values())
    python = sum(d[2][1] for d in done.values()) + points_file.size
    if changes is not None:
        found = patched.result()
        sqlite_data, kernel, python = found.file, kernel + found.kernel, python + found.python
    else:
        sqlite_data = sqlite_file.result()
    files = [done[name][0] for name in (ARCHIVE_NAME, NDJSON_NAME, CSV_NAME)]
    files += [sqlite_data, done[GEOJSON_NAME][0], points_file.data_file()]
    spliced = Spliced(python, kernel, changes is not None, points_from_site)
    return (
        files,
        {**{name: found[1].spans for name, found in done.items()}, SQLITE_NAME: row_counts},
        spliced,
    )


def write_manifest(
    files: list[DataFile],
    site: Site,
    directory: Path,
    *,
    generated_at: str,
    count: int,
    extra: dict[str, Any] | None = None,
) -> None:
    """manifest.json: the site, generatedAt, the record count and each file's name, size,
    SHA-256, media type and description; then `extra`'s keys (the signed checkpoint of
    the revision log and the public key, `casework.evidence.checkpoint`)."""
    manifest = {
        "site": site.url,
        "generatedAt": generated_at,
        "recordCount": count,
        "files": [
            {
                "name": f.name,
                "size": f.size,
                "sha256": f.sha256,
                "mediaType": f.media_type,
                "description": f.description,
            }
            for f in files
        ],
        **(extra or {}),
    }
    (directory / MANIFEST_NAME).write_text(dumps(manifest), encoding="utf-8")


def write_data_files(
    records: Sequence[Record], site: Site, directory: Path, *, generated_at: str
) -> list[DataFile]:
    """Write records.json, records.ndjson, records.csv, records.sqlite, incidents.geojson,
    map-points.json, manifest.json and datapackage.json into `directory` (which exists);
    returns the six data files in that order (the manifest lists them, not itself).
    `generated_at` is docs/format.md's `generatedAt`, used as given."""
    return write_data_files_from(
        record_data(records, site), site, directory, generated_at=generated_at
    )


def write_data_files_from(
    data: Sequence[RecordData], site: Site, directory: Path, *, generated_at: str
) -> list[DataFile]:
    """`write_data_files` from the records' RecordData (in the records' order)."""
    return write_dataset(data, site, directory, generated_at=generated_at)[0]


def write_dataset(
    data: Sequence[RecordData],
    site: Site,
    directory: Path,
    *,
    generated_at: str,
    slugs: list[str] | None = None,
    splice: Splice | None = None,
) -> tuple[list[DataFile], dict[str, list[tuple[int, ...]]], Spliced | None]:
    """`write_data_files_from`, where each record's share is in each SPLICED file (see
    publish/state.py Layout; for records.sqlite, its rows in each table), and how the files
    were spliced (None: written whole). With `splice` (and the records' `slugs`), those
    files are spliced from the site's, and records.sqlite's rows copied from it or the
    site's file patched, when its layout holds (`data` is then not read)."""
    from casework.publish.datapackage import DATAPACKAGE_NAME, datapackage_text

    spliced = None
    if splice is not None and slugs is not None:
        found = _splice_all(splice, slugs, site, directory, generated_at)
        if found is not None:
            files, spans, spliced = found
    if spliced is None:
        files, spans = _write_all(data, site, directory, generated_at)
    write_manifest(files, site, directory, generated_at=generated_at, count=len(data))
    text = datapackage_text(site, files, generated_at=generated_at)
    (directory / DATAPACKAGE_NAME).write_text(text, encoding="utf-8")
    return files, spans, spliced


__all__ = ["DataFile", "RecordData", "record_data", "write_data_files", "write_data_files_from"]
