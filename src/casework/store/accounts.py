"""Accounts: users and their roles, argon2id passwords, server-side sessions, API tokens and
login throttling — in the store's database, in SQLAlchemy Core, so that one class serves every
engine (SQLite now, PostgreSQL next).

What is kept, and why:
- a password only as its argon2id hash (argon2-cffi's `PasswordHasher`, whose defaults are
  OWASP's); a hash made with older parameters is replaced at the next successful login;
- a session or API token only as the SHA-256 of the random string handed out: a copy of the
  database lets nobody in, and a lookup is one probe of a unique index (no secret is compared
  in Python, so there is no timing to leak);
- each API token's scope (`read`: may only read; `write`: may also change records) and its
  optional expiry, after which it is no token at all;
- each failed login (unknown users too) with its username and remote address, to slow
  guessing down without letting anyone lock a user out (`Throttle`): an address that failed
  too often is refused for a while; a username that failed too often, from anywhere, makes
  each next attempt wait a little, but never refuses the right password.

Write transactions open with a write statement: on SQLite a transaction that reads first and
writes later can fail outright when another process wrote in between (its snapshot is stale),
while one that writes first waits for the lock. Password hashing (≈0.1 s) runs outside them.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, literal, or_, select, text, update
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import IntegrityError

from casework.model.roles import ROLE_RANK, Role
from casework.model.wording import N_, Wording, said
from casework.store.base import StoreError
from casework.store.schema import api_tokens, login_failures, sessions, users

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,62}")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # what the login form passes on; longer would only cost hashing time
MAX_DISPLAY_NAME = 200
MAX_TOKEN_NAME = 100

TOKEN_PREFIX = "cw_"  # noqa: S105 (a prefix that names the kind of secret, not a secret)
LAST_USED_PRECISION = timedelta(minutes=1)  # token_user writes last_used_at at most this often
_MAX_SECRET = 200  # longer than any token handed out: refused before hashing or a query
_KEEP_EXPIRED_SESSIONS = timedelta(days=7)


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    disabled: bool
    created_at: datetime


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str  # a random secret of this session, for the forms it posts
    expires_at: datetime


class TokenScope(StrEnum):
    """What an API token may do: `read` may only read (GET); `write` may also change records
    and everything else the user's role allows."""

    read = "read"
    write = "write"


DEFAULT_TOKEN_SCOPE = TokenScope.read
"""A new token reads only unless asked to write: most scripts read (exports, checks, a
dashboard), and a read token that leaks can change nothing. Writing is chosen when the token
is made."""


@dataclass(frozen=True)
class ApiToken:
    id: int
    username: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool
    scope: TokenScope
    expires_at: datetime | None  # None: never

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


@dataclass(frozen=True)
class TokenGrant:
    """What a live API token gives: its user, and what it may do."""

    user: User
    scope: TokenScope
    token_id: int


@dataclass(frozen=True)
class Throttle:
    """How sign-in guessing is slowed, counted over the failures of the last `window`:

    - from one address, `pair_limit` failures for one username, or `remote_limit` for any,
      refuse that address's next attempts (at that username, or at all) until the oldest
      counted failure leaves the window: guessing from one place stays slow, and no one
      elsewhere is refused;
    - for one username, from anywhere, the failures past `free_failures` make each next
      attempt wait before its password is checked: `base_delay` seconds, doubled with each
      further failure, at most `max_delay`. A wait, never a refusal: guesses from many
      addresses cannot lock the right password out, they only slow it down.
    """

    window: timedelta = timedelta(minutes=15)
    pair_limit: int = 5
    remote_limit: int = 20
    free_failures: int = 5
    base_delay: float = 1.0
    max_delay: float = 10.0

    def delay(self, user_failures: int) -> float:
        """Seconds an attempt waits after `user_failures` recent failures of its username."""
        past = user_failures - self.free_failures
        if past < 0:
            return 0.0
        return min(self.max_delay, self.base_delay * 2.0 ** min(past, 32))


