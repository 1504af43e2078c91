"""An edit's data files spliced from the site's (datafiles.py Splice): the unchanged records'
bytes copied from the previous files at the offsets their layout holds, the changed ones'
written, records.sqlite's rows copied from the previous database — byte for byte the files a
whole build writes, after inserts, deletes, moves and shares that change length. When every
record stays where it was with as many rows, records.sqlite is the site's file patched
(SqliteBuilder.patch): the rows and schema a whole build writes, not its bytes (`comparable`)."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from casework.examples import generate_records
from casework.model import Record
from casework.publish import datafiles
from casework.publish.datafiles import BATCH, Splice, Spliced, record_data, write_dataset
from casework.publish.map_points import MAP_POINTS_NAME
from casework.publish.state import SHARES, Layout
from tests.publish.test_datafiles import NAMES as DATA_NAMES
from tests.publish.test_datafiles import SITE

# The data files test_datafiles.py checks, and the two files that describe them.
NAMES = [*DATA_NAMES, "manifest.json", "datapackage.json"]


@pytest.fixture(scope="module")
def many() -> list[Record]:
    """Several batches of records, some with places and some without."""
    return list(generate_records(BATCH * 3 + 7, seed=5, site=SITE, today=date(2026, 11, 1)))


def key_of(record: Record) -> str:
    return hashlib.sha256(record.model_dump_json().encode()).hexdigest()


def build(
    records: list[Record], directory: Path, previous: tuple[Path, Layout] | None = None
) -> tuple[Layout, Spliced | None]:
    """The data files of `records` in `directory` (spliced from `previous` when given), as
    the build writes them; returns their layout and how they were spliced."""
    directory.mkdir()
    data = record_data(records, SITE)
    shares = {r.slug: d for r, d in zip(records, data, strict=True)}
    keys = [key_of(r) for r in records]
    slugs = [r.slug for r in records]

    def read(wanted: list[str], *names: str) -> list[tuple[bytes, ...]]:
        return [tuple(getattr(shares[s], n) for n in names or SHARES) for s in wanted]

    splice = None if previous is None else Splice(previous[0], previous[1], keys, read)
    _, spans, spliced = write_dataset(
        data, SITE, directory, generated_at="2026-11-02T08:00:00Z", slugs=slugs, splice=splice
    )
    sizes = {n: (directory / n).stat().st_size for n in [*spans, MAP_POINTS_NAME]}
    return Layout(slugs, keys, spans, sizes), spliced


def dump(database: bytes) -> bytes:
    """A database's schema and rows, in rowid order (what `sqlite3 .dump` prints)."""
    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(database)
        return "\n".join(db.iterdump()).encode()
    finally:
        db.close()


def comparable(files: dict[str, bytes]) -> dict[str, bytes]:
    """Files (path → bytes) as they are compared with a whole build's: records.sqlite as its
    schema and rows (a patched one holds those of a whole build, in other pages), and its
    SHA-256 and size where other files name them (the manifest, datapackage.json, the data
    page) as placeholders."""
    name = next((p for p in files if p.rsplit("/", 1)[-1] == "records.sqlite"), None)
    if name is None:
        return files
    database = files[name]
    digest = hashlib.sha256(database).hexdigest().encode()
    # The size as a number or as the data page writes it, not a part of a longer number.
    size = re.compile(
        rb"(?<!\d)(?<!\d,)(%d|%s)(?!\d|,\d)" % (len(database), f"{len(database):,}".encode())
    )
    return {
        path: dump(data)
        if path == name
        else size.sub(b"<size of records.sqlite>", data.replace(digest, b"<records.sqlite>"))
        for path, data in files.items()
    }


def same_files(mine: Path, theirs: Path, *, patched: bool) -> None:
    """The data files in `mine` are those in `theirs`: byte for byte, or with `patched`
    as `comparable` compares them (then records.sqlite's bytes differ)."""
    found = {name: (mine / name).read_bytes() for name in NAMES}
    wanted = {name: (theirs / name).read_bytes() for name in NAMES}
    assert (found["records.sqlite"] != wanted["records.sqlite"]) == patched
    if patched:
        found, wanted = comparable(found), comparable(wanted)
    for name in NAMES:
        assert found[name] == wanted[name], name


