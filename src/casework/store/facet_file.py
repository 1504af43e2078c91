"""A SQLite store's facet index (`facets.FacetIndex`) kept on disk beside the database
(`tracker.db.facets`), so that the first search of a process — every `casework search` is
one — reads it instead of building it from every record's row and the published vocabulary
(~0.4 s per 100,000 records).

The file is a cache, never a source: it names the state of the database it was built from
(`key`: the schema's migration, the database file's device and inode, `store_meta.generation`,
which every write of either engine and `casework copy` moves, and the records' highest id and
count), read in the same read transaction as the search. A search whose snapshot has another
key builds the index from the database, as before, and writes the file again; a file that is
missing, torn, of another format or unreadable is the same as none. Its reads and writes never
fail a search. Only an index fresh from the database is written (`writes == 0`): a patched one
carries document frequencies that are only known to within its writes.

What it holds is what the database holds: every record's facet values, status and title,
drafts' too, and the published vocabulary's document frequencies; so it is owner-only (0600)
like the database, and a public search over it is cut to published records by the same mask
(`FacetIndex.allowed`) as one over an index built in memory. Written to a temporary file and
renamed over the old one: a reader sees one whole file or the other. Not forced to disk: a
file lost or torn by a crash is rebuilt by the next search.

Format: MAGIC, an 8-byte little-endian header length, the header (JSON: the key, the scalars,
the value lists, titles and document frequencies, and where each array is), then the arrays'
bytes. No pickle: loading the file runs no code it holds.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from casework.store.facets import FacetIndex

MAGIC = b"casework facet index 1\n"
SUFFIX = ".facets"
_ARRAYS = ("status", "date_key", "tag_owner", "tag_code", "country_owner", "country_code")


def facet_path(database: Path) -> Path:
    """Where the facet index of the database file `database` is kept."""
    return database.with_name(database.name + SUFFIX)


def key(db: sqlite3.Connection, database: Path) -> list[Any]:
    """The state of the database `db` reads (inside its read transaction), as the file
    names it."""
    schema = db.execute("SELECT version_num FROM alembic_version").fetchone()
    generation = db.execute("SELECT generation FROM store_meta WHERE id = 1").fetchone()[0]
    highest, count = db.execute("SELECT coalesce(max(id), 0), count(*) FROM records").fetchone()
    found = os.stat(database)
    return [schema[0] if schema else None, found.st_dev, found.st_ino, generation, highest, count]


def load(path: Path, wanted: list[Any]) -> FacetIndex | None:
    """The index kept at `path` if it was built at `wanted` (`key`), else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        if not data.startswith(MAGIC):
            return None
        at = len(MAGIC)
        length = int.from_bytes(data[at : at + 8], "little")
        header = orjson.loads(data[at + 8 : at + 8 + length])
        if header["key"] != wanted:
            return None
        body = memoryview(data)[at + 8 + length :]
        arrays: dict[str, np.ndarray[Any, Any]] = {}
        for name, dtype, count, offset in header["arrays"]:
            arrays[name] = np.frombuffer(body, dtype=dtype, count=count, offset=offset).copy()
        return _index(header, arrays)
    except (ValueError, KeyError, TypeError, IndexError):
        return None  # torn or of another format: build it again


def save(path: Path, wanted: list[Any], index: FacetIndex) -> None:
    """Keep `index` (fresh from the database at `wanted`) at `path`; a failure to write is
    left to the next search (a read-only folder, a full disk: the cache is not needed)."""
    if index.writes:
        return
    arrays = {name: getattr(index, name) for name in _ARRAYS}
    arrays.update({f"codes.{name}": codes for name, codes in index.codes.items()})
    chunks: list[bytes] = []
    placed: list[tuple[str, str, int, int]] = []
    offset = 0
    for name, array in arrays.items():
        raw = np.ascontiguousarray(array).tobytes()
        placed.append((name, array.dtype.str, len(array), offset))
        chunks.append(raw)
        offset += len(raw)
    header = orjson.dumps(
        {
            "key": wanted,
            "generation": index.generation,
            "size": index.size,
            "count": index.count,
            "published": index.published,
            "values": index.values,
            "titles": index.titles,
            "publicDocFreq": index.public_doc_freq,
            "docFreq": index.doc_freq,
            "arrays": placed,
        }
    )
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(handle, 0o600)  # holds drafts' titles: as private as the database
            with os.fdopen(handle, "wb", closefd=False) as out:
                out.write(MAGIC)
                out.write(len(header).to_bytes(8, "little"))
                out.write(header)
                for chunk in chunks:
                    out.write(chunk)
        finally:
            os.close(handle)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def _index(header: dict[str, Any], arrays: dict[str, Any]) -> FacetIndex:
    index = FacetIndex.__new__(FacetIndex)
    index.generation = header["generation"]
    index.size = header["size"]
    index.count = header["count"]
    index.published = header["published"]
    for name in _ARRAYS:
        setattr(index, name, arrays[name])
    index.codes = {
        name[len("codes.") :]: array for name, array in arrays.items() if name.startswith("codes.")
    }
    index.values = header["values"]
    index._lookups = {
        name: {value: code for code, value in enumerate(values)}
        for name, values in index.values.items()
    }
    index.titles = header["titles"]
    index._title_rank = None
    index._base_tallies = {}
    index._value_sets = {}
    index.writes = 0
    index.doc_freq = {word: tuple(found) for word, found in header["docFreq"].items()}
    index.public_doc_freq = {word: tuple(found) for word, found in header["publicDocFreq"].items()}
    if len(index.status) != index.size or len(index.titles) != index.size:
        raise ValueError("a torn facet index")
    return index


def cached(database: Path, db: sqlite3.Connection, build: Any) -> FacetIndex:
    """The facet index of `db`'s snapshot (inside its read transaction) of the database file
    `database`: the one kept on disk when it was built at the same state, else `build()`'s,
    which is then kept."""
    path = facet_path(database)
    try:
        wanted = key(db, database)
    except (sqlite3.Error, OSError):
        return build()  # type: ignore[no-any-return]
    found = load(path, wanted)
    if found is not None:
        return found
    index: FacetIndex = build()
    save(path, wanted, index)
    return index
