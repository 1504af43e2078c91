"""Files only their owner may read or write: the database, and what casework keeps beside it
that holds unpublished work or secrets (archive/, demo-accounts.txt, casework.toml, and the
proposal files of an older casework once imported, proposals-imported/).

Modes are set explicitly (0600 for files, 0700 for folders) rather than left to the umask, which
on most systems makes new files world-readable. SQLite gives the database's -wal, -shm and
-journal files the mode of the database file itself, so creating that one 0600 covers them.
A folder or file that already exists keeps the mode it has: an operator may have chosen it.
The public site (site/) is not written here and stays readable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from casework.store.disk_errors import file_error, is_storage_error

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """`path` as a folder, made owner-only (0700) when it is made here; its parents are made
    as usual. Returns `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=FOLDER_MODE)
    except FileExistsError:
        return path
    os.chmod(path, FOLDER_MODE)  # the umask may have taken bits from mkdir's mode
    return path


def create_private_file(path: Path) -> bool:
    """Create `path` empty and owner-only (0600) unless something is there already; True when
    it was made here."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    try:
        os.fchmod(handle, FILE_MODE)
    finally:
        os.close(handle)
    return True


def write_private(path: Path, data: bytes) -> Path:
    """Write `data` to `path` whole: into an owner-only (0600) temporary file beside it, forced
    to disk, then renamed over `path` — a reader sees the old file or the new one, never half.
    A full disk (ENOSPC, EDQUOT, EFBIG, EIO) raises StorageFull and leaves `path` as it was."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            os.fchmod(handle, FILE_MODE)
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if is_storage_error(error):
            raise file_error(error, path) from error
        raise
    return path


__all__ = ["FILE_MODE", "FOLDER_MODE", "create_private_file", "private_folder", "write_private"]
