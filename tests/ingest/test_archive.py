"""archive() and read_archived(): WARC files warcio reads, content-addressed, never modified."""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from casework.ingest.archive import ArchiveError, archive, archive_path, read_archived
from casework.ingest.fetch import Fetched, FetchPolicy, fetch
from tests.ingest.test_fetch import ARTICLE, Server, serving

LOCAL = FetchPolicy(allow_private=frozenset({"127.0.0.1"}))


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serving() as running:
        yield running


def made(body: bytes, url: str = "https://news.example/story", **changes: object) -> Fetched:
    """A Fetched as fetch() would make it, for tests about storing rather than fetching."""
    fields: dict[str, object] = {
        "url": url,
        "status": 200,
        "headers": [("Content-Type", "text/html; charset=utf-8"), ("Server", "test")],
        "body": body,
        "content_type": "text/html; charset=utf-8",
        "fetched_at": datetime(2025, 12, 23, 9, 30, 15, 123456, tzinfo=UTC),
        "sha256": hashlib.sha256(body).hexdigest(),
        "redirects": [],
        "reason": "OK",
        "request_headers": [("Host", "news.example"), ("User-Agent", "casework/test")],
        "address": "203.0.113.7",
    }
    fields.update(changes)
    return Fetched(**fields)  # type: ignore[arg-type]


def records(path: Path) -> list[tuple[str, dict[str, str], bytes]]:
    with path.open("rb") as stream:
        return [
            (record.rec_type, dict(record.rec_headers.headers), record.content_stream().read())
            for record in ArchiveIterator(stream, check_digests="raise")
        ]


def test_a_fetched_page_round_trips_through_its_archive(server: Server, tmp_path: Path) -> None:
    fetched = fetch(f"{server.base}/redirect", policy=LOCAL)
    stored = archive(fetched, tmp_path)
    assert read_archived(stored.path) == fetched
    assert (stored.url, stored.fetched_at, stored.reused) == (
        fetched.url,
        fetched.fetched_at,
        False,
    )


def test_a_gzip_fetched_page_is_stored_decoded_and_round_trips(
    server: Server, tmp_path: Path
) -> None:
    fetched = fetch(f"{server.base}/gzip", policy=LOCAL)
    stored = archive(fetched, tmp_path)
    assert read_archived(stored.path) == fetched
    # warcio, which decodes what the stored headers say is encoded, gets the page itself.
    (response,) = [body for kind, _, body in records(stored.path) if kind == "response"]
    assert response == ARTICLE


def test_the_file_is_named_by_the_body_sha256(tmp_path: Path) -> None:
    body = b"<p>Forty-one people were detained.</p>"
    digest = hashlib.sha256(body).hexdigest()
    stored = archive(made(body), tmp_path)
    assert stored.path == tmp_path / digest[:2] / f"{digest}.warc.gz"
    assert stored.path == archive_path(tmp_path, digest)
    assert stored.sha256 == digest
    assert [p.name for p in stored.path.parent.iterdir()] == [stored.path.name]  # no temp left


def test_the_file_is_read_only(tmp_path: Path) -> None:
    stored = archive(made(b"<p>kept</p>"), tmp_path)
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o444


