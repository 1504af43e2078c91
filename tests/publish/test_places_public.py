"""A location published more coarsely than it is stored: its stored point reaches no public byte.

A tracker on each engine holds a published record with two locations: a shelter stored at
`exact` and published at `town` (its point and its name must never be public), and a market
square stored and published at `exact` (the positive control: its point is found by the same
scans). The record has two public versions. Every public byte is collected — the live app's
pages, JSON, API, data files, search index, feed, version files and log; the static build; every
`casework export` without --all — and scanned for the shelter's point, written to more decimals
than a town's 0.1°, and for its name. `casework verify` still passes on the tracker and on the
built site: version files and log leaves are made from the public form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from casework.cli import app as cli_app
from casework.config import load_config
from casework.model import Status
from casework.store import open_store
from casework.web.app import create_app
from tests.store.factories import make_record
from tests.test_public_bytes import Tracker, live_bytes, readable, runner

# The shelter, stored exact: only 17.4, 43.9 (a town's 0.1°) may be published.
SHELTER = {
    "name": "Zqxshelter school annex",
    "adminArea": "Saada Governorate",
    "country": "YE",
    "latitude": 17.38291,
    "longitude": 43.90817,
    "precision": "exact",
    "publishedPrecision": "town",
}
SECRETS = (b"17.38", b"43.90", b"43.91", b"zqxshelter")
# A time of day with its fraction (`generatedAt`'s 06:50:17.384Z, a revision's microseconds):
# the seconds and fraction of any such time can spell a secret's digits (17.38), so they are
# taken out before the secrets are looked for. A coordinate is never written after hh:mm:.
_TIME_OF_DAY = re.compile(rb"\d\d:\d\d:\d\d\.\d+")
# The market square, published as stored.
MARKET = {
    "name": "Zqxmarket square",
    "country": "YE",
    "latitude": 17.46213,
    "longitude": 43.80259,
    "precision": "exact",
}
SEEN = (b"17.46213", b"43.80259", b"zqxmarket")


def located() -> list:
    return [
        make_record(
            "shelter-strike",
            title="Strike near a school used as a shelter",
            locations=[SHELTER, MARKET],
        ),
        make_record("pier-arrests", title="Fishermen arrested at the pier", date="2022-05-01"),
    ]


@pytest.fixture(params=["sqlite", "postgres"])
def tracker(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Tracker]:
    folder = tmp_path / "t"
    result = runner.invoke(cli_app, ["init", str(folder), "--url", "https://m.example.org"])
    assert result.exit_code == 0, result.stderr
    if request.param == "postgres":
        from tests.store.pg import fresh_database

        with fresh_database("casework_places") as url:
            yield from _tracker(folder, url, tmp_path)
    else:
        yield from _tracker(folder, f"sqlite:///{folder / 'tracker.db'}", tmp_path)


def _tracker(folder: Path, url: str, tmp: Path) -> Iterator[Tracker]:
    store = open_store(url)
    tracker = Tracker(folder, url, store, load_config(folder).site, tmp)
    try:
        store.import_records(located(), author="seed", message="seed")
        # A second public version.
        record = store.get("shelter-strike").record.model_copy(update={"summary": "Revised."})
        store.save(record, base_revision=1, author="e", message="v2", status=Status.published)
        tracker.cli("build", "--out", str(tmp / "site"))
        tracker.app = create_app(store, tracker.site, folder, warm=False)
        yield tracker
    finally:
        store.close()


def secrets_in(where: str, data: bytes) -> list[str]:
    text = _TIME_OF_DAY.sub(b"", readable(data))
    return [f"{secret!r} in {where}" for secret in SECRETS if secret in text]


def test_no_public_byte_holds_the_point_of_a_lowered_location(tracker: Tracker) -> None:
    client = TestClient(tracker.app)
    found = live_bytes(tracker, client)
    for path in ("/incident/shelter-strike/v/2.json", "/api/incidents/shelter-strike"):
        found[path] = client.get(path).content
    for name in ("incidents.geojson", "map-points.json"):
        found[f"/data/{name}"] = client.get(f"/data/{name}").content
    builds = [p for p in (tracker.tmp / "site").rglob("*") if p.is_file()]
    assert builds
    found |= {f"build {p}": p.read_bytes() for p in builds}
    out = tracker.tmp / "export"
    for form in ("archive", "ndjson", "csv", "geojson"):
        found[f"export {form}"] = tracker.cli("export", "--format", form, "-o", "-").encode()
    found["export --extensions"] = tracker.cli(
        "export", "--format", "archive", "--extensions", "-o", "-"
    ).encode()
    tracker.cli("export", "--format", "markdown", "-o", str(out / "md"))
    found |= {f"markdown {p.name}": p.read_bytes() for p in (out / "md").iterdir()}
    problems = [leak for where, data in found.items() for leak in secrets_in(where, data)]
    assert not problems, "\n".join(problems)
    # Positive controls: the same scans see the location published as stored...
    for where in (
        "/incident/shelter-strike.json",
        "/incident/shelter-strike/v/2.json",
        "/data/records.sqlite",
        "/data/incidents.geojson",
        "/data/map-points.json",
        "export --extensions",
    ):
        assert all(s in readable(found[where]) for s in SEEN), where
    # ... and the lowered one at a town's precision, without its name.
    record = json.loads(found["/incident/shelter-strike.json"])["record"]
    assert record["locations"][0] == {
        "adminArea": "Saada Governorate",
        "country": "YE",
        "latitude": 17.4,
        "longitude": 43.9,
        "precision": "town",
    }
    version = json.loads(found["/incident/shelter-strike/v/2.json"])["record"]
    assert version["locations"] == record["locations"]
    # The record's page says where, as published.
    page = found["/incident/shelter-strike/"].decode()
    assert "<strong>Where:</strong> Saada Governorate, Yemen (town or city)" in page
    assert "Zqxmarket square, Yemen (exact location)" in page
    # The public search finds the published place name, not the hidden one.
    for word, hits in (("zqxmarket", 1), ("zqxshelter", 0), ("saada", 1)):
        assert client.get("/api/incidents", params={"q": word}).json()["total"] == hits, word
    # The country facet, in the API and on the command line.
    listed = client.get("/api/incidents").json()
    assert listed["facets"]["country"] == [{"value": "YE", "count": 1}]
    assert client.get("/api/incidents", params={"country": "ye"}).json()["total"] == 1
    assert client.get("/api/incidents", params={"country": "UA"}).json()["total"] == 0
    searched = json.loads(tracker.cli("search", "--country", "YE", "--json"))
    assert [hit["slug"] for hit in searched["hits"]] == ["shelter-strike"]
    assert searched["facets"]["country"] == [["YE", 1]]
    # The seed-compatible export leaves the key out.
    assert b"locations" not in found["export archive"]
    # Editors' exports keep what was stored.
    assert (
        b"17.38291"
        in tracker.cli("export", "--all", "--extensions", "--format", "ndjson", "-o", "-").encode()
    )


def test_verify_passes_on_the_tracker_and_the_built_site(tracker: Tracker) -> None:
    tracker.cli("verify")
    tracker.cli("verify", str(tracker.tmp / "site"))
    tracker.cli(
        "verify", str(tracker.tmp / "site" / "incident" / "shelter-strike" / "v" / "1.json")
    )
