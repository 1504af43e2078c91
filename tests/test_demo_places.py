"""The demo's places: its fictional states have ISO 3166-1 user-assigned codes, named in its
casework.toml, and its records happen in the open ocean, never inside a real state's outline
(the Natural Earth outlines the map draws, static/countries-110m.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from casework.config import ConfigError, load_config
from casework.demo import DEMO_SITE, ensure_demo
from casework.examples import STATE_CENTRES, generate_records
from casework.examples.words import STATE_CODES, STATES
from casework.formats import read_records
from casework.model import Record
from casework.model.places import USER_ASSIGNED, country_name, is_country, using_place_names
from casework.publish.build import build_site
from casework.tracker import open_tracker

OUTLINES = Path(__file__).resolve().parents[1] / "src/casework/render/static/countries-110m.json"
Ring = list[tuple[float, float]]


@cache
def outlines() -> list[Ring]:
    """Every ring of every country of the TopoJSON file, in (longitude, latitude)."""
    topology = json.loads(OUTLINES.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded, quantized
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> Ring:
        out: Ring = []
        for index in indexes:
            out.extend(arcs[index] if index >= 0 else arcs[~index][::-1])
        return out

    rings: list[Ring] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            rings.extend(ring(indexes) for indexes in polygon)
    assert len(rings) > 250
    return rings


def inside(lon: float, lat: float, ring: Ring) -> bool:
    """Ray casting: whether the point is inside the ring."""
    crossings = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            crossings = not crossings
    return crossings


def in_a_country(lon: float, lat: float) -> bool:
    return sum(inside(lon, lat, ring) for ring in outlines()) % 2 == 1


def nearest_outline(lon: float, lat: float) -> float:
    """Degrees to the nearest vertex of any outline (a flat measure: enough at these scales)."""
    return min(((x - lon) ** 2 + (y - lat) ** 2) ** 0.5 for ring in outlines() for x, y in ring)


def test_the_checker_knows_land_from_sea() -> None:
    assert in_a_country(2.35, 48.85)  # Paris
    assert in_a_country(-47.9, -15.8)  # Brasília, far from any coast
    assert in_a_country(44.2, 15.35)  # Sanaa
    assert not in_a_country(-30.0, 30.0)  # the North Atlantic
    assert not in_a_country(-120.0, -40.0)  # the South Pacific


def test_every_state_lies_in_open_ocean_with_room_for_its_places() -> None:
    assert set(STATE_CENTRES) == set(STATES) == set(STATE_CODES)
    for state, (lat, lon) in STATE_CENTRES.items():
        # A place lies at most 1.5° of latitude and 2° of longitude from its state's centre.
        assert not in_a_country(lon, lat), state
        assert nearest_outline(lon, lat) > 12, state


def test_the_states_codes_are_user_assigned_distinct_and_named_by_the_demo() -> None:
    codes = list(STATE_CODES.values())
    assert len(set(codes)) == len(codes) and set(codes) <= USER_ASSIGNED
    assert "XK" not in codes  # Kosovo's
    assert dict(DEMO_SITE.place_names) == {code: state for state, code in STATE_CODES.items()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo tracker, 80 records, built."""
    folder = tmp_path_factory.mktemp("demo")
    ensure_demo(folder / "tracker", 80)
    with open_tracker(folder / "tracker") as tracker:
        build_site(tracker.store, tracker.site, folder / "out", workers=1)
    return folder


def test_the_demo_map_has_points_and_none_in_a_real_state(demo: Path) -> None:
    points = json.loads((demo / "out/data/map-points.json").read_bytes())
    assert len(points["lon"]) >= 40  # about 4 in 5 records have a point
    assert len(points["slug"]) >= 40
    for lon, lat in zip(points["lon"], points["lat"], strict=True):
        assert not in_a_country(lon, lat), (lon, lat)
        assert nearest_outline(lon, lat) > 8, (lon, lat)
    # Places are named as casework.toml names the codes: "Norford, Marhaven county, Kessland".
    assert any(place.endswith(", Kessland") for place in points["place"]), points["place"][:5]


