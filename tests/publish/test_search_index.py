"""The static search index: tokenizer, per-record terms and short-field counts, the files
written, and lookups done the way search.js does them (binary search over shard boundaries,
one shard, postings decoded)."""

from __future__ import annotations

import dataclasses
import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from casework.model import Record, Site
from casework.publish.search_index import (
    DIGIT,
    KIND_BITS,
    SHARD_BYTES,
    SUMMARY_CHARS,
    DocTerms,
    Files,
    SearchDoc,
    index_files,
    search_document,
    tokenize,
    updated_index_files,
    write_search_index,
)
from casework.search_rank import FIELD_WEIGHTS, FIELDS
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

    def postings(self, term: str) -> dict[str, tuple[int, ...]]:
        """slug → the term's counts in the short fields (FIELDS) of the records holding it."""
        record, out = -1, {}
        values = iter(self.shard(self.shard_of(term)).get(term, []))
        for value in values:
            record += value >> KIND_BITS
            kind = value & ((1 << KIND_BITS) - 1)
            counts = (0,) * len(FIELDS)
            if kind == 1:
                code = next(values)
                counts = tuple(code // DIGIT**i % DIGIT for i in reversed(range(len(FIELDS))))
            elif kind == 2:
                counts = tuple(next(values) for _field in FIELDS)
            out[self.meta["records"][record][0]] = counts
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
        ("Café, Ünïcode and NAÏVE façades", ["cafe", "unicode", "and", "naiv", "facad"]),
        ("WAR Crimes war crimes", ["war", "crime", "war", "crime"]),
        ("don't—stop;the_raid (Art.7(1))", ["don", "t", "stop", "the", "raid", "art", "7", "1"]),
        ("Straße ẞ ΟΔΟΣ ὀδός", ["strasse", "ss", "οδοσ", "οδοσ"]),
        ("Москва, Київ", ["москва", "киів"]),  # ї is і with a diaeresis
        ("عربي نص", ["عربي", "نص"]),
        ("日本語 テスト 中", ["日本語", "テスト", "中"]),
        # Stopwords and single letters too: the live engines match and rank them.
        (
            "In 2024, Article 12 of the ICCPR; 7 days",
            ["in", "2024", "articl", "12", "of", "the", "iccpr", "7", "day"],
        ),
        ("ﬁnance ＡＢＣ ①②", ["financ", "abc", "12"]),
        ("a I x 1 the of and é", ["a", "i", "x", "1", "the", "of", "and", "e"]),
        ("“quoted” «guillemets» ‘single’", ["quot", "guillemet", "singl"]),
    ],
)
def test_tokenize(text: str, terms: list[str]) -> None:
    assert tokenize(text) == terms


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
# The store matches a record's short fields and body (`store.history.all_text`); so does the
# static index, and no other field.
FOUND = "zqtitle zqtag zqsummary zqkeypoint zqdescription zqbody zqlink".split()
NOT_FOUND = (
    "zqvictims zqperpetrators zqvictimparty zqrole zqperpparty zqlegalbasis zqstatute zqprov "
    "zqanalysis zqorg zqsource zqpress zqdocument zqeventtitle zqeventsummary zqupdate"
).split()


def test_the_words_the_store_matches_are_found(tmp_path: Path) -> None:
    index = write(tmp_path, [make_record("marked", **MARKED), make_record("plain")])
    for marker in FOUND:
        (term,) = tokenize(marker)  # its stem: "zqsummary" is held as "zqsummari"
        assert index.postings(term).keys() == {"marked"}, marker
    for marker in NOT_FOUND:
        (term,) = tokenize(marker)
        assert index.postings(term) == {}, marker
    # The body's markup and link targets are not words of the record.
    for absent in ("strong", "href", "zqurl", "h2"):
        assert index.postings(absent) == {}, absent
    assert index.find("harbour closed") == {"marked", "plain"}
    assert index.find("harbour zqtitle") == {"marked"}
    assert index.find("zqtitle zqnowhere") == set()


