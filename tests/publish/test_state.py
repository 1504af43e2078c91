"""The build state's kept records: shares written as made, read back a slice at a time."""

from __future__ import annotations

from pathlib import Path

from casework.publish.datafiles import RecordData
from casework.publish.state import BuildRelated, BuildState, KeptRecord, RecordShares


def share(slug: str) -> RecordData:
    return RecordData(*(f"{slug}-{name}".encode() for name in ("l", "p", "c", "g", "m", "r")))


def kept(slug: str) -> tuple[str, KeptRecord, RecordData]:
    return slug, KeptRecord(f"key-{slug}", {"slug": slug}, {"related": []}), share(slug)


def test_shares_read_back_in_the_order_asked(tmp_path: Path) -> None:
    state = BuildState(tmp_path / "state.sqlite")
    state.keep_records(kept(slug) for slug in ("a", "b", "c"))
    shares = RecordShares(state, ["c", "a", "b"])
    assert len(shares) == 3
    assert shares[1:] == [share("a"), share("b")]
    assert shares[0] == share("c")
    assert list(shares) == [share("c"), share("a"), share("b")]
    assert state.shares(["b", "a"], "csv", "line") == [(b"b-c", b"b-l"), (b"a-c", b"a-l")]
    assert state.kept_records()["b"] == KeptRecord("key-b", {"slug": "b"}, {"related": []})


def test_a_full_save_keeps_the_published_records_written_during_the_build(
    tmp_path: Path,
) -> None:
    state = BuildState(tmp_path / "state.sqlite")
    state.keep_records(kept(slug) for slug in ("a", "b"))
    state.save(
        "build-1", "inputs", {}, {}, None, {}, published={"a"}, full=True,
        related=BuildRelated(frozenset(), frozenset()), keep_previous=True,
    )  # fmt: skip
    assert set(state.kept_records()) == {"a"}
    assert RecordShares(state, ["a"])[0] == share("a")


def test_kept_search_documents_are_told_usable_by_their_form(tmp_path: Path) -> None:
    """A state saved with the form of its search documents is taken at its word (none is
    decoded); one saved without (by an older casework) has each one's form read."""
    state = BuildState(tmp_path / "state.sqlite")
    docs = {
        "new": ("h-new", ["new", *range(12), "english"]),
        "old": ("h-old", ["old", *range(7), "english"]),  # an older shape: fewer fields
        "changed": ("h-was", ["changed", *range(12), "english"]),
    }
    wanted = {"new": "h-new", "old": "h-old", "changed": "h-now"}
    state.save(
        "build-1", "inputs", {}, {}, None, docs, published=set(docs), full=True,
        related=BuildRelated(frozenset(), frozenset()), keep_previous=True,
    )  # fmt: skip
    assert state.current_search_docs(wanted, 14, "english") == {"new": True, "old": False}
    assert state.current_search_docs(wanted, 14, "french") == {"new": False, "old": False}
    state.save(
        "build-2", "inputs", {}, {}, None, {}, published=set(docs), full=False,
        related=BuildRelated(frozenset(), frozenset()), keep_previous=True,
        docs_form="14:english",
    )  # fmt: skip
    assert state.current_search_docs(wanted, 14, "english") == {"new": True, "old": True}
    assert state.current_search_docs(wanted, 14, "french") == {"new": False, "old": False}
    assert state.stale_search_docs(wanted) == {"changed": docs["changed"][1]}


def test_the_layout_is_kept_with_the_build_and_unknown_before_it(tmp_path: Path) -> None:
    from casework.publish.state import LAYOUT_FILES, Layout

    state = BuildState(tmp_path / "state.sqlite")
    assert state.layout() is None  # a state from before layouts were kept
    spans: dict[str, list[tuple[int, ...]]] = {
        name: [(10, 4), (0, 0)] for name in LAYOUT_FILES[:-1]
    }
    spans["records.sqlite"] = [(1, 2, 0), (0, 0, 3)]
    layout = Layout(["a", "b"], ["key-a", "key-b"], spans, {"records.json": 20})
    save = dict(
        published={"a", "b"},
        full=True,
        related=BuildRelated(frozenset(), frozenset()),
        keep_previous=True,
    )
    state.save("build-1", "inputs", {}, {}, None, {}, layout=layout, **save)  # type: ignore[arg-type]
    assert state.layout() == layout
    # A build that knows no layout (none given) leaves none behind.
    state.save("build-2", "inputs", {}, {}, None, {}, **save)  # type: ignore[arg-type]
    assert state.layout() is None


def test_a_kept_cards_head_is_read_from_its_bytes_and_the_card_decoded_when_asked(
    tmp_path: Path,
) -> None:
    """A kept record's head (title, date, lastUpdated: what other records' pages, the sitemap
    and the feed need of every card) is SQLite's reading of the card's bytes; it is what the
    card says, whatever its title holds, and the card itself is decoded on first use."""
    titles = ['Quotes " and \\ backslash', "Ünïcödé — «quotes» 日本語 🚢", "tab\there\nnewline"]
    state = BuildState(tmp_path / "state.sqlite")
    state.keep_records(
        (
            f"r{n}",
            KeptRecord(
                f"key-{n}",
                {
                    "slug": f"r{n}",
                    "title": title,
                    "date": "2021-03-04",
                    "lastUpdated": f"2022-0{n + 1}-01",
                },
                {"related": []},
            ),
            share(f"r{n}"),
        )
        for n, title in enumerate(titles)
    )
    found = state.kept_records()
    for n, title in enumerate(titles):
        record = found[f"r{n}"]
        assert record._card is None  # not decoded yet
        assert record.head == (title, "2021-03-04", f"2022-0{n + 1}-01")
        assert record.card["title"] == title
        assert record.head == (
            record.card["title"],
            record.card["date"],
            record.card["lastUpdated"],
        )
