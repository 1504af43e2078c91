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


def record_points(features_of_record: list[dict[str, Any]]) -> list[Any] | None:
    """One record's share of the map's points, from its GeoJSON features: `[slug, title,
    date, [category, label], [severity, label], [[lon, lat, place], ...]]`, or None when
    it has no point. Kept per record by the build (an edit makes its records' only)."""
    points = []
    for feature in features_of_record:
        geometry = feature["geometry"]
        if geometry is None:
            continue  # known only to its country: in the map page's list, not on the map
        p = feature["properties"]
        lon, lat = geometry["coordinates"]
        where = ", ".join(
            str(part) for part in (p.get("name"), p.get("adminArea"), p["countryName"]) if part
        )
        points.append([lon, lat, where])
    if not points:
        return None
    # The record's own fields, the same in each of its features.
    p = features_of_record[0]["properties"]
    return [
        p["slug"],
        p["title"],
        p["date"],
        [p["category"], p["categoryLabel"]],
        [p["severity"], p["severityLabel"]],
        points,
    ]


def points_document(shares: Iterable[list[Any] | None]) -> dict[str, Any]:
    """The map's points document of the records' `record_points`, in their order."""
    categories, severities, places = _Table(), _Table(), _Table()
    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "slug", "title", "date", "categoryIndex", "severityIndex", "points",
            "lon", "lat", "placeIndex",
        )
    }  # fmt: skip
    for share in shares:
        if share is None:
            continue
        slug, title, day, category, severity, points = share
        for lon, lat, where in points:
            columns["lon"].append(lon)
            columns["lat"].append(lat)
            columns["placeIndex"].append(places(where))
        columns["slug"].append(slug)
        columns["title"].append(title)
        columns["date"].append(day)
        columns["categoryIndex"].append(categories(tuple(category)))
        columns["severityIndex"].append(severities(tuple(severity)))
        columns["points"].append(len(points))
    return {
        "version": VERSION,
        "category": [list(pair) for pair in categories.values()],
        "severity": [list(pair) for pair in severities.values()],
        "place": places.values(),
        **columns,
    }


def shares_of(document: dict[str, Any]) -> dict[str, list[Any]]:
    """`points_document` undone: slug → the record's `record_points` (records without a
    point are not in the document). An edit takes the unchanged records' from the site's
    file, which is cheaper than reading every record's from the build state."""
    if document.get("version") != VERSION:
        raise ValueError(f"{MAP_POINTS_NAME}: not version {VERSION}")
    categories, severities, places = document["category"], document["severity"], document["place"]
    lon, lat, place = document["lon"], document["lat"], document["placeIndex"]
    found: dict[str, list[Any]] = {}
    at = 0
    for slug, title, day, category, severity, count in zip(
        document["slug"], document["title"], document["date"], document["categoryIndex"],
        document["severityIndex"], document["points"], strict=True,
    ):  # fmt: skip
        points = [[lon[n], lat[n], places[place[n]]] for n in range(at, at + count)]
        at += count
        found[slug] = [slug, title, day, categories[category], severities[severity], points]
    if at != len(lon) or not len(lon) == len(lat) == len(place):
        raise ValueError(f"{MAP_POINTS_NAME}: its points do not add up")
    return found


def map_points(records: Iterable[Record], site: Site) -> dict[str, Any]:
    """The map's points of `records` (their public form, as the GeoJSON is given them)."""
    return points_document(record_points(features(record, site)) for record in records)


def map_points_bytes(records: Iterable[Record], site: Site) -> bytes:
    return orjson.dumps(map_points(records, site))
