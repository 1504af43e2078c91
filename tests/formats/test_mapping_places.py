"""Places from a spreadsheet (formats/mapping.py): `[[locations]]` tables, countries read as ISO
codes (names, alpha-3, the team's own spellings; ambiguous ones refused), decimal-comma
coordinates, precision codes, and `suggest` finding the place columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from casework.formats.mapping import (
    Applier,
    MappingError,
    load_mapping,
    parse_coordinate,
    parse_mapping,
    resolve_country,
    suggest,
)
from casework.formats.sheets import open_table
from casework.model import Site

SHEETS = Path(__file__).parent.parent / "fixtures" / "sheets"
SITE = Site(url="https://m.example.org")
ACLED = SHEETS / "acled.csv"


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("Ukraine", "UA"),
        ("Yemen ", "YE"),
        ("  palestine", "PS"),  # the head of "Palestine, State of"
        ("Palestine, State of", "PS"),
        ("UKR", "UA"),
        ("yem", "YE"),
        ("ps", "PS"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),  # accents folded
        ("Syria", "SY"),
        ("Sudan", "SD"),  # not South Sudan
        ("South Sudan", "SS"),
        ("Niger", "NE"),  # not Nigeria
        ("United States", "US"),
    ],
)
def test_a_country_cell_reads_as_its_iso_code(cell: str, code: str) -> None:
    assert resolve_country(cell) == (code, "")


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("Congo", "names more than one country (CD, CG)"),
        ("Korea", "names more than one country (KP, KR)"),
        ("Kerrowland", "is not a country pycountry knows"),
        # A province is not its country: pycountry's fuzzy search would say UA here.
        ("Kharkiv Oblast", "is not a country pycountry knows"),
        ("Russia", "is not a country pycountry knows"),  # the team's map says RU
        ("AB", "is not an ISO 3166-1 country code"),
        ("Kessland", "is not a country pycountry knows"),  # named by no tracker here
    ],
)
def test_an_unclear_country_is_refused_not_guessed(cell: str, problem: str) -> None:
    assert resolve_country(cell) == (None, problem)


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("31.5", 31.5),
        ("31,5", 31.5),
        ("-0,25", -0.25),
        ("\u221212.5", -12.5),
        (12, 12.0),
        ("7", 7.0),
    ],
)
def test_coordinates_read_with_a_decimal_point_or_comma(cell: Any, number: float) -> None:
    assert parse_coordinate(cell) == number


@pytest.mark.parametrize("cell", ["31°30'N", "31.5 34.4", "1,2,3", "north", "1.000,5", True])
def test_what_is_not_one_number_is_no_coordinate(cell: Any) -> None:
    assert parse_coordinate(cell) is None


def applied(mapping: Any, path: Path = ACLED) -> tuple[dict[str, Any], list[str]]:
    got = list(Applier(mapping, SITE).items(open_table(path)))
    records = {i.record.external_id: i.record for i in got if i.record is not None}
    errors = [str(i.error).removeprefix(f"{path}: ") for i in got if i.error is not None]
    return records, errors


def places(record: Any) -> list[dict[str, Any]]:
    return [p.model_dump(mode="json", by_alias=True, exclude_none=True) for p in record.locations]


def test_the_acled_shaped_fixture_gives_places_and_refuses_by_row_and_column() -> None:
    records, errors = applied(load_mapping(SHEETS / "acled.toml"))
    assert places(records["PSE3101"]) == [
        {
            "name": "Beit Lahia",
            "adminArea": "North Gaza",
            "country": "PS",  # "Palestine " with a trailing space
            "latitude": 31.5502,  # "31,5502": a decimal comma
            "longitude": 34.4987,
            "precision": "town",  # geo_precision 1
        }
    ]
    assert places(records["UKR2207"])[0]["country"] == "UA"  # alpha-3
    assert places(records["UKR2207"])[0]["precision"] == "region"  # geo_precision 2
    # Blank coordinates: a place without a point.
    assert places(records["YEM0412"]) == [
        {"adminArea": "Taizz", "country": "YE", "precision": "region"}
    ]
    assert places(records["RUS0090"])[0]["country"] == "RU"  # the team's map
    assert records["UNK0001"].locations == []  # no country: no place, the row still imports
    assert errors == [
        "row 5: field locations.0.latitude: column 'latitude': '131.2' is not a latitude "
        "(decimal degrees, -90 to 90)",
        "row 6: field locations.0.country: column 'country': 'Kerrowland' is not a country "
        'pycountry knows (add it to the map: map = { "kerrowland" = "??" })',
    ]


def mapping_with(**location: Any) -> Any:
    raw = {
        "record": {"external_id": "event_id_cnty"},
        "fields": {
            "title": "{event_type} {event_id_cnty}",
            "date": {"column": "event_date"},
            "category": {"value": "domestic-military"},
            "severity": {"value": "serious"},
            "posture": {"value": "reported"},
        },
        "locations": [{"country": {"column": "country", "map": {"russia": "RU"}}, **location}],
    }
    return parse_mapping(raw, "m.toml")


def test_a_required_place_refuses_a_row_without_a_country() -> None:
    _, errors = applied(mapping_with(required=True))
    assert (
        "row 8: field locations.0.country: column 'country' is blank (the place is required)"
        in (errors)
    )


def test_precision_is_the_coarsest_the_row_supports_unless_stated() -> None:
    records, _ = applied(mapping_with(adminArea={"column": "admin1"}))
    assert places(records["YEM0412"]) == [
        {"adminArea": "Taizz", "country": "YE", "precision": "region"}
    ]
    records, _ = applied(
        mapping_with(latitude={"column": "latitude"}, longitude={"column": "longitude"})
    )
    assert places(records["PSE3101"])[0]["precision"] == "town"  # a point is never "exact" unsaid
    records, _ = applied(mapping_with())
    assert places(records["PSE3101"]) == [{"country": "PS", "precision": "country"}]


def test_published_precision_and_bad_precision_values() -> None:
    records, errors = applied(
        mapping_with(
            latitude={"column": "latitude"},
            longitude={"column": "longitude"},
            precision="exact",
            publishedPrecision="town",
        )
    )
    assert places(records["PSE3101"])[0]["publishedPrecision"] == "town"
    _, errors = applied(mapping_with(precision={"column": "geo_precision"}))
    assert errors[0].startswith(
        "row 2: field locations.0.precision: column 'geo_precision': '1' is not exact, town, "
        "region or country"
    )
    # "No finer than town": a row known only to its region is published as known.
    records, errors = applied(
        mapping_with(adminArea={"column": "admin1"}, publishedPrecision="town")
    )
    assert places(records["YEM0412"]) == [
        {"adminArea": "Taizz", "country": "YE", "precision": "region"}
    ]


def test_a_wrong_mapping_value_is_refused_by_row_naming_the_mapped_cell() -> None:
    mapping = mapping_with()
    mapping.locations[0]["country"].map = {"russia": "Rusia"}
    _, errors = applied(mapping)
    assert (
        "row 7: field locations.0.country: column 'country': 'Rusia' (mapped from 'Russia') is "
        "not a country pycountry knows (correct the map)" in errors
    )


@pytest.mark.parametrize(
    ("location", "problem"),
    [
        ({"name": "x"}, "locations.0.country: missing"),
        ({"country": "PS", "colour": "red"}, "locations.0.colour: unknown key"),
        ({"country": "PS", "required": "yes"}, "locations.0.required: must be true or false"),
    ],
)
def test_a_wrong_locations_table_names_its_key(location: dict[str, Any], problem: str) -> None:
    raw = {
        "fields": {
            "title": "t",
            "date": {"column": "d"},
            "category": {"value": "x"},
            "severity": {"value": "x"},
            "posture": {"value": "x"},
        },
        "locations": [location],
    }
    with pytest.raises(MappingError, match=problem):
        parse_mapping(raw, "m.toml")


def test_suggest_finds_the_place_columns(tmp_path: Path) -> None:
    text = suggest(open_table(ACLED), SITE)
    block = text.split("[[locations]]\n")[1]
    assert block.splitlines()[:2] == ['name = { column = "location" }',
                                      'adminArea = { column = "admin1" }']  # fmt: skip
    assert 'country = { column = "country", map = {} }' in block
    assert "name no single country: Kerrowland, Russia" in block
    assert 'latitude = { column = "latitude" }' in block
    assert 'map = { "1" = "town", "2" = "region", "3" = "region" }' in block
    assert '# publishedPrecision = "town"  # REVIEW' in block
    assert '"{event_type} in {location}"' in text


def test_suggest_knows_a_country_column_by_its_values_and_states_the_precision(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "ref,when,territory,gov,lat,lng\n"
        "a1,2025-01-02,Yemen,Taizz,13.58,44.02\n"
        'a2,2025-01-03,YEM,Aden,"12,8","45,03"\n',
        encoding="utf-8",
    )
    text = suggest(open_table(path), SITE)
    assert 'country = { column = "territory", map = {} }' in text
    assert 'latitude = { column = "lat" }' in text and 'longitude = { column = "lng" }' in text
    assert 'precision = "town"  # REVIEW: no precision column' in text
    mapping = tmp_path / "m.toml"
    mapping.write_text(text, encoding="utf-8")
    records, errors = applied(load_mapping(mapping), path)
    assert errors == []
    assert places(records["a2"]) == [
        {"country": "YE", "latitude": 12.8, "longitude": 45.03, "precision": "town"}
    ]


def test_suggest_writes_no_places_without_a_country_column(tmp_path: Path) -> None:
    assert "[[locations]]" not in suggest(open_table(SHEETS / "ledger.tsv"), SITE)


def test_the_documented_locations_tables_are_valid_mappings() -> None:
    """docs/mapping.md's example and README's snippet parse as the schema says."""
    import re
    import tomllib

    root = Path(__file__).resolve().parent.parent.parent
    doc = (root / "docs" / "mapping.md").read_text(encoding="utf-8")
    example = tomllib.loads(re.findall(r"```toml\n(.*?)```", doc, flags=re.S)[0])
    mapping = parse_mapping(example, "docs/mapping.md")
    assert set(mapping.locations[0]) == {
        "name",
        "adminArea",
        "country",
        "latitude",
        "longitude",
        "precision",
        "publishedPrecision",
    }
    readme = (root / "README.md").read_text(encoding="utf-8")
    snippet = next(
        b for b in re.findall(r"```toml\n(.*?)```", readme, flags=re.S) if "[[locations]]" in b
    )
    fields = {"title": "t", "date": {"column": "d"}}
    fields |= {k: {"value": "x"} for k in ("category", "severity", "posture")}
    raw = tomllib.loads("\n".join(line.strip() for line in snippet.splitlines()))
    assert parse_mapping({"fields": fields, **raw}, "README.md").locations[0]["country"].map == {
        "russia": "RU"
    }


def test_a_workbook_with_numeric_coordinates_gives_points(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["event_id_cnty", "event_date", "event_type", "country", "latitude", "longitude"])
    ws.append(["W1", "2025-01-02", "Shelling", "UKR", 49.7106, 37.6156])
    ws.append(["W2", "2025-01-03", "Shelling", "Ukraine", -0.5, 0])
    ws.append(["W3", "2025-01-04", "Shelling", "Ukraine", None, 36.2])
    path = tmp_path / "w.xlsx"
    book.save(path)
    records, errors = applied(
        mapping_with(latitude={"column": "latitude"}, longitude={"column": "longitude"}), path
    )
    assert errors == []
    assert places(records["W1"]) == [
        {"country": "UA", "latitude": 49.7106, "longitude": 37.6156, "precision": "town"}
    ]
    assert (places(records["W2"])[0]["latitude"], places(records["W2"])[0]["longitude"]) == (
        -0.5,
        0.0,
    )
    assert places(records["W3"]) == [{"country": "UA", "precision": "country"}]  # half a point


def test_a_user_assigned_code_and_its_name_are_what_a_record_accepts() -> None:
    # XK (Kosovo by convention) and a code the tracker's casework.toml names: a record takes
    # them, so a spreadsheet's cell must too, by code or by name, and only in that tracker.
    from casework.model.places import using_place_names

    assert resolve_country("XK") == ("XK", "")
    assert resolve_country(" kosovo ") == ("XK", "")
    assert resolve_country("qm") == ("QM", "")
    assert resolve_country("Kessland") == (None, "is not a country pycountry knows")
    with using_place_names([("QM", "Kessland")]):
        assert resolve_country("Kessland") == ("QM", "")
