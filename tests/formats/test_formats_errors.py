"""InvalidInput: one line naming file, record and field; pydantic errors turned into it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from casework.formats import InvalidInput, from_validation_error
from casework.formats.errors import all_from_validation_error
from casework.model import Record, TimelineEntry


def test_str_is_one_line_with_every_known_part() -> None:
    error = InvalidInput(
        "expected a string", file="a.json", slug="some-slug", field="sources.2.url"
    )
    assert str(error) == "a.json: record some-slug: field sources.2.url: expected a string"
    assert error.record == "some-slug"


def test_parts_that_are_unknown_are_left_out() -> None:
    assert str(InvalidInput("the file is empty", file="a.json")) == "a.json: the file is empty"
    by_position = InvalidInput("bad", file="a.ndjson", position="line 4", field="title")
    assert str(by_position) == "a.ndjson: line 4: field title: bad"
    assert by_position.record == "line 4"


def test_line_breaks_in_a_message_cannot_break_the_line() -> None:
    assert str(InvalidInput("two\nlines", file="f")) == "f: two\\nlines"


def test_a_validation_error_names_the_first_failing_field_in_camel_case() -> None:
    with pytest.raises(ValidationError) as caught:
        TimelineEntry.model_validate({"date": "2025/12/01", "title": 3})
    error = from_validation_error(caught.value, file="r.json", slug="x", prefix="timeline.3")
    assert str(error) == (
        "r.json: record x: field timeline.3.date: expected a date as YYYY-MM-DD, "
        "got '2025/12/01' (and 2 more problems in this record)"
    )
    every = all_from_validation_error(caught.value, file="r.json")
    assert [e.field for e in every] == ["date", "title", "summary"]
    assert str(every[1]) == "r.json: field title: expected a string, got 3"
    assert str(every[2]) == "r.json: field summary: missing: this key is required"


def test_camel_case_aliases_are_what_the_message_names() -> None:
    with pytest.raises(ValidationError) as caught:
        Record.model_validate({"lastUpdated": "soon"})
    fields = [e.field for e in all_from_validation_error(caught.value)]
    assert "lastUpdated" in fields and "last_updated" not in fields
