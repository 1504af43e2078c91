"""The public view over a real store, on each engine: published records only, each without the
related slugs of records held unpublished (a slug held by no record stays); collections without
unpublished members; search over published records whatever is asked; and the build, the live
site, the API and the exports read records through nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from casework.model import Collection, Status
from casework.publish.build import build_site
from casework.publish.public_view import PublicView
from casework.store import open_store
from casework.store.base import Query, Store
from casework.transfer import export_collection, published_records
from casework.web.app import create_app
from tests.publish.conftest import SITE
from tests.publish.read_guard import ReadGuard
from tests.store.factories import make_record

AUTHORED = ["draft-one", "never-held", "in-review", "pier-arrests", "taken-back"]


@pytest.fixture(params=["sqlite", "postgres"])
def store(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """Published harbour-closure (naming, as related, a draft, a slug held by no record, a
    record in review, a published record and one published then taken back) and
    pier-arrests; a collection of all of them."""
    if request.param == "postgres":
        from tests.store.pg import fresh_database

        with fresh_database("casework_view") as url:
            yield from _filled(url)
    else:
        yield from _filled(f"sqlite:///{tmp_path / 'tracker.db'}")


def _filled(url: str) -> Iterator[Store]:
    store = open_store(url)
    try:
        store.import_records(
            [
                make_record("harbour-closure", relatedIncidents=AUTHORED),
                make_record("pier-arrests", relatedIncidents=["harbour-closure"]),
                make_record("taken-back"),
            ],
            author="t",
            message="seed",
        )
        store.set_status("taken-back", Status.draft, base_revision=1, author="t", message="back")
        store.create(make_record("draft-one"), author="t", message="draft")
        store.create(make_record("in-review"), author="t", message="draft", status=Status.review)
        store.put_collection(
            Collection(
                slug="all",
                title="All",
                records=["draft-one", "harbour-closure", "in-review", "taken-back", "pier-arrests"],
            )
        )
        yield store
    finally:
        store.close()


def test_a_published_record_leaves_out_the_related_slugs_of_unpublished_records(
    store: Store,
) -> None:
    view = PublicView(store)
    assert view.hidden() == {"draft-one", "in-review", "taken-back"}
    public = view.get("harbour-closure")
    assert public is not None
    assert public.record.related_incidents == ["never-held", "pier-arrests"]
    assert public.withheld == ("draft-one", "in-review", "taken-back")
    assert public.named == set(AUTHORED)
    # The store keeps what was authored; the editors see it whole.
    assert store.get("harbour-closure").record.related_incidents == AUTHORED
    # Streamed and read in bulk, the same public form; unpublished records are not there.
    streamed = {p.slug: p.record for p in view.records()}
    assert list(streamed) == ["harbour-closure", "pier-arrests"]
    assert streamed["harbour-closure"] == public.record
    assert view.read(["draft-one", "harbour-closure", "nowhere"]).keys() == {"harbour-closure"}
    assert view.get("draft-one") is None and view.get("taken-back") is None
    assert view.count() == 2 and list(view.versions()) == ["harbour-closure", "pier-arrests"]


def test_publishing_a_named_record_puts_its_slug_back(store: Store) -> None:
    view = PublicView(store)
    store.set_status("draft-one", Status.published, base_revision=1, author="t", message="p")
    public = view.get("harbour-closure")
    assert public is not None
    assert public.record.related_incidents == ["draft-one", "never-held", "pier-arrests"]
    # A new draft under a slug that no record had: from now on, left out.
    store.create(make_record("never-held"), author="t", message="draft")
    public = view.get("harbour-closure")
    assert public is not None
    assert public.record.related_incidents == ["draft-one", "pier-arrests"]


def test_collections_leave_out_their_unpublished_members(store: Store) -> None:
    view = PublicView(store)
    found = view.collection("all")
    assert found is not None and found.records == ["harbour-closure", "pier-arrests"]
    assert [c.records for c in view.collections()] == [["harbour-closure", "pier-arrests"]]
    assert view.collection("nowhere") is None
    assert store.get_collection("all").records[0] == "draft-one"


def test_search_finds_published_records_whatever_status_is_asked(store: Store) -> None:
    view = PublicView(store)
    for status in (None, Status.draft, Status.review, Status.published):
        found = view.search(Query(text="harbour", status=status, limit=50))
        assert {hit.slug for hit in found.hits} == {"harbour-closure", "pier-arrests"}
    assert store.search(Query(text="harbour", status=None, limit=50)).total == 5


def test_the_unpublished_slugs_are_asked_for_once_per_generation(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []
    slugs = store.slugs

    def counted(**kwargs: object) -> set[str]:
        asked.append(kwargs.get("status"))
        return slugs(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "slugs", counted)
    view = PublicView(store)
    for _ in range(3):
        view.hidden()
        view.get("harbour-closure")
    assert sorted(map(str, asked)) == ["draft", "review"]  # one query for each status
    store.create(make_record("another"), author="t", message="draft")
    assert "another" in view.hidden()
    assert len(asked) == 4


def test_the_public_code_reads_records_only_through_the_view(store: Store, tmp_path: Path) -> None:
    guard = ReadGuard(store)
    build_site(guard, SITE, tmp_path / "site", workers=1)  # type: ignore[arg-type]
    records, _count = published_records(guard)  # type: ignore[arg-type]
    assert [r.slug for r in records] == ["harbour-closure", "pier-arrests"]
    export_collection(guard, "all", SITE, None)  # type: ignore[arg-type]
    client = TestClient(create_app(guard, SITE, warm=False))  # type: ignore[arg-type]
    planned = client.app.state.casework.live.snapshot().pages  # type: ignore[attr-defined]
    paths = ["/" + path.removesuffix("index.html") for path in planned]
    paths += [
        "/incident/harbour-closure/",
        "/incident/harbour-closure.json",
        "/incident/draft-one/",
        "/collections/all.json",
        "/archive.json",
        "/data/",
        "/data/records.sqlite",
        "/feed.xml",
        "/sitemap.xml",
        "/search/?q=harbour",
        "/search/index/meta.json",
        "/api/incidents?q=harbour",
        "/api/incidents/harbour-closure",
        "/api/incidents/draft-one",
        "/api/stats",
        "/api/export/records.csv",
    ]
    for path in paths:
        assert client.get(path).status_code in (200, 404), path
    assert guard.reads > 20
    assert not guard.bypasses, "\n".join(guard.bypasses)
