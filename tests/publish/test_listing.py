"""Listings as a research tool (publish/listing.py): which records a listing holds, narrowed
and sorted, and the static build's shared listing files (every record once: its row, CSV row
and JSON document), checked against the site's own data files on generated records, and
their size against the data files'."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from casework.examples import generate_records
from casework.formats import dumps
from casework.formats.tracker_json import record_dict
from casework.model import Record
from casework.publish import listing
from casework.publish.build import build_site
from casework.publish.cards import card_of, tag_slug
from casework.publish.listing import Choice, choice_of, chosen, members, options
from casework.store import open_store
from casework.store.base import Store
from tests.publish.listings import SITE, fill_listings

LISTING_JS = Path(listing.__file__).parent.parent / "render" / "static" / "listing.js"

SEVERITIES = list(SITE.vocabularies.get("severity"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list, list]]:
    folder = tmp_path_factory.mktemp("listings")
    store: Store = open_store(folder / "tracker.db")
    published, hidden = fill_listings(store)
    build_site(store, SITE, folder / "site", workers=1)
    store.close()
    yield folder / "site", published, hidden


def cards_of(records: list) -> list[dict]:
    return [card_of(r) for r in records]


def test_a_listing_holds_its_records_newest_first_and_narrows_by_the_other_facets(
    built: tuple[Path, list, list],
) -> None:
    _, published, _ = built
    cards = cards_of(published)
    category = max(
        {c["category"] for c in cards}, key=lambda k: sum(c["category"] == k for c in cards)
    )
    listed = members(cards, "category", category, SITE)
    assert {c["slug"] for c in listed} == {c["slug"] for c in cards if c["category"] == category}
    assert [c["date"] for c in listed] == sorted((c["date"] for c in listed), reverse=True)
    severity = listed[0]["severity"]
    choice = choice_of({"severity": severity, "category": "ignored", "sort": "title"}, "category")
    assert choice.filters == {"severity": severity}  # a listing's own facet is not narrowed
    got = chosen(listed, choice, "category", SEVERITIES)
    expected = [c for c in listed if c["severity"] == severity]
    assert [c["slug"] for c in got] == [
        c["slug"] for c in sorted(expected, key=lambda c: (c["title"].casefold(), c["slug"]))
    ]
    year = listed[-1]["date"][:4]
    by_year = chosen(listed, Choice({"year": year}, "oldest"), "category", SEVERITIES)
    assert by_year and all(c["date"].startswith(year) for c in by_year)
    assert [c["date"] for c in by_year] == sorted(c["date"] for c in by_year)
    severe = chosen(listed, Choice({}, "severity"), "category", SEVERITIES)
    ranks = [SEVERITIES.index(c["severity"]) for c in severe]
    assert ranks == sorted(ranks, reverse=True) and len(set(ranks)) > 1
    tag = next(t for c in listed for t in c["tags"])
    tagged = chosen(listed, choice_of({"tag": tag}, "category"), "category", SEVERITIES)
    assert tagged and all(tag in c["tags"] for c in tagged)
    country = next(code for c in listed for code in c["countries"])
    placed = chosen(
        listed, choice_of({"country": country.lower()}, "category"), "category", SEVERITIES
    )
    assert placed and all(country in c["countries"] for c in placed)
    # Unknown sorts and views are the defaults: nothing to narrow.
    assert not choice_of({"sort": "evil", "view": "x"}, "category").narrowed


def test_options_count_only_the_listings_records(built: tuple[Path, list, list]) -> None:
    _, published, _ = built
    cards = cards_of(published)
    made = options(cards, "tag")
    assert "tag" not in made
    assert sum(n for _, _, n in made["year"]) == len(cards)
    assert sum(n for _, _, n in made["category"]) == len(cards)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def shards(out: Path) -> tuple[dict, dict[str, dict], dict[str, tuple[str, str]]]:
    """The built manifest; slug → row (by ROW_FIELDS); slug → (CSV row, compact document)."""
    manifest = json.loads((out / listing.MANIFEST_FILE).read_text(encoding="utf-8"))
    got_rows: dict[str, dict] = {}
    got_docs: dict[str, tuple[str, str]] = {}
    for n in range(manifest["shards"]):
        for values in json.loads((out / listing.ROWS_FILE.format(n)).read_text(encoding="utf-8")):
            row = dict(zip(listing.ROW_FIELDS, values, strict=True))
            assert listing.shard_of(row["slug"]) == n
            got_rows[row["slug"]] = row
        lines = (out / listing.DOCS_FILE.format(n)).read_text(encoding="utf-8").split("\n")
        assert lines[-1] == ""
        for head, document in zip(lines[:-1:2], lines[1::2], strict=True):
            slug, csv_row = json.loads(head)
            got_docs[slug] = (csv_row, document)
    return manifest, got_rows, got_docs


def test_the_build_writes_each_record_once_as_the_data_files_have_it(
    built: tuple[Path, list, list],
) -> None:
    out, published, hidden = built
    data_text = (out / "data/records.csv").read_text(encoding="utf-8")
    data_rows = rows(data_text)
    header, by_slug = data_rows[0], {row[0]: row for row in data_rows[1:]}
    data_json = {
        r["slug"]: r for r in json.loads((out / "data/records.json").read_text())["records"]
    }
    manifest, got_rows, got_docs = shards(out)
    assert rows(manifest["csvHeader"]) == [header]
    assert got_rows.keys() == got_docs.keys() == {r.slug for r in published}
    for slug, (csv_row, document) in got_docs.items():
        assert rows(csv_row) == [by_slug[slug]]
        assert json.loads(document) == data_json[slug]
    # No listing has a file of its own any more; every listing's members are in the rows.
    assert not list(out.glob("*/*/index.csv")) and not list(out.glob("*/*/index.json"))
    cards = cards_of(published)
    folders = [p.parent.relative_to(out).as_posix() for p in out.glob("*/*/index.html")]
    kinds = ("category", "severity", "posture", "year", "tag", "entity", "law")
    checked = 0
    for folder in folders:
        kind, key = folder.split("/")
        if kind in kinds:
            expected = {c["slug"] for c in members(cards, kind, key, SITE)}
            assert {s for s, r in got_rows.items() if folder in r["listings"]} == expected
            checked += 1
    assert checked > 20
    hidden_slugs = {r.slug for r in hidden}
    for path in out.joinpath("listing").iterdir():
        text = path.read_text(encoding="utf-8")
        assert not any(s in text for s in hidden_slugs), path


def test_the_listing_files_grow_with_the_records_not_the_listings(
    built: tuple[Path, list, list],
) -> None:
    out, _, _ = built
    total = sum(p.stat().st_size for p in out.joinpath("listing").iterdir())
    csv_size = (out / "data/records.csv").stat().st_size
    json_size = (out / "data/records.json").stat().st_size
    compact_size = (out / "data/records.ndjson").stat().st_size
    # Each record once: its CSV row, its document without indentation (as records.ndjson has
    # it) and a small row, whatever the number of listings it is on (each listing's own
    # files were 14 times the data files at 2,000 records).
    assert total < csv_size + json_size
    assert total < 1.1 * (csv_size + compact_size)


def messy(tmp_path: Path) -> list[Record]:
    """Records whose text a CSV or JSON writer could get wrong."""
    made = list(generate_records(4, seed=3, site=SITE, today=date(2026, 6, 1)))
    wire = made[0].to_wire()
    wire |= {
        "title": 'Shelling, "again" at the ""port""\nsecond line — Zürich ß İ 𝔘',
        "summary": "",
        "tags": ["tag, with comma", 'quo"te', "ünï"],
    }
    made[0] = Record.model_validate(wire)
    return made


def test_the_script_makes_a_listings_downloads_as_the_live_app_does(tmp_path: Path) -> None:
    """listing.js's CSV and JSON bodies from the listing files, compared (in node) with
    csv_bytes and json_bytes, the live app's own, on records with commas, doubled quotes, a
    newline, a blank field, non-ASCII and astral characters."""
    node = shutil.which("node")
    assert node is not None, "node is needed to run listing.js"
    records = messy(tmp_path)
    made = listing.listing_files(records, SITE, "2026-06-01T00:00:00Z")
    folder = tmp_path / "site"
    for path, data in made.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    order = sorted(records, key=lambda r: (r.title.casefold(), r.slug))
    expected = {
        "csv": listing.csv_bytes(order, SITE).decode(),
        "json": listing.json_bytes(order, SITE, "2026-06-01T00:00:00Z").decode(),
        "empty": listing.json_bytes([], SITE, "2026-06-01T00:00:00Z").decode(),
        "pretty": dumps(record_dict(records[0], SITE, extensions=True)),
    }
    script = """