@dataclass(frozen=True)
class LoginAttempt:
    """A sign-in attempt `Accounts.begin_login` counted: whose (the username as looked up),
    from where, and how long it must wait before its password is checked."""

    username: str
    remote: str
    id: int
    delay: float


class AccountError(StoreError):
    """Base of the accounts' errors; the message is one line: the English of `wording`
    (model/wording.py), which the users page shows in the tracker's language. A template
    marked N_ is translated; another's text (the CLI's) is shown as it is."""

    def __init__(self, template: str, **params: Any) -> None:
        self.wording = Wording(template, params)
        super().__init__(str(self.wording))


class UserExists(AccountError):
    def __init__(self, username: str) -> None:
        super().__init__(N_("a user named %(name)s already exists"), name=repr(username))
        self.username = username


class UserNotFound(AccountError):
    def __init__(self, username: str) -> None:
        super().__init__(N_("no user named %(name)s"), name=repr(username))
        self.username = username


class TokenNotFound(AccountError):
    def __init__(self, token_id: int) -> None:
        super().__init__(N_("no API token with id %(id)s"), id=token_id)
        self.token_id = token_id


class WeakPassword(AccountError):
    pass


class LoginFailed(AccountError):
    """Wrong username or wrong password: one message for both, so that a login form does not
    tell which usernames exist."""

    def __init__(self) -> None:
        super().__init__(N_("wrong username or password"))


class LoginThrottled(AccountError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            N_("too many failed sign-in attempts: try again in %(seconds)s seconds"),
            seconds=retry_after,
        )
        self.retry_after = retry_after


def utc_now() -> datetime:
    return datetime.now(UTC)


