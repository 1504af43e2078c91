"""Accounts on a real SQLite store: passwords, login throttling, sessions, API tokens, and the
migration that adds their tables.

Most tests build `Accounts` over the store's engine with a cheap argon2id hasher (the class
takes one) and a clock they move by hand, so that nothing sleeps; one test checks the store's
own instance with argon2-cffi's default cost.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from casework.store import open_store
from casework.store.accounts import (
    ROLE_RANK,
    AccountError,
    Accounts,
    LoginFailed,
    LoginThrottled,
    Role,
    TokenGrant,
    TokenNotFound,
    TokenScope,
    UserExists,
    UserNotFound,
    WeakPassword,
)
from casework.store.base import Store
from casework.store.migrate import head_revision

FAST = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)  # still argon2id
PASSWORD = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def slept() -> list[float]:
    """The waits the throttle asked for, in order."""
    return []


@pytest.fixture
def accounts(store: Store, clock: Clock, slept: list[float]) -> Accounts:
    def sleep(seconds: float) -> None:  # as a sleep would, the clock moves on
        slept.append(seconds)
        clock.advance(seconds=seconds)

    return Accounts(
        store._engine,  # type: ignore[attr-defined]
        hasher=FAST,
        clock=clock,
        sleep=sleep,
    )


def _db_bytes(db_path: Path) -> bytes:
    """Every byte of the database, its WAL included."""
    return b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))


def _column(db_path: Path, sql: str) -> list[object]:
    db = sqlite3.connect(db_path)
    try:
        return [row[0] for row in db.execute(sql)]
    finally:
        db.close()


def test_the_password_is_kept_as_an_argon2id_hash_only(store: Store, db_path: Path) -> None:
    # The store's own instance: argon2-cffi's default parameters.
    user = store.accounts.add_user("alice", PASSWORD, Role.editor, display_name="Alice Ahmed")
    assert user.username == "alice" and user.role is Role.editor and not user.disabled
    assert user.created_at.tzinfo is not None
    [stored] = _column(db_path, "SELECT password_hash FROM users")
    assert isinstance(stored, str) and stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    store.close()
    assert PASSWORD.encode() not in _db_bytes(db_path)
    assert b"Alice Ahmed" in _db_bytes(db_path)  # the scan does see what is stored


def test_authenticate_takes_the_right_password_only(accounts: Accounts) -> None:
    added = accounts.add_user("alice", PASSWORD, Role.reviewer)
    assert accounts.authenticate("alice", PASSWORD, remote="10.0.0.1") == added
    assert accounts.authenticate(" Alice ", PASSWORD, remote="10.0.0.1") == added
    with pytest.raises(LoginFailed):
        accounts.authenticate("alice", PASSWORD + "!", remote="10.0.0.1")


def test_unknown_user_and_wrong_password_fail_alike(accounts: Accounts) -> None:
    accounts.add_user("alice", PASSWORD, Role.editor)
    with pytest.raises(LoginFailed) as wrong_password:
        accounts.authenticate("alice", "not the password", remote="r")
    with pytest.raises(LoginFailed) as unknown_user:
        accounts.authenticate("mallory", PASSWORD, remote="r")
    with pytest.raises(LoginFailed) as malformed:
        accounts.authenticate("../Robert'); DROP", PASSWORD, remote="r")
    assert str(wrong_password.value) == str(unknown_user.value) == str(malformed.value)
    assert str(unknown_user.value) == "wrong username or password"


def test_five_failures_from_one_address_refuse_that_address_at_that_username(
    accounts: Accounts, clock: Clock, slept: list[float]
) -> None:
    accounts.add_user("alice", PASSWORD, Role.editor)
    for i in range(5):
        with pytest.raises(LoginFailed):
            accounts.authenticate("alice", f"guess number {i}", remote="203.0.113.7")
        clock.advance(seconds=10)
    with pytest.raises(LoginThrottled) as throttled:
        accounts.authenticate("alice", PASSWORD, remote="203.0.113.7")
    # The first failure happened 50 s ago: when it leaves the 15-minute window, 4 remain.
    assert throttled.value.retry_after == 15 * 60 - 50
    assert "try again in 850 seconds" in str(throttled.value)
    # Only that address, at that username: alice, elsewhere, gets in (after a 1 s wait:
    # her name failed 5 times).
    assert accounts.authenticate("alice", PASSWORD, remote="198.51.100.1").username == "alice"
    assert slept == [1.0]
    # Refused attempts do not count: the window still runs out.
    clock.advance(minutes=10)
    with pytest.raises(LoginThrottled) as later:
        accounts.authenticate("alice", PASSWORD, remote="203.0.113.7")
    assert later.value.retry_after == 5 * 60 - 50 - 1
    clock.advance(minutes=5)
    assert accounts.authenticate("alice", PASSWORD, remote="203.0.113.7").username == "alice"


def test_guesses_from_many_addresses_never_lock_the_right_password_out(
    accounts: Accounts, slept: list[float]
) -> None:
    """60 failures at the admin's name from 12 addresses (5 each, the most each may) make
    the admin wait 10 s at most; they never refuse the admin."""
    accounts.add_user("admin", PASSWORD, Role.admin)
    for address in range(12):
        for _ in range(5):
            with pytest.raises(LoginFailed):
                accounts.authenticate("admin", "a guess", remote=f"203.0.113.{address}")
    assert accounts.authenticate("admin", PASSWORD, remote="198.51.100.1").username == "admin"
    assert slept[-1] == accounts.throttle.max_delay == 10.0


def test_a_usernames_failures_slow_each_next_attempt_progressively(
    accounts: Accounts, clock: Clock, slept: list[float]
) -> None:
    """Past a username's 5 free failures, each attempt waits 1, 2, 4, 8, then 10 s (the
    most) before its password is checked, from any address; an unknown username the same,
    and with the same answer."""
    accounts.add_user("alice", PASSWORD, Role.editor)
    for name in ("alice", "ghost"):
        slept.clear()
        for i in range(10):
            with pytest.raises(LoginFailed, match="wrong username or password"):
                accounts.authenticate(name, "a guess", remote=f"10.0.{i}.1")
        assert slept == [1.0, 2.0, 4.0, 8.0, 10.0]
        clock.advance(minutes=15)  # out of the window: no wait any more
        slept.clear()
        with pytest.raises(LoginFailed):
            accounts.authenticate(name, "a guess", remote="10.9.9.9")
        assert slept == []


def test_a_success_clears_the_failures_of_its_own_address(
    accounts: Accounts, slept: list[float]
) -> None:
    accounts.add_user("alice", PASSWORD, Role.editor)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            accounts.authenticate("alice", "typo typo typo", remote="r")
    accounts.authenticate("alice", PASSWORD, remote="r")
    for _ in range(5):  # the count starts again from zero
        with pytest.raises(LoginFailed):
            accounts.authenticate("alice", "typo typo typo", remote="r")
    with pytest.raises(LoginThrottled):
        accounts.authenticate("alice", PASSWORD, remote="r")
    # Someone else's failures are not cleared by alice's success: they still slow her.
    for i in range(6):
        with pytest.raises(LoginFailed):
            accounts.authenticate("alice", "a guess", remote=f"203.0.113.{i}")
    slept.clear()
    accounts.authenticate("alice", PASSWORD, remote="198.51.100.1")
    accounts.authenticate("alice", PASSWORD, remote="198.51.100.1")
    assert len(slept) == 2 and slept[0] == slept[1] > 0


def test_unknown_usernames_are_throttled_like_known_ones(accounts: Accounts) -> None:
    for _ in range(5):
        with pytest.raises(LoginFailed):
            accounts.authenticate("ghost", PASSWORD, remote="r")
    with pytest.raises(LoginThrottled):
        accounts.authenticate("ghost", PASSWORD, remote="r")


def test_twenty_failures_from_one_address_lock_that_address_out(accounts: Accounts) -> None:
    accounts.add_user("alice", PASSWORD, Role.editor)
    for i in range(20):  # spread over usernames, so that no username reaches its own limit
        with pytest.raises(LoginFailed):
            accounts.authenticate(f"user{i}", PASSWORD, remote="203.0.113.7")
    with pytest.raises(LoginThrottled):
        accounts.authenticate("alice", PASSWORD, remote="203.0.113.7")
    assert accounts.authenticate("alice", PASSWORD, remote="198.51.100.1").username == "alice"


@pytest.mark.parametrize(
    ("guesses", "usernames", "checked"), [(12, 1, 5), (30, 30, 20)], ids=["pair", "address"]
)
def test_guesses_sent_at_once_cannot_pass_the_limit_together(
    accounts: Accounts, guesses: int, usernames: int, checked: int
) -> None:
    """Each attempt is counted before its password is checked: of guesses sent at once from
    one address, exactly as many as its limit are checked (5 at one username, 20 in all)
    and the rest refused."""
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(guesses)

    def guess(i: int) -> None:
        start.wait()
        try:
            accounts.authenticate(f"user{i % usernames}", f"wrong guess {i}", remote="10.1.0.1")
            result = "in"
        except LoginFailed:
            result = "failed"
        except LoginThrottled:
            result = "throttled"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["failed"] * checked + ["throttled"] * (guesses - checked)


def test_a_disabled_user_cannot_log_in_and_loses_sessions_and_tokens(accounts: Accounts) -> None:
    alice = accounts.add_user("alice", PASSWORD, Role.editor)
    token, _ = accounts.open_session(alice)
    api, api_record = accounts.create_token("alice", "import script")
    assert accounts.session(token) is not None and accounts.token_user(api) == alice

    accounts.disable("alice")
    assert accounts.get_user("alice").disabled
    with pytest.raises(LoginFailed, match="wrong username or password"):
        accounts.authenticate("alice", PASSWORD, remote="r")
    assert accounts.session(token) is None
    assert accounts.token_user(api) is None
    assert [t.revoked for t in accounts.tokens("alice")] == [True]
    with pytest.raises(AccountError, match="disabled"):
        accounts.create_token("alice", "another")

    accounts.enable("alice")
    assert accounts.authenticate("alice", PASSWORD, remote="r").username == "alice"
    # Revoked stays revoked: enabling does not bring old credentials back.
    assert accounts.session(token) is None and accounts.token_user(api) is None
    assert api_record.id == accounts.tokens()[0].id


def test_logout_revokes_the_session(accounts: Accounts) -> None:
    alice = accounts.add_user("alice", PASSWORD, Role.viewer)
    token, session = accounts.open_session(alice)
    other, _ = accounts.open_session(alice)
    found = accounts.session(token)
    assert found == session and found.user == alice
    accounts.close_session(token)
    assert accounts.session(token) is None
    assert accounts.session(other) is not None  # another browser stays signed in
    accounts.close_session("never-issued")  # nothing to do, no error


def test_sessions_expire(accounts: Accounts, clock: Clock) -> None:
    alice = accounts.add_user("alice", PASSWORD, Role.viewer)
    instant, _ = accounts.open_session(alice, ttl=timedelta(0))
    assert accounts.session(instant) is None
    token, session = accounts.open_session(alice)
    assert session.expires_at == clock.now + timedelta(hours=12)
    clock.advance(hours=11, minutes=59)
    assert accounts.session(token) is not None
    clock.advance(minutes=1)
    assert accounts.session(token) is None


def test_session_tokens_are_kept_only_as_their_hash(
    store: Store, accounts: Accounts, db_path: Path
) -> None:
    alice = accounts.add_user("alice", PASSWORD, Role.editor)
    token, session = accounts.open_session(alice)
    assert len(token) >= 43 and session.csrf_token != token and len(session.csrf_token) >= 43
    assert accounts.session(token) == session  # the same CSRF token on every request
    assert accounts.session(token + "x") is None and accounts.session("") is None
    _, second = accounts.open_session(alice)
    assert second.csrf_token != session.csrf_token
    store.close()
    data = _db_bytes(db_path)
    assert token.encode() not in data
    assert hashlib.sha256(token.encode()).hexdigest().encode() in data


def test_api_tokens(store: Store, accounts: Accounts, clock: Clock, db_path: Path) -> None:
    alice = accounts.add_user("alice", PASSWORD, Role.editor)
    accounts.add_user("bob", PASSWORD, Role.viewer)
    token, record = accounts.create_token("alice", "import script")
    assert token.startswith("cw_") and len(token) >= 46
    assert (record.username, record.name, record.revoked, record.last_used_at) == (
        "alice",
        "import script",
        False,
        None,
    )
    assert accounts.token_user(token) == alice
    assert accounts.token_user(token[:-1]) is None and accounts.token_user("nonsense") is None
    assert accounts.tokens("alice")[0].last_used_at == clock.now

    first_use = clock.now
    clock.advance(seconds=30)
    accounts.token_user(token)  # within a minute: not written again
    assert accounts.tokens("alice")[0].last_used_at == first_use
    clock.advance(minutes=2)
    accounts.token_user(token)
    assert accounts.tokens("alice")[0].last_used_at == clock.now

    bobs, _ = accounts.create_token("bob", "reader")
    assert [t.username for t in accounts.tokens()] == ["alice", "bob"]
    assert [t.name for t in accounts.tokens("bob")] == ["reader"]
    with pytest.raises(UserNotFound):
        accounts.tokens("carol")
    with pytest.raises(UserNotFound):
        accounts.create_token("carol", "x")
    with pytest.raises(AccountError, match="name"):
        accounts.create_token("alice", "  ")

    accounts.revoke_token(record.id)
    assert accounts.token_user(token) is None
    assert accounts.token_user(bobs) is not None
    with pytest.raises(TokenNotFound, match="no API token with id 99"):
        accounts.revoke_token(99)
    store.close()
    data = _db_bytes(db_path)
    assert token.encode() not in data and bobs.encode() not in data


def test_a_new_token_reads_only_unless_asked_to_write(accounts: Accounts) -> None:
    alice = accounts.add_user("alice", PASSWORD, Role.admin)
    reader, read_record = accounts.create_token("alice", "dashboard")
    writer, write_record = accounts.create_token("alice", "import", scope=TokenScope.write)
    assert (read_record.scope, write_record.scope) == (TokenScope.read, TokenScope.write)
    assert accounts.token_grant(reader) == TokenGrant(alice, TokenScope.read, read_record.id)
    assert accounts.token_grant(writer) == TokenGrant(alice, TokenScope.write, write_record.id)
    assert [t.scope for t in accounts.tokens("alice")] == [TokenScope.read, TokenScope.write]
    with pytest.raises(ValueError):
        accounts.create_token("alice", "x", scope="admin")  # type: ignore[arg-type]
    assert len(accounts.tokens()) == 2


def test_an_expired_token_is_no_token(accounts: Accounts, clock: Clock) -> None:
    accounts.add_user("alice", PASSWORD, Role.editor)
    token, record = accounts.create_token("alice", "report", lifetime=timedelta(days=90))
    forever, _ = accounts.create_token("alice", "forever")
    assert record.expires_at == clock.now + timedelta(days=90)
    assert accounts.tokens("alice")[0].expires_at == record.expires_at
    clock.advance(days=89, hours=23, minutes=59)
    assert accounts.token_user(token) is not None
    clock.advance(minutes=1)
    assert accounts.token_grant(token) is None and accounts.token_user(token) is None
    listed = accounts.tokens("alice")[0]
    assert listed.expired(clock.now) and not listed.revoked
    clock.advance(days=3650)
    assert accounts.token_user(forever) is not None  # no expiry given: none
    for bad in (timedelta(0), timedelta(days=-1)):
        with pytest.raises(AccountError, match="lifetime must be positive"):
            accounts.create_token("alice", "x", lifetime=bad)
    assert len(accounts.tokens()) == 2


def test_migration_0007_keeps_older_tokens_working_as_write_tokens_without_expiry(
    store_url: str,
) -> None:
    """Up from 0005 (a token made before scopes), down again, and up: the token keeps its
    rights, and the tables match schema.py."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine, inspect, text

    from casework.store.migrate import _alembic_config, sqlalchemy_url
    from casework.store.schema import metadata

    store = open_store(store_url)
    store.accounts.add_user("alice", PASSWORD, Role.editor)
    store.close()
    config = _alembic_config()
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(store_url))
    command.downgrade(config, "0006")
    engine = create_engine(sqlalchemy_url(store_url))
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("api_tokens")}
        assert "scope" not in columns and "expires_at" not in columns
        token = "cw_" + "a" * 43
        with engine.begin() as conn:  # a token as 0006 made them
            conn.execute(
                text(
                    "INSERT INTO api_tokens (token_hash, user_id, name, created_at, revoked) "
                    "SELECT :digest, id, 'old script', :now, :revoked FROM users"
                ),
                {
                    "digest": hashlib.sha256(token.encode()).hexdigest(),
                    "now": datetime(2026, 1, 5, tzinfo=UTC),
                    "revoked": False,
                },
            )
    finally:
        engine.dispose()

    store = open_store(store_url)  # migrates to head
    try:
        grant = store.accounts.token_grant(token)
        assert grant is not None and grant.user.username == "alice"
        assert grant.scope is TokenScope.write
        [old] = store.accounts.tokens("alice")
        assert (old.name, old.scope, old.expires_at) == ("old script", TokenScope.write, None)
    finally:
        store.close()
    engine = create_engine(sqlalchemy_url(store_url))
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert [change for change in diff if "api_tokens" in repr(change)] == []
    finally:
        engine.dispose()
    command.downgrade(config, "0006")
    command.upgrade(config, "head")


