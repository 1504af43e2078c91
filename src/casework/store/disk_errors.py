"""A full or failing disk, however it shows, as one `StorageFull` with a one-line message.

SQLite answers SQLITE_FULL ("database or disk is full": no space, or `max_page_count`) or
SQLITE_IOERR ("disk I/O error"); PostgreSQL the SQLSTATE class 53 "disk_full" (53100) or
58030 "io_error"; a file write fails with ENOSPC, EDQUOT (a quota), EFBIG (a file-size limit)
or EIO. Each happens inside a transaction or before a file is renamed into place, so nothing
of the write is kept: the message says so. The SQLite and PostgreSQL engines map what their
drivers raise (`mapped`), SQLAlchemy-level statements (accounts, jobs, migrations, copy) are
mapped by an engine listener (`listen`), and file writers call `file_error`.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from casework.store.base import StorageFull

if TYPE_CHECKING:  # SQLAlchemy loads with an engine (`listen`), not with a file write's check
    from sqlalchemy.engine import Engine, ExceptionContext

NOTHING_SAVED = "nothing was saved"
_SQLITE_CODES = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR}
_POSTGRES_STATES = {"53100", "58030"}  # disk_full, io_error
_OS_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def storage_full(error: BaseException, where: str = "") -> StorageFull | None:
    """`error` as a StorageFull when it is a full or failing disk (from sqlite3, psycopg,
    either wrapped by SQLAlchemy, or an OSError), else None. `where` names the database."""
    original = getattr(error, "orig", None)  # a SQLAlchemy DBAPIError's driver error
    if isinstance(original, BaseException):
        error = original
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in _SQLITE_CODES:
            return StorageFull(
                f"{_prefix(where)}the database failed ({_first_line(error)}): "
                f"the disk is full or failing; {NOTHING_SAVED}"
            )
        return None
    state = getattr(error, "sqlstate", None)  # psycopg's errors carry their SQLSTATE
    if isinstance(state, str) and state in _POSTGRES_STATES:
        return StorageFull(
            f"{_prefix(where)}the PostgreSQL server failed ({_first_line(error)}): "
            f"its disk is full or failing; {NOTHING_SAVED}"
        )
    if isinstance(error, OSError) and error.errno in _OS_ERRNOS:
        return file_error(error, error.filename)
    return None


def file_error(error: OSError, path: Any) -> StorageFull:
    """The StorageFull for a file write that failed with `error` (ENOSPC and the like)."""
    why = error.strerror or errno.errorcode.get(error.errno or 0, str(error))
    where = f"{path}: " if path else ""
    return StorageFull(f"{where}cannot be written ({why}); {NOTHING_SAVED}")


def is_storage_error(error: OSError) -> bool:
    """True when `error` is a file write refused for want of space (or a failing disk)."""
    return error.errno in _OS_ERRNOS


@contextmanager
def mapped(where: str = "") -> Iterator[None]:
    """Raise StorageFull in place of a driver's full-disk or I/O error inside the block;
    `where` names the database in its message."""
    try:
        yield
    except Exception as error:
        full = storage_full(error, where)
        if full is None:
            raise
        raise full from error


def listen(engine: Engine, where: str = "") -> None:
    """Map full-disk and I/O errors of every statement SQLAlchemy runs on `engine`."""
    from sqlalchemy import event

    def handle_error(context: ExceptionContext) -> None:
        # Raised here, SQLAlchemy cleans up the connection and lets this one through.
        full = storage_full(context.original_exception, where)
        if full is not None:
            raise full from context.original_exception

    event.listen(engine, "handle_error", handle_error)


def _prefix(where: str) -> str:
    return f"{where}: " if where else ""


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


__all__ = ["NOTHING_SAVED", "file_error", "is_storage_error", "listen", "mapped", "storage_full"]
