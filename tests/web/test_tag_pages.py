"""The tag, entity, statute and timeline year pages answered per request by the live app
(`LiveSite.tag_page`, `entity_page`, `law_page`, `timeline_page`: the store's `record_pages`
index, migration 0025), on both engines: every page equals the page the static build plans
from every record, a tag's pages past the first included, tags spelled apart sharing a slug
on one page named as the newest record spells it, a statute's spellings on its catalog
name's page (an alias's address still sending on); a draft never shows, never moves a record
and never changes a count or a status code; a save drops the cached pages; renames,
deletions and status changes keep the index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from casework.model import Status
from casework.publish.build import build_site
from casework.publish.plan import PER_PAGE, Page, plan_pages
from casework.store import open_store
from casework.store import sql as sql_module
from casework.store.base import Store
from casework.web import live as live_module
from casework.web.app import create_app
from casework.web.live import live_site
from tests.publish.conftest import SITE
from tests.store.conftest import (  # noqa: F401  # fixtures and the engine parametrisation
    engine,
    postgres_url,
    pytest_configure,
    pytest_generate_tests,
)
from tests.store.conftest import store_url as store_url
from tests.store.factories import make_record, save_changed
from tests.web.test_facet_pages import SLUGS  # bytewise order unlike a locale's

MARKER = "ZQXTAGPAGEDRAFT"
# Spellings of one tag page ("land-mines"), the newest record's first.
SPELLINGS = ("Land mines", "land-mines", "LAND MINES")
# Statutes as cited: the catalog's spellings of one (its page "iccpr", the others' addresses
# sending on) and two spellings of one it does not know, which share a page by their slug.
STATUTES = ("ICCPR", "International Covenant on Civil and Political Rights", " iccpr",
            "Some Local Act", "some local act")  # fmt: skip


def _party(name: str, entity: str) -> dict[str, Any]:
    return {"name": name, "kind": "organization", "entity": entity}


def _record(i: int, **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "title": f"Record {i}",
        # Few dates, so that most records share theirs with others on the same page.
        "date": f"202{i % 3}-0{1 + i % 4}-1{i % 2}",
        "category": "rule-of-law" if i % 5 else "civil-liberties",
        "severity": ("concerning", "serious", "severe")[i % 3],
        "tags": [f"tag-{i % 7}", "shared", SPELLINGS[i % 3]] + (["Land  Mines"] if i % 4 else []),
        "structuredVictims": [_party("Crews", f"crew-{i % 2}")],
        "structuredPerpetrators": [_party("Port authority", "port-authority")]
        + ([_party("Crew (as perpetrator)", "crew-0")] if i % 6 == 0 else []),
        "internationalLaw": [
            {"statute": STATUTES[i % 5], "article": str(8 + i % 5), "provision": f"P{i % 2}"},
            {"statute": STATUTES[(i + 2) % 5], "article": "", "provision": "Whole"},
        ],
        # Events of two years, some on one day (ordered by day, then the record's slug).
        "timeline": [
            {"date": f"201{i % 2}-05-0{1 + i % 3}", "title": f"Event {i}", "summary": "Began."},
            {"date": f"201{i % 2}-05-0{1 + i % 3}", "title": f"Same day {i}", "summary": "Also."},
            {"date": "2018-01-01", "title": f"Later {i}", "summary": "Ended."},
        ],
    }
    fields.update(changes)
    return make_record(f"{SLUGS[i % len(SLUGS)]}-{i // len(SLUGS)}" if i % 3 else f"r{i}", **fields)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    # Three full pages of "shared": one more record opens a fourth.
    opened.import_records([_record(i) for i in range(3 * PER_PAGE)], author="t", message="s")
    yield opened
    opened.close()


def _number(page: Page) -> int:
    parts = page.path.split("/")
    return int(parts[3]) if len(parts) == 5 else 1


def _planned(store: Store) -> list[Page]:
    snapshot = live_site(store, SITE).snapshot()
    return plan_pages(snapshot.cards, SITE, list(snapshot.collections))


def test_every_tag_and_entity_page_by_index_is_the_planned_page(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages' records read a few at a time, queries of fewer still: the chunks' seams are met.
    monkeypatch.setattr(live_module, "CARDS_READ", 7)
    monkeypatch.setattr(sql_module, "_MANY", 3)
    live = live_site(store, SITE)
    whole = _planned(store)
    tags = [p for p in whole if p.path.startswith("tag/") and p.path != "tag/index.html"]
    entities = [p for p in whole if p.path.startswith("entity/") and p.template == "entity.html"]
    laws = [p for p in whole if p.template == "law.html"]
    years = [p for p in whole if p.template == "timeline.html"]
    # 30 record-days in 2010 and in 2011 (a record's two events of one day), 60 on one day
    # of 2018: paginated by record-day, 20 a page, by day then slug (bytewise).
    assert sorted(_number(p) for p in years) == [1, 1, 1, 2, 2, 2, 3]
    for page in years:
        assert live.timeline_page(page.path.split("/")[1], _number(page)) == page, page.path
    assert live.timeline_page("2017") is None
    assert live.timeline_page("2018", 4) is None and live.timeline_page("2018", 0) is None
    assert live.timeline_page("x018") is None and live.timeline_page("99999") is None
    assert any(_number(page) == 3 for page in tags)  # past the first, by an offset
    # Paginated as a tag's: crew-0 and crew-1 on 30 records each, port-authority on 60.
    assert sorted(_number(p) for p in entities) == [1, 1, 1, 2, 2, 2, 3]
    assert len({p.path.split("/")[1] for p in laws}) == 2 and any(_number(p) == 3 for p in laws)
    for page in laws:
        assert live.law_page(page.path.split("/")[1], _number(page)) == page, page.path
    assert live.law_page("international-covenant-on-civil-and-political-rights") is None
    # The addresses of a statute's other spellings, sending on, without the plan.
    moved = [p for p in whole if p.template == "moved.html"]
    assert moved
    for page in moved:
        old = page.path.split("/")[1]
        assert live.listed_page("law", old, 1) == live.law_moved(old) == page, page.path
    assert live.law_moved("iccpr") is None and live.law_moved("no-such-act") is None
    assert live.listed_page("law", moved[0].path.split("/")[1], 2) is None
    for page in tags:
        assert live.tag_page(page.context["key"], _number(page)) == page, page.path
    for page in entities:
        assert live.entity_page(page.path.split("/")[1], _number(page)) == page, page.path
    # Spelled three ways (and with two spaces), one page, named as the newest record spells it.
    mines = live.tag_page("land-mines", 1)
    assert mines is not None and mines.context["total"] == 3 * PER_PAGE
    records = [store.get(slug).record for slug in store.slugs()]
    newest = max(records, key=lambda r: (r.date.isoformat(), r.slug))
    assert mines.context["heading"] == newest.tags[2] != "Land mines"
    # The pages the build has not.
    assert live.tag_page("shared", 4) is None
    assert live.tag_page("shared", 0) is None
    assert live.tag_page("no-such-tag", 1) is None
    assert live.entity_page("no-such-entity") is None
    assert live.listed_page("entity", "crew-0", 3) is None
    assert live.listed_page("entity", "crew-0", 0) is None
    assert live.listed_page("law", "iccpr", 9) is None
    assert live.listed_page("timeline", "2010", 3) is None


def test_a_draft_changes_no_byte_count_or_status(store: Store) -> None:
    client = TestClient(create_app(store, SITE))
    paths = [
        "/tag/shared/",
        "/tag/shared/page/2/",
        "/tag/shared/page/3/",
        "/tag/land-mines/",
        "/tag/tag-1/",
        "/entity/crew-0/",
        "/entity/port-authority/",
        "/law/iccpr/",
        "/law/some-local-act/",
        "/law/international-covenant-on-civil-and-political-rights/",  # the plan's: sends on
        "/timeline/2010/",
        "/timeline/2018/",
    ]
    before = {path: client.get(path) for path in paths}
    assert all(answer.status_code == 200 for answer in before.values())
    assert client.get("/tag/shared/page/4/").status_code == 404
    for i in range(PER_PAGE):  # the newest of every listing they are on, were they published
        draft = _record(
            i,
            title=f"{MARKER} {i}",
            date="2029-02-11",
            tags=["shared", f"{MARKER} spelling", "LAND-MINES", f"only-{MARKER}".lower()],
            structuredVictims=[_party("Drafted", "crew-0"), _party("New", f"only-{i}-draft")],
            internationalLaw=[{"statute": s, "article": "99", "provision": MARKER}
                              for s in ("ICCPR", "some local act", f"Only {MARKER} Act")],
            timeline=[{"date": d, "title": MARKER, "summary": MARKER}
                      for d in ("2010-05-01", "2018-01-01", "2017-01-01")],
        )  # fmt: skip
        draft = draft.model_copy(update={"slug": f"a-{i}-draft"})
        store.create(draft, author="t", message="draft", status=Status.draft)
    for path, answer in before.items():
        again = client.get(path)
        assert (again.status_code, again.content) == (answer.status_code, answer.content), path
        assert MARKER.encode() not in again.content
    assert client.get("/tag/shared/page/4/").status_code == 404
    assert client.get(f"/tag/only-{MARKER.lower()}/").status_code == 404
    assert client.get("/entity/only-0-draft/").status_code == 404
    assert client.get(f"/law/only-{MARKER.lower()}-act/").status_code == 404
    assert client.get("/timeline/2017/").status_code == 404
    # Nor does a tag only drafts hold redirect to its slash, as a tag with records does.
    assert client.get(f"/tag/only-{MARKER.lower()}", follow_redirects=False).status_code == 404
    assert client.get("/tag/shared", follow_redirects=False).status_code == 308
    assert client.get("/entity/crew-0", follow_redirects=False).status_code == 308
    # Published, the same record moves the pages: the comparison above could fail.
    held = store.get("a-0-draft")
    store.set_status("a-0-draft", Status.published, base_revision=held.revision, author="t",
                     message="out")  # fmt: skip
    shown = client.get("/tag/shared/").content
    assert shown != before["/tag/shared/"].content and f"{MARKER} 0".encode() in shown
    # The newest record now names the tag's page as it spells it.
    assert b"LAND-MINES" in client.get("/tag/land-mines/").content
    assert f"{MARKER} 0".encode() in client.get("/entity/crew-0/").content
    assert client.get("/entity/only-0-draft/").status_code == 200
    assert client.get(f"/law/only-{MARKER.lower()}-act/").status_code == 200
    assert MARKER.encode() in client.get("/law/iccpr/").content
    assert MARKER.encode() in client.get("/timeline/2010/").content
    assert client.get("/timeline/2017/").status_code == 200
    assert client.get("/tag/shared/page/4/").status_code == 200  # 61 records: a fourth page


def test_a_save_drops_the_generations_cached_pages(store: Store) -> None:
    live = live_site(store, SITE)
    first = live.tag_page("shared", 1)
    assert first is not None and live.tag_page("shared", 1) is first
    top = first.context["records"][0]["slug"]
    save_changed(store, top, message="m", title="Retitled by tag", tags=["moved-away"])
    after = live.tag_page("shared", 1)
    assert after is not None and top not in [r["slug"] for r in after.context["records"]]
    moved = live.tag_page("moved-away", 1)
    assert moved is not None and moved.context["records"][0]["title"] == "Retitled by tag"
    entity = live.entity_page("port-authority")
    assert entity is not None and live.entity_page("port-authority") is entity


def test_renamed_and_deleted_records_leave_their_pages_as_the_build_does(store: Store) -> None:
    live = live_site(store, SITE)
    first = live.tag_page("shared", 1)
    assert first is not None
    top, second = (r["slug"] for r in first.context["records"][:2])
    held = store.get(top)
    renamed = held.record.model_copy(update={"slug": "zz-renamed"})
    store.rename(top, renamed, base_revision=held.revision, author="t", message="rename")
    held = store.get(second)
    store.delete(second, base_revision=held.revision, author="t", reason="gone")
    held = store.get("r0")
    store.set_status("r0", Status.draft, base_revision=held.revision, author="t", message="back")
    whole = _planned(store)
    for page in whole:
        if page.path.startswith("tag/") and page.template == "listing.html":
            assert live.tag_page(page.context["key"], _number(page)) == page, page.path
        elif page.path.startswith("entity/") and page.template == "entity.html":
            assert live.entity_page(page.path.split("/")[1], _number(page)) == page, page.path
        elif page.template == "law.html":
            assert live.law_page(page.path.split("/")[1], _number(page)) == page, page.path
        elif page.template == "timeline.html":
            assert live.timeline_page(page.path.split("/")[1], _number(page)) == page, page.path
    after = live.tag_page("shared", 1)
    assert after is not None and after.context["records"][0]["slug"] == "zz-renamed"
    assert second not in str(after.context) and "r0" not in str(after.context)


def test_a_save_drops_the_cached_pages_listing_its_record_when_the_snapshot_follows(
    store: Store,
) -> None:
    # With the snapshot kept current (a worker's change-feed follower), a save drops only the
    # kept pages that list the changed record: a tag's, an entity's, a statute's and a
    # timeline year's among them, by the card's own values (main kept them, stale).
    live = live_site(store, SITE)
    live.snapshot()
    tagged = live.tag_page("shared", 1)
    assert tagged is not None
    top = tagged.context["records"][0]["slug"]
    # The pages it is on (its day of 2018 on one of three pages).
    asked = [("tag", "shared", 1), ("entity", "port-authority", 1), ("law", "iccpr", 1)]
    asked += [("timeline", "2018", n) for n in (1, 2, 3)]
    pages = {a: live.listed_page(*a) for a in asked}
    on = [a for a, page in pages.items() if page is not None and top in str(page.context)]
    assert len(on) == 4
    save_changed(store, top, message="m", title="Retitled in place")
    live.follow()  # the follower's refresh: the feed names the record
    assert live.changed_cards(*_generations(live)) is not None
    after = [live.listed_page(*a) for a in on]
    assert all(page is not None and "Retitled in place" in str(page.context) for page in after)


def _generations(live: Any) -> tuple[int, int]:
    now = live.snapshot_generation()
    return now - 1, now


def test_the_feed_is_the_builds_from_the_days_updated_and_a_draft_moves_nothing(
    store: Store, tmp_path: Path
) -> None:
    # 60 records updated on one day (ties by date, then slug, bytewise), 50 in the feed;
    # then one updated later, and drafts updated later still: none of them shows.
    later = _record(7).slug
    save_changed(store, later, message="m", title="Updated later", last_updated=date(2024, 6, 1))
    for i in range(3):
        draft = _record(100 + i, title=f"{MARKER} {i}", lastUpdated="2029-01-01")
        store.create(draft, author="t", message="", status=Status.draft)
    live = live_site(store, SITE)
    build_site(store, SITE, tmp_path / "site", workers=1)
    built = (tmp_path / "site" / "feed.xml").read_bytes()
    assert live.feed() == built
    assert MARKER.encode() not in built and b"2029" not in built
    assert built.index(b"Updated later") < built.index(b"<entry>", built.index(b"</entry>"))
