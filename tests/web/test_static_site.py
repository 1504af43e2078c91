"""`casework serve --static` (web/static_site.py): every built file is served with the live
app's security headers (CSP with frame-ancestors, nosniff, Referrer-Policy, …) and with the
media type the live app gives the same address; the 404 page too."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from casework.publish.build import build_site
from casework.store.base import Store
from casework.web.app import create_app
from casework.web.security import HEADERS
from casework.web.static_site import static_site_app
from tests.publish.conftest import SITE
from tests.web.test_public import built_files, url_of


def test_every_built_file_has_the_live_apps_headers_and_media_type(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    static = TestClient(static_site_app(out))
    live = TestClient(create_app(store, SITE, warm=False))
    files = built_files(out)
    assert {"data/records.ndjson", "data/records.csv", "feed.xml", "archive.json"} <= set(files)
    for relative in files:
        served = static.get(url_of(relative))
        assert served.status_code == 200, relative
        for name, value in HEADERS.items():
            assert served.headers.get(name) == value, (relative, name)
        assert "frame-ancestors 'none'" in served.headers["content-security-policy"]
        expected = live.get(url_of(relative)).headers["content-type"]
        assert served.headers["content-type"] == expected, relative
    missing = static.get("/no/such/page/")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    for name, value in HEADERS.items():
        assert missing.headers.get(name) == value, name
