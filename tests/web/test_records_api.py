"""The editors' JSON API with API tokens, as a script uses it: read drafts, create, save
against a base revision (409 when another save came first), the workflow, and the same
permissions as the editor's forms."""

from __future__ import annotations

from typing import Any

from casework.formats.tracker_json import record_dict
from casework.model import Status
from casework.store.accounts import TokenScope
from tests.store.factories import make_record
from tests.web.editing import SITE, Team


def bearer(team: Team, username: str) -> dict[str, str]:
    token, _ = team.store.accounts.create_token(username, "script", scope=TokenScope.write)
    return {"Authorization": f"Bearer {token}"}


def wire(slug: str, **changes: Any) -> dict[str, Any]:
    return record_dict(make_record(slug, **changes), SITE)


def test_a_token_reads_drafts_and_nothing_without_one(team: Team) -> None:
    team.record("pier", Status.draft)
    client = team.client().http
    assert client.get("/api/records/pier").status_code == 401
    assert (
        client.get("/api/records/pier", headers={"Authorization": "Bearer cw_nope"}).status_code
        == 401
    )
    headers = bearer(team, "vic")
    response = client.get("/api/records/pier", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["revision"], body["record"]["slug"]) == ("draft", 1, "pier")
    assert response.headers["cache-control"] == "private, no-store"
    listed = client.get("/api/records", params={"status": "draft"}, headers=headers).json()
    assert [r["slug"] for r in listed["records"]] == ["pier"]
    # Revoked with the account: the same token no longer reads anything.
    team.store.accounts.disable("vic")
    assert client.get("/api/records/pier", headers=headers).status_code == 401


def test_create_save_and_conflict(team: Team) -> None:
    client = team.client().http
    headers = bearer(team, "eve")
    created = client.post(
        "/api/records",
        json={
            "record": wire("quay", title="Crews held at the quay"),
            "body": "# Quay\n",
            "message": "From the script",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    assert created.json() == {"slug": "quay", "status": "draft", "revision": 1}
    stored = team.store.get("quay")
    assert stored.record.body == "# Quay\n" and "<h1" in stored.record.body_html
    assert team.store.history("quay")[0].author == "eve"

    changed = wire("quay", title="Crews held overnight at the quay")
    changed["updateLog"] = [{"date": "1999-01-01", "summary": "forged"}]
    del changed["contentHtml"]  # no body sent: the stored one is kept
    saved = client.put(
        "/api/records/quay", json={"record": changed, "baseRevision": 1}, headers=headers
    )
    assert saved.status_code == 200 and saved.json()["revision"] == 2
    record = team.store.get("quay").record
    assert record.title == "Crews held overnight at the quay"
    assert record.update_log == [] and record.body == "# Quay\n"  # server-owned, and kept

    stale = client.put(
        "/api/records/quay", json={"record": wire("quay"), "baseRevision": 1}, headers=headers
    )
    assert stale.status_code == 409 and "baseRevision 2" in stale.json()["detail"]
    assert team.store.get("quay").revision == 2

    bad = wire("quay")
    bad["sources"][0]["url"] = "not a url"
    invalid = client.put(
        "/api/records/quay", json={"record": bad, "baseRevision": 2}, headers=headers
    )
    assert invalid.status_code == 422
    problem = invalid.json()["detail"][0]
    assert problem["loc"] == ["body", "record", "sources", "0", "url"] and problem["msg"]
    assert team.store.get("quay").revision == 2


def test_the_workflow_follows_the_editors_permissions(team: Team) -> None:
    team.record("pier", Status.draft)
    client = team.client().http
    eve, rita = bearer(team, "eve"), bearer(team, "rita")
    submit = client.post(
        "/api/records/pier/status", json={"status": "review", "baseRevision": 1}, headers=eve
    )
    assert submit.status_code == 200 and team.store.get("pier").status is Status.review
    refused = client.post(
        "/api/records/pier/status", json={"status": "published", "baseRevision": 2}, headers=eve
    )
    assert refused.status_code == 403
    published = client.post(
        "/api/records/pier/status",
        json={"status": "published", "baseRevision": 2, "updateLog": "Checked and published."},
        headers=rita,
    )
    assert published.status_code == 200
    assert client.get("/api/incidents/pier").status_code == 200
    assert team.store.get("pier").record.update_log[-1].summary == "Checked and published."
    # An editor may not change a published record; a reviewer may.
    edit = {"record": wire("pier", summary="New."), "baseRevision": 3}
    assert client.put("/api/records/pier", json=edit, headers=eve).status_code == 403
    assert client.put("/api/records/pier", json=edit, headers=rita).status_code == 200
    nonsense = client.post(
        "/api/records/pier/status", json={"status": "review", "baseRevision": 4}, headers=rita
    )
    assert nonsense.status_code == 422


def test_a_browser_session_needs_its_csrf_header_for_api_writes(team: Team) -> None:
    team.record("pier", Status.draft)
    eve = team.client("eve")
    edit = {"record": wire("pier", summary="From the browser."), "baseRevision": 1}
    assert eve.http.put("/api/records/pier", json=edit).status_code == 403
    ok = eve.http.put("/api/records/pier", json=edit, headers={"X-CSRF-Token": eve.csrf()})
    assert ok.status_code == 200 and team.store.get("pier").record.summary == "From the browser."
