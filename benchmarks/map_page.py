"""The map page with 100,000 points in Chromium: bytes transferred, first paint, points drawn.

    python benchmarks/map_page.py [--count 100000] [--repeat 3]

Prep (untimed): a real casework build of a few located records gives the real /map/ page and
its vendored scripts; its data/incidents.geojson and data/map-points.json (what the page loads)
are then replaced by ones of `--count` points made by the same code the build uses
(formats/geojson.py `features`, publish/map_points.py), each a published record with its own
slug, title, category, severity, year and point — the data files and the page, not a full
tracker build of 100,000 records (that is benchmarks/build.py's business). The site is
served by `casework serve --built`'s app (static_site_app) on loopback; nothing else is reachable.

Timed, in a fresh browser context each time (no cache): bytes transferred (the navigation and
every resource, as the browser counts them: uncompressed here, since the local server does not
compress), first contentful paint, and the time until the clusters are drawn (map.js notes
performance.now() when the last chunk is on the map). Peer, in the same run: the same points as
a plain Leaflet GeoJSON layer of circle markers on a canvas, without clustering — what a site
gets from Leaflet alone — and the raw GeoJSON's size (and gzipped size) as the floor of bytes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from casework.formats.geojson import features  # noqa: E402
from casework.model import Record, Site, Status  # noqa: E402
from casework.model.record import Location  # noqa: E402
from casework.publish.build import build_site  # noqa: E402
from casework.publish.map_points import map_points_bytes  # noqa: E402
from casework.tracker import init_tracker, open_tracker  # noqa: E402
from casework.web.static_site import static_site_app  # noqa: E402
from tests.serving import serving  # noqa: E402
from tests.store.factories import make_record  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--headless=new"]

# The plain peer: Leaflet's own GeoJSON layer, circle markers on one canvas, no clustering
# (its script a file: the site's CSP allows no inline script).
PLAIN = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/leaflet.css">
<script src="/static/leaflet.js"></script></head><body>
<div id="map" style="height:600px"></div><script src="plain.js"></script></body></html>"""
PLAIN_JS = """var map = L.map("map", {preferCanvas: true}).setView([20, 0], 2);
fetch("/data/incidents.geojson").then(function (a) { return a.json(); }).then(function (d) {
  L.geoJSON(d, {pointToLayer: function (f, ll) { return L.circleMarker(ll, {radius: 4}); },
    onEachFeature: function (f, layer) { layer.bindPopup(f.properties.title); }}).addTo(map);
  requestAnimationFrame(function () {
    var el = document.getElementById("map");
    el.dataset.drawnAt = String(Math.round(performance.now()));
    el.dataset.state = "ready";
  });
});
"""


