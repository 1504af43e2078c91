"""`user`: accounts of the web editor and the API: users, roles, passwords, API tokens."""

import re
import sys
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from casework.cli.invocation import Invocation
from casework.cli.output import err, out, timestamp

if TYPE_CHECKING:
    from casework.store.accounts import Role, TokenScope

app = typer.Typer(
    help="Accounts of the web editor and the API: users, roles, passwords, API tokens.",
    no_args_is_help=True,
)


def _password(password_stdin: bool, generate: bool) -> tuple[str, bool]:
    """The new password (from standard input, generated, or typed twice without echo), and
    whether it was generated (then it must be shown, once)."""
    from casework.store.accounts import AccountError, check_password, generate_password

    if password_stdin and generate:
        raise AccountError("--password-stdin and --generate exclude each other: choose one")
    if generate:
        return generate_password(), True
    if password_stdin:
        # The first line, without its line ending: a password may hold spaces.
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
        if not password:
            raise AccountError("no password on standard input")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return check_password(password), False


def _show_generated(password: str) -> None:
    sys.stdout.write(password + "\n")
    err.print("[yellow]Store this password now: it will not be shown again.[/yellow]")


def _role(value: str) -> "Role":
    from casework.store.accounts import AccountError, Role

    try:
        return Role(value.strip().lower())
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise AccountError(f"unknown role {value!r}: choose one of {choices}") from None


@app.command("add")
def user_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Lowercase letters, digits, '.', '_', '-'.")],
    role: Annotated[str, typer.Option(help="viewer, editor, reviewer or admin.")] = "editor",
    name: Annotated[str, typer.Option("--name", help="The name shown in the editor.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    generate: Annotated[
        bool, typer.Option("--generate", help="Make a strong random password and print it once.")
    ] = False,
) -> None:
    """Add a user (the password is asked twice, without echo, unless given another way)."""
    from casework.store.accounts import check_username

    invocation = Invocation.of(ctx)
    with invocation.errors():
        check_username(username)
        chosen = _role(role)
        password, generated = _password(password_stdin, generate)
    with invocation.tracker() as tracker:
        user = tracker.store.accounts.add_user(username, password, chosen, display_name=name)
    # When a password was generated, standard output carries it alone (for a script to read).
    (err if generated else out).print(
        f"Added user [bold]{user.username}[/bold] ({user.role.value}).", highlight=False
    )
    if generated:
        _show_generated(password)


@app.command("passwd")
def user_passwd(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The user.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    generate: Annotated[
        bool, typer.Option("--generate", help="Make a strong random password and print it once.")
    ] = False,
) -> None:
    """Set a user's password; signs out all their sessions (API tokens keep working)."""
    with Invocation.of(ctx).tracker() as tracker:
        tracker.store.accounts.get_user(username)  # an unknown user fails before the prompt
        password, generated = _password(password_stdin, generate)
        tracker.store.accounts.set_password(username, password)
    (err if generated else out).print(
        f"Password of [bold]{username}[/bold] changed; their sessions are signed out."
    )
    if generated:
        _show_generated(password)


@app.command("role")
def user_role(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The user.")],
    role: Annotated[str, typer.Argument(help="viewer, editor, reviewer or admin.")],
) -> None:
    """Change a user's role."""
    with Invocation.of(ctx).tracker() as tracker:
        chosen = _role(role)
        tracker.store.accounts.set_role(username, chosen)
    out.print(f"[bold]{username}[/bold] is now {chosen.value}.", highlight=False)


@app.command("disable")
def user_disable(
    ctx: typer.Context, username: Annotated[str, typer.Argument(help="The user.")]
) -> None:
    """Refuse a user's logins and revoke all their sessions and API tokens."""
    _switch(ctx, username, enabled=False)
    out.print(f"Disabled [bold]{username}[/bold]; their sessions and API tokens are revoked.")


@app.command("enable")
def user_enable(
    ctx: typer.Context, username: Annotated[str, typer.Argument(help="The user.")]
) -> None:
    """Let a disabled user sign in again (revoked sessions and tokens stay revoked)."""
    _switch(ctx, username, enabled=True)
    out.print(f"Enabled [bold]{username}[/bold].")


def _switch(ctx: typer.Context, username: str, *, enabled: bool) -> None:
    with Invocation.of(ctx).tracker() as tracker:
        accounts = tracker.store.accounts
        (accounts.enable if enabled else accounts.disable)(username)


