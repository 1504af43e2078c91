"""A tracker on disk: a folder holding casework.toml and (by default) its SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casework.config import CONFIG_NAME, Config, ConfigError, load_config, render_config
from casework.model import Site
from casework.model.places import using_place_names
from casework.store import open_store
from casework.store.base import Store
from casework.store.private_files import write_private

if TYPE_CHECKING:
    from casework.ingest.pipeline import ImportedFiles

# Where proposals were kept as files before they moved into the database.
PROPOSAL_FILES = "proposals"


@dataclass
class Tracker:
    config: Config
    store: Store
    # Proposal files found in the folder and imported into the store when it was opened.
    imported: ImportedFiles | None = None

    @property
    def site(self) -> Site:
        return self.config.site


def init_tracker(folder: Path, site: Site) -> Config:
    """Make a new tracker in `folder`: a casework.toml and a migrated, empty database, both
    readable by their owner only (0600). Refuses a folder that already holds a tracker
    (nothing an editor wrote is overwritten)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CONFIG_NAME
    if path.exists():
        raise ConfigError(f"{path}: a tracker already exists here")
    # Owner-only (0600): it may come to hold a PostgreSQL URL with its password.
    write_private(path, render_config(site).encode("utf-8"))
    config = load_config(path)
    open_store(
        config.resolved_database_url, config.search_language, place_names=site.place_names
    ).close()
    return config


def import_proposal_files(store: Store, folder: Path) -> ImportedFiles | None:
    """Proposal files an earlier casework left in `folder/proposals/`, imported into the
    store (`casework.ingest.pipeline.import_proposal_files`); None when there are none, which
    costs one look at the folder: ingest's code loads only when there is work."""
    if not (folder / PROPOSAL_FILES).is_dir():
        return None
    from casework.ingest.pipeline import import_proposal_files as run

    return run(store, folder)


@contextmanager
def open_tracker(folder: Path, database_url: str | None = None) -> Iterator[Tracker]:
    """The tracker in `folder` with its store open (migrated, and any proposal files left in
    its folder imported into the store); closed on exit. Within the block a country's name
    is the tracker's own for the codes its [places.names] names (`places.using_place_names`)."""
    config = load_config(folder)
    url = database_url or config.resolved_database_url
    names = config.site.place_names
    store = open_store(url, config.search_language, place_names=names)
    try:
        with using_place_names(names):
            imported = import_proposal_files(store, config.root)
            yield Tracker(config=config, store=store, imported=imported)
    finally:
        store.close()
