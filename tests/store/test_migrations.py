from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from casework.model import Status
from casework.store import UnsupportedDatabase, migrate, open_store
from casework.store.base import Query
from casework.store.migrate import head_revision


def _query(url: str, sql: str) -> list[tuple[object, ...]]:
    """The rows of one statement, on a connection of its own (the store's may be closed)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql)).all()]
    finally:
        engine.dispose()


def _tables(path: Path) -> set[str]:
    db = sqlite3.connect(path)
    try:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        db.close()


def test_migrate_creates_the_schema_in_an_empty_file_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    migrate(f"sqlite:///{path}")
    tables = _tables(path)
    assert {"records", "record_tags", "revisions", "collections", "collection_records"} <= tables
    assert {"search_head", "search_published", "search_postings", "store_meta"} <= tables
    assert "search_all" not in tables  # dropped by 0028: nothing searches it
    assert "alembic_version" in tables
    migrate(f"sqlite:///{path}")
    assert _tables(path) == tables
    db = sqlite3.connect(path)
    assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]
    db.close()


def test_a_database_at_0001_is_brought_to_head_when_opened(tmp_path: Path) -> None:
    """A tracker made before migration 0002 gains its index, and keeps its records."""
    from alembic import command

    from casework.store.migrate import _alembic_config
    from tests.store.factories import make_record

    path = tmp_path / "old.db"
    store = open_store(path)
    store.create(make_record("kept"), author="t", message="m")
    store.close()
    config = _alembic_config()
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.downgrade(config, "0001")
    db = sqlite3.connect(path)
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_revisions_slug_number_hash" not in indexes
    db.close()
    store = open_store(path)
    assert list(store.versions()) == ["kept"]
    store.close()
    db = sqlite3.connect(path)
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_revisions_slug_number_hash" in indexes
    assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]
    db.close()


def test_open_store_uses_wal_and_full_sync(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    store = open_store(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    store.close()


@pytest.mark.parametrize("url", ["mysql://x/y", "sqlite:///:memory:", "sqlite://"])
def test_open_store_refuses_what_it_cannot_open_with_a_clear_error(url: str) -> None:
    with pytest.raises(UnsupportedDatabase, match="casework"):
        open_store(url)


def test_migration_0006_ranks_public_searches_over_the_published_records_it_indexes(
    tmp_path: Path,
) -> None:
    """A tracker made before 0006 gains `search_published`, filled with its published records'
    short fields exactly as the engine writes them: public answers are those of a tracker made
    at 0006, and a record unpublished and published again afterwards leaves them as they were
    (a row indexed with other text would not be taken out cleanly)."""
    from alembic import command

    from casework.store.migrate import _alembic_config
    from tests.store.factories import make_record

    path = tmp_path / "old.db"
    store = open_store(path)
    store.import_records(
        [
            make_record("tide-gauge", title="Tide gauge smashed", date="2020-01-01"),
            make_record("gauge-keepers", summary="Keepers of the tide gauge were fined."),
            make_record("pier-closure", description="A gauge stood by the pier."),
            *(make_record(f"harbour-{i}") for i in range(4)),
        ],
        author="t",
        message="",
    )
    for i in range(4):
        store.create(make_record(f"draft-{i}", title="Gauge gauge tide"), author="t", message="")
    queries = [Query(text="gauge"), Query(text="tide gauge"), Query(text="pier")]
    before = [store.search(query) for query in queries]
    assert any(hit.score > 0 for result in before for hit in result.hits)
    store.close()
    config = _alembic_config()
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.downgrade(config, "0005")
    assert "search_published" not in _tables(path)

    store = open_store(path)
    try:
        assert "search_published" in _tables(path)
        assert [store.search(query) for query in queries] == before
        store.set_status("tide-gauge", Status.draft, base_revision=1, author="t", message="")
        store.set_status("tide-gauge", Status.published, base_revision=2, author="t", message="")
        assert [store.search(query) for query in queries] == before
    finally:
        store.close()


def test_migration_0017_stems_the_indexes_and_its_downgrade_unstems_them(store_url: str) -> None:
    """Before 0017 a plural found only plurals; after it, every form of the word. Rows are
    rewritten so that later edits delete them with the text they were written with."""
    from alembic import command

    from casework.store.migrate import _alembic_config
    from tests.store.factories import make_record

    store = open_store(store_url)
    store.import_records(
        [
            make_record("mine-field", title="Landmine kills two", date="2021-01-01"),
            make_record("mine-clearance", summary="Landmines were cleared.", date="2022-01-01"),
        ],
        author="t",
        message="",
    )
    store.close()
    config = _alembic_config()
    url = store_url.replace("postgresql://", "postgresql+psycopg://", 1)
    config.set_main_option("sqlalchemy.url", url)
    command.downgrade(config, "0016")
    config.attributes.pop("connection", None)
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0016"
    engine.dispose()
    # A store of today's code opened on it migrates it to head, stemming every row.
    store = open_store(store_url)
    try:
        for text_ in ("landmine", "landmines", "LANDMINES"):
            found = {hit.slug for hit in store.search(Query(text=text_)).hits}
            assert found == {"mine-field", "mine-clearance"}, text_
        store.set_status("mine-field", Status.draft, base_revision=1, author="t", message="")
        store.set_status("mine-field", Status.published, base_revision=2, author="t", message="")
        found = {hit.slug for hit in store.search(Query(text="landmines")).hits}
        assert found == {"mine-field", "mine-clearance"}
    finally:
        store.close()


def test_migration_0021_keeps_a_records_bytes_once_and_its_downgrade_gives_them_back(
    store_url: str,
) -> None:
    """Since 0021 the revision a record is at keeps no copy of its JSON (the row holds it),
    until a later revision replaces the row's. A tracker with data written before it (every
    revision holding its bytes: what the downgrade leaves) is read, verified and written on."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from casework.store import history as h
    from casework.store.migrate import _alembic_config
    from tests.store.factories import make_record

    url = store_url.replace("postgresql://", "postgresql+psycopg://", 1)

    def empty_revisions() -> list[tuple[str, int]]:
        engine = create_engine(url)
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT slug, number FROM revisions WHERE data = :e ORDER BY slug, number"),
                {"e": h.IN_RECORD},
            ).all()
        engine.dispose()
        return [(str(slug), int(number)) for slug, number in rows]

    store = open_store(store_url)
    store.import_records(
        [make_record("kept", title="First words"), make_record("edited"), make_record("gone")],
        author="t",
        message="",
    )
    store.save(make_record("edited", title="Second words"), base_revision=1, author="t", message="")
    assert empty_revisions() == [("edited", 2), ("gone", 1), ("kept", 1)]
    store.close()

    config = _alembic_config()
    config.set_main_option("sqlalchemy.url", url)
    command.downgrade(config, "0020")
    config.attributes.pop("connection", None)
    assert empty_revisions() == []  # every revision holds its bytes again, as before 0021

    store = open_store(store_url)  # upgraded to head
    try:
        assert store.verify_history() == []
        assert store.revision("edited", 1).record.title == make_record("edited").title
        store.save(
            make_record("kept", title="Third words"), base_revision=1, author="t", message=""
        )
        store.delete("gone", base_revision=1, author="t", reason="duplicate")
        # The new revision's bytes are its row's; the one it replaced, and a deleted
        # record's last, hold their own.
        assert empty_revisions() == [("kept", 2)]
        assert store.verify_history() == []
        assert [r.record.title for r in store.history("kept")] == ["First words", "Third words"]
        assert store.history("gone")[-1].record.slug == "gone"
    finally:
        store.close()


