"""Dashboard users and their sign-in sessions, as kept in the store.

Only what is needed leaves: an ``Account`` (never its password hash, except to
``credentials`` for checking a password) and a ``SessionRecord``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from privwatch.errors import PrivwatchError
from privwatch.store import Store
from privwatch.store.schema import LoginSession, User


@dataclass(frozen=True)
class Account:
    """A dashboard user: ``role`` viewer or editor."""

    id: int
    name: str
    role: str
    created_at: datetime


@dataclass(frozen=True)
class SessionRecord:
    """A stored sign-in session: its user, CSRF token and expiry."""

    account: Account
    csrf_token: str
    expires_at: datetime


def _account(row: User) -> Account:
    return Account(row.id, row.name, row.role, row.created_at)


def insert_user(
    store: Store, name: str, password_hash: str, role: str, created_at: datetime
) -> Account:
    """A new user; an existing name is refused."""
    with store.session() as session:
        if session.scalar(select(User.id).where(User.name == name)) is not None:
            raise PrivwatchError("user.exists", name=name)
        row = User(
            name=name, password_hash=password_hash, role=role, created_at=created_at
        )
        session.add(row)
        session.flush()
        return _account(row)


def users(store: Store) -> list[Account]:
    """Every user, by name."""
    with store.session() as session:
        return [_account(u) for u in session.scalars(select(User).order_by(User.name))]


def delete_user(store: Store, name: str) -> bool:
    """Remove a user with their sessions (the database cascades); False when
    there is none of that name."""
    with store.session() as session:
        removed = session.execute(delete(User).where(User.name == name))
        return bool(getattr(removed, "rowcount", 0))


def credentials(store: Store, name: str) -> tuple[Account, str] | None:
    """The user of that name and their password hash."""
    with store.session() as session:
        row = session.scalar(select(User).where(User.name == name))
        return None if row is None else (_account(row), row.password_hash)


def set_password_hash(store: Store, user_id: int, password_hash: str) -> None:
    with store.session() as session:
        row = session.get(User, user_id)
        if row is not None:
            row.password_hash = password_hash


def open_session(
    store: Store,
    token_sha256: str,
    user_id: int,
    csrf_token: str,
    created_at: datetime,
    expires_at: datetime,
) -> None:
    """Keep a new session; every session expired by ``created_at`` goes."""
    with store.session() as session:
        session.execute(
            delete(LoginSession).where(LoginSession.expires_at < created_at)
        )
        session.add(
            LoginSession(
                token_sha256=token_sha256,
                user_id=user_id,
                csrf_token=csrf_token,
                created_at=created_at,
                expires_at=expires_at,
            )
        )


def find_session(store: Store, token_sha256: str) -> SessionRecord | None:
    with store.session() as session:
        found = session.execute(
            select(LoginSession.csrf_token, LoginSession.expires_at, User)
            .join(User, User.id == LoginSession.user_id)
            .where(LoginSession.token_sha256 == token_sha256)
        ).first()
        if found is None:
            return None
        csrf, expires, user = found
        return SessionRecord(_account(user), csrf, expires)


def close_session(store: Store, token_sha256: str) -> None:
    with store.session() as session:
        session.execute(
            delete(LoginSession).where(LoginSession.token_sha256 == token_sha256)
        )
