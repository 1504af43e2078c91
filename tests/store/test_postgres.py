"""What only the PostgreSQL engine has to show: writers in separate processes, tampering
found through raw SQL, the migrated schema, accounts' secrets at rest, and PostgreSQL's limits
(NUL characters, over-long words). The Store protocol itself is tested on both engines by the
other store tests (conftest.py parametrises `store`)."""

from __future__ import annotations

import hashlib
import multiprocessing
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import numpy as np
import psycopg
import pytest
from argon2 import PasswordHasher

from casework.model import Status
from casework.store import history as h
from casework.store import open_store
from casework.store.accounts import Accounts, Role
from casework.store.base import Conflict, Query, Store, StoreError
from casework.store.postgres import DatabaseUnavailable, PostgresStore
from casework.store.postgres_search import (
    MAX_POSITION,
    _bounded_parts,
    _frequencies,
    _frequencies_statement,
    _held,
    search_vectors,
    vector_parts,
    words,
    words_copy_row,
    words_row,
)
from casework.store.prepared import prepare_record

from .factories import make_record

PASSWORD = "correct horse battery staple"
ROUNDS = 5


@pytest.fixture
def pg(postgres_url: str) -> Iterator[Store]:
    opened = open_store(postgres_url)
    assert isinstance(opened, PostgresStore)
    yield opened
    opened.close()


def _sql(url: str, statement: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Run one statement behind the store's back; its rows, if any."""
    with psycopg.connect(url, autocommit=True) as db:
        cursor = db.execute(statement, args)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []


# --- writers in two processes ----------------------------------------------------------------


def _race(url: str, name: str, start: object, results: object) -> None:
    """In a process of its own: in each round, save the record over revision `round`, at the
    same moment as the other process."""
    store = open_store(url)
    try:
        for base in range(1, ROUNDS + 1):
            start.wait(timeout=60)  # type: ignore[attr-defined]
            try:
                store.save(
                    make_record(title=f"{name} {base}"),
                    base_revision=base,
                    author=name,
                    message=f"round {base}",
                )
                outcome = "saved"
            except Conflict as conflict:
                outcome = f"conflict at {conflict.current_revision}"
            results.put((base, name, outcome))  # type: ignore[attr-defined]
    finally:
        store.close()


def test_two_processes_saving_over_the_same_revision_one_wins_one_conflicts(
    pg: Store, postgres_url: str
) -> None:
    pg.create(make_record(), author="ana", message="draft")
    context = multiprocessing.get_context("spawn")  # no pooled connection is inherited
    start = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=_race, args=(postgres_url, name, start, results))
        for name in ("ben", "cleo")
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in range(2 * ROUNDS)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    winners: dict[int, str] = {}
    for base in range(1, ROUNDS + 1):
        this_round = sorted((name, outcome) for b, name, outcome in outcomes if b == base)
        assert sorted(outcome for _, outcome in this_round) == [
            f"conflict at {base + 1}",
            "saved",
        ]
        winners[base] = next(name for name, outcome in this_round if outcome == "saved")
    history = pg.history("harbour-closure")
    assert [r.number for r in history] == list(range(1, ROUNDS + 2))
    assert [r.author for r in history[1:]] == [winners[b] for b in range(1, ROUNDS + 1)]
    got = pg.get("harbour-closure")
    assert got.revision == ROUNDS + 1
    assert got.record.title == f"{winners[ROUNDS]} {ROUNDS}"
    assert pg.verify_history() == []


# --- tampering -------------------------------------------------------------------------------


def _three_revisions(store: Store) -> None:
    store.create(make_record(), author="ana", message="draft")
    store.save(make_record(title="Second"), base_revision=1, author="ben", message="edit")
    store.set_status("harbour-closure", Status.published, base_revision=2, author="ed", message="")


def test_verify_history_reports_a_revision_edited_with_raw_sql(
    pg: Store, postgres_url: str
) -> None:
    _three_revisions(pg)
    pg.create(make_record("untouched"), author="a", message="")
    assert pg.verify_history() == []
    _sql(
        postgres_url,
        "UPDATE revisions SET author = 'mallory' WHERE slug = 'harbour-closure' AND number = 2",
    )
    problems = pg.verify_history()
    assert [(p.slug, p.number) for p in problems] == [("harbour-closure", 2)]
    assert "hash" in problems[0].message
    assert pg.verify_history("untouched") == []