const fs = require("fs");
global.fetch = (url) => Promise.resolve({
  json: () => Promise.resolve(JSON.parse(fs.readFileSync(url, "utf8"))),
  text: () => Promise.resolve(fs.readFileSync(url, "utf8")),
});
global.window = {}; global.document = {readyState: "complete", getElementById: () => null};
// static/words.js, which a page loads before listing.js.
global.caseworkWords = require(require("path").join(require("path").dirname(process.argv[1]),
  "words.js"));
const source = fs.readFileSync(process.argv[1], "utf8")
  .replace("if (document.readyState", "global.T = {loadRows, loadDocs, chosen, csvBody, jsonBody, "
    + "indented}; if (document.readyState");
eval(source);
T.loadRows(process.argv[2] + "/listing/index.json").then((data) => {
  const records = T.chosen(data.rows, {}, "title", []);
  return T.loadDocs(data, records).then((docs) => {
    const first = docs[data.rows.find((r) => r.title.includes("Zürich")).slug][1];
    process.stdout.write(JSON.stringify({
      csv: T.csvBody(data.manifest, records, docs),
      json: T.jsonBody(data.manifest, records, docs),
      empty: T.jsonBody(data.manifest, [], docs),
      pretty: T.indented(first, ""),
    }));
  });
});
"""
    done = subprocess.run(
        [node, "-e", script, str(LISTING_JS), str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=folder,
    )
    assert json.loads(done.stdout) == expected


def test_a_years_listing_is_a_timeline_by_month(built: tuple[Path, list, list]) -> None:
    out, published, _ = built
    cards = cards_of(published)
    year = max({c["date"][:4] for c in cards}, key=lambda y: sum(c["date"][:4] == y for c in cards))
    html = (out / f"year/{year}/index.html").read_text()
    months = re.findall(r'<h2 id="m-(\d{4}-\d\d)">', html)
    assert months == sorted(set(months)) and len(months) > 1
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', html)
    assert dates == sorted(dates) and all(d.startswith(year) for d in dates)
    # Each record sits under its own month.
    for month, section in re.findall(r'<h2 id="m-([\d-]+)">.*?</h2>(.*?)</section>', html, re.S):
        assert all(d.startswith(month) for d in re.findall(r'datetime="([\d-]+)"', section))


def test_a_listing_page_offers_its_downloads_and_a_form(built: tuple[Path, list, list]) -> None:
    out, published, _ = built
    tag = published[0].tags[0]
    html = (out / f"tag/{tag_slug(tag)}/index.html").read_text()
    # Without a script, the data files; with one, listing.js makes the listing's own.
    assert 'href="/data/records.csv"' in html and 'href="/data/records.json"' in html
    assert f'data-listing="tag/{tag_slug(tag)}/"' in html
    assert '<form id="listing-form"' in html and 'method="get"' in html
    assert 'name="tag"' not in html  # its own facet
    assert "static/listing.js" in html


def test_an_edit_rewrites_only_its_records_shard(tmp_path: Path) -> None:
    """One record's edit writes its shard's two files and the manifest; every other listing
    file is the previous build's (the same inode)."""
    store: Store = open_store(tmp_path / "tracker.db")
    published, _ = fill_listings(store)
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in (out / "listing").iterdir()}
    slug = published[5].slug
    stored = store.get(slug)
    edited = stored.record.model_copy(update={"title": stored.record.title + ", again"})
    store.save(edited, base_revision=stored.revision, author="test", message="edit")
    build_site(store, SITE, out, workers=1)
    store.close()
    after = {p.name: (p.stat().st_ino, p.read_bytes()) for p in (out / "listing").iterdir()}
    assert after.keys() == before.keys()
    shard = listing.shard_of(slug)
    mine = {listing.ROWS_FILE.format(shard), listing.DOCS_FILE.format(shard)}
    written = {f"listing/{n}" for n in after if after[n][0] != before[n][0]}
    assert written == mine | {listing.MANIFEST_FILE}
    changed = {f"listing/{n}" for n in after if after[n][1] != before[n][1]}
    assert mine <= changed
    assert b", again" in after[listing.ROWS_FILE.format(shard).removeprefix("listing/")][1]