def test_a_new_password_signs_out_sessions_but_keeps_tokens(accounts: Accounts) -> None:
    alice = accounts.add_user("alice", PASSWORD, Role.editor)
    session, _ = accounts.open_session(alice)
    api, _ = accounts.create_token("alice", "script")
    accounts.set_password("alice", "a brand new passphrase")
    assert accounts.session(session) is None
    assert accounts.token_user(api) == alice
    with pytest.raises(LoginFailed):
        accounts.authenticate("alice", PASSWORD, remote="r")
    assert accounts.authenticate("alice", "a brand new passphrase", remote="r") == alice
    with pytest.raises(WeakPassword):
        accounts.set_password("alice", "short")
    with pytest.raises(UserNotFound):
        accounts.set_password("carol", "a brand new passphrase")


def test_bad_input_is_refused_with_a_clear_error(accounts: Accounts) -> None:
    with pytest.raises(WeakPassword, match="at least 12 characters"):
        accounts.add_user("alice", "elevenchars", Role.editor)
    for bad in ("Alice", "a", "-alice", "al ice", "alice\n", "a" * 64, "ålice"):
        with pytest.raises(AccountError, match="invalid username"):
            accounts.add_user(bad, PASSWORD, Role.editor)
    with pytest.raises(AccountError, match="one line"):
        accounts.add_user("alice", PASSWORD, Role.editor, display_name="Alice\nAdmin")
    assert accounts.users() == []
    accounts.add_user("alice", PASSWORD, Role.editor)
    with pytest.raises(UserExists, match="'alice' already exists"):
        accounts.add_user("alice", "another password", Role.admin)
    assert accounts.get_user("alice").role is Role.editor
    with pytest.raises(UserNotFound, match="no user named 'bob'"):
        accounts.get_user("bob")
    for call in (accounts.disable, accounts.enable):
        with pytest.raises(UserNotFound):
            call("bob")
    ghost = dataclasses.replace(accounts.get_user("alice"), id=999, username="ghost")
    with pytest.raises(UserNotFound, match="ghost"):
        accounts.open_session(ghost)