def test_verify_history_reports_rewritten_data_even_with_a_fresh_hash(
    pg: Store, postgres_url: str
) -> None:
    _three_revisions(pg)
    [row] = _sql(
        postgres_url,
        "SELECT slug, action, author, message, created_at, status, data FROM revisions "
        "WHERE number = 1",
    )
    slug, action, author, message, created_at, status, blob = row
    assert isinstance(blob, bytes) and isinstance(created_at, datetime)
    data = zlib.decompress(blob).decode().replace("Harbour closed", "Nothing happened")
    digest = h.revision_hash(
        slug=str(slug), number=1, action=str(action), author=str(author), message=str(message),
        created_at=created_at, status=str(status), data=data, prev_hash="",
    )  # fmt: skip
    _sql(
        postgres_url,
        "UPDATE revisions SET data = %s, hash = %s WHERE number = 1",
        (h.compress(data), digest),
    )
    problems = pg.verify_history()
    assert [(p.slug, p.number) for p in problems] == [("harbour-closure", 2)]
    assert "prev_hash" in problems[0].message


def test_verify_history_reports_a_deleted_revision_and_a_changed_current_record(
    pg: Store, postgres_url: str
) -> None:
    _three_revisions(pg)
    _sql(postgres_url, "DELETE FROM revisions WHERE number = 2")
    _sql(postgres_url, "UPDATE records SET data = replace(data, 'Second', 'Third')")
    messages = [p.message for p in pg.verify_history("harbour-closure")]
    assert any("expected revision 2" in m for m in messages)
    assert any("differs from its last revision" in m for m in messages)


def test_hashes_cover_the_same_bytes_as_on_sqlite(pg: Store, postgres_url: str) -> None:
    """A revision's stored record is the very JSON SQLite stores, and its hash is the
    history.py hash of its stored fields (what `casework copy` will compare)."""
    record = make_record(title="Café “quotes” 💥", summary="Ünïcode </script>")
    pg.create(record, author="ana", message="first")
    [row] = _sql(
        postgres_url,
        "SELECT slug, number, action, author, message, created_at, status, data, prev_hash, "
        "hash FROM revisions",
    )
    slug, number, action, author, message, created_at, status, blob, prev, digest = row
    assert isinstance(blob, bytes) and isinstance(created_at, datetime)
    # The current revision's bytes are its row's (history.IN_RECORD), until an edit.
    assert blob == h.IN_RECORD
    [(data,)] = _sql(postgres_url, "SELECT data FROM records")
    assert str(data).encode() == h.record_json_bytes(record)
    assert digest == h.revision_hash(
        slug=str(slug), number=int(str(number)), action=str(action), author=str(author),
        message=str(message), created_at=created_at, status=str(status),
        data=h.record_json_bytes(record), prev_hash=str(prev),
    )  # fmt: skip
    assert pg.versions() == {"harbour-closure": pg.versions()["harbour-closure"]}
    assert pg.versions()["harbour-closure"].hash == digest
    pg.save(make_record(title="Later"), base_revision=1, author="ana", message="second")
    [(kept,)] = _sql(postgres_url, "SELECT data FROM revisions WHERE number = 1")
    assert isinstance(kept, bytes) and zlib.decompress(kept) == h.record_json_bytes(record)


# --- schema ------------------------------------------------------------------------------------


