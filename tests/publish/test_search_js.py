"""search.js under node (search_js_check.js): the same tokenizer as Python's, searches over
an index written by write_search_index, and the /search/ page driven through a fake DOM."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from casework.model import Record, Site
from casework.publish.search_index import search_document, tokenize, words, write_search_index
from tests.publish.xss import hostile_record
from tests.store.factories import make_record

NODE = shutil.which("node")
CHECK = Path(__file__).with_name("search_js_check.js")
SITE = Site(url="https://tracker.example.org", title="Search test")
LABELS = {
    "category": dict(SITE.vocabularies.category),
    "severity": dict(SITE.vocabularies.severity),
}

if NODE is None:
    if os.environ.get("CI") == "true":
        pytest.fail("node is needed to test search.js", pytrace=False)
    pytest.skip("node is not installed", allow_module_level=True)


def node(request: dict[str, Any]) -> Any:
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(CHECK)], input=json.dumps(request), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


TRICKY = [
    "Café, Ünïcode and NAÏVE façades",
    "Straße ẞ ΟΔΟΣ ὀδός ϲ",
    "Москва, Київ — عربي نص 日本語 テスト",
    "In 2024, Article 12(3) of the ICCPR; 7 days; 1,200 people",
    "ﬁnance ＡＢＣ ①② x² ½",
    "don't—stop;the_raid «guillemets» ‘single’ “double”",
    "ᏣᎳᎩ ꮳꮃꭹ ᲀᲁ İstanbul ŉ ǰ",
    "\U00020000 \U00020000\U00020001 \ufa0e\ufa0f a I é",
    "zero\u200bwidth non\u00a0breaking tab\there",
]


def test_tokenizer_matches_python() -> None:
    answer = node({"op": "words", "texts": TRICKY})
    assert answer["words"] == [words(t) for t in TRICKY]
    assert answer["tokens"] == [tokenize(t) for t in TRICKY]


def test_tokenizer_matches_python_on_every_character() -> None:
    # Every character Python's Unicode database knows, between two letters: it must join
    # them, split them or fold the same way in both languages.
    texts = [
        f"x{chr(cp)}y"
        for cp in range(0x110000)
        if unicodedata.category(chr(cp)) not in ("Cn", "Cs", "Co")
    ]
    answer = node({"op": "words", "texts": texts})
    mismatches = [
        (t, mine, theirs)
        for t, mine, theirs in zip(texts, map(words, texts), answer["words"], strict=True)
        if mine != theirs
    ]
    assert mismatches == []


def test_tokenizer_matches_python_on_mixed_random_text() -> None:
    # Whole strings, not single characters: Python splits at ASCII separators before
    # folding, JavaScript folds the whole text first; both must give the same words.
    pool = (
        "aZ09 -_.,;'\"()[]<>&\t\n"
        "éÉçÇßẞıİĳŉǰ\u0301\u0308\u0327\u200d\u00a0"
        "ΣσςΐΆ ЁёЙйЇї עברית\u05b4 عربي\u064b ह\u093fन\u094dदी ไทย "
        "日本語テスト한국어 ＡＢＣ①½ﬁ\ufa0e\U00020000\U0001d400\U0001f600 ᏣᎳᎩꮳ"
    )
    rng = random.Random(5)
    texts = ["".join(rng.choices(pool, k=rng.randint(1, 40))) for _ in range(3000)]
    answer = node({"op": "words", "texts": texts})
    assert answer["words"] == [words(t) for t in texts]
    assert answer["tokens"] == [tokenize(t) for t in texts]


def records() -> list[Record]:
    return [
        make_record("title-word", title="Zqpier raid at dawn", date="2020-01-01"),
        make_record(
            "body-word",
            date="2023-05-05",
            category="rule-of-law",
            severity="severe",
            tags=["ferry"],
            **{"$body": "A zqpier raid was reported."},
        ),
        make_record("tag-word", tags=["zqpier", "ferry"], date="2021-01-01"),
        make_record("same-a", description="zqtie", date="2022-02-02"),
        make_record("same-b", description="zqtie", date="2022-03-03"),
        make_record("prefixes", description="zqdetention zqdetained zqdeter", date="2019-01-01"),
        make_record("astral", description="\U00020000\U00020001 \ufa0e\ufa0f", date="2018-01-01"),
        hostile_record(),
    ]


@pytest.fixture
def index(tmp_path: Path) -> Path:
    directory = tmp_path / "index"
    directory.mkdir()
    write_search_index([search_document(r, SITE) for r in records()], directory, LABELS)
    return directory


def search(index: Path, *queries: dict[str, str]) -> dict[str, Any]:
    answer: dict[str, Any] = node({"op": "search", "index": str(index), "queries": queries})
    return answer


def slugs(index: Path, **query: str | bool) -> list[str]:
    result: list[str] = search(index, query)["answers"][0]["slugs"]
    return result


def test_ranking_and_semantics(index: Path) -> None:
    # bm25 tiers as the live engines rank: title or tags first, then the short fields, then
    # the body only; newer first among equal scores.
    assert slugs(index, q="zqpier ") == ["title-word", "tag-word", "body-word"]
    assert slugs(index, q="zqtie ") == ["same-b", "same-a"]
    # Every word must match (AND), in any case and accents.
    assert slugs(index, q="ZQPIER RAID ") == ["title-word", "body-word"]
    assert slugs(index, q="zqpier raid zqnothing ") == []
    assert slugs(index, q="\U00020000\U00020001 \ufa0e\ufa0f ") == ["astral"]


def test_filters(index: Path) -> None:
    assert slugs(index, q="zqpier ", category="rule-of-law") == ["body-word"]
    assert slugs(index, q="zqpier ", tag="ferry") == ["tag-word", "body-word"]
    assert slugs(index, q="zqpier ", severity="extreme") == []
    # No words, only filters: every record that passes them, newest first.
    assert slugs(index, tag="ferry") == ["body-word", "tag-word"]
    assert slugs(index, q="", category="civil-liberties")[:2] == ["same-b", "same-a"]
    assert slugs(index, q="") == []


def test_the_last_word_is_completed_while_typed(index: Path) -> None:
    assert slugs(index, q="zqdet", typing=True) == ["prefixes"]
    assert slugs(index, q="zqdet ", typing=True) == []  # a finished word is matched exactly
    assert slugs(index, q="zqpi", typing=True) == ["title-word", "tag-word", "body-word"]
    assert slugs(index, q="raid zqpi", typing=True) == ["title-word", "body-word"]
    # A query given whole (a link to /search/?q=) is not completed: as the live search.
    assert slugs(index, q="zqdet") == []
    assert slugs(index, q="zqpi") == []


def test_only_the_shards_needed_are_fetched(index: Path) -> None:
    answer = search(index, {"q": "zqpier "}, {"q": "zqpier raid "})
    assert answer["fetched"][0] == "meta.json"
    assert len(answer["fetched"]) <= 3 and len(set(answer["fetched"])) == len(answer["fetched"])


def test_missing_files_mean_no_matches_not_errors(index: Path) -> None:
    for shard in index.glob("terms-*.json"):
        shard.unlink()
    answer = search(index, {"q": "zqpier "}, {"q": "zqdet"})["answers"]
    assert [a["slugs"] for a in answer] == [[], []] and all(a["ok"] for a in answer)
    (index / "meta.json").unlink()
    assert search(index, {"q": "zqpier"})["answers"][0]["ok"] is False


def page(index: Path, query: str, actions: list[dict[str, Any]] | None = None) -> Any:
    return node(
        {
            "op": "page",
            "index": str(index),
            "search": query,
            "actions": actions or [],
            "options": {"category": list(LABELS["category"]), "tag": ["ferry"]},
        }
    )


def texts(node_json: dict[str, Any]) -> str:
    if "text" in node_json:
        return str(node_json["text"])
    return "".join(texts(child) for child in node_json["children"])


def test_page_reads_the_url_and_shows_results(index: Path) -> None:
    hostile = hostile_record()
    first = page(index, "?q=window+script")["snapshots"][0]
    assert first["form"]["q"] == "window script"
    assert first["status"] == "1 record matches \u201cwindow script\u201d."
    [item] = first["items"]
    # The listings' card (render/pages.py card_html): li.card > h2 > a, p.meta, p.snippet.
    assert item["tag"] == "li" and item["className"] == "card"
    heading = item["children"][0]
    link = heading["children"][0]
    assert heading["tag"] == "h2" and link["tag"] == "a"
    assert link["attrs"] == {"href": "/incident/hostile/"}
    # A title full of markup arrives as text (the fake DOM throws on innerHTML).
    assert texts(link) == hostile.title
    meta = item["children"][1]
    assert meta["className"] == "meta"
    # As card_html draws it: the severity badge first, then the date, then quiet labels.
    assert meta["children"][0]["className"].startswith("badge sev-")
    assert "March 14, 2021 \u00b7 " in texts(meta)
    assert "Civil Liberties" in texts(meta)
    summary = item["children"][2]
    assert texts(summary) == hostile.summary
    # The query's words are marked, as the server marks its snippets.
    marked = [texts(c) for c in summary["children"] if c.get("tag") == "mark"]
    assert marked and {m.lower() for m in marked} <= {"window", "script", "scripts"}


def test_page_searches_as_the_reader_types_and_keeps_the_url(index: Path) -> None:
    answer = page(
        index,
        "?tag=ferry&category=unknown-key",
        [
            {"value": "zqpi", "event": "input", "wait": 400},
            {"field": "category", "value": "rule-of-law", "event": "change"},
            {"value": "zqnothing", "event": "submit"},
        ],
    )
    start, typed, filtered, nothing = answer["snapshots"]
    # A tag the page's list lacks is added; an unknown category selects nothing.
    assert start["form"] == {"q": "", "category": "", "severity": "", "tag": "ferry"}
    assert start["status"] == "2 records match these filters."
    assert [texts(i["children"][0]["children"][0]) for i in start["items"]] == [
        "Harbour closed without warning"
    ] * 2
    assert typed["url"] == "/search/?q=zqpi&tag=ferry"
    assert typed["status"] == "2 records match \u201czqpi\u201d."
    assert filtered["url"] == "/search/?q=zqpi&category=rule-of-law&tag=ferry"
    assert [i["children"][0]["children"][0]["attrs"]["href"] for i in filtered["items"]] == [
        "/incident/body-word/"
    ]
    assert nothing["status"] == "No record matches \u201czqnothing\u201d."
    assert nothing["items"] == []


def test_static_and_live_search_find_the_same_records(tmp_path: Path) -> None:
    """One semantics (casework.search_words): for every form of a word, the static index (as
    search.js reads it) and the store's search find the same records."""
    from casework.model import Status
    from casework.store import open_store
    from casework.store.base import Query

    corpus = [
        make_record("mine-title", title="Landmine kills two", date="2021-01-01"),
        make_record("mine-tags", tags=["landmines", "demining"], date="2022-01-01"),
        make_record("mine-body", **{"$body": "Children were killed by landmines."}),
        make_record("detained", summary="Journalists detained at the border."),
        make_record("detention", summary="Detention of journalists; a journalist's arrest."),
        make_record("other", summary="Harbour closed.", date="2020-01-01"),
    ]
    directory = tmp_path / "index"
    directory.mkdir()
    write_search_index([search_document(r, SITE) for r in corpus], directory, LABELS)
    store = open_store(tmp_path / "live.db")
    try:
        store.import_records(corpus, author="t", message="", status=Status.published)
        queries = ["landmine", "LANDMINES", "landmines killed", "journalist", "journalists",
                   "detain", "detained journalists", "detentions", "harbours closing"]  # fmt: skip
        static = search(directory, *({"q": q} for q in queries))["answers"]
        for query, answer in zip(queries, static, strict=True):
            live = {h.slug for h in store.search(Query(text=query)).hits}
            assert set(answer["slugs"]) == live and live, query
    finally:
        store.close()


