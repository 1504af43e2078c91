"""The worker loop (casework/ingest/worker.py) on a real tracker: it runs what is queued, one
line per job through `say`, tells a failure's error through `describe` (and `failing` first),
counts a job that failed for good once, and stops when the queue is empty with `once`.
(`casework worker` end to end: tests/test_cli_worker.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

from casework.ingest.worker import jobs_of, work, worker_name
from casework.model import Site
from casework.tracker import init_tracker, open_tracker

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"


def test_it_runs_the_queue_and_counts_a_job_failed_for_good(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    init_tracker(folder, Site(url="https://m.example.org"))
    article = tmp_path / "memo.md"
    shutil.copy(ARTICLES / "estmark-landmine-memo.md", article)
    gone = tmp_path / "gone.md"
    said: list[str] = []
    failures: list[str] = []
    with open_tracker(folder) as tracker:
        jobs = jobs_of(tracker.store)
        first = jobs.enqueue("ingest", {"source": str(article), "target": None, "url": None})
        second = jobs.enqueue("ingest", {"source": str(gone), "target": None, "url": None})
        worked = work(
            tracker,
            worker_name(),
            once=True,
            poll=0.1,
            links_every=None,
            checkpoint_every=None,
            say=said.append,
            note=said.append,
            describe=lambda error: f"described: {error}",
            failing=lambda: failures.append("traceback"),
        )
        assert (worked.done, worked.failed, worked.stopped) == (1, 1, False)
        assert jobs.get(first).status == "done"  # type: ignore[attr-defined]
        failed = jobs.get(second)  # type: ignore[attr-defined]
    assert (failed.status, failed.attempts) == ("failed", 3)
    assert failed.error.startswith("described: ") and "gone.md" in failed.error
    assert said[0].startswith(f"job {first} done: proposal ")
    assert said[1:] == [
        f"job {second} failed (attempt 1 of 3, queued again): {failed.error}",
        f"job {second} failed (attempt 2 of 3, queued again): {failed.error}",
        f"job {second} failed for good after 3 attempts: {failed.error}",
    ]
    assert failures == ["traceback"] * 3