def test_the_migrations_build_what_schema_py_describes(pg: Store, postgres_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from casework.store.migrate import sqlalchemy_url
    from casework.store.schema import metadata

    engine = create_engine(sqlalchemy_url(postgres_url))
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()

    def search_only(change: object) -> bool:
        # The search table `record_words` (tsvector columns, GIN indexes) is made in SQL by
        # migrations 0001 and 0005 and is not in the metadata (like SQLite's FTS5 tables), nor
        # is `search_postings` (migration 0029 here, 0027 on SQLite).
        if isinstance(change, tuple) and change[0] == "remove_table":
            return bool(change[1].name in ("record_words", "search_postings"))
        if isinstance(change, tuple) and change[0] == "remove_index":
            return bool(change[1].table.name == "record_words")
        return False

    assert [change for change in diff if not search_only(change)] == []
    columns = _sql(
        postgres_url,
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'records'",
    )
    assert not {"search", "search_head"} & {name for (name,) in columns}
    methods = _sql(
        postgres_url,
        "SELECT c.relname, am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam "
        "WHERE c.relname LIKE 'ix_record_words_%%' ORDER BY 1",
    )
    assert methods == [("ix_record_words_search", "gin"), ("ix_record_words_search_head", "gin")]
    storage = _sql(
        postgres_url,
        "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'record_words'::regclass"
        " AND attname LIKE 'search%%' ORDER BY 1",
    )
    assert storage == [("search", "e"), ("search_head", "e")]  # out of line, uncompressed


def test_opening_a_migrated_database_again_changes_nothing(postgres_url: str) -> None:
    open_store(postgres_url).close()
    before = _sql(postgres_url, "SELECT version_num FROM alembic_version")
    store = open_store(postgres_url)
    store.close()
    assert _sql(postgres_url, "SELECT version_num FROM alembic_version") == before


def test_an_unreachable_server_is_one_clear_error_without_the_password() -> None:
    with pytest.raises(DatabaseUnavailable) as raised:
        open_store("postgresql://casework:s3cret@127.0.0.1:1/tracker")
    message = str(raised.value)
    assert "cannot open the PostgreSQL database" in message and "127.0.0.1" in message
    assert "s3cret" not in message and "\n" not in message


# --- accounts ----------------------------------------------------------------------------------


def _everything_in(url: str, table: str) -> str:
    return " ".join(str(row) for row in _sql(url, f"SELECT * FROM {table}"))


def test_passwords_and_tokens_are_kept_only_as_hashes(pg: Store, postgres_url: str) -> None:
    accounts = Accounts(pg._engine, hasher=PasswordHasher(time_cost=1, memory_cost=64))  # type: ignore[attr-defined]
    alice = accounts.add_user("alice", PASSWORD, Role.editor, display_name="Alice Ahmed")
    session_token, _ = accounts.open_session(alice)
    api_token, _ = accounts.create_token("alice", "import script")
    users = _everything_in(postgres_url, "users")
    assert "$argon2id$" in users and "Alice Ahmed" in users and PASSWORD not in users
    sessions = _everything_in(postgres_url, "sessions")
    assert session_token not in sessions
    assert hashlib.sha256(session_token.encode()).hexdigest() in sessions
    tokens = _everything_in(postgres_url, "api_tokens")
    assert api_token not in tokens and "import script" in tokens
    assert accounts.token_user(api_token) == alice


def test_a_cheap_hash_is_replaced_at_login_with_the_default_cost(
    pg: Store, postgres_url: str
) -> None:
    cheap = Accounts(pg._engine, hasher=PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))  # type: ignore[attr-defined]
    cheap.add_user("alice", PASSWORD, Role.editor)
    [(before,)] = _sql(postgres_url, "SELECT password_hash FROM users")
    assert ",t=1,p=1$" in str(before)
    pg.accounts.authenticate("alice", PASSWORD, remote="r")
    [(after,)] = _sql(postgres_url, "SELECT password_hash FROM users")
    assert str(after).startswith("$argon2id$v=19$m=65536,t=3,p=4$")


# --- PostgreSQL's limits -------------------------------------------------------------------------


def test_a_nul_character_in_a_record_is_kept_and_one_in_a_message_is_refused(pg: Store) -> None:
    record = make_record(title="Pier\x00closed", tags=["har\x00bour"])
    pg.create(record, author="ana", message="")
    got = pg.get("harbour-closure")
    assert got.record.title == "Pier\x00closed" and got.record.tags[0] == "har\x00bour"
    assert pg.verify_history() == []
    with pytest.raises(StoreError, match="NUL"):
        pg.save(make_record(), base_revision=1, author="ana", message="bad\x00message")
    assert pg.get("harbour-closure").revision == 1


