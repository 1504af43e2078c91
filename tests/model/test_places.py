"""The `locations` key (docs/format.md): validation naming the record and field, the byte-exact
round trip of records without it, the seed-compatible export, and the coarsening rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casework.formats import read_any, record_dict
from casework.model import Record, Site
from casework.model.places import public_location
from tests.store.factories import make_record

SITE = Site(url="https://tracker.example.org", title="Harbour Watch")


def read(tmp_path: Path, text: str) -> Record:
    path = tmp_path / "records.json"
    path.write_text(text, encoding="utf-8")
    [item] = list(read_any(path, SITE))
    if item.error is not None:
        raise ValueError(str(item.error))
    assert item.record is not None
    return item.record


def error_of(tmp_path: Path, location: dict[str, object]) -> str:
    document = json.dumps(make_record("clinic-raid").to_wire() | {"locations": [location]})
    with pytest.raises(ValueError) as caught:
        read(tmp_path, document)
    return str(caught.value)


@pytest.mark.parametrize(
    ("location", "field", "words"),
    [
        ({"country": "AB", "precision": "town"}, "locations.0.country", "ISO 3166-1"),
        ({"country": "ps", "precision": "town"}, "locations.0.country", "ISO 3166-1"),
        (
            {"country": "PS", "latitude": 91.5, "longitude": 34.4, "precision": "town"},
            "locations.0.latitude",
            "90",
        ),
        (
            {"country": "PS", "latitude": 31.5, "longitude": -181, "precision": "town"},
            "locations.0.longitude",
            "180",
        ),
        ({"country": "PS", "latitude": 31.5, "precision": "town"}, "locations.0", "together"),
        (
            {"country": "PS", "precision": "town", "publishedPrecision": "exact"},
            "locations.0",
            "finer than the stored precision",
        ),
        ({"country": "PS", "precision": "street"}, "locations.0.precision", "exact"),
        (
            {"country": "PS", "latitude": "31.5", "longitude": 3, "precision": "town"},
            "latitude",
            "",
        ),
    ],
)
def test_a_bad_location_is_one_clear_error_naming_record_and_field(
    tmp_path: Path, location: dict[str, object], field: str, words: str
) -> None:
    message = error_of(tmp_path, location)
    assert "clinic-raid" in message and field in message and words in message, message


def test_a_record_without_locations_round_trips_byte_for_byte_and_with_them_too(
    tmp_path: Path,
) -> None:
    for record in (
        make_record("plain"),
        make_record(
            "located",
            locations=[
                {
                    "name": "Al-Awda clinic",
                    "adminArea": "North Gaza",
                    "country": "PS",
                    "latitude": 31.52347,
                    "longitude": 34.44583,
                    "precision": "exact",
                    "publishedPrecision": "region",
                },
                {"country": "UA", "precision": "country"},
            ],
        ),
    ):
        text = json.dumps(record.to_wire(), indent=2, ensure_ascii=False)
        again = read(tmp_path, text)
        assert json.dumps(again.to_wire(), indent=2, ensure_ascii=False) == text
    assert "locations" not in make_record("plain").to_wire()


def test_the_seed_compatible_export_leaves_locations_out_unless_asked() -> None:
    record = make_record("located", locations=[{"country": "UA", "precision": "country"}])
    site = SITE
    assert "locations" not in record_dict(record, site, extensions=False)
    assert record_dict(record, site)["locations"] == [{"country": "UA", "precision": "country"}]


POINT = {
    "name": "Al-Awda clinic",
    "adminArea": "North Gaza",
    "country": "PS",
    "latitude": 31.52347,
    "longitude": -34.44583,
    "precision": "exact",
}


def test_each_published_precision_shows_only_what_it_allows() -> None:
    assert public_location(POINT) == POINT
    assert public_location(POINT | {"publishedPrecision": "exact"}) == POINT
    assert public_location(POINT | {"publishedPrecision": "town"}) == {
        "adminArea": "North Gaza",
        "country": "PS",
        "latitude": 31.5,
        "longitude": -34.4,
        "precision": "town",
    }
    assert public_location(POINT | {"publishedPrecision": "region"}) == {
        "adminArea": "North Gaza",
        "country": "PS",
        "latitude": 32.0,
        "longitude": -34.0,
        "precision": "region",
    }
    assert public_location(POINT | {"publishedPrecision": "country"}) == {
        "country": "PS",
        "precision": "country",
    }
    # Not lowered: a town's own name stays, its point is still shown at a town's 0.1°.
    town = {
        "name": "Beit Lahia",
        "country": "PS",
        "latitude": 31.5464,
        "longitude": 34.4951,
        "precision": "town",
    }
    assert public_location(town) == town | {"latitude": 31.5, "longitude": 34.5}
    # Never finer than stored, whatever the data says.
    assert public_location(town | {"publishedPrecision": "exact"})["latitude"] == 31.5
    # Unknown keys inside a location are not published.
    assert "note" not in public_location(POINT | {"note": "the back entrance"})
