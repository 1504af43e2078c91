"""The editorial rules, through every entry point that changes records, on both engines:

- no entry point defaults a legal classification, and none publishes without one;
- no entry point goes around review: new imports are drafts, an import over a record keeps its
  status, an editor's role publishes nothing whichever way it asks;
- every change to a published record's public content is disclosed with an updateLog entry of
  today and lastUpdated today, whichever way it arrives;
- the editor's own form keys never show in a revision view.

The entry points are the real ones: the command line (in process, through typer), the editor's
forms and the editing API (through the app, signing in and sending tokens as a client does),
`casework import`, and ingest's queue → worker → proposal → `casework review` (and the editor's
proposal page). Each test names the rule; each case names the entry point.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from casework.config import render_config
from casework.formats import record_document
from casework.model import Record, Site, Status
from casework.store import open_store
from casework.store.accounts import Role, TokenScope
from casework.store.base import Store
from casework.web.app import create_app
from tests.store.factories import make_record
from tests.test_cli import cw
from tests.web.editing import PASSWORD, Browser, fields_of

SITE = Site(url="https://m.example.org", title="Monitor")
OLD_DAY = "2024-01-10"  # lastUpdated of the seeded records: "today" is never this
ARTICLE = """# Harbour crews describe a second night at the checkpoint

By Lena Ostrova | March 20, 2021

Fishing crews were held at the northern pier checkpoint again on March 16, 2021, the Coast
Post learned. "Nobody told us why we were stopped," said Marta Kell, a boat owner.