def make_site(out: Path, count: int) -> tuple[int, int]:
    """A real build, then its GeoJSON and map points replaced by `count` points; the sizes
    of the two files."""
    work = out.parent
    init_tracker(work / "tracker", Site(title="Map bench", url="https://example.org"))
    with open_tracker(work / "tracker") as tracker:
        site = tracker.site
        seed = [
            make_record(
                f"seed-{i}",
                locations=[
                    {"country": "YE", "latitude": 15 + i, "longitude": 44, "precision": "exact"}
                ],
            )
            for i in range(3)
        ]
        tracker.store.import_records(seed, author="bench", message="seed", status=Status.published)
        build_site(tracker.store, site, out)
    rng = random.Random(14)
    base = make_record("base")
    categories = list(site.vocabularies.get("category"))
    severities = list(site.vocabularies.get("severity"))
    start = date(2015, 1, 1)
    target = out / "data" / "incidents.geojson"
    points = out / "data" / "map-points.json"
    with target.open("w", encoding="utf-8") as stream:
        stream.write('{"type": "FeatureCollection", "features": [')

        def generated() -> Iterator[Record]:
            """Each record, its features written to the GeoJSON as it goes by."""
            for i in range(count):
                # Points cluster where incidents do: around a few dozen centres.
                centre = rng.randrange(40)
                lat = max(-60.0, min(75.0, (centre * 37 % 120) - 45 + rng.gauss(0, 2)))
                lon = ((centre * 71 % 340) - 170 + rng.gauss(0, 3) + 180) % 360 - 180
                record = base.model_copy(
                    update={
                        "slug": f"incident-{i:06d}",
                        "title": f"Generated incident {i} at the crossing",
                        "date": start + timedelta(days=rng.randrange(3650)),
                        "category": rng.choice(categories),
                        "severity": rng.choice(severities),
                        "locations": [
                            Location.model_validate(
                                {
                                    "country": "YE",
                                    "latitude": round(lat, 4),
                                    "longitude": round(lon, 4),
                                    "precision": "exact",
                                }
                            )
                        ],
                    }
                )
                for feature in features(record, site):
                    stream.write(
                        ("\n" if i == 0 else ",\n") + json.dumps(feature, ensure_ascii=False)
                    )
                yield record

        points.write_bytes(map_points_bytes(generated(), site))
        stream.write("\n]}\n")
    (out / "plain").mkdir()
    (out / "plain" / "index.html").write_text(PLAIN, encoding="utf-8")
    (out / "plain" / "plain.js").write_text(PLAIN_JS, encoding="utf-8")
    return target.stat().st_size, points.stat().st_size


def measure(browser: Any, url: str, count: int) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(180_000)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#map[data-state='ready']")
    shown = page.get_attribute("#map", "data-shown")
    if shown is not None:
        assert int(shown) == count, shown
    figures = page.evaluate(
        """() => {
        const nav = performance.getEntriesByType("navigation")[0];
        const res = performance.getEntriesByType("resource");
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        return {
          bytes: nav.transferSize + res.reduce((n, r) => n + r.transferSize, 0),
          fcp: paint ? paint.startTime : -1,
          drawn: Number(document.getElementById("map").dataset.drawnAt),
        };
    }"""
    )
    context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    console = Console()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="casework-map-bench-") as tmp:
        out = Path(tmp) / "site"
        with console.status(f"making the site and {options.count:,} points"):
            size, points_size = make_site(out, options.count)
        gz = len(gzip.compress((out / "data" / "incidents.geojson").read_bytes(), 6))
        points_gz = len(gzip.compress((out / "data" / "map-points.json").read_bytes(), 6))
        results: dict[str, list[dict[str, float]]] = {
            "casework /map/ (clustered)": [],
            "plain Leaflet GeoJSON (canvas)": [],
        }
        with serving(static_site_app(out)) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for _ in range(options.repeat):
                for name, path in zip(results, ("map/", "plain/"), strict=True):
                    with console.status(f"{name}"):
                        results[name].append(measure(browser, base + path, options.count))
            browser.close()
    table = Table(title=f"Map page, {options.count:,} points, median of {options.repeat}")
    for column in ("page", "bytes transferred", "first contentful paint", "points drawn"):
        table.add_column(column, justify="right" if column != "page" else "left")
    for name, runs in results.items():
        med = {k: statistics.median(r[k] for r in runs) for k in ("bytes", "fcp", "drawn")}
        table.add_row(
            name,
            f"{med['bytes'] / 1e6:.1f} MB",
            f"{med['fcp'] / 1000:.2f} s",
            f"{med['drawn'] / 1000:.2f} s",
        )
    table.add_row("floor: incidents.geojson alone", f"{size / 1e6:.1f} MB", "", "")
    table.add_row("  the same, gzipped (a static host's)", f"{gz / 1e6:.1f} MB", "", "")
    table.add_row("map-points.json alone (what /map/ loads)", f"{points_size / 1e6:.1f} MB", "", "")
    table.add_row("  the same, gzipped", f"{points_gz / 1e6:.1f} MB", "", "")
    console.print(table)


if __name__ == "__main__":
    main()
