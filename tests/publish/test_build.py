"""casework build on a real SQLite tracker: what it writes, what it never writes, what it
rewrites after an edit, and that a killed build leaves the previous site intact."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from casework.formats import record_document
from casework.model import Status
from casework.publish.build import build_site
from casework.store import open_store
from casework.store.base import Store
from tests.publish.conftest import DRAFT_MARKERS, SITE
from tests.store.factories import make_record

EXPECTED = [
    "index.html",
    "404.html",
    "robots.txt",
    "sitemap.xml",
    "feed.xml",
    "archive.json",
    "about/index.html",
    "search/index.html",
    "search/index/meta.json",
    "static/style.css",
    "static/search.js",
    "incident/harbour-closure/index.html",
    "incident/harbour-closure.json",
    "incident/pier-arrests/index.html",
    "category/civil-liberties/index.html",
    "category/rule-of-law/index.html",
    "severity/severe/index.html",
    "posture/reported/index.html",
    "year/2022/index.html",
    "tag/index.html",
    "tag/harbour/index.html",
    "law/index.html",
    "law/iccpr/index.html",
    "law/ottawa-convention/index.html",
    "law/convention-against-torture/index.html",
    "law/torture-convention/index.html",
    "entity/index.html",
    "entity/port-authority/index.html",
    "timeline/index.html",
    "timeline/2021/index.html",
    "collections/index.html",
    "collections/harbour/index.html",
    "collections/harbour.json",
    "data/index.html",
    "data/manifest.json",
    "data/records.json",
    "data/records.ndjson",
    "data/records.csv",
    "data/records.sqlite",
]


def files_of(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}


def test_build_writes_every_page_and_file(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    report = build_site(store, SITE, out, workers=1)
    assert report.changed and report.records == 3
    found = files_of(out)
    missing = [path for path in EXPECTED if path not in found]
    assert not missing
    # A record's JSON is docs/format.md's record document, byte for byte but for generatedAt.
    written = json.loads(found["incident/harbour-closure.json"].read_text())
    expected = record_document(store.get("harbour-closure").record, SITE, written["generatedAt"])
    assert written == expected
    assert found["incident/harbour-closure.json"].read_text() == json.dumps(
        expected, indent=2, ensure_ascii=False
    )
    archive = json.loads(found["archive.json"].read_text())
    assert archive["recordCount"] == 3
    assert [r["slug"] for r in archive["records"]] == [
        "harbour-closure",
        "pier-arrests",
        "ferry-halt",
    ]
    # The manifest's figures are those of the files on disk.
    manifest = json.loads(found["data/manifest.json"].read_text())
    for entry in manifest["files"]:
        data = (out / "data" / entry["name"]).read_bytes()
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    collection = json.loads(found["collections/harbour.json"].read_text())
    assert [r["slug"] for r in collection["records"]] == ["harbour-closure", "pier-arrests"]


def test_no_unpublished_byte_reaches_the_output(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=2)
    scanned = 0
    for path in files_of(out).values():
        data = path.read_bytes()
        scanned += len(data)
        for marker in DRAFT_MARKERS:
            for form in (marker, marker.lower()):
                assert form.encode() not in data, f"{form} leaked into {path}"
        assert b"secret-" not in data, f"a draft slug leaked into {path}"
    assert scanned > 100_000
    # Unpublishing a record removes it from the next build everywhere.
    stored = store.get("ferry-halt")
    store.set_status(
        "ferry-halt", Status.draft, base_revision=stored.revision, author="t", message="unpublish"
    )
    build_site(store, SITE, out, workers=1)
    for path in files_of(out).values():
        assert b"ferry-halt" not in path.read_bytes(), path


def test_a_record_unpublished_while_the_build_reads_is_left_out(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build reads the published records' versions, then the records: a record
    unpublished between the two reads (another process's write) is not public any more.
    The build leaves it out instead of failing on it."""
    from casework.publish import public_view

    original = public_view.PublicView.records

    def records_then_unpublish(view: public_view.PublicView) -> Any:
        stored = store.get("ferry-halt")
        store.set_status(
            "ferry-halt", Status.draft, base_revision=stored.revision, author="t", message="m"
        )
        return original(view)

    monkeypatch.setattr(public_view.PublicView, "records", records_then_unpublish)
    out = tmp_path / "site"
    report = build_site(store, SITE, out, workers=1)
    assert report.changed and not (out / "incident" / "ferry-halt").exists()
    for path in files_of(out).values():
        assert b"ferry-halt" not in path.read_bytes(), path


