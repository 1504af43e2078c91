"""Captures as the public sees them: on the record page, in the record's JSON (the `captures`
key of casework's own), as files of the static build and answers of the live app — inert text
and the original WARC, for published records' sources only — and `casework archive` itself."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from casework.cli import app as cli_app
from casework.config import load_config
from casework.evidence.captures import Capture, Captures, capture_records
from casework.model import Site, Status
from casework.store import open_store
from casework.store.base import Store
from casework.web.app import create_app
from casework.web.static_site import static_site_app
from tests.evidence.conftest import LOCAL
from tests.evidence.test_captures import SLUG, raid_record
from tests.store.factories import make_record

runner = CliRunner()
DRAFT = "ministry-statement"


@dataclass
class Tracker:
    folder: Path
    store: Store
    site: Site
    captures: Captures
    kept: dict[str, Capture]  # URL → its capture

    def cli(self, *args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli_app, ["--tracker", str(self.folder), *args])
        return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def tracker(tmp_path: Path, sources: str) -> Iterator[Tracker]:
    """A SQLite tracker with a published record and a draft, their sources captured: the
    draft alone cites /changed."""
    folder = tmp_path / "t"
    result = runner.invoke(cli_app, ["init", str(folder), "--url", "https://m.example.org"])
    assert result.exit_code == 0, result.stderr
    store = open_store(folder / "tracker.db")
    try:
        store.create(raid_record(sources), author="t", message="m", status=Status.published)
        draft = make_record(
            DRAFT, sources=[{"url": f"{sources}/changed", "title": "Statement", "publisher": "M"}]
        )
        store.create(draft, author="t", message="m")
        captures = Captures.of(store, folder)
        run = capture_records(store, captures, policy=LOCAL)
        kept = {c.url: c for c in run.kept}
        yield Tracker(folder, store, load_config(folder).site, captures, kept)
    finally:
        store.close()


def test_the_record_page_and_json_show_the_captures_of_a_published_record(
    tracker: Tracker, sources: str, tmp_path: Path
) -> None:
    code, _, err = tracker.cli("build", "--out", str(tmp_path / "site"))
    assert code == 0, err
    site = tmp_path / "site"
    raid = tracker.kept[f"{sources}/raid"]
    notice = tracker.kept[f"{sources}/notice.txt"]
    page = (site / "incident" / SLUG / "index.html").read_text()
    # Every source and document has its anchor, sources first, then documents.
    assert [f'id="source-{n}"' in page for n in (1, 2, 3, 4)] == [True] * 4
    day = raid.captured_at.date().isoformat()
    item = re.search(r'<li id="source-1">.*?</li>', page, re.S)
    assert item is not None
    assert "archived <time datetime=" in item.group(0) and f">{day}</time>" in item.group(0)
    assert f'SHA-256 <code class="hash" title="{raid.sha256}">{raid.sha256[:12]}…' in page
    assert f'href="/captures/{raid.sha256}.txt"' in page and "view the capture" in page
    assert f'href="/captures/{raid.sha256}.warc.gz"' in page
    gone = re.search(r'<li id="source-3">.*?</li>', page, re.S)
    assert gone is not None and "archived" not in gone.group(0)  # it never could be
    assert f'href="/captures/{notice.sha256}.txt"' in page  # a document's, as source-4

    record = json.loads((site / "incident" / f"{SLUG}.json").read_text())["record"]
    assert list(record)[-1] == "captures"  # after the format's keys
    assert [c["url"] for c in record["captures"]] == [
        f"{sources}/raid",
        f"{sources}/old-raid",
        f"{sources}/notice.txt",
    ]
    first = record["captures"][0]
    assert first["sha256"] == raid.sha256 and first["textSha256"] == raid.text_sha256
    assert first["finalUrl"] == f"{sources}/raid" and first["status"] == 200

    # The files: the readable text (its hash is textSha256) and the WARC as stored.
    text = (site / "captures" / f"{raid.sha256}.txt").read_bytes()
    assert text.decode() == tracker.captures.text_of(raid)
    assert b"<script" not in text and b"Eleven men were taken away" in text
    warc = (site / "captures" / f"{raid.sha256}.warc.gz").read_bytes()
    assert warc == tracker.captures.warc_path(raid).read_bytes()
    # Nothing of the draft's: its capture is not on the site.
    draft = tracker.kept[f"{sources}/changed"]
    assert draft.sha256 not in "".join(str(p) for p in site.rglob("*"))
    assert {p.name for p in (site / "captures").iterdir()} == {
        f"{sha}{suffix}" for sha in (raid.sha256, notice.sha256) for suffix in (".txt", ".warc.gz")
    }
    # `casework serve --static` serves them as inert as the live app does.
    static = TestClient(static_site_app(site))
    served = static.get(f"/captures/{raid.sha256}.txt")
    assert served.content == text and served.headers["content-type"] == "text/plain; charset=utf-8"
    assert served.headers["content-security-policy"] == "sandbox; default-src 'none'"
    served = static.get(f"/captures/{raid.sha256}.warc.gz")
    assert served.content == warc and served.headers["content-type"] == "application/warc"
    assert served.headers["content-disposition"].startswith("attachment")


def test_a_new_capture_brings_the_built_site_up_to_date(
    tracker: Tracker, sources: str, tmp_path: Path
) -> None:
    out = str(tmp_path / "site")
    assert tracker.cli("build", "--out", out)[0] == 0
    code, said, _ = tracker.cli("build", "--out", out)
    assert code == 0 and "up to date" in said
    tracker.store.save(
        raid_record(sources).model_copy(
            update={
                "sources": [
                    *raid_record(sources).sources,
                    raid_record(sources)
                    .sources[0]
                    .model_copy(update={"url": f"{sources}/changed"}),
                ]
            }
        ),
        base_revision=1,
        author="t",
        message="cites the statement too",
    )
    assert tracker.cli("build", "--out", out)[0] == 0
    newer = tracker.captures.capture(f"{sources}/changed", LOCAL)
    code, said, _ = tracker.cli("build", "--out", out)
    assert code == 0 and "up to date" not in said
    assert (tmp_path / "site" / "captures" / f"{newer.sha256}.txt").exists()
    page = (tmp_path / "site" / "incident" / SLUG / "index.html").read_text()
    assert f"/captures/{newer.sha256}.txt" in page


def test_the_live_app_serves_published_captures_as_inert_text_and_a_warc_download(
    tracker: Tracker, sources: str
) -> None:
    client = TestClient(create_app(tracker.store, tracker.site, tracker.folder, warm=False))
    raid = tracker.kept[f"{sources}/raid"]
    text = client.get(f"/captures/{raid.sha256}.txt")
    assert text.status_code == 200
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.headers["content-security-policy"] == "sandbox; default-src 'none'"
    assert text.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in text.text and "onload" not in text.text
    assert text.text == tracker.captures.text_of(raid)
    warc = client.get(f"/captures/{raid.sha256}.warc.gz")
    assert warc.status_code == 200 and warc.content == tracker.captures.warc_path(raid).read_bytes()
    assert warc.headers["content-disposition"] == f'attachment; filename="{raid.sha256}.warc.gz"'
    assert warc.headers["content-security-policy"] == "sandbox; default-src 'none'"
    # The record page and JSON, live, as the build writes them.
    page = client.get(f"/incident/{SLUG}/").text
    assert f'href="/captures/{raid.sha256}.txt"' in page and 'id="source-4"' in page
    assert client.get(f"/incident/{SLUG}.json").json()["record"]["captures"][0]["sha256"] == (
        raid.sha256
    )


def test_the_api_and_live_pages_take_a_new_capture_in_after_an_archive_run(
    tracker: Tracker, sources: str
) -> None:
    record = raid_record(sources)
    statement = record.sources[0].model_copy(update={"url": f"{sources}/changed"})
    tracker.store.save(
        record.model_copy(update={"sources": [*record.sources, statement]}),
        base_revision=1,
        author="t",
        message="cites the statement too",
    )
    client = TestClient(create_app(tracker.store, tracker.site, tracker.folder, warm=False))
    generation = tracker.store.generation()
    before = client.get(f"/api/incidents/{SLUG}").json()["record"]["captures"]
    run = capture_records(tracker.store, tracker.captures, [SLUG], policy=LOCAL)
    newer = next(c for c in run.kept if c.url == f"{sources}/changed")
    assert tracker.store.generation() > generation  # no revision: a cache counter moved
    assert tracker.store.get(SLUG).revision == 2
    after = client.get(f"/api/incidents/{SLUG}").json()["record"]["captures"]
    assert newer.sha256 not in {c["sha256"] for c in before}
    assert newer.sha256 in {c["sha256"] for c in after}
    assert f"/captures/{newer.sha256}.txt" in client.get(f"/incident/{SLUG}/").text
    assert client.get(f"/captures/{newer.sha256}.txt").status_code == 200


def test_a_capture_only_a_draft_cites_answers_as_one_that_never_existed(
    tracker: Tracker, sources: str
) -> None:
    client = TestClient(create_app(tracker.store, tracker.site, tracker.folder, warm=False))
    draft = tracker.kept[f"{sources}/changed"]
    never = "0" * 64
    for suffix in (".txt", ".warc.gz"):
        asked = client.get(f"/captures/{draft.sha256}{suffix}")
        other = client.get(f"/captures/{never}{suffix}")
        assert asked.status_code == other.status_code == 404
        assert asked.content == other.content
        assert sorted(h for h in asked.headers.items() if h[0] != "date") == sorted(
            h for h in other.headers.items() if h[0] != "date"
        )
    raid = tracker.kept[f"{sources}/raid"].sha256
    for name in (
        f"{raid}.html",
        f"{raid.upper()}.txt",
        f"{raid}",
        f"..%2F..%2Farchive%2F{raid[:2]}%2F{raid}.warc.gz",
        f"{raid}.txt.warc.gz",
    ):
        assert client.get(f"/captures/{name}").status_code == 404, name
    # Published, then taken back: its captures go with it at once.
    assert client.get(f"/captures/{raid}.txt").status_code == 200
    tracker.store.set_status(SLUG, Status.draft, base_revision=1, author="t", message="back")
    assert client.get(f"/captures/{raid}.txt").status_code == 404


def test_export_leaves_the_captures_key_out_unless_asked(tracker: Tracker, tmp_path: Path) -> None:
    plain = tmp_path / "plain.ndjson"
    code, _, err = tracker.cli("export", "--format", "ndjson", "-o", str(plain))
    assert code == 0, err
    assert '"captures"' not in plain.read_text()
    extended = tmp_path / "extended.ndjson"
    code, _, err = tracker.cli("export", "--format", "ndjson", "--extensions", "-o", str(extended))
    assert code == 0, err
    lines = [json.loads(line) for line in extended.read_text().splitlines()]
    assert [len(r.get("captures", [])) for r in lines] == [3]  # the published record only
    # The rest of each record is byte for byte the plain export's.
    for line, plain_line in zip(lines, plain.read_text().splitlines(), strict=True):
        line.pop("captures")
        assert json.dumps(line, ensure_ascii=False) == json.dumps(
            json.loads(plain_line), ensure_ascii=False
        )


def test_casework_archive_reports_an_unreachable_url_in_one_line_and_changes_nothing(
    tracker: Tracker,
) -> None:
    refused = "http://127.0.0.1:9/statement"  # loopback: the fetcher refuses it outright
    record = make_record(
        "pier-notice", sources=[{"url": refused, "title": "Statement", "publisher": "Port"}]
    )
    tracker.store.create(record, author="t", message="m", status=Status.published)
    before = tracker.store.get("pier-notice")
    versions = tracker.store.versions()
    code, said, err = tracker.cli("archive", "pier-notice")
    assert code == 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"not captured: cannot fetch {refused}: ")
    assert "loopback" in lines[0] and "Traceback" not in err
    assert said.strip() == "Captured 0 of 1 URL from 1 record; 1 could not be captured."
    assert tracker.store.versions() == versions
    assert tracker.store.get("pier-notice").record == before.record
    # "Capture failed" is on record, distinct from "never captured".
    attempts = tracker.captures.captures_for([refused])[refused]
    assert len(attempts) == 1 and not attempts[0].kept and "loopback" in attempts[0].error
    code, _, err = tracker.cli("archive", "no-such-record")
    assert code == 1 and err.strip().count("\n") == 0 and "no-such-record" in err


def test_a_warc_first_written_for_a_draft_only_source_is_not_served(
    tracker: Tracker, sources: str, tmp_path: Path
) -> None:
    """The same body from a URL only a draft cites, fetched first: the shared WARC file holds
    that URL, so only the readable text is public."""
    mirror = f"{sources}/mirror-zqxdraftonly"
    draft = make_record(
        "mirror-draft", sources=[{"url": mirror, "title": "Mirror", "publisher": "M"}]
    )
    tracker.store.create(draft, author="t", message="m")
    published = make_record(
        "raid-again", sources=[{"url": f"{sources}/raid", "title": "Raid", "publisher": "L"}]
    )
    tracker.store.create(published, author="t", message="m", status=Status.published)
    # A fresh archive, so that the draft's fetch is the one that writes the file.
    captures = Captures(tracker.captures._engine, tmp_path / "fresh-archive")
    first = captures.capture(mirror, LOCAL)
    second = captures.capture(f"{sources}/raid", LOCAL)
    assert first.sha256 == second.sha256
    folder = tmp_path / "t2"
    assert runner.invoke(cli_app, ["init", str(folder)]).exit_code == 0
    (folder / "archive").symlink_to(tmp_path / "fresh-archive")
    client = TestClient(create_app(tracker.store, tracker.site, folder, warm=False))
    assert client.get(f"/captures/{second.sha256}.txt").status_code == 200
    assert client.get(f"/captures/{second.sha256}.warc.gz").status_code == 404
    page = client.get("/incident/raid-again/").text
    assert "zqxdraftonly" not in page and f"/captures/{second.sha256}.txt" in page


def test_a_claims_footnote_leads_to_its_source_and_that_sources_capture(
    tracker: Tracker, sources: str, tmp_path: Path
) -> None:
    """Provenance and captures on one page: the key point cites the document (number 4, after
    the three sources); its marker links to #source-4, where the document's capture is."""
    stored = tracker.store.get(SLUG)
    data = stored.record.to_storage()
    data["keyPoints"] = ["A notice was pinned to the door the next morning."]
    data["provenance"] = [
        {"claim": "keyPoints/0", "sources": [f"{sources}/notice.txt"], "sentence": "Pinned up."}
    ]
    tracker.store.save(
        type(stored.record).from_storage(data),
        author="t",
        message="cite",
        base_revision=stored.revision,
    )
    code, _, err = tracker.cli("build", "--out", str(tmp_path / "site"))
    assert code == 0, err
    page = (tmp_path / "site" / "incident" / SLUG / "index.html").read_text()
    assert re.search(r'<a[^>]*href="#source-4"[^>]*>\s*\[?4\]?', page), "no footnote marker"
    item = re.search(r'<li id="source-4">.*?</li>', page, re.S)
    notice = tracker.kept[f"{sources}/notice.txt"]
    assert item is not None and f"/captures/{notice.sha256}.txt" in item.group(0)
    record = json.loads((tmp_path / "site" / "incident" / f"{SLUG}.json").read_text())["record"]
    assert list(record)[-2:] == ["provenance", "captures"]


