"""A deleted record's public side (`casework delete`), on a real SQLite file and a real
PostgreSQL database, with the real command line, a real build and the live app.

`pier-arrests` was published twice, its first version naming a witness (the marker) and its
title a second marker; it is deleted. `quiet-draft` was never public; it is deleted too.
Afterwards: the deleted public record's page and JSON are a tombstone (410 Gone live) with
the date and the reason and not one word of the record, its versions are tombstones, its
history stays, and `casework verify` is clean; the never-public draft answers byte for byte
as a slug never used."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from casework.config import load_config
from casework.store import open_store
from casework.web.app import create_app
from tests.evidence.test_withdraw import MARKER, Tracker, site_bytes
from tests.evidence.test_withdraw import tracker as tracker  # both engines
from tests.store.factories import make_record
from tests.test_public_bytes import crawl

TITLE = "zqxtitleword"
DRAFT = "zqxquietdraft"
REASON = "Published in error: the incident could not be confirmed"


def _deleted(tracker: Tracker) -> None:
    store = open_store(tracker.url)
    try:
        current = store.get("pier-arrests")
        store.save(
            current.record.model_copy(update={"title": f"Nine fishers held {TITLE}"}),
            base_revision=current.revision,
            author="ed",
            message="title",
        )
        store.create(make_record("quiet-draft", summary=f"Said {DRAFT}."), author="a", message="m")
    finally:
        store.close()
    assert tracker.run("build", "--out", str(tracker.site))[0] == 0
    assert MARKER in (tracker.site / "incident/pier-arrests/v/1.json").read_text()  # control
    for slug in ("pier-arrests", "quiet-draft"):
        code, output = tracker.run("delete", slug, "--reason", REASON, "--yes")
        assert code == 0, output
        assert f"Deleted {slug}" in output


def test_a_deleted_public_record_leaves_a_tombstone_and_verifies(tracker: Tracker) -> None:
    _deleted(tracker)
    code, output = tracker.run("build", "--out", str(tracker.site))
    assert code == 0, output
    files = site_bytes(tracker.site)
    assert [p for p, data in files.items() if MARKER.encode() in data.lower()] == []
    assert [p for p, data in files.items() if TITLE.encode() in data.lower()] == []
    assert [p for p, data in files.items() if b"quiet-draft" in data] == []
    page = files["incident/pier-arrests/index.html"].decode()
    assert "This record was deleted" in page and REASON in page and "noindex" in page
    tombstone = json.loads(files["incident/pier-arrests.json"])
    assert tombstone["slug"] == "pier-arrests" and tombstone["deleted"]["reason"] == REASON
    assert tombstone["history"] == "https://m.example.org/incident/pier-arrests/history.json"
    history = json.loads(files["incident/pier-arrests/history.json"])
    assert [("withdrawn" in v) for v in history["versions"]] == [True, True, True]
    assert json.loads(files["incident/pier-arrests/v/3.json"])["withdrawn"]["reason"] == REASON
    assert "pier-arrests" not in files["data/records.json"].decode()
    assert tracker.verify(str(tracker.site)) == []
    assert tracker.verify() == []
    assert tracker.verify("--against", str(tracker.site)) == []
    # The history is kept, and says who deleted it and why.
    code, output = tracker.run("history", "pier-arrests")
    assert code == 0 and f"by ed: {REASON}" in output and "Nine fishers held" not in output

    store = open_store(tracker.url)
    try:
        app = create_app(store, load_config(tracker.folder).site, tracker.folder, warm=False)
        client = TestClient(app)
        page_answer = client.get("/incident/pier-arrests/")
        assert page_answer.status_code == 410 and REASON in page_answer.text
        assert TITLE not in page_answer.text.lower()
        json_answer = client.get("/incident/pier-arrests.json")
        assert json_answer.status_code == 410 and json_answer.json() == tombstone
        api = client.get("/api/incidents/pier-arrests")
        assert api.status_code == 410 and api.json()["deleted"]["reason"] == REASON
        assert client.get("/incident/pier-arrests/v/1.json").json()["withdrawn"]["reason"]
        assert client.get("/incident/pier-arrests/history.json").json() == history
        answers = crawl(client, load_config(tracker.folder).site, ["/", "/data/records.json"])
        assert [p for p, body in answers.items() if MARKER.encode() in body.lower()] == []
        assert [p for p, body in answers.items() if TITLE.encode() in body.lower()] == []
        # The never-public draft answers exactly as a slug never used, at every address.
        for path in (
            "/incident/{}/",
            "/incident/{}.json",
            "/incident/{}/history.json",
            "/incident/{}/v/1.json",
            "/api/incidents/{}",
        ):
            deleted = client.get(path.format("quiet-draft"))
            never = client.get(path.format("never-there"))
            assert deleted.status_code == never.status_code == 404, path
            assert deleted.content == never.content.replace(b"never-there", b"quiet-draft")
    finally:
        store.close()


def test_deleting_a_record_unpublished_before_rebuilds_the_site(tracker: Tracker) -> None:
    assert tracker.run("unpublish", "ferry-seized", "--comment", "check it")[0] == 0
    assert tracker.run("build", "--out", str(tracker.site))[0] == 0
    assert not (tracker.site / "incident/ferry-seized/index.html").exists()
    code, output = tracker.run("delete", "ferry-seized", "--reason", REASON, "--yes")
    assert code == 0, output
    code, output = tracker.run("build", "--out", str(tracker.site))
    assert code == 0 and "nothing changed" not in output.lower(), output
    assert REASON in (tracker.site / "incident/ferry-seized/index.html").read_text()
    assert tracker.verify(str(tracker.site)) == []


def test_delete_is_refused_without_a_reason_and_asks_first(tracker: Tracker) -> None:
    code, output = tracker.run("delete", "pier-arrests", "--yes")
    assert code == 1 and "needs a reason" in output
    assert len(output.strip().splitlines()) == 1, output
    code, output = tracker.run("delete", "pier-arrests", "--reason", REASON)  # no "y" given
    assert code == 1
    code, output = tracker.run("delete", "nowhere", "--reason", REASON, "--yes")
    assert code == 1 and "nowhere" in output
    store = open_store(tracker.url)
    try:
        assert store.exists("pier-arrests") and len(store.history("pier-arrests")) == 3
    finally:
        store.close()


@pytest.mark.parametrize("path", ["/incident/pier-arrests/", "/incident/pier-arrests.json"])
def test_a_published_record_is_not_gone(tracker: Tracker, path: str) -> None:
    store = open_store(tracker.url)
    try:
        app = create_app(store, load_config(tracker.folder).site, tracker.folder, warm=False)
        assert TestClient(app).get(path).status_code == 200
    finally:
        store.close()