def located(records: list[Record]) -> list[int]:
    return [i for i, r in enumerate(records) if any(p.latitude is not None for p in r.locations)]


def longer_summary(records: list[Record]) -> list[Record]:
    changed = list(records)
    changed[70] = changed[70].model_copy(update={"summary": changed[70].summary * 3})
    return changed


def inserts(records: list[Record]) -> list[Record]:
    extra = [
        r.model_copy(update={"slug": f"{r.slug}-bis", "title": r.title + " (again)"})
        for r in records[:3]
    ]
    return [extra[0], *records[:BATCH], extra[1], *records[BATCH:], extra[2]]


def deletes(records: list[Record]) -> list[Record]:
    return [r for i, r in enumerate(records) if i not in (0, 5, BATCH - 1, BATCH, len(records) - 1)]


def date_move(records: list[Record]) -> list[Record]:
    moved = records[3].model_copy(update={"date": date(2026, 10, 30)})
    return [*records[:3], *records[4:150], moved, *records[150:]]


def places_and_rows(records: list[Record]) -> list[Record]:
    """The first located record loses its places (incidents.geojson's first feature is
    another's), one without gains some, one gains a source, one loses its timeline."""
    changed = list(records)
    where = located(records)
    first, other = where[0], where[1]
    bare = next(i for i in range(len(records)) if i not in where)
    changed[first] = changed[first].model_copy(update={"locations": []})
    changed[bare] = changed[bare].model_copy(update={"locations": records[other].locations})
    changed[40] = changed[40].model_copy(
        update={"sources": [*records[40].sources, *records[41].sources]}
    )
    changed[90] = changed[90].model_copy(update={"timeline": []})
    return changed


def unpublish_and_reverse(records: list[Record]) -> list[Record]:
    """Every run one record long: the records in the opposite order, one gone."""
    return list(reversed(records[:100] + records[101:]))


def all_changed(records: list[Record]) -> list[Record]:
    return [r.model_copy(update={"title": r.title + "!"}) for r in records]


def none_left(records: list[Record]) -> list[Record]:
    return []


EDITS: list[Callable[[list[Record]], list[Record]]] = [
    longer_summary,
    inserts,
    deletes,
    date_move,
    places_and_rows,
    unpublish_and_reverse,
    all_changed,
    none_left,
]


def same_layout(mine: Layout, theirs: Layout, *, patched: bool) -> None:
    """The layout an edit keeps is the one a whole build would (a patched records.sqlite's
    size aside): the next edit splices too."""
    if patched:
        mine = replace(mine, sizes={**mine.sizes, "records.sqlite": 0})
        theirs = replace(theirs, sizes={**theirs.sizes, "records.sqlite": 0})
    assert mine == theirs


# The edits that leave every record where it was with as many rows: records.sqlite patched.
IN_PLACE = (longer_summary,)


@pytest.mark.parametrize("change", EDITS, ids=lambda f: f.__name__)
def test_spliced_files_are_those_a_whole_build_writes(
    many: list[Record], tmp_path: Path, change: Callable[[list[Record]], list[Record]]
) -> None:
    layout, _ = build(many, tmp_path / "site")
    edited = change(many)
    whole, _ = build(edited, tmp_path / "whole")
    spliced, how = build(edited, tmp_path / "spliced", (tmp_path / "site", layout))
    assert how is not None
    copied = change not in (all_changed, none_left)
    assert (how.kernel > 0) == copied
    assert how.sqlite_patched == (change in IN_PLACE)
    assert how.points_from_site
    same_files(tmp_path / "spliced", tmp_path / "whole", patched=how.sqlite_patched)
    same_layout(spliced, whole, patched=how.sqlite_patched)
    if len(edited) <= 150:
        return
    # The next edit, in place: from a patched file, patched again.
    again = longer_summary(edited)
    after, how = build(again, tmp_path / "next", (tmp_path / "spliced", spliced))
    build(again, tmp_path / "next-whole")
    assert how is not None and how.sqlite_patched
    same_files(tmp_path / "next", tmp_path / "next-whole", patched=True)
    # Then a move: rows copied by rowid from the patched file make a whole build's bytes.
    moved = date_move(again)
    _, how = build(moved, tmp_path / "moved", (tmp_path / "next", after))
    build(moved, tmp_path / "moved-whole")
    assert how is not None and not how.sqlite_patched and how.kernel > 0
    same_files(tmp_path / "moved", tmp_path / "moved-whole", patched=False)


