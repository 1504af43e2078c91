"""[places.names] belong to one tracker, not to the process: two trackers of one process that
name the same user-assigned code differently each show (and index) their own name, in a
static build, in the live app's pages and in the store's search text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from casework.model import Site
from casework.model.places import country_name
from casework.publish.build import build_site
from casework.store import open_store
from casework.store.base import Query, Store
from casework.web.app import create_app
from tests.store.factories import make_record

NAMES = {"kess": "Kessland", "other": "Other"}


def site(name: str) -> Site:
    return Site(url="https://tracker.example.org", title="T", place_names=(("XQ", name),))


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[dict[str, Store]]:
    opened = {}
    for key, name in NAMES.items():
        store = open_store(tmp_path / f"{key}.db", place_names=site(name).place_names)
        where = {"country": "XQ", "adminArea": "North", "precision": "region"}
        store.import_records(
            [make_record("harbour-closure", locations=[where])], author="t", message="seed"
        )
        opened[key] = store
    yield opened
    for store in opened.values():
        store.close()


def test_two_static_builds_in_one_process_name_xq_each_their_own_way(
    stores: dict[str, Store], tmp_path: Path
) -> None:
    for key, name in NAMES.items():
        build_site(stores[key], site(name), tmp_path / f"out-{key}", workers=1)
    for key, name in NAMES.items():
        page = (tmp_path / f"out-{key}/incident/harbour-closure/index.html").read_text()
        other = NAMES["other" if key == "kess" else "kess"]
        assert f"North, {name}" in page and other not in page
    assert country_name("XQ") == "XQ"  # nothing left behind in the process


def test_two_live_apps_in_one_process_name_xq_each_their_own_way(
    stores: dict[str, Store],
) -> None:
    apps = {key: create_app(stores[key], site(name), warm=False) for key, name in NAMES.items()}
    with TestClient(apps["kess"]) as kess, TestClient(apps["other"]) as other:
        for client, mine, theirs in ((kess, "Kessland", "Other"), (other, "Other", "Kessland")):
            page = client.get("/incident/harbour-closure/")
            assert page.status_code == 200
            assert f"North, {mine}" in page.text and theirs not in page.text


def test_each_store_indexes_its_own_name(stores: dict[str, Store]) -> None:
    for key, name in NAMES.items():
        other = NAMES["other" if key == "kess" else "kess"]
        assert [h.slug for h in stores[key].search(Query(text=name)).hits] == ["harbour-closure"]
        assert stores[key].search(Query(text=other)).hits == []
