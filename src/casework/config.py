"""casework.toml: the site (URL, title, vocabularies, its own statutes) and where the tracker's
database is.

Loaded in `cli` (or `web`) and passed down; nothing imports a module-level config.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from casework.ingest.extract.budget import EXTRACT_SECONDS
from casework.model import Site, StatuteConflict, StatuteDefinition, Vocabularies
from casework.model.site import LICENSES, SITE_LANGUAGES, place_name_problem
from casework.model.statutes import statute_catalog

CONFIG_NAME = "casework.toml"
DEFAULT_DATABASE = "sqlite:///tracker.db"
REPLICA_ENV = "CASEWORK_REPLICA_URL"  # overrides [database] replica_url (`serve --replica-url`)


class ConfigError(Exception):
    """casework.toml is missing or wrong; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    site: Site
    database_url: str
    root: Path  # the folder holding casework.toml; relative paths resolve against it
    # [ingest] publishers: a domain → the publisher's name, for articles that do not say.
    publishers: dict[str, str] = field(default_factory=dict)
    # [ingest] extract_seconds: how long extracting one article may take.
    extract_seconds: float = EXTRACT_SECONDS
    # [search] language: the Snowball stemmer search indexes and queries with (search_words).
    search_language: str = "english"
    # [database] replica_url: a PostgreSQL read replica the public site and API read from.
    replica_url: str | None = None

    @property
    def resolved_database_url(self) -> str:
        """The database URL with a relative SQLite path made absolute against `root`."""
        prefix = "sqlite:///"
        url = self.database_url
        if url.startswith(prefix) and not url.startswith(prefix + "/"):
            return prefix + str((self.root / url[len(prefix) :]).resolve())
        return url


def load_config(path: Path) -> Config:
    """Read `path` (a casework.toml, or a folder holding one)."""
    if path.is_dir():
        path = path / CONFIG_NAME
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file (run `casework init` to make a tracker)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    return config_from_dict(raw, path)


