"""Where an incident happened: the vocabulary of the `locations` key of casework's own
(docs/format.md; the `Location` part is in record.py), and the one rule by which a location is
coarsened for the public.

A location is stored as precisely as the researcher knows it (`precision`) and published at
`publishedPrecision` when the editor lowered it (a shelter, a witness's home). The public form
is computed on the wire dict (`public_location`), so that the public view (records) and the
revision log (`evidence.ledger.public_record`, whose content digest covers the public form)
apply the very same rule: no public byte, version file or log leaf is made from the stored
point of a lowered location.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from functools import cache
from typing import Any


class Precision(StrEnum):
    """How precisely a location is known or shown, finest first (ACLED's and Airwars' grades)."""

    exact = "exact"
    town = "town"
    region = "region"
    country = "country"


PRECISIONS: tuple[str, ...] = tuple(p.value for p in Precision)
# A location's keys in docs/format.md order: the editor's row inputs, a mapping's [[locations]].
LOCATION_KEYS: tuple[str, ...] = (
    "name",
    "adminArea",
    "country",
    "latitude",
    "longitude",
    "precision",
    "publishedPrecision",
)
# Decimal places a point keeps when published at a precision: town ~0.1° (about 11 km),
# region ~1° (about 111 km), country none (no point at all).
DECIMALS: dict[str, int | None] = {"exact": None, "town": 1, "region": 0, "country": None}


@cache
def _countries() -> dict[str, str]:
    import pycountry

    return {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}


# ISO 3166-1 leaves these alpha-2 codes to its users (AA, QM–QZ, XA–XZ, ZZ): they are never
# assigned to a state, so a tracker may use one for a territory ISO does not list. XK is
# Kosovo by wide convention (the EU, the IMF, SWIFT); a tracker names the others it uses in
# casework.toml ([places.names]), and a code nobody named is shown as itself.
USER_ASSIGNED: frozenset[str] = frozenset(
    {"AA", "ZZ"}
    | {f"Q{c}" for c in "MNOPQRSTUVWXYZ"}
    | {f"X{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
)
CONVENTIONAL_NAMES: dict[str, str] = {"XK": "Kosovo"}
# The names of user-assigned codes the tracker's casework.toml gives ([places.names]): a
# country's name is asked for where only a code is at hand (a place's label, search text,
# listings, map and GeoJSON data). Not a process-wide table: whoever works for a tracker (a
# build, the app's requests, a store's writes, a command) names its codes around that work
# (`using_place_names`), so that two trackers of one process each get their own names; a
# thread or task that sets none shows such a code as itself.
_named: ContextVar[Mapping[str, str] | None] = ContextVar("casework_place_names", default=None)


@contextmanager
def using_place_names(names: Iterable[tuple[str, str]]) -> Iterator[None]:
    """Let `country_name` know a tracker's names of user-assigned codes (code, name) within
    the block (a Site's `place_names`)."""
    table = dict(names)
    if (_named.get() or {}) == table:  # the common case: nothing to set
        yield
        return
    token = _named.set(table)
    try:
        yield
    finally:
        _named.reset(token)


def country_name(code: str) -> str:
    """The English short name of an ISO 3166-1 alpha-2 code ("PS" → "Palestine, State of");
    for a user-assigned code, the name casework.toml gives it (`using_place_names`; Kosovo
    for XK); the code itself when unknown."""
    named = _named.get() or {}
    return _countries().get(code) or named.get(code) or CONVENTIONAL_NAMES.get(code, code)


def user_assigned_names() -> dict[str, str]:
    """The user-assigned codes that have a name here (code → name): XK's conventional one and
    those the tracker at hand names (`using_place_names`), which win."""
    return {**CONVENTIONAL_NAMES, **(_named.get() or {})}


def is_country(code: str) -> bool:
    """Whether `code` is an ISO 3166-1 alpha-2 code: assigned, or left to users."""
    return code in _countries() or code in USER_ASSIGNED


def public_location(wire: dict[str, Any]) -> dict[str, Any]:
    """A stored location (its wire dict) as the public may see it, at its published precision:

    - the point is rounded to that precision's decimals (town 1, region 0) or dropped (country);
    - when the editor lowered the precision, `name` is dropped (it names the place at the stored
      precision, often the very building or street), and at country `adminArea` too;
    - `precision` says the published precision and `publishedPrecision` is not written (that a
      location was lowered is itself a hint), unknown keys inside it are not published either.
    """
    stored = str(wire.get("precision", "country"))
    shown = str(wire.get("publishedPrecision") or stored)
    if shown not in PRECISIONS or stored not in PRECISIONS:
        shown = "country"  # not valid data: publish the least
    elif PRECISIONS.index(shown) < PRECISIONS.index(stored):
        shown = stored  # never finer than known
    lowered = shown != stored
    out: dict[str, Any] = {}
    if "name" in wire and not lowered:
        out["name"] = wire["name"]
    if "adminArea" in wire and not (lowered and shown == "country"):
        out["adminArea"] = wire["adminArea"]
    out["country"] = wire.get("country")
    lat, lon = wire.get("latitude"), wire.get("longitude")
    if shown != "country" and isinstance(lat, int | float) and isinstance(lon, int | float):
        decimals = DECIMALS[shown]
        if decimals is None:
            out["latitude"], out["longitude"] = lat, lon
        else:
            # + 0.0 turns -0.0 into 0.0; round() on a float, then float for whole degrees.
            out["latitude"] = float(round(float(lat), decimals)) + 0.0
            out["longitude"] = float(round(float(lon), decimals)) + 0.0
    out["precision"] = shown
    return out


def public_locations(record_wire: dict[str, Any]) -> dict[str, Any]:
    """A record's wire dict with its `locations` in their public form (the same dict when it
    has none)."""
    locations = record_wire.get("locations")
    if not locations:
        return record_wire
    out = dict(record_wire)
    out["locations"] = [
        public_location(item) if isinstance(item, dict) else item for item in locations
    ]
    return out


def place_text(locations: list[dict[str, Any]]) -> str:
    """What search matches of a record's locations (their wire dicts): each one's place name,
    admin area, country code and name, taken from its public form only, so that a name an
    editor hid by lowering the precision is found by no search, public or not. Idempotent on
    a public form."""
    words: list[str] = []
    for location in locations:
        shown = public_location(location)
        words.extend(str(shown[k]) for k in ("name", "adminArea") if k in shown)
        code = str(shown.get("country") or "")
        if code:
            words.extend((code, country_name(code)))
    return "\n".join(words)
