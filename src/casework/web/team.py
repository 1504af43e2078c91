"""The team's pages under /edit/: one's own account and API tokens (/edit/account), and the
users of the tracker, for admins (/edit/users). Accounts are not records: they change no
revision and no public byte."""

from __future__ import annotations

from datetime import timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from casework.editing import Act
from casework.model.wording import wording_of
from casework.store.accounts import (
    DEFAULT_TOKEN_SCOPE,
    AccountError,
    Role,
    TokenScope,
    generate_password,
    utc_now,
)
from casework.web.context import context
from casework.web.forms import whole_number
from casework.web.views import guarded, render, require, say

TOKEN_LIFETIMES = {"never": None, "30": 30, "90": 90, "365": 365}
"""The /edit/account form's choices of a new token's lifetime, in days."""


@guarded
async def account(request: Request) -> Response:
    accounts = context(request).store.accounts
    new_token = None
    error = ""
    if request.method == "GET":
        viewer = require(request, Act.read)
    else:
        form = await request.form(max_files=0, max_fields=10)
        viewer = require(request, Act.read, form=form)
        revoke = str(form.get("revoke", ""))
        if revoke:
            mine = {t.id for t in accounts.tokens(viewer.user.username)}
            token_id = whole_number(revoke, 10**12)
            if token_id in mine:
                accounts.revoke_token(token_id)
        else:
            name = " ".join(str(form.get("name", "")).split())[:100] or "script"
            scope = str(form.get("scope", DEFAULT_TOKEN_SCOPE.value))
            days = str(form.get("expires", "never"))
            if scope not in TokenScope.__members__ or days not in TOKEN_LIFETIMES:
                error = "Choose a scope and a lifetime from the lists."
            else:
                lifetime = TOKEN_LIFETIMES[days]
                new_token, _ = accounts.create_token(
                    viewer.user.username,
                    name,
                    scope=TokenScope(scope),
                    lifetime=timedelta(days=lifetime) if lifetime else None,
                )
    return render(
        request,
        "edit_account.html",
        400 if error else 200,
        tokens=accounts.tokens(viewer.user.username),
        new_token=new_token,
        error=error,
        now=utc_now(),
        scopes=[scope.value for scope in TokenScope],
        default_scope=DEFAULT_TOKEN_SCOPE.value,
    )


@guarded
async def users(request: Request) -> Response:
    accounts = context(request).store.accounts
    error = ""
    generated = None
    if request.method == "GET":
        require(request, Act.manage_users)
    else:
        form = await request.form(max_files=0, max_fields=10)
        viewer = require(request, Act.manage_users, form=form)
        username = str(form.get("username", "")).strip()
        try:
            if form.get("do") == "add":
                generated = generate_password()
                role = Role(str(form.get("role", "viewer")))
                await run_in_threadpool(
                    accounts.add_user, username, generated, role, str(form.get("name", "")).strip()
                )
            elif form.get("do") == "disable" and username != viewer.user.username:
                accounts.disable(username)
            elif form.get("do") == "enable":
                accounts.enable(username)
            elif form.get("do") == "role" and username != viewer.user.username:
                accounts.set_role(username, Role(str(form.get("role", "viewer"))))
        except (AccountError, ValueError) as refused:
            # Said in the tracker's language (a store's refusal carries its Wording).
            error, generated = say(request, wording_of(refused)), None
    return render(
        request,
        "edit_users.html",
        users=accounts.users(),
        error=error,
        generated=generated,
        roles=[r.value for r in Role],
    )
