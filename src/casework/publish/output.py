"""Where a build writes: a new directory per build, swapped in whole.

`out` is a symbolic link to `.{out}.builds/{build id}/`. A build fills a new directory (files it
did not change are hard links to the previous build's), then replaces the link in one rename,
so a web server or a reader sees the old site or the new one, never a mix; a build killed at any
moment leaves the previous site as it was. The build before the current one is kept (a rollback
is one `ln -sfn`) unless the build says it shows what is no longer public; older ones are
removed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

KEEP_PREVIOUS = 1


class OutputError(OSError):
    """The output folder cannot be used (a file-system matter, reported as one line)."""


class Output:
    def __init__(self, out: Path) -> None:
        self.out = out.absolute()
        self.builds = self.out.parent / f".{self.out.name}.builds"

    def check(self) -> None:
        """Refuse to replace a directory that a build did not make (it may hold someone's work)."""
        if self.out.is_symlink() or not self.out.exists():
            return
        if self.out.is_dir() and not any(self.out.iterdir()):
            self.out.rmdir()
            return
        raise OutputError(
            f"{self.out} exists and is not a casework build output; "
            "choose another --out or move it away"
        )

    def current(self) -> Path | None:
        """The build directory the site points at now."""
        if not self.out.is_symlink():
            return None
        target = (self.out.parent / os.readlink(self.out)).resolve()
        return target if target.is_dir() and target.parent == self.builds.resolve() else None

    def new_build(self) -> Path:
        self.builds.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.builds / f"{stamp}-{os.getpid()}.partial"
        path.mkdir()
        return path

    def swap_in(self, partial: Path, *, keep_previous: bool = True) -> Path:
        """Make `partial` the site, atomically; returns its final path. Without
        `keep_previous`, the build it replaces is removed too (only once it is replaced: until
        then, it is the site)."""
        final = partial.with_suffix("")
        partial.rename(final)
        link = self.out.parent / f".{self.out.name}.link-{os.getpid()}"
        if link.is_symlink():
            link.unlink()
        os.symlink(os.path.relpath(final, self.out.parent), link)
        os.replace(link, self.out)
        self.prune(final, keep=KEEP_PREVIOUS if keep_previous else 0)
        return final

    def prune(self, current: Path, keep: int = KEEP_PREVIOUS) -> None:
        """Remove partial builds (of killed runs) and all but `keep` older builds.

        Each is first renamed aside (instant, so the next build never sees it as a build),
        then deleted by a detached `rm -rf`: unlinking tens of thousands of files took
        seconds, and nobody needs to wait for it. Leftovers of an interrupted deletion are
        removed by the next prune."""
        done = sorted(
            p for p in self.builds.iterdir() if p.is_dir() and p != current and p.suffix == ""
        )
        stale = [p for p in self.builds.iterdir() if p.is_dir() and p.suffix == ".partial"]
        trash = [p for p in self.builds.iterdir() if p.is_dir() and p.suffix == ".trash"]
        for path in stale + done[: max(0, len(done) - keep)]:
            aside = path.with_name(path.name.removesuffix(".partial") + ".trash")
            path.rename(aside)
            trash.append(aside)
        if not trash:
            return
        rm = shutil.which("rm")
        if rm and os.name == "posix":
            subprocess.Popen(  # noqa: S603
                [rm, "-rf", "--", *map(str, trash)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        else:
            for path in trash:
                shutil.rmtree(path, ignore_errors=True)

    def discard(self, partial: Path) -> None:
        shutil.rmtree(partial, ignore_errors=True)
