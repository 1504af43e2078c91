"""Link-health reports and the per-URL cache (store/link_reports.py) on a real SQLite file and
a real PostgreSQL database: the latest report, the last 50 kept, each URL's last result
replaced, a URL longer than any index key, and the migration agreeing with schema.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from casework.store.base import Store
from casework.store.copy import engine_of
from casework.store.link_reports import KEEP_REPORTS
from casework.store.schema import link_reports, metadata

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def test_the_latest_report_and_the_last_fifty_kept(store: Store) -> None:
    reports = store.link_reports
    assert reports.latest() is None
    generation = store.generation()
    for n in range(KEEP_REPORTS + 5):
        reports.save(
            {"n": n, "findings": []}, origin=f"job {n}", created_at=T0 + timedelta(minutes=n)
        )
    latest = reports.latest()
    assert latest is not None
    assert latest.report == {"n": KEEP_REPORTS + 4, "findings": []}
    assert latest.origin == f"job {KEEP_REPORTS + 4}"
    assert latest.created_at == T0 + timedelta(minutes=KEEP_REPORTS + 4)
    with engine_of(store).connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(link_reports)).scalar_one()
            == KEEP_REPORTS
        )
    assert store.generation() == generation  # a report is not a record


def test_each_urls_last_result_replaces_the_one_before(store: Store) -> None:
    cache = store.link_reports
    long_url = "https://news.example.org/" + "a" * 5000
    cache.remember(
        [("https://a.example.org/1", T0, {"kind": "ok"}), (long_url, T0, {"kind": "dead"})]
    )
    cache.remember([("https://a.example.org/1", T0 + timedelta(hours=2), {"kind": "moved"})])
    urls = ["https://a.example.org/1", long_url, "https://never.example.org/"]
    assert cache.recent(urls, T0) == {
        "https://a.example.org/1": {"kind": "moved"},
        long_url: {"kind": "dead"},
    }
    assert cache.recent(urls, T0 + timedelta(hours=1)) == {
        "https://a.example.org/1": {"kind": "moved"}
    }
    assert cache.recent([], T0) == {}
    cache.remember([])


def test_migration_0010_builds_what_schema_py_describes(store: Store) -> None:
    with engine_of(store).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [change for change in diff if "link_" in repr(change)] == []