def config_from_dict(raw: dict[str, Any], path: Path) -> Config:
    site_raw = dict(raw.get("site", {}))
    vocab_raw = raw.get("vocabularies", {})
    if "statutes" in site_raw:
        raise ConfigError(f"{path}: [site] statutes: statutes go in [[law.statutes]] tables")
    statutes = _statutes(raw.get("law", {}), path)
    map_raw = _map(raw.get("map", {}), path)
    place_names = _place_names(raw.get("places", {}), path)
    try:
        site = Site.model_validate(
            {
                **site_raw,
                "vocabularies": Vocabularies.model_validate(vocab_raw),
                "statutes": statutes,
                "place_names": place_names,
                **map_raw,
            }
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        section = "vocabularies" if where.split(".")[0] in Vocabularies.model_fields else "site"
        if where.startswith("map_"):
            message = first["msg"].removeprefix("Value error, ")
            raise ConfigError(f"{path}: [map] {where.removeprefix('map_')}: {message}") from None
        if where == "language":  # the one line says which languages there are
            message = first["msg"].removeprefix("Value error, ")
            raise ConfigError(f"{path}: [site] language: {message}") from None
        raise ConfigError(f"{path}: [{section}] {where}: {first['msg']}") from None
    database = raw.get("database", {}).get("url", DEFAULT_DATABASE)
    if not isinstance(database, str):
        raise ConfigError(f"{path}: [database] url: expected a string")
    replica = raw.get("database", {}).get("replica_url")
    if replica is not None and (not isinstance(replica, str) or not replica.strip()):
        raise ConfigError(f"{path}: [database] replica_url: expected a postgresql:// URL")
    publishers = raw.get("ingest", {}).get("publishers", {})
    if not isinstance(publishers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in publishers.items()
    ):
        raise ConfigError(f'{path}: [ingest.publishers]: expected domain = "Publisher name" lines')
    extract_seconds = raw.get("ingest", {}).get("extract_seconds", EXTRACT_SECONDS)
    if isinstance(extract_seconds, bool) or not isinstance(extract_seconds, int | float):
        raise ConfigError(f"{path}: [ingest] extract_seconds: expected a number of seconds")
    if not 0 < extract_seconds <= 3600:
        raise ConfigError(f"{path}: [ingest] extract_seconds: expected 0 < seconds <= 3600")
    language = _search_language(raw.get("search", {}), path)
    return Config(
        site=site,
        database_url=database,
        root=path.parent.resolve(),
        publishers={k.lower(): v for k, v in publishers.items()},
        extract_seconds=float(extract_seconds),
        search_language=language,
        replica_url=replica,
    )


def _search_language(table: Any, path: Path) -> str:
    """[search] language: english (the default), spanish or french. The tracker's store is
    opened with it (`open_tracker`) and stems in it: an index is only searchable with the
    stemmer it was written with."""
    from casework import search_words

    if not isinstance(table, dict) or sorted(set(table) - {"language"}):
        raise ConfigError(f'{path}: [search]: expected language = "english"')
    language = table.get("language", search_words.DEFAULT_LANGUAGE)
    if language not in search_words.LANGUAGES:
        choices = ", ".join(search_words.LANGUAGES)
        raise ConfigError(f"{path}: [search] language: expected one of {choices}")
    return str(language)


def _map(table: Any, path: Path) -> dict[str, str]:
    """[map]: `tiles` (a URL template) and `attribution`, both optional strings."""
    if not isinstance(table, dict):
        raise ConfigError(f'{path}: [map]: expected a table of tiles = "...", attribution = "..."')
    unknown = sorted(set(table) - {"tiles", "attribution"})
    if unknown:
        raise ConfigError(f"{path}: [map] {unknown[0]}: unknown key (tiles, attribution)")
    for key, value in table.items():
        if not isinstance(value, str):
            raise ConfigError(f"{path}: [map] {key}: expected a string")
    if table.get("attribution") and not table.get("tiles"):
        raise ConfigError(f"{path}: [map] attribution: given without tiles")
    return {f"map_{key}": value for key, value in table.items()}


def _place_names(table: Any, path: Path) -> tuple[tuple[str, str], ...]:
    """[places.names]: a name for each ISO 3166-1 user-assigned code the tracker uses
    (XQ = "Kessland"); README, Places."""
    if not isinstance(table, dict) or sorted(set(table) - {"names"}):
        raise ConfigError(f'{path}: [places]: expected a [places.names] table of XQ = "Name"')
    names = table.get("names", {})
    if not isinstance(names, dict):
        raise ConfigError(f'{path}: [places.names]: expected lines of XQ = "Name"')
    for code, name in names.items():
        problem = (
            "expected a string" if not isinstance(name, str) else place_name_problem(code, name)
        )
        if problem:
            raise ConfigError(f"{path}: [places.names] {code}: {problem}")
    return tuple(names.items())


def _statutes(law: Any, path: Path) -> tuple[StatuteDefinition, ...]:
    """[[law.statutes]]: each table a `name` and its `aliases`, checked against the built-in
    catalog and each other (an alias may not name another statute)."""
    if not isinstance(law, dict):
        raise ConfigError(f"{path}: [law]: expected a table holding [[law.statutes]] tables")
    unknown = sorted(set(law) - {"statutes"})
    if unknown:
        raise ConfigError(f"{path}: [law] {unknown[0]}: unknown key (only [[law.statutes]])")
    tables = law.get("statutes", [])
    if not isinstance(tables, list):
        raise ConfigError(
            f'{path}: [[law.statutes]]: expected tables of name = "..." and aliases = [...]'
        )
    definitions = []
    for n, table in enumerate(tables, start=1):
        where = f"{path}: [[law.statutes]] #{n}"
        if not isinstance(table, dict):
            raise ConfigError(f'{where}: expected a table of name = "..." and aliases = [...]')
        try:
            definitions.append(StatuteDefinition.model_validate(table))
        except ValidationError as error:
            first = error.errors()[0]
            key = ".".join(str(p) for p in first["loc"]) or "name"
            message = first["msg"].removeprefix("Value error, ")
            raise ConfigError(f"{where} {key}: {message}") from None
    try:
        statute_catalog(tuple(definitions))
    except StatuteConflict as conflict:
        raise ConfigError(
            f"{path}: [[law.statutes]] #{conflict.index + 1} {conflict.field}: {conflict}"
        ) from None
    return tuple(definitions)


def _toml_string(value: str) -> str:
    # JSON's string escapes (\n, \", \\, \uXXXX) are all valid in a TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def render_config(site: Site, database_url: str = DEFAULT_DATABASE) -> str:
    """A casework.toml for `site`, vocabularies written out so that a team can edit them."""
    lines = [
        "# casework tracker configuration",
        "[site]",
        f"url = {_toml_string(site.url)}",
        f"title = {_toml_string(site.title)}",
        f"description = {_toml_string(site.description)}",
        "# Markdown for the site's about/methodology page",
        f"about = {_toml_string(site.about)}",
        "# The organisation publishing the records: their citations' author and publisher",
        "# (empty: the title)",
        f"publisher = {_toml_string(site.publisher)}",
        "# The licence of the published records and data files (SPDX): " + ", ".join(LICENSES),
        f"license = {_toml_string(site.license)}",
        "# The language of the site's and the editor's own words (not the records'):",
        "# " + ", ".join(SITE_LANGUAGES) + "; see README, Translations",
        f"language = {_toml_string(site.language)}",
        "",
        "[database]",
        "# sqlite:///relative/or/absolute/path.db, or postgresql://user@host:5432/database",
        f"url = {_toml_string(database_url)}",
        "# PostgreSQL: a read replica of it that the public site and API read from",
        '# replica_url = "postgresql://user@replica-host:5432/database"',
    ]
    for name in ("category", "severity", "posture", "classification"):
        lines += ["", f"# key = label{'  (least severe first)' if name == 'severity' else ''}"]
        lines.append(f"[vocabularies.{name}]")
        for key, label in site.vocabularies.get(name).items():
            lines.append(f"{_toml_string(key)} = {_toml_string(label)}")
    lines += ["", *STATUTES_HELP]
    for definition in site.statutes:
        aliases = ", ".join(_toml_string(alias) for alias in definition.aliases)
        lines += [
            "[[law.statutes]]",
            f"name = {_toml_string(definition.name)}",
            f"aliases = [{aliases}]",
        ]
    if not site.statutes:
        lines += [
            "# [[law.statutes]]",
            '# name = "Border Security Act 2024"',
            '# aliases = ["BSA 2024", "the Border Act"]',
        ]
    if site.place_names:
        lines += ["", "# Names of the ISO 3166-1 user-assigned codes places use (README, Places)"]
        lines.append("[places.names]")
        lines += [f"{code} = {_toml_string(name)}" for code, name in site.place_names]
    return "\n".join(lines) + "\n"


STATUTES_HELP = (
    "# Statutes: records that cite a statute by any of its names share one /law/ page, named",
    "# after its canonical name; `casework check` flags an alias or a name it does not know.",
    "# The built-in catalog holds the major treaties; add a statute it lacks, or more names",
    "# for one it has (its name then becomes the canonical one), with a table each:",
)
