"""Incremental builds against builds from scratch: after each kind of edit, the site a build
brings up to date is byte for byte the site a fresh build makes, and the files it wrote (new
inodes) are exactly those whose bytes changed; and a build killed while it writes into the
other tree leaves the site as it was, byte for byte, inode for inode."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from casework.model import Collection, Record, Status
from casework.publish import search_index
from casework.publish.build import build_site
from casework.store import open_store
from casework.store.base import Store
from tests.publish.conftest import SITE
from tests.publish.test_datafiles_splice import comparable
from tests.store.factories import make_record
from tests.store.factories import save_changed as edit

EPOCH = "1767225600"  # 2026-01-01: every build here says the same generatedAt


def snapshot(out: Path) -> dict[str, tuple[int, bytes]]:
    """path → (inode, bytes) of every file of the site."""
    found = {}
    for path in out.rglob("*"):
        if path.is_file():
            found[path.relative_to(out).as_posix()] = (path.stat().st_ino, path.read_bytes())
    return found


def contents(files: dict[str, tuple[int, bytes]]) -> dict[str, bytes]:
    """A snapshot's files as they are compared with a fresh build's: an edit's records.sqlite
    may be the site's patched, the same rows in other pages (test_datafiles_splice.py)."""
    return comparable({path: data for path, (_, data) in files.items()})


def set_status(store: Store, slug: str, status: Status) -> None:
    stored = store.get(slug)
    store.set_status(slug, status, base_revision=stored.revision, author="t", message="status")


def delete(store: Store, slug: str) -> None:
    stored = store.get(slug)
    store.delete(slug, base_revision=stored.revision, author="t", reason="Duplicate entry")


def add(store: Store) -> None:
    record = make_record(
        "quay-fire",
        title="Fire at the quay — «warehouses» burned",
        date="2021-03-04",
        lastUpdated="2021-03-05",
        category="rule-of-law",
        tags=["harbour", "fire & arson"],
        relatedIncidents=["harbour-closure", "not-a-record"],
    )
    store.create(record, author="t", message="add")
    set_status(store, "quay-fire", Status.published)


STEPS: list[tuple[str, Callable[[Store], None]]] = [
    ("retitle", lambda s: edit(s, "pier-arrests", title="Fishermen held at the pier")),
    (
        "move listings",
        lambda s: edit(s, "ferry-halt", category="rule-of-law", tags=["ferry", "blockade"]),
    ),
    ("add", add),
    ("unpublish", lambda s: set_status(s, "harbour-closure", Status.draft)),
    ("delete", lambda s: delete(s, "quay-fire")),
    ("republish", lambda s: set_status(s, "harbour-closure", Status.published)),
    ("summary", lambda s: edit(s, "ferry-halt", summary="The ferry runs again, twice a day.")),
]