def test_migration_0025_fills_record_pages_as_the_engines_write_them(store_url: str) -> None:
    """0025's upgrade fills `record_pages` from the stored records with the rows every
    write makes (a tag by its slug once, each entity, each statute as cited; the record's
    status, date and slug): a tracker written before it has its tag pages at once."""
    from alembic import command

    from casework.store.migrate import _alembic_config
    from tests.store.factories import make_record

    url = store_url.replace("postgresql://", "postgresql+psycopg://", 1)

    def rows() -> list[tuple[object, ...]]:
        return _query(
            url,
            "SELECT r.slug, p.family, p.term, p.name, p.status, p.date, p.slug "
            "FROM record_pages p JOIN records r ON r.id = p.record_id "
            "ORDER BY r.slug, p.family, p.term",
        )

    victims = [{"name": "Crews", "kind": "group", "entity": "crews"}]
    store = open_store(store_url)
    store.import_records(
        [
            make_record("one", tags=["Land mines", "land-mines", "Ports"], date="2020-01-02"),
            make_record("two", structuredVictims=victims, tags=[]),
        ],
        author="t",
        message="",
    )
    store.create(
        make_record("drafted", tags=["Ports"]), author="t", message="", status=Status.draft
    )
    store.save(make_record("two", structuredVictims=victims, tags=["ports"]), base_revision=1,
               author="t", message="")  # fmt: skip
    written = rows()
    assert ("one", "tag", "land-mines", "Land mines", "published", "2020-01-02", "one") in written
    assert ("two", "entity", "crews", "", "published", "2021-03-14", "two") in written
    assert ("drafted", "tag", "ports", "Ports", "draft", "2021-03-14", "drafted") in written
    assert ("one", "law", "ICCPR", "", "published", "2020-01-02", "one") in written
    assert len([r for r in written if r[0] == "one" and r[1] == "tag"]) == 2
    assert ("two", "tag", "ports", "ports", "published", "2021-03-14", "two") in written
    store.close()

    config = _alembic_config()
    config.set_main_option("sqlalchemy.url", url)
    command.downgrade(config, "0023")
    config.attributes.pop("connection", None)
    store = open_store(store_url)  # upgraded to head: filled
    try:
        assert rows() == written
        assert store.paged("tag", "ports", limit=None, offset=0) == [
            ("two", "ports"),
            ("one", "Ports"),
        ]
        assert store.page_names("tag", "land-mines") == ["Land mines"]
    finally:
        store.close()
    # 0026's families: each event's day and the lastUpdated, taken out by its downgrade and
    # filled again by its upgrade.
    added = [r for r in written if r[1] in ("day", "updated")]
    assert ("one", "updated", "2021-04-02", "", "published", "2020-01-02", "one") in added
    assert {r[0] for r in added if r[1] == "day"} == {"one", "two", "drafted"}
    command.downgrade(config, "0025")
    config.attributes.pop("connection", None)
    # (0030's downgrade, on the way, names no timeline row's count.)
    blank = [(*r[:3], "" if r[1] == "timeline" else r[3], *r[4:]) for r in written]
    assert rows() == [r for r, w in zip(blank, written, strict=True) if w not in added]
    store = open_store(store_url)
    try:
        assert rows() == written
        assert store.updated_last(5) == [("2021-04-02", "two"), ("2021-04-02", "one")]
    finally:
        store.close()


