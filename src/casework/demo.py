"""The demo tracker: example records (clearly marked) in a new SQLite tracker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from casework.config import CONFIG_NAME
from casework.editing import Actor, Editing
from casework.examples import EXAMPLE_STATUTES, generate_records
from casework.examples.words import STATE_CODES
from casework.model import Site, Status
from casework.store.private_files import write_private
from casework.tracker import init_tracker, open_tracker

DEMO_SITE = Site(
    url="http://127.0.0.1:8000",
    title="casework demo tracker (example data)",
    description="Every record here is a generated example, not a real incident.",
    statutes=EXAMPLE_STATUTES,
    # The fictional states' user-assigned ISO codes (examples/words.py), named.
    place_names=tuple((code, state) for state, code in STATE_CODES.items()),
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
        Editing(tracker.store, tracker.site).import_records(
            Actor.operator("casework demo"),
            generate_records(count, seed=1, site=tracker.site, mutual_links=True),
            message=f"{count} generated example records, published",
            status=Status.published,
            progress=progress,
        )
    return True


DEMO_ACCOUNTS = "demo-accounts.txt"
DEMO_TEAM = (("admin", "admin"), ("editor", "editor"), ("reviewer", "reviewer"))


def ensure_demo_accounts(folder: Path) -> list[tuple[str, str, str]]:
    """A demo team (an admin, an editor, a reviewer) with generated passwords, written once to
    `folder/demo-accounts.txt` (readable by its owner only) so that the editor can be tried
    at once; later calls read them back. Returns (username, role, password) rows."""
    from casework.store.accounts import Role, UserNotFound, generate_password

    path = folder / DEMO_ACCOUNTS
    if path.exists():
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
        return [(row[0], row[1], row[2]) for row in rows if len(row) == 3]
    rows_made: list[tuple[str, str, str]] = []
    with open_tracker(folder) as tracker:
        accounts = tracker.store.accounts
        for username, role in DEMO_TEAM:
            password = generate_password()
            try:
                accounts.get_user(username)
                accounts.set_password(username, password)
            except UserNotFound:
                accounts.add_user(username, password, Role(role), f"Demo {role}")
            rows_made.append((username, role, password))
    text = "".join(f"{u}\t{r}\t{p}\n" for u, r, p in rows_made)
    write_private(path, text.encode("utf-8"))  # 0600 whatever the umask
    return rows_made


def build_showcase(root: Path, count: int, today: date) -> tuple[Path, dict[str, str]]:
    """A demo tracker under `root` built into `root/out`, with one deleted record (for the
    "gone" page); returns the folder and, by page type, the path of one page of that type.
    What the screenshots (scripts/screenshots.py) and the page-standards tests look at."""
    from casework.model import tag_slug
    from casework.publish.build import build_site

    init_tracker(root / "tracker", DEMO_SITE)
    with open_tracker(root / "tracker") as tracker:
        site = tracker.site
        records = list(
            generate_records(count + 1, seed=1, site=site, today=today, mutual_links=True)
        )
        editing = Editing(tracker.store, site)
        actor = Actor.operator("casework demo")
        editing.import_records(actor, records, message="examples", status=Status.published)
        build_site(tracker.store, site, root / "out")  # the doomed record was public once
        doomed = records[-1].slug
        editing.delete(
            actor,
            doomed,
            base_revision=tracker.store.get(doomed).revision,
            reason="Example: a duplicate of another record.",
        )
        build_site(tracker.store, site, root / "out")
    # The record with the most to show shows the most of the design.
    shown = max(records[:-1], key=lambda r: len(r.body) + 200 * len(r.sources))
    entities = sorted(p.parent.name for p in (root / "out/entity").glob("*/index.html"))
    pages = {
        "home": "",
        "record": f"incident/{shown.slug}/",
        "listing": f"category/{shown.category}/",
        "tag": f"tag/{tag_slug(shown.tags[0])}/" if shown.tags else "tag/",
        "timeline": f"timeline/{shown.date.year}/",
        "entity": f"entity/{entities[0]}/" if entities else "entity/",
        "law": "law/",
        "search": "search/",
        "map": "map/",
        "data": "data/",
        "about": "about/",
        "404": "no-such-page/",
        "gone": f"incident/{doomed}/",
    }
    return root / "out", pages