def test_words_longer_than_postgresql_indexes_are_stored_and_never_match(pg: Store) -> None:
    long_word = "x" * 3000
    pg.import_records(
        [make_record(summary=f"A {long_word} word.", **{"$body": "tidal " + long_word})],
        author="t",
        message="",
    )
    assert pg.search(Query(text="tidal")).total == 1
    assert pg.search(Query(text=long_word)).total == 0
    assert pg.search(Query(text="x" * 10 + "*")).total == 0  # the word was not indexed
    assert long_word in pg.get("harbour-closure").record.summary


def test_prefix_and_diacritics_match_through_the_tsvector_columns(pg: Store) -> None:
    pg.import_records(
        [
            make_record(
                "a", title="Held at Genève", summary="Détention à Genève", tags=["Ökologie"]
            ),
            make_record("b", title="Unrelated", **{"$body": "Genevan detentions"}),
        ],
        author="t",
        message="",
    )
    assert [hit.slug for hit in pg.search(Query(text="geneve")).hits] == ["a"]
    assert {hit.slug for hit in pg.search(Query(text="genev*")).hits} == {"a", "b"}
    assert [hit.slug for hit in pg.search(Query(text="OKOLOGIE")).hits] == ["a"]
    [hit] = pg.search(Query(text="détention")).hits  # "detentions" is another word
    assert hit.slug == "a" and hit.snippet == "<mark>Détention</mark> à Genève"


def test_the_fast_search_vectors_equal_the_careful_ones_for_an_ordinary_record() -> None:
    written = prepare_record(
        make_record(title="Tidal pier closed", summary="The pier, the pier again: Genève")
    )
    fields = [(words(text), weight) for text, weight in zip(written.head, "ABCCD", strict=True)]
    fast = vector_parts(written)
    careful = _bounded_parts(fields, words(written.body_text))
    assert fast[1] == careful[1] and "'pier':2A,7C,9C" in search_vectors(written)[1]
    assert sorted(fast[0]) == sorted(careful[0])


def test_the_binary_copy_of_record_words_writes_the_vectors_the_literals_write(
    postgres_url: str,
) -> None:
    """An import COPYs `record_words` in binary (`words_copy_row`); a single write sends
    tsvector literals (`words_row`). The server reads both into the same vectors: for an
    ordinary record, one past the last position, and one with a word too long to index."""
    open_store(postgres_url).close()  # migrated
    records = [
        make_record(
            "ordinary",
            title="Tidal pier closed",
            summary="The pier, the pier again: Genève",
            tags=["harbour", "fishing crews"],
            **{"$body": "Crews of the northern pier waited; Genève's port said nothing."},
        ),
        make_record("past-the-last", description=" ".join(f"w{i % 300}" for i in range(17_000))),
        make_record("long-word", summary="x" * 3000 + " short", **{"$body": "y" * 600}),
    ]
    prepared = [prepare_record(r) for r in records]
    with psycopg.connect(postgres_url) as db:
        db.execute("CREATE TEMP TABLE words (LIKE record_words)")  # without its foreign key
        with (
            db.cursor() as cursor,
            cursor.copy(
                "COPY words (record_id, search, search_head, head_length)"
                " FROM STDIN (FORMAT BINARY)"
            ) as copy,
        ):
            copy.set_types(["int4", "bytea", "bytea", "int4"])
            for i, written in enumerate(prepared, 1):
                copy.write_row((i, *words_copy_row(written)))
        for i, written in enumerate(prepared, 1):
            db.execute(
                "INSERT INTO words (record_id, search, search_head, head_length)"
                " VALUES (%s, %s::tsvector, %s::tsvector, %s)",
                (-i, *words_row(written)),
            )
        pairs = db.execute(
            "SELECT a.search::text = b.search::text, a.search_head::text = b.search_head::text,"
            " a.head_length = b.head_length, length(a.search), length(a.search_head)"
            " FROM words a JOIN words b ON b.record_id = -a.record_id"
            " WHERE a.record_id > 0 ORDER BY a.record_id"
        ).fetchall()
        db.rollback()
    assert [row[:3] for row in pairs] == [(True, True, True)] * 3
    assert all(searched > 0 and head > 0 for *_, searched, head in pairs)


