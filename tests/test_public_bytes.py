"""Not one public byte about a record this tracker holds unpublished.

A tracker on each engine holds a draft, a record in review, a record that was published and
then unpublished, and a draft renamed (`casework rename`), each carrying a marker string of
its own in every field a record has (its slug, title, parties, statutes, sources, documents,
timeline, update log, body, unknown keys at the top and inside parts...). Published records
name them as related incidents and share a collection, a tag, an entity and a statute with
them. Then every public byte is collected and scanned for the markers:

(a) the live app: every page reachable from / and every planned page, every record's JSON,
    collections' JSON, /archive.json, every /data/ file (the SQLite file's bytes too), the
    feed, the sitemap, the search index files, the API's reads and exports, the OpenAPI
    description; searching for a marker answers exactly as searching for a word no record holds;
(b) the static build (`casework build`): every file of every build kept (the current one and
    the one kept for rollback, built while one of the records was still published);
(c) `casework export` in every format without --all, and --collection;
(d) status codes, headers and bodies: every public and private address answers an anonymous
    caller the same for an unpublished slug as for a slug that never existed;
(e) search scores (finding 4 of issue 12, on another branch): a public search ranks the same
    with and without drafts that hold the searched word.

Positive controls: a marker in a published record must be found by the same scans, and a
related slug this tracker does not hold stays as authored.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from casework.cli import app as cli_app
from casework.config import load_config
from casework.model import Collection, Record, Site, Status
from casework.store import open_store
from casework.store.base import Store
from casework.web.app import create_app
from tests.publish.read_guard import ReadGuard
from tests.store.factories import make_record

runner = CliRunner()

# One marker per unpublished record: lowercase letters, so that it fits a slug, a host name
# and a tag, and is found as written in any text, JSON, HTML or search term.
# draft, in review, taken back, a draft renamed (`casework rename`): its old slug and its new
HIDDEN = ("zqxdraftone", "zqxreviewtwo", "zqxunpubthree", "zqxrenamedseven")
RENAMED_TO = "zqxrenamedseven-new-name"
SEEN = "zqxpublicseen"  # in a published record: every scan must find it
UNKNOWN = "never-held-here"  # a related slug no record here has: kept as authored
NEVER = "zqxnothingfour"  # a word, and a slug, that no record holds
# Words the editors keep to themselves about a published record: an internal note, the
# reviewer's comment that sent it back to draft before it was published again, and an ingest
# proposal for it (one applied, one waiting, in the store's database).
PRIVATE_WORDS = ("zqxnotefive", "zqxcommentsix", "zqxproposaleight")


def slug_of(marker: str) -> str:
    return f"{marker}-victim-name"


def marked(marker: str) -> Record:
    """A record with `marker` in every field that can hold text (vocabulary keys and dates
    cannot), including unknown keys at the top and inside parts."""
    m = marker
    party = {"name": f"{m} person", "kind": "person", "role": f"{m} role", "entity": f"{m}-entity"}
    return make_record(
        slug_of(m),
        title=f"Title {m}",
        summary=f"Summary {m} harbour",
        victims=f"Victims {m}",
        perpetrators=f"Perpetrators {m}",
        structuredVictims=[party],
        structuredPerpetrators=[
            {**party, "name": f"{m} unit", "entity": "port-authority", f"ext{m}": m}
        ],
        legalBasis=f"Legal basis {m}",
        tags=[f"{m} tag", "harbour"],
        keyPoints=[f"Key point {m}"],
        internationalLaw=[
            {"statute": f"{m} Act", "article": f"Article {m}", "provision": f"Provision {m}"},
            {"statute": "ICCPR", "article": "9", "provision": f"Liberty {m}"},
        ],
        legalAnalyses=[
            {"title": f"Analysis {m}", "url": f"https://{m}.example.org/a", "organization": m}
        ],
        description=f"Description {m}",
        relatedIncidents=["harbour-closure"],
        sources=[
            {
                "url": f"https://{m}.example.org/s",
                "title": f"Source {m}",
                "publisher": f"Publisher {m}",
                f"note{m}": m,
            }
        ],
        documents=[{"title": f"Document {m}", "url": f"https://{m}.example.org/d.pdf", "kind": m}],
        timeline=[{"date": "2021-03-10", "title": f"Event {m}", "summary": f"Event {m}"}],
        updateLog=[{"date": "2021-04-01", "summary": f"Update {m}"}],
        **{"$body": f"## {m}\n\nThe body names {m}.\n", f"ext{m}": {"value": m}},
    )


def published_records() -> list[Record]:
    hidden = [slug_of(m) for m in HIDDEN]
    return [
        make_record(
            "harbour-closure",
            title=f"Harbour closed {SEEN}",
            relatedIncidents=[*hidden, UNKNOWN, "pier-arrests"],
            structuredPerpetrators=[
                {"name": "Port Authority", "kind": "organization", "entity": "port-authority"}
            ],
        ),
        make_record(
            "pier-arrests",
            title="Fishermen arrested at the pier",
            date="2022-05-01",
            lastUpdated="2022-06-01",
            relatedIncidents=["harbour-closure", slug_of("zqxdraftone")],
        ),
    ]


@dataclass
class Tracker:
    folder: Path
    url: str
    store: Store
    site: Site
    tmp: Path
    app: Any = None
    guard: Any = None
    captures: dict[str, str] = field(default_factory=dict)  # marker → its capture's SHA-256

    def cli(self, *args: str) -> str:
        result = runner.invoke(cli_app, ["--tracker", str(self.folder), "--db", self.url, *args])
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result.stdout


def keep_captures(tracker: Tracker) -> None:
    """A kept copy (`casework archive`'s) of each record's source, its marker in the copy:
    only the published record's may be served."""
    from casework.evidence.captures import Captures
    from casework.ingest.fetch import Fetched

    captures = Captures.of(tracker.store, tracker.folder)
    for marker, url in [
        (SEEN, "https://example.org/harbour"),
        *((m, f"https://{m}.example.org/s") for m in HIDDEN),
    ]:
        body = (
            f"<html><head><script>alert('{marker}')</script></head><body><p>The copy kept of "
            f"this source names {marker} twice, here and in {marker} again, so that a scan of "
            "every public byte finds it wherever the copy or its text shows up.</p></body></html>"
        ).encode()
        fetched = Fetched(
            url=url,
            status=200,
            headers=[("Content-Type", "text/html")],
            body=body,
            content_type="text/html",
            fetched_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
            sha256=hashlib.sha256(body).hexdigest(),
            redirects=[],
        )
        tracker.captures[marker] = captures.keep(url, fetched).sha256


def keep_private_words(store: Store, tracker: Tracker) -> None:
    """A note on a published record (`casework note`) and a reviewer's comment sending it
    back to draft, then publishing it again: both in the tracker, neither in a public byte."""
    from casework.editing import Actor, Editing
    from casework.model.roles import Role

    tracker.cli("note", "harbour-closure", "zqxnotefive: the second witness asked not to be named")
    editing = Editing(store, tracker.site)
    rita = Actor("rita", Role.reviewer)
    editing.move(
        rita, "harbour-closure", Status.draft, base_revision=1,
        comment="zqxcommentsix: check the ferry times first",
    )  # fmt: skip
    editing.move(rita, "harbour-closure", Status.published, base_revision=2)
    assert "zqxcommentsix" in store.history("harbour-closure")[1].message
    keep_proposals(store, editing, rita)


def keep_proposals(store: Store, editing: Any, rita: Any) -> None:
    """Two proposals for the published record, each naming zqxproposaleight in its article,
    sentences and items: one rejected (its words stay in the proposal only), one waiting."""
    from casework.ingest.propose import Item, Proposal

    m = "zqxproposaleight"
    for n in (1, 2):
        proposal = Proposal(
            id=f"20260302-09300{n}-abcdef",
            created_at=f"2026-03-02T09:30:0{n}+00:00",
            source={"url": f"https://{m}.example.org/a", "title": f"Article {m}"},
            target="harbour-closure",
            candidates=[{"slug": "harbour-closure", "score": 0.9, "reasons": [m]}],
            items=[
                Item(1, "keyPoint", {"keyPoint": f"Key point {m}"}, f"Sentence {m}", m),
                Item(2, "tag", {"tag": f"{m} tag"}, f"Tag sentence {m}"),
            ],
        )
        store.proposals.add(proposal.to_json())
    rejected = editing.apply_proposal(rita, Proposal.from_json(store.proposals.get(
        "20260302-093001-abcdef")), set())  # fmt: skip
    assert rejected is None and len(store.proposals.list("open")) == 1


@pytest.fixture(params=["sqlite", "postgres"])
def tracker(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Tracker]:
    """The tracker described above, on each engine, with its static site built twice: first
    while the unpublished record was still published, then after."""
    folder = tmp_path / "t"
    result = runner.invoke(cli_app, ["init", str(folder), "--url", "https://m.example.org"])
    assert result.exit_code == 0, result.stderr
    if request.param == "postgres":
        from tests.store.pg import fresh_database

        with fresh_database("casework_public") as url:
            yield from _tracker(folder, url, tmp_path)
    else:
        yield from _tracker(folder, f"sqlite:///{folder / 'tracker.db'}", tmp_path)


def _tracker(folder: Path, url: str, tmp: Path) -> Iterator[Tracker]:
    store = open_store(url)
    tracker = Tracker(folder, url, store, load_config(folder).site, tmp)
    try:
        store.import_records(published_records(), author="seed", message="seed")
        keep_private_words(store, tracker)
        unpublished = slug_of("zqxunpubthree")
        store.create(marked("zqxunpubthree"), author="seed", message="seed")
        store.set_status(unpublished, Status.published, base_revision=1, author="s", message="p")
        keep_captures(tracker)
        tracker.cli("build", "--out", str(tmp / "site"))
        # The live app reads through a guard that notes any read bypassing the public view.
        tracker.guard = ReadGuard(store)
        tracker.app = create_app(tracker.guard, tracker.site, folder, warm=False)
        # It sees the record while it is published (its caches are warm)...
        warm = TestClient(tracker.app)
        assert "zqxunpubthree" in warm.get(f"/incident/{unpublished}.json").text
        assert "zqxunpubthree" in warm.get("/data/records.csv").text
        # ... and then it is taken back, and the others are written.
        store.set_status(unpublished, Status.draft, base_revision=2, author="s", message="u")
        store.create(marked("zqxdraftone"), author="seed", message="seed")
        store.create(marked("zqxreviewtwo"), author="seed", message="seed")
        review = slug_of("zqxreviewtwo")
        store.set_status(review, Status.review, base_revision=1, author="s", message="r")
        store.create(marked("zqxrenamedseven"), author="seed", message="seed")
        store.put_collection(
            Collection(
                slug="everything",
                title="Everything at the harbour",
                records=["harbour-closure", *(slug_of(m) for m in HIDDEN), "pier-arrests"],
            )
        )
        # A draft renamed: neither its old slug nor its new one may show (its collection
        # membership and the published record naming it follow it to the new slug).
        tracker.cli("rename", slug_of("zqxrenamedseven"), RENAMED_TO)
        assert RENAMED_TO in store.get("harbour-closure").record.related_incidents
        assert RENAMED_TO in store.get_collection("everything").records
        tracker.cli("build", "--out", str(tmp / "site"))
        yield tracker
    finally:
        store.close()


# --- scanning --------------------------------------------------------------------------------
_DATA_URI = re.compile(rb"data:[a-z0-9./+-]+;charset=utf-8;base64,([A-Za-z0-9+/=]+)")


def readable(data: bytes) -> bytes:
    """`data` in lower case, with the base64 data: URIs of pages (citations) decoded beside it."""
    decoded = [base64.b64decode(found) for found in _DATA_URI.findall(data)]
    return b"\n".join([data, *decoded]).lower()


def leaks(where: str, data: bytes) -> list[str]:
    text = readable(data)
    return [f"{marker} in {where}" for marker in HIDDEN + PRIVATE_WORDS if marker.encode() in text]


# --- (a) the live app --------------------------------------------------------------------------
_LINK = re.compile(rb'(?:href|src)="([^"#]*)')
PRIVATE = ("/edit", "/login", "/logout", "/api/records")


def crawl(client: TestClient, site: Site, start: list[str]) -> dict[str, bytes]:
    """path → body of every public address reachable from `start` (links in pages, feeds and
    sitemaps, to this site only)."""
    seen: dict[str, bytes] = {}
    queue = list(start)
    while queue:
        path = queue.pop()
        if path in seen or path.startswith(PRIVATE):
            continue
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        seen[path] = response.content
        for link in _LINK.findall(response.content) + re.findall(
            rb"<loc>([^<]+)</loc>|<id>([^<]+)</id>", response.content
        ):
            for raw in link if isinstance(link, tuple) else (link,):
                target = raw.decode().replace("&amp;", "&")
                if target.startswith(site.url):
                    target = target[len(site.url) :] or "/"
                parts = urlsplit(target)
                if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                    continue
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def live_bytes(tracker: Tracker, client: TestClient) -> dict[str, bytes]:
    snapshot = tracker.app.state.casework.live.snapshot()
    planned = ["/" + p.removesuffix("index.html") for p in snapshot.pages]
    start = [
        "/",
        *planned,
        "/archive.json",
        "/data/",
        "/data/manifest.json",
        *(f"/data/records.{kind}" for kind in ("json", "ndjson", "csv", "sqlite")),
        "/data/map-points.json",
        "/feed.xml",
        "/sitemap.xml",
        "/robots.txt",
        "/search/index/meta.json",
        "/collections/everything.json",
        "/api/stats",
        "/api/openapi.json",
        "/api/incidents",
        "/api/incidents?perPage=100",
        *(f"/api/export/records.{kind}" for kind in ("json", "ndjson", "csv")),
        *(f"/incident/{slug}.json" for slug in ("harbour-closure", "pier-arrests")),
        *(f"/api/incidents/{slug}" for slug in ("harbour-closure", "pier-arrests")),
        # Published versions and the public log (casework.evidence).
        "/data/log.json",
        *(f"/incident/{slug}/history.json" for slug in ("harbour-closure", "pier-arrests")),
        *(f"/incident/{slug}/v/1.json" for slug in ("harbour-closure", "pier-arrests")),
    ]
    found = crawl(client, tracker.site, start)
    meta = json.loads(found["/search/index/meta.json"])
    for n in range(meta["shardCount"]):
        found[f"/search/index/terms-{n}.json"] = client.get(f"/search/index/terms-{n}.json").content
    return found


def same_answer(client: TestClient, path: str, marker: str) -> None:
    """`path` with `marker` answers exactly as with a word no record holds (the word itself,
    echoed back, put in its place)."""
    asked = client.get(path.format(marker))
    other = client.get(path.format(NEVER))
    assert asked.status_code == other.status_code == 200, path
    assert asked.content == other.content.replace(NEVER.encode(), marker.encode()), path


def test_no_public_byte_of_the_live_app_names_an_unpublished_record(tracker: Tracker) -> None:
    client = TestClient(tracker.app)
    found = live_bytes(tracker, client)
    assert len(found) > 40 and sum(map(len, found.values())) > 100_000
    problems = [leak for path, body in found.items() for leak in leaks(path, body)]
    assert not problems, "\n".join(problems)
    # The scans see published text, and a relation to a slug not held here stays as written.
    assert SEEN.encode() in readable(found["/data/records.sqlite"])
    assert SEEN.encode() in readable(found["/search/index/meta.json"])
    assert SEEN.encode() in readable(found["/incident/harbour-closure/v/1.json"])
    assert b"/incident/harbour-closure/v/1.json" in found["/incident/harbour-closure/history.json"]
    record = json.loads(found["/incident/harbour-closure.json"])["record"]
    assert record["relatedIncidents"] == [UNKNOWN, "pier-arrests"]
    # The published record's capture is linked from its page, and found by the crawl.
    seen_capture = f"/captures/{tracker.captures[SEEN]}"
    assert record["captures"][0]["sha256"] == tracker.captures[SEEN]
    assert SEEN.encode() in found[f"{seen_capture}.txt"]
    assert SEEN.encode() in readable(gzip.decompress(found[f"{seen_capture}.warc.gz"]))
    for marker in HIDDEN:
        for path in ("/search/?q={}", "/api/incidents?q={}", "/api/incidents?q={}&perPage=100"):
            same_answer(client, path, marker)
        tagged = client.get("/api/incidents", params={"tag": f"{marker} tag"}).json()
        assert tagged["total"] == 0 and not any(tagged["facets"].values())
    # Every record the app read for the public, it read through the public view.
    assert tracker.guard.reads and not tracker.guard.bypasses, "\n".join(tracker.guard.bypasses)


# --- (b) the static build ----------------------------------------------------------------------
def test_no_byte_of_any_kept_build_names_an_unpublished_record(tracker: Tracker) -> None:
    builds = tracker.tmp / ".site.builds"
    folders = [p for p in builds.iterdir() if p.is_dir() and not p.name.endswith(".trash")]
    assert folders
    scanned = 0
    problems = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                scanned += len(data)
                problems += leaks(str(path.relative_to(builds)), data)
    assert not problems, "\n".join(problems)
    current = tracker.tmp / "site"
    assert SEEN.encode() in (current / "data" / "records.sqlite").read_bytes()
    # The published versions, the public log and the signed checkpoints were scanned too: the
    # record taken back has no version file left, its log leaf is an opaque hash.
    assert SEEN.encode() in (current / "incident" / "harbour-closure" / "v" / "1.json").read_bytes()
    for name in ("log.json", "checkpoints.json", "public-key.txt"):
        assert (current / "data" / name).is_file(), name
    assert not (current / "incident" / slug_of("zqxunpubthree")).exists()
    assert "checkpoint" in json.loads((current / "data" / "manifest.json").read_bytes())
    record = json.loads((current / "incident" / "harbour-closure.json").read_bytes())["record"]
    assert record["relatedIncidents"] == [UNKNOWN, "pier-arrests"]
    assert SEEN.encode() in (current / "captures" / f"{tracker.captures[SEEN]}.txt").read_bytes()


# --- (c) casework export -----------------------------------------------------------------------
def test_no_byte_of_an_export_names_an_unpublished_record(tracker: Tracker) -> None:
    out = tracker.tmp / "export"
    outputs: dict[str, bytes] = {}
    for form in ("archive", "ndjson", "csv"):
        tracker.cli("export", "--format", form, "-o", str(out / form))
        outputs[form] = (out / form).read_bytes()
        outputs[f"{form} to stdout"] = tracker.cli("export", "--format", form, "-o", "-").encode()
    extended = tracker.cli("export", "--format", "archive", "--extensions", "-o", "-")
    assert tracker.captures[SEEN] in extended and "captures" not in outputs["archive"].decode()
    outputs["archive with --extensions"] = extended.encode()
    tracker.cli("export", "--format", "markdown", "-o", str(out / "md"))
    markdown = {f"markdown {p.name}": p.read_bytes() for p in sorted((out / "md").iterdir())}
    assert sorted(markdown) == ["markdown harbour-closure.md", "markdown pier-arrests.md"]
    tracker.cli("export", "--collection", "everything", "-o", str(out / "c.json"))
    outputs["collection"] = (out / "c.json").read_bytes()
    everything = tracker.cli("export", "--collection", "everything", "-o", "-")
    outputs["collection to stdout"] = everything.encode()
    problems = [leak for name, data in (outputs | markdown).items() for leak in leaks(name, data)]
    assert not problems, "\n".join(problems)
    outputs["markdown"] = b"\n".join(markdown.values())
    for name, data in outputs.items():
        assert SEEN.encode() in data.lower() and UNKNOWN.encode() in data, name
    # Editors' exports keep authored data whole.
    tracker.cli("export", "--all", "--format", "ndjson", "-o", str(out / "all.ndjson"))
    assert all(m.encode() in (out / "all.ndjson").read_bytes() for m in HIDDEN)


# --- (d) status codes, headers and bodies ------------------------------------------------------
# Set-Cookie: the login page's double-submit CSRF token is random per answer; date: the clock.
VARYING = {"date", "set-cookie"}


def answer(client: TestClient, method: str, path: str, slug: str, body: Any) -> tuple[Any, ...]:
    response = client.request(method, path.format(slug), json=body)
    headers = sorted(
        (name, value.replace(slug, "{slug}"))
        for name, value in response.headers.items()
        if name not in VARYING
    )
    # The asked slug may be echoed back (a sign-in link's `next`): it is the caller's own.
    return response.status_code, headers, response.content.replace(slug.encode(), b"{slug}")


ADDRESSES = [
    ("GET", "/incident/{}/", None),
    ("GET", "/incident/{}.json", None),
    ("GET", "/incident/{}", None),
    ("GET", "/incident/{}/history.json", None),
    ("GET", "/incident/{}/v/1.json", None),
    ("GET", "/incident/{}/v/2.json", None),
    ("GET", "/api/incidents/{}", None),
    ("GET", "/edit/{}/", None),
    ("GET", "/edit/{}/history", None),
    ("GET", "/edit/{}/history/1", None),
    ("POST", "/edit/{}/workflow", None),
    ("GET", "/api/records/{}", None),
    ("PUT", "/api/records/{}", {"record": {"slug": "x"}, "baseRevision": 1, "message": "m"}),
    ("POST", "/api/records/{}/status", {"status": "review", "baseRevision": 1}),
]


def test_an_unpublished_slug_answers_as_one_that_never_existed(tracker: Tracker) -> None:
    client = TestClient(tracker.app, follow_redirects=False)
    never = slug_of(NEVER)
    for marker in HIDDEN:
        for method, path, body in ADDRESSES:
            asked = answer(client, method, path, slug_of(marker), body)
            other = answer(client, method, path, never, body)
            assert asked == other, (method, path, marker)


def test_a_capture_only_unpublished_records_cite_answers_as_one_that_never_existed(
    tracker: Tracker,
) -> None:
    client = TestClient(tracker.app, follow_redirects=False)
    never = "0123456789abcdef" * 4
    for marker in HIDDEN:
        for suffix in (".txt", ".warc.gz"):
            path = "/captures/{}" + suffix
            asked = answer(client, "GET", path, tracker.captures[marker], None)
            assert asked == answer(client, "GET", path, never, None), (marker, suffix)
            assert asked[0] == 404
    assert client.get(f"/captures/{tracker.captures[SEEN]}.txt").status_code == 200


# --- (e) search scores -------------------------------------------------------------------------
_CARD_SLUG = re.compile(rb'<li class="card">\s*<h3><a href="/incident/([^/"]+)/')


def ranking(client: TestClient, word: str) -> tuple[list[tuple[str, float]], list[bytes]]:
    """The API's (slug, score) for `word`, in order, and the search page's order."""
    found = client.get("/api/incidents", params={"q": word, "perPage": 100}).json()
    page = client.get("/search/", params={"q": word}).content
    return [(hit["slug"], hit["score"]) for hit in found["incidents"]], _CARD_SLUG.findall(page)


def test_drafts_holding_a_word_leave_its_public_scores_as_they_were(tracker: Tracker) -> None:
    client = TestClient(tracker.app)
    # Published records without the words, so that the words are rare and rank: bm25 gives
    # no weight to a word most records hold.
    neutral = "Crews of the southern quay report delays at the customs gate"
    tracker.store.import_records(
        [
            make_record(
                f"quay-delay-{i}",
                title=f"Quay delay {i}",
                summary=neutral,
                tags=["quay"],
                keyPoints=[neutral],
                description=neutral,
                timeline=[],
                **{"$body": neutral},
            )
            for i in range(8)
        ],
        author="seed",
        message="seed",
    )
    words = ["harbour", "closed", "pier"]
    before = {word: ranking(client, word) for word in words}
    assert all(before[word][0] for word in words)  # each word finds published records
    for i in range(12):
        many = " ".join(words * 8)
        tracker.store.create(
            make_record(
                f"zqxscore-{i}",
                title=f"{many} zqxscore",
                summary=many,
                keyPoints=[many],
                description=many,
                **{"$body": many},
            ),
            author="seed",
            message="a draft that holds the words many times",
        )
    after = {word: ranking(client, word) for word in words}
    assert after == before
