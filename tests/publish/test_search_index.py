"""The static search index: tokenizer, per-record terms and weights, the files written, and
lookups done the way search.js does them (binary search over shard boundaries, one shard)."""

from __future__ import annotations

import json
import pickle
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.model import Record, Site
from casework.publish.search_index import (
    SHARD_BYTES,
    SUMMARY_CHARS,
    TEXT_WEIGHT_CAP,
    WEIGHT_BITS,
    WEIGHT_CAP,
    SearchDoc,
    TermWeights,
    search_document,
    term_counts,
    tokenize,
    write_search_index,
)
from tests.publish.xss import hostile_record
from tests.store.factories import make_record

SITE = Site(url="https://tracker.example.org", title="Search test")
LABELS = {
    "category": dict(SITE.vocabularies.category),
    "severity": dict(SITE.vocabularies.severity),
}


def utf16(term: str) -> bytes:
    """JavaScript's string order (UTF-16 code units)."""
    return term.encode("utf-16-be")


class Index:
    """A written index, read as search.js reads it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.meta: dict[str, Any] = json.loads((directory / "meta.json").read_text("utf-8"))
        self.firsts = [utf16(t) for t in self.meta["shards"]]
        self.loaded: dict[int, dict[str, list[int]]] = {}

    def shard_of(self, term: str) -> int:
        return max([0, *(i for i, first in enumerate(self.firsts) if first <= utf16(term))])

    def shard(self, n: int) -> dict[str, list[int]]:
        if n not in self.loaded:
            path = self.directory / f"terms-{n}.json"
            self.loaded[n] = json.loads(path.read_text("utf-8"))
        return self.loaded[n]

    def postings(self, term: str) -> dict[str, int]:
        """slug → weight of the records holding `term`."""
        record, out = -1, {}
        for value in self.shard(self.shard_of(term)).get(term, []):
            record += value >> WEIGHT_BITS
            out[self.meta["records"][record][0]] = value & ((1 << WEIGHT_BITS) - 1)
        return out

    def find(self, query: str) -> set[str]:
        terms = tokenize(query)
        found = [set(self.postings(t)) for t in terms]
        return set.intersection(*found) if found else set()


def write(tmp_path: Path, records: list[Record], name: str = "index") -> Index:
    directory = tmp_path / name
    directory.mkdir()
    write_search_index([search_document(r, SITE) for r in records], directory, LABELS)
    return Index(directory)


# ----- tokenizer -----


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        # Terms are stemmed (casework.search_words: Snowball, English here).
        ("Café, Ünïcode and NAÏVE façades", ["cafe", "unicode", "naiv", "facad"]),
        ("WAR Crimes war crimes", ["war", "crime", "war", "crime"]),
        ("don't—stop;the_raid (Art.7(1))", ["don", "stop", "raid", "art"]),
        ("Straße ẞ ΟΔΟΣ ὀδός", ["strasse", "ss", "οδοσ", "οδοσ"]),
        ("Москва, Київ", ["москва", "киів"]),  # ї is і with a diaeresis
        ("عربي نص", ["عربي", "نص"]),
        ("日本語 テスト 中", ["日本語", "テスト"]),
        ("In 2024, Article 12 of the ICCPR; 7 days", ["2024", "articl", "12", "iccpr", "day"]),
        ("ﬁnance ＡＢＣ ①②", ["financ", "abc", "12"]),
        ("a I x 1 the of and é", []),
        ("“quoted” «guillemets» ‘single’", ["quot", "guillemet", "singl"]),
    ],
)
def test_tokenize(text: str, terms: list[str]) -> None:
    assert tokenize(text) == terms


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80))
def test_term_counts_agree_with_tokenize(text: str) -> None:
    # term_counts takes a faster path (ASCII chunks first): it must count the same terms.
    assert term_counts(text) == dict(Counter(tokenize(text)))


# ----- what a record contributes -----


MARKED = {
    "title": "Harbour zqtitle closed",
    "tags": ["zqtag harbour"],
    "summary": "Crews zqsummary stranded.",
    "keyPoints": ["Point zqkeypoint"],
    "victims": "zqvictims crews",
    "perpetrators": "zqperpetrators authority",
    "structuredVictims": [{"name": "zqvictimparty", "kind": "group", "role": "zqrole"}],
    "structuredPerpetrators": [{"name": "zqperpparty", "kind": "organization"}],
    "legalBasis": "zqlegalbasis",
    "internationalLaw": [{"statute": "zqstatute", "article": "Art zq17", "provision": "zqprov"}],
    "legalAnalyses": [
        {"title": "zqanalysis", "url": "https://example.org/a", "organization": "zqorg"}
    ],
    "description": "zqdescription",
    "sources": [{"url": "https://example.org/s", "title": "zqsource", "publisher": "zqpress"}],
    "documents": [{"title": "zqdocument", "url": "https://example.org/d.pdf", "kind": "order"}],
    "timeline": [{"date": "2021-03-14", "title": "zqeventtitle", "summary": "zqeventsummary"}],
    "updateLog": [{"date": "2021-04-02", "summary": "zqupdate"}],
    "$body": "## Heading\n\nThe **zqbody** text, see [the zqlink](https://example.org/zqurl).\n",
}
MARKERS = (
    "zqtitle zqtag zqsummary zqkeypoint zqvictims zqperpetrators zqvictimparty zqrole "
    "zqperpparty zqlegalbasis zqstatute zq17 zqprov zqanalysis zqorg zqdescription zqsource "
    "zqpress zqdocument zqeventtitle zqeventsummary zqupdate zqbody zqlink"
).split()


def test_a_word_of_every_field_is_found(tmp_path: Path) -> None:
    index = write(tmp_path, [make_record("marked", **MARKED), make_record("plain")])
    for marker in MARKERS:
        (term,) = tokenize(marker)  # its stem: "zqsummary" is held as "zqsummari"
        assert index.postings(term).keys() == {"marked"}, marker
    # The body's markup and link targets are not words of the record.
    for absent in ("strong", "href", "zqurl", "h2"):
        assert index.postings(absent) == {}, absent
    assert index.find("harbour closed") == {"marked", "plain"}
    assert index.find("harbour zqtitle") == {"marked"}
    assert index.find("zqtitle zqnowhere") == set()


def test_weights_by_field_and_caps() -> None:
    record = make_record(
        "weights",
        title="Zqone zqone",
        tags=["zqtwo"],
        summary="zqthree and zqtwo",
        description=" ".join(["zqmany"] * 30),
        keyPoints=["zqone", "zqfour"],
        **{"$body": "zqfour zqfour " + " zqhuge" * 40},
        victims=" ".join(["zqhuge"] * 5),
    )
    terms = search_document(record, SITE).terms
    assert terms["zqone"] == 5 * 2 + 1
    assert terms["zqtwo"] == 3 + 3
    assert terms["zqthree"] == 3
    assert terms["zqfour"] == 3
    assert terms["zqmani"] == TEXT_WEIGHT_CAP  # "zqmany", stemmed
    record = make_record("capped", title=" ".join(["zqcap"] * 10))
    assert search_document(record, SITE).terms["zqcap"] == WEIGHT_CAP
    assert "and" not in terms  # stopword


def test_postings_carry_weights_in_record_order(tmp_path: Path) -> None:
    records = [
        make_record("in-title", title="Zqword at the pier", date="2020-01-01"),
        make_record("in-body", **{"$body": "A zqword in the body."}, date="2023-01-01"),
        make_record("in-tags", tags=["zqword"], date="2021-06-01"),
    ]
    index = write(tmp_path, records)
    assert index.postings("zqword") == {"in-title": 5, "in-tags": 3, "in-body": 1}
    assert [r[0] for r in index.meta["records"]] == ["in-body", "in-tags", "in-title"]


def test_search_document_is_small_and_picklable() -> None:
    record = make_record("long", summary="word " * 100)
    doc = search_document(record, SITE)
    assert len(doc.summary) <= SUMMARY_CHARS and doc.summary.endswith("…")
    assert doc.date == "2021-03-14" and doc.tags == ("harbour", "movement")
    copy = pickle.loads(pickle.dumps(doc))
    assert copy == doc and dict(copy.terms) == dict(doc.terms)
    assert isinstance(doc.terms, TermWeights) and len(doc.terms) == len(dict(doc.terms))
    # The weighted terms travel as one string and one bytes object, not a dict of objects.
    assert len(pickle.dumps(doc.terms)) < 30 * len(doc.terms)


# ----- the files -----


def test_meta(tmp_path: Path) -> None:
    records = [
        make_record("older", date="2019-05-01", category="rule-of-law", severity="severe"),
        make_record("newer", date="2022-02-02", tags=["ferry", "port"]),
    ]
    index = write(tmp_path, records)
    meta = index.meta
    assert meta["version"] == 2 and meta["language"] == "english"
    assert meta["labels"] == LABELS
    assert meta["shardCount"] == len(meta["shards"]) == len(list(index.directory.glob("terms-*")))
    assert meta["records"] == [
        ["newer", records[1].title, "2022-02-02", "civil-liberties", "serious", ["ferry", "port"],
         records[1].summary, [], records[1].posture, records[1].ongoing],
        ["older", records[0].title, "2019-05-01", "rule-of-law", "severe", ["harbour", "movement"],
         records[0].summary, [], records[0].posture, records[0].ongoing],
    ]  # fmt: skip


def test_same_docs_in_any_order_give_the_same_bytes(tmp_path: Path) -> None:
    records = [make_record(f"r{i}", date=f"202{i % 4}-01-0{i % 9 + 1}") for i in range(12)]
    records.append(make_record("same-date-b", date="2021-01-02"))
    records.append(make_record("same-date-a", date="2021-01-02"))
    docs = [search_document(r, SITE) for r in records]
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    written = write_search_index(docs, first, LABELS)
    again = write_search_index(list(reversed(docs)), second, LABELS)
    assert [p.name for p in written] == [p.name for p in again]
    for a, b in zip(written, again, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_hostile_strings_are_stored_as_data(tmp_path: Path) -> None:
    hostile = hostile_record()
    index = write(tmp_path, [hostile])
    slug, title, _date, _cat, _sev, tags, summary, *_rest = index.meta["records"][0]
    assert (slug, title, tags, summary) == (
        hostile.slug,
        hostile.title,
        hostile.tags,
        hostile.summary,
    )
    assert index.postings("xss") == {"hostile": WEIGHT_CAP}
    assert index.find("script window") == {"hostile"}


def synthetic_docs(n: int, terms_per_doc: int) -> list[SearchDoc]:
    """Docs with a large vocabulary (the example generator's is small), astral and
    private-range-adjacent terms among them: their order differs in UTF-16 and code points."""
    special = ["\U00020000\U00020001", "\ufa0e\ufa0f", "zzz", "οδοσ"]
    docs = []
    for i in range(n):
        words = {
            f"w{(i * 7919 + k * 104729) % 50000:05d}x": 1 + (i + k) % WEIGHT_CAP
            for k in range(terms_per_doc)
        }
        words[special[i % len(special)]] = 2
        docs.append(
            SearchDoc(
                f"doc-{i:05d}",
                f"Doc {i}",
                f"20{10 + i % 15}-01-01",
                "c",
                "s",
                (),
                "",
                TermWeights.from_dict(words),
            )
        )
    return docs


def test_large_vocabulary_is_cut_into_sorted_shards_of_bounded_size(tmp_path: Path) -> None:
    docs = synthetic_docs(2000, 60)
    write_search_index(docs, tmp_path, LABELS)
    index = Index(tmp_path)
    assert index.meta["shardCount"] > 3
    previous = b""
    for n, first in enumerate(index.meta["shards"]):
        shard = index.shard(n)
        assert next(iter(shard)) == first
        keys = [utf16(t) for t in shard]
        assert keys == sorted(keys) and keys[0] > previous  # one global UTF-16 order
        previous = keys[-1]
        size = (tmp_path / f"terms-{n}.json").stat().st_size
        assert size <= SHARD_BYTES + max(len(json.dumps({t: v})) for t, v in shard.items())
    by_slug = {doc.slug: doc for doc in docs}
    for doc in docs[:40]:
        for term, weight in doc.terms.items():
            assert index.postings(term)[doc.slug] == weight
    for special in ("\U00020000\U00020001", "\ufa0e\ufa0f", "οδοσ"):
        assert len(index.postings(special)) == 500
    assert all(index.postings(t).keys() <= by_slug.keys() for t in ("w00000x", "w49999x"))


def test_no_records(tmp_path: Path) -> None:
    assert write_search_index([], tmp_path, LABELS) == [
        tmp_path / "meta.json",
        tmp_path / "terms-0.json",
    ]
    meta = json.loads((tmp_path / "meta.json").read_text())
    assert (meta["records"], meta["shardCount"], meta["shards"]) == ([], 1, [""])
    assert json.loads((tmp_path / "terms-0.json").read_text()) == {}