def test_counts_by_short_field_and_length() -> None:
    record = make_record(
        "counts",
        title="Zqone zqone",
        tags=["zqtwo"],
        summary="zqthree and zqtwo",
        description=" ".join(["zqmany"] * 30),
        keyPoints=["zqone", "zqfour"],
        **{"$body": "zqfour zqfour " + " zqhuge" * 40},
        victims=" ".join(["zqhuge"] * 5),
        locations=[],
    )
    terms = search_document(record, SITE).terms
    counts = dict(zip(terms.terms(), map(tuple, terms.head_counts()), strict=False))
    assert counts["zqone"] == (2, 0, 0, 1, 0)
    assert counts["zqtwo"] == (0, 1, 1, 0, 0)
    assert counts["zqthree"] == (0, 0, 1, 0, 0)
    assert counts["zqfour"] == (0, 0, 0, 1, 0)
    assert counts["zqmani"] == (0, 0, 0, 0, 30)  # "zqmany", stemmed; never capped
    assert counts["and"] == (0, 0, 1, 0, 0)  # stopwords count, as in FTS5's |D|
    assert "zqhuge" in terms.terms() and "zqhuge" not in counts  # the body: matched only
    assert terms.length == 2 + 1 + 3 + 2 + 30  # every key of the five short fields


def test_postings_carry_field_counts_in_record_order(tmp_path: Path) -> None:
    records = [
        make_record("in-title", title="Zqword at the pier", date="2020-01-01"),
        make_record("in-body", **{"$body": "A zqword in the body."}, date="2023-01-01"),
        make_record("in-tags", tags=["zqword"], date="2021-06-01"),
        make_record("many", description="zqword " * 9, date="2019-01-01"),
    ]
    index = write(tmp_path, records)
    assert index.postings("zqword") == {
        "in-title": (1, 0, 0, 0, 0),
        "in-tags": (0, 1, 0, 0, 0),
        "in-body": (0, 0, 0, 0, 0),
        "many": (0, 0, 0, 0, 9),  # a count of DIGIT or more: five numbers
    }
    assert [r[0] for r in index.meta["records"]] == ["in-body", "in-tags", "in-title", "many"]


def test_search_document_is_small_and_picklable() -> None:
    record = make_record("long", summary="word " * 100)
    doc = search_document(record, SITE)
    assert len(doc.summary) <= SUMMARY_CHARS and doc.summary.endswith("…")
    assert doc.date == "2021-03-14" and doc.tags == ("harbour", "movement")
    copy = pickle.loads(pickle.dumps(doc))
    assert copy == doc and copy.terms.terms() == doc.terms.terms()
    assert isinstance(doc.terms, DocTerms) and doc.terms.length >= 100
    # The terms travel as one string and one bytes object, not a dict of objects.
    assert len(pickle.dumps(doc.terms)) < 40 * len(doc.terms.terms())


# ----- the files -----


