"""The map page and a record's small map in a real browser, with no network but the site's.

Every request to another host is refused and recorded: the map must draw its basemap (the
vendored Natural Earth outlines) and its points from the site alone. A built site holds
located records (two in one town, to make a cluster), one known only to its country (listed,
not mapped) and one lowered from exact to region (its stored point must reach no page).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from casework.model import Site, Status
from casework.publish.build import build_site
from casework.tracker import init_tracker, open_tracker
from casework.web.static_site import static_site_app
from tests.browser.conftest import CHROMIUM, _unavailable, launched, save_screenshot
from tests.serving import serving
from tests.store.factories import make_record

# A river crossing stored exact and published at region: only 41.0, 26.0 may be public.
CROSSING = {
    "name": "Qxv ferry landing",
    "country": "GR",
    "latitude": 41.04127,
    "longitude": 26.31274,
    "precision": "exact",
    "publishedPrecision": "region",
}


def _located() -> list[Any]:
    def at(lat: float, lon: float, country: str, precision: str = "exact") -> list[Any]:
        return [{"country": country, "latitude": lat, "longitude": lon, "precision": precision}]

    return [
        make_record(
            "grain-store-shelling",
            title="Shelling of the grain store on the ring road",
            date="2023-02-11",
            category="foreign-policy",
            severity="extreme",
            locations=at(15.3521, 44.2075, "YE"),
        ),
        make_record(
            "market-shelling",
            title="Second shelling, the vegetable market two streets on",
            date="2023-02-12",
            category="foreign-policy",
            severity="severe",
            locations=at(15.3533, 44.2091, "YE"),
        ),
        make_record(
            "checkpoint-detentions",
            title="Men held for days at the western checkpoint",
            date="2022-08-30",
            category="deportation",
            severity="serious",
            locations=at(36.3, 43.1, "IQ", "town"),
        ),
        make_record(
            "river-crossing-pushback",
            title="Families pushed back at the river crossing",
            date="2023-05-02",
            category="deportation",
            severity="severe",
            locations=[CROSSING],
        ),
        make_record(
            "newsroom-raid",
            title="Police search a newsroom and take its laptops",
            date="2021-11-19",
            category="civil-liberties",
            severity="concerning",
            locations=at(50.4501, 30.5234, "UA"),
        ),
        make_record(
            "clinic-closure",
            title="Clinic ordered shut, somewhere in the country",
            date="2023-07-07",
            category="humanitarian-aid",
            severity="severe",
            locations=[{"country": "SD", "precision": "country"}],
        ),
        make_record("nowhere-said", title="A record that says no place", date="2020-01-05"),
        make_record(
            "hostile-title",
            title=HOSTILE,
            date="2019-06-01",
            category="rule-of-law",
            locations=at(-1.29, 36.82, "KE"),
        ),
    ]


HOSTILE = '<img src=x onerror="window.__xss=1"> Raid on the <b>depot</b>'
MAPPED = 6  # every located record but the clinic (country only)


@dataclass
class Offline:
    """A page on which every request to another origin than the site's is refused."""

    page: Any
    base: str
    foreign: list[str] = field(default_factory=list)
    local: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.base):
            self.local.append(url[len(self.base) :])
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def open(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, path


@pytest.fixture(scope="module")
def map_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    root = tmp_path_factory.mktemp("map")
    init_tracker(root / "tracker", Site(title="Map Watch", url="https://example.org"))
    with open_tracker(root / "tracker") as tracker:
        tracker.store.import_records(
            _located(), author="test", message="seed", status=Status.published
        )
        build_site(tracker.store, tracker.site, root / "out")
    with serving(static_site_app(root / "out")) as url:
        yield url


@pytest.fixture(scope="module")
def chromium(map_site: str) -> Iterator[Any]:
    with launched() as browser:
        yield browser


@pytest.fixture
def offline(chromium: Any, map_site: str) -> Iterator[Offline]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    visit = Offline(page=page, base=map_site)
    context.route("**/*", visit.route)
    page.on("pageerror", lambda e: visit.errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: m.type == "error" and visit.errors.append(m.text))
    yield visit
    context.close()


def ready(page: Any, selector: str = "#map") -> None:
    page.wait_for_selector(f"{selector}[data-state='ready']")


def test_map_page_draws_basemap_and_clusters_with_no_other_host(offline: Offline) -> None:
    offline.open("map/")
    page = offline.page
    ready(page)
    # The offline basemap: Natural Earth's countries (but Antarctica) as paths in their pane.
    assert page.locator(".leaflet-basemap-pane path").count() > 150
    assert page.get_attribute("#map", "data-shown") == str(MAPPED)
    # At world zoom the two shellings a street apart are one cluster of 2.
    assert page.locator(".marker-cluster").count() >= 1
    assert "2" in page.locator(".marker-cluster").all_inner_texts()
    assert page.locator("#map-status").inner_text() == f"{MAPPED} points on the map."
    save_screenshot(page, "map-page")
    assert offline.foreign == []
    # What the page read: the site's static files and the map's public points, nothing else
    # (not the whole GeoJSON).
    paths = {urlsplit("/" + p).path for p in offline.local}
    assert paths - {"/map/", "/data/map-points.json"} <= {
        p for p in paths if p.startswith("/static/")
    }
    assert "/data/map-points.json" in paths
    assert "/static/countries-110m.json" in paths
    assert offline.errors == []


def test_filters_reduce_the_points(offline: Offline) -> None:
    offline.open("map/")
    page = offline.page
    ready(page)
    page.select_option("#m-category", "deportation")
    ready(page)
    assert page.get_attribute("#map", "data-shown") == "2"
    page.select_option("#m-year", "2023")
    ready(page)
    assert page.get_attribute("#map", "data-shown") == "1"
    assert page.locator("#map-status").inner_text() == "1 point on the map."
    page.select_option("#m-category", "")
    page.select_option("#m-severity", "extreme")
    ready(page)
    assert page.get_attribute("#map", "data-shown") == "1"
    page.select_option("#m-year", "2021")
    ready(page)
    assert page.get_attribute("#map", "data-shown") == "0"
    assert offline.foreign == [] and offline.errors == []


def test_clicking_a_point_leads_to_its_record(offline: Offline) -> None:
    offline.open("map/")
    page = offline.page
    ready(page)
    page.select_option("#m-year", "2021")  # the newsroom raid alone: a point, not a cluster
    ready(page)
    page.locator(".map-point").click()
    link = page.locator(".map-popup a")
    assert link.inner_text() == "Police search a newsroom and take its laptops"
    link.click()
    page.wait_for_url("**/incident/newsroom-raid/")
    assert offline.foreign == [] and offline.errors == []


def test_a_point_opens_from_the_keyboard(offline: Offline) -> None:
    offline.open("map/")
    page = offline.page
    ready(page)
    page.select_option("#m-category", "civil-liberties")
    ready(page)
    page.focus("#map")
    page.keyboard.press("Tab")  # the next stop after the map element is its one point
    assert page.evaluate("document.activeElement.classList.contains('map-point')")
    page.keyboard.press("Enter")
    page.locator(".map-popup a").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/incident/newsroom-raid/")


def test_a_hostile_title_is_text_in_its_popup(offline: Offline) -> None:
    offline.open("map/")
    page = offline.page
    ready(page)
    page.select_option("#m-year", "2019")
    ready(page)
    page.locator(".map-point").click()
    assert page.locator(".map-popup a").inner_text() == HOSTILE
    assert page.locator(".map-popup img, .map-popup b").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_list_fallback_holds_every_located_record(offline: Offline) -> None:
    page = offline.page
    page.route("**/*.js", lambda route: route.abort())  # as if scripts never ran
    offline.open("map/")
    links = page.locator(".map-list h3 a")
    titles = set(links.all_inner_texts())
    assert len(titles) == MAPPED + 1  # and the clinic, known only to its country
    assert "Clinic ordered shut, somewhere in the country" in titles
    assert "A record that says no place" not in titles
    text = page.locator(".map-list").inner_text()
    assert "Sudan (country)" in text
    assert "41.0, 26.0" in text and "Qxv" not in text and "41.04" not in text


def test_a_located_record_has_a_small_map(offline: Offline) -> None:
    offline.open("incident/river-crossing-pushback/")
    page = offline.page
    ready(page, "#record-map")
    assert page.locator("#record-map .map-point").count() == 1
    assert page.locator("#record-map .leaflet-basemap-pane path").count() > 150
    points = page.get_attribute("#record-map", "data-points")
    assert points is not None and "41.0, 26.0" in points and "41.04" not in points
    save_screenshot(page, "record-map")
    # Known only to its country, or not located: no map.
    offline.open("incident/clinic-closure/")
    assert page.locator("#record-map").count() == 0
    offline.open("incident/nowhere-said/")
    assert page.locator("#record-map").count() == 0
    assert offline.foreign == [] and offline.errors == []


def _png() -> bytes:
    """A 1x1 grey PNG: what the local tile server answers for every tile."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\x80")  # filter byte, one grey pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG = _png()


def test_configured_tiles_come_from_their_host_only(
    chromium: Any, map_site: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """With [map] tiles naming a (local) tile server, the map asks it for tiles, which the
    site's CSP allows; every other host stays refused."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    asked: list[str] = []

    def tile(request: Request) -> Response:
        asked.append(request.url.path)
        return Response(PNG, media_type="image/png")

    tiles_app = Starlette(routes=[Route("/{z}/{x}/{y}.png", tile)])
    root = tmp_path_factory.mktemp("tiled")
    with serving(tiles_app) as tiles:
        template = tiles + "{z}/{x}/{y}.png"
        site = Site(title="Tiled", url="https://example.org", map_tiles=template)
        init_tracker(root / "tracker", site)
        with open_tracker(root / "tracker") as tracker:
            tracker.store.import_records(
                _located()[:1], author="test", message="seed", status=Status.published
            )
            build_site(tracker.store, site, root / "out")
        origin = tiles.rstrip("/")
        with serving(static_site_app(root / "out", tile_origin=origin)) as base:
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(15_000)
            page = context.new_page()
            visit = Offline(page=page, base=base)
            refused: list[str] = []

            def route(route: Any) -> None:
                if route.request.url.startswith(tiles):
                    route.continue_()
                else:
                    visit.route(route)

            context.route("**/*", route)
            page.on("console", lambda m: m.type == "error" and refused.append(m.text))
            visit.open("map/")
            ready(page)
            page.wait_for_selector(".leaflet-tile-loaded")
            context.close()
    assert asked and all(p.endswith(".png") for p in asked)
    assert visit.foreign == []
    assert refused == []  # no CSP refusal of a tile


# The search page's country filter, on this site because its records have places.


def search_results(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all("#search-results li a", "links => links.map(a => a.href)")
    return [urlsplit(h).path.split("/")[2] for h in hrefs]


def test_search_filters_by_country_on_the_static_site(offline: Offline) -> None:
    from playwright.sync_api import expect  # auto-retrying, and allowed by the site's CSP

    offline.open("search/")
    page = offline.page
    status = page.locator("#search-status")
    country = page.locator("#search-form select[name=country]")
    labels = country.locator("option").all_inner_texts()
    assert labels[0] == "Any" and "Yemen (2)" in labels and "Sudan (1)" in labels
    country.select_option("YE")  # a select's change runs the search
    expect(status).to_have_text("2 records match these filters.")
    assert search_results(page) == ["market-shelling", "grain-store-shelling"]
    assert "country=YE" in page.url
    # With words: the filter and the words together.
    page.locator("#search-form input[name=q]").fill("vegetable market")
    page.locator("#search-form [type=submit]").click()
    expect(status).to_have_text("1 record matches \u201cvegetable market\u201d.")
    assert search_results(page) == ["market-shelling"]
    # From an address, in either case: a record known only to its country.
    offline.open("search/?country=sd")
    expect(status).to_have_text("1 record matches these filters.")
    assert search_results(page) == ["clinic-closure"]
    assert country.input_value() == "SD"
    # A location published at region keeps its country.
    offline.open("search/?country=GR")
    expect(status).to_have_text("1 record matches these filters.")
    assert search_results(page) == ["river-crossing-pushback"]
    assert offline.foreign == [] and offline.errors == []
