"""The map page (`map/`) and a record's small map, from the public form only.

A published record holds a location stored exact and published at town: the page's list,
the record's small map, the GeoJSON and the points file the map draws carry only the rounded
point, never the stored one or the name the editor hid. A draft with a place is on no map.
The map page is written always, saying so when no published record has a place; the live app
serves the same page. The CSP allows images from a tile host only when casework.toml names one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from casework.model import Site, Status
from casework.publish.build import build_site
from casework.store import open_store
from casework.store.base import Store
from casework.web.app import create_app
from tests.publish.conftest import SITE
from tests.store.factories import make_record

WELL = {
    "name": "Zqxwell by the orchard",
    "adminArea": "Idlib",
    "country": "SY",
    "latitude": 35.93178,
    "longitude": 36.63402,
    "precision": "exact",
    "publishedPrecision": "town",
}
SECRETS = ("35.93", "36.63", "Zqxwell")
DRAFT_TITLE = "Zqxdraft raid on the cooperative"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "tracker.db")
    store.import_records(
        [
            make_record("well-poisoning", title="The village well is poisoned", locations=[WELL]),
            make_record("no-place", title="A record that says no place", date="2020-02-02"),
        ],
        author="test",
        message="seed",
    )
    draft = make_record(
        "draft-raid",
        title=DRAFT_TITLE,
        locations=[{"country": "TR", "latitude": 37.0, "longitude": 35.3, "precision": "exact"}],
    )
    store.create(draft, author="test", message="draft", status=Status.draft)
    yield store
    store.close()


def public_only(text: str) -> None:
    for secret in (*SECRETS, DRAFT_TITLE):
        assert secret not in text, secret


def test_the_map_page_shows_only_the_public_form(store: Store, tmp_path: Path) -> None:
    build_site(store, SITE, tmp_path / "site", workers=1)
    page = (tmp_path / "site" / "map" / "index.html").read_text(encoding="utf-8")
    public_only(page)
    # The map itself reads the public data file; the list shows the point as published.
    assert 'data-map-points="/data/map-points.json"' in page
    assert "data-points" not in page
    assert 'Idlib, Syria (town or city) <span class="small">35.9, 36.6</span>' in page
    assert 'href="/incident/well-poisoning/"' in page
    assert "no-place" not in page
    assert "static/map.js" in page
    geojson = (tmp_path / "site" / "data" / "incidents.geojson").read_text(encoding="utf-8")
    public_only(geojson)
    assert "[36.6, 35.9]" in geojson
    # What the map loads: the same points, nothing of the draft or of the stored point.
    points = (tmp_path / "site" / "data" / "map-points.json").read_text(encoding="utf-8")
    public_only(points)
    decoded = json.loads(points)
    assert (decoded["slug"], decoded["lon"], decoded["lat"]) == (["well-poisoning"], [36.6], [35.9])
    assert decoded["place"] == ["Idlib, Syria"]  # the hidden name is not in it
    record = (tmp_path / "site" / "incident" / "well-poisoning" / "index.html").read_text()
    public_only(record)
    assert 'data-points="[[35.9, 36.6, &#34;Idlib, Syria (town or city)&#34;]]"' in record
    unlocated = (tmp_path / "site" / "incident" / "no-place" / "index.html").read_text()
    assert "record-map" not in unlocated and "map.js" not in unlocated

    # The live app plans the same page from the same public form.
    with TestClient(create_app(store, SITE, warm=False)) as client:
        live = client.get("/map/")
        assert live.status_code == 200
        assert live.text == page
        assert client.get("/data/map-points.json").text == points
        public_only(client.get("/incident/well-poisoning/").text)


def test_with_no_located_record_the_map_page_says_so(tmp_path: Path) -> None:
    store = open_store(tmp_path / "tracker.db")
    try:
        store.import_records([make_record("no-place")], author="test", message="seed")
        build_site(store, SITE, tmp_path / "site", workers=1)
    finally:
        store.close()
    page = (tmp_path / "site" / "map" / "index.html").read_text(encoding="utf-8")
    assert "No published record says where it happened yet." in page
    assert "map.js" not in page and 'id="map"' not in page


TILES = "https://tiles.example.net/{z}/{x}/{y}.png"


def test_the_csp_allows_the_tile_host_only_when_configured(store: Store) -> None:
    tiled = SITE.model_copy(update={"map_tiles": TILES, "map_attribution": "© Tile <Folk>"})
    for site, allowed in ((SITE, False), (tiled, True)):
        with TestClient(create_app(store, site, warm=False)) as client:
            answer = client.get("/map/")
            csp = answer.headers["content-security-policy"]
            img = next(d for d in csp.split("; ") if d.startswith("img-src"))
            assert ("https://tiles.example.net" in img) is allowed
            assert "tiles.example.net" not in csp.replace(img, "")  # images only
            assert ("data-tiles" in answer.text) is allowed
            if allowed:
                assert 'data-attribution="© Tile &lt;Folk&gt;"' in answer.text


def test_site_tile_origin() -> None:
    assert Site().tile_origin() is None
    site = Site(map_tiles="https://a.tiles.example.net:8443/osm/{z}/{x}/{y}.png")
    assert site.tile_origin() == "https://a.tiles.example.net:8443"