Port police detained 12 crew members overnight before releasing them without charge.
"""


def today() -> date:
    return datetime.now(UTC).date()


@dataclass
class Desk:
    """A tracker folder, its database (on one engine) and the team: the admin ada, the
    editor eve, the reviewer rita; API tokens for eve and rita."""

    folder: Path
    url: str
    store: Store
    app: Any
    tokens: dict[str, str]

    def cli(self, *args: str) -> tuple[int, str, str]:
        return cw(self.folder, "--db", self.url, *args)

    def browser(self, username: str) -> Browser:
        client = TestClient(self.app, base_url="http://testserver", follow_redirects=False)
        browser = Browser(client)
        browser.sign_in(username)
        return browser

    def api(self, username: str) -> TestClient:
        return TestClient(
            self.app,
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {self.tokens[username]}"},
        )

    def seed(self, slug: str, status: Status, **changes: Any) -> Record:
        record = make_record(slug, lastUpdated=OLD_DAY, **changes)
        self.store.create(record, author="seed", message="seed", status=status)
        return record


@pytest.fixture(params=["sqlite", "postgres"])
def desk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Desk]:
    folder = tmp_path / "tracker"
    folder.mkdir()
    (folder / "casework.toml").write_text(render_config(SITE), encoding="utf-8")
    if request.param == "postgres":
        from tests.store.pg import fresh_database

        with fresh_database("casework_rules") as url:
            yield from _desk(folder, url)
    else:
        yield from _desk(folder, f"sqlite:///{folder / 'tracker.db'}")


def _desk(folder: Path, url: str) -> Iterator[Desk]:
    from argon2 import PasswordHasher

    store = open_store(url)
    store.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
    tokens = {}
    for username, role in (("ada", Role.admin), ("eve", Role.editor), ("rita", Role.reviewer)):
        store.accounts.add_user(username, PASSWORD, role, username.title())
        tokens[username] = store.accounts.create_token(username, "rules", scope=TokenScope.write)[0]
    yield Desk(folder, url, store, create_app(store, SITE, folder), tokens)
    store.close()


def wire(record: Record, **changes: Any) -> dict[str, Any]:
    data = record_document(record, SITE, "2026-01-01T00:00:00.000Z")["record"]
    data.update(changes)
    return data


def record_file(folder: Path, name: str, *records: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


# --- creating: no legal classification is made up -------------------------------------------
def create_by_cli(desk: Desk) -> str:
    code, _, err = desk.cli("new", "Crews held at the pier", "--slug", "made-by-cli")
    assert code == 0, err
    return "made-by-cli"


def create_by_editor(desk: Desk) -> str:
    eve = desk.browser("eve")
    fields = [
        (k, v) for k, v in fields_of(make_record("x")) if k != "warCrimeClassification"
    ]  # the form as it comes: the select left at "not chosen yet"
    page = eve.http.get("/edit/new")
    assert 'value="" selected>Not chosen yet' in page.text
    answer = eve.post(
        "/edit/new",
        [*fields, ("warCrimeClassification", ""), ("slug", "made-by-editor"),
         ("csrf", eve.csrf())],
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    return "made-by-editor"


def create_by_api(desk: Desk) -> str:
    data = wire(make_record("made-by-api"))
    del data["warCrimeClassification"]
    answer = desk.api("eve").post("/api/records", json={"record": data})
    assert answer.status_code == 201, answer.text
    return "made-by-api"


def create_by_import(desk: Desk) -> str:
    data = wire(make_record("made-by-import"), warCrimeClassification="")
    code, _, err = desk.cli("import", str(record_file(desk.folder, "new.ndjson", data)))
    assert code == 0, err
    return "made-by-import"


def create_by_ingest(desk: Desk) -> str:
    """An article about nothing in the tracker, through the queue, a worker and review."""
    article = desk.folder / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    assert desk.cli("ingest", str(article), "--queue", "--url", "https://ex.org/a")[0] == 0
    code, _, err = desk.cli("worker", "--once")
    assert code == 0, err
    code, out, err = desk.cli("review", "--accept", "all")
    assert code == 0, err
    made = [s for s in desk.store.slugs() if "harbour-crews" in s]
    assert len(made) == 1, out
    return made[0]


CREATORS = {
    "cli new": create_by_cli,
    "editor form": create_by_editor,
    "editing API": create_by_api,
    "import": create_by_import,
    "ingest review": create_by_ingest,
}


@pytest.mark.parametrize("entry", list(CREATORS))
def test_no_entry_point_defaults_a_legal_classification(desk: Desk, entry: str) -> None:
    slug = CREATORS[entry](desk)
    stored = desk.store.get(slug)
    assert stored.status is Status.draft
    assert stored.record.war_crime_classification == ""


# --- publishing: never without a chosen classification --------------------------------------
def publish_by_cli(desk: Desk, slug: str) -> bool:
    return desk.cli("publish", slug)[0] == 0


def publish_by_editor(desk: Desk, slug: str) -> bool:
    rita = desk.browser("rita")
    token, base = rita.form(f"/edit/{slug}/")
    answer = rita.post(
        f"/edit/{slug}/workflow", {"act": "publish", "csrf": token, "base_revision": str(base)}
    )
    return answer.status_code == 303


def publish_by_api(desk: Desk, slug: str) -> bool:
    base = desk.store.get(slug).revision
    answer = desk.api("rita").post(
        f"/api/records/{slug}/status", json={"status": "published", "baseRevision": base}
    )
    if answer.status_code != 200:
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"] == ["body", "record", "warCrimeClassification"]
    return answer.status_code == 200


PUBLISHERS = {"cli publish": publish_by_cli, "editor": publish_by_editor, "API": publish_by_api}


@pytest.mark.parametrize("entry", list(PUBLISHERS))
def test_no_entry_point_publishes_a_record_without_a_classification(desk: Desk, entry: str) -> None:
    desk.seed("unclassified", Status.draft, warCrimeClassification="")
    assert not PUBLISHERS[entry](desk, "unclassified")
    assert desk.store.get("unclassified").status is Status.draft
    desk.seed("classified", Status.draft, warCrimeClassification="none")  # "none" is a choice
    assert PUBLISHERS[entry](desk, "classified")
    assert desk.store.get("classified").status is Status.published


def test_an_import_that_publishes_refuses_every_record_without_a_classification(
    desk: Desk,
) -> None:
    good = wire(make_record("good"))
    bad = wire(make_record("bad"), warCrimeClassification="")
    source = record_file(desk.folder, "both.ndjson", good, bad)
    code, _, err = desk.cli("import", "--status", "published", str(source))
    assert code == 1 and "bad" in err and "warCrimeClassification" in err
    assert desk.store.count() == 0  # all or nothing


@pytest.mark.parametrize("entry", ["editor", "API"])
def test_an_editor_role_publishes_nothing_whichever_way_it_asks(desk: Desk, entry: str) -> None:
    desk.seed("pending", Status.review)
    if entry == "editor":
        eve = desk.browser("eve")
        token, base = eve.form("/edit/pending/")
        answer = eve.post(
            "/edit/pending/workflow", {"act": "publish", "csrf": token, "base_revision": base}
        )
    else:
        answer = desk.api("eve").post(
            "/api/records/pending/status", json={"status": "published", "baseRevision": 1}
        )
    assert answer.status_code == 403
    assert desk.store.get("pending").status is Status.review


# --- imports over existing records keep their status ----------------------------------------
def test_importing_a_markdown_export_over_a_draft_keeps_it_a_draft(desk: Desk) -> None:
    desk.seed("quiet-draft", Status.draft)
    folder = desk.folder / "exported"
    assert desk.cli("export", "--all", "--format", "markdown", "-o", str(folder))[0] == 0
    page = folder / "quiet-draft.md"
    page.write_text(
        page.read_text("utf-8").replace("Harbour closed", "Harbour sealed"), encoding="utf-8"
    )
    code, _, err = desk.cli("import", "--replace", str(page))
    assert code == 0, err
    stored = desk.store.get("quiet-draft")
    assert stored.status is Status.draft and stored.record.title.startswith("Harbour sealed")


def test_importing_the_same_record_again_makes_no_revision(desk: Desk) -> None:
    record = desk.seed("steady", Status.published)
    source = record_file(desk.folder, "same.ndjson", wire(record))
    assert desk.cli("import", "--replace", str(source))[0] == 0
    assert [r.number for r in desk.store.history("steady")] == [1]


# --- every public change is disclosed -------------------------------------------------------
def change_by_editor_form(desk: Desk, slug: str) -> None:
    rita = desk.browser("rita")
    token, base = rita.form(f"/edit/{slug}/")
    fields = [(k, v) for k, v in fields_of(desk.store.get(slug).record) if k != "summary"]
    answer = rita.post(
        f"/edit/{slug}/",
        [*fields, ("summary", "Crews were held for two nights, not one."),
         ("csrf", token), ("base_revision", str(base))],
    )  # fmt: skip
    assert answer.status_code == 303, answer.text


def change_by_api(desk: Desk, slug: str) -> None:
    stored = desk.store.get(slug)
    data = wire(stored.record, summary="Crews were held for two nights, not one.")
    answer = desk.api("rita").put(
        f"/api/records/{slug}", json={"record": data, "baseRevision": stored.revision}
    )
    assert answer.status_code == 200, answer.text


def change_by_import(desk: Desk, slug: str) -> None:
    data = wire(desk.store.get(slug).record, summary="Crews were held for two nights, not one.")
    source = record_file(desk.folder, "changed.ndjson", data)
    code, _, err = desk.cli("import", "--replace", str(source))
    assert code == 0, err


def change_by_restore(desk: Desk, slug: str) -> None:
    stored = desk.store.get(slug)
    changed = stored.record.model_copy(update={"summary": "An earlier, shorter summary."})
    desk.store.save(changed, base_revision=stored.revision, author="seed", message="m")
    # Back to revision 1: the summary readers saw before. A public change all the same.
    rita = desk.browser("rita")
    token, base = rita.form(f"/edit/{slug}/")
    answer = rita.post(
        f"/edit/{slug}/restore", {"number": "1", "csrf": token, "base_revision": str(base)}
    )
    assert answer.status_code == 303, answer.text


def change_by_cli_review(desk: Desk, slug: str) -> None:
    article = desk.folder / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    code, _, err = desk.cli("ingest", str(article), "--record", slug, "--url", "https://ex.org/b")
    assert code == 0, err
    code, _, err = desk.cli("review", "--accept", "all")
    assert code == 0, err


def change_by_editor_proposal(desk: Desk, slug: str) -> None:
    from casework.ingest.pipeline import ingest

    article = desk.folder / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    proposal = ingest(str(article), desk.store, SITE, desk.folder, target=slug,
                      url="https://ex.org/c")  # fmt: skip
    rita = desk.browser("rita")
    token = rita.csrf(f"/edit/proposals/{proposal.id}")
    answer = rita.post(
        f"/edit/proposals/{proposal.id}",
        [("csrf", token), *(("accept", str(i.id)) for i in proposal.items)],
    )
    assert answer.status_code == 303, answer.text


CHANGERS = {
    "editor form": change_by_editor_form,
    "editing API": change_by_api,
    "import --replace": change_by_import,
    "editor restore": change_by_restore,
    "cli review": change_by_cli_review,
    "editor proposal": change_by_editor_proposal,
}


@pytest.mark.parametrize("entry", list(CHANGERS))
def test_every_change_to_a_published_record_is_disclosed(desk: Desk, entry: str) -> None:
    desk.seed("public-record", Status.published)
    before = desk.store.get("public-record")
    CHANGERS[entry](desk, "public-record")
    after = desk.store.get("public-record")
    assert after.revision > before.revision and after.status is Status.published
    assert after.record.last_updated == today()
    assert len(after.record.update_log) == len(before.record.update_log) + 1
    entry_made = after.record.update_log[-1]
    assert entry_made.date == today() and entry_made.summary.strip()


@pytest.mark.parametrize("entry", ["editor form", "editing API"])
def test_a_published_record_keeps_its_update_log_whatever_is_sent(desk: Desk, entry: str) -> None:
    desk.seed(
        "logged", Status.published, updateLog=[{"date": "2024-01-10", "summary": "Corrected."}]
    )
    if entry == "editor form":
        change_by_editor_form(desk, "logged")
    else:
        stored = desk.store.get("logged")
        data = wire(stored.record, summary="New.", updateLog=[], lastUpdated="1999-01-01")
        answer = desk.api("rita").put(
            "/api/records/logged", json={"record": data, "baseRevision": stored.revision}
        )
        assert answer.status_code == 200, answer.text
    log = desk.store.get("logged").record.update_log
    assert [e.summary for e in log][:1] == ["Corrected."] and len(log) == 2


# --- what the editor shows ----------------------------------------------------------------
def test_a_revision_view_shows_no_form_keys(desk: Desk) -> None:
    desk.seed("viewed", Status.draft)
    page = desk.browser("eve").get("/edit/viewed/history/1")
    assert page.status_code == 200
    assert "_base" not in page.text
