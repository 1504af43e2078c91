"""GeoJSON (RFC 7946) of records' locations: `/data/incidents.geojson` and `casework export
--format geojson`.

One Feature per location of a record (records without locations are left out): a Point at
[longitude, latitude] — GeoJSON's order — or no geometry (null, as RFC 7946 §3.2 allows) for a
location known or published only to its country. The records given are the caller's: the site
and the public export pass their public form (`publish/public_view.py`), so every point is at
its published precision already.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import IO, Any

from casework.model import Site, record_url
from casework.model.places import country_name
from casework.model.record import Record

MEDIA_TYPE = "application/geo+json"


def features(record: Record, site: Site) -> list[dict[str, Any]]:
    """The record's locations as GeoJSON Features."""
    found = []
    for location in record.locations:
        geometry: dict[str, Any] | None = None
        if location.latitude is not None and location.longitude is not None:
            geometry = {"type": "Point", "coordinates": [location.longitude, location.latitude]}
        properties: dict[str, Any] = {
            "slug": record.slug,
            "title": record.title,
            "date": record.date.isoformat(),
            "category": record.category,
            "categoryLabel": site.vocabularies.label("category", record.category),
            "severity": record.severity,
            "severityLabel": site.vocabularies.label("severity", record.severity),
            "url": record_url(site, record.slug),
            "precision": location.shown_precision.value,
            "country": location.country,
            "countryName": country_name(location.country),
        }
        if location.name is not None:
            properties["name"] = location.name
        if location.admin_area is not None:
            properties["adminArea"] = location.admin_area
        found.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return found


def write_geojson(
    records: Iterable[Record],
    site: Site,
    stream: IO[str],
    *,
    progress: Callable[[int], None] | None = None,
) -> None:
    """A FeatureCollection of every location of `records`, one Feature a line, written a
    record at a time."""
    stream.write('{"type": "FeatureCollection", "features": [')
    first = True
    for record in records:
        for feature in features(record, site):
            stream.write(("\n" if first else ",\n") + json.dumps(feature, ensure_ascii=False))
            first = False
        if progress is not None:
            progress(1)
    stream.write("\n]}\n")
