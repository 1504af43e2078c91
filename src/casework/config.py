"""casework.toml: the site (URL, title, vocabularies) and where the tracker's database is.

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
from casework.model import Site, Vocabularies

CONFIG_NAME = "casework.toml"
DEFAULT_DATABASE = "sqlite:///tracker.db"


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
    try:
        site = Site.model_validate(
            {**site_raw, "vocabularies": Vocabularies.model_validate(vocab_raw)}
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        section = "vocabularies" if where.split(".")[0] in Vocabularies.model_fields else "site"
        raise ConfigError(f"{path}: [{section}] {where}: {first['msg']}") from None
    database = raw.get("database", {}).get("url", DEFAULT_DATABASE)
    if not isinstance(database, str):
        raise ConfigError(f"{path}: [database] url: expected a string")
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
    return Config(
        site=site,
        database_url=database,
        root=path.parent.resolve(),
        publishers={k.lower(): v for k, v in publishers.items()},
        extract_seconds=float(extract_seconds),
    )


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
        "",
        "[database]",
        "# sqlite:///relative/or/absolute/path.db, or postgresql://user@host:5432/database",
        f"url = {_toml_string(database_url)}",
    ]
    for name in ("category", "severity", "posture", "classification"):
        lines += ["", f"# key = label{'  (least severe first)' if name == 'severity' else ''}"]
        lines.append(f"[vocabularies.{name}]")
        for key, label in site.vocabularies.get(name).items():
            lines.append(f"{_toml_string(key)} = {_toml_string(label)}")
    return "\n".join(lines) + "\n"
