"""The job queue on a real SQLite file and on a real PostgreSQL database (a fresh one per
test): the life of a job, retries, leases that run out, and several processes claiming from
one queue at once without ever taking the same job twice."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from casework.store.jobs import Job, JobError, JobNotFound, JobNotRunning, Jobs, JobStatus
from casework.store.migrate import migrate_engine
from casework.store.sqlite import SQLiteStore
from tests.store.pg import fresh_database


@contextmanager
def opened(url: str, clock: Callable[[], datetime] | None = None) -> Iterator[Jobs]:
    """The queue in the database at `url`, through the engine the store would use (SQLite:
    the SQLite store's own, with its connection settings)."""
    if url.startswith("sqlite:"):
        store = SQLiteStore(url)
        try:
            yield store.jobs if clock is None else Jobs(store._engine, clock=clock)
        finally:
            store.close()
        return
    # Until the PostgreSQL store lands: its engine, migrated the same way.
    engine = create_engine(url)
    try:
        migrate_engine(engine)
        yield Jobs(engine) if clock is None else Jobs(engine, clock=clock)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    with fresh_database("casework_jobs") as made:
        yield made


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_enqueue_claim_finish(url: str) -> None:
    with opened(url) as jobs:
        first = jobs.enqueue("ingest", {"source": "/a.md", "target": None, "url": None})
        second = jobs.enqueue("ingest", {"source": "https://news.example.org/x"})
        assert second > first
        job = jobs.claim("w1")
        assert job is not None
        assert (job.id, job.status, job.attempts, job.worker) == (first, "running", 1, "w1")
        assert job.payload == {"source": "/a.md", "target": None, "url": None}
        assert job.lease_until is not None and job.lease_until > job.started_at
        done = jobs.finish(job.id, "20260302-090000-abc123")
        assert (done.status, done.proposal_id, done.error) == (
            "done",
            "20260302-090000-abc123",
            None,
        )
        assert done.finished_at is not None and done.lease_until is None
        with pytest.raises(JobNotRunning, match="is done"):
            jobs.finish(job.id, "again")
        nxt = jobs.claim("w2")
        assert nxt is not None and nxt.id == second
        assert jobs.claim("w3") is None  # the one left is running
        assert [j.id for j in jobs.list()] == [first, second]
        assert [j.id for j in jobs.list("running")] == [second]
        assert jobs.counts()[JobStatus.done] == 1
        with pytest.raises(JobNotFound, match="no job with id 999"):
            jobs.get(999)


def test_bad_input_is_refused_with_one_line(url: str) -> None:
    with opened(url) as jobs:
        with pytest.raises(JobError, match="unknown job kind 'scrape'"):
            jobs.enqueue("scrape", {})
        with pytest.raises(JobError, match="not JSON"):
            jobs.enqueue("ingest", {"source": object()})
        with pytest.raises(JobError, match="unknown job status 'lost'"):
            jobs.list("lost")
        with pytest.raises(JobError, match="lease must be positive"):
            jobs.claim("w", timedelta(0))
        assert jobs.list() == []


def test_a_failing_job_is_retried_then_failed_with_its_error(url: str) -> None:
    with opened(url) as jobs:
        job_id = jobs.enqueue("ingest", {"source": "/gone.md"})
        seen: list[Job] = []
        for attempt in (1, 2, 3):
            job = jobs.claim("w1")
            assert job is not None and job.id == job_id and job.attempts == attempt
            seen.append(jobs.fail(job_id, f"/gone.md: no such file\n(try {attempt})"))
        assert [j.status for j in seen] == ["queued", "queued", "failed"]
        assert seen[0].error == "/gone.md: no such file (try 1)"  # kept, on one line
        final = jobs.get(job_id)
        assert (final.status, final.attempts, final.error) == (
            "failed", 3, "/gone.md: no such file (try 3)"
        )  # fmt: skip
        assert final.finished_at is not None
        assert jobs.claim("w1") is None
        with pytest.raises(JobNotRunning):
            jobs.fail(job_id, "again")


def test_release_puts_a_job_back_without_counting_the_attempt(url: str) -> None:
    with opened(url) as jobs:
        job_id = jobs.enqueue("ingest", {"source": "/a.md"})
        assert jobs.claim("w1") is not None
        back = jobs.release(job_id)
        assert (back.status, back.attempts) == ("queued", 0)
        again = jobs.claim("w2")
        assert again is not None and (again.id, again.attempts, again.worker) == (job_id, 1, "w2")


def test_a_job_whose_lease_ran_out_is_claimed_again(url: str) -> None:
    clock = Clock()
    with opened(url, clock) as jobs:
        job_id = jobs.enqueue("ingest", {"source": "/a.md"}, max_attempts=2)
        held = jobs.claim("crashed", timedelta(minutes=5))
        assert held is not None and held.id == job_id
        clock.now += timedelta(minutes=4)
        assert jobs.claim("w2") is None  # still leased
        clock.now += timedelta(minutes=2)
        taken = jobs.claim("w2", timedelta(minutes=5))
        assert taken is not None and (taken.id, taken.worker, taken.attempts) == (job_id, "w2", 2)
        assert taken.error is not None and "crashed" in taken.error
        # The second worker dies too, on the last attempt: the job ends failed, not queued.
        clock.now += timedelta(minutes=6)
        assert jobs.claim("w3") is None
        final = jobs.get(job_id)
        assert final.status == "failed" and final.error is not None and "w2" in final.error
        # A worker whose lease ran out cannot finish a job that is no longer running.
        with pytest.raises(JobNotRunning):
            jobs.finish(job_id, "late")


def _drain(url: str, name: str, start: Any, results: Any) -> None:
    """One worker process: claim until the queue is empty, finishing each job with its own
    name, and report the ids it took."""
    taken: list[int] = []
    with opened(url) as jobs:
        start.wait()
        while (job := jobs.claim(name)) is not None:
            taken.append(job.id)
            jobs.finish(job.id, f"{name}:{job.id}")
    results.put((name, taken))


def test_four_processes_take_every_job_exactly_once(url: str) -> None:
    with opened(url) as jobs:
        ids = [jobs.enqueue("ingest", {"source": f"/articles/{n}.md"}) for n in range(200)]
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(4)
    results = context.Queue()
    workers = [
        context.Process(target=_drain, args=(url, f"w{n}", start, results)) for n in range(4)
    ]
    for process in workers:
        process.start()
    reports = dict(results.get(timeout=300) for _ in workers)
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0
    taken = [job_id for name in reports for job_id in reports[name]]
    assert len(taken) == len(set(taken)) == 200  # none taken twice, none left
    assert sorted(taken) == ids
    with opened(url) as jobs:
        final = jobs.list()
    assert {j.status for j in final} == {JobStatus.done}
    assert {j.attempts for j in final} == {1}
    for job in final:  # each was finished by the one worker that took it
        assert job.worker is not None and job.id in reports[job.worker]
        assert job.proposal_id == f"{job.worker}:{job.id}"


def test_migration_0004_builds_what_schema_py_describes(url: str) -> None:
    """The jobs table from the migration and from schema.py agree, on both engines."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from casework.store.schema import metadata

    with opened(url):  # migrated to head
        pass
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert [change for change in diff if "jobs" in repr(change)] == []
