"""The worker: runs queued jobs (an article to ingest, a link check) one at a time until the
queue is empty or it is stopped, and between jobs does the periodic work it was asked to
(queueing a link check, signing a checkpoint). Several workers, processes or machines, may
run at once on one database: the queue gives each job to one of them (`store.jobs`).

It prints nothing itself: `say` gets one line per job and per periodic act, `note` what the
signing says, so that the command line (`casework worker`) chooses where they go.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casework.store.jobs import Jobs
    from casework.tracker import Tracker


@dataclass
class Worked:
    """What a worker did before it returned."""

    done: int = 0
    failed: int = 0  # jobs that failed for good (a failed attempt that is retried is not)
    stopped: bool = False  # by Ctrl-C, rather than finding the queue empty


def worker_name() -> str:
    """How this worker is named in the queue (a running job's worker): host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def jobs_of(store: Any) -> Jobs:
    jobs: Jobs = store.jobs
    return jobs


def work(
    tracker: Tracker,
    name: str,
    *,
    once: bool,
    poll: float,
    links_every: timedelta | None,
    checkpoint_every: timedelta | None,
    say: Callable[[str], None],
    note: Callable[[str], None],
    describe: Callable[[BaseException], str],
    failing: Callable[[], None] = lambda: None,
) -> Worked:
    """Claim and run jobs until the queue is empty (`once`) or Ctrl-C, looking again every
    `poll` seconds. A job that raises fails (queued again until its attempts run out) with
    `describe(error)` as its error, `failing()` called first within the handler (to show a
    traceback); a job held when Ctrl-C comes goes back to the queue, its attempt not
    counted."""
    from casework.evidence.checkpoint import checkpoint_due, sign_now
    from casework.evidence.links import queue_if_due
    from casework.store.jobs import JobError

    jobs = jobs_of(tracker.store)
    worked = Worked()
    held: int | None = None
    try:
        while True:
            if links_every is not None and (queued := queue_if_due(jobs, links_every)) is not None:
                say(f"Queued link check: job {queued}.")
            if checkpoint_every is not None and checkpoint_due(
                tracker.config.root, checkpoint_every
            ):
                made = sign_now(tracker.store, tracker.config.root, say=note)
                say(f"Signed a checkpoint at {made.checkpoint['time']}.")
            job = jobs.claim(name)
            if job is None:
                if once:
                    break
                time.sleep(poll)
                continue
            held = job.id
            try:
                result, summary = run_job(tracker, job)
            except KeyboardInterrupt:
                raise
            except Exception as error:  # a job's failure, whatever it is, is the job's
                failing()
                ended = jobs.fail(job.id, describe(error))
                held = None
                if ended.status == "failed":
                    worked.failed += 1
                    tail = f"failed for good after {ended.attempts} attempts"
                else:
                    tries = f"attempt {ended.attempts} of {ended.max_attempts}"
                    tail = f"failed ({tries}, queued again)"
                say(f"job {job.id} {tail}: {ended.error}")
            else:
                jobs.finish(job.id, result)
                held = None
                worked.done += 1
                say(f"job {job.id} done: {summary}")
    except KeyboardInterrupt:
        if held is not None:
            try:  # back to the queue: the next worker takes it, the attempt not counted
                jobs.release(held)
            except JobError:
                pass
        worked.stopped = True
    return worked


def run_job(tracker: Tracker, job: Any) -> tuple[str, str]:
    """Run one claimed job: (its result — a proposal id, a link report's id —, a one-line
    summary)."""
    from casework.ingest.pipeline import ingest as run_ingest

    if job.kind == "links":
        from casework.evidence import links

        baseline = links.tracker_baseline(tracker)
        return links.run_job(tracker.store, job.payload, baseline, origin=f"job {job.id}")
    if job.kind != "ingest":
        raise ValueError(f"job kind {job.kind!r} is not one this worker runs")
    payload = job.payload
    if not isinstance(payload.get("source"), str):
        raise ValueError("the job's payload names no source")
    proposal = run_ingest(
        payload["source"],
        tracker.store,
        tracker.site,
        tracker.config.root,
        target=payload.get("target"),
        url=payload.get("url"),
        extract_seconds=tracker.config.extract_seconds,
    )
    target = proposal.target or "a new draft record"
    return proposal.id, f"proposal {proposal.id} for {target} ({len(proposal.items)} items)"