def test_the_demo_config_names_the_codes_and_its_records_show_the_names(demo: Path) -> None:
    config = load_config(demo / "tracker")
    assert ("QM", "Kessland") in config.site.place_names
    record = next(
        r for r in generate_records(80, seed=1, site=DEMO_SITE, mutual_links=True)
        if r.locations and r.locations[0].precision.value != "country"
    )  # fmt: skip
    page = (demo / "out/incident" / record.slug / "index.html").read_text(encoding="utf-8")
    with using_place_names(config.site.place_names):
        state = country_name(record.locations[0].country)
    assert state in STATES and f"{state} (" in page


def test_examples_keep_their_text_and_gain_only_locations() -> None:
    """The records' words are those of the search judgments (benchmarks/): only places
    were added; about one in five is known to its state only."""
    records = list(generate_records(200, seed=1, site=DEMO_SITE))
    assert records[0].slug == "telmarch-aid-coordination-office-expels-aid-organisations-lindia"
    precisions = [r.locations[0].precision.value for r in records]
    assert 20 <= precisions.count("country") <= 60
    assert precisions.count("town") > precisions.count("region") > 20
    for record in records:
        (place,) = record.locations
        assert place.country == STATE_CODES[country_of(record)]
        if place.name is not None:
            assert place.name in record.summary  # the town the record's words name


def country_of(record: Record) -> str:
    return next(state for state in STATES if record.title.startswith(state))


def test_user_assigned_codes_are_countries_and_unassigned_ones_are_not() -> None:
    assert is_country("XK") and country_name("XK") == "Kosovo"
    assert is_country("QM") and is_country("ZZ") and is_country("AA") and is_country("XX")
    assert is_country("PS") and not is_country("AB") and not is_country("QL")
    assert country_name("XY") == "XY"  # named by nobody: the code itself


def _import(folder: Path, country: str) -> str:
    """The error reading a record placed in `country` gives ("" when there is none)."""
    record = next(iter(generate_records(1, seed=1, site=DEMO_SITE))).to_wire()
    record["locations"] = [{"country": country, "precision": "country"}]
    path = folder / "records.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    (item,) = read_records(path, DEMO_SITE)
    return str(item.error or "")


def test_an_import_takes_a_user_assigned_code_and_refuses_an_unassigned_one(
    tmp_path: Path,
) -> None:
    assert _import(tmp_path, "XK") == ""
    assert _import(tmp_path, "XQ") == ""
    assert _import(tmp_path, "AB") == (
        f"{tmp_path / 'records.json'}: record "
        "telmarch-aid-coordination-office-expels-aid-organisations-lindia: "
        "field locations.0.country: 'AB' is not an ISO 3166-1 alpha-2 country code "
        "(write e.g. PS, UA)"
    )


def test_places_names_in_casework_toml_are_checked(tmp_path: Path) -> None:
    config = tmp_path / "casework.toml"
    config.write_text('[site]\ntitle = "T"\n[places.names]\nXQ = "Kessland"\n', encoding="utf-8")
    site = load_config(config).site
    assert site.place_names == (("XQ", "Kessland"),)
    with using_place_names(site.place_names):
        assert country_name("XQ") == "Kessland"
    assert country_name("XQ") == "XQ"  # named around a tracker's work, not process-wide
    config.write_text('[site]\ntitle = "T"\n[places.names]\nFR = "Frankreich"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(config)
    assert str(error.value) == (
        f"{config}: [places.names] FR: not an ISO 3166-1 user-assigned code (AA, QM to QZ, "
        "XA to XZ, ZZ): an assigned code has its own name"
    )
    config.write_text('[site]\ntitle = "T"\n[places.names]\nXQ = ""\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[places.names\] XQ: expected a name of 1 to 100"):
        load_config(config)
