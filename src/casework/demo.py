"""The demo tracker: example records (clearly marked) in a new SQLite tracker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from casework.config import CONFIG_NAME
from casework.examples import generate_records
from casework.model import Site, Status
from casework.tracker import init_tracker, open_tracker

DEMO_SITE = Site(
    url="http://127.0.0.1:8000",
    title="casework demo tracker (example data)",
    description="Every record here is a generated example, not a real incident.",
)


def ensure_demo(folder: Path, count: int, *, progress: Callable[[int], None] | None = None) -> bool:
    """Make the demo tracker in `folder` unless one is there. Returns True when it was made.

    Idempotent: a second call leaves an existing tracker (and anything added to it) alone."""
    made = not (folder / CONFIG_NAME).exists()
    if made:
        init_tracker(folder, DEMO_SITE)
    with open_tracker(folder) as tracker:
        if tracker.store.count() > 0:
            return made
        # Also reached when an earlier run was stopped before its import committed.
        tracker.store.import_records(
            generate_records(count, seed=1, site=tracker.site, mutual_links=True),
            author="casework demo",
            message=f"{count} generated example records",
            status=Status.published,
            progress=progress,
        )
    return True
