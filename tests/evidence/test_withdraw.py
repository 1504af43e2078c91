"""Withdrawing a public version's words (`casework withdraw`, the editor's form) and
checkpoints on the live site (`casework checkpoint`, /data/checkpoints.json served live), on
a real SQLite file and a real PostgreSQL database, with the real command line, a real build
and a real `casework serve`.

The record's first public version names a witness (the marker); its second leaves the name
out; the editor withdraws the first. No byte of the built site or of the live app may hold
the marker afterwards, and `casework verify` must stay clean — while a tombstone forged
without a signed withdrawal is caught."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient
from typer.testing import CliRunner

from casework.cli import app as cli_app
from casework.config import load_config
from casework.evidence import checkpoint as cp
from casework.evidence import ledger
from casework.model import Status
from casework.store import open_store
from casework.web.app import create_app
from tests.evidence import tamper
from tests.serving import free_port, launched
from tests.store.factories import make_record
from tests.test_public_bytes import crawl
from tests.web.editing import Team, team  # noqa: F401  # the editor's team, on each engine

runner = CliRunner()
MARKER = "zqxwitnessname"
REASON = "It named a witness; withdrawn for their safety"


@dataclass
class Tracker:
    folder: Path
    url: str
    site: Path

    def run(self, *args: str) -> tuple[int, str]:
        result = runner.invoke(
            cli_app,
            ["--tracker", str(self.folder), "--db", self.url, *args],
            env={"COLUMNS": "300", "CASEWORK_AUTHOR": "ed"},
        )
        return result.exit_code, result.stdout + result.stderr

    def verify(self, *args: str) -> list[str]:
        code, output = self.run("verify", *args)
        lines = [line for line in output.splitlines() if line.startswith("problem:")]
        assert code in (0, 1) and (code == 0) == (not lines), output
        return lines


def _fill(url: str) -> None:
    store = open_store(url)
    try:
        store.create(
            make_record(
                "pier-arrests",
                summary=f"Nine fishers were held at the pier, said {MARKER}, who saw the vans.",
            ),
            author="ana",
            message="new",
        )
        store.set_status(
            "pier-arrests", Status.published, base_revision=1, author="ed", message="p"
        )
        store.save(
            make_record(
                "pier-arrests", summary="Nine fishers were held at the pier, said a witness."
            ),
            base_revision=2,
            author="ed",
            message="the witness asked not to be named",
        )
        store.create(make_record("ferry-seized"), author="ana", message="new")
        store.set_status(
            "ferry-seized", Status.published, base_revision=1, author="ed", message="p"
        )
    finally:
        store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def tracker(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Tracker]:
    folder = tmp_path / "t"
    assert (
        runner.invoke(cli_app, ["init", str(folder), "--url", "https://m.example.org"]).exit_code
        == 0
    )
    if request.param == "postgres":
        from tests.store.pg import fresh_database

        with fresh_database("casework_withdraw") as url:
            _fill(url)
            yield Tracker(folder, url, tmp_path / "site")
    else:
        url = f"sqlite:///{folder / 'tracker.db'}"
        _fill(url)
        yield Tracker(folder, url, tmp_path / "site")


def site_bytes(site: Path) -> dict[str, bytes]:
    found = {}
    for top, _dirs, names in os.walk(site, followlinks=True):
        for name in names:
            path = Path(top) / name
            found[str(path.relative_to(site))] = path.read_bytes()
    return found


def withdrawn(tracker: Tracker) -> None:
    code, output = tracker.run("withdraw", "pier-arrests", "1", "--reason", REASON)
    assert code == 0, output
    assert "Withdrew public version 1 of pier-arrests" in output


def test_a_withdrawn_version_leaves_no_public_byte_and_verifies(tracker: Tracker) -> None:
    assert tracker.run("build", "--out", str(tracker.site))[0] == 0
    # The control: before the withdrawal, the first version shows the name.
    assert MARKER in (tracker.site / "incident/pier-arrests/v/1.json").read_text()
    withdrawn(tracker)
    code, output = tracker.run("build", "--out", str(tracker.site))
    assert code == 0, output

    assert "versions since withdrawn" in output  # the previous build, which shows them, went
    # Nothing beside the site either: the replaced build is not kept for rollback.
    # (renamed aside at once, as `.trash`, and deleted in the background).
    builds = tracker.site.parent / ".site.builds"
    kept = [p for p in builds.iterdir() if p.is_dir() and p.suffix == ""]
    assert kept == [tracker.site.resolve()]
    files = site_bytes(tracker.site)
    assert len(files) > 20
    assert [p for p, data in files.items() if MARKER.encode() in data.lower()] == []
    tombstone = json.loads(files["incident/pier-arrests/v/1.json"])
    assert "record" not in tombstone
    assert tombstone["withdrawn"]["reason"] == REASON
    assert set(tombstone) == {"slug", "version", "publishedAt", "leaf", "index", "content",
                              "withdrawn"}  # fmt: skip
    history = json.loads(files["incident/pier-arrests/history.json"])
    assert [("withdrawn" in v) for v in history["versions"]] == [True, False, False]
    # The withdrawal is a revision: who and why, in the history, and told to readers.
    code, output = tracker.run("history", "pier-arrests")
    assert "Withdrew public version 1: It named a witness" in output and "│ ed " in output
    record = json.loads(files["incident/pier-arrests.json"])["record"]
    assert record["updateLog"][-1]["summary"] == f"An earlier version was withdrawn: {REASON}"
    # The newest checkpoint signs the withdrawn leaf.
    newest = json.loads(files["data/checkpoints.json"])[-1]["checkpoint"]
    assert newest["withdrawn"] == [tombstone["leaf"]]

    assert tracker.verify(str(tracker.site)) == []
    assert tracker.verify(str(tracker.site / "data")) == []
    assert tracker.verify() == []
    assert tracker.verify("--against", str(tracker.site)) == []
    tomb = tracker.site / "incident/pier-arrests/v/1.json"
    assert tracker.verify(str(tomb), "--against", str(tracker.site)) == []

    # The live app: no answer holds the name; the tombstone is the built one.
    store = open_store(tracker.url)
    try:
        app = create_app(store, load_config(tracker.folder).site, tracker.folder, warm=False)
        client = TestClient(app)
        start = [
            "/", "/data/manifest.json", "/data/checkpoints.json", "/data/public-key.txt",
            "/data/log.json", "/data/records.json", "/data/records.csv", "/data/records.ndjson",
            "/data/records.sqlite", "/archive.json", "/api/incidents/pier-arrests",
            "/incident/pier-arrests/", "/incident/pier-arrests.json",
            "/incident/pier-arrests/history.json",
            *(f"/incident/pier-arrests/v/{n}.json" for n in (1, 2, 3)),
        ]  # fmt: skip
        answers = crawl(client, load_config(tracker.folder).site, start)
        assert len(answers) >= len(start)
        assert [p for p, body in answers.items() if MARKER.encode() in body.lower()] == []
        # Nor does any answer hold a checkpoint's private part (its salt, the full log's head).
        kept = cp.read_checkpoints(tracker.folder)
        private = [m.private[k].encode() for m in kept for k in ("salt", "head")]
        assert len(kept) == 3 and answers["/data/checkpoints.json"]
        assert [p for p, body in answers.items() if any(x in body for x in private)] == []
        # Searching for the name answers as searching for a word no record ever held.
        for path in ("/search/?q={}", "/api/incidents?q={}"):
            asked, other = client.get(path.format(MARKER)), client.get(path.format("zqxnever"))
            assert asked.content == other.content.replace(b"zqxnever", MARKER.encode()), path
        live = client.get("/incident/pier-arrests/v/1.json")
        assert live.status_code == 200 and live.json() == tombstone
    finally:
        store.close()


def test_a_forged_tombstone_and_an_undone_withdrawal_are_caught(
    tracker: Tracker, tmp_path: Path
) -> None:
    assert tracker.run("build", "--out", str(tracker.site))[0] == 0
    withdrawn(tracker)
    assert tracker.run("build", "--out", str(tracker.site))[0] == 0
    copy = tmp_path / "copy"
    shutil.copytree(tracker.site, copy, symlinks=False)
    assert tracker.verify(str(copy)) == []
    # Version 2 deleted behind a tombstone made with every hash right, but never withdrawn.
    path = copy / "incident/pier-arrests/v/2.json"
    real = json.loads(path.read_text())
    forged = {
        **{k: real[k] for k in ("slug", "version", "publishedAt", "leaf", "index")},
        "content": ledger.content_digest(real["record"]),
        "withdrawn": {"date": "2026-12-04", "reason": "we did not like it"},
    }
    path.unlink()
    path.write_text(json.dumps(forged))
    problems = tracker.verify(str(copy))
    assert any("no signed checkpoint lists as withdrawn" in p for p in problems), problems
    # The genuine tombstone moved to another record's address.
    shutil.copy(copy / "incident/pier-arrests/v/1.json", copy / "incident/ferry-seized/v/1.json")
    assert any("another record" in p for p in tracker.verify(str(copy)))
    # A tombstone whose leaf is not what its fields hash to.
    path.write_text(json.dumps({**forged, "content": "0" * 64}))
    assert any("does not hash to its leaf" in p for p in tracker.verify(str(copy)))
    # A tombstone with no withdrawal at all is no version document.
    path.write_text(json.dumps({k: forged[k] for k in ("slug", "version", "leaf", "index")}))
    assert tracker.verify(str(copy))
    # At the tracker: a withdrawal taken back out of the database that a checkpoint signed.
    with tamper.database(tracker.url) as db:
        db.execute(text("DELETE FROM withdrawals"))
    problems = tracker.verify()
    assert any("withdrawal(s) the tracker no longer holds" in p for p in problems), problems


def test_withdrawal_is_refused_without_a_reason_or_a_version(tracker: Tracker) -> None:
    for args, said in [
        (["pier-arrests", "1"], "needs a reason"),
        (["pier-arrests", "9", "--reason", "x"], "no public version 9"),
        (["nowhere", "1", "--reason", "x"], "nowhere"),
        (["pier-arrests", "2", "--reason", "x"], "what the record shows now"),
    ]:
        code, output = tracker.run("withdraw", *args)
        assert code == 1 and said in output, output
        assert len(output.strip().splitlines()) == 1, output
    withdrawn(tracker)
    code, output = tracker.run("withdraw", "pier-arrests", "1", "--reason", "again")
    assert code == 1 and "withdrawn already" in output
    store = open_store(tracker.url)
    try:
        assert len(store.history("pier-arrests")) == 4  # one revision: the one withdrawal
    finally:
        store.close()


def test_the_editor_offers_withdrawal_to_those_who_may_publish(team: Team) -> None:  # noqa: F811
    team.record("pier", Status.published, summary=f"Said {MARKER}.")
    saved = team.store.save(
        make_record("pier", summary="Said a witness."), base_revision=2, author="rita", message="m"
    )
    eve, rita = team.client("eve"), team.client("rita")
    assert "Withdraw this public version" not in eve.get("/edit/pier/history").text
    page = rita.get("/edit/pier/history").text
    # Version 1 only: version 2 is what the record shows now.
    assert page.count("Withdraw this public version") == 1
    token, _ = rita.form("/edit/pier/history")
    refused = eve.post(
        "/edit/pier/withdraw-version", {"csrf": eve.csrf(), "version": "1", "reason": "r"}
    )
    assert refused.status_code == 403
    empty = rita.post("/edit/pier/withdraw-version", {"csrf": token, "version": "1", "reason": " "})
    assert empty.status_code == 422
    done = rita.post(
        "/edit/pier/withdraw-version", {"csrf": token, "version": "1", "reason": REASON}
    )
    assert done.status_code == 303
    page = rita.get("/edit/pier/history").text
    assert "withdrawn" in page and REASON in page and "Withdrew public version 1" in page
    assert team.store.get("pier").revision == saved.revision + 1
    public = TestClient(team.app)
    assert MARKER not in public.get("/incident/pier/v/1.json").text
    assert public.get("/incident/pier/v/1.json").json()["withdrawn"]["reason"] == REASON


def test_checkpoints_on_the_live_site_verify_against_a_running_server(
    tracker: Tracker, tmp_path: Path
) -> None:
    from casework.evidence import verify
    from casework.ingest.fetch import FetchPolicy

    code, output = tracker.run("checkpoint")
    assert code == 0 and "Signed a checkpoint of 3 public versions" in output, output
    withdrawn(tracker)  # signs one too
    made = cp.read_checkpoints(tracker.folder)
    assert len(made) == 2 and made[0].checkpoint["files"] == {}
    secrets = [m.private["salt"] for m in made] + [m.private["head"] for m in made]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "casework", "-t", str(tracker.folder), "--db", tracker.url,
               "serve", "--port", str(port)]  # fmt: skip
    with launched(command, base, log=tmp_path / "serve.log"):
        local = FetchPolicy(allow_private=frozenset({"127.0.0.1"}))
        fetched = verify.fetch_published(base, tmp_path / "fetched", local)
        manifest = json.loads((fetched / "manifest.json").read_text())
        assert manifest["checkpoint"] == made[-1].published()
        assert manifest["publicKey"] == (fetched / cp.PUBLIC_KEY_NAME).read_text().strip()
        assert json.loads((fetched / "checkpoints.json").read_text()) == [
            m.published() for m in made
        ]
        import httpx

        answers = [
            httpx.get(base + path).content
            for path in ("/data/manifest.json", "/data/checkpoints.json", "/data/public-key.txt",
                         "/data/log.json", "/incident/pier-arrests/history.json",
                         "/incident/pier-arrests/v/1.json", "/api/stats")
        ]  # fmt: skip
        for body in answers:
            assert not any(secret.encode() in body for secret in secrets)
        # A version published after the newest checkpoint: the live log has grown past it.
        store = open_store(tracker.url)
        try:
            current = store.get("ferry-seized")
            store.save(
                make_record("ferry-seized", summary="The ferry was released on Tuesday."),
                base_revision=current.revision,
                author="ed",
                message="m",
            )
        finally:
            store.close()
        fetched = verify.fetch_published(base, tmp_path / "again", local)
    assert verify.verify_published(fetched) == []
    store = open_store(tracker.url)
    try:
        assert verify.verify_tracker(store, tracker.folder, against=fetched) == []
    finally:
        store.close()
    # Without a key the live site publishes no checkpoints (404), as before.


def test_migration_0011_builds_what_schema_py_describes(tracker: Tracker) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from casework.evidence.published import engine_of
    from casework.store.schema import metadata

    store = open_store(tracker.url)
    try:
        with engine_of(store).connect() as conn:  # type: ignore[union-attr]
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        store.close()
    assert [change for change in diff if "withdrawals" in repr(change)] == []


def test_the_editor_of_a_served_tracker_signs_the_withdrawal(tracker: Tracker) -> None:
    from argon2 import PasswordHasher

    from casework.store.accounts import Role
    from tests.web.editing import PASSWORD, Browser

    store = open_store(tracker.url)
    try:
        store.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
        store.accounts.add_user("rita", PASSWORD, Role.reviewer, "Rita")
        app = create_app(store, load_config(tracker.folder).site, tracker.folder, warm=False)
        rita = Browser(TestClient(app, base_url="http://testserver", follow_redirects=False))
        rita.sign_in("rita")
        token, _ = rita.form("/edit/pier-arrests/history")
        asked = {"csrf": token, "version": "1", "reason": REASON}
        assert rita.post("/edit/pier-arrests/withdraw-version", asked).status_code == 303
        signed = cp.read_checkpoints(tracker.folder)
        assert len(signed) == 1 and len(signed[0].checkpoint["withdrawn"]) == 1
        public = TestClient(app)
        assert public.get("/data/checkpoints.json").json() == [signed[0].published()]
        assert public.get("/data/manifest.json").json()["checkpoint"] == signed[0].published()
    finally:
        store.close()
    assert tracker.verify() == []


def test_a_worker_signs_checkpoints_on_a_schedule(tracker: Tracker) -> None:
    code, output = tracker.run("worker", "--once", "--checkpoint-every", "30m")
    assert code == 0 and "Signed a checkpoint" in output, output
    assert len(cp.read_checkpoints(tracker.folder)) == 1
    # The newest is not 30 minutes old: none is signed now.
    code, output = tracker.run("worker", "--once", "--checkpoint-every", "30m")
    assert code == 0 and "Signed" not in output, output
    assert len(cp.read_checkpoints(tracker.folder)) == 1
    code, output = tracker.run("worker", "--once", "--checkpoint-every", "soon")
    assert code == 1 and len(output.strip().splitlines()) == 1, output
    assert tracker.verify() == []
