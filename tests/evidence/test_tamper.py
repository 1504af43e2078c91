"""The tamper suite: every way of quietly rewriting a tracker's history that issue 13 names is
caught by `casework verify` (the real command), on a real SQLite file and a real PostgreSQL
database; an untouched tracker and site verify clean.

The forger here has write access to the database and knows every hash function: each rewrite
recomputes the per-record hash chains (which `history --verify` alone cannot tell from the
real thing), and the strongest also recomputes the whole revision log. What they lack is the
published checkpoints, held by every reader of the site."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Connection, text
from typer.testing import CliRunner

from casework.cli import app as cli_app
from casework.evidence import checkpoint as cp
from casework.model import Status
from casework.store import open_store
from tests.evidence import tamper
from tests.store.factories import make_record

runner = CliRunner()


@dataclass
class Tracker:
    folder: Path
    url: str
    site: Path

    def run(self, *args: str) -> tuple[int, str]:
        result = runner.invoke(cli_app, ["--tracker", str(self.folder), "--db", self.url, *args])
        return result.exit_code, result.stdout + result.stderr

    def verify(self, *args: str) -> list[str]:
        """The problems `casework verify` reports (none: it exited 0)."""
        code, output = self.run("verify", *args)
        lines = [line for line in output.splitlines() if line.startswith("problem:")]
        assert (code == 0) == (not lines), output
        assert code in (0, 1), output
        return lines


def _fill(url: str) -> None:
    """Records with histories: edited drafts published, an import, an edit while published,
    a draft that never was."""
    store = open_store(url)
    try:
        store.import_records(
            [
                make_record("ferry-seized"),
                make_record("radio-silenced", title="Radio station shut"),
            ],
            author="importer",
            message="first batch",
        )
        store.create(make_record("pier-arrests"), author="ana", message="new")
        store.save(
            make_record("pier-arrests", summary="Nine fishers were held overnight at the pier."),
            base_revision=1,
            author="ana",
            message="witness count",
        )
        store.set_status(
            "pier-arrests", Status.published, base_revision=2, author="ed", message="ok"
        )
        store.save(
            make_record(
                "radio-silenced", summary="The regulator revoked the licence without notice."
            ),
            base_revision=1,
            author="ana",
            message="sharper",
        )
        store.create(make_record("unreviewed-claim"), author="ana", message="draft")
    finally:
        store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def tracker(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Tracker]:
    folder = tmp_path / "t"
    code = runner.invoke(cli_app, ["init", str(folder)]).exit_code
    assert code == 0
    if request.param == "postgres":
        from tests.store.pg import fresh_database

        with fresh_database("casework_tamper") as url:
            yield _ready(folder, url, tmp_path)
    else:
        yield _ready(folder, f"sqlite:///{folder / 'tracker.db'}", tmp_path)


def _ready(folder: Path, url: str, tmp: Path) -> Tracker:
    _fill(url)
    made = Tracker(folder, url, tmp / "site")
    code, output = made.run("build", "--out", str(made.site))
    assert code == 0, output
    return made


def test_an_untouched_tracker_and_its_site_verify_clean(tracker: Tracker) -> None:
    assert tracker.verify() == []
    assert tracker.verify("--against", str(tracker.site)) == []
    assert tracker.verify(str(tracker.site)) == []
    assert tracker.verify(str(tracker.site / "data")) == []
    # A later edit and build: the new checkpoint extends the first.
    store = open_store(tracker.url)
    store.save(
        make_record("ferry-seized", summary="Changed."), base_revision=1, author="a", message="m"
    )
    store.close()
    assert tracker.run("build", "--out", str(tracker.site))[0] == 0
    assert len(cp.read_checkpoints(tracker.folder)) == 2
    assert tracker.verify("--against", str(tracker.site)) == []
    assert tracker.verify(str(tracker.site)) == []
    versions = json.loads((tracker.site / "incident/ferry-seized/history.json").read_text())
    assert [v["version"] for v in versions["versions"]] == [1, 2]
    # A build from nothing writes the older version from the stored revision: the same bytes.
    fresh = tracker.site.parent / "fresh"
    assert tracker.run("build", "--out", str(fresh))[0] == 0
    for n in (1, 2):
        path = f"incident/ferry-seized/v/{n}.json"
        assert (fresh / path).read_bytes() == (tracker.site / path).read_bytes()
    assert b"Changed." in (fresh / "incident/ferry-seized/v/2.json").read_bytes()
    assert b"Changed." not in (fresh / "incident/ferry-seized/v/1.json").read_bytes()
    assert tracker.verify(str(fresh)) == []


Forgery = Callable[[Connection], None]

FORGERIES: dict[str, Forgery] = {
    "an edited revision, its chain recomputed": lambda db: tamper.forge_edit(
        db, "pier-arrests", "Nine fishers", "Two fishers"
    ),
    "a history's tail cut": lambda db: tamper.cut_tail(db, "pier-arrests", 2),
    "a record deleted with its history": lambda db: tamper.delete_record(db, "radio-silenced"),
    "two records' histories swapped": lambda db: tamper.swap_histories(
        db, "ferry-seized", "radio-silenced"
    ),
    "a draft's history deleted": lambda db: tamper.delete_record(db, "unreviewed-claim"),
}


@pytest.mark.parametrize("forgery", FORGERIES, ids=list(FORGERIES))
@pytest.mark.parametrize("log", ["log as it was", "log recomputed"])
def test_every_rewrite_of_the_store_is_caught(tracker: Tracker, forgery: str, log: str) -> None:
    with tamper.database(tracker.url) as db:
        FORGERIES[forgery](db)
        if log == "log recomputed":
            tamper.rewrite_log(db)
    # The per-record chains alone are fooled: every hash in them was recomputed.
    code, output = tracker.run("history", "pier-arrests", "--verify")
    if forgery in ("an edited revision, its chain recomputed", "a history's tail cut"):
        assert code == 0, output
    problems = tracker.verify()
    assert problems, forgery
    if log == "log recomputed":
        # The log agrees with the forged store: only the signed checkpoint can tell.
        assert all("checkpoint" in line for line in problems), problems


def test_edits_of_the_log_itself_are_caught(tracker: Tracker) -> None:
    cases = [
        "UPDATE revision_log SET revision_hash = :zero WHERE seq = 2",
        "DELETE FROM revision_log WHERE seq = (SELECT max(seq) FROM revision_log)",
        "UPDATE revision_log SET head = :zero WHERE seq = 3",
        "UPDATE revision_log SET public_leaf = :zero WHERE public_leaf IS NOT NULL AND seq = 1",
    ]
    for statement in cases:
        with tamper.database(tracker.url) as db:
            saved = db.execute(text("SELECT * FROM revision_log ORDER BY seq")).all()
        with tamper.database(tracker.url) as db:
            db.execute(text(statement), {"zero": "0" * 64})
        assert tracker.verify(), statement
        with tamper.database(tracker.url) as db:
            db.execute(text("DELETE FROM revision_log"))
            for row in saved:
                db.execute(
                    text("INSERT INTO revision_log VALUES (:a, :b, :c, :d, :e, :f, :g)"),
                    dict(zip("abcdefg", row, strict=True)),
                )
        assert tracker.verify() == []
    # Entries cut from the end with the revisions they log: the checkpoint counted them.
    with tamper.database(tracker.url) as db:
        last = db.execute(text("SELECT slug, number FROM revision_log ORDER BY seq DESC")).first()
        assert last is not None
        if last[1] == 1:
            tamper.delete_record(db, last[0])
        else:
            tamper.cut_tail(db, last[0], last[1] - 1)
        db.execute(text("DELETE FROM revision_log WHERE seq = (SELECT max(seq) FROM revision_log)"))
    problems = tracker.verify()
    assert any("entries were removed" in line for line in problems), problems


def test_a_replaced_checkpoints_file_is_caught(tracker: Tracker, tmp_path: Path) -> None:
    path = tracker.folder / cp.CHECKPOINTS_NAME
    original = path.read_text()
    # Signed by another key: the tracker's key does not verify it.
    other = tmp_path / "other"
    other.mkdir()
    forged = cp.make_checkpoint(
        cp.make_key(other),
        public=cp.ledger.LogHead(0, cp.ledger.ZERO_HEAD),
        full=cp.ledger.LogHead(0, cp.ledger.ZERO_HEAD),
        time="2026-01-01T00:00:00.000000Z",
        files={},
    )
    path.write_text(forged.line() + "\n")
    assert any("signature" in line for line in tracker.verify())
    # Emptied (so that a rewritten log has nothing to answer to): the published copies catch it.
    path.write_text("")
    with tamper.database(tracker.url) as db:
        tamper.cut_tail(db, "pier-arrests", 1)
        tamper.rewrite_log(db)
    assert tracker.verify() == []  # alone, the tracker cannot know
    problems = tracker.verify("--against", str(tracker.site))
    assert any("not in the tracker's checkpoints file" in line for line in problems), problems
    assert any("published versions" in line for line in problems), problems
    path.write_text(original)
    assert tracker.verify()


def _site_copy(tracker: Tracker, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(tracker.site.resolve(), copy)
    return copy


@pytest.mark.parametrize("engine_free", ["sqlite"])
def test_a_changed_site_or_dataset_is_caught(tmp_path: Path, engine_free: str) -> None:
    folder = tmp_path / "t"
    assert runner.invoke(cli_app, ["init", str(folder)]).exit_code == 0
    tracker = _ready(folder, f"sqlite:///{folder / 'tracker.db'}", tmp_path)
    version = tracker.site / "incident/pier-arrests/v/1.json"
    assert tracker.verify(str(tracker.site)) == []

    def changed(edit: Callable[[Path], None]) -> list[str]:
        copy = _site_copy(tracker, tmp_path)
        edit(copy)
        try:
            return tracker.verify(str(copy))
        finally:
            shutil.rmtree(copy)

    def edit_version(site: Path) -> None:
        target = site / "incident/pier-arrests/v/1.json"
        target.write_text(target.read_text().replace("Nine fishers", "Two fishers"))

    def edit_version_and_its_leaf(site: Path) -> None:
        from casework.evidence.published import leaf_of_document

        target = site / "incident/pier-arrests/v/1.json"
        document = json.loads(target.read_text().replace("Nine fishers", "Two fishers"))
        document["leaf"] = leaf_of_document(document)
        target.write_text(json.dumps(document))

    def edit_dataset(site: Path) -> None:
        target = site / "data/records.json"
        target.write_text(target.read_text().replace("Nine fishers", "Two fishers"))

    def edit_log(site: Path) -> None:
        target = site / "data/log.json"
        log = json.loads(target.read_text())
        log["leaves"] = log["leaves"][:-1]
        target.write_text(json.dumps(log))

    def forge_checkpoint(site: Path) -> None:
        target = site / "data/checkpoints.json"
        signed = json.loads(target.read_text())
        signed[-1]["checkpoint"]["size"] -= 1
        target.write_text(json.dumps(signed))

    assert "Nine fishers" in version.read_text()
    assert any("does not hash to its leaf" in p for p in changed(edit_version))
    assert any("not in the public log" in p for p in changed(edit_version_and_its_leaf))
    assert any("SHA-256" in p for p in changed(edit_dataset))
    assert changed(edit_log)
    assert any("signature" in p for p in changed(forge_checkpoint))


def test_a_site_re_signed_with_another_key_fails_against_the_pinned_key(
    tracker: Tracker, tmp_path: Path
) -> None:
    copy = _site_copy(tracker, tmp_path)
    pinned = (copy / "data" / cp.PUBLIC_KEY_NAME).read_text().strip()
    # The forger re-signs every checkpoint with a key of their own and publishes its public key.
    other = tmp_path / "forger"
    other.mkdir()
    key = cp.make_key(other)
    signed = json.loads((copy / "data/checkpoints.json").read_text())
    for item in signed:
        item["checkpoint"]["key"] = cp.key_id(key.public_key())
        item["signature"] = cp.base64.b64encode(
            key.sign(cp.signed_bytes(item["checkpoint"]))
        ).decode()
    (copy / "data/checkpoints.json").write_text(json.dumps(signed))
    manifest = json.loads((copy / "data/manifest.json").read_text())
    manifest["checkpoint"] = signed[-1]
    (copy / "data/manifest.json").write_text(json.dumps(manifest))
    (copy / "data" / cp.PUBLIC_KEY_NAME).write_text(cp.public_key_text(key.public_key()))
    assert tracker.verify(str(copy)) == []  # consistent with the key it ships
    problems = tracker.verify(str(copy), "--key", pinned)
    assert problems and all("signature" in p for p in problems)


def test_a_single_version_file_verifies_against_its_site(tracker: Tracker, tmp_path: Path) -> None:
    version = tracker.site / "incident/pier-arrests/v/1.json"
    assert tracker.verify(str(version), "--against", str(tracker.site)) == []
    forged = tmp_path / "1.json"
    forged.write_text(version.read_text().replace("Nine fishers", "Two fishers"))
    assert tracker.verify(str(forged), "--against", str(tracker.site))


def test_verify_against_checkpoints_fetched_from_the_published_site(tracker: Tracker) -> None:
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from casework.evidence import verify
    from casework.ingest.fetch import FetchPolicy
    from casework.store import open_store as reopen

    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tracker.site.resolve()))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        local = FetchPolicy(allow_private=frozenset({"127.0.0.1"}))
        downloaded = verify.fetch_published(url, tracker.site.parent / "fetched", local)
        (tracker.folder / cp.CHECKPOINTS_NAME).write_text("")
        with tamper.database(tracker.url) as db:
            tamper.cut_tail(db, "pier-arrests", 2)
            tamper.rewrite_log(db)
        store = reopen(tracker.url)
        try:
            problems = verify.verify_tracker(store, tracker.folder, against=downloaded)
        finally:
            store.close()
        assert any("not in the tracker's checkpoints file" in p for p in problems), problems
        # The command line fetches as the ingest fetcher does for the public web: this
        # machine's own addresses are refused, in one line.
        code, output = tracker.run("verify", "--against", url)
        assert code == 1 and "loopback" in output and len(output.strip().splitlines()) == 1
    finally:
        server.shutdown()
        server.server_close()
