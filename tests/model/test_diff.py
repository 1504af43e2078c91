"""diff_records: one Change per differing field, by wire path, in docs/format.md order."""

from __future__ import annotations

import itertools
from datetime import date
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.examples import generate_records
from casework.model import RECORD_KEYS, Record, Site
from casework.model.diff import Change, diff_records, display, word_diff
from casework.render.html import render_markdown

SITE = Site(url="https://monitor.example.org", title="Monitor")
TODAY = date(2026, 1, 1)


@cache
def examples() -> tuple[Record, ...]:
    return tuple(generate_records(8, seed=11, site=SITE, today=TODAY))


def edited(record: Record, **wire: Any) -> Record:
    """`record` with wire keys replaced (`$body`/`$bodyHtml` too), validated like an import."""
    return Record.model_validate({**record.to_storage(), **wire}, context={"site": SITE})


def with_part(record: Record, key: str, index: int, **fields: Any) -> Record:
    items = [dict(item) for item in record.to_wire()[key]]
    items[index] = {k: v for k, v in {**items[index], **fields}.items() if v is not None}
    return edited(record, **{key: items})


def rebuilt(changes: list[Change]) -> None:
    """Every text change's word runs give back its old and its new text."""
    for change in changes:
        if change.words:
            assert "".join(t for k, t in change.words if k != "ins") == (change.old or "")
            assert "".join(t for k, t in change.words if k != "del") == (change.new or "")


def test_identical_records_have_no_changes() -> None:
    for record in examples():
        assert diff_records(record, record) == []
        assert diff_records(record, Record.from_storage(record.to_storage())) == []


def test_a_changed_title_is_one_change_with_a_word_diff() -> None:
    old = examples()[0]
    new = edited(old, title=old.title + " again, witnesses say")
    [change] = diff_records(old, new)
    assert (change.path, change.label, change.kind) == ("title", "Title", "changed")
    assert (change.old, change.new) == (old.title, new.title)
    assert change.words == [("same", old.title), ("ins", " again, witnesses say")]


def test_a_field_inside_a_part_is_reported_by_its_path() -> None:
    old = next(r for r in examples() if len(r.sources) >= 3)
    new = with_part(old, "sources", 2, url="https://changed.example/x")
    [change] = diff_records(old, new)
    assert change.path == "sources.2.url"
    assert change.label == "Source 3 · URL"
    assert change.kind == "changed"
    assert (change.old, change.new) == (old.sources[2].url, "https://changed.example/x")
    rebuilt([change])


def test_an_optional_part_field_set_and_cleared_is_added_and_removed() -> None:
    old = next(r for r in examples() if r.structured_victims)
    role = old.structured_victims[0].role
    cleared = with_part(old, "structuredVictims", 0, role=None)
    given_role = with_part(cleared, "structuredVictims", 0, role="witness")
    [added] = diff_records(cleared, given_role)
    assert (added.path, added.label) == ("structuredVictims.0.role", "Victim 1 · Role")
    assert (added.kind, added.old, added.new) == ("added", None, "witness")
    if role is not None:
        [removed] = diff_records(old, cleared)
        assert (removed.kind, removed.old, removed.new) == ("removed", role, None)


def test_a_trailing_item_added_or_removed_is_one_change() -> None:
    old = examples()[1]
    n = len(old.sources)
    extra = {"url": "https://new.example/a", "title": "A new report", "publisher": "Gazette"}
    new = edited(old, sources=[*old.to_wire()["sources"], extra])
    [added] = diff_records(old, new)
    assert (added.path, added.label, added.kind) == (f"sources.{n}", f"Source {n + 1}", "added")
    assert added.old is None
    assert added.new == "url: https://new.example/a\ntitle: A new report\npublisher: Gazette"
    assert added.words == []  # an object, not text
    [removed] = diff_records(new, old)
    assert (removed.path, removed.kind, removed.new) == (f"sources.{n}", "removed", None)
    assert removed.old == added.new


