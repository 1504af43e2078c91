"""Keeping every fetched source: one gzipped WARC file per body, named by the body's SHA-256.

A record cites an article; the article may change or vanish. What was read is kept as it
was read, in the web archives' own format (WARC 1.1, readable by warcio, pywb and the
Internet Archive's tools), so a citation can be checked later against the very bytes.

- Content-addressed: `root/ab/abcdef….warc.gz` for a body whose SHA-256 is `abcdef…`; the
  same body fetched again (from any URL, at any time) reuses the file already there.
- Never modified: written to a temp file beside its place, made read-only (0o444), then
  hard-linked into place, which fails instead of replacing a file that appeared meanwhile.
- What is stored is the body as fetch() kept it: transfer coding (chunked) and gzip content
  coding removed. The headers that described those are kept renamed `X-Archive-Orig-*` (the
  pywb convention) and a Content-Length for the stored body is added, so WARC readers do not
  try to decode it twice; read_archived() turns them back into the headers as received.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from casework.ingest.article import ReadError
from casework.ingest.fetch import Fetched

# Headers describing codings that are no longer on the stored body.
_CODING_HEADERS = frozenset({"transfer-encoding", "content-encoding", "content-length"})
_ORIGINAL = "X-Archive-Orig-"
_REDIRECTED_FROM = "Casework-Redirected-From"  # one per hop, in order
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class ArchiveError(ReadError):
    """An archive that cannot be written or read back: one line naming the file and why."""


@dataclass(frozen=True)
class ArchivedSource:
    """Where a fetched body is kept. For a reused file, `url` and `fetched_at` are those of
    the fetch that first stored it (what the file holds), and `reused` is True."""

    path: Path
    sha256: str
    fetched_at: datetime
    url: str
    reused: bool = False


def archive_path(root: Path, sha256: str) -> Path:
    """Where the body with this SHA-256 (hex) is kept under `root`."""
    return root / sha256[:2] / f"{sha256}.warc.gz"


def archive(fetched: Fetched, root: Path) -> ArchivedSource:
    """Store `fetched` as a WARC request/response pair, unless its body is stored already."""
    sha256 = hashlib.sha256(fetched.body).hexdigest()
    if fetched.sha256 and fetched.sha256 != sha256:
        raise ArchiveError(f"{fetched.url}: body does not match its sha256 {fetched.sha256}")
    path = archive_path(root, sha256)
    if path.exists():
        return _reuse(path, sha256)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{sha256[:16]}-")
    except OSError as error:
        raise ArchiveError(f"{path}: cannot write the archive ({error.strerror})") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            _write(out, fetched)
            out.flush()
            os.fsync(out.fileno())
        temp.chmod(0o444)
        try:
            os.link(temp, path)
        except FileExistsError:
            return _reuse(path, sha256)  # stored by another process meanwhile
        _sync_directory(path.parent)
    except OSError as error:
        raise ArchiveError(f"{path}: cannot write the archive ({error.strerror})") from None
    finally:
        temp.unlink(missing_ok=True)
    return ArchivedSource(path, sha256, fetched.fetched_at, fetched.url)


def read_archived(path: Path) -> Fetched:
    """The Fetched stored in `path`, its body checked against its SHA-256."""
    request: Any = None
    response: Any = None
    body = b""
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "request" and request is None:
                    request = record
                    record.raw_stream.read()
                elif record.rec_type == "response" and response is None:
                    response = record
                    # The stored payload as is: no decoding, the file says it has none.
                    body = record.raw_stream.read()
    except (OSError, ArchiveLoadFailed, ValueError, EOFError) as error:
        raise ArchiveError(f"{path}: not a readable WARC file ({error})") from None
    if response is None or response.http_headers is None:
        raise ArchiveError(f"{path}: holds no HTTP response record")
    sha256 = hashlib.sha256(body).hexdigest()
    stem = path.name.removesuffix(".warc.gz")
    if _SHA256_HEX.match(stem) and stem != sha256:
        raise ArchiveError(f"{path}: body does not match the SHA-256 in its name (altered?)")
    if response.rec_headers.get_header("WARC-Payload-Digest") != _payload_digest(body):
        raise ArchiveError(f"{path}: body does not match its WARC-Payload-Digest (altered?)")
    http = response.http_headers
    status_text = http.statusline.split(" ", 1)
    headers = _as_received(http.headers)
    return Fetched(
        url=response.rec_headers.get_header("WARC-Target-URI"),
        status=int(status_text[0]),
        headers=headers,
        body=body,
        content_type=next((v for n, v in headers if n.lower() == "content-type"), ""),
        fetched_at=_parse_date(path, response.rec_headers.get_header("WARC-Date")),
        sha256=sha256,
        redirects=[v for n, v in response.rec_headers.headers if n == _REDIRECTED_FROM],
        reason=status_text[1] if len(status_text) > 1 else "",
        http_version=http.protocol,
        request_headers=list(request.http_headers.headers) if request is not None else [],
        address=response.rec_headers.get_header("WARC-IP-Address") or "",
    )


class _SHA256Writer(WARCWriter):  # type: ignore[misc]  # warcio has no type hints
    """warcio's writer with SHA-256 block and payload digests (it hard-codes SHA-1)."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def _write(out: IO[bytes], fetched: Fetched) -> None:
    writer = _SHA256Writer(out, gzip=True, warc_version="1.1")
    warc_date = fetched.fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    parts = urlsplit(fetched.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = fetched.request_headers or [("Host", parts.netloc)]
    request = writer.create_warc_record(
        fetched.url,
        "request",
        payload=io.BytesIO(b""),
        length=0,
        http_headers=StatusAndHeaders(
            f"GET {target} {fetched.http_version}", list(request_headers), is_http_request=True
        ),
        warc_headers_dict={"WARC-Date": warc_date},
    )
    warc_headers = {"WARC-Date": warc_date, "WARC-Payload-Digest": _payload_digest(fetched.body)}
    if fetched.address:
        warc_headers["WARC-IP-Address"] = fetched.address
    response = writer.create_warc_record(
        fetched.url,
        "response",
        payload=io.BytesIO(fetched.body),
        length=len(fetched.body),
        http_headers=StatusAndHeaders(
            f"{fetched.status} {fetched.reason}".strip(),
            _as_stored(fetched.headers, len(fetched.body)),
            protocol=fetched.http_version,
        ),
        warc_headers_dict=warc_headers,
    )
    for url in fetched.redirects:
        response.rec_headers.add_header(_REDIRECTED_FROM, url)
    writer.write_request_response_pair(request, response)


def _payload_digest(body: bytes) -> str:
    # The WARC convention: algorithm, colon, base32 of the digest.
    return "sha256:" + base64.b32encode(hashlib.sha256(body).digest()).decode("ascii")


def _as_stored(headers: list[tuple[str, str]], length: int) -> list[tuple[str, str]]:
    stored = [
        (_ORIGINAL + name if name.lower() in _CODING_HEADERS else name, value)
        for name, value in headers
    ]
    return [*stored, ("Content-Length", str(length))]


def _as_received(stored: list[tuple[str, str]]) -> list[tuple[str, str]]:
    received: list[tuple[str, str]] = []
    for name, value in stored:
        original = name[len(_ORIGINAL) :]
        if name.lower() == "content-length":
            continue  # ours: every received Content-Length was kept renamed
        if name.lower().startswith(_ORIGINAL.lower()) and original.lower() in _CODING_HEADERS:
            received.append((original, value))
        else:
            received.append((name, value))
    return received


def _parse_date(path: Path, value: str | None) -> datetime:
    try:
        return datetime.fromisoformat(value or "").astimezone(UTC)
    except ValueError:
        raise ArchiveError(f"{path}: WARC-Date {value!r} is not a date") from None


def _reuse(path: Path, sha256: str) -> ArchivedSource:
    stored = read_archived(path)  # also checks the file is intact; it is never replaced
    return ArchivedSource(path, sha256, stored.fetched_at, stored.url, reused=True)


def _sync_directory(directory: Path) -> None:
    # The new name must survive a crash as well as the bytes it names.
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
