"""Proposals from extracted items: only what the record lacks, figures that disagree flagged,
and accepted items applied additively, with an updateLog entry."""

from __future__ import annotations

from datetime import date

from casework.ingest.article import Article, Span
from casework.ingest.extract.items import Event, Figure, LawMention, Quote, TagMatch
from casework.ingest.propose import Item, applied, applied_note, build_items
from tests.store.factories import make_record

TEXT = (
    "The port authority closed the pier on March 14. "
    "At least 52 people were killed in 2021, officials said. "
    "“We were given no warning at all,” said Mara Quill, a spokesperson for the Fishers Union."
)


def span(fragment: str) -> Span:
    start = TEXT.index(fragment)
    return Span(start, start + len(fragment), fragment)


ARTICLE = Article(
    text=TEXT,
    title="Pier closure left crews stranded",
    authors=("Lena Ortiz",),
    published=date(2021, 3, 20),
    publisher="Coast Post",
    url="https://example.org/pier-closure",
)
EVENTS = [
    Event(date(2021, 3, 14), "day", "The port authority closed the pier", "on March 14",
          span("The port authority closed the pier on March 14.")),
    Event(date(2021, 3, 16), "day", "Crews protested", "on Tuesday",
          span("At least 52 people were killed in 2021, officials said.")),
]  # fmt: skip
FIGURES = [
    Figure(52, "people", "killed", "2021", "At least 52",
           span("At least 52 people were killed in 2021, officials said."), "at least"),
]  # fmt: skip
QUOTES = [
    Quote("We were given no warning at all", "Mara Quill", "a spokesperson", "Fishers Union",
          span("“We were given no warning at all,” said Mara Quill, a spokesperson for the "
               "Fishers Union.")),
]  # fmt: skip


FIRST = "The port authority closed the pier on March 14."


def items_for(record_changes: dict[str, object]) -> list[Item]:
    record = make_record("pier", **record_changes)
    laws = [
        LawMention("ICCPR", "12", "ICCPR", True, span(FIRST)),
        LawMention("Refugee Convention", None, "Refugee Convention", False, span(FIRST)),
    ]
    tags = [TagMatch("harbour", span(FIRST)), TagMatch("fishing", span(FIRST))]
    return build_items(
        ARTICLE, record, events=EVENTS, figures=FIGURES, quotes=QUOTES, laws=laws, tags=tags
    )


def test_only_what_the_record_lacks_is_proposed() -> None:
    items = items_for({})
    kinds = [(i.kind, i.value.get("date") or i.value.get("statute") or i.value.get("tag"))
             for i in items]  # fmt: skip
    # The factory record has a timeline entry of 2021-03-14, cites the ICCPR, is tagged harbour.
    assert ("timeline", "2021-03-16") in kinds and ("timeline", "2021-03-14") not in kinds
    assert ("legalProvision", "Refugee Convention") in kinds
    assert ("legalProvision", "ICCPR") not in kinds
    assert ("tag", "fishing") in kinds and ("tag", "harbour") not in kinds
    source = next(i for i in items if i.kind == "source")
    assert source.value == {
        "url": "https://example.org/pier-closure", "title": "Pier closure left crews stranded",
        "publisher": "Coast Post", "author": "Lena Ortiz", "date": "2021-03-20",
    }  # fmt: skip
    assert all(i.sentence for i in items if i.kind != "source")
    quote = next(i for i in items if i.kind == "keyPoint")
    assert "Mara Quill" in quote.value["keyPoint"] and "Fishers Union" in quote.value["keyPoint"]


def test_a_source_already_cited_and_a_figure_already_stated_are_not_proposed() -> None:
    items = items_for(
        {
            "sources": [
                {"url": "https://example.org/pier-closure", "title": "t", "publisher": "p"}
            ],
            "summary": "At least 52 killed in the closure.",
        }
    )
    assert not [i for i in items if i.kind in ("source", "figure")]


def test_a_figure_the_record_states_otherwise_is_flagged() -> None:
    items = items_for({"summary": "Officials counted 40 killed after the closure."})
    figure = next(i for i in items if i.kind == "figure")
    assert figure.flag == "inconsistency" and "40" in figure.note


def test_accepted_items_are_added_and_logged_nothing_removed() -> None:
    record = make_record("pier")
    items = items_for({})
    accepted = [i for i in items if i.kind in ("source", "timeline", "keyPoint", "tag")]
    after = applied(record, accepted)
    assert after.sources[:1] == record.sources and len(after.sources) == 2
    assert after.sources[1].url == "https://example.org/pier-closure"
    assert [t.date.isoformat() for t in after.timeline] == ["2021-03-14", "2021-03-16"]
    assert after.key_points[: len(record.key_points)] == record.key_points
    assert after.tags == [*record.tags, "fishing"]
    # lastUpdated and the update log are the editing service's to write, as for any change.
    assert after.last_updated == record.last_updated and after.update_log == record.update_log
    note = applied_note(accepted, {"publisher": "Coast Post", "date": "2021-03-20"})
    assert note.startswith("Added from Coast Post of 2021-03-20: the source,")
    assert after.body == record.body and after.title == record.title
