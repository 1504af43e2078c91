"""PostgreSQL's stored short-field lengths (migration 0019), its column storage, and the GIN
lookups a facet index keeps (`facets.Matches`)."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from casework.model import Status
from casework.search_words import keys
from casework.store import facets, open_store
from casework.store.base import Query
from casework.store.postgres import PostgresStore
from casework.store.prepared import prepare_record

from .factories import make_record


@pytest.fixture
def pg(postgres_url: str) -> Iterator[PostgresStore]:
    opened = open_store(postgres_url)
    assert isinstance(opened, PostgresStore)
    yield opened
    opened.close()


def _sql(url: str, statement: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as db:
        cursor = db.execute(statement)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []


def _lengths(url: str) -> dict[str, int]:
    rows = _sql(
        url,
        "SELECT r.slug, w.head_length FROM records r JOIN record_words w ON w.record_id = r.id",
    )
    return {str(slug): int(length) for slug, length in rows}  # type: ignore[call-overload]


def _short_field_keys(slug: str, **changes: object) -> int:
    return sum(len(keys(text)) for text in prepare_record(make_record(slug, **changes)).head)


def test_each_write_stores_the_short_fields_length_in_keys(
    pg: PostgresStore, postgres_url: str
) -> None:
    """Created, imported and edited records: |D| is the number of search keys in the title,
    tags, summary, key points and description, whatever the body holds."""
    pg.create(make_record("made", title="Two shells hit the clinic"), author="t", message="")
    pg.import_records(
        [make_record("brought", title="Market shelled at dawn, again and again")],
        author="t",
        message="",
    )
    assert _lengths(postgres_url) == {
        "made": _short_field_keys("made", title="Two shells hit the clinic"),
        "brought": _short_field_keys("brought", title="Market shelled at dawn, again and again"),
    }
    longer = make_record("made", title="Two shells hit the clinic's east wing at night")
    pg.save(longer, base_revision=1, author="t", message="")
    assert _lengths(postgres_url)["made"] == _short_field_keys(
        "made", title="Two shells hit the clinic's east wing at night"
    )
    assert _lengths(postgres_url)["made"] > _short_field_keys(
        "made", title="Two shells hit the clinic"
    )


def test_migration_0019_fills_the_lengths_from_the_vectors_and_its_downgrade_drops_them(
    postgres_url: str,
) -> None:
    """A database at 0017 gains `head_length`, equal to what a write stores now; the ranking
    (which reads it) gives the same scores before and after."""
    from alembic import command

    from casework.store.migrate import _alembic_config

    store = open_store(postgres_url)
    store.import_records(
        [
            make_record("a-shell", title="Shell hits the school", date="2021-01-01"),
            make_record("b-shell", summary="A shell hit the school yard.", date="2022-01-01"),
            *(
                make_record(f"other-{i}", title=f"Harbour closed, day {i}", date="2023-01-01")
                for i in range(6)
            ),
        ],
        author="t",
        message="",
    )
    written = _lengths(postgres_url)
    before = store.search(Query(text="shell school"))
    store.close()
    config = _alembic_config()
    config.set_main_option(
        "sqlalchemy.url", postgres_url.replace("postgresql://", "postgresql+psycopg://", 1)
    )
    command.downgrade(config, "0017")
    config.attributes.pop("connection", None)
    columns = _sql(
        postgres_url,
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'record_words'",
    )
    assert ("head_length",) not in columns
    store = open_store(postgres_url)  # migrated to head again
    try:
        assert _lengths(postgres_url) == written
        after = store.search(Query(text="shell school"))
        assert [(h.slug, h.score) for h in after.hits] == [(h.slug, h.score) for h in before.hits]
        assert after.hits[0].score  # ranked, not only ordered by date
    finally:
        store.close()


def test_record_json_is_compressed_with_lz4_and_revisions_not_twice(
    pg: PostgresStore, postgres_url: str
) -> None:
    available = _sql(
        postgres_url,
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'",
    )
    storage = dict(
        _sql(  # type: ignore[arg-type]
            postgres_url,
            "SELECT a.attrelid::regclass::text || '.' || a.attname,"
            " a.attcompression::text || a.attstorage::text FROM pg_attribute a"
            " WHERE a.attrelid IN ('records'::regclass, 'revisions'::regclass)"
            " AND a.attname = 'data'",
        )
    )
    assert storage["revisions.data"].endswith("e")  # EXTERNAL: kept whole, not compressed
    if available == [(True,)]:
        assert storage["records.data"].startswith("l")  # lz4
    long_body = "Witnesses described the convoy. " * 400  # past the TOAST threshold
    pg.create(make_record("long", **{"$body": long_body}), author="t", message="")
    assert long_body.strip() in pg.get("long").record.body


def test_a_search_after_a_write_never_sees_the_ids_kept_before_it(
    pg: PostgresStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lookups are kept per facet index generation: a record written since is found, one
    taken out is not, by the same words."""
    monkeypatch.setattr(facets, "MATCHES_KEPT_FROM", 0)  # keep every lookup
    pg.import_records(
        [make_record(f"convoy-{i}", title=f"Convoy {i} stopped") for i in range(3)],
        author="t",
        message="",
        status=Status.published,
    )
    query = Query(text="convoy", status=Status.published)
    first = pg.search(query)
    assert pg.search(query).total == first.total == 3  # the second from what was kept
    pg.create(make_record("convoy-new", title="Convoy turned back"), author="t", message="",
              status=Status.published)  # fmt: skip
    assert "convoy-new" in {hit.slug for hit in pg.search(query).hits}
    pg.delete("convoy-0", base_revision=1, author="t", reason="duplicate")
    found = pg.search(query)
    assert found.total == 3
    assert "convoy-0" not in {hit.slug for hit in found.hits}
    # Another process's write (behind this store's back) moves the generation too.
    other = open_store(pg.url)
    try:
        other.set_status("convoy-1", Status.draft, base_revision=1, author="t", message="")
    finally:
        other.close()
    assert {hit.slug for hit in pg.search(query).hits} == {"convoy-2", "convoy-new"}