def _ranking_rows(
    url: str, phrases: list[tuple[str, bool]], fields: str
) -> dict[int, tuple[int, object, list[float], list[float]]]:
    """Each record's row of `_frequencies_statement` (|D|, the text it sends or None, the
    server's counts) beside the counts `_frequencies` makes from its head vector's text."""
    ids = np.array([row[0] for row in _sql(url, "SELECT record_id FROM record_words")])
    rows = _sql(url, *_frequencies_statement(phrases, fields, ids))  # type: ignore[arg-type]
    texts = dict(_sql(url, "SELECT record_id, search_head::text FROM record_words"))
    return {
        int(rowid): (length, vector, list(counted), _frequencies(texts[rowid], phrases, fields))  # type: ignore[arg-type]
        for rowid, length, vector, *counted in rows
    }


def test_the_servers_weighted_counts_equal_those_read_from_each_head_vectors_text(
    pg: Store, postgres_url: str
) -> None:
    """A ranking reads each candidate's weighted phrase counts from the server
    (`ts_rank_cd` of a one-lexeme query, weights over 16): the very numbers the head vector's
    text gives, for a word and a prefix, in the title and tags alone or in all short fields,
    a word repeated across fields and within one."""
    pg.import_records(
        [
            make_record(
                "pier", title="Pier pier closed", tags=["piers", "harbour"],
                summary="The pier again", keyPoints=["A pierced hull"],
                description="Pier, pier and pier: the piers of the pier.",
            ),
            make_record("quay", title="Quay flooded", tags=["pier"], description="No pier here"),
            make_record("none", title="Nothing to see", description="Boats left unattended"),
        ],
        author="t",
        message="",
    )  # fmt: skip
    phrases = [("pier", False), ("pier", True), ("harbour", False), ("boat", True)]
    for fields in ("AB", "ABCD"):
        for asked in [phrases] + [[phrase] for phrase in phrases]:  # one vector read, or many
            found = _ranking_rows(postgres_url, asked, fields)
            assert len(found) == 3
            for _length, vector, server, text in found.values():
                assert vector is None and server == text, (fields, asked)
    slugs = dict(_sql(postgres_url, "SELECT slug, id FROM records"))
    pier = _ranking_rows(postgres_url, phrases, "ABCD")[slugs["pier"]]  # type: ignore[index]
    # pier (piers stems to it): title 2 × 10, tags 5, summary 3, description 5 × 1; the
    # prefix adds pierc (pierced, key points 3)
    assert pier[2] == [33.0, 36.0, 5.0, 0.0]
    assert _ranking_rows(postgres_url, phrases, "AB")[slugs["pier"]][2] == [25.0, 25.0, 5.0, 0.0]  # type: ignore[index]


def test_a_record_whose_short_fields_reach_the_last_position_is_counted_from_its_text(
    pg: Store, postgres_url: str
) -> None:
    """Past MAX_POSITION keys the head vector's words share the last position, where
    `ts_rank_cd`'s covers meet several lexemes at one position: such a record's counts are
    taken from its text, and are what the server counts too (PostgreSQL 15)."""
    many = " ".join(f"w{i}" for i in range(MAX_POSITION + 10))
    pg.import_records(
        [make_record("long", description=many + " zebra zebu"), make_record("short")],
        author="t",
        message="",
    )
    found = _ranking_rows(postgres_url, [("zeb", True), ("harbour", False)], "ABCD")
    (long,) = [row for row in found.values() if row[0] >= MAX_POSITION]
    assert long[1] is not None  # its text comes too
    assert long[3] == [2.0, 15.0]  # zebra and zebu, each at the shared last position
    assert long[2] == long[3]
    assert pg.search(Query(text="zeb*")).hits[0].slug == "long"


