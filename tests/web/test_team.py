"""The team's pages (web/team.py): one's own API tokens at /edit/account, with a scope and a
lifetime, through the real form."""

from __future__ import annotations

import re
from datetime import timedelta

from casework.store.accounts import TokenScope
from tests.web.editing import Team


def test_the_account_page_makes_a_token_with_the_scope_and_lifetime_chosen(team: Team) -> None:
    browser = team.client("eve")
    page = browser.get("/edit/account")
    assert '<option value="read" selected>' in page.text  # a new token reads only by default
    made = browser.post(
        "/edit/account",
        data={"csrf": browser.csrf(), "name": "nightly import", "scope": "write", "expires": "30"},
    )
    assert made.status_code == 200
    shown = re.search(r'<code id="new-token">(cw_[^<]+)</code>', made.text)
    assert shown is not None
    [token] = team.store.accounts.tokens("eve")
    assert (token.name, token.scope) == ("nightly import", TokenScope.write)
    assert token.expires_at is not None
    assert token.expires_at - token.created_at == timedelta(days=30)
    grant = team.store.accounts.token_grant(shown.group(1))
    assert grant is not None and grant.scope is TokenScope.write
    listed = browser.get("/edit/account").text
    assert "nightly import</td><td>write</td>" in listed


def test_the_account_page_refuses_a_scope_or_lifetime_not_offered(team: Team) -> None:
    browser = team.client("eve")
    for choice in ({"scope": "admin", "expires": "30"}, {"scope": "read", "expires": "9999"}):
        refused = browser.post(
            "/edit/account", data={"csrf": browser.csrf(), "name": "x", **choice}
        )
        assert refused.status_code == 400 and "Choose a scope" in refused.text
    assert team.store.accounts.tokens("eve") == []
