"""What every response carries (web/security.py): HSTS over https only, and the sign-in's
cookies marked Secure over https only."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from casework.web.security import HSTS
from tests.web.editing import PASSWORD, Team

_CSRF = re.compile(r'name="csrf" value="([^"]*)"')


def test_hsts_and_secure_cookies_over_https_only(team: Team) -> None:
    for scheme in ("https", "http"):
        client = TestClient(team.app, base_url=f"{scheme}://testserver", follow_redirects=False)
        page = client.get("/login")
        token = _CSRF.search(page.text)
        assert token is not None
        signed = client.post(
            "/login", data={"username": "eve", "password": PASSWORD, "csrf": token.group(1)}
        )
        assert signed.status_code == 303
        cookies = [page.headers["set-cookie"], signed.headers["set-cookie"]]
        for answer in (page, signed, client.get("/"), client.get("/api/stats")):
            assert answer.headers.get("strict-transport-security") == (
                HSTS if scheme == "https" else None
            )
        for cookie in cookies:
            assert ("; secure" in cookie.lower()) == (scheme == "https"), cookie
