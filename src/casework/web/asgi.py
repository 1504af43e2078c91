"""The app as an import string, for uvicorn's worker processes and for any ASGI server:

    CASEWORK_TRACKER=/srv/monitor uvicorn --factory casework.web.asgi:create

Each worker process opens the tracker's store itself (a store is not shared across forks).
`CASEWORK_DATABASE_URL`, when set, overrides the tracker's database URL, and
`CASEWORK_REPLICA_URL` its read replica's (`[database] replica_url`).
`CASEWORK_WARM_SITE=0` leaves the public site to be planned at its first request instead of at
start-up (for a server that answers only the API: planning a million records' site takes
minutes and gigabytes). Requests may name the site URL's host and the loopback names, and
those in `CASEWORK_ALLOWED_HOSTS` (comma-separated), which `casework serve --workers N` sets
(hosts.py).

`casework serve --workers N` runs this factory with the same server settings as one worker
(web/server.py: TLS, the declared proxy, the guarded protocol and its limits). Another ASGI
server is the operator's to configure alike: with uvicorn, `--http
casework.web.protocol:GuardedHttpTools`, `--proxy-headers --forwarded-allow-ips ADDRESS`
behind a proxy, `--limit-concurrency 1000`.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette

from casework.config import REPLICA_ENV, load_config
from casework.store import open_store
from casework.tracker import import_proposal_files
from casework.web.app import create_app
from casework.web.hosts import allowed_hosts
from casework.web.server import HOSTS_ENV


def create() -> Starlette:
    folder = Path(os.environ.get("CASEWORK_TRACKER", "."))
    config = load_config(folder)
    url = os.environ.get("CASEWORK_DATABASE_URL") or config.resolved_database_url
    warm = os.environ.get("CASEWORK_WARM_SITE", "1") != "0"
    named = [host for host in os.environ.get(HOSTS_ENV, "").split(",") if host.strip()]
    names = config.site.place_names
    store = open_store(url, config.search_language, place_names=names)
    import_proposal_files(store, config.root)  # as every command opening the tracker does
    replica_url = os.environ.get(REPLICA_ENV) or config.replica_url
    replica = (
        open_store(replica_url, config.search_language, replica=True, place_names=names)
        if replica_url
        else None
    )
    return create_app(
        store,
        config.site,
        config.root,
        warm=warm,
        publishers=config.publishers,
        extract_seconds=config.extract_seconds,
        allowed_hosts=allowed_hosts(config.site, extra=named),
        replica=replica,
    )