def test_lists_of_strings_are_one_change_joined_by_lines() -> None:
    old = examples()[2]
    new = edited(old, tags=[*old.tags, "night raids"])
    [change] = diff_records(old, new)
    assert (change.path, change.label, change.kind) == ("tags", "Tags", "changed")
    assert change.old == "\n".join(old.tags)
    assert change.new == "\n".join([*old.tags, "night raids"])
    assert change.words[-1] == ("ins", "\nnight raids")


def test_booleans_show_as_yes_or_no_without_a_word_diff() -> None:
    old = edited(examples()[3], ongoing=False)
    [change] = diff_records(old, edited(old, ongoing=True))
    assert (change.path, change.label, change.old, change.new) == (
        "ongoing",
        "Ongoing",
        "no",
        "yes",
    )
    assert change.words == []


def test_unknown_keys_are_compared_and_derived_keys_never_appear() -> None:
    old = examples()[4]
    data = old.to_storage()
    # Derived values in the input are set aside: a wrong label is no change of content.
    noisy = Record.model_validate(
        {**data, "categoryLabel": "Wrong", "sourceCount": 999}, context={"site": SITE}
    )
    assert diff_records(old, noisy) == []
    sources = [dict(s) for s in data["sources"]]
    sources[0]["archivedAt"] = "https://archive.example/1"
    new = Record.model_validate(
        {**data, "xReviewer": {"name": "R. Amsel", "checked": True}, "sources": sources},
        context={"site": SITE},
    )
    changes = diff_records(old, new)
    assert [(c.path, c.label, c.kind) for c in changes] == [
        ("sources.0.archivedAt", "Source 1 · archivedAt", "added"),
        ("xReviewer", "xReviewer", "added"),
    ]
    assert changes[1].new == "name: R. Amsel\nchecked: yes"


def test_changes_come_in_format_order_then_the_body() -> None:
    old = examples()[5]
    new = edited(
        old,
        summary="A new summary.",
        title="A new title",
        iccRelevance=not old.icc_relevance,
        keyPoints=["Only this."],
        date="2001-02-03",
        **{"$body": "Rewritten.\n", "$bodyHtml": render_markdown("Rewritten.\n")},
    )
    paths = [c.path for c in diff_records(old, new)]
    assert paths == ["title", "date", "summary", "keyPoints", "iccRelevance", "body"]
    assert paths[:-1] == sorted(paths[:-1], key=RECORD_KEYS.index)


def test_the_markdown_body_is_compared_and_html_when_there_is_no_markdown() -> None:
    old = examples()[6]
    body = old.body.replace("\n\n", "\n\nAn added sentence.\n\n", 1)
    [change] = diff_records(old, edited(old, **{"$body": body, "$bodyHtml": render_markdown(body)}))
    assert (change.path, change.label, change.kind) == ("body", "Body (Markdown)", "changed")
    [(kind, text)] = [run for run in change.words if run[0] != "same"]
    assert (kind, text.strip()) == ("ins", "An added sentence.")
    rebuilt([change])
    html_only = edited(old, **{"$body": "", "$bodyHtml": "<p>As imported.</p>"})
    [html] = diff_records(html_only, edited(html_only, **{"$bodyHtml": "<p>As corrected.</p>"}))
    assert (html.path, html.label, html.old, html.new) == (
        "body",
        "Body (HTML)",
        "<p>As imported.</p>",
        "<p>As corrected.</p>",
    )


def test_display_of_values() -> None:
    assert display(["a", "b"]) == "a\nb"
    assert display({"k": 1, "b": False, "s": "x"}) == "k: 1\nb: no\ns: x"
    assert display(True) == "yes"
    assert display(12) == "12"


@given(st.text(max_size=120), st.text(max_size=120))
@settings(max_examples=200, deadline=None)
def test_word_runs_give_back_both_texts(old: str, new: str) -> None:
    runs = word_diff(old, new)
    assert "".join(t for k, t in runs if k != "ins") == old
    assert "".join(t for k, t in runs if k != "del") == new
    assert all(text for _kind, text in runs)
    assert all(a[0] != b[0] for a, b in itertools.pairwise(runs))  # runs merged
    if old == new:
        assert all(kind == "same" for kind, _text in runs)


