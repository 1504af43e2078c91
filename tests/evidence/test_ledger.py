"""The revision log: every write of every kind appends its revisions in the same transaction,
on both engines; public versions count published states only; existing trackers get their log
from the migration; writers at once still make one chain."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from casework.evidence import verify
from casework.evidence.published import read_public_log, read_versions
from casework.model import Status
from casework.store import open_store
from casework.store.base import Store
from casework.store.migrate import sqlalchemy_url
from tests.store.factories import make_record


def _log(url: str) -> list[tuple[str, int, int | None]]:
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as db:
            rows = db.execute(
                text("SELECT slug, number, public_number FROM revision_log ORDER BY seq")
            ).all()
    finally:
        engine.dispose()
    return [(r[0], r[1], r[2]) for r in rows]


def _every_kind_of_write(store: Store) -> None:
    store.import_records([make_record("ferry-seized")], author="i", message="import")
    store.create(make_record("pier-arrests"), author="a", message="new draft")
    store.save(make_record("pier-arrests", summary="Nine held."), base_revision=1, author="a",
               message="edit")  # fmt: skip
    store.set_status("pier-arrests", Status.published, base_revision=2, author="e", message="p")
    store.save(make_record("pier-arrests", summary="Nine held, two hurt."), base_revision=3,
               author="a", message="edit while published")  # fmt: skip
    store.set_status("pier-arrests", Status.draft, base_revision=4, author="e", message="back")
    store.save(make_record("pier-arrests", summary="Draft work."), base_revision=5, author="a",
               message="draft edit")  # fmt: skip
    store.restore("pier-arrests", 4, base_revision=6, author="e", message="restore")
    store.set_status("pier-arrests", Status.published, base_revision=7, author="e", message="p")
    store.import_records(
        [make_record("ferry-seized", summary="Replaced."), make_record("radio-silenced")],
        author="i",
        message="again",
        replace=True,
    )


def test_every_write_is_logged_and_versions_count_published_states_only(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    _every_kind_of_write(store)
    assert _log(store_url) == [
        ("ferry-seized", 1, 1),
        ("pier-arrests", 1, None),
        ("pier-arrests", 2, None),
        ("pier-arrests", 3, 1),
        ("pier-arrests", 4, 2),
        ("pier-arrests", 5, None),
        ("pier-arrests", 6, None),
        ("pier-arrests", 7, None),
        ("pier-arrests", 8, 3),
        ("ferry-seized", 2, 2),
        ("radio-silenced", 1, 1),
    ]
    engine = store._engine  # type: ignore[attr-defined]
    versions = read_versions(engine, "pier-arrests")
    assert [(v.version, v.number) for v in versions] == [(1, 3), (2, 4), (3, 8)]
    log = read_public_log(engine)
    assert log.full.size == 11 and len(log.leaves) == 6
    assert [v.index for v in log.versions["pier-arrests"]] == [1, 2, 3]
    assert verify.verify_tracker(store, tmp_path) == []


def test_the_migration_logs_an_existing_tracker(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    _every_kind_of_write(store)
    before = _log(store_url)
    store.close()
    # As a tracker made before the log: the schema taken back to 0008 by the migrations' own
    # downgrades (0009 drops the log; later ones what they added).
    from alembic import command

    from casework.store.migrate import _alembic_config

    engine = create_engine(sqlalchemy_url(store_url))
    with engine.begin() as db:
        config = _alembic_config()
        config.attributes["connection"] = db
        command.downgrade(config, "0008")
        assert "revision_log" not in inspect(db).get_table_names()
    engine.dispose()
    reopened = open_store(store_url)  # migrates
    try:
        # The same entries (created_at orders them, as they were written), the same public
        # versions, and a log that verifies.
        assert sorted(_log(store_url)) == sorted(before)
        assert verify.verify_tracker(reopened, tmp_path) == []
        reopened.save(make_record("radio-silenced", summary="After."), base_revision=1,
                      author="a", message="m")  # fmt: skip
        assert _log(store_url)[-1] == ("radio-silenced", 2, 2)
        assert verify.verify_tracker(reopened, tmp_path) == []
    finally:
        reopened.close()


def test_writers_at_once_make_one_chain(store: Store, store_url: str, tmp_path: Path) -> None:
    slugs = [f"record-{n}" for n in range(4)]
    for slug in slugs:
        store.create(make_record(slug), author="a", message="new", status=Status.published)
    errors: list[BaseException] = []

    def edit(slug: str) -> None:
        own = open_store(store_url)
        try:
            for revision in range(1, 6):
                own.save(make_record(slug, summary=f"Edit {revision}."), base_revision=revision,
                         author="a", message="edit")  # fmt: skip
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=edit, args=(slug,)) for slug in slugs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(_log(store_url)) == 4 * 6
    assert verify.verify_tracker(store, tmp_path) == []


def test_a_published_at_read_from_sqlites_text_is_the_canonical_time() -> None:
    """The public log's published-at times: SQLite's text rewritten without parsing it is
    what parsing and formatting it gives (store/history.py canonical_time), and any other
    form is parsed."""
    from datetime import datetime, timedelta, timezone

    from casework.evidence.published import _as_time, _published_at
    from casework.store.history import canonical_time

    for value in [
        "2026-12-05 13:04:24.130200",
        "2026-12-05 13:04:24",
        "2026-12-05 13:04:24.130200+02:00",
        datetime(2026, 1, 2, 3, 4, 5, 6),
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=3))),
    ]:
        assert _published_at(value) == canonical_time(_as_time(value)), value
    assert _published_at("2026-12-05 13:04:24.130200") == "2026-12-05T13:04:24.130200Z"
    assert _published_at(None) == ""
