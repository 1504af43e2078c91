"""Captures: the sources of a record fetched from a real local server, kept as WARC files by
content address, every attempt in the store's index (each engine), nothing about the record
changed."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from casework.evidence.captures import (
    Captures,
    capture_records,
    engine_of,
    entries,
    record_urls,
    text_sha256,
)
from casework.ingest.archive import ArchiveError, archive_path, read_archived
from casework.ingest.pipeline import read_source
from casework.model import Record, Status
from casework.store.base import RecordNotFound, Store
from casework.store.schema import captures as captures_table
from tests.evidence.conftest import ARTICLE, LOCAL, NOTICE
from tests.store.factories import make_record

SLUG = "hostel-raid"


def raid_record(base: str, slug: str = SLUG) -> Record:
    return make_record(
        slug,
        title="Night raid on a workers' hostel",
        sources=[
            {"url": f"{base}/raid", "title": "Residents describe the raid", "publisher": "Ledger"},
            {"url": f"{base}/old-raid", "title": "Same story, old address", "publisher": "Ledger"},
            {"url": f"{base}/gone", "title": "A page taken down", "publisher": "Gazette"},
        ],
        documents=[{"title": "Notice on the door", "url": f"{base}/notice.txt", "kind": "notice"}],
    )


def index_rows(store: Store) -> list[tuple[str, int, str, str]]:
    with engine_of(store).connect() as conn:
        rows = conn.execute(
            select(
                captures_table.c.url,
                captures_table.c.status,
                captures_table.c.sha256,
                captures_table.c.error,
            ).order_by(captures_table.c.id)
        ).all()
    return [(r.url, r.status, r.sha256, r.error) for r in rows]


def test_capturing_a_record_keeps_each_body_once_by_its_sha256_and_indexes_every_attempt(
    store: Store, sources: str, tmp_path: Path
) -> None:
    store.create(raid_record(sources), author="t", message="m", status=Status.published)
    before = store.get(SLUG)
    history = len(store.history(SLUG))
    captures = Captures(engine_of(store), tmp_path / "archive")

    run = capture_records(store, captures, [SLUG], policy=LOCAL)

    assert run.records == 1
    assert [c.url for c in run.attempts] == record_urls(before.record)
    raid, moved, gone, notice = run.attempts
    article_sha = hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert raid.sha256 == article_sha and raid.status == 200 and raid.final_url == raid.url
    # A redirect is captured where it ended; the same body is the same file.
    assert moved.final_url == f"{sources}/raid" and moved.sha256 == article_sha
    assert notice.sha256 == hashlib.sha256(NOTICE.encode()).hexdigest()
    assert notice.content_type.startswith("text/plain")
    # The failure is kept too: its status, and one line naming the URL and why.
    assert not gone.kept and gone.status == 404 and gone.sha256 == ""
    assert gone.error.startswith(f"cannot fetch {sources}/gone: HTTP 404")
    assert "\n" not in gone.error
    assert run.failures == [gone]

    stored = sorted(p for p in (tmp_path / "archive").rglob("*") if p.is_file())
    assert stored == sorted(
        {archive_path(tmp_path / "archive", s) for s in (article_sha, notice.sha256)}
    )
    for path in stored:
        kept = read_archived(path)  # raises unless the body matches its name
        assert hashlib.sha256(kept.body).hexdigest() == path.name.removesuffix(".warc.gz")
        assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert stat.S_IMODE((tmp_path / "archive").stat().st_mode) == 0o700
    assert read_archived(captures.warc_path(raid)).body == ARTICLE.encode()

    assert index_rows(store) == [
        (f"{sources}/raid", 200, article_sha, ""),
        (f"{sources}/old-raid", 200, article_sha, ""),
        (f"{sources}/gone", 404, "", gone.error),
        (f"{sources}/notice.txt", 200, notice.sha256, ""),
    ]
    # Evidence, not editing: the record, its revision and its history are as they were.
    after = store.get(SLUG)
    assert after.revision == before.revision and after.record == before.record
    assert len(store.history(SLUG)) == history


def test_the_index_answers_newest_first_and_tells_never_from_failed(
    store: Store, sources: str, tmp_path: Path
) -> None:
    store.create(raid_record(sources), author="t", message="m")
    captures = Captures(engine_of(store), tmp_path / "archive")
    first = captures.capture(f"{sources}/changed", LOCAL)
    second = captures.capture(f"{sources}/changed", LOCAL)
    assert first.sha256 != second.sha256
    never = f"{sources}/never-asked"
    found = captures.captures_for([f"{sources}/changed", never])
    assert found[f"{sources}/changed"] == [second, first]
    assert found[never] == [] and captures.latest(never) is None
    assert captures.latest(never, failed=True) is None
    assert captures.latest(f"{sources}/changed") == second
    failed = captures.capture(f"{sources}/gone", LOCAL)
    assert captures.latest(f"{sources}/gone") is None  # never kept a copy…
    assert captures.latest(f"{sources}/gone", failed=True) == failed  # …but was tried
    assert captures.by_sha256(second.sha256) == [second]
    assert captures.by_sha256("../../etc/passwd") == [] and captures.by_sha256("") == []
    # The times come back as UTC on both engines.
    assert second.captured_at.utcoffset() is not None
    # What the link checker compares: the text, which changed, and its hash.
    assert "Version 1" in captures.text_of(first) and "Version 2" in captures.text_of(second)
    assert second.text_sha256 == text_sha256(captures.text_of(second))
    assert captures.text_of(failed) == ""


def test_text_of_reads_the_stored_warc_again_and_refuses_an_altered_one(
    store: Store, sources: str, tmp_path: Path
) -> None:
    root = tmp_path / "archive"
    raid = Captures(engine_of(store), root).capture(f"{sources}/raid", LOCAL)
    fresh = Captures(engine_of(store), root)  # nothing in memory: read from the file
    text = fresh.text_of(raid)
    assert "Eleven men were taken away in vans." in text
    assert "<script" not in text and "stolen" not in text and "pwned" not in text
    assert hashlib.sha256(text.encode()).hexdigest() == raid.text_sha256
    assert fresh.text_of(raid) == text
    notice = fresh.capture(f"{sources}/notice.txt", LOCAL)
    path = fresh.warc_path(raid)
    os.chmod(path, 0o644)
    path.write_bytes(fresh.warc_path(notice).read_bytes())  # swapped behind our back
    with pytest.raises(ArchiveError, match="does not match"):
        Captures(engine_of(store), root).text_of(raid)


def test_a_pdf_document_is_kept_as_it_came_and_its_text_read_from_it(
    store: Store, sources: str, tmp_path: Path
) -> None:
    captures = Captures(engine_of(store), tmp_path / "archive")
    report = captures.capture(f"{sources}/inspection.pdf", LOCAL)
    assert report.kept and report.content_type == "application/pdf"
    body = read_archived(captures.warc_path(report)).body
    assert body.startswith(b"%PDF-") and hashlib.sha256(body).hexdigest() == report.sha256
    text = Captures(engine_of(store), tmp_path / "archive").text_of(report)
    assert "residents must collect their belongings by Monday" in text
    assert report.text_sha256 == text_sha256(text)


def test_all_records_are_captured_when_none_is_named_and_an_unknown_slug_is_refused(
    store: Store, sources: str, tmp_path: Path
) -> None:
    store.create(raid_record(sources), author="t", message="m")  # a draft: captured too
    other = make_record(
        "notice-posted",
        sources=[{"url": f"{sources}/notice.txt", "title": "Notice", "publisher": "Door"}],
    )
    store.create(other, author="t", message="m", status=Status.published)
    captures = Captures(engine_of(store), tmp_path / "archive")
    run = capture_records(store, captures, policy=LOCAL, concurrency=2)
    assert run.records == 2
    assert len(run.attempts) == 4  # the notice is cited twice, fetched once
    with pytest.raises(RecordNotFound):
        capture_records(store, captures, ["no-such-record"], policy=LOCAL)


def test_ingest_archives_what_it_reads_into_the_same_store_and_index(
    store: Store, sources: str, tmp_path: Path
) -> None:
    article, where = read_source(f"{sources}/old-raid", tmp_path, store=store, policy=LOCAL)
    captures = Captures.of(store, tmp_path)
    found = captures.latest(f"{sources}/old-raid")
    assert found is not None and found.sha256 == where["sha256"]
    assert found.final_url == f"{sources}/raid"
    assert found.text_sha256 == text_sha256(article.text) == text_sha256(captures.text_of(found))
    assert captures.warc_path(found) == tmp_path / where["archived"]


def test_the_extension_key_lists_kept_copies_in_source_then_document_order(
    store: Store, sources: str, tmp_path: Path
) -> None:
    store.create(raid_record(sources), author="t", message="m")
    captures = Captures(engine_of(store), tmp_path / "archive")
    capture_records(store, captures, policy=LOCAL)
    capture_records(store, captures, policy=LOCAL)  # the same bodies again
    urls = record_urls(store.get(SLUG).record)
    listed = entries(urls, captures.captures_for(urls))
    assert [e["url"] for e in listed] == [urls[0], urls[1], urls[3]]  # one per body kept
    first = listed[0]
    assert sorted(first) == sorted(
        ["url", "capturedAt", "finalUrl", "status", "sha256", "textSha256", "warc", "text"]
    )
    assert first["warc"] == f"captures/{first['sha256']}.warc.gz"
    assert first["text"] == f"captures/{first['sha256']}.txt"
    assert first["capturedAt"].endswith("Z") and first["status"] == 200


def test_casework_copy_carries_the_index_of_captures_to_the_other_engine(
    store: Store, sources: str, tmp_path: Path
) -> None:
    from casework.store import open_store
    from casework.store.copy import copy_store

    store.create(raid_record(sources), author="t", message="m")
    root = tmp_path / "archive"
    capture_records(store, Captures(engine_of(store), root), policy=LOCAL)
    destination = open_store(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        report = copy_store(store, destination)
        assert report.rows["captures"] == 4
        urls = record_urls(store.get(SLUG).record)
        copied = Captures(engine_of(destination), root)
        assert copied.captures_for(urls) == Captures(engine_of(store), root).captures_for(urls)
        newest = copied.latest(urls[0])
        assert newest is not None and "Eleven men" in copied.text_of(newest)
    finally:
        destination.close()