def test_an_imported_records_row_equals_the_row_a_single_create_writes(
    pg: Store, postgres_url: str
) -> None:
    """An import COPYs `records` in binary (the JSON as its UTF-8 bytes); a create INSERTs
    it from text. Both rows hold the same values, past ASCII and with a NUL in the title."""
    fields = {"title": "Genève: la jetée fermée \u2713 \x00 ✓", "summary": "Čeština, عربي."}
    pg.create(make_record("by-create", **fields), author="t", message="", status=Status.draft)
    imported = [make_record("by-import", **fields)] + [make_record(f"filler-{i}") for i in range(3)]
    pg.import_records(imported, author="t", message="", status=Status.draft)
    columns = "status, revision, replace(data, slug, ''), title, date, year, category, severity, "
    columns += "posture, ongoing, countries, updated_at IS NOT NULL"
    rows = _sql(
        postgres_url,
        f"SELECT {columns} FROM records WHERE slug IN ('by-create', 'by-import') ORDER BY slug",
    )
    assert rows[0] == rows[1]
    assert rows[0][3] == "Genève: la jetée fermée \u2713 \ufffd ✓"
    assert pg.get("by-import").record.title == fields["title"]


def test_an_imported_record_is_found_by_its_title_tags_and_body_words(pg: Store) -> None:
    # The import's `record_words` come by binary COPY: every tier's lookup finds them.
    records = [make_record(f"filler-{i}", title=f"Filler {i}") for i in range(3)]
    records.append(
        make_record("quay", title="Quay flooded", tags=["seawall"], **{"$body": "Kelp washed in."})
    )
    pg.import_records(records, author="t", message="")
    for word in ("quay", "seawall", "kelp", "kel*"):
        assert [hit.slug for hit in pg.search(Query(text=word)).hits] == ["quay"], word


def test_short_fields_past_the_last_tsvector_position_still_match(pg: Store) -> None:
    many = " ".join(f"w{i}" for i in range(20_000))
    pg.import_records([make_record(description=many + " finalword")], author="t", message="")
    assert pg.search(Query(text="finalword")).total == 1
    assert pg.search(Query(text="w19999")).total == 1


def test_a_0004_database_moves_its_search_words_to_record_words_with_the_marks(
    postgres_url: str,
) -> None:
    from alembic import command

    from casework.store.migrate import _alembic_config, sqlalchemy_url

    store = open_store(postgres_url)
    store.import_records(
        [
            make_record("in-title", title="Tidal pier closed", summary="Boats kept away."),
            make_record("in-body", title="Harbour news", **{"$body": "The tidal gates."}),
        ],
        author="t",
        message="",
    )
    store.close()
    config = _alembic_config()
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(postgres_url))
    command.downgrade(config, "0004")
    columns = {
        name
        for (name,) in _sql(
            postgres_url,
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'records'",
        )
    }
    assert {"search", "search_head"} <= columns
    assert _sql(postgres_url, "SELECT to_regclass('record_words')") == [(None,)]

    store = open_store(postgres_url)  # upgrades to 0005 again
    try:
        marks = _sql(
            postgres_url,
            "SELECT r.slug, w.search @@ '''t:tidal'''::tsquery FROM records r "
            "JOIN record_words w ON w.record_id = r.id ORDER BY r.slug",
        )
        assert marks == [("in-body", False), ("in-title", True)]
        assert [hit.slug for hit in store.search(Query(text="tidal")).hits] == [
            "in-title",
            "in-body",
        ]
    finally:
        store.close()


def test_a_bulk_import_leaves_no_gin_pending_list_for_searches_to_scan(
    pg: Store, postgres_url: str
) -> None:
    from casework.store.postgres import ANALYZE_AFTER

    clean = (
        "SELECT gin_clean_pending_list('ix_record_words_search'::regclass)"
        " + gin_clean_pending_list('ix_record_words_search_head'::regclass)"
    )
    pg.import_records([make_record(f"few-{i}") for i in range(5)], author="t", message="")
    [(pages,)] = _sql(postgres_url, clean)
    assert pages > 0  # a small import leaves its entries pending (merged here)
    records = [make_record(f"many-{i}") for i in range(ANALYZE_AFTER)]
    pg.import_records(records, author="t", message="")
    assert _sql(postgres_url, clean) == [(0,)]  # already merged by the import