def test_migration_0030_counts_each_years_events_and_each_located_records_points(
    store_url: str,
) -> None:
    """0030's upgrade writes the ("timeline", year) rows again naming how many of the
    record's events are in that year, as every write now does (its downgrade names none):
    the timeline's index sums them (`page_sums`), a draft's left out."""
    from alembic import command

    from casework.store.migrate import _alembic_config
    from tests.store.factories import make_record

    url = store_url.replace("postgresql://", "postgresql+psycopg://", 1)

    def rows() -> list[tuple[object, ...]]:
        return _query(
            url,
            "SELECT r.slug, p.term, p.name, p.status FROM record_pages p JOIN records r"
            " ON r.id = p.record_id WHERE p.family = 'timeline' ORDER BY r.slug, p.term",
        )

    def events(*days: str) -> list[dict[str, str]]:
        return [{"date": day, "title": f"On {day}", "summary": "."} for day in days]

    # Two points stored, one published at country precision: the map draws one.
    point = {"country": "PS", "latitude": 31.5, "longitude": 34.5, "precision": "town"}
    places = [
        point,
        point | {"publishedPrecision": "country"},
        {"country": "FR", "precision": "country"},
    ]
    store = open_store(store_url)
    store.import_records(
        [
            make_record(
                "one", timeline=events("2019-01-02", "2019-01-02", "2019-07-01"), locations=places
            ),
            make_record("two", timeline=events("2019-03-04", "2020-01-01")),
        ],
        author="t",
        message="",
    )
    store.create(make_record("drafted", timeline=events("2019-05-05", "2031-01-01")),
                 author="t", message="", status=Status.draft)  # fmt: skip
    store.save(make_record("two", timeline=events("2019-03-04", "2020-01-01", "2020-02-02")),
               base_revision=1, author="t", message="")  # fmt: skip
    written = rows()
    assert written == [
        ("drafted", "2019", "1", "draft"),
        ("drafted", "2031", "1", "draft"),
        ("one", "2019", "3", "published"),
        ("two", "2019", "1", "published"),
        ("two", "2020", "2", "published"),
    ]
    assert store.page_sums("timeline") == {"2019": 4, "2020": 2}
    assert store.page_sums("map") == {"": 1} and store.page_counts("map") == {"": 1}
    store.close()

    config = _alembic_config()
    config.set_main_option("sqlalchemy.url", url)
    command.downgrade(config, "0029")
    config.attributes.pop("connection", None)
    assert rows() == [(slug, year, "", status) for slug, year, _n, status in written]
    store = open_store(store_url)  # upgraded to head: counted again
    try:
        assert rows() == written
        assert store.page_sums("timeline") == {"2019": 4, "2020": 2}
        assert store.page_sums("map") == {"": 1}
        assert store.paged("map", "", limit=None, offset=0) == [("one", "1")]
    finally:
        store.close()
