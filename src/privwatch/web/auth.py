"""Sign-in sessions and CSRF tokens for the dashboard.

A session is a random token (256 bits) in a cookie marked HttpOnly and
SameSite=Strict, and Secure (with the ``__Host-`` name prefix) when the page is
served over TLS. The store keeps only the token's SHA-256, the session's own
CSRF token and its expiry; signing out deletes the row.

Every form carries a CSRF token in a hidden field, checked on each POST: the
session's token once signed in; before that (the sign-in form) an HMAC of a
random nonce kept in a short-lived cookie of its own, under a key that lives
as long as the server process; the server keeps the nonces it issued, so each
pair is good for one attempt and for ten minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from privwatch.store import Store
from privwatch.store import accounts as stored

SESSION_COOKIE = "privwatch_session"
PRELOGIN_COOKIE = "privwatch_login"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def cookie_name(base: str, secure: bool) -> str:
    """``__Host-`` names are only accepted by browsers with Secure and Path=/."""
    return f"__Host-{base}" if secure else base


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class SignedIn:
    """The user behind a request and their session's CSRF token."""

    user_id: int
    name: str
    role: str
    csrf_token: str
    token_sha256: str

    @property
    def editor(self) -> bool:
        return self.role == "editor"


def open_session(store: Store, user_id: int, lifetime: timedelta) -> str:
    """A new session for ``user_id``; returns the token for the cookie. Expired
    sessions of every user are cleared on the way."""
    token = secrets.token_urlsafe(32)
    now = _now()
    stored.open_session(
        store, _digest(token), user_id, secrets.token_urlsafe(32), now, now + lifetime
    )
    return token


def find_session(store: Store, token: str | None) -> SignedIn | None:
    """The signed-in user for a cookie's token, if the session exists and has
    not expired."""
    if not token or len(token) > 200:
        return None
    digest = _digest(token)
    found = stored.find_session(store, digest)
    if found is None or found.expires_at <= _now():
        return None
    user = found.account
    return SignedIn(user.id, user.name, user.role, found.csrf_token, digest)


def close_session(store: Store, token_sha256: str) -> None:
    stored.close_session(store, token_sha256)


def same(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a submitted token."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


class PreLogin:
    """CSRF tokens for the sign-in form, before any session exists: the cookie
    holds a random nonce, the form an HMAC of it under a per-process key. The
    server keeps each nonce it issued until it is used (once) or expires after
    ``ttl`` seconds; past ``capacity`` nonces the oldest goes first."""

    def __init__(self, ttl: float = 600.0, capacity: int = 20_000) -> None:
        self.ttl, self.capacity = ttl, capacity
        self._key = secrets.token_bytes(32)
        self._issued: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def issue(self) -> tuple[str, str]:
        """(nonce for the cookie, token for the form)."""
        nonce = secrets.token_urlsafe(24)
        now = time.monotonic()
        with self._lock:
            while self._issued and (
                len(self._issued) >= self.capacity
                or next(iter(self._issued.values())) <= now
            ):
                self._issued.popitem(last=False)
            self._issued[nonce] = now + self.ttl
        return nonce, self._sign(nonce)

    def check(self, nonce: str | None, token: str | None) -> bool:
        """Whether the pair is one this server issued, unused and unexpired;
        a good pair is used up."""
        if not nonce or len(nonce) > 100 or not same(token, self._sign(nonce)):
            return False
        with self._lock:
            expires = self._issued.pop(nonce, None)
        return expires is not None and expires > time.monotonic()

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode(), hashlib.sha256).hexdigest()
