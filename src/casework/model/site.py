"""The site's configuration as data: its URL, title, vocabularies and own statutes.

Vocabularies (category, severity, posture, classification) live in the site config, not in
code; a new site starts with the defaults below (docs/format.md). Statutes extend the built-in
catalog (model/statutes.py) with `[[law.statutes]]` of casework.toml.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from casework.model.places import USER_ASSIGNED
from casework.model.statutes import StatuteCatalog, StatuteDefinition, statute_catalog

DEFAULT_CATEGORIES: dict[str, str] = {
    "foreign-policy": "Foreign Policy & War",
    "rule-of-law": "Rule of Law",
    "deportation": "Deportation & Detention",
    "civil-liberties": "Civil Liberties",
    "domestic-military": "Domestic Use of the Military",
    "humanitarian-aid": "Humanitarian Aid",
}
# Least severe first: the order is meaningful (sorting, "most severe" listings).
DEFAULT_SEVERITIES: dict[str, str] = {
    "concerning": "Concerning",
    "serious": "Serious",
    "severe": "Serious Rights Violation",
    "extreme": "War Crime / Crime Against Humanity",
}
DEFAULT_POSTURES: dict[str, str] = {
    "reported": "Reported record",
    "executive-action": "Official executive action",
    "litigation": "Active litigation",
    "judicial-finding": "Judicial finding",
    "disputed": "Disputed",
}
DEFAULT_CLASSIFICATIONS: dict[str, str] = {
    "direct": "Direct",
    "enabling": "Enabling",
    "potential": "Potential",
    "none": "None",
}

# Licences a tracker's data may be published under: SPDX identifier → (title, address). Open
# data licences only, since the data package (publish/datapackage.py) names the licence's
# address and title, which Frictionless expects.
LICENSES: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC-BY-NC-4.0": (
        "Creative Commons Attribution-NonCommercial 4.0",
        "https://creativecommons.org/licenses/by-nc/4.0/",
    ),
    "CC0-1.0": (
        "Creative Commons Zero v1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "ODC-By-1.0": (
        "Open Data Commons Attribution License v1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License v1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "PDDL-1.0": (
        "Open Data Commons Public Domain Dedication and License v1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
}
# Attribution: a record reused elsewhere keeps saying where it came from.
DEFAULT_LICENSE = "CC-BY-4.0"

VOCABULARY_NAMES = ("category", "severity", "posture", "classification")

# The languages the published site and the editor speak (casework.toml's [site] language):
# each but English has a catalog under casework/locale/ (render/i18n.py).
SITE_LANGUAGES = ("en", "es", "fr", "ar")


class Vocabularies(BaseModel):
    """Ordered key → label maps. Dict order is the vocabulary's order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_CATEGORIES))
    severity: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_SEVERITIES))
    posture: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_POSTURES))
    classification: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_CLASSIFICATIONS))

    @field_validator("category", "severity", "posture", "classification")
    @classmethod
    def _not_empty(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("a vocabulary needs at least one key")
        return value

    def get(self, name: str) -> dict[str, str]:
        vocabulary: dict[str, str] = getattr(self, name)
        return vocabulary

    def label(self, name: str, key: str) -> str:
        """The label of `key`, or the key itself when the vocabulary lacks it."""
        return self.get(name).get(key, key)

    def severity_rank(self, key: str) -> int:
        """0 for the least severe key; -1 for a key the vocabulary lacks."""
        keys = list(self.severity)
        return keys.index(key) if key in keys else -1


def place_name_problem(code: str, name: str) -> str:
    """What is wrong with naming `code` `name` in [places.names] ("" when nothing is)."""
    if code not in USER_ASSIGNED:
        return (
            "not an ISO 3166-1 user-assigned code (AA, QM to QZ, XA to XZ, ZZ): "
            "an assigned code has its own name"
        )
    if not name.strip() or len(name) > 100 or any(c in name for c in "\r\n"):
        return "expected a name of 1 to 100 characters on one line"
    return ""


class Site(BaseModel):
    """What a record needs from its site to compute its derived fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = "https://example.org"
    title: str = "casework tracker"
    description: str = ""
    # Markdown: the about/methodology page of the published site.
    about: str = ""
    vocabularies: Vocabularies = Field(default_factory=Vocabularies)
    # casework.toml's [[law.statutes]]: statutes the built-in catalog lacks, more names for
    # one it has.
    statutes: tuple[StatuteDefinition, ...] = ()
    # casework.toml's [map]: a tile server's URL template ({z}/{x}/{y}) and the credit its
    # tiles need. Without one, maps show only the built-in offline basemap (country outlines).
    map_tiles: str = ""
    map_attribution: str = ""
    # The organisation that publishes the tracker: the author and publisher of its records'
    # citations (formats/citations.py). Empty: the site's title.
    publisher: str = ""
    # The licence of the published records and data files: an SPDX identifier (the data
    # package's `licenses`, the /data/ and /about/ pages).
    license: str = DEFAULT_LICENSE
    # The language of the pages' own words (never the records'): one of SITE_LANGUAGES.
    language: str = "en"
    # casework.toml's [places.names]: (code, name) of the ISO 3166-1 user-assigned codes the
    # tracker's places use for territories ISO does not list (model/places.py): named
    # around the tracker's work (`places.using_place_names`), never process-wide.
    place_names: tuple[tuple[str, str], ...] = ()

    @property
    def organization(self) -> str:
        """Who publishes the records: `publisher`, else the site's title."""
        return self.publisher.strip() or self.title

    @property
    def license_title(self) -> str:
        return LICENSES[self.license][0]

    @property
    def license_url(self) -> str:
        return LICENSES[self.license][1]

    @field_validator("license")
    @classmethod
    def _spdx_license(cls, value: str) -> str:
        if value not in LICENSES:
            raise ValueError(f"expected one of {', '.join(LICENSES)}")
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in SITE_LANGUAGES:
            raise ValueError(f"expected one of {', '.join(SITE_LANGUAGES)}")
        return value

    @field_validator("place_names")
    @classmethod
    def _user_assigned_names(
        cls, value: tuple[tuple[str, str], ...]
    ) -> tuple[tuple[str, str], ...]:
        for code, name in value:
            problem = place_name_problem(code, name)
            if problem:
                raise ValueError(f"{code}: {problem}")
        return value

    @field_validator("map_tiles")
    @classmethod
    def _tile_template(cls, value: str) -> str:
        if value and (
            not value.startswith(("https://", "http://"))
            or not all(part in value for part in ("{z}", "{x}", "{y}"))
        ):
            raise ValueError("expected an http(s) URL holding {z}, {x} and {y}")
        return value

    def tile_origin(self) -> str | None:
        """The tile server's origin (scheme://host[:port]), which the site's CSP must allow
        images from; None without [map] tiles."""
        if not self.map_tiles:
            return None
        scheme, _, rest = self.map_tiles.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"

    @field_validator("url")
    @classmethod
    def _plain_base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("the site URL must start with http:// or https://")
        # docs/format.md: the base URL has no trailing slash.
        return value.rstrip("/")

    @field_validator("statutes")
    @classmethod
    def _statutes_agree(cls, value: tuple[StatuteDefinition, ...]) -> tuple[StatuteDefinition, ...]:
        statute_catalog(value)  # StatuteConflict (a ValueError) when they contradict
        return value

    def statute_catalog(self) -> StatuteCatalog:
        """The statutes this site knows: the built-in catalog with its own."""
        return statute_catalog(self.statutes)
