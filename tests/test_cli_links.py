"""`casework check --links` and `casework worker --links-every` end to end on a real tracker
whose records cite pages of a real local server (tests/evidence/linkserver.py). The fetch
policy is the one thing replaced, to let the checker reach the loopback server, as ingest's
tests do; and the baseline, to the captures the test takes (captures are another module's)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from casework.evidence import links
from casework.evidence.links import Captured
from casework.model import Status
from casework.tracker import open_tracker
from tests.evidence.linkserver import LinkServer, link_server
from tests.store.factories import make_record
from tests.test_cli import cw, one_line_error

CAPTURED = ["/story/healthy", "/dies", "/retracted", "/old-home"]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LinkServer]:
    # The table's rows on one line each. (The console reads COLUMNS as it prints: setting its
    # width instead would leave it fixed once the test restored it, for every later test.)
    monkeypatch.setenv("COLUMNS", "250")
    with link_server() as running:
        monkeypatch.setattr(links, "default_settings", running.settings)
        yield running


@pytest.fixture
def captures(server: LinkServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, Captured]:
    taken = {server.url(p): server.capture(server.url(p)) for p in CAPTURED}
    server.edition = 2
    monkeypatch.setattr(links, "tracker_baseline", lambda tracker: taken.get)
    return taken


@pytest.fixture
def tracker(tmp_path: Path, server: LinkServer) -> Path:
    folder = tmp_path / "t"
    assert cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")[0] == 0

    def source(path: str) -> dict[str, str]:
        return {"url": server.url(path), "title": "Report", "publisher": "Courier"}

    with open_tracker(folder) as opened:
        opened.store.create(
            make_record("water-point", sources=[source(p) for p in CAPTURED]),
            author="seed",
            message="seed",
            status=Status.published,
        )
        opened.store.create(
            make_record("clinic-cases", sources=[source("/fresh")]),
            author="seed",
            message="seed",
            status=Status.draft,
        )
    return folder


def revisions(folder: Path) -> dict[str, int]:
    with open_tracker(folder) as opened:
        return {s.record.slug: s.revision for s in opened.store.iter_records()}


def test_check_links_prints_a_table_and_exits_1_on_dead_or_drifted(
    tracker: Path, captures: dict[str, Captured], server: LinkServer
) -> None:
    before = revisions(tracker)
    code, out, err = cw(tracker, "check", "--links", "--per-host-delay", "0")
    assert code == 1, err
    assert "Link health" in out
    for word in ("dead", "drifted", "moved", "never-captured", "ok", "HTTP 404"):
        assert word in out
    assert "water-point sources.1.url" in out
    assert out.strip().splitlines()[-1] == (
        "5 URLs in 2 records checked (5 fetched): 1 dead, 1 moved, 1 drifted, "
        "1 never-captured, 1 ok."
    )
    assert revisions(tracker) == before  # findings change no record


def test_check_links_json_and_the_cache(
    tracker: Path, captures: dict[str, Captured], server: LinkServer
) -> None:
    code, out, _ = cw(tracker, "check", "--links", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["counts"] == {
        "dead": 1, "blocked": 0, "moved": 1, "drifted": 1, "never-captured": 1, "ok": 1,
    }  # fmt: skip
    kinds = {f["url"]: f["kind"] for f in data["findings"]}
    assert kinds[server.url("/dies")] == "dead" and kinds[server.url("/retracted")] == "drifted"
    dead = next(f for f in data["findings"] if f["kind"] == "dead")
    assert dead["status"] == 404
    assert dead["records"] == [
        {"slug": "water-point", "field": "sources.1.url", "status": "published"}
    ]
    asked = sum(server.requests.values())
    code, out, _ = cw(tracker, "check", "--links", "--json")
    again = json.loads(out)
    assert sum(server.requests.values()) == asked and again["fetched"] == 0
    assert all(f["cached"] for f in again["findings"])
    code, out, _ = cw(tracker, "check", "--links", "--json", "--fresh")
    assert json.loads(out)["fetched"] == 5


def test_check_links_of_named_records(tracker: Path, server: LinkServer) -> None:
    server.edition = 2
    code, out, err = cw(tracker, "check", "--links", "--json", "clinic-cases")
    assert code == 0, err  # never captured is not a failure
    data = json.loads(out)
    assert [f["kind"] for f in data["findings"]] == ["never-captured"]
    code, _, err = cw(tracker, "check", "--links", "no-such-record")
    one_line_error(code, err, "no-such-record")


def test_check_without_links_is_unchanged(tracker: Path) -> None:
    code, out, _ = cw(tracker, "check")
    assert "2 records checked" in out
    code, _, err = cw(tracker, "check", "--json")
    one_line_error(code, err, "--links")


def test_the_worker_queues_and_runs_a_link_check_when_due(
    tracker: Path, captures: dict[str, Captured], server: LinkServer
) -> None:
    before = revisions(tracker)
    code, out, err = cw(tracker, "worker", "--once", "--links-every", "24h")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0] == "Queued link check: job 1."
    assert lines[1].startswith("job 1 done: link check of 5 URLs in 2 records: 1 dead")
    with open_tracker(tracker) as opened:
        job = opened.store.jobs.get(1)  # type: ignore[attr-defined]
        latest = links.latest_report(opened.store)
    assert job.kind == "links" and job.status == "done"
    assert latest is not None and latest[1] == "job 1" and len(latest[0].findings) == 5
    assert revisions(tracker) == before
    # Not due again for a day: nothing queued, nothing run.
    code, out, _ = cw(tracker, "worker", "--once", "--links-every", "24h")
    assert code == 0 and "Queued" not in out and "0 done" in out
    code, _, err = cw(tracker, "worker", "--once", "--links-every", "soon")
    one_line_error(code, err, "soon", "duration")


def test_check_links_compares_with_the_trackers_own_captures(
    tracker: Path, server: LinkServer
) -> None:
    """No baseline handed in: the pages are captured into the tracker's archive (as `casework
    archive` does), then changed; `check --links` compares with those WARC files."""
    from casework.evidence.captures import Captures, capture_records

    with open_tracker(tracker) as opened:
        captures = Captures.of(opened.store, tracker)
        run = capture_records(opened.store, captures, ["water-point"], policy=server.policy())
        assert len(run.kept) == 4  # all four pages answer at edition 1
    server.edition = 2
    code, out, err = cw(tracker, "check", "--links", "--json", "--per-host-delay", "0")
    assert code == 1, err
    kinds = {f["url"]: f["kind"] for f in json.loads(out)["findings"]}
    assert kinds == {
        server.url("/story/healthy"): "ok",
        server.url("/dies"): "dead",
        server.url("/retracted"): "drifted",  # the retraction added since the capture
        server.url("/old-home"): "moved",
        server.url("/fresh"): "never-captured",  # only a draft cites it; nobody captured it
    }
