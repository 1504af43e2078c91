"""GeoJSON of records' locations: valid RFC 7946, [longitude, latitude], one Feature a location."""

from __future__ import annotations

import io
import json

from casework.formats.geojson import write_geojson
from casework.model import Site
from tests.store.factories import make_record

SITE = Site(url="https://tracker.example.org", title="Harbour Watch")


def test_one_feature_per_location_longitude_first() -> None:
    records = [
        make_record(
            "clinic-raid",
            title="Raid on the Al-Awda clinic",
            locations=[
                {
                    "name": "Beit Lahia",
                    "country": "PS",
                    "latitude": 31.5464,
                    "longitude": 34.4951,
                    "precision": "town",
                },
                {"adminArea": "Kharkiv Oblast", "country": "UA", "precision": "region"},
            ],
        ),
        make_record("pier-arrests"),  # no locations: no feature
    ]
    stream = io.StringIO()
    write_geojson(records, SITE, stream)
    document = json.loads(stream.getvalue())
    assert document["type"] == "FeatureCollection"
    point, country_only = document["features"]
    assert point["type"] == "Feature"
    assert point["geometry"] == {"type": "Point", "coordinates": [34.4951, 31.5464]}
    assert point["properties"] == {
        "slug": "clinic-raid",
        "title": "Raid on the Al-Awda clinic",
        "date": "2021-03-14",
        "category": "civil-liberties",
        "categoryLabel": "Civil Liberties",
        "severity": "serious",
        "severityLabel": "Serious",
        "url": "https://tracker.example.org/incident/clinic-raid/",
        "precision": "town",
        "country": "PS",
        "countryName": "Palestine, State of",
        "name": "Beit Lahia",
    }
    assert country_only["geometry"] is None
    assert country_only["properties"]["adminArea"] == "Kharkiv Oblast"


def test_no_records_is_an_empty_collection() -> None:
    stream = io.StringIO()
    write_geojson([], SITE, stream)
    assert json.loads(stream.getvalue()) == {"type": "FeatureCollection", "features": []}