@app.command("list")
def user_list(ctx: typer.Context) -> None:
    """Every user: username, name, role, whether disabled, when created."""
    with Invocation.of(ctx).tracker() as tracker:
        users = tracker.store.accounts.users()
    table = Table("username", "name", "role", "disabled", "created (UTC)")
    for user in users:
        table.add_row(
            user.username,
            user.display_name,
            user.role.value,
            "yes" if user.disabled else "no",
            timestamp(user.created_at),
        )
    out.print(table)
    out.print(f"{len(users)} users.")


def _lifetime(text: str | None) -> timedelta | None:
    """`--expires`: a number of hours, days or weeks (12h, 90d, 2w); None (or "never"): the
    token never expires."""
    from casework.store.accounts import AccountError

    if text is None or text.strip().lower() == "never":
        return None
    found = re.fullmatch(r"\s*(\d{1,5})\s*([hdw])\s*", text.lower())
    if found is None or int(found.group(1)) == 0:
        raise AccountError(
            f"invalid --expires {text!r}: a number of hours, days or weeks (12h, 90d, 2w), or never"
        )
    unit = {"h": "hours", "d": "days", "w": "weeks"}[found.group(2)]
    return timedelta(**{unit: int(found.group(1))})


def _scope(text: str) -> "TokenScope":
    from casework.store.accounts import AccountError, TokenScope

    try:
        return TokenScope(text.strip().lower())
    except ValueError:
        raise AccountError(f"unknown --scope {text!r}: choose read or write") from None


@app.command("token")
def user_token(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The user the token acts for.")],
    name: Annotated[str, typer.Option("--name", help="What uses it, e.g. 'import script'.")],
    scope: Annotated[
        str,
        typer.Option(help="read (may only read; the default) or write (may also change records)."),
    ] = "read",
    expires: Annotated[
        str | None,
        typer.Option(help="Stops working after this long: 12h, 90d, 2w (default: never)."),
    ] = None,
) -> None:
    """Make an API token (sent as `Authorization: Bearer TOKEN`); it is printed once."""
    invocation = Invocation.of(ctx)
    with invocation.errors():
        chosen, lifetime = _scope(scope), _lifetime(expires)
    with invocation.tracker() as tracker:
        token, record = tracker.store.accounts.create_token(
            username, name, scope=chosen, lifetime=lifetime
        )
    sys.stdout.write(token + "\n")
    until = f", until {timestamp(record.expires_at)} UTC" if record.expires_at else ""
    err.print(
        f"[yellow]API token {record.id} ({record.name!r}, {record.scope.value}{until}) for "
        f"{username}: store it now, it will not be shown again.[/yellow]",
        highlight=False,
        soft_wrap=True,
    )


@app.command("tokens")
def user_tokens(
    ctx: typer.Context,
    username: Annotated[str | None, typer.Argument(help="Only this user's tokens.")] = None,
) -> None:
    """API tokens (never the tokens themselves): id, user, name, scope, created, last used,
    and when it expires (or that it has expired or was revoked)."""
    from casework.store.accounts import utc_now

    with Invocation.of(ctx).tracker() as tracker:
        tokens = tracker.store.accounts.tokens(username)
    now = utc_now()
    table = Table("id", "user", "name", "scope", "created", "last used", "expires",
                  caption="Times are UTC.")  # fmt: skip
    table.columns[2].no_wrap = True
    for column in table.columns[4:]:  # at 80 columns, a time goes under its date
        column.min_width = 10
    for token in tokens:
        if token.revoked:
            expires = "revoked"
        elif token.expired(now):
            expires = f"expired {timestamp(token.expires_at)}"
        else:
            expires = timestamp(token.expires_at)
        table.add_row(
            str(token.id),
            token.username,
            token.name,
            token.scope.value,
            timestamp(token.created_at),
            timestamp(token.last_used_at),
            expires,
        )
    out.print(table)


@app.command("revoke-token")
def user_revoke_token(
    ctx: typer.Context,
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The token's id (`user tokens`).")],
) -> None:
    """Revoke an API token for good."""
    with Invocation.of(ctx).tracker() as tracker:
        tracker.store.accounts.revoke_token(token_id)
    out.print(f"Revoked API token {token_id}.")
