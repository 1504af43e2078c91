"""`provenance` through the editors' JSON API: taken as sent (and `check` judges what it points
at), a malformed one refused naming the field, read back with the record, and published with
it on the record's public JSON; both engines."""

from __future__ import annotations

from casework.model import Status
from tests.web.editing import Team
from tests.web.test_records_api import bearer, wire

HARBOUR = "https://example.org/harbour"  # the factory record's one source


def test_the_api_takes_provenance_as_sent_and_refuses_a_malformed_one(team: Team) -> None:
    team.record("pier", Status.draft)
    client = team.client().http
    headers = bearer(team, "eve")
    cited = wire("pier")
    cited["provenance"] = [
        {"claim": "keyPoints/1", "sources": [HARBOUR], "sentence": "Boats were left, he said."},
        # Points at a timeline entry the record lacks: kept; `check` reports it.
        {"claim": "timeline/4", "sources": [HARBOUR]},
    ]
    saved = client.put(
        "/api/records/pier", json={"record": cited, "baseRevision": 1}, headers=headers
    )
    assert saved.status_code == 200, saved.text
    record = team.store.get("pier").record
    assert [c.claim for c in record.provenance] == ["keyPoints/1", "timeline/4"]
    read = client.get("/api/records/pier", headers=headers).json()["record"]
    assert read["provenance"] == cited["provenance"]
    assert list(read)[-1] == "provenance"  # after the format's keys

    bad = dict(cited, provenance=[{"claim": "keyPoints/one", "sources": [HARBOUR]}])
    refused = client.put(
        "/api/records/pier", json={"record": bad, "baseRevision": 2}, headers=headers
    )
    assert refused.status_code == 422
    problem = refused.json()["detail"][0]
    assert problem["loc"] == ["body", "record", "provenance", "0", "claim"]
    assert "keyPoints/N or timeline/N" in problem["msg"]
    assert team.store.get("pier").revision == 2


def test_the_public_record_json_carries_provenance_only_once_published(team: Team) -> None:
    team.record(
        "pier",
        Status.draft,
        provenance=[{"claim": "keyPoints/0", "sources": [HARBOUR], "sentence": "ZQXSENTENCE"}],
    )
    public = team.client().http
    assert public.get("/incident/pier.json").status_code == 404
    assert "ZQXSENTENCE" not in public.get("/incident/pier/").text
    team.store.set_status("pier", Status.published, base_revision=1, author="t", message="t")
    document = public.get("/incident/pier.json").json()
    assert document["record"]["provenance"][0]["sentence"] == "ZQXSENTENCE"
    page = public.get("/incident/pier/").text
    assert '<a href="#source-1" aria-label="source 1" title="ZQXSENTENCE">[1]</a>' in page
