"""An edit's data files spliced from the site's (datafiles.py Splice): the unchanged records'
bytes copied from the previous files at the offsets their layout holds, the changed ones'
written, records.sqlite's rows copied from the previous database — byte for byte the files a
whole build writes, after inserts, deletes, moves and shares that change length."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from casework.examples import generate_records
from casework.model import Record
from casework.publish import datafiles
from casework.publish.datafiles import BATCH, Splice, record_data, write_dataset
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
) -> Layout:
    """The data files of `records` in `directory` (spliced from `previous` when given), as
    the build writes them; returns their layout."""
    directory.mkdir()
    data = record_data(records, SITE)
    shares = {r.slug: d for r, d in zip(records, data, strict=True)}
    keys = [key_of(r) for r in records]
    slugs = [r.slug for r in records]

    def read(wanted: list[str], *names: str) -> list[tuple[bytes, ...]]:
        return [tuple(getattr(shares[s], n) for n in names or SHARES) for s in wanted]

    splice = None if previous is None else Splice(previous[0], previous[1], keys, read)
    _, spans = write_dataset(
        data, SITE, directory, generated_at="2026-11-02T08:00:00Z", slugs=slugs, splice=splice
    )
    return Layout(slugs, keys, spans, {n: (directory / n).stat().st_size for n in spans})


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


@pytest.mark.parametrize("change", EDITS, ids=lambda f: f.__name__)
def test_spliced_files_are_those_a_whole_build_writes(
    many: list[Record], tmp_path: Path, change: Callable[[list[Record]], list[Record]]
) -> None:
    layout = build(many, tmp_path / "site")
    edited = change(many)
    whole = build(edited, tmp_path / "whole")
    datafiles.spliced_bytes.update(python=0, kernel=0)
    spliced = build(edited, tmp_path / "spliced", (tmp_path / "site", layout))
    copied = change not in (all_changed, none_left)
    assert (datafiles.spliced_bytes["kernel"] > 0) == copied
    for name in NAMES:
        assert (tmp_path / "spliced" / name).read_bytes() == (
            tmp_path / "whole" / name
        ).read_bytes(), name
    # The layout an edit keeps is the one a whole build would: the next edit splices too.
    assert spliced == whole
    again = longer_summary(edited) if len(edited) > 70 else edited
    build(again, tmp_path / "next", (tmp_path / "spliced", spliced))
    build(again, tmp_path / "next-whole")
    for name in NAMES:
        assert (tmp_path / "next" / name).read_bytes() == (
            tmp_path / "next-whole" / name
        ).read_bytes(), name


def test_files_not_as_the_layout_says_are_written_whole(many: list[Record], tmp_path: Path) -> None:
    layout = build(many, tmp_path / "site")
    edited = longer_summary(many)
    build(edited, tmp_path / "whole")
    # The site's CSV is not the one the layout describes (replaced, not written into).
    site_csv = tmp_path / "site" / "records.csv"
    text = site_csv.read_bytes()
    site_csv.unlink()
    site_csv.write_bytes(text + b"x")
    datafiles.spliced_bytes.update(python=0, kernel=0)
    build(edited, tmp_path / "spliced", (tmp_path / "site", layout))
    assert datafiles.spliced_bytes == {"python": 0, "kernel": 0}
    for name in NAMES:
        assert (tmp_path / "spliced" / name).read_bytes() == (
            tmp_path / "whole" / name
        ).read_bytes(), name


def test_without_copy_file_range_the_bytes_are_copied_by_python(
    many: list[Record], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layout = build(many, tmp_path / "site")
    edited = date_move(many)
    build(edited, tmp_path / "whole")

    def unsupported(*args: Any) -> int:
        raise OSError(18, "Invalid cross-device link")  # EXDEV

    monkeypatch.setattr(datafiles.os, "copy_file_range", unsupported)
    datafiles.spliced_bytes.update(python=0, kernel=0)
    build(edited, tmp_path / "spliced", (tmp_path / "site", layout))
    assert datafiles.spliced_bytes["kernel"] == 0
    for name in NAMES:
        assert (tmp_path / "spliced" / name).read_bytes() == (
            tmp_path / "whole" / name
        ).read_bytes(), name
