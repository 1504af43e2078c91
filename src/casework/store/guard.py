"""No Python code in a process that holds a SQLite database may open, truncate, remove or rename
its files.

Why: SQLite's locks are POSIX record locks, and POSIX drops *every* lock a process holds on a
file as soon as *any* descriptor of that file in the process is closed. SQLite keeps a shared
lock on the database file for as long as a connection has it open in WAL mode, and one on the
`-shm` file's "dead man's switch" byte. One `open(tracker.db).close()` anywhere in the process
(a reader given the database's own path, say) silently drops the first; the next `casework`
command then finds nobody holding the database, checkpoints and deletes the live WAL when it
closes, and every write this process makes afterwards goes into the deleted file: acknowledged,
and gone at the next restart. Dropping the `-shm` lock makes the next process rebuild the
wal-index under this one's feet. SQLite's own opens share one descriptor per file inside the
process and so never do this; only code outside SQLite can.

The guard is a `sys.addaudithook` hook (installed once; audit hooks cannot be removed) that
refuses the audit events "open" (built-in `open`, `io.open`, `os.open`, `io.open_code`,
`pathlib`, `shutil.copyfile`…), "os.truncate", "os.remove" and "os.rename" (`os.replace`,
`shutil.move`) on a held database file or its `-wal`, `-shm` and `-journal` siblings, however
named: through a symbolic link (real paths are compared) or a hard link (the database's
device and inode are compared, and a sibling's when the file has more than one name). SQLite's
own opens are C calls, not audit events, so the engine is unaffected. What it cannot see:
opens made in C by an extension module, and an `os.open(name, dir_fd=…)` (the event does not
carry the folder).

`hold(path)` starts guarding a database (each SQLite store calls it when it opens, and
`release` when it closes; several stores on one file are counted). While nothing is held, the
hook returns at its first test.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
from dataclasses import dataclass
from typing import Any

from casework.store.base import StoreError

SIBLINGS = ("", "-wal", "-shm", "-journal")
# The audit events that open a file or change one by its name, and where their paths are.
_EVENTS: dict[str, tuple[int, ...]] = {
    "open": (0,),
    "os.truncate": (0,),
    "os.remove": (0,),
    "os.rename": (0, 1),
}


class DatabaseFileInUse(StoreError, PermissionError):
    """Python code asked to open (or truncate, remove, rename) a file of a database that this
    process holds open: refused, since closing it would drop SQLite's locks."""

    def __init__(self, path: str, database: str) -> None:
        super().__init__(
            f"{path}: refused — it is a file of the database {database}, which this process "
            "holds open (opening it would drop SQLite's locks, and saves could be lost)"
        )
        self.path = path
        self.database = database


@dataclass(frozen=True)
class _Held:
    database: str  # the real path of the database file
    device: int
    inode: int


@dataclass(frozen=True)
class _Guarded:
    """What the hook compares against: rebuilt whenever a database is held or released."""

    by_path: dict[str, str]  # a real path of a database or sibling → its database
    names: frozenset[str]  # their base names
    inodes: dict[tuple[int, int], str]  # (device, inode) of a database → its database
    devices: frozenset[int]


_EMPTY = _Guarded({}, frozenset(), {}, frozenset())
_guarded = _EMPTY
_held: dict[_Held, int] = {}
_lock = threading.Lock()
_installed = False


def hold(path: str | os.PathLike[str]) -> _Held:
    """Start guarding the database file at `path` (which exists) and its siblings; returns
    the token to pass to `release`."""
    global _installed
    real = os.path.realpath(path)
    info = os.stat(real)
    held = _Held(real, info.st_dev, info.st_ino)
    with _lock:
        _held[held] = _held.get(held, 0) + 1
        _rebuild()
        if not _installed:
            sys.addaudithook(_audit)
            _installed = True
    return held


def release(held: _Held) -> None:
    """Stop guarding the database `held` (once its last holder releases it)."""
    with _lock:
        count = _held.get(held, 0) - 1
        if count > 0:
            _held[held] = count
        else:
            _held.pop(held, None)
        _rebuild()


