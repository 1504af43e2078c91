"""Where a build writes: two trees, the site and the one being brought up to date, swapped.

`out` is a symbolic link to `.{out}.builds/{tree}/`. Two trees take turns: a build brings the
tree the site does not point at (the previous build's, kept for rollback) up to date — it
writes the files whose inputs changed since that tree was written, hard-links from the site
those the build before it changed, removes those no longer part of the site, and touches
nothing else — then replaces the link in one rename. A web server or a reader sees the old
site or the new one, never a mix, and a build killed at any moment leaves the site as it was
(it only ever writes into the other tree). A file in the other tree is never written in place:
it is unlinked first, since it may be the same inode as the site's.

Until the next build starts, the previous build is there for a rollback (one `ln -sfn`),
unless the build says it shows what is no longer public: then it is removed at once (and the
next build makes a new tree, linked from the site).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path


class OutputError(OSError):
    """The output folder cannot be used (a file-system matter, reported as one line)."""


class Output:
    def __init__(self, out: Path) -> None:
        # `out` is a link: its folder is resolved, not the link itself. Trees are told apart
        # by comparing paths with `current()`, which resolves: an unresolved folder
        # ("site/../public", a symlinked parent) made the site's own tree look like a
        # stranger, and prune set it aside under the live link.
        out = Path(os.path.abspath(out))
        self.out = out.parent.resolve() / out.name
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

    def new_tree(self) -> Path:
        """A new, empty tree (the first build's, or one replacing a tree that was removed or
        that a killed build left half written)."""
        self.builds.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.builds / f"{stamp}-{os.getpid()}"
        path.mkdir()
        return path

    def swap_in(self, tree: Path, *, keep_previous: bool = True) -> Path:
        """Make `tree` the site, atomically. Without `keep_previous`, the tree it replaces is
        removed too (only once it is replaced: until then, it is the site)."""
        previous = self.current()
        link = self.out.parent / f".{self.out.name}.link-{os.getpid()}"
        if link.is_symlink():
            link.unlink()
        os.symlink(os.path.relpath(tree, self.out.parent), link)
        os.replace(link, self.out)
        self.prune(tree, keep=previous if keep_previous else None)
        return tree

    def prune(self, current: Path, keep: Path | None = None) -> None:
        """Remove every tree but `current` and `keep` (partial builds of older versions,
        trees of killed builds set aside, a build not to be kept for rollback).

        Each is first renamed aside (instant, so the next build never sees it as a build),
        then deleted by a detached `rm -rf`: unlinking tens of thousands of files took
        seconds, and nobody needs to wait for it. Leftovers of an interrupted deletion are
        removed by the next prune."""
        if not self.builds.is_dir():
            return
        folders = [p for p in self.builds.iterdir() if p.is_dir()]
        trash = [p for p in folders if p.suffix == ".trash"]
        for path in folders:
            if path.suffix == ".trash" or path in (current, keep):
                continue
            aside = path.with_name(path.name.removesuffix(".partial") + ".trash")
            path.rename(aside)
            trash.append(aside)
        _remove(trash)

    def discard(self, tree: Path) -> None:
        """Set `tree` aside and delete it (see prune)."""
        aside = tree.with_name(tree.name + ".trash")
        tree.rename(aside)
        _remove([aside])


def _remove(trash: list[Path]) -> None:
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