def test_a_second_build_without_changes_writes_nothing(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    target = os.readlink(out)
    before = {p: f.stat().st_mtime_ns for p, f in files_of(out).items()}
    report = build_site(store, SITE, out, workers=1)
    assert not report.changed
    assert os.readlink(out) == target
    assert {p: f.stat().st_mtime_ns for p, f in files_of(out).items()} == before


def test_an_edit_rewrites_only_the_pages_that_show_the_record(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    inodes = {p: f.stat().st_ino for p, f in files_of(out).items()}
    stored = store.get("ferry-halt")
    edited = stored.record.model_copy(update={"summary": "The ferry stopped running. EDITED"})
    store.save(edited, base_revision=stored.revision, author="t", message="edit")
    report = build_site(store, SITE, out, workers=1)
    # The data files hold every record: the others' shares are the build state's.
    assert report.changed and report.records_loaded == 1
    after = files_of(out)
    rewritten = {p for p, f in after.items() if inodes.get(p) != f.stat().st_ino}
    assert "incident/ferry-halt/index.html" in rewritten
    assert "incident/ferry-halt.json" in rewritten
    assert "index.html" in rewritten and "feed.xml" in rewritten
    assert "data/records.ndjson" in rewritten
    assert "category/civil-liberties/index.html" in rewritten
    # Pages that do not show the edited record are the previous build's files (hard links).
    for kept in (
        "incident/harbour-closure/index.html",
        "incident/pier-arrests.json",
        "law/iccpr/index.html",
        "entity/port-authority/index.html",
        "category/rule-of-law/index.html",
        "static/style.css",
    ):
        assert kept not in rewritten, kept
    assert "EDITED" in after["incident/ferry-halt/index.html"].read_text()
    # The search index has the edit, and the unchanged records' terms (kept in the state).
    shards = "".join(p.read_text() for n, p in after.items() if n.startswith("search/index/terms-"))
    # Terms are stemmed search keys (casework.search_words).
    assert '"edit"' in shards and '"harbour"' in shards and '"fishermen"' in shards
    meta = json.loads(after["search/index/meta.json"].read_text())
    assert sorted(r[0] for r in meta["records"]) == [
        "ferry-halt",
        "harbour-closure",
        "pier-arrests",
    ]
    # A changed title reaches the pages of records that link to it.
    stored = store.get("pier-arrests")
    store.save(
        stored.record.model_copy(update={"title": "Arrests at the pier RENAMED"}),
        base_revision=stored.revision,
        author="t",
        message="retitle",
    )
    inodes = {p: f.stat().st_ino for p, f in files_of(out).items()}
    build_site(store, SITE, out, workers=1)
    after = files_of(out)
    assert (
        after["incident/harbour-closure/index.html"].stat().st_ino
        != inodes["incident/harbour-closure/index.html"]
    )
    assert "RENAMED" in after["incident/harbour-closure/index.html"].read_text()
    assert (
        after["incident/ferry-halt/index.html"].stat().st_ino
        == inodes["incident/ferry-halt/index.html"]
    )


def related_of(out: Path, slug: str) -> list[str]:
    return json.loads((out / f"incident/{slug}.json").read_text())["record"]["relatedIncidents"]


def kept_builds(out: Path) -> list[Path]:
    """The builds a rollback could point the site at (folders being deleted are not)."""
    builds = out.parent / f".{out.name}.builds"
    return sorted(p for p in builds.iterdir() if p.is_dir() and p.suffix == "")


def test_a_draft_under_a_related_slug_leaves_the_published_records_json(
    store: Store, tmp_path: Path
) -> None:
    stored = store.get("ferry-halt")
    named = stored.record.model_copy(
        update={"related_incidents": ["ferry-inquiry", "pier-arrests"]}
    )
    store.save(named, base_revision=stored.revision, author="t", message="relate")
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    # No record here has that slug: the relation stays as authored.
    assert related_of(out, "ferry-halt") == ["ferry-inquiry", "pier-arrests"]
    # A draft that no published record names changes nothing public: nothing is written.
    store.create(make_record("unrelated-draft"), author="t", message="draft")
    assert not build_site(store, SITE, out, workers=1).changed
    # A draft under the named slug: the published record no longer names it, anywhere.
    inodes = {p: f.stat().st_ino for p, f in files_of(out).items()}
    store.create(make_record("ferry-inquiry"), author="t", message="draft")
    assert build_site(store, SITE, out, workers=1).changed
    assert related_of(out, "ferry-halt") == ["pier-arrests"]
    for build in kept_builds(out):
        for path in files_of(build).values():
            assert b"ferry-inquiry" not in path.read_bytes(), path
    rewritten = {p for p, f in files_of(out).items() if inodes.get(p) != f.stat().st_ino}
    assert "incident/ferry-halt.json" in rewritten
    # Its page showed only published related records: the same bytes, linked.
    for kept in ("incident/ferry-halt/index.html", "incident/pier-arrests.json", "index.html"):
        assert kept not in rewritten, kept
    assert not build_site(store, SITE, out, workers=1).changed
    # Published, it is named again.
    store.set_status("ferry-inquiry", Status.published, base_revision=1, author="t", message="p")
    assert build_site(store, SITE, out, workers=1).changed
    assert related_of(out, "ferry-halt") == ["ferry-inquiry", "pier-arrests"]
    assert not build_site(store, SITE, out, workers=1).changed


def test_no_build_kept_for_rollback_shows_a_record_unpublished_since(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "site"

    def edit(slug: str, summary: str) -> None:
        stored = store.get(slug)
        changed = stored.record.model_copy(update={"summary": summary})
        store.save(changed, base_revision=stored.revision, author="t", message="edit")

    build_site(store, SITE, out, workers=1)
    edit("harbour-closure", "Closed again.")
    build_site(store, SITE, out, workers=1)
    assert len(kept_builds(out)) == 2  # the previous build is kept
    stored = store.get("ferry-halt")
    store.set_status(
        "ferry-halt", Status.draft, base_revision=stored.revision, author="t", message="back"
    )
    report = build_site(store, SITE, out, workers=1)
    assert kept_builds(out) == [out.resolve()]  # rolling back would have republished it
    assert report.withdrawn == 1
    # The next build keeps its previous one again: it shows nothing taken back.
    edit("harbour-closure", "Closed once more.")
    assert build_site(store, SITE, out, workers=1).withdrawn == 0
    assert len(kept_builds(out)) == 2
    for build in kept_builds(out):
        for path in files_of(build).values():
            assert b"ferry-halt" not in path.read_bytes(), path


def test_a_build_killed_before_removing_a_withdrawn_build_has_it_removed_next_time(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    stored = store.get("ferry-halt")
    store.set_status(
        "ferry-halt", Status.draft, base_revision=stored.revision, author="t", message="back"
    )
    build_site(store, SITE, out, workers=1)
    assert kept_builds(out) == [out.resolve()]
    # As if the build had been killed between its swap and its removal of the old build.
    left = out.resolve().parent / "20000101T000000000000-1"
    shutil.copytree(out.resolve(), left, copy_function=os.link)
    (left / "incident" / "ferry-halt.json").write_text("{}")
    report = build_site(store, SITE, out, workers=1)
    assert not report.changed
    assert kept_builds(out) == [out.resolve()]


def test_a_statute_cited_by_an_alias_links_to_its_one_page(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    record = (out / "incident/ferry-halt/index.html").read_text()
    assert '<a href="/law/convention-against-torture/">Torture Convention</a>' in record
    assert '<a href="/law/iccpr/">ICCPR</a>' in record
    page = (out / "law/convention-against-torture/index.html").read_text()
    assert "<h1>Convention against Torture</h1>" in page
    assert "Also cited as: Torture Convention." in page
    assert "/incident/ferry-halt/" in page
    moved = (out / "law/torture-convention/index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=/law/convention-against-torture/">' in moved
    assert '<a href="/law/convention-against-torture/">Convention against Torture</a>' in moved
    assert "<script" not in moved
    index = (out / "law/index.html").read_text()
    assert (
        index.count("/law/convention-against-torture/") == 1 and "torture-convention" not in index
    )
    # The record's JSON keeps the statute as written.
    document = json.loads((out / "incident/ferry-halt.json").read_text())
    statutes = [p["statute"] for p in document["record"]["internationalLaw"]]
    assert statutes == ["ICCPR", "Torture Convention"]


def test_a_build_refuses_to_replace_a_folder_it_did_not_make(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(Exception, match="not a casework build output"):
        build_site(store, SITE, out, workers=1)
    assert (out / "notes.txt").read_text() == "mine"


def test_a_killed_build_leaves_the_previous_site_intact(tmp_path: Path) -> None:
    """Kill `casework build` at several moments; the site is always the first build, whole."""
    tracker = tmp_path / "t"
    subprocess.run(
        [sys.executable, "-m", "casework", "init", str(tracker)], check=True, capture_output=True
    )
    subprocess.run(
        [sys.executable, "-m", "casework", "--tracker", str(tracker), "generate", "300"],
        check=True,
        capture_output=True,
    )
    out = tmp_path / "site"
    build = [
        sys.executable,
        "-m",
        "casework",
        "--tracker",
        str(tracker),
        "build",
        "--out",
        str(out),
    ]
    subprocess.run(build, check=True, capture_output=True)
    first = {p: f.read_bytes() for p, f in files_of(out).items()}
    store = open_store(tracker / "tracker.db")
    for delay in (0.2, 0.6, 1.0, 1.6):
        # Every record changes, so the next build rewrites every page.
        for stored in list(store.iter_records(status=Status.published))[:300]:
            store.save(
                stored.record.model_copy(update={"summary": f"v{delay} " + stored.record.summary}),
                base_revision=stored.revision,
                author="t",
                message="edit",
            )
        process = subprocess.Popen(build, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = {p: f.read_bytes() for p, f in files_of(out).items()}
        if now != first:
            # The build finished before the kill: then it must be whole and new (with a new
            # version file of each record edited while published).
            assert set(first) <= set(now)
            assert all("/v/" in path for path in set(now) - set(first))
            first = now
    store.close()
    # And the next build completes and cleans up what the killed ones left.
    subprocess.run(build, check=True, capture_output=True)
    # (Folders set aside as `.trash` are being deleted in the background.)
    builds = [p for p in (tmp_path / ".site.builds").iterdir() if p.is_dir()]
    assert not [p for p in builds if p.suffix == ".partial"]
    assert len([p for p in builds if p.suffix == ""]) <= 2


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if (
                name in ("href", "src", "action")
                and value
                and value.strip().lower().startswith(("javascript:", "vbscript:"))
            ):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag == "script":
            kinds = dict(attrs)
            # Data, not script: JSON-LD, and the words search.js and listing.js write
            # (render/i18n.py script_words, through Jinja's tojson, which escapes "<").
            data = kinds.get("type") == "application/ld+json" or (
                kinds.get("type") == "application/json" and kinds.get("id") == "ui-words"
            )
            if not data and not (kinds.get("src") or "").endswith(
                ("static/search.js", "static/snowball.js", "static/listing.js", "static/words.js")
            ):
                self.problems.append(f"<script {attrs}>")


def test_hostile_text_in_every_field_is_inert(tmp_path: Path) -> None:
    from tests.publish.xss import hostile_record

    store = open_store(tmp_path / "tracker.db")
    store.import_records([hostile_record()], author="t", message="x")
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    store.close()
    pages = [p for p in files_of(out).values() if p.suffix == ".html"]
    assert len(pages) > 15
    for page in pages:
        parser = _Scripts()
        parser.feed(page.read_text())
        assert not parser.problems, (page, parser.problems)


def test_the_build_holds_no_record_object_while_it_renders(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each record read is made into what the build keeps of it and pickled into the spill
    file the renderers read it back from (publish/build.py `_Spill`): while the pages render,
    the build does not hold every record (at 10,000 records they were its largest part, and
    forked workers copied the memory they sat in). Only the feed's records (one here) and the
    last one read may be alive."""
    import gc

    from casework.model import Record
    from casework.publish import build

    alive: list[int] = []
    render_pages = build._render_pages

    def records_alive() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, Record))

    def counting(indices: list[int]) -> int:
        alive.append(records_alive() - before)
        return render_pages(indices)

    # Those this process held before the build (the fixture's, and any an earlier test in
    # the same worker left in a cache) are not the build's.
    before = records_alive()

    monkeypatch.setattr(build, "_render_pages", counting)
    monkeypatch.setattr(build, "FEED_ENTRIES", 1)
    out = tmp_path / "site"
    report = build_site(store, SITE, out, workers=1)
    assert report.records == 3 and alive
    assert max(alive) < report.records
    # The pages are the records' all the same.
    for slug in ("harbour-closure", "pier-arrests"):
        assert slug in (out / "incident" / slug / "index.html").read_text()
