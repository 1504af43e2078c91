"""The editor form ⇄ Record: flat fields in, a validated record (or errors per field) out,
nothing the form does not show lost on a save."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any
from urllib.parse import urlencode

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from casework.examples import generate_records
from casework.model import Record, Site
from casework.model.diff import diff_records
from casework.web.forms import (
    FORM_KEYS,
    ROW_ORIGIN,
    SERVER_OWNED,
    FormErrors,
    flat_fields,
    form_values,
    record_from_form,
    record_values,
    slug_for,
)

SITE = Site(url="https://monitor.example.org", title="Monitor")
TODAY = date(2026, 3, 1)


@cache
def examples() -> tuple[Record, ...]:
    return tuple(generate_records(40, seed=21, site=SITE, today=TODAY))


def save(
    fields: list[tuple[str, str]] | dict[str, str], base: Record | None, slug: str = ""
) -> Record:
    """What the editor does with a posted form."""
    slug = slug or (base.slug if base else "a-new-record")
    return record_from_form(form_values(fields), SITE, slug=slug, base=base, today=TODAY)


def form_of(record: Record, *, hints: bool = True) -> list[tuple[str, str]]:
    """The fields a browser posts for `record`'s form, untouched (with or without the
    per-row `_base` hidden inputs)."""
    fields = flat_fields(record_values(record))
    return [(n, v) for n, v in fields if hints or not n.endswith("." + ROW_ORIGIN)]


def replaced(fields: list[tuple[str, str]], **new: str) -> list[tuple[str, str]]:
    out = [(n, new.pop(n, v)) for n, v in fields]
    return out + list(new.items())


def errors_of(fields: list[tuple[str, str]], base: Record | None = None) -> dict[str, str]:
    with pytest.raises(FormErrors) as caught:
        save(fields, base, slug=base.slug if base else "bad")
    assert "\n" not in str(caught.value)
    return caught.value.errors


def minimal(**extra: str) -> dict[str, str]:
    return {
        "title": "Police detain journalists at a protest",
        "date": "2026-02-27",
        "category": "civil-liberties",
        "severity": "serious",
        "posture": "reported",
        "warCrimeClassification": "none",
        **extra,
    }


# --- round trips ------------------------------------------------------------------------


def test_an_untouched_form_saves_the_same_record() -> None:
    for record in examples():
        for hints in (True, False):
            saved = save(form_of(record, hints=hints), record)
            assert saved.to_storage() == record.to_storage(), diff_records(record, saved)


def test_an_edit_keeps_the_spreadsheet_rows_external_id() -> None:
    record = examples()[0].model_copy(update={"external_id": "RV-001"})
    saved = save(replaced(form_of(record), title="A new title"), record)
    assert saved.external_id == "RV-001" and saved.title == "A new title"


def test_a_new_record_from_a_full_form_has_no_history_and_is_dated_today() -> None:
    for record in examples()[:10]:
        saved = save(form_of(record), None, slug=record.slug)
        expected = Record.model_validate(
            {**record.to_storage(), "lastUpdated": TODAY.isoformat(), "updateLog": []},
            context={"site": SITE},
        )
        assert saved.to_storage() == expected.to_storage()


def test_a_minimal_new_record() -> None:
    record = save(minimal(), None, slug="police-detain-journalists")
    assert record.slug == "police-detain-journalists"
    assert record.last_updated == TODAY
    assert record.update_log == [] and record.sources == [] and record.tags == []
    assert record.ongoing is False and record.icc_relevance is False
    assert (record.summary, record.body, record.body_html) == ("", "", "")


def test_form_values_have_every_form_key_and_only_those() -> None:
    values = form_values({"title": "x", "nonsense": "y", "sources.0.colour": "red"})
    assert list(values) == list(FORM_KEYS)
    assert values["sources"] == [] and values["tags"] == [] and values["ongoing"] is False


def test_form_values_through_a_real_form_post() -> None:
    """A urlencoded POST parsed by starlette: CRLF line breaks become LF, a repeated checkbox
    name (hidden "false" + checked box) reads as checked."""

    async def echo(request: Request) -> JSONResponse:
        return JSONResponse(form_values(await request.form()))

    client = TestClient(Starlette(routes=[Route("/", echo, methods=["POST"])]))
    record = examples()[0]
    fields = replaced(form_of(record), body="# Heading\r\n\r\nText.\r\n", tags="a\r\n\r\n b \r\n")
    fields += [("iccRelevance", "false"), ("iccRelevance", "on"), ("ongoing", "false")]
    posted = client.post(
        "/",
        content=urlencode(fields),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    values = posted.json()
    assert values["body"] == "# Heading\n\nText.\n"
    assert values["tags"] == ["a", "b"]
    assert values["iccRelevance"] is True
    assert values["ongoing"] is record.ongoing
    assert values["sources"] == record_values(record)["sources"]


# --- rows --------------------------------------------------------------------------------


def test_rows_are_sorted_by_number_renumbered_and_blank_rows_dropped() -> None:
    fields = minimal(
        **{
            "sources.7.url": "https://b.example/2",
            "sources.7.title": "Second",
            "sources.7.publisher": "B",
            "sources.3.url": "",
            "sources.3.title": "  ",
            "sources.3.publisher": "",
            "sources.12.url": "https://c.example/3",
            "sources.12.title": "Third",
            "sources.12.publisher": "C",
            "sources.2.url": "https://a.example/1",
            "sources.2.title": "First",
            "sources.2.publisher": "A",
            # The template's empty victim row: the kind select always sends a value.
            "structuredVictims.0.name": "",
            "structuredVictims.0.kind": "person",
            "structuredVictims.0.count": "",
        }
    )
    values = form_values(fields)
    assert [row["title"] for row in values["sources"]] == ["First", "Second", "Third"]
    assert values["structuredVictims"] == []
    record = save(fields, None)
    assert [s.url for s in record.sources] == [
        "https://a.example/1",
        "https://b.example/2",
        "https://c.example/3",
    ]


def test_optional_row_fields_left_blank_are_none_and_counts_are_numbers() -> None:
    fields = minimal(
        **{
            "structuredVictims.0.name": "Reporters",
            "structuredVictims.0.kind": "group",
            "structuredVictims.0.role": " ",
            "structuredVictims.0.count": " 12 ",
            "structuredVictims.0.entity": "",
            "internationalLaw.0.statute": "ICCPR",
            "internationalLaw.0.article": "",
            "internationalLaw.0.provision": "Freedom of expression",
            "documents.0.title": "Order",
            "documents.0.url": "https://docs.example/order.pdf",
            "documents.0.kind": "order",
            "documents.0.date": "",
            "documents.0.sha256": "",
            "timeline.0.date": "2026-02-27",
            "timeline.0.title": "Arrests",
            "timeline.0.summary": "",
        }
    )
    record = save(fields, None)
    victim = record.structured_victims[0]
    assert (victim.role, victim.count, victim.entity) == (None, 12, None)
    assert record.international_law[0].article is None
    assert (record.documents[0].date, record.documents[0].sha256) == (None, None)
    assert record.timeline[0].date == date(2026, 2, 27)


# --- what the form cannot set or does not show ------------------------------------------------


def test_server_owned_names_in_a_post_change_nothing() -> None:
    record = next(r for r in examples() if r.update_log)
    hostile = [
        *form_of(record),
        ("updateLog.0.summary", "rewritten history"),
        ("updateLog.5.date", "2020-01-01"),
        ("slug", "another-slug"),
        ("lastUpdated", "1999-01-01"),
        ("contentHtml", "<script>alert(1)</script>"),
        ("$bodyHtml", "<script>alert(1)</script>"),
        ("$anchors", "{}"),
        ("categoryLabel", "Forged"),
        ("status", "published"),
        ("revision", "99"),
    ]
    values = form_values(hostile)
    assert not set(values) & SERVER_OWNED
    assert save(hostile, record).to_storage() == record.to_storage()


def test_unknown_keys_of_the_edited_record_are_kept_in_place() -> None:
    base = next(r for r in examples() if len(r.sources) >= 3)
    data = base.to_wire()
    data = dict([*list(data.items())[:2], ("xReviewer", "R. Amsel"), *list(data.items())[2:]])
    sources = [dict(s) for s in data["sources"]]
    sources[2] = {
        "url": sources[2]["url"],
        "archivedAt": "https://archive.example/2",
        **{k: v for k, v in sources[2].items() if k != "url"},
    }
    data["sources"] = sources
    data["$body"], data["$bodyHtml"] = base.body, base.body_html
    base = Record.model_validate(data, context={"site": SITE})
    for hints in (True, False):
        # Delete the first source row and edit the title of the one with an unknown key.
        fields = [(n, v) for n, v in form_of(base, hints=hints) if not n.startswith("sources.0.")]
        fields = replaced(fields, **{"title": "A new title", "sources.2.title": "Renamed"})
        saved = save(fields, base)
        wire = saved.to_wire()
        assert list(wire)[:3] == ["slug", "title", "xReviewer"]
        assert wire["title"] == "A new title"
        assert list(wire["sources"][1]) == ["url", "archivedAt", "title", "publisher"]
        assert wire["sources"][1]["title"] == "Renamed"
        assert all("archivedAt" not in s for i, s in enumerate(wire["sources"]) if i != 1)
        assert [c.path for c in diff_records(base, saved)][:2] == ["title", "sources.0.url"]


def test_update_log_and_last_updated_come_from_the_edited_record() -> None:
    base = next(r for r in examples() if r.update_log)
    saved = save(replaced(form_of(base), summary="Shorter."), base)
    assert saved.update_log == base.update_log
    assert saved.last_updated == base.last_updated
    assert [c.path for c in diff_records(base, saved)] == ["summary"]


# --- the body -----------------------------------------------------------------------------


def test_a_hostile_body_is_stored_sanitized() -> None:
    body = "Hello <script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))"
    record = save(minimal(body=body), None)
    assert record.body == body  # what the editor wrote is kept
    html = record.body_html.lower()
    assert "<script" not in html and "onerror" not in html and 'href="javascript' not in html
    assert "hello" in html


def test_an_html_only_record_is_edited_as_markdown_and_keeps_its_html_until_edited() -> None:
    base = Record.model_validate(
        {
            **examples()[3].to_storage(),
            "$body": "",
            "$bodyHtml": "<h2>What happened</h2>\n<p>Soldiers <strong>fired</strong> at cars.</p>",
        },
        context={"site": SITE},
    )
    values = record_values(base)
    assert "<" not in values["body"]
    assert "## What happened" in values["body"] and "**fired**" in values["body"]
    untouched = save(form_of(base), base)
    assert untouched.to_storage() == base.to_storage()
    edited = save(replaced(form_of(base), body=values["body"] + "\nMore.\n"), base)
    assert edited.body.endswith("More.\n")
    assert "<strong>fired</strong>" in edited.body_html and "<p>More.</p>" in edited.body_html


# --- errors --------------------------------------------------------------------------------


def test_errors_name_the_field_they_belong_beside() -> None:
    base = next(r for r in examples() if len(r.sources) >= 2 and r.structured_victims)
    fields = replaced(
        form_of(base),
        **{
            "sources.1.url": "ftp://files.example/x",
            "date": "2024-02-30",
            "category": "not-a-category",
            "structuredVictims.0.count": "twelve",
            "title": "   ",
        },
    )
    errors = errors_of(fields, base)
    assert set(errors) == {
        "sources.1.url",
        "date",
        "category",
        "structuredVictims.0.count",
        "title",
    }
    assert "http" in errors["sources.1.url"]
    assert "real calendar date" in errors["date"]
    assert "'not-a-category'" in errors["category"] and "civil-liberties" in errors["category"]
    assert "whole number" in errors["structuredVictims.0.count"]
    assert all("\n" not in message for message in errors.values())


@pytest.mark.parametrize(
    ("name", "value", "path", "words"),
    [
        ("date", "27/02/2026", "date", "YYYY-MM-DD"),
        ("structuredVictims.0.count", "-3", "structuredVictims.0.count", "whole number"),
        ("structuredVictims.0.count", "1.5", "structuredVictims.0.count", "whole number"),
        ("structuredVictims.0.kind", "", "structuredVictims.0.kind", "person"),
        ("structuredVictims.0.entity", "Not A Slug", "structuredVictims.0.entity", "slug"),
        ("timeline.0.date", "", "timeline.0.date", "YYYY-MM-DD"),
        ("documents.0.sha256", "abc", "documents.0.sha256", "pattern"),
        ("relatedIncidents", "fine-slug\nNot A Slug", "relatedIncidents", "item 2"),
        ("severity", "", "severity", "vocabulary"),
    ],
)
def test_one_bad_value_one_error(name: str, value: str, path: str, words: str) -> None:
    rows = {
        "structuredVictims.0.name": "Reporters",
        "structuredVictims.0.kind": "group",
        "timeline.0.date": "2026-02-27",
        "timeline.0.title": "Arrests",
        "documents.0.title": "Order",
        "documents.0.url": "https://docs.example/o.pdf",
        "documents.0.kind": "order",
    }
    fields = list(minimal(**{**rows, name: value}).items())
    errors = errors_of(fields)
    assert list(errors) == [path]
    assert words in errors[path]


def test_form_values_keep_what_was_typed_for_showing_the_form_again() -> None:
    fields = minimal(**{"sources.4.url": "not a url", "sources.4.title": " T ", "date": "soon"})
    values = form_values(fields)
    assert values["sources"] == [{"url": "not a url", "title": " T ", "publisher": ""}]
    assert values["date"] == "soon"
    assert set(errors_of(list(fields.items()))) == {"sources.0.url", "date"}


# --- slugs ---------------------------------------------------------------------------------


def test_slug_for_a_title() -> None:
    assert slug_for("Police detain journalists at protest", lambda s: False) == (
        "police-detain-journalists-at-protest"
    )
    assert slug_for("Ñandú río: ¿qué pasó?", lambda s: False) == "nandu-rio-que-paso"
    assert slug_for("¿¡…!?", lambda s: False) == "record"
    taken = {"curfew", "curfew-2"}
    assert slug_for("Curfew", taken.__contains__) == "curfew-3"
    long = " ".join(["word"] * 40)
    first = slug_for(long, lambda s: False)
    second = slug_for(long, lambda s: s == first)
    assert len(first) <= 80 and len(second) <= 80 and second.endswith("-2")
    assert second != first


def test_values_of_a_record_fill_every_form_key_as_text() -> None:
    record = next(r for r in examples() if r.structured_victims)
    values = record_values(record)
    assert list(values) == [*FORM_KEYS, "provenance"]  # each claim row's citation
    assert values["date"] == record.date.isoformat()
    count = record.structured_victims[0].count
    assert values["structuredVictims"][0]["count"] == ("" if count is None else str(count))
    names: dict[str, Any] = dict(flat_fields(values))
    assert names["tags"] == "\n".join(record.tags)
