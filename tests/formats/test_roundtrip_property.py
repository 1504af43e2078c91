"""Property: on any valid record, export∘import is the identity — the tracker JSON bytes and
the Markdown file bytes come back the same, and so does everything the store keeps."""

from __future__ import annotations

import io
import os
import string
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.formats import (
    dumps,
    read_records,
    record_document,
    record_from_markdown,
    record_to_markdown,
    write_ndjson,
)
from casework.model import Record, Site
from casework.render.html import render_markdown

SITE = Site(url="https://tracker.example.org")
GENERATED_AT = "2026-01-15T09:30:00.125Z"
VOCABULARIES = SITE.vocabularies

# Any text but surrogates (which no UTF-8 file can hold).
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
some_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
nonblank = some_text.filter(lambda value: value.strip() != "")
slugs = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
iso_dates = st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(date.isoformat)
urls = st.builds(
    lambda host, path: f"https://{host}.example/{path}",
    slugs,
    st.text(string.ascii_letters + string.digits + "-._~/?=&%#", max_size=20),
)
unknown_names = st.from_regex(r"x[A-Za-z0-9_]{0,8}", fullmatch=True)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def with_unknown_keys(draw: st.DrawFn, known: dict[str, Any]) -> dict[str, Any]:
    """`known` with up to two unknown keys inserted at drawn positions."""
    items = list(known.items())
    for name in draw(st.lists(unknown_names, max_size=2, unique=True)):
        items.insert(draw(st.integers(0, len(items))), (name, draw(json_values)))
    return dict(items)


def part(**fields: Any) -> st.SearchStrategy[dict[str, Any]]:
    """A dict strategy: required fields as given; `name=None`-valued optional ones in
    `optional` drawn as present or absent."""
    required = {k: v for k, v in fields.items() if not k.endswith("_")}
    optional = {k.rstrip("_"): v for k, v in fields.items() if k.endswith("_")}
    return st.fixed_dictionaries(required, optional=optional).flatmap(with_unknown_keys)


parties = part(
    name=nonblank,
    kind=st.sampled_from(["person", "group", "organization", "state", "population"]),
    role_=some_text,
    count_=st.integers(0, 10**7),
    entity_=slugs,
)
provisions = part(statute=some_text, provision=text, article_=some_text)
analyses = part(title=text, url=urls, organization=text)
sources = part(url=urls, title=text, publisher=text)
documents = part(
    title=text,
    url=urls,
    kind=text,
    date_=iso_dates,
    sha256_=st.text("0123456789abcdef", min_size=64, max_size=64),
)
timeline = part(date=iso_dates, title=text, summary=text)
update_log = part(date=iso_dates, summary=text)


def lists(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    return st.lists(strategy, max_size=3)


record_dicts = part(
    slug=slugs,
    title=some_text,
    date=iso_dates,
    lastUpdated=iso_dates,
    summary=text,
    category=st.sampled_from(list(VOCABULARIES.category)),
    severity=st.sampled_from(list(VOCABULARIES.severity)),
    posture=st.sampled_from(list(VOCABULARIES.posture)),
    ongoing=st.booleans(),
    victims=text,
    perpetrators=text,
    structuredVictims=lists(parties),
    structuredPerpetrators=lists(parties),
    legalBasis=text,
    tags=lists(nonblank),
    keyPoints=lists(nonblank),
    warCrimeClassification=st.sampled_from(list(VOCABULARIES.classification)),
    internationalLaw=lists(provisions),
    iccRelevance=st.booleans(),
    legalAnalyses=lists(analyses),
    description=text,
    relatedIncidents=lists(slugs),
    sources=lists(sources),
    documents=lists(documents),
    timeline=lists(timeline),
    updateLog=lists(update_log),
)
markdown_bodies = st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=200
) | st.sampled_from(
    ["", "# Title\n\nText with **bold** and a [link](https://example.org).\n", "- a\n- b\n\n---\n"]
)


def a_record(data: dict[str, Any], body: str, html: str) -> Record:
    return Record.model_validate({**data, "$body": body, "$bodyHtml": html}, context={"site": SITE})


PROPERTY = settings(
    max_examples=int(os.environ.get("CASEWORK_PROPERTY_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROPERTY
@given(record_dicts, markdown_bodies)
def test_tracker_json_export_then_import_is_the_identity(data: dict[str, Any], body: str) -> None:
    record = a_record(data, "", render_markdown(body))
    written = dumps(record_document(record, SITE, GENERATED_AT))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "record.json"
        path.write_bytes(written.encode("utf-8"))
        [item] = list(read_records(path, SITE))
    assert item.error is None and item.record is not None
    assert [w for w in item.warnings if "unknown key" not in w] == []
    assert item.record.to_storage() == record.to_storage()
    assert dumps(record_document(item.record, SITE, GENERATED_AT)) == written


@PROPERTY
@given(st.lists(record_dicts, min_size=1, max_size=3, unique_by=lambda d: d["slug"]))
def test_ndjson_export_then_import_is_the_identity(data: list[dict[str, Any]]) -> None:
    records = [a_record(item, "", "") for item in data]
    stream = io.StringIO()
    write_ndjson(records, SITE, stream)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.ndjson"
        path.write_bytes(stream.getvalue().encode("utf-8"))
        items = list(read_records(path, SITE))
    again = [item.record for item in items if item.record is not None]
    assert [r.to_storage() for r in again] == [r.to_storage() for r in records]
    second = io.StringIO()
    write_ndjson(again, SITE, second)
    assert second.getvalue() == stream.getvalue()


@PROPERTY
@given(record_dicts, markdown_bodies)
def test_markdown_export_then_import_is_the_identity(data: dict[str, Any], body: str) -> None:
    record = a_record(data, body, render_markdown(body))
    written = record_to_markdown(record)
    again = record_from_markdown(written, Path(f"{record.slug}.md"), SITE)
    assert again.to_storage() == record.to_storage()
    assert record_to_markdown(again) == written