def test_meta(tmp_path: Path) -> None:
    records = [
        make_record("older", date="2019-05-01", category="rule-of-law", severity="severe"),
        make_record("newer", date="2022-02-02", tags=["ferry", "port"]),
    ]
    index = write(tmp_path, records)
    meta = index.meta
    assert meta["version"] == 3 and meta["language"] == "english"
    assert meta["bm25"] == {"fields": list(FIELDS), "weights": list(FIELD_WEIGHTS),
                            "k1": 1.2, "b": 0.75}  # fmt: skip
    lengths = [search_document(r, SITE).terms.length for r in records]
    assert meta["labels"] == LABELS
    assert meta["shardCount"] == len(meta["shards"]) == len(list(index.directory.glob("terms-*")))
    assert meta["records"] == [
        ["newer", records[1].title, "2022-02-02", "civil-liberties", "serious", ["ferry", "port"],
         records[1].summary, [], records[1].posture, records[1].ongoing, lengths[1]],
        ["older", records[0].title, "2019-05-01", "rule-of-law", "severe", ["harbour", "movement"],
         records[0].summary, [], records[0].posture, records[0].ongoing, lengths[0]],
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
    assert index.postings("xss")["hostile"][0] > 0  # in its title
    assert index.find("script window") == {"hostile"}


def synthetic_docs(n: int, terms_per_doc: int) -> list[SearchDoc]:
    """Docs with a large vocabulary (the example generator's is small), astral and
    private-range-adjacent terms among them: their order differs in UTF-16 and code points."""
    special = ["\U00020000\U00020001", "\ufa0e\ufa0f", "zzz", "οδοσ"]
    docs = []
    for i in range(n):
        words = [f"w{(i * 7919 + k * 104729) % 50000:05d}x" for k in range(terms_per_doc)]
        heads = (words[0], special[i % len(special)], "", " ".join(words[1:10]), "")
        docs.append(
            SearchDoc(
                f"doc-{i:05d}",
                f"Doc {i}",
                f"20{10 + i % 15}-01-01",
                "c",
                "s",
                (),
                "",
                DocTerms.of(heads, " ".join((*heads, *words))),
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
        heads = dict(zip(doc.terms.terms(), map(tuple, doc.terms.head_counts()), strict=False))
        for term in doc.terms.terms():
            assert index.postings(term)[doc.slug] == heads.get(term, (0,) * len(FIELDS))
    for special in ("\U00020000\U00020001", "\ufa0e\ufa0f", "οδοσ"):
        assert len(index.postings(special)) == 500
        assert all(c == (0, 1, 0, 0, 0) for c in index.postings(special).values())
    assert all(index.postings(t).keys() <= by_slug.keys() for t in ("w00000x", "w49999x"))


def test_no_records(tmp_path: Path) -> None:
    assert write_search_index([], tmp_path, LABELS) == [
        tmp_path / "meta.json",
        tmp_path / "terms-0.json",
    ]
    meta = json.loads((tmp_path / "meta.json").read_text())
    assert (meta["records"], meta["shardCount"], meta["shards"]) == ([], 1, [""])
    assert json.loads((tmp_path / "terms-0.json").read_text()) == {}


def with_terms(doc: SearchDoc, heads: tuple[str, ...], body: str) -> SearchDoc:
    """`doc` with other text: its short fields `heads` and body words `body`."""
    return dataclasses.replace(doc, terms=DocTerms.of(heads, " ".join((*heads, body))))


def counts_of(doc: SearchDoc) -> dict[str, tuple[int, ...]]:
    """term → the record's counts in the short fields: what its posting says."""
    head = [tuple(int(c) for c in row) for row in doc.terms.head_counts()]
    return {
        t: head[i] if i < len(head) else (0,) * len(FIELDS) for i, t in enumerate(doc.terms.terms())
    }


def update(
    new: list[SearchDoc], old: list[SearchDoc], read_old: Callable[[str], bytes | None]
) -> Files | None:
    """updated_index_files from `old`'s index (`read_old`) to `new`'s, given as a build
    gives it: the documents that changed, as they are and as they were, and every slug."""
    was, now = set(old), set(new)
    changed = [d for d in new if d not in was]
    previous = [d for d in old if d not in now]
    return updated_index_files(changed, previous, {d.slug for d in new}, LABELS, read_old)


def updated(old: list[SearchDoc], new: list[SearchDoc]) -> tuple[dict[str, bytes], set[str]]:
    """The index of `new` as updated_index_files makes it from `old`'s, whole, and the names
    it gave bytes (wrote); asserts it took the edit's way, not a rebuild."""
    before = index_files(old, LABELS)
    made = update(new, old, before.get)
    assert made is not None
    whole = {name: before[name] if body is None else body for name, body in made.items()}
    return whole, {name for name, body in made.items() if body is not None}  # type: ignore[misc]


def test_an_edit_changes_the_index_where_its_words_changed_and_gives_fresh_bytes() -> None:
    docs = synthetic_docs(2000, 60)
    before = index_files(docs, LABELS)
    firsts = json.loads(before["meta.json"])["shards"]
    assert len(firsts) > 6
    at = 1234
    doc = docs[at]
    terms = doc.terms.terms()
    # Gains words (one new to the index, one sorting before every term), loses others
    # (one the only record holding it), and a word moves from the body into the title.
    alone = "w99999x"
    docs_with_alone = [
        *docs[:at],
        with_terms(doc, (alone, *[""] * 4), " ".join(terms)),
        *docs[at + 1 :],
    ]
    edits = [
        # Two words gained (one sorting before every term), a word moved from the title
        # into the summary, two body words lost (one no other record holds).
        with_terms(doc, ("aaaa", terms[0], "", " ".join(terms[1:10]), ""), " ".join(terms[10:58])),
        # Counts in the short fields only.
        with_terms(doc, (terms[0], terms[0], terms[0], " ".join(terms[1:10]), ""), " ".join(terms)),
        # Shown fields only: meta.json alone.
        dataclasses.replace(doc, title="Another title", summary="Another summary"),
    ]
    old_index = index_files(docs, LABELS)
    for new in edits:
        edited = [*docs[:at], new, *docs[at + 1 :]]
        whole, wrote = updated(docs, edited)
        assert whole == index_files(edited, LABELS)
        # Written: only files whose bytes changed, and the shards holding changed words.
        assert all(old_index.get(name) != whole[name] for name in wrote)
        was, now = counts_of(doc), counts_of(new)
        changed = {t for t in was.keys() | now.keys() if was.get(t) != now.get(t)}
        shards = {n for n in wrote if n.startswith("terms-")}
        assert len(shards) <= len(changed) + 1, sorted(shards)
    assert wrote == {"meta.json"}
    # A term only one record held goes with its record's edit.
    whole, _ = updated(docs_with_alone, docs)
    assert whole == index_files(docs, LABELS) and alone.encode() not in b"".join(whole.values())


def test_an_edit_that_removes_a_shards_first_term_or_adds_many_cuts_again() -> None:
    docs = synthetic_docs(2000, 60)
    meta = json.loads(index_files(docs, LABELS)["meta.json"])
    first = meta["shards"][3]
    holders = [i for i, d in enumerate(docs) if first in d.terms.terms()]
    # Every record holding shard 3's first term loses it: shard 2 and 3 are cut again.
    edited = list(docs)
    for i in holders:
        kept = [t for t in docs[i].terms.terms() if t != first]
        edited[i] = with_terms(docs[i], (kept[0], "", "", "", ""), " ".join(kept))
    whole, _wrote = updated(docs, edited)
    assert whole == index_files(edited, LABELS)
    assert first not in json.loads(whole["meta.json"])["shards"]
    # One record gains a thousand new words: new shards, and those after renumbered.
    many = " ".join(f"m{k:04d}" for k in range(1000))
    grown = [*docs[:7], with_terms(docs[7], (many, "", "", "", ""), many), *docs[8:]]
    whole, _wrote = updated(docs, grown)
    assert whole == index_files(grown, LABELS)
    # And back.
    whole, _wrote = updated(grown, docs)
    assert whole == index_files(docs, LABELS)


def test_an_insert_or_a_removal_renumbers_records_and_makes_the_index_whole() -> None:
    docs = synthetic_docs(300, 20)
    before = index_files(docs, LABELS)
    assert update(docs[1:], docs, before.get) is None
    assert update(docs, docs[1:], index_files(docs[1:], LABELS).get) is None
    # An index that cannot be read back is made whole too.
    assert update(docs, docs, lambda name: None) is None
    missing = {n: b for n, b in before.items() if n != "terms-0.json"}
    edited = [with_terms(docs[0], ("zzzz", "", "", "", ""), "zzzz"), *docs[1:]]
    assert update(edited, docs, missing.get) is None


def test_an_edit_of_a_date_is_patched_unless_it_moves_the_record() -> None:
    """An edit's index is patched from the changed records' documents alone, their rows in
    meta.json read back: a new date that keeps the record's place among the others changes
    its row; one that moves it renumbers the postings, and the index is made whole."""
    docs = [
        dataclasses.replace(d, date=f"2020-{1 + i // 28:02d}-{1 + i % 28:02d}")
        for i, d in enumerate(synthetic_docs(300, 20))
    ]
    at = 27  # 2020-01-28, the next record's 2020-02-01
    later = [*docs[:at], dataclasses.replace(docs[at], date="2020-01-30"), *docs[at + 1 :]]
    whole, wrote = updated(docs, later)
    assert whole == index_files(later, LABELS) and wrote == {"meta.json"}
    moved = [*docs[:at], dataclasses.replace(docs[at], date="2020-09-01"), *docs[at + 1 :]]
    assert update(moved, docs, index_files(docs, LABELS).get) is None
    # Its previous document not the one the index was made from: made whole.
    other = [*docs[:at], dataclasses.replace(docs[at], summary="Never indexed"), *docs[at + 1 :]]
    assert update(later, other, index_files(docs, LABELS).get) is None


@pytest.mark.parametrize(
    "changes",
    [
        {},
        # Accents and a combining mark at each field's edge, a final sigma ending the title, a
        # ligature that folds to two letters, words of the short fields said again in the body.
        {
            "title": "Ο ΝΌΜΟΣ \u0301 Café",
            "summary": "\u0301élan ﬁnal “quoted” harbour",
            "description": "Ǆemal — İstanbul ﬁnal",
            "$body": "\u0301 HARBOUR café ﬁnal ΝΌΜΟΣ İstanbul Ǆemal new words only here",
        },
        # Non-ASCII short fields over an ASCII body, and the reverse.
        {"title": "Straße über", "$body": "plain ascii body, harbour closed"},
        {"title": "Plain title", "$body": "straße ÜBER naïve \U00020000x"},
        {"tags": [], "keyPoints": [], "$body": ""},
    ],
)
def test_a_documents_terms_from_the_body_alone_equal_those_from_all_the_text(
    changes: dict[str, Any],
) -> None:
    """search_document cuts the short fields once and the body alone (as the store does), not
    `all_text` (the short fields again, then the body): the same terms and counts, in the
    same order, whatever sits at a field's edge."""
    from casework.store.history import all_text, head_texts

    for record in (make_record(**changes), hostile_record()):
        heads = head_texts(record)
        assert search_document(record, SITE).terms == DocTerms.of(heads, all_text(record))