def _forgotten_in_child() -> None:
    # A child made by fork() inherits no POSIX locks: it holds nothing until it opens a store
    # itself (the build's worker processes, say, open files freely and pay nothing).
    global _guarded, _lock
    _held.clear()
    _guarded = _EMPTY
    _lock = threading.Lock()  # another thread may have held the parent's at the fork


os.register_at_fork(after_in_child=_forgotten_in_child)


def held_databases() -> list[str]:
    """The real paths of the databases this process holds (for messages and tests)."""
    return sorted({held.database for held in _held})


def database_of(path: str | os.PathLike[str], database: str | os.PathLike[str]) -> bool:
    """True when `path` names the SQLite database file `database` or one of its `-wal`,
    `-shm` and `-journal` files: by real path (symbolic links followed), or by device and
    inode (a hard link), without opening either."""
    real = os.path.realpath(path)
    base = os.path.realpath(database)
    if real in {base + suffix for suffix in SIBLINGS}:
        return True
    try:
        target = os.stat(real)
    except (OSError, ValueError):
        return False
    for suffix in SIBLINGS:
        try:
            sibling = os.stat(base + suffix)
        except (OSError, ValueError):
            continue
        if (sibling.st_dev, sibling.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def _rebuild() -> None:
    global _guarded
    if not _held:
        _guarded = _EMPTY
        return
    by_path = {h.database + suffix: h.database for h in _held for suffix in SIBLINGS}
    _guarded = _Guarded(
        by_path=by_path,
        names=frozenset(os.path.basename(p) for p in by_path),
        inodes={(h.device, h.inode): h.database for h in _held},
        devices=frozenset(h.device for h in _held),
    )


def _audit(event: str, args: tuple[Any, ...]) -> None:
    # Called for every audit event in the process, from every thread: the first two tests
    # are the fast path, and nothing here may itself raise an audit event it would refuse.
    where = _EVENTS.get(event)
    if where is None:
        return
    guarded = _guarded
    if not guarded.by_path:
        return
    dir_fd = args[1] if event == "os.remove" else None
    for index in where:
        database = _guarded_database(args[index], dir_fd, guarded)
        if database is not None:
            raise DatabaseFileInUse(_shown(args[index]), database)


def _guarded_database(name: Any, dir_fd: Any, guarded: _Guarded) -> str | None:
    """The held database that `name` is a file of, or None."""
    if isinstance(name, int) or name is None:
        return None  # an open descriptor: no file is opened anew by name
    try:
        text = os.fsdecode(name)
        if isinstance(dir_fd, int) and dir_fd >= 0 and not os.path.isabs(text):
            text = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), text)
        try:
            info = os.lstat(text)
        except FileNotFoundError:
            info = None
        if info is not None and stat.S_ISLNK(info.st_mode):
            real = os.path.realpath(text)  # a link to the database or to a sibling yet to be
            if real in guarded.by_path:
                return guarded.by_path[real]
            info = os.stat(text)
        if info is not None and info.st_dev in guarded.devices:
            found = guarded.inodes.get((info.st_dev, info.st_ino))
            if found is not None:
                return found
            if info.st_nlink > 1:  # a second name of a sibling?
                return _sibling_of(info, guarded)
        if os.path.basename(text) in guarded.names:
            folder = os.path.realpath(os.path.dirname(text) or ".")
            return guarded.by_path.get(os.path.join(folder, os.path.basename(text)))
    except (OSError, ValueError):
        return None  # a name that cannot be looked up cannot be opened either
    return None


def _sibling_of(info: os.stat_result, guarded: _Guarded) -> str | None:
    for path, database in guarded.by_path.items():
        try:
            other = os.stat(path)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
            return database
    return None


def _shown(name: Any) -> str:
    try:
        return os.fsdecode(name)
    except TypeError:
        return repr(name)


__all__ = ["SIBLINGS", "DatabaseFileInUse", "database_of", "held_databases", "hold", "release"]
