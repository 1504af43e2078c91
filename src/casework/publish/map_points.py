"""`data/map-points.json`: what the map page (static/map.js) draws, in columns.

The map page used to load `incidents.geojson`, which repeats every property name and label
for every point: 46 MB at 100,000 points. This file carries the same points, taken from the
same public form of the same records (`formats.geojson.features`: each point at its published
precision), and only the fields the map shows — its popup (title, date, labels, place), its
filters (category, severity, year) and its link (slug). Locations known only to their country
have no point and are left out, as the map leaves them out.

    {
      "version": 1,
      "category": [[key, label], ...],    lookup tables: the records' columns index into them
      "severity": [[key, label], ...],
      "place": ["Idlib, Syria", ...],     a point's "name, admin area, country name"
      "slug": [...], "title": [...], "date": [...],          one entry per record, in order
      "categoryIndex": [...], "severityIndex": [...],
      "points": [...],                    how many of the columns below are the record's
      "lon": [...], "lat": [...], "placeIndex": [...]        one entry per point, by record
    }

Only records with at least one point are in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from casework.formats.geojson import features
from casework.model import Record, Site

MAP_POINTS_NAME = "map-points.json"
VERSION = 1


class _Table:
    """Values → their index, in order of first use."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {}

    def __call__(self, value: Any) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.index)
        return found

    def values(self) -> list[Any]:
        return list(self.index)


def map_points(records: Iterable[Record], site: Site) -> dict[str, Any]:
    """The map's points of `records` (their public form, as the GeoJSON is given them)."""
    categories, severities, places = _Table(), _Table(), _Table()
    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "slug", "title", "date", "categoryIndex", "severityIndex", "points",
            "lon", "lat", "placeIndex",
        )
    }  # fmt: skip
    for record in records:
        points = 0
        for feature in features(record, site):
            geometry = feature["geometry"]
            if geometry is None:
                continue  # known only to its country: in the map page's list, not on the map
            p = feature["properties"]
            lon, lat = geometry["coordinates"]
            columns["lon"].append(lon)
            columns["lat"].append(lat)
            where = ", ".join(
                str(part) for part in (p.get("name"), p.get("adminArea"), p["countryName"]) if part
            )
            columns["placeIndex"].append(places(where))
            points += 1
        if not points:
            continue
        # The record's own fields, the same in each of its features.
        p = feature["properties"]
        columns["slug"].append(p["slug"])
        columns["title"].append(p["title"])
        columns["date"].append(p["date"])
        columns["categoryIndex"].append(categories((p["category"], p["categoryLabel"])))
        columns["severityIndex"].append(severities((p["severity"], p["severityLabel"])))
        columns["points"].append(points)
    return {
        "version": VERSION,
        "category": [list(pair) for pair in categories.values()],
        "severity": [list(pair) for pair in severities.values()],
        "place": places.values(),
        **columns,
    }


def map_points_bytes(records: Iterable[Record], site: Site) -> bytes:
    return orjson.dumps(map_points(records, site))