def test_a_site_with_captures_verifies_and_its_version_files_hold_only_the_record(
    tracker: Tracker, tmp_path: Path
) -> None:
    """The page's JSON carries the captures the public view adds; a version file is the
    record as stored (what the public log's leaf covers), so `casework verify` of the built
    site is clean, on a fresh build and after an incremental one."""
    site = tmp_path / "site"
    for _ in range(2):
        code, _, err = tracker.cli("build", "--out", str(site))
        assert code == 0, err
        version = json.loads((site / "incident" / SLUG / "v" / "1.json").read_text())
        assert "captures" not in version["record"]
        assert "captures" in json.loads((site / "incident" / f"{SLUG}.json").read_text())["record"]
        code, out, err = tracker.cli("verify", str(site))
        assert code == 0, out + err


def test_reading_several_records_at_once_gives_each_one_as_reading_it_alone(
    tracker: Tracker,
) -> None:
    """PublicView.read of several slugs (one query for the records, one for their captures)
    is what a read of each gives: the public form, its captures, its withheld related slugs;
    a draft and a slug no record has are left out."""
    from casework.publish.public_view import PublicView

    other = make_record("harbour-closure", relatedIncidents=[SLUG, DRAFT])
    tracker.store.create(other, author="t", message="m", status=Status.published)
    view = PublicView(tracker.store, tracker.captures)
    read = view.read([SLUG, DRAFT, "nowhere", "harbour-closure"])
    assert list(read) == [SLUG, "harbour-closure"]
    for slug, public in read.items():
        assert public == view.get(slug)
    from casework.evidence.captures import EXTENSION_KEY

    assert getattr(read[SLUG].record, EXTENSION_KEY)  # its captures listed
    assert read["harbour-closure"].withheld == (DRAFT,)