def test_page_lists_facet_counts_of_the_matches(index: Path) -> None:
    first = page(index, "?q=zqpier")["snapshots"][0]
    assert first["status"] == "3 records match \u201czqpier\u201d."
    # Every match counted, the commonest values first, as the live page lists them.
    assert "Tag: ferry (2), harbour (1), movement (1), zqpier (1)" in first["facets"]
    assert "Category: Civil Liberties (2), Rule of Law (1)" in first["facets"]
    assert first["pager"] == ""  # one page


def test_page_shows_results_fifty_to_a_page(tmp_path: Path) -> None:
    directory = tmp_path / "index"
    directory.mkdir()
    many = [make_record(f"many-{i:02d}", summary="zqmany", date=f"2020-01-{i % 28 + 1:02d}")
            for i in range(55)]  # fmt: skip
    write_search_index([search_document(r, SITE) for r in many], directory, LABELS)
    second = page(directory, "?q=zqmany&page=2")["snapshots"][0]
    # As the live page says it (web/public.py search_status), with the same pages.
    assert second["status"] == "55 records match \u201czqmany\u201d; showing 51\u201355."
    assert len(second["items"]) == 5
    assert second["pager"] == "Previous Page 2 of 2"
    first = page(directory, "?q=zqmany")["snapshots"][0]
    assert len(first["items"]) == 50 and first["pager"] == "Page 1 of 2 Next"
