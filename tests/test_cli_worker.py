"""`casework ingest --queue`, `casework worker` and `casework jobs` end to end on a real
tracker: a queued article becomes a proposal file and a done job; a job whose file went
missing fails three times and ends failed with its error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from casework.tracker import open_tracker
from tests.test_cli import cw, one_line_error

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"
ARTICLE = ARTICLES / "estmark-landmine-memo.md"
SLUG = "estmark-antipersonnel-mine-ban-reversal"
URL = "https://dailyvoice.example.org/2025/12/23/estmark-landmines"


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    folder = tmp_path / "t"
    assert cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")[0] == 0
    code, _, err = cw(folder, "import", str(ARTICLES / "records.ndjson"))
    assert code == 0, err
    return folder


def test_a_queued_article_becomes_a_proposal(tracker: Path) -> None:
    code, out, err = cw(tracker, "ingest", str(ARTICLE), "--queue", "--url", URL)
    assert code == 0, err
    assert out.startswith("Queued job 1: ") and str(ARTICLE) in out
    with open_tracker(tracker) as opened:
        assert opened.store.proposals.list(None) == []  # nothing ran yet

    code, out, _ = cw(tracker, "jobs")
    assert code == 0 and "queued" in out and "0/3" in out

    code, out, err = cw(tracker, "worker", "--once")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].startswith("job 1 done: proposal ") and SLUG in lines[0]
    assert lines[-1] == "No more queued jobs: 1 done, 0 failed."

    with open_tracker(tracker) as opened:
        job = opened.store.jobs.get(1)  # type: ignore[attr-defined]
        proposal = opened.store.proposals.get(job.proposal_id)
    assert (job.status, job.attempts, job.error) == ("done", 1, None)
    assert proposal["status"] == "open" and not (tracker / "proposals").exists()
    assert proposal["target"] == SLUG
    assert any(
        item["kind"] == "source" and item["value"]["url"] == URL for item in proposal["items"]
    )

    code, out, _ = cw(tracker, "jobs", "--status", "done")
    assert code == 0 and job.proposal_id in out


def test_a_job_whose_file_went_missing_fails_after_three_attempts(
    tracker: Path, tmp_path: Path
) -> None:
    moved = tmp_path / "moved.md"
    shutil.copy(ARTICLE, moved)
    assert cw(tracker, "ingest", str(moved), "--queue")[0] == 0
    moved.unlink()  # gone before a worker gets to it

    code, out, _ = cw(tracker, "worker", "--once")
    assert code == 1  # a job failed for good
    lines = out.strip().splitlines()
    assert lines[0].startswith("job 1 failed (attempt 1 of 3, queued again): ")
    assert lines[1].startswith("job 1 failed (attempt 2 of 3, queued again): ")
    assert lines[2].startswith("job 1 failed for good after 3 attempts: ")
    assert lines[-1] == "No more queued jobs: 0 done, 1 failed."
    with open_tracker(tracker) as opened:
        job = opened.store.jobs.get(1)  # type: ignore[attr-defined]
    assert (job.status, job.attempts) == ("failed", 3)
    assert job.error is not None and "moved.md" in job.error
    with open_tracker(tracker) as opened:
        assert opened.store.proposals.list(None) == []

    code, out, _ = cw(tracker, "jobs", "--status", "failed")
    assert code == 0 and "failed" in out and "3/3" in out


def test_queueing_refuses_what_would_only_fail_later(tracker: Path, tmp_path: Path) -> None:
    code, _, err = cw(tracker, "ingest", str(tmp_path / "nowhere.md"), "--queue")
    one_line_error(code, err, "nowhere.md", "no such file")
    code, _, err = cw(tracker, "ingest", str(ARTICLE), "--queue", "--record", "no-such-record")
    one_line_error(code, err, "no-such-record")
    code, _, err = cw(tracker, "jobs", "--status", "lost")
    one_line_error(code, err, "unknown job status 'lost'")
    code, out, _ = cw(tracker, "jobs")
    assert code == 0 and out.strip() == "No jobs."