def test_roles_and_listing(accounts: Accounts) -> None:
    accounts.add_user("zoe", PASSWORD, Role.viewer)
    accounts.add_user("adam", PASSWORD, Role.editor, display_name="Adam")
    accounts.set_role("zoe", Role.reviewer)
    assert [(u.username, u.role) for u in accounts.users()] == [
        ("adam", Role.editor),
        ("zoe", Role.reviewer),
    ]
    assert Role.admin.at_least(Role.reviewer) and Role.editor.at_least(Role.editor)
    assert not Role.viewer.at_least(Role.editor)
    assert sorted(Role, key=ROLE_RANK.__getitem__) == [
        Role.viewer,
        Role.editor,
        Role.reviewer,
        Role.admin,
    ]


def test_a_hash_made_with_cheaper_parameters_is_replaced_at_login(
    store: Store, accounts: Accounts, db_path: Path
) -> None:
    accounts.add_user("alice", PASSWORD, Role.editor)
    [before] = _column(db_path, "SELECT password_hash FROM users")
    assert isinstance(before, str) and ",t=1,p=1$" in before
    store.accounts.authenticate("alice", PASSWORD, remote="r")  # the default parameters
    [after] = _column(db_path, "SELECT password_hash FROM users")
    assert isinstance(after, str) and after.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert store.accounts.authenticate("alice", PASSWORD, remote="r").username == "alice"


