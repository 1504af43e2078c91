"""`casework user ...` end to end, on a real tracker folder; what the commands did is checked
through the store they wrote to (with argon2-cffi's default cost: each hash takes ~0.1 s)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casework.cli import app
from casework.store.accounts import Accounts, LoginFailed, Role, TokenScope
from casework.tracker import open_tracker
from tests.test_cli import one_line_error

runner = CliRunner()
PASSWORD = "correct horse battery staple"


def cw(tracker: Path, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--tracker", str(tracker), *args], input=input)
    return result.exit_code, result.stdout, result.stderr


@contextmanager
def accounts_of(tracker: Path) -> Iterator[Accounts]:
    with open_tracker(tracker) as opened:
        yield opened.store.accounts


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    folder = tmp_path / "t"
    code, _, err = cw(tmp_path, "init", str(folder))
    assert code == 0, err
    return folder


def test_add_with_password_on_stdin_then_list(tracker: Path) -> None:
    code, out, err = cw(
        tracker,
        "user", "add", "alice", "--role", "reviewer", "--name", "Alice Ahmed", "--password-stdin",
        input=PASSWORD + "\n",
    )  # fmt: skip
    assert code == 0, err
    assert "Added user alice (reviewer)" in out
    with accounts_of(tracker) as accounts:
        user = accounts.authenticate("alice", PASSWORD, remote="cli-test")
    assert (user.display_name, user.role) == ("Alice Ahmed", Role.reviewer)

    code, out, err = cw(tracker, "user", "list")
    assert code == 0, err
    row = next(line for line in out.splitlines() if "alice" in line)
    assert "Alice Ahmed" in row and "reviewer" in row and "no" in row
    assert "1 users." in out


def test_a_password_may_hold_spaces_but_only_its_first_line_counts(tracker: Path) -> None:
    code, _, err = cw(
        tracker, "user", "add", "bob", "--password-stdin", input="  spaced out secret \nrest\n"
    )
    assert code == 0, err
    with accounts_of(tracker) as accounts:
        assert accounts.authenticate("bob", "  spaced out secret ", remote="r").role is Role.editor


def test_the_prompt_asks_twice_without_echo(tracker: Path) -> None:
    typed = "typed at the prompt"
    code, out, err = cw(
        tracker, "user", "add", "carol", "--role", "viewer", input=f"{typed}\n{typed}\n"
    )
    assert code == 0, err
    assert typed not in out + err  # hidden input: never echoed
    assert "Repeat for confirmation" in out + err
    with accounts_of(tracker) as accounts:
        assert accounts.authenticate("carol", typed, remote="r").role is Role.viewer


def test_generate_prints_a_working_password_once(tracker: Path) -> None:
    code, out, err = cw(tracker, "user", "add", "dan", "--generate")
    assert code == 0, err
    password = out.strip()
    assert len(password) >= 20 and "\n" not in password
    assert "will not be shown again" in err
    with accounts_of(tracker) as accounts:
        assert accounts.authenticate("dan", password, remote="r").username == "dan"


def test_bad_input_gets_one_line_errors_and_changes_nothing(tracker: Path) -> None:
    code, _, err = cw(tracker, "user", "add", "erin", "--password-stdin", input="too short\n")
    one_line_error(code, err, "password too short", "12")
    code, _, err = cw(tracker, "user", "add", "Erin!", "--password-stdin", input=PASSWORD)
    one_line_error(code, err, "invalid username", "Erin!")
    code, _, err = cw(
        tracker, "user", "add", "erin", "--role", "boss", "--password-stdin", input=PASSWORD
    )
    one_line_error(code, err, "unknown role 'boss'", "reviewer")
    with accounts_of(tracker) as accounts:
        assert accounts.users() == []

    assert cw(tracker, "user", "add", "erin", "--password-stdin", input=PASSWORD)[0] == 0
    code, _, err = cw(tracker, "user", "add", "erin", "--password-stdin", input=PASSWORD)
    one_line_error(code, err, "'erin' already exists")
    code, _, err = cw(tracker, "user", "disable", "nobody")
    one_line_error(code, err, "no user named 'nobody'")
    code, _, err = cw(tracker, "user", "revoke-token", "42")
    one_line_error(code, err, "no API token with id 42")


def test_disable_enable_role_and_passwd(tracker: Path) -> None:
    assert cw(tracker, "user", "add", "fay", "--password-stdin", input=PASSWORD)[0] == 0
    with accounts_of(tracker) as accounts:
        session, _ = accounts.open_session(accounts.get_user("fay"))

    code, out, err = cw(tracker, "user", "disable", "fay")
    assert code == 0, err
    code, out, _ = cw(tracker, "user", "list")
    assert "yes" in next(line for line in out.splitlines() if "fay" in line)
    with accounts_of(tracker) as accounts:
        assert accounts.session(session) is None
        with pytest.raises(LoginFailed):
            accounts.authenticate("fay", PASSWORD, remote="r")

    assert cw(tracker, "user", "enable", "fay")[0] == 0
    code, out, err = cw(tracker, "user", "role", "fay", "admin")
    assert code == 0, err
    assert "fay is now admin" in out
    new = "a different passphrase"
    code, _, err = cw(tracker, "user", "passwd", "fay", "--password-stdin", input=new + "\n")
    assert code == 0, err
    with accounts_of(tracker) as accounts:
        assert accounts.authenticate("fay", new, remote="r").role is Role.admin
    code, _, err = cw(tracker, "user", "passwd", "fay", "--password-stdin", input="short\n")
    one_line_error(code, err, "password too short")


def test_api_tokens_are_shown_once_listed_and_revoked(tracker: Path) -> None:
    assert cw(tracker, "user", "add", "gil", "--password-stdin", input=PASSWORD)[0] == 0
    code, out, err = cw(tracker, "user", "token", "gil", "--name", "nightly import")
    assert code == 0, err
    token = out.strip()
    assert token.startswith("cw_")
    assert "will not be shown again" in err
    with accounts_of(tracker) as accounts:
        user = accounts.token_user(token)
        assert user is not None and user.username == "gil"

    code, out, err = cw(tracker, "user", "tokens", "gil")
    assert code == 0, err
    row = next(line for line in out.splitlines() if "nightly import" in line)
    assert row.split()[1] == "1" and "gil" in row and token not in out
    [token_id] = [line.split()[1] for line in out.splitlines() if "nightly import" in line]

    code, out, err = cw(tracker, "user", "revoke-token", token_id)
    assert code == 0, err
    with accounts_of(tracker) as accounts:
        assert accounts.token_user(token) is None
        assert [t.revoked for t in accounts.tokens()] == [True]
    code, out, _ = cw(tracker, "user", "tokens")
    assert "revoked" in next(line for line in out.splitlines() if "nightly import" in line)


def test_a_token_reads_only_unless_made_to_write_and_may_expire(tracker: Path) -> None:
    assert cw(tracker, "user", "add", "gil", "--password-stdin", input=PASSWORD)[0] == 0
    code, out, err = cw(tracker, "user", "token", "gil", "--name", "reader")
    assert code == 0, err
    reader = out.strip()
    code, out, err = cw(
        tracker, "user", "token", "gil", "--name", "importer", "--scope", "write",
        "--expires", "90d",
    )  # fmt: skip
    assert code == 0, err
    assert "write" in err and "until" in err
    writer = out.strip()
    with accounts_of(tracker) as accounts:
        read_grant, write_grant = accounts.token_grant(reader), accounts.token_grant(writer)
        assert read_grant is not None and read_grant.scope is TokenScope.read
        assert write_grant is not None and write_grant.scope is TokenScope.write
        listed = {t.name: t for t in accounts.tokens("gil")}
    assert listed["reader"].expires_at is None
    importer = listed["importer"]
    assert importer.expires_at is not None
    assert importer.expires_at - importer.created_at == timedelta(days=90)

    code, out, err = cw(tracker, "user", "tokens", "gil")
    assert code == 0, err
    rows = {}
    for line in out.splitlines():  # a table row: │ id │ user │ name │ scope │ … │ expires │
        cells = [cell.strip() for cell in line.split("│")]
        if len(cells) > 3 and cells[3]:
            rows[cells[3]] = cells
    assert rows["reader"][4] == "read" and rows["reader"][7] == "never"
    assert rows["importer"][4] == "write"
    # The date, then its time (beside it on a wide console, below it at 80 columns).
    assert rows["importer"][7].split()[0] == importer.expires_at.strftime("%Y-%m-%d")


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--expires", "soon", ["--expires", "'soon'", "90d"]),
        ("--expires", "0d", ["--expires", "'0d'"]),
        ("--scope", "admin", ["--scope", "'admin'", "read or write"]),
    ],
)
def test_a_bad_scope_or_lifetime_is_one_line_and_makes_no_token(
    tracker: Path, option: str, value: str, words: list[str]
) -> None:
    assert cw(tracker, "user", "add", "gil", "--password-stdin", input=PASSWORD)[0] == 0
    code, _, err = cw(tracker, "user", "token", "gil", "--name", "x", option, value)
    one_line_error(code, err, *words)
    with accounts_of(tracker) as accounts:
        assert accounts.tokens() == []
