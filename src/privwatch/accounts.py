"""Dashboard accounts: names, roles and argon2 password hashes in the store,
managed from the CLI (``privwatch user``) and checked by the dashboard.

Only the hash is kept (argon2id, argon2-cffi's RFC 9106 defaults); checking a
password for an unknown name costs the same as for a known one, so the time of
an answer does not tell which names exist.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from privwatch.errors import PrivwatchError
from privwatch.fields import shown
from privwatch.store import Store
from privwatch.store import accounts as stored
from privwatch.store.accounts import Account

__all__ = [
    "MAX_NAME",
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "ROLES",
    "Account",
    "add_user",
    "authenticate",
    "check_name",
    "check_password",
    "list_users",
    "remove_user",
]

ROLES = ("viewer", "editor")
#: shorter passwords are refused
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_NAME = 100

_hasher = PasswordHasher()
#: verified against when the name is unknown, so both cases take as long
_DUMMY = _hasher.hash("privwatch: no such user")


def check_name(name: str) -> str:
    if (
        not name
        or len(name) > MAX_NAME
        or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in name)
    ):
        raise PrivwatchError(
            "user.bad_name", name=shown(name[:MAX_NAME]), limit=MAX_NAME
        )
    return name


def check_password(password: str) -> str:
    if not password:
        raise PrivwatchError("user.password_empty")
    if len(password) < MIN_PASSWORD:
        raise PrivwatchError("user.password_short", minimum=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise PrivwatchError("user.password_long", maximum=MAX_PASSWORD)
    return password


def add_user(store: Store, name: str, password: str, role: str) -> Account:
    """A new user; an existing name, a bad role or a short password is refused."""
    check_name(name)
    if role not in ROLES:
        raise PrivwatchError("user.bad_role", role=role, roles=", ".join(ROLES))
    digest = _hasher.hash(check_password(password))
    now = datetime.now(UTC).replace(tzinfo=None)
    return stored.insert_user(store, name, digest, role, now)


def list_users(store: Store) -> list[Account]:
    return stored.users(store)


def remove_user(store: Store, name: str) -> None:
    """Remove a user; their sessions go with them."""
    if not stored.delete_user(store, name):
        raise PrivwatchError("user.not_found", name=shown(name))


def authenticate(store: Store, name: str, password: str) -> Account | None:
    """The user whose name and password these are, else None."""
    found = stored.credentials(store, name)
    if found is None or len(password) > MAX_PASSWORD:
        _verify(_DUMMY, password[:MAX_PASSWORD])
        return None
    account, digest = found
    if not _verify(digest, password):
        return None
    if _hasher.check_needs_rehash(digest):
        stored.set_password_hash(store, account.id, _hasher.hash(password))
    return account


def _verify(digest: str, password: str) -> bool:
    try:
        return _hasher.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False
