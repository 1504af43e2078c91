"""A queue of work in the store's database, claimed by worker processes: `casework ingest
--queue` adds an ingest job, the editor's link-health page (or `casework worker
--links-every`) a links job; `casework worker` takes them one at a time. SQLAlchemy Core, so
that one class serves every engine.

A job goes queued → running → done; a failure puts it back to queued until it has been tried
`max_attempts` times, then it is failed for good with its last error kept. A running job is
held by one worker until `lease_until`: when a worker dies holding it, the lease runs out and
the next claim takes the job back (the lost attempt counts, so a job that kills every worker
that runs it ends failed instead of looping).

Two workers never take the same job:
- PostgreSQL: the claim selects the oldest queued row `FOR UPDATE SKIP LOCKED` and marks it
  running in the same transaction; concurrent claims skip the locked row and take the next.
- SQLite: the claim transaction opens with a write (putting back jobs whose lease ran out), so
  it holds the database's write lock — as `BEGIN IMMEDIATE` would — before it reads which job
  is next; a second claimer waits on that lock (busy timeout) and then sees the job running.
  (The SQLite engine begins SQLAlchemy transactions with a plain `BEGIN`; a transaction that
  read first and wrote later could fail outright under WAL when another claim committed
  in between.)
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, func, insert, select, update
from sqlalchemy.engine import Connection, Engine, Row

from casework.store.base import StoreError
from casework.store.schema import jobs

KINDS = frozenset({"ingest", "links"})
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_LEASE = timedelta(minutes=10)  # well over an ingest's limits (20 s fetch, 5 s PDF)
MAX_PAYLOAD = 100_000  # characters of JSON: a job names its work, it does not carry it
MAX_WORKER_NAME = 200


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    payload: dict[str, Any]
    status: JobStatus
    attempts: int
    max_attempts: int
    error: str | None
    proposal_id: str | None
    worker: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    lease_until: datetime | None


class JobError(StoreError):
    """Base of the queue's errors; the message is one line."""


class JobNotFound(JobError):
    def __init__(self, job_id: int) -> None:
        super().__init__(f"no job with id {job_id}")
        self.job_id = job_id


class JobNotRunning(JobError):
    def __init__(self, job_id: int, status: str) -> None:
        super().__init__(f"job {job_id} is {status}, not running: only a running job can end")
        self.job_id = job_id


def utc_now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime | None) -> datetime | None:
    # SQLite gives times back naive (they are written as UTC); PostgreSQL gives them aware.
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:2000]


def _job(row: Row[*tuple[Any, ...]]) -> Job:
    created = _utc(row.created_at)
    assert created is not None
    return Job(
        id=int(row.id),
        kind=str(row.kind),
        payload=json.loads(row.payload),
        status=JobStatus(row.status),
        attempts=int(row.attempts),
        max_attempts=int(row.max_attempts),
        error=row.error,
        proposal_id=row.proposal_id,
        worker=row.worker,
        created_at=created,
        started_at=_utc(row.started_at),
        finished_at=_utc(row.finished_at),
        lease_until=_utc(row.lease_until),
    )