def test_a_patched_database_keeps_no_byte_of_the_rows_it_replaced(
    many: list[Record], tmp_path: Path
) -> None:
    """The site's records.sqlite is copied and its changed rows replaced: the words an edit
    took out (a witness's name, say) must not stay in the file's free pages or cells."""
    marked = list(many)
    marked[70] = marked[70].model_copy(
        update={"summary": "Named by Qwertyuiop Zxcvbnm. " + marked[70].summary * 20}
    )
    layout, _ = build(marked, tmp_path / "site")
    assert b"Qwertyuiop" in (tmp_path / "site" / "records.sqlite").read_bytes()
    edited = list(marked)
    edited[70] = marked[70].model_copy(update={"summary": many[70].summary * 20})
    _, how = build(edited, tmp_path / "spliced", (tmp_path / "site", layout))
    assert how is not None and how.sqlite_patched
    assert b"Qwertyuiop" not in (tmp_path / "spliced" / "records.sqlite").read_bytes()
    build(edited, tmp_path / "whole")
    same_files(tmp_path / "spliced", tmp_path / "whole", patched=True)


def test_files_not_as_the_layout_says_are_written_whole(many: list[Record], tmp_path: Path) -> None:
    layout, _ = build(many, tmp_path / "site")
    edited = longer_summary(many)
    build(edited, tmp_path / "whole")
    # The site's CSV is not the one the layout describes (replaced, not written into).
    site_csv = tmp_path / "site" / "records.csv"
    text = site_csv.read_bytes()
    site_csv.unlink()
    site_csv.write_bytes(text + b"x")
    _, how = build(edited, tmp_path / "spliced", (tmp_path / "site", layout))
    assert how is None
    same_files(tmp_path / "spliced", tmp_path / "whole", patched=False)


def test_without_the_map_points_size_the_points_are_read_from_the_state(
    many: list[Record], tmp_path: Path
) -> None:
    """A layout kept before map-points.json's size was (or a site's file of another size):
    the unchanged records' points are the build state's, not the site's file's."""
    layout, _ = build(many, tmp_path / "site")
    edited = date_move(places_and_rows(many))
    build(edited, tmp_path / "whole")
    layout.sizes.pop(MAP_POINTS_NAME)
    # Were the site's file read, these points would be in the edit's.
    site_points = tmp_path / "site" / MAP_POINTS_NAME
    site_points.write_bytes(site_points.read_bytes().replace(b'"title":["', b'"title":["X'))
    _, how = build(edited, tmp_path / "spliced", (tmp_path / "site", layout))
    assert how is not None and not how.points_from_site
    same_files(tmp_path / "spliced", tmp_path / "whole", patched=how.sqlite_patched)


@pytest.mark.parametrize("change", [date_move, longer_summary], ids=lambda f: f.__name__)
def test_without_copy_file_range_the_bytes_are_copied_by_python(
    many: list[Record],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[list[Record]], list[Record]],
) -> None:
    layout, _ = build(many, tmp_path / "site")
    edited = change(many)
    build(edited, tmp_path / "whole")

    def unsupported(*args: Any) -> int:
        raise OSError(18, "Invalid cross-device link")  # EXDEV

    monkeypatch.setattr(datafiles.os, "copy_file_range", unsupported)
    _, how = build(edited, tmp_path / "spliced", (tmp_path / "site", layout))
    assert how is not None and how.kernel == 0 and how.python > 0
    # The site's database copied by Python too, when patched.
    assert how.sqlite_patched == (change is longer_summary)
    same_files(tmp_path / "spliced", tmp_path / "whole", patched=how.sqlite_patched)
