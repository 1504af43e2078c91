"""What every endpoint of the app reads: one `AppContext`, made once by `create_app` and kept
on the app's state (the JSON API, a mounted app of its own, keeps the same object). The
endpoints are plain module-level functions that take it from the request, so that each can
be imported, tested and found by name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import HTTPConnection, Request

from casework.editing import Editing
from casework.ingest.extract.budget import EXTRACT_SECONDS
from casework.model import Site
from casework.publish.public_view import PublicView
from casework.store.base import Store
from casework.web.caching import ResponseCache
from casework.web.live import LiveSite, live_site

CACHE_ENV = "CASEWORK_RESPONSE_CACHE_MB"


def cache_budget() -> int:
    """Bytes of rendered API answers kept in memory (`CASEWORK_RESPONSE_CACHE_MB`, default
    128: every record of a 10,000-record tracker; 0 turns the cache off)."""
    text = os.environ.get(CACHE_ENV, "128")
    try:
        return max(0, int(float(text) * (1 << 20)))
    except ValueError:
        raise ValueError(f"{CACHE_ENV}={text!r}: expected a number of megabytes") from None


@dataclass
class AppContext:
    """The tracker an app serves. `folder` is the tracker's folder, where an article read
    from the editor is archived (None: the proposals page reads none; its proposals are the
    store's all the same); `publishers` maps domains
    to publisher names for articles read from the editor, and `extract_seconds` bounds the
    extraction of one (casework.toml's [ingest])."""

    store: Store
    site: Site
    folder: Path | None = None
    publishers: dict[str, str] = field(default_factory=dict)
    extract_seconds: float = EXTRACT_SECONDS
    # A read replica of `store`'s database (`[database] replica_url`), or None: the public
    # site, the public API and their searches read from it; the editor, the editing API and
    # every write from `store` (the primary), so an editor reads what they wrote.
    replica: Store | None = None
    live: LiveSite = field(init=False)
    # What the public site and the public API read records through (the live site's view):
    # published records, in their public form. `store` is for the editor and the editing API.
    public: PublicView = field(init=False)
    editing: Editing = field(init=False)
    api_cache: ResponseCache = field(init=False)
    # How many of the API's reads run in threads at once (web/api.py `answered`), made on
    # the first (it belongs to the event loop's library).
    api_readers: Any = field(default=None, init=False)

    def __post_init__(self) -> None:
        # One LiveSite per store and site: the API's exports and the public /data/ files are
        # the same files, made once.
        from casework.evidence.captures import ARCHIVE

        archive = self.folder / ARCHIVE if self.folder is not None else None
        self.live = live_site(self.public_store, self.site, archive)
        self.public = self.live.view
        self.editing = Editing(self.store, self.site)
        self.api_cache = ResponseCache(cache_budget())

    @property
    def public_store(self) -> Store:
        """The store public reads go to: the replica when there is one."""
        return self.replica if self.replica is not None else self.store


def context(connection: HTTPConnection) -> AppContext:
    """The AppContext of the app answering `connection` (a request)."""
    found: AppContext = connection.app.state.casework
    return found


async def app_context(request: Request) -> AppContext:
    """`context` as a FastAPI dependency. `async`: FastAPI runs a plain `def` dependency in
    its thread pool, and that hop cost a cached API answer three times its own time."""
    return context(request)