class Jobs:
    """The job queue in the database behind `engine`. `clock` gives the current time (tests
    move it to run leases out)."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    def enqueue(
        self,
        kind: str,
        payload: Mapping[str, Any],
        *,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> int:
        """A new queued job; its id. Raises JobError for an unknown kind, a payload that is
        not a JSON object (or is too big) or max_attempts below 1."""
        if kind not in KINDS:
            raise JobError(f"unknown job kind {kind!r}: expected one of {', '.join(sorted(KINDS))}")
        if not 1 <= max_attempts <= 100:
            raise JobError(f"max_attempts must be 1 to 100, not {max_attempts}")
        try:
            text = json.dumps(dict(payload), ensure_ascii=False, sort_keys=True)
        except (TypeError, ValueError) as error:
            raise JobError(f"job payload is not JSON: {error}") from None
        if len(text) > MAX_PAYLOAD:
            raise JobError(f"job payload too big: {len(text)} characters, at most {MAX_PAYLOAD}")
        with self._engine.begin() as conn:
            result = conn.execute(
                insert(jobs).values(
                    kind=kind,
                    payload=text,
                    status=JobStatus.queued.value,
                    attempts=0,
                    max_attempts=max_attempts,
                    created_at=self._clock(),
                )
            )
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def claim(self, worker: str, lease: timedelta = DEFAULT_LEASE) -> Job | None:
        """The oldest queued job, now running and held by `worker` until `lease` from now
        (its attempt counted); None when nothing is queued. Jobs whose lease ran out are put
        back first (or failed, when that was their last attempt)."""
        worker = _one_line(worker)
        if not worker or len(worker) > MAX_WORKER_NAME:
            raise JobError(f"a worker needs a name of 1 to {MAX_WORKER_NAME} characters")
        if lease <= timedelta(0):
            raise JobError(f"a lease must be positive, not {lease}")
        now = self._clock()
        with self._engine.begin() as conn:
            # First statement a write: on SQLite it takes the write lock (see the module's
            # docstring); on PostgreSQL it locks only the expired rows it changes.
            self._expire_leases(conn, now)
            chosen = conn.execute(
                select(jobs.c.id)
                .where(jobs.c.status == JobStatus.queued.value)
                .order_by(jobs.c.created_at, jobs.c.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).scalar_one_or_none()
            if chosen is None:
                return None
            conn.execute(
                update(jobs)
                .where(jobs.c.id == chosen, jobs.c.status == JobStatus.queued.value)
                .values(
                    status=JobStatus.running.value,
                    attempts=jobs.c.attempts + 1,
                    worker=worker,
                    started_at=now,
                    finished_at=None,
                    lease_until=now + lease,
                )
            )
            row = conn.execute(select(jobs).where(jobs.c.id == chosen)).one()
        return _job(row)

    def _expire_leases(self, conn: Connection, now: datetime) -> None:
        expired = and_(jobs.c.status == JobStatus.running.value, jobs.c.lease_until < now)
        last = jobs.c.attempts >= jobs.c.max_attempts
        conn.execute(
            update(jobs)
            .where(expired)
            .values(
                status=case((last, JobStatus.failed.value), else_=JobStatus.queued.value),
                error="the worker holding it stopped before its lease ran out (worker "
                + jobs.c.worker
                + ")",
                finished_at=case((last, now), else_=None),
                lease_until=None,
            )
        )

    def finish(self, job_id: int, result: str | None) -> Job:
        """Mark a running job done with its result (an ingest job's proposal id, a links job's
        report id). Raises
        JobNotFound, JobNotRunning."""
        return self._end(
            job_id,
            status=JobStatus.done.value,
            proposal_id=result,
            error=None,
            finished_at=self._clock(),
        )

    def fail(self, job_id: int, error: str) -> Job:
        """A running job's attempt failed: it is queued again, or failed for good when this
        was its last attempt; `error` (one line) is kept either way. Raises JobNotFound,
        JobNotRunning."""
        now = self._clock()
        last = jobs.c.attempts >= jobs.c.max_attempts
        return self._end(
            job_id,
            status=case((last, JobStatus.failed.value), else_=JobStatus.queued.value),
            error=_one_line(error) or "failed",
            finished_at=case((last, now), else_=None),
        )

    def release(self, job_id: int) -> Job:
        """Put a running job back, its attempt not counted: its worker was stopped on
        purpose (Ctrl-C) before it could finish. Raises JobNotFound, JobNotRunning."""
        return self._end(
            job_id, status=JobStatus.queued.value, attempts=jobs.c.attempts - 1, finished_at=None
        )

    def _end(self, job_id: int, **values: Any) -> Job:
        with self._engine.begin() as conn:
            changed = conn.execute(
                update(jobs)
                .where(jobs.c.id == job_id, jobs.c.status == JobStatus.running.value)
                .values(**values, lease_until=None)
            ).rowcount
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
        if row is None:
            raise JobNotFound(job_id)
        if changed != 1:
            raise JobNotRunning(job_id, str(row.status))
        return _job(row)

    def get(self, job_id: int) -> Job:
        """Raises JobNotFound."""
        with self._engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
        if row is None:
            raise JobNotFound(job_id)
        return _job(row)

    def list(self, status: JobStatus | str | None = None) -> builtins.list[Job]:
        """Every job (with `status`, or all), oldest first."""
        query = select(jobs).order_by(jobs.c.created_at, jobs.c.id)
        if status is not None:
            try:
                query = query.where(jobs.c.status == JobStatus(status).value)
            except ValueError:
                expected = ", ".join(s.value for s in JobStatus)
                raise JobError(f"unknown job status {status!r}: expected {expected}") from None
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [_job(row) for row in rows]

    def latest(self, kind: str) -> Job | None:
        """The job of `kind` created last (whatever its status), or None."""
        query = select(jobs).where(jobs.c.kind == kind).order_by(jobs.c.id.desc()).limit(1)
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _job(row)

    def counts(self) -> dict[JobStatus, int]:
        """How many jobs there are in each status."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(jobs.c.status, func.count()).group_by(jobs.c.status)).all()
        found = {status: 0 for status in JobStatus}
        for status, count in rows:
            found[JobStatus(status)] = int(count)
        return found


__all__ = [
    "DEFAULT_LEASE",
    "DEFAULT_MAX_ATTEMPTS",
    "KINDS",
    "Job",
    "JobError",
    "JobNotFound",
    "JobNotRunning",
    "JobStatus",
    "Jobs",
]
