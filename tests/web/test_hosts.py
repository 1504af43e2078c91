"""A hostile Host header (web/hosts.py): no redirect repeats it — the live app's and
`serve --static`'s, Starlette's own slash redirects included — and, with the hosts
`casework serve` allows, a request naming another host gets 400."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from casework.model import Site
from casework.publish.build import build_site
from casework.store.base import Store
from casework.web.app import create_app
from casework.web.hosts import allowed_hosts, local_location
from casework.web.static_site import static_site_app
from tests.publish.conftest import SITE
from tests.web.editing import PASSWORD, Team

HOSTILE = {"Host": "evil.example"}


def redirects(client: TestClient, paths: list[str]) -> dict[str, str]:
    found = {}
    for path in paths:
        answer = client.get(path, headers=HOSTILE, follow_redirects=False)
        assert answer.is_redirect, (path, answer.status_code)
        found[path] = answer.headers["location"]
    return found


def test_no_redirect_names_the_host_a_client_sent(store: Store, tmp_path: Path) -> None:
    live = TestClient(create_app(store, SITE, warm=False))
    assert redirects(live, ["/api/incidents/", "/api/records/", "/data", "/search", "/edit"]) == {
        "/api/incidents/": "/api/incidents",
        "/api/records/": "/api/records",
        "/data": "/data/",
        "/search": "/search/",
        "/edit": "/edit/",
    }
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    static = TestClient(static_site_app(out))
    assert redirects(static, ["/data", "/search"]) == {"/data": "/data/", "/search": "/search/"}


@pytest.mark.parametrize(
    ("location", "local"),
    [
        ("http://evil.example/api/incidents?page=2#top", "/api/incidents?page=2#top"),
        ("https://evil.example", "/"),
        ("//evil.example/x/", "/x/"),
        ("///evil.example/x/", "/evil.example/x/"),
        ("/\\evil.example/x", "/evil.example/x"),
        ("/edit/pier/?saved=1", "/edit/pier/?saved=1"),
        ("/login?next=/edit/", "/login?next=/edit/"),
    ],
)
def test_a_location_is_cut_to_a_path_on_this_site(location: str, local: str) -> None:
    assert local_location(location) == local


def test_the_allowed_hosts_are_the_sites_the_loopback_names_and_the_served_address() -> None:
    site = Site(url="https://Monitor.Example.org/tracker")
    assert allowed_hosts(site, "0.0.0.0") == [  # a wildcard adds no name
        "monitor.example.org",
        "localhost",
        "127.0.0.1",
        "[::1]",
    ]
    assert allowed_hosts(site, "10.1.2.3", ["Editor.example.org", "fd00::7"])[-3:] == [
        "10.1.2.3",
        "editor.example.org",
        "[fd00::7]",
    ]
    assert allowed_hosts(site, "[::]") == allowed_hosts(site)


def test_a_request_naming_another_host_gets_400(store: Store, tmp_path: Path) -> None:
    hosts = allowed_hosts(SITE, "127.0.0.1")
    live = TestClient(create_app(store, SITE, warm=False, allowed_hosts=hosts))
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    static = TestClient(static_site_app(out, allowed_hosts=hosts))
    site_host = SITE.url.split("://", 1)[1].split("/", 1)[0]
    for client in (live, static):
        for path in ("/", "/data/", "/api/incidents", "/login"):
            refused = client.get(path, headers=HOSTILE, follow_redirects=False)
            assert refused.status_code == 400, path
            assert refused.headers["x-frame-options"] == "DENY"  # refusals carry them too
        for host in (site_host, "localhost:8000", "127.0.0.1", "[::1]:8000"):
            assert client.get("/", headers={"Host": host}).status_code == 200, host


@pytest.mark.parametrize(
    "target",
    ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "evil"],
)
def test_the_login_next_never_sends_anyone_off_the_site(team: Team, target: str) -> None:
    browser = team.client()
    page = browser.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    signed = browser.post(
        "/login",
        {"username": "eve", "password": PASSWORD, "csrf": token.group(1), "next": target},
    )
    assert signed.status_code == 303
    location = signed.headers["location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert urlsplit(location).netloc == "" and urlsplit(location).scheme == ""
