"""Sign-in sessions and CSRF tokens for the dashboard.

A session is a random token (256 bits) in a cookie marked HttpOnly and
SameSite=Strict, and Secure (with the ``__Host-`` name prefix) when the page is
served over TLS. The store keeps only the token's SHA-256, the session's own
CSRF token and its expiry; signing out deletes the row.

Every form carries a CSRF token in a hidden field, checked on each POST: the
session's token once signed in; before that (the sign-in form) an HMAC of a
random nonce kept in a short-lived cookie of its own, under a key that lives
as long as the server process.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
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
    holds a random nonce, the form an HMAC of it under a per-process key."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def issue(self) -> tuple[str, str]:
        """(nonce for the cookie, token for the form)."""
        nonce = secrets.token_urlsafe(24)
        return nonce, self._sign(nonce)

    def check(self, nonce: str | None, token: str | None) -> bool:
        return bool(nonce) and same(token, self._sign(nonce or ""))

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode(), hashlib.sha256).hexdigest()


class Throttle:
    """At most ``limit`` failed sign-ins per name in ``window`` seconds."""

    def __init__(self, limit: int = 10, window: float = 900.0) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, name: str) -> bool:
        with self._lock:
            recent = self._recent(name)
            return len(recent) >= self.limit

    def failed(self, name: str) -> None:
        with self._lock:
            self._recent(name).append(time.monotonic())

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)

    def _recent(self, name: str) -> deque[float]:
        if len(self._failures) > 10_000:  # names are chosen by whoever asks
            self._failures.clear()
        recent = self._failures.setdefault(name[:200], deque())
        while recent and recent[0] < time.monotonic() - self.window:
            recent.popleft()
        return recent