# --- migration -----------------------------------------------------------------------------


@pytest.fixture
def at_0002(tmp_path: Path) -> Iterator[Path]:
    """A tracker database with a record, taken back to migration 0002 (before accounts)."""
    from alembic import command

    from casework.store.migrate import _alembic_config
    from tests.store.factories import make_record

    path = tmp_path / "old.db"
    store = open_store(path)
    store.create(make_record("kept"), author="t", message="m")
    store.close()
    config = _alembic_config()
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.downgrade(config, "0002")
    yield path


def test_a_0002_database_gains_the_account_tables_and_keeps_its_records(at_0002: Path) -> None:
    tables = set(_column(at_0002, "SELECT name FROM sqlite_master WHERE type = 'table'"))
    assert "users" not in tables and "records" in tables
    assert _column(at_0002, "SELECT version_num FROM alembic_version") == ["0002"]

    store = open_store(at_0002)
    try:
        assert store.get("kept").revision == 1
        assert store.verify_history() == []
        store.accounts.add_user("alice", PASSWORD, Role.admin)
        assert [u.username for u in store.accounts.users()] == ["alice"]
    finally:
        store.close()
    tables = set(_column(at_0002, "SELECT name FROM sqlite_master WHERE type = 'table'"))
    assert {"users", "sessions", "api_tokens", "login_failures"} <= tables
    assert _column(at_0002, "SELECT version_num FROM alembic_version") == [head_revision()]


def test_migration_0003_builds_what_schema_py_describes(db_path: Path, store: Store) -> None:
    """The migration and the SQLAlchemy tables agree (columns, types, indexes, keys)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from casework.store.schema import metadata

    engine = create_engine(f"sqlite:///{db_path}")
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()

    # The FTS5 tables are made in SQL by migration 0001 and are not in the metadata.
    mismatches = [
        change
        for change in diff
        if not (change[0] == "remove_table" and change[1].name.startswith("search_"))
    ]
    assert mismatches == []