def test_an_incremental_build_equals_a_fresh_one_and_writes_only_what_changed(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    check_steps(store, tmp_path, STEPS)


# A summary's words changed: two lost (one other records hold), two gained (one no record had).
SUMMARY = "The port authority shut the northern pier overnight, stranding fishing crews."
WORDS = "The port authority shut the southern pier overnight, stranding zeppelin crews."


def test_the_search_index_changes_in_the_shards_holding_changed_words(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With shards of a few hundred bytes (many of them, as at 10,000 records), each step's
    index is a fresh build's byte for byte, and an edit writes a few of its shards."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(search_index, "SHARD_BYTES", 100)
    monkeypatch.setattr(search_index, "MIN_SHARD", 50)
    monkeypatch.setattr(search_index, "CUT_EVERY", 2)
    steps = [
        ("words", lambda s: edit(s, "ferry-halt", summary=WORDS)),
        ("words back", lambda s: edit(s, "ferry-halt", summary=SUMMARY)),
        *STEPS,
        ("title words", lambda s: edit(s, "pier-arrests", title="Zeppelin over the pier")),
    ]
    written = check_steps(store, tmp_path, steps)
    shards = len(list((tmp_path / "site" / "search" / "index").glob("terms-*.json")))
    assert shards > 10
    for name in ("words", "words back", "title words"):
        index = {p for p in written[name] if p.startswith("search/index/terms-")}
        assert 0 < len(index) < shards // 2, (name, sorted(index))
    assert "search/index/meta.json" in written["unpublish"]


def check_steps(
    store: Store, tmp_path: Path, steps: list[tuple[str, Callable[[Store], None]]]
) -> dict[str, set[str]]:
    """Build, then after each step build again and check the site against a fresh build of
    the same records; returns each step's files written."""
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    wrote = {}
    for number, (name, step) in enumerate(steps):
        before = snapshot(out)
        step(store)
        report = build_site(store, SITE, out, workers=1)
        after = snapshot(out)
        changed = {p for p, (_, data) in after.items() if before.get(p, (0, b""))[1] != data}
        written = {p for p, (inode, _) in after.items() if before.get(p, (0, b""))[0] != inode}
        wrote[name] = written
        assert changed, name
        assert written == changed, name
        # Files the other tree held as this build has them (an edit undone) are not
        # written again: they differ from the site's without being written.
        assert 0 < report.pages_written <= len(written), name
        # Not a link farm: the files that did not change are the site's own, untouched.
        assert len(after) - len(written) > 50, name
        fresh = tmp_path / f"fresh-{number}"
        build_site(store, SITE, fresh, workers=1)
        theirs = contents(snapshot(fresh))
        mine = contents(after)
        assert sorted(mine) == sorted(theirs), name
        assert [p for p in mine if mine[p] != theirs[p]] == [], name
        if name == "unpublish":
            for path, data in mine.items():
                assert b"harbour-closure" not in data or path.startswith("incident/"), path
                if path.startswith("search/index/"):
                    assert b'"without"' not in data, path  # a word only its title held
            held = b"".join(d for p, (_, d) in before.items() if p.startswith("search/index/"))
            assert b'"without"' in held
        # The site's folder holds no empty folder a fresh build would not have.
        for folder, subfolders, files in os.walk(out.resolve()):
            assert subfolders or files, folder
    return wrote


def crowd(store: Store) -> None:
    """45 more records in one category, a tag, an entity, a statute and the map: listings of
    three pages, whose boundaries an edit's date moves records across."""
    located = {
        "name": "North pier",
        "country": "PS",
        "latitude": 31.5,
        "longitude": 34.4,
        "precision": "exact",
    }
    for i in range(45):
        record = make_record(
            f"dock-{i:02d}",
            title=f"Dock incident {i}",
            date=f"20{19 + i % 4}-{1 + i % 12:02d}-{1 + i % 27:02d}",
            lastUpdated="2023-01-01",
            category="civil-liberties",
            tags=["docks", f"shift-{i % 3}"],
            structuredPerpetrators=[
                {"name": "Dock Police", "kind": "organization", "entity": "dock-police"}
            ],
            internationalLaw=[
                {"statute": "ICCPR", "article": f"Article {i % 5}", "provision": "Movement"}
            ],
            timeline=[{"date": f"20{19 + i % 4}-02-02", "title": f"Step {i}", "summary": "S."}],
            locations=[located] if i % 2 else [],
        )
        store.create(record, author="t", message="add")
        set_status(store, record.slug, Status.published)


def rename(store: Store, old: str, new: str) -> None:
    stored = store.get(old)
    record = stored.record.model_copy(update={"slug": new})
    store.rename(old, record, base_revision=stored.revision, author="t", message="rename")


def rewrite(store: Store, slug: str, **wire: object) -> None:
    """Save the record with `wire` (camelCase keys, as the record format has them) changed."""
    stored = store.get(slug)
    record = Record.model_validate(stored.record.to_wire() | wire)
    store.save(record, base_revision=stored.revision, author="t", message="edit")


def party(name: str, entity: str) -> list[dict[str, str]]:
    return [{"name": name, "kind": "organization", "entity": entity}]


# Each moves a record between the units of the plan (publish/plan.py), or shifts pages.
MOVES: list[tuple[str, Callable[[Store], None]]] = [
    ("summary", lambda s: edit(s, "dock-07", summary="Only the summary changed.")),
    # The oldest to the newest: every page of its category, year and tag listings shifts.
    ("date across pages", lambda s: edit(s, "dock-00", date=date(2022, 12, 30))),
    ("year", lambda s: edit(s, "dock-12", date=date(2024, 6, 1))),
    ("category", lambda s: edit(s, "dock-03", category="rule-of-law", severity="severe")),
    ("tags", lambda s: edit(s, "dock-04", tags=["docks", "shift-9", "new tag"])),
    ("last of a tag", lambda s: edit(s, "dock-04", tags=["docks"])),
    (
        "entity name",
        lambda s: rewrite(s, "dock-05", structuredPerpetrators=party("Dock Guard", "dock-police")),
    ),
    (
        "entity",
        lambda s: rewrite(
            s, "dock-06", structuredPerpetrators=party("Harbour Guard", "harbour-guard")
        ),
    ),
    (
        "statute",
        lambda s: edit(
            s,
            "dock-08",
            internationalLaw=[
                {"statute": "Torture Convention", "article": "Article 2", "provision": "Crews"}
            ],
        ),
    ),
    (
        "timeline",
        lambda s: rewrite(
            s, "dock-09", timeline=[{"date": "2017-05-05", "title": "Earlier", "summary": "E."}]
        ),
    ),
    ("map", lambda s: rewrite(s, "dock-10", locations=[])),
    # Rows changed in place (publish/plan.py in_place): only the pages showing them are
    # planned; beside one that moves, its units are planned whole.
    ("title in place", lambda s: edit(s, "dock-21", title="Dock incident twenty-one")),
    # In place too, planned from the state's sums (publish/plan.py replan_in_place): the
    # home page's ongoing count, a record the home page picks, a collection's member.
    ("ongoing in place", lambda s: edit(s, "dock-18", ongoing=True)),
    ("newest in place", lambda s: edit(s, "ferry-halt", title="Ferry service halted twice")),
    ("collection member", lambda s: edit(s, "pier-arrests", summary="Held at the pier.")),
    ("collection", lambda s: s.put_collection(DOCKS)),
    ("in place and moved", lambda s: in_place_and_moved(s)),
    ("rename", lambda s: rename(s, "dock-11", "dock-eleven")),
    ("add", add),
    ("delete", lambda s: delete(s, "dock-13")),
    ("unpublish one", lambda s: set_status(s, "dock-14", Status.draft)),
]


DOCKS = Collection(slug="docks", title="The docks", lede="Night shifts.", records=["dock-02"])


def in_place_and_moved(store: Store) -> None:
    edit(store, "dock-15", summary="Only this row changed.")
    edit(store, "dock-17", title="A located record retitled")
    edit(store, "dock-16", date=date(2019, 1, 1))  # across the pages of the same listings


def test_edits_that_move_records_between_pages_equal_a_fresh_build(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    crowd(store)
    check_steps(store, tmp_path, MOVES)


def test_an_edit_plans_only_the_pages_that_show_the_record(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state keeps the plan: a summary edit plans the pages of the record's own
    listings (and those every plan makes), not the other records' tags, entities or years."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    crowd(store)
    out = tmp_path / "site"
    full = build_site(store, SITE, out, workers=1)
    edit(store, "pier-arrests", summary="Twelve fishermen were held at the pier.")
    report = build_site(store, SITE, out, workers=1)
    assert 0 < report.pages_planned < full.pages_planned // 2
    # A change of what every page shows (the site's title) plans them all again.
    retitled = SITE.model_copy(update={"title": "Harbour Watch Weekly"})
    edit(store, "pier-arrests", summary="Eleven fishermen were held at the pier.")
    assert build_site(store, retitled, out, workers=1).pages_planned == full.pages_planned


def test_an_edit_in_place_plans_only_the_pages_of_its_listings_that_show_it(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A summary edit leaves its record where it is in every listing and every count as it
    was: of its listings of three pages (the category's, the tag's, the map's), only the page
    showing it is planned; every page is what a fresh build makes."""
    from casework.publish import plan

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    crowd(store)
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    edit(store, "dock-07", summary="Only the summary changed.")
    in_place = build_site(store, SITE, out, workers=1).pages_planned
    with monkeypatch.context() as patched:
        patched.setattr(plan, "IN_PLACE", frozenset())  # every change moves its record
        edit(store, "dock-07", summary="Only the summary changed again.")
        whole = build_site(store, SITE, out, workers=1).pages_planned
    edit(store, "dock-07", summary="And once more.")
    assert build_site(store, SITE, out, workers=1).pages_planned == in_place
    assert in_place <= whole - 4  # two of three pages of the category, the tag and the map
    fresh = tmp_path / "fresh"
    build_site(store, SITE, fresh, workers=1)
    mine = contents(snapshot(out))
    assert mine == contents(snapshot(fresh))


def test_an_edit_in_place_plans_from_the_kept_sums_not_from_every_card(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edits in place (publish/plan.py in_place) re-plan the pages showing their records from
    the sums the state keeps, without a pass over every card (`plan_pages`); a state saved
    without sums (an older casework's) is planned whole once, and then kept."""
    from casework.publish import plan
    from casework.publish.state import BuildState

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    crowd(store)
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    whole = plan.plan_pages
    calls = []

    def counted(*args: Any, **kwargs: Any) -> list[plan.Page]:
        calls.append(kwargs.get("only", args[3] if len(args) > 3 else None))
        return whole(*args, **kwargs)

    monkeypatch.setattr(plan, "plan_pages", counted)
    edit(store, "dock-07", summary="Only the summary changed.")
    edit(store, "ferry-halt", ongoing=False, title="Ferry service resumed")
    build_site(store, SITE, out, workers=1)
    assert calls == []
    state = BuildState(out.parent / f".{out.name}.builds" / "state.sqlite")
    state.db.execute("DELETE FROM meta WHERE name = 'sums'")
    state.close()
    edit(store, "dock-08", title="Dock incident eight, retitled")
    build_site(store, SITE, out, workers=1)
    assert calls == [None]  # planned whole, to keep the sums
    edit(store, "dock-08", title="Dock incident eight")
    build_site(store, SITE, out, workers=1)
    assert calls == [None]
    fresh = tmp_path / "fresh"
    build_site(store, SITE, fresh, workers=1)
    assert contents(snapshot(out)) == contents(snapshot(fresh))


def test_an_edit_writes_the_record_and_the_pages_that_show_it(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    edit(store, "ferry-halt", title="Ferry service halted again")  # a warm-up: both trees made
    build_site(store, SITE, out, workers=1)
    before = snapshot(out)
    edit(store, "ferry-halt", summary="The ferry stopped for a week.")
    build_site(store, SITE, out, workers=1)
    written = {p for p, (inode, _) in snapshot(out).items() if before.get(p, (0,))[0] != inode}
    assert "incident/ferry-halt/index.html" in written
    assert "incident/ferry-halt.json" in written and "feed.xml" in written
    assert "data/records.ndjson" in written and "data/manifest.json" in written
    # Not the pages or files of the other records, nor what no record shows.
    for kept in (
        "incident/pier-arrests/index.html",
        "incident/harbour-closure.json",
        "law/iccpr/index.html",
        "static/style.css",
        "schema/record.schema.json",
        "robots.txt",
        "about/index.html",
    ):
        assert kept not in written, kept


def test_an_edit_after_a_full_build_reads_one_record_and_links_no_tree(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build leaves its twin (a tree of links to its files) for the next build to
    write into, and the state keeps each record's card and data: the edit after it reads
    the one record it changed, and writes only what changed, into the twin."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    builds = sorted(p for p in (tmp_path / ".site.builds").iterdir() if p.is_dir())
    twin = next(p for p in builds if p != out.resolve())
    assert snapshot(twin) == snapshot(out)  # the same inodes: links, not copies
    assert state_value(out, "other") == twin.name
    before = snapshot(out)
    edit(store, "pier-arrests", summary="Twelve fishermen were held at the pier.")
    report = build_site(store, SITE, out, workers=1)
    assert out.resolve() == twin and report.records_loaded == 1
    after = snapshot(out)
    written = {p for p, (inode, _) in after.items() if before.get(p, (0,))[0] != inode}
    assert "incident/pier-arrests/index.html" in written
    assert len(written) < len(after) // 4
    fresh = tmp_path / "fresh"
    build_site(store, SITE, fresh, workers=1)
    assert contents(snapshot(fresh)) == contents(after)


def test_a_build_that_failed_after_keeping_its_records_is_followed_by_a_whole_one(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build keeps each record's card as it makes it, before it saves its plan: one that
    died between the two left cards newer than the plan. The next build must not take those
    records for unchanged and carry their pages over at the old plan's keys."""
    from casework.publish import build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    edit(store, "pier-arrests", summary="Twelve fishermen were held at the pier.")
    build_site(store, SITE, out, workers=1)  # the plan is now an edit's
    edit(store, "pier-arrests", summary="Eleven fishermen were held, one was let go.")
    edit(store, "ferry-halt", title="The ferry halted for a month")

    def dies(*_: object) -> int:
        raise RuntimeError("killed")

    with monkeypatch.context() as patched:
        patched.setattr(build, "_render_pages", dies)  # after the records are kept
        with pytest.raises(RuntimeError, match="killed"):
            build_site(store, SITE, out, workers=1)
    build_site(store, SITE, out, workers=1)
    fresh = tmp_path / "fresh"
    build_site(store, SITE, fresh, workers=1)
    mine = contents(snapshot(out))
    theirs = contents(snapshot(fresh))
    assert sorted(mine) == sorted(theirs)
    assert [p for p in mine if mine[p] != theirs[p]] == []


def state_value(out: Path, name: str) -> str | None:
    db = sqlite3.connect(out.parent / f".{out.name}.builds" / "state.sqlite", timeout=5)
    try:
        row = db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    except sqlite3.OperationalError:  # not made yet
        return None
    finally:
        db.close()
    return None if row is None else str(row[0])


def test_a_build_killed_while_writing_the_other_tree_leaves_the_site_as_it_was(
    tmp_path: Path,
) -> None:
    env = os.environ | {"SOURCE_DATE_EPOCH": EPOCH}
    tracker = tmp_path / "t"
    casework = [sys.executable, "-m", "casework"]
    subprocess.run([*casework, "init", str(tracker)], check=True, capture_output=True, env=env)
    subprocess.run(
        [*casework, "--tracker", str(tracker), "generate", "150"],
        check=True,
        capture_output=True,
        env=env,
    )
    out = tmp_path / "site"
    build = [*casework, "--tracker", str(tracker), "build", "--out", str(out), "--workers", "1"]
    store = open_store(tracker / "tracker.db")
    published = [s.record.slug for s in store.iter_records(status=Status.published)]

    def edit_all(word: str) -> None:
        for slug in published:
            stored = store.get(slug)
            edit(store, slug, summary=f"{word} {stored.record.summary}")

    subprocess.run(build, check=True, capture_output=True, env=env)
    edit_all("First.")
    subprocess.run(build, check=True, capture_output=True, env=env)  # both trees exist now
    site = os.readlink(out)
    other = state_value(out, "other")
    assert other and other != Path(site).name
    first = snapshot(out)
    edit_all("Second.")
    process = subprocess.Popen(build, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 120
    while state_value(out, "writing") != other and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)  # into the writing
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the build finished before it was killed"
    assert os.readlink(out) == site
    assert snapshot(out) == first  # every byte, every inode
    # The next build does not trust the half-written tree: it makes the site a fresh build's.
    subprocess.run(build, check=True, capture_output=True, env=env)
    store.close()
    fresh = tmp_path / "fresh"
    subprocess.run(
        [*casework, "--tracker", str(tracker), "build", "--out", str(fresh)],
        check=True,
        capture_output=True,
        env=env,
    )
    mine = contents(snapshot(out))
    theirs = contents(snapshot(fresh))
    assert sorted(mine) == sorted(theirs)
    # Every build signs a checkpoint of its own (listed with the others, named in the manifest).
    signed = {"data/checkpoints.json", "data/manifest.json"}
    assert [p for p in mine if mine[p] != theirs[p] and p not in signed] == []


def test_an_out_path_written_with_dots_or_through_a_symlink_keeps_the_site(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--out ../site` from another folder, or through a symlinked folder: the build that
    follows an edit must recognise the site's own tree (it once set it aside while the
    site's link still pointed at it, leaving a dangling site)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (tmp_path / "tracker").mkdir()
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    for out in (tmp_path / "tracker" / ".." / "site", tmp_path / "alias" / "site"):
        build_site(store, SITE, out, workers=1)
        for summary in ("First change of the week.", "Second change.", "Third change."):
            edit(store, "ferry-halt", summary=summary)
            build_site(store, SITE, out, workers=1)
            page = (out / "incident" / "ferry-halt" / "index.html").read_text()
            assert summary in page, out
        assert (out / "index.html").is_file(), out


def test_a_kept_page_lost_from_the_site_is_planned_and_written_again(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page the edit does not plan (another record's tag) but the tree it writes into holds
    at an older key is linked from the site: lost from the site, every page is planned so
    that it can be written."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    edit(store, "ferry-halt", summary="The ferry stopped for a week.")  # its tag page changes
    build_site(store, SITE, out, workers=1)
    (out / "tag" / "ferry" / "index.html").unlink()  # the other tree has the older page
    edit(store, "pier-arrests", summary="Twelve fishermen were held at the pier.")
    report = build_site(store, SITE, out, workers=1)
    assert (
        report.pages_planned == build_site(store, SITE, tmp_path / "fresh", workers=1).pages_planned
    )
    mine = contents(snapshot(out))
    assert mine == contents(snapshot(tmp_path / "fresh"))


def test_edits_splice_the_data_files_from_the_site_and_equal_a_fresh_build(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each edit's record-ordered data files are spliced from the site's (the unchanged
    records' bytes copied, datafiles.py Splice) and its records.sqlite's rows copied from
    the site's: byte for byte a fresh build's, after inserts, deletes, date moves, an
    unpublish and shares that change length."""
    from casework.publish import datafiles

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    crowd(store)
    splice = datafiles._splice_all
    spliced: list[bool | None] = []  # whether records.sqlite was patched (None: not spliced)

    def counted(*args: Any, **kwargs: Any) -> Any:
        done = splice(*args, **kwargs)
        spliced.append(None if done is None else done[2].sqlite_patched)
        return done

    monkeypatch.setattr(datafiles, "_splice_all", counted)
    steps = [
        *MOVES,
        ("longer", lambda s: edit(s, "dock-20", summary="A much longer summary. " * 40)),
        ("republish", lambda s: set_status(s, "dock-14", Status.published)),
    ]
    check_steps(store, tmp_path, steps)
    # Each edit spliced (the fresh builds, with no site, did not try); those that leave
    # every record in place with as many rows patched the site's records.sqlite.
    assert None not in spliced and len(spliced) == len(steps)
    patched = {name for (name, _), done in zip(steps, spliced, strict=True) if done}
    assert {"summary", "longer", "title in place"} <= patched
    assert not patched & {"rename", "add", "delete", "unpublish one", "republish"}


def test_an_edit_after_a_state_without_a_layout_writes_the_data_files_whole(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A state kept before layouts were (no `layout` table, no sizes): the edit writes the
    data files whole, as before, and keeps their layout; the edit after it splices."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    db = sqlite3.connect(tmp_path / ".site.builds" / "state.sqlite")
    db.execute("DROP TABLE layout")
    db.execute("DELETE FROM meta WHERE name = 'layout_sizes'")
    db.commit()
    db.close()
    for number, summary in enumerate(("The ferry stopped for a week.", "And for a month.")):
        edit(store, "ferry-halt", summary=summary)
        report = build_site(store, SITE, out, workers=1)
        assert (report.spliced is not None and report.spliced.kernel > 0) == (number == 1)
        fresh = tmp_path / f"fresh-{number}"
        build_site(store, SITE, fresh, workers=1)
        mine = contents(snapshot(out))
        assert mine == contents(snapshot(fresh))


def test_the_home_chart_is_drawn_once_per_figures_and_kept_by_the_state(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The home page's chart drawings are kept in the build state by the hash of their
    figures: a build in a new process whose figures are those kept draws nothing (pygal is
    not even loaded), and one whose figures changed (a record moved to another month) draws
    them again — the home page is a fresh build's either way."""
    from casework.render import chart

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(chart, "DRAWN", {})
    drawn: list[bool] = []
    draw = chart._draw

    def counted(*args: Any) -> str:
        drawn.append(args[2])
        return draw(*args)

    monkeypatch.setattr(chart, "_draw", counted)
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    assert sorted(drawn) == [False, True]  # the wide drawing and the narrow one
    steps = [
        # The home page changes (its newest records), its chart's figures do not.
        ("retitle", lambda s: edit(s, "ferry-halt", title="The ferry stopped")),
        # One record to another month: the figures change.
        ("move", lambda s: edit(s, "ferry-halt", date=date(2022, 9, 9))),
    ]
    for number, (name, step) in enumerate(steps):
        chart.DRAWN.clear()  # as in a new process: only what the state kept
        del drawn[:]
        before = snapshot(out)
        step(store)
        build_site(store, SITE, out, workers=1)
        after = snapshot(out)
        assert before["index.html"][0] != after["index.html"][0], name  # written again
        assert sorted(drawn) == ([] if name == "retitle" else [False, True]), name
        fresh = tmp_path / f"fresh-{number}"
        build_site(store, SITE, fresh, workers=1)
        assert contents(snapshot(fresh))["index.html"] == contents(after)["index.html"], name


def test_a_data_file_error_beside_the_build_fails_it_and_leaves_the_site(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit writes its data files on a thread beside the rest of the build: an error
    there is the build's, the site stays as it was, and the data files the tree held, set
    aside to be unlinked on a thread, leave nothing behind; the next build is whole."""
    from casework.publish import datafiles

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    before = snapshot(out)
    edit(store, "pier-arrests", summary="Twelve fishermen were held at the pier.")

    def fails(*_: object, **__: object) -> Any:
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patched:
        patched.setattr(datafiles, "write_dataset", fails)
        with pytest.raises(RuntimeError, match="the disk is full"):
            build_site(store, SITE, out, workers=1)
    assert snapshot(out) == before
    builds = tmp_path / ".site.builds"
    assert not [p.name for p in builds.iterdir() if p.name.endswith("-files.trash")]
    build_site(store, SITE, out, workers=1)
    assert not [p.name for p in builds.iterdir() if p.name.endswith("-files.trash")]
    fresh = tmp_path / "fresh"
    build_site(store, SITE, fresh, workers=1)
    assert contents(snapshot(fresh)) == contents(snapshot(out))
