"""The bounds every reader keeps: how much of a file is read, how much text is kept, how long a
PDF may take. A source past a bound is refused with a ReadError naming it, before the work
(and the memory) it would cost."""

from __future__ import annotations

import os
from pathlib import Path

from casework.ingest.article import ReadError
from casework.store.guard import DatabaseFileInUse

MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB
# Article text kept at most (about 300 pages of prose); a reader stops there.
MAX_TEXT_CHARS = 1_000_000
MAX_PDF_PAGES = 200
PDF_SECONDS = 5.0
# What one PDF stream may decompress to: a page of text needs a few hundred KB.
PDF_MAX_STREAM_BYTES = 8 * MB


def fail(source: str, why: str) -> ReadError:
    """The one-line error every reader raises: the source, then why."""
    return ReadError(f"{source}: {why}")


def too_large(source: str, size: int, limit: int) -> ReadError:
    return fail(source, f"too large ({size / MB:.1f} MB; the limit is {limit / MB:.0f} MB)")


def check_size(data: bytes, source: str, limit: int = MAX_FILE_BYTES) -> None:
    if len(data) > limit:
        raise too_large(source, len(data), limit)


def read_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """`path`'s bytes, refused when over `limit`: the size is checked before reading, and at
    most `limit` + 1 bytes are ever read (a file that grows, or a device, cannot go past)."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise too_large(source, size, limit)
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise fail(source, "no such file") from None
    except IsADirectoryError:
        raise fail(source, "is a folder, not a file") from None
    except DatabaseFileInUse:
        raise  # the store's guard says why, in its own words
    except PermissionError:
        raise fail(source, "not readable (permission denied)") from None
    except OSError as error:
        raise fail(source, f"cannot be read ({error.strerror or error})") from None
    if len(data) > limit:
        raise too_large(source, len(data), limit)
    return data
