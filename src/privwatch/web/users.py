"""Dashboard users: names, roles and argon2 password hashes in the store.

Only the hash is kept (argon2id, argon2-cffi's RFC 9106 defaults); checking a
password for an unknown name costs the same as for a known one, so the time of
an answer does not tell which names exist.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from privwatch.errors import PrivwatchError
from privwatch.store import Store, User

ROLES = ("viewer", "editor")
#: shorter passwords are refused
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_NAME = 100

_hasher = PasswordHasher()
#: verified against when the name is unknown, so both cases take as long
_DUMMY = _hasher.hash("privwatch: no such user")


@dataclass(frozen=True)
class UserInfo:
    id: int
    name: str
    role: str
    created_at: datetime


def check_name(name: str) -> str:
    if (
        not name
        or len(name) > MAX_NAME
        or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in name)
    ):
        raise PrivwatchError("user.bad_name", name=name[:MAX_NAME], limit=MAX_NAME)
    return name


def check_password(password: str) -> str:
    if not password:
        raise PrivwatchError("user.password_empty")
    if len(password) < MIN_PASSWORD:
        raise PrivwatchError("user.password_short", minimum=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise PrivwatchError("user.password_long", maximum=MAX_PASSWORD)
    return password


def add_user(store: Store, name: str, password: str, role: str) -> UserInfo:
    """A new user; an existing name, a bad role or a short password is refused."""
    check_name(name)
    if role not in ROLES:
        raise PrivwatchError("user.bad_role", role=role, roles=", ".join(ROLES))
    digest = _hasher.hash(check_password(password))
    with store.session() as session:
        if session.scalar(select(User.id).where(User.name == name)) is not None:
            raise PrivwatchError("user.exists", name=name)
        row = User(
            name=name,
            password_hash=digest,
            role=role,
            created_at=datetime.now(UTC).replace(tzinfo=None),
        )
        session.add(row)
        session.flush()
        return UserInfo(row.id, row.name, row.role, row.created_at)


def list_users(store: Store) -> list[UserInfo]:
    with store.session() as session:
        return [
            UserInfo(u.id, u.name, u.role, u.created_at)
            for u in session.scalars(select(User).order_by(User.name))
        ]


def remove_user(store: Store, name: str) -> None:
    """Remove a user; their sessions go with them (the database cascades)."""
    with store.session() as session:
        removed = session.execute(delete(User).where(User.name == name))
        if not getattr(removed, "rowcount", 0):
            raise PrivwatchError("user.not_found", name=name)


def authenticate(store: Store, name: str, password: str) -> UserInfo | None:
    """The user whose name and password these are, else None."""
    with store.session() as session:
        row = session.scalar(select(User).where(User.name == name))
        if row is None or len(password) > MAX_PASSWORD:
            _verify(_DUMMY, password[:MAX_PASSWORD])
            return None
        if not _verify(row.password_hash, password):
            return None
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        return UserInfo(row.id, row.name, row.role, row.created_at)


def _verify(digest: str, password: str) -> bool:
    try:
        return _hasher.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False