def test_the_facet_index_is_patched_for_own_writes_and_rebuilt_for_another_process(
    pg: Store, postgres_url: str
) -> None:
    assert isinstance(pg, PostgresStore)
    pg.import_records([make_record("pier-closure", category="rule-of-law")], author="t", message="")
    assert pg.search(Query()).total == 1
    before = pg._facets.current
    assert before is not None
    pg.create(
        make_record("quay-fire", category="civil-liberties"),
        author="t",
        message="",
        status=Status.published,
    )
    after = pg._facets.current
    assert after is not None and after is not before  # patched at the write
    assert after.generation == before.generation + 1
    assert dict(pg.search(Query()).facets["category"]) == {
        "rule-of-law": 1,
        "civil-liberties": 1,
    }
    assert pg._facets.current is after  # the search did not rebuild it
    other = open_store(postgres_url)
    try:
        other.create(
            make_record("salt-pans", category="rule-of-law", tags=["salt"]),
            author="t",
            message="",
            status=Status.published,
        )
    finally:
        other.close()
    result = pg.search(Query())
    assert result.total == 3 and dict(result.facets["tag"])["salt"] == 1
    assert pg._facets.current is not after  # rebuilt: another process wrote


def test_the_record_words_made_from_the_prepared_keys_equal_those_of_its_texts_cut_again() -> None:
    written = prepare_record(
        make_record(
            title="Tidal pier closed",
            summary="The pier, the pier again: Genève",
            tags=["harbour", "fishing crews"],
            **{"$body": "Crews of the northern pier waited; Genève's port authority said nothing."},
        )
    )
    made = words_row(written)  # from written.head_keys and written.all_keys
    again = words_row(written, words)  # every text tokenized and stemmed again
    assert made[1:] == again[1:] and "'pier':2A" in made[1]
    assert sorted(made[0].split(" ")) == sorted(again[0].split(" "))
    assert "'t:pier'" in made[0] and "'northern'" in made[0]


def test_the_phrases_weight_classes_are_read_from_a_head_vectors_text() -> None:
    vector = "'pier':2A,7C,9 'piers':4B 'tidal':1A 'spier':5"
    assert _held(vector, [("pier", False)]) == [("pier", "ACD")]
    assert _held(vector, [("pier", True)]) == [("pier", "ACD"), ("piers", "B")]
    assert _held(vector, [("tid", False), ("ier", True)]) == []
    assert _held(vector, [("tidal", False)]) == [("tidal", "A")]
    assert _held("'pie' 'pier':3C", [("pie", True)]) == [("pie", ""), ("pier", "C")]