def generate_password() -> str:
    """A strong random password (24 URL-safe characters, 144 bits)."""
    return secrets.token_urlsafe(18)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _utc(moment: datetime) -> datetime:
    # SQLite gives times back naive (they are written as UTC); PostgreSQL gives them aware.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def check_username(username: str) -> str:
    if not USERNAME.fullmatch(username):
        raise AccountError(
            N_(
                "invalid username %(name)s: 2 to 63 characters, lowercase letters, digits, "
                "'.', '_' and '-', starting with a letter or digit"
            ),
            name=repr(username),
        )
    return username


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise WeakPassword(N_("password too short: at least %(num)s characters"), num=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise WeakPassword(N_("password too long: at most %(num)s characters"), num=MAX_PASSWORD)
    return password


def _check_one_line(what: Wording, value: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise AccountError(
            N_("%(what)s too long: at most %(num)s characters"), what=what, num=limit
        )
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise AccountError(
            N_("%(what)s must be one line of text, without control characters"), what=what
        )
    return value


_USER_COLUMNS = (
    users.c.id,
    users.c.username,
    users.c.display_name,
    users.c.role,
    users.c.disabled,
    users.c.created_at,
)


def _user(row: Row[*tuple[Any, ...]]) -> User:
    return User(
        id=int(row.id),
        username=str(row.username),
        display_name=str(row.display_name),
        role=Role(row.role),
        disabled=bool(row.disabled),
        created_at=_utc(row.created_at),
    )


def _token(row: Row[*tuple[Any, ...]]) -> ApiToken:
    return ApiToken(
        id=int(row.id),
        username=str(row.username),
        name=str(row.name),
        created_at=_utc(row.created_at),
        last_used_at=_utc(row.last_used_at) if row.last_used_at is not None else None,
        revoked=bool(row.revoked),
        scope=TokenScope(row.scope),
        expires_at=_utc(row.expires_at) if row.expires_at is not None else None,
    )


class Accounts:
    """Users, sessions and API tokens in the database behind `engine`.

    `hasher` defaults to argon2-cffi's `PasswordHasher()` (argon2id, 64 MiB, 3 passes, 4
    lanes); tests pass cheaper parameters. `clock` gives the current time (tests move it),
    `sleep` waits (`authenticate`'s wait); `throttle` says how guessing is slowed."""

    def __init__(
        self,
        engine: Engine,
        *,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], None] = time.sleep,
        throttle: Throttle | None = None,
    ) -> None:
        self._engine = engine
        self.hasher = hasher or PasswordHasher()
        self.throttle = throttle or Throttle()
        self._clock = clock
        self._sleep = sleep
        self._dummy: str | None = None

    # --- users ---------------------------------------------------------------------------
    def add_user(self, username: str, password: str, role: Role, display_name: str = "") -> User:
        """Raises AccountError (invalid username or name), WeakPassword, UserExists."""
        check_username(username)
        display_name = _check_one_line(said(N_("display name")), display_name, MAX_DISPLAY_NAME)
        role = Role(role)
        hashed = self.hasher.hash(check_password(password))
        now = self._clock()
        try:
            with self._engine.begin() as conn:
                result = conn.execute(
                    insert(users).values(
                        username=username,
                        display_name=display_name,
                        role=role.value,
                        password_hash=hashed,
                        disabled=False,
                        created_at=now,
                    )
                )
                user_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        except IntegrityError:
            raise UserExists(username) from None
        return User(user_id, username, display_name, role, False, _utc(now))

    def get_user(self, username: str) -> User:
        """Raises UserNotFound."""
        with self._engine.connect() as conn:
            row = conn.execute(select(*_USER_COLUMNS).where(users.c.username == username)).first()
        if row is None:
            raise UserNotFound(username)
        return _user(row)

    def users(self) -> list[User]:
        """Every user, by username."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(*_USER_COLUMNS).order_by(users.c.username)).all()
        return [_user(row) for row in rows]

    def set_password(self, username: str, password: str) -> None:
        """Replace a user's password and sign out every session of theirs (API tokens stay)."""
        hashed = self.hasher.hash(check_password(password))
        with self._engine.begin() as conn:
            self._update_user(conn, username, password_hash=hashed)
            self._revoke_sessions(conn, username)

    def set_role(self, username: str, role: Role) -> None:
        role = Role(role)
        with self._engine.begin() as conn:
            self._update_user(conn, username, role=role.value)

    def set_display_name(self, username: str, display_name: str) -> None:
        display_name = _check_one_line(said(N_("display name")), display_name, MAX_DISPLAY_NAME)
        with self._engine.begin() as conn:
            self._update_user(conn, username, display_name=display_name)

    def disable(self, username: str) -> None:
        """Refuse the user's logins and revoke all their sessions and API tokens, at once."""
        with self._engine.begin() as conn:
            self._update_user(conn, username, disabled=True)
            self._revoke_sessions(conn, username)
            conn.execute(
                update(api_tokens)
                .where(api_tokens.c.user_id == _user_id(username), api_tokens.c.revoked.is_(False))
                .values(revoked=True)
            )

    def enable(self, username: str) -> None:
        """Let a disabled user sign in again (their old sessions and tokens stay revoked)."""
        with self._engine.begin() as conn:
            self._update_user(conn, username, disabled=False)

    def _update_user(self, conn: Connection, username: str, **values: object) -> None:
        changed = conn.execute(
            update(users).where(users.c.username == username).values(**values)
        ).rowcount
        if changed != 1:
            raise UserNotFound(username)

    def _revoke_sessions(self, conn: Connection, username: str) -> None:
        conn.execute(
            update(sessions)
            .where(sessions.c.user_id == _user_id(username), sessions.c.revoked.is_(False))
            .values(revoked=True)
        )

    # --- login ---------------------------------------------------------------------------
    def authenticate(self, username: str, password: str, *, remote: str) -> User:
        """The user whose password this is: `begin_login`, its wait (slept here; an async
        caller awaits it instead, see `begin_login`), then `finish_login`. Raises
        LoginFailed or LoginThrottled."""
        attempt = self.begin_login(username, remote=remote)
        if attempt.delay:
            self._sleep(attempt.delay)
        return self.finish_login(attempt, password)

    def begin_login(self, username: str, *, remote: str) -> LoginAttempt:
        """Count a sign-in attempt by `username` from `remote` (the client's address) as a
        failure before its password is checked (`finish_login` clears it if it succeeds),
        so that guesses sent at once cannot all pass the count. Raises LoginThrottled when
        this address has failed too often, for this username or for any; otherwise the
        attempt, with the seconds to wait before its password may be checked (non-zero once
        this username has failed often from anywhere: a wait, never a refusal)."""
        key = username.strip().lower()[:200]
        remote = remote.strip()[:100] or "unknown"
        throttle = self.throttle
        now = self._clock()
        cutoff = now - throttle.window
        failures = login_failures.c
        with self._engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # SQLite's write lock serializes these transactions; under PostgreSQL's READ
                # COMMITTED, attempts made at once would each count only the committed ones
                # and all pass. A self-conflicting lock makes them count one after another
                # (held for this short transaction only, not while the password is checked).
                conn.execute(text("LOCK TABLE login_failures IN SHARE ROW EXCLUSIVE MODE"))
            conn.execute(delete(login_failures).where(failures.at < cutoff))
            result = conn.execute(
                insert(login_failures).values(username=key, remote=remote, at=now)
            )
            attempt = int(result.inserted_primary_key[0])  # type: ignore[index]
            earlier = (failures.at >= cutoff, failures.id != attempt)
            retry_after = max(
                self._retry_after(
                    conn, (failures.remote == remote, *earlier), throttle.remote_limit, now
                ),
                self._retry_after(
                    conn,
                    (failures.remote == remote, failures.username == key, *earlier),
                    throttle.pair_limit,
                    now,
                ),
            )
            if retry_after:
                # Refused attempts are not counted: the window runs out and the address
                # may try again.
                conn.execute(delete(login_failures).where(failures.id == attempt))
            else:
                user_failures = conn.execute(
                    select(func.count())
                    .select_from(login_failures)
                    .where(failures.username == key, *earlier)
                ).scalar_one()
        if retry_after:
            raise LoginThrottled(retry_after)
        return LoginAttempt(key, remote, attempt, throttle.delay(int(user_failures)))

    def finish_login(self, attempt: LoginAttempt, password: str) -> User:
        """Check the password of an attempt `begin_login` counted (once its wait is over).
        Raises LoginFailed: unknown user, wrong password and disabled user alike, in the
        same time (an unknown user's attempt costs a hash too). On success, the failures
        of this username from this address are cleared (not those from elsewhere: someone
        else's guesses keep slowing the next attempt down until they leave the window)."""
        with self._engine.connect() as conn:
            row = conn.execute(
                select(*_USER_COLUMNS, users.c.password_hash).where(
                    users.c.username == attempt.username
                )
            ).first()
        # (The dummy is made at the first attempt of any kind, not the first unknown user's.)
        dummy = self._dummy_hash()
        stored = str(row.password_hash) if row is not None else dummy
        verified: bool
        try:
            verified = self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            verified = False
        if row is None or not verified or row.disabled:
            raise LoginFailed()
        rehashed = self.hasher.hash(password) if self.hasher.check_needs_rehash(stored) else None
        with self._engine.begin() as conn:
            conn.execute(
                delete(login_failures).where(
                    login_failures.c.username == attempt.username,
                    login_failures.c.remote == attempt.remote,
                )
            )
            if rehashed is not None:
                conn.execute(
                    update(users)
                    .where(users.c.id == row.id, users.c.password_hash == stored)
                    .values(password_hash=rehashed)
                )
        return _user(row)

    def _retry_after(
        self, conn: Connection, where: tuple[Any, ...], limit: int, now: datetime
    ) -> int:
        """Seconds until fewer than `limit` failures matching `where` fall in the window (0:
        none to wait). The `limit`-th newest failure is the one whose expiry lets the next
        in."""
        times = conn.execute(
            select(login_failures.c.at)
            .where(*where)
            .order_by(login_failures.c.at.desc())
            .limit(limit)
        ).all()
        if len(times) < limit:
            return 0
        wait = _utc(times[-1][0]) + self.throttle.window - now
        return max(1, math.ceil(wait.total_seconds()))

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy

    # --- sessions ------------------------------------------------------------------------
    def open_session(
        self, user: User, *, ttl: timedelta = timedelta(hours=12)
    ) -> tuple[str, Session]:
        """A new session for `user`: (the token for the browser's cookie, the session).
        The database keeps only the token's SHA-256."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = self._clock()
        expires = now + ttl
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    delete(sessions).where(sessions.c.expires_at < now - _KEEP_EXPIRED_SESSIONS)
                )
                conn.execute(
                    insert(sessions).values(
                        token_hash=_digest(token),
                        user_id=user.id,
                        csrf_token=csrf,
                        created_at=now,
                        expires_at=expires,
                        revoked=False,
                    )
                )
        except IntegrityError:  # the user's row is gone (its id no longer exists)
            raise UserNotFound(user.username) from None
        return token, Session(user=user, csrf_token=csrf, expires_at=_utc(expires))

    def session(self, token: str) -> Session | None:
        """The live session `token` names; None when it is unknown, expired, revoked or its
        user is disabled. One indexed query."""
        if not token or len(token) > _MAX_SECRET:
            return None
        with self._engine.connect() as conn:
            row = conn.execute(
                select(*_USER_COLUMNS, sessions.c.csrf_token, sessions.c.expires_at)
                .join(users, users.c.id == sessions.c.user_id)
                .where(
                    sessions.c.token_hash == _digest(token),
                    sessions.c.revoked.is_(False),
                    sessions.c.expires_at > self._clock(),
                    users.c.disabled.is_(False),
                )
            ).first()
        if row is None:
            return None
        return Session(_user(row), str(row.csrf_token), _utc(row.expires_at))

    def close_session(self, token: str) -> None:
        """Sign out: the session is revoked server-side (an unknown token is ignored)."""
        if not token or len(token) > _MAX_SECRET:
            return
        with self._engine.begin() as conn:
            conn.execute(
                update(sessions).where(sessions.c.token_hash == _digest(token)).values(revoked=True)
            )

    # --- API tokens ----------------------------------------------------------------------
    def create_token(
        self,
        username: str,
        name: str,
        *,
        scope: TokenScope = DEFAULT_TOKEN_SCOPE,
        lifetime: timedelta | None = None,
    ) -> tuple[str, ApiToken]:
        """A new API token for `username`: (the token, shown once; its record), that may do
        what `scope` says and, given a `lifetime`, stops working once it has passed. The
        database keeps only the token's SHA-256. Raises UserNotFound, AccountError (disabled
        user, empty or overlong name, a lifetime that is not positive)."""
        name = _check_one_line(said(N_("token name")), name, MAX_TOKEN_NAME)
        if not name:
            raise AccountError(N_("a token needs a name (what uses it, e.g. 'import script')"))
        scope = TokenScope(scope)
        if lifetime is not None and lifetime <= timedelta(0):
            raise AccountError(N_("a token's lifetime must be positive (e.g. 90 days)"))
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        digest = _digest(token)
        now = self._clock()
        expires = now + lifetime if lifetime is not None else None
        with self._engine.begin() as conn:
            owner = select(users.c.id, users.c.disabled).where(users.c.username == username)
            written = conn.execute(
                insert(api_tokens).from_select(
                    [
                        "user_id",
                        "token_hash",
                        "name",
                        "created_at",
                        "revoked",
                        "scope",
                        "expires_at",
                    ],
                    select(
                        users.c.id,
                        literal(digest, api_tokens.c.token_hash.type),
                        literal(name, api_tokens.c.name.type),
                        literal(now, api_tokens.c.created_at.type),
                        literal(False, api_tokens.c.revoked.type),
                        literal(scope.value, api_tokens.c.scope.type),
                        literal(expires, api_tokens.c.expires_at.type),
                    ).where(users.c.username == username, users.c.disabled.is_(False)),
                ),
                # SQLAlchemy keeps an INSERT's rowcount only when asked (PostgreSQL gave -1).
                execution_options={"preserve_rowcount": True},
            ).rowcount
            if written != 1:
                if conn.execute(owner).first() is None:
                    raise UserNotFound(username)
                raise AccountError(
                    N_("user %(name)s is disabled: enable them first"), name=repr(username)
                )
            token_id = conn.execute(
                select(api_tokens.c.id).where(api_tokens.c.token_hash == digest)
            ).scalar_one()
        return token, ApiToken(
            int(token_id),
            username,
            name,
            _utc(now),
            None,
            False,
            scope,
            _utc(expires) if expires is not None else None,
        )

    def token_user(self, token: str) -> User | None:
        """The user an API token acts for (see `token_grant`); None for no live token."""
        grant = self.token_grant(token)
        return grant.user if grant is not None else None

    def token_grant(self, token: str) -> TokenGrant | None:
        """What an API token gives (its user and scope); None when it is unknown, revoked or
        expired, or its user is disabled. Notes when it was used (at most once a minute per
        token)."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > _MAX_SECRET:
            return None
        now = self._clock()
        with self._engine.connect() as conn:
            row = conn.execute(
                select(
                    *_USER_COLUMNS,
                    api_tokens.c.id.label("token_id"),
                    api_tokens.c.last_used_at,
                    api_tokens.c.scope,
                )
                .join(users, users.c.id == api_tokens.c.user_id)
                .where(
                    api_tokens.c.token_hash == _digest(token),
                    api_tokens.c.revoked.is_(False),
                    or_(api_tokens.c.expires_at.is_(None), api_tokens.c.expires_at > now),
                    users.c.disabled.is_(False),
                )
            ).first()
        if row is None:
            return None
        stale = now - LAST_USED_PRECISION
        if row.last_used_at is None or _utc(row.last_used_at) < stale:
            with self._engine.begin() as conn:
                conn.execute(
                    update(api_tokens)
                    .where(
                        api_tokens.c.id == row.token_id,
                        or_(api_tokens.c.last_used_at.is_(None), api_tokens.c.last_used_at < stale),
                    )
                    .values(last_used_at=now)
                )
        return TokenGrant(_user(row), TokenScope(row.scope), int(row.token_id))

    def tokens(self, username: str | None = None) -> list[ApiToken]:
        """Every API token (of `username`, or of everyone), oldest first; revoked ones too.
        Raises UserNotFound for an unknown `username`."""
        query = (
            select(
                api_tokens.c.id,
                users.c.username,
                api_tokens.c.name,
                api_tokens.c.created_at,
                api_tokens.c.last_used_at,
                api_tokens.c.revoked,
                api_tokens.c.scope,
                api_tokens.c.expires_at,
            )
            .join(users, users.c.id == api_tokens.c.user_id)
            .order_by(api_tokens.c.id)
        )
        with self._engine.connect() as conn:
            if username is not None:
                exists = conn.execute(select(users.c.id).where(users.c.username == username))
                if exists.first() is None:
                    raise UserNotFound(username)
                query = query.where(users.c.username == username)
            rows = conn.execute(query).all()
        return [_token(row) for row in rows]

    def revoke_token(self, token_id: int) -> None:
        """Revoke an API token for good. Raises TokenNotFound."""
        with self._engine.begin() as conn:
            changed = conn.execute(
                update(api_tokens).where(api_tokens.c.id == token_id).values(revoked=True)
            ).rowcount
            if changed != 1:
                raise TokenNotFound(token_id)


def _user_id(username: str) -> Any:
    """The id of `username`, as a scalar subquery (so that a write needs no read first)."""
    return select(users.c.id).where(users.c.username == username).scalar_subquery()


__all__ = [
    "ROLE_RANK",
    "AccountError",
    "Accounts",
    "ApiToken",
    "LoginAttempt",
    "LoginFailed",
    "LoginThrottled",
    "Role",
    "Session",
    "Throttle",
    "TokenGrant",
    "TokenNotFound",
    "TokenScope",
    "User",
    "UserExists",
    "UserNotFound",
    "WeakPassword",
]