def test_the_same_body_twice_reuses_the_file_untouched(tmp_path: Path) -> None:
    first = archive(made(b"<p>same</p>"), tmp_path)
    before = (first.path.read_bytes(), first.path.stat().st_mtime_ns, first.path.stat().st_ino)
    later = made(
        b"<p>same</p>",
        url="https://mirror.example/copy",
        fetched_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    second = archive(later, tmp_path)
    assert second.path == first.path
    assert second.reused
    # What the file holds: the first fetch, not the second.
    assert (second.url, second.fetched_at) == (first.url, first.fetched_at)
    after = (first.path.read_bytes(), first.path.stat().st_mtime_ns, first.path.stat().st_ino)
    assert after == before


def test_different_bodies_get_different_files(tmp_path: Path) -> None:
    one = archive(made(b"<p>one</p>"), tmp_path)
    two = archive(made(b"<p>two</p>"), tmp_path)
    assert one.path != two.path
    assert read_archived(one.path).body == b"<p>one</p>"
    assert read_archived(two.path).body == b"<p>two</p>"


def test_warcio_finds_a_request_and_a_response_with_their_warc_headers(tmp_path: Path) -> None:
    body = b"<p>Ottawa Convention</p>"
    fetched = made(body, redirects=["http://news.example/story"])
    stored = archive(fetched, tmp_path)
    found = records(stored.path)  # check_digests="raise": every digest is verified
    assert sorted(kind for kind, _, _ in found) == ["request", "response"]
    (request,) = [headers for kind, headers, _ in found if kind == "request"]
    ((response, payload),) = [(h, b) for kind, h, b in found if kind == "response"]
    assert payload == body
    assert response["WARC-Target-URI"] == request["WARC-Target-URI"] == fetched.url
    assert response["WARC-Date"] == request["WARC-Date"] == "2025-12-23T09:30:15.123456Z"
    b32 = base64.b32encode(hashlib.sha256(body).digest()).decode()
    assert response["WARC-Payload-Digest"] == f"sha256:{b32}"
    assert response["WARC-IP-Address"] == "203.0.113.7"
    assert request["WARC-Concurrent-To"] == response["WARC-Record-ID"]


def test_the_http_status_line_and_headers_are_the_real_ones(tmp_path: Path) -> None:
    stored = archive(made(b"gone", status=410, reason="Gone"), tmp_path)
    with stored.path.open("rb") as stream:
        kinds = {record.rec_type: record for record in ArchiveIterator(stream)}
        response = kinds["response"].http_headers
        assert (response.protocol, response.statusline) == ("HTTP/1.1", "410 Gone")
        assert response.get_header("Server") == "test"
    with stored.path.open("rb") as stream:
        request = next(r for r in ArchiveIterator(stream) if r.rec_type == "request")
        assert request.http_headers.get_header("User-Agent") == "casework/test"
        assert request.http_headers.to_str().startswith("GET /story HTTP/1.1")


def test_the_file_is_gzip_member_per_record(tmp_path: Path) -> None:
    stored = archive(made(b"<p>zipped</p>"), tmp_path)
    raw = stored.path.read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    assert gzip.decompress(raw).startswith(b"WARC/1.1\r\n")


def test_an_altered_archive_is_refused_on_reading(tmp_path: Path) -> None:
    stored = archive(made(b"<p>original</p>"), tmp_path)
    elsewhere = tmp_path / "ab" / f"{'ab' * 32}.warc.gz"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(stored.path.read_bytes())
    with pytest.raises(ArchiveError, match="does not match the SHA-256 in its name"):
        read_archived(elsewhere)


def test_a_file_that_is_not_a_warc_is_one_clear_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"not a warc at all")
    with pytest.raises(ArchiveError) as caught:
        read_archived(junk)
    assert str(caught.value).startswith(f"{junk}: ")
    assert "\n" not in str(caught.value)


def test_a_body_that_does_not_match_its_digest_is_not_stored(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="does not match its sha256"):
        archive(made(b"<p>body</p>", sha256="0" * 64), tmp_path)
    assert not any(tmp_path.iterdir())


def test_a_corrupt_file_in_the_way_is_reported_not_replaced(tmp_path: Path) -> None:
    body = b"<p>in the way</p>"
    path = archive_path(tmp_path, hashlib.sha256(body).hexdigest())
    path.parent.mkdir()
    path.write_bytes(b"half a file")
    os.chmod(path, 0o444)
    with pytest.raises(ArchiveError, match="not a readable WARC file"):
        archive(made(body), tmp_path)
    assert path.read_bytes() == b"half a file"