def test_an_import_into_empty_tables_builds_their_indexes_and_foreign_keys_after_the_rows(
    pg: Store, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework.store import postgres

    monkeypatch.setattr(postgres, "IMPORT_BATCH", 4)
    monkeypatch.setattr(PostgresStore, "_import_batch", 4)
    indexes = (
        "SELECT indexname::text FROM pg_indexes WHERE tablename IN"
        " ('records', 'record_words', 'record_tags', 'revisions', 'revision_log')"
        " UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' ORDER BY 1"
    )
    before = _sql(postgres_url, indexes)
    assert ("ix_record_words_search",) in before
    assert any("FOREIGN KEY (record_id) REFERENCES records(id)" in str(row) for row in before)
    # The second batch fails: the rollback keeps the dropped indexes and writes nothing.
    with pytest.raises(StoreError):
        pg.import_records(
            [make_record(f"r-{i}") for i in range(6)] + [make_record("r-1")],
            author="t",
            message="",
        )
    assert _sql(postgres_url, indexes) == before and pg.count() == 0
    pg.import_records(
        [make_record(f"r-{i}", title=f"Pier {i}") for i in range(10)], author="t", message=""
    )
    assert _sql(postgres_url, indexes) == before  # built again before the commit
    assert pg.search(Query(text="pier")).total == 10 and pg.count() == 10
    pg.import_records([make_record(f"s-{i}") for i in range(4)], author="t", message="")
    assert pg.search(Query(text="harbour")).total == 14  # into full tables, indexes kept
    assert _sql(postgres_url, indexes) == before


def test_a_pooled_connection_the_server_dropped_while_idle_is_replaced(
    pg: Store, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework.store import postgres

    pg.import_records([make_record()], author="t", message="")
    assert pg.exists("harbour-closure")
    monkeypatch.setattr(postgres, "PING_IDLE_S", 0.0)  # every checkout counts as idle
    name = postgres_url.rsplit("/", 1)[1].split("?")[0]
    _sql(
        postgres_url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()",
        (name,),
    )
    assert pg.exists("harbour-closure")  # the dead connection failed its ping: a new one


def test_the_generation_is_known_without_a_read_only_while_the_listener_waits(
    pg: PostgresStore, postgres_url: str
) -> None:
    import threading
    import time

    from casework.store.change_feed import Follower

    pg.import_records([make_record("first")], author="t", message="m")
    assert pg.known_generation() is None  # nothing listens yet
    busy, release = threading.Event(), threading.Event()

    def on_change() -> None:
        busy.set()
        release.wait(10)

    def until(condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 10
        while not condition():
            assert time.monotonic() < deadline
            time.sleep(0.02)

    follower = Follower(pg, on_change).start()
    other = open_store(postgres_url)
    try:
        until(lambda: pg.known_generation() == pg._read_generation())
        other.import_records([make_record("second")], author="t", message="m")
        busy.wait(10)
        # Told of the write, and busy following it: notices may wait unread, so it asks.
        assert pg.known_generation() is None
        other.import_records([make_record("third")], author="t", message="m")
        release.set()
        until(lambda: pg.known_generation() == other.generation())
        pg.import_records([make_record("fourth")], author="t", message="m")
        # Its own write is heard at once (the follower may be busy with its NOTIFY by now).
        assert pg._heard == other.generation()
        # A generation moved with a NOTIFY that does not name it: the follower reads it.
        with psycopg.connect(postgres_url, autocommit=True) as direct:
            direct.execute("UPDATE store_meta SET generation = generation + 1 WHERE id = 1")
            direct.execute("NOTIFY casework_changes")
        until(lambda: pg.known_generation() == other.generation())
    finally:
        release.set()
        follower.stop()
        other.close()


def _round_trips(store: PostgresStore, run: Callable[[], object]) -> list[str]:
    """What `run()` waits on the server for, one entry per round trip: a statement sent
    alone, BEGIN and COMMIT included (psycopg sends them itself), or a pipeline of them."""
    trips: list[str] = []
    executed, command, pipeline = (
        psycopg.Cursor.execute,
        psycopg.Connection._exec_command,  # type: ignore[attr-defined]
        psycopg.Connection.pipeline,
    )

    def execute(cursor: psycopg.Cursor, query: object, *args: object, **kwargs: object) -> object:
        if cursor.connection._pipeline is None:  # type: ignore[attr-defined]
            trips.append(str(query))
        return executed(cursor, query, *args, **kwargs)  # type: ignore[arg-type]

    def exec_command(connection: psycopg.Connection, sql: object, *args: object) -> object:
        trips.append(str(sql))
        return command(connection, sql, *args)

    @contextmanager
    def pipelined(connection: psycopg.Connection) -> Iterator[object]:
        trips.append("pipeline")
        with pipeline(connection) as opened:
            yield opened

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(psycopg.Cursor, "execute", execute)
        patch.setattr(psycopg.Connection, "_exec_command", exec_command)
        patch.setattr(psycopg.Connection, "pipeline", pipelined)
        run()
    return trips


def test_a_search_opens_its_snapshot_with_its_matches_and_commits_with_its_page(
    pg: PostgresStore,
) -> None:
    pg.import_records(
        [make_record(f"pier-{i}", title=f"Quayside {i} closed") for i in range(5)]
        + [make_record("harbour-strike", title="Harbour strike")],
        author="t",
        message="m",
    )
    pg.search(Query(text="strike"))  # the facet index built, the statistics counted
    trips = _round_trips(pg, lambda: pg.search(Query(text="quayside")))
    # The snapshot, its generation and the matches of the words in one; the page's records
    # and the COMMIT in one. Before: BEGIN, then the generation, then the matches, ..., then
    # the page, then COMMIT.
    assert trips[0] == "pipeline", trips
    assert trips[-1] == "pipeline", trips
    assert not any("BEGIN" in trip or "COMMIT" in trip for trip in trips), trips
    # The word's count in the short fields (to decide whether it ranks) came with the
    # matches; a tier of the short fields' matches is that same lookup.
    assert not any("search_head @@" in trip for trip in trips), trips
    assert pg.search(Query(text="quayside")).total == 5
    assert pg.search(Query(text="nowhere")).total == 0  # no page: committed on its own
