"""Limits on signing in: how many password checks run at once, and how many
failures a name, an address and a (name, address) pair may have.

An attempt is *reserved* (counted as a failure) before its password is checked,
under one lock, so parallel attempts cannot all pass the limit: with a limit
of 10, exactly 10 are checked. A success takes its reservation back; an attempt
that was never checked (the checks were all busy) too.

- A (name, address) pair with ``per_pair`` failures in ``window`` is refused
  (429): the guesser at that address stops, the account's owner elsewhere
  does not.
- An address with ``per_address`` failures under any names is refused (429);
  IPv6 addresses count by their /64 network.
- A name with ``slow_after`` failures from anywhere is only slowed: each
  attempt for it waits a delay that doubles with every further failure, up to
  ``max_delay`` seconds, and is then checked; the right password still gets in.
- At most ``checks`` passwords are checked at once (argon2 takes 64 MiB and
  the cores for each); one more is refused at once (503), never queued.
  ``spare`` more are kept for a name from an address it has signed in from
  before, so that a flood from elsewhere does not keep the owner out.

Each table keeps at most ``capacity`` names, addresses or pairs; when a new one
comes, the one used least recently goes (never every counter at once).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import math
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """How much failing signing in may do (see the module's text)."""

    per_pair: int = 10
    per_address: int = 50
    slow_after: int = 10
    first_delay: float = 0.25
    max_delay: float = 4.0
    window: float = 900.0
    capacity: int = 10_000
    checks: int = 2
    spare: int = 1
    """Checks kept for (name, address) pairs that have signed in before."""


class Recent:
    """Times of recent failures per key, for at most ``capacity`` keys: the
    least recently used key is evicted when a new one comes."""

    def __init__(self, capacity: int, window: float) -> None:
        self.capacity, self.window = capacity, window
        self._times: OrderedDict[str, deque[float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._times)

    def __contains__(self, key: str) -> bool:
        return key in self._times

    def count(self, key: str, now: float) -> int:
        times = self._times.get(key)
        if times is None:
            return 0
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._times[key]
            return 0
        self._times.move_to_end(key)  # looked at: recently used
        return len(times)

    def until(self, key: str) -> float:
        """When the oldest failure of ``key`` leaves the window."""
        times = self._times.get(key)
        return times[0] + self.window if times else 0.0

    def add(self, key: str, stamp: float) -> None:
        times = self._times.get(key)
        if times is None:
            while len(self._times) >= self.capacity:
                self._times.popitem(last=False)
            times = self._times[key] = deque(maxlen=4096)
        else:
            self._times.move_to_end(key)
        times.append(stamp)

    def remove(self, key: str, stamp: float) -> None:
        times = self._times.get(key)
        if times is not None and stamp in times:
            times.remove(stamp)

    def forget(self, key: str) -> None:
        self._times.pop(key, None)


@dataclass(frozen=True)
class Attempt:
    """A reserved attempt: already counted as a failure until it succeeds."""

    name: str
    address: str
    """The address's key (``address_key``)."""
    stamp: float
    delay: float
    """Seconds to wait before checking the password (the name's slow-down)."""
    known: bool = False
    """The name has signed in from this address before."""


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is refused (``pair`` or ``address``), and in how many
    seconds the oldest failure that refuses it is forgotten."""

    reason: str
    retry_after: int


class Throttle:
    """Reserves sign-in attempts under the limits (thread-safe)."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits = limits or Limits()
        self._names = Recent(limits.capacity, limits.window)
        self._addresses = Recent(limits.capacity, limits.window)
        self._pairs = Recent(limits.capacity, limits.window)
        self._known: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def reserve(self, name: str, address: str) -> Attempt | Refusal:
        """Count an attempt for ``name`` from ``address`` before its check,
        or refuse it when the pair or the address has failed too often."""
        limits, name, address = self.limits, name[:200], address_key(address)
        pair = _pair(name, address)
        with self._lock:
            now = time.monotonic()
            if self._pairs.count(pair, now) >= limits.per_pair:
                return Refusal("pair", _seconds(self._pairs.until(pair) - now))
            if self._addresses.count(address, now) >= limits.per_address:
                return Refusal(
                    "address", _seconds(self._addresses.until(address) - now)
                )
            over = self._names.count(name, now) - limits.slow_after
            known = pair in self._known
            for table, key in (
                (self._pairs, pair),
                (self._addresses, address),
                (self._names, name),
            ):
                table.add(key, now)
        delay = 0.0
        if over >= 0:
            delay = min(limits.max_delay, limits.first_delay * 2 ** min(over, 30))
        return Attempt(name, address, now, delay, known)

    def succeeded(self, attempt: Attempt) -> None:
        """The right password: the pair's failures are forgotten, and this
        attempt no longer counts against the address or the name."""
        pair = _pair(attempt.name, attempt.address)
        with self._lock:
            self._pairs.forget(pair)
            self._addresses.remove(attempt.address, attempt.stamp)
            self._names.remove(attempt.name, attempt.stamp)
            self._known[pair] = None
            self._known.move_to_end(pair)
            while len(self._known) > self.limits.capacity:
                self._known.popitem(last=False)

    def cancel(self, attempt: Attempt) -> None:
        """The attempt was not checked: it does not count."""
        with self._lock:
            self._pairs.remove(_pair(attempt.name, attempt.address), attempt.stamp)
            self._addresses.remove(attempt.address, attempt.stamp)
            self._names.remove(attempt.name, attempt.stamp)

    def tracked(self, name: str, address: str) -> dict[str, bool]:
        """Whether the name, the address and the pair have a table entry."""
        address = address_key(address)
        with self._lock:
            return {
                "name": name in self._names,
                "address": address in self._addresses,
                "pair": _pair(name, address) in self._pairs,
            }


def address_key(host: str) -> str:
    """The key of a client address: an IPv6 address by its /64 network (one
    host often has a whole /64 to choose from), an IPv4 one as it is."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:100]
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped
        if mapped is not None:
            return str(mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _seconds(left: float) -> int:
    return max(1, math.ceil(left))


def _pair(name: str, address: str) -> str:
    return f"{address}\n{name}"


class Busy(Exception):
    """Every password check is in use."""


class PasswordChecks:
    """At most ``size`` password checks at once, in threads of their own, and
    ``spare`` more for attempts from an address the name has signed in from;
    one more is refused at once (``Busy``) rather than queued. The threads run at
    a lower priority (nice 10, where the system allows it), so that argon2's
    work, under a flood, does not starve the thread that serves the pages.

    ``run`` is called from the event loop only, so the count needs no lock; the
    pool has ``size + spare`` threads, so no more checks than that ever run,
    even if a request is dropped while its check goes on."""

    def __init__(self, size: int, spare: int = 0) -> None:
        self.size, self.spare, self.running = max(1, size), max(0, spare), 0
        self._pool = ThreadPoolExecutor(
            self.size + self.spare,
            thread_name_prefix="password-check",
            initializer=_lower,
        )

    async def run(self, check: Callable[[], T], *, known: bool = False) -> T:
        if self.running >= self.size + (self.spare if known else 0):
            raise Busy
        self.running += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, check)
        finally:
            self.running -= 1

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _lower() -> None:
    """This thread (and the threads argon2 starts from it) at nice 10."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, not allowed
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