def test_a_long_body_with_one_edit_is_diffed_word_by_word() -> None:
    body = "\n\n".join(r.body for r in examples())
    edit = body.replace("The ", "A ", 1)
    runs = word_diff(body, edit)
    assert [r for r in runs if r[0] != "same"] == [("del", "The"), ("ins", "A")]


# --- property: empty diff exactly when the stored content is the same ----------------------

words = st.sampled_from(["curfew", "raid", "Velhaven", "court", "night", "témoin", "river"])
phrases = st.lists(words, min_size=1, max_size=4).map(" ".join)


@st.composite
def edits(draw: st.DrawFn) -> dict[str, Any]:
    """Wire-level edits of a generated record, each drawn or not: any of them may also leave
    the value as it was."""
    record = draw(st.sampled_from(examples()))
    data = record.to_storage()
    vocabularies = SITE.vocabularies
    if draw(st.booleans()):
        data["title"] = draw(st.sampled_from([record.title, draw(phrases)]))
    if draw(st.booleans()):
        data["category"] = draw(st.sampled_from(list(vocabularies.category)))
    if draw(st.booleans()):
        data["ongoing"] = draw(st.booleans())
    if draw(st.booleans()):
        data["tags"] = draw(st.lists(phrases, max_size=3))
    if draw(st.booleans()):
        data["date"] = draw(st.dates(date(2000, 1, 1), date(2025, 12, 31))).isoformat()
    if draw(st.booleans()) and data["sources"]:
        sources = [dict(s) for s in data["sources"]]
        i = draw(st.integers(0, len(sources) - 1))
        action = draw(st.sampled_from(["title", "drop", "append", "unknown"]))
        if action == "title":
            sources[i]["title"] = draw(phrases)
        elif action == "drop":
            sources.pop()
        elif action == "append":
            sources.append({"url": "https://x.example/1", "title": "t", "publisher": "p"})
        else:
            sources[i]["archivedAt"] = draw(phrases)
        data["sources"] = sources
    if draw(st.booleans()) and data["structuredVictims"]:
        victims = [dict(v) for v in data["structuredVictims"]]
        victims[0]["count"] = draw(st.integers(0, 3))
        victims[0].pop("role", None)
        data["structuredVictims"] = victims
    if draw(st.booleans()):
        data["xNote"] = draw(st.sampled_from(["", "checked", ["a", 1], {"k": None}]))
    if draw(st.booleans()):
        body = draw(st.sampled_from([record.body, "", "# New\n\nText.\n", draw(phrases)]))
        data["$body"], data["$bodyHtml"] = body, render_markdown(body)
        if not body and draw(st.booleans()):
            data["$bodyHtml"] = draw(st.sampled_from(["", "<p>imported</p>", "<p>other</p>"]))
    return data


def from_data(data: dict[str, Any]) -> Record:
    return Record.model_validate(data, context={"site": SITE})


PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(edits(), edits())
@PROPERTY
def test_diff_is_empty_exactly_when_stored_content_is_equal(
    a_data: dict[str, Any], b_data: dict[str, Any]
) -> None:
    a, b = from_data(a_data), from_data(b_data)
    assert diff_records(a, a) == []
    changes = diff_records(a, b)
    assert (changes == []) == (a.to_storage() == b.to_storage())
    rebuilt(changes)
    # The other way round: the same paths, added and removed swapped.
    swap = {"added": "removed", "removed": "added", "changed": "changed"}
    assert [(c.path, swap[c.kind], c.new, c.old) for c in changes] == [
        (c.path, c.kind, c.old, c.new) for c in diff_records(b, a)
    ]


@given(edits())
@PROPERTY
def test_an_edit_of_a_generated_record_shows_only_what_was_edited(data: dict[str, Any]) -> None:
    record = from_data(data)
    base = next(r for r in examples() if r.slug == record.slug)
    changes = diff_records(base, record)
    assert (changes == []) == (base.to_storage() == record.to_storage())
    assert len({c.path for c in changes}) == len(changes)
