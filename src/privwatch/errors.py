"""Errors privwatch reports to its users.

Every error carries a message key from ``data/messages.yaml`` and the values the
message needs, so the CLI can show it in Korean or English::

    PrivwatchError            exit status 2 (usage or input error)
      x InputError            the source cannot be read as a document
        + UnsupportedTypeError   not a format privwatch reads
        + TooLargeError          over the configured size limit
        + NoTextError            nothing extractable (empty or image-only)
      x FetchError            the URL could not be fetched
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class PrivwatchError(Exception):
    """Base of privwatch's user-facing errors."""

    exit_code = 2

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key}: {params}")

    def render(self, lang: str = "en") -> str:
        """Return the one-line message in ``lang``."""
        from privwatch.i18n import message

        return message(self.key, lang, **self.params)


class InputError(PrivwatchError):
    """The source cannot be read as a document."""


class UnsupportedTypeError(InputError):
    """The source is not HTML, PDF, DOCX, Markdown or plain text."""


class TooLargeError(InputError):
    """The source exceeds the configured size limit."""


class NoTextError(InputError):
    """The source holds no extractable text."""


class FetchError(PrivwatchError):
    """The URL could not be fetched (unreachable, timeout, non-2xx)."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) while working through several items, with how far
    the work got: ``counts`` by what became of the items (``stored`` or
    ``written`` first, then ``earlier``, ``unchanged``, ``skipped``,
    ``failed``, ``rolled_back``, ``not_stored``, ``not_started``: message
    keys ``interrupted.<name>``) out of ``total``; ``rerun`` says what running
    the command again does (``rest``: only what is missing; ``all``)."""

    def __init__(self, total: int, counts: dict[str, int], rerun: str = "rest"):
        super().__init__()
        self.total = total
        self.counts = counts
        self.rerun = rerun


class Tally:
    """What a loop over ``total`` items did so far, said as ``Interrupted``
    when it is interrupted: ``start()`` before an item's work, ``add(status)``
    once it is kept (``done``, the first status, is the one counted against
    the total). Used as a context manager around the loop, it turns a
    KeyboardInterrupt into ``Interrupted``; an item started and not added was
    cut off (``cut``: ``rolled_back`` when its work is one transaction, or
    ``not_stored``), the others ``not_started``."""

    def __init__(
        self,
        total: int,
        done: str = "stored",
        *,
        cut: str = "rolled_back",
        rerun: str = "rest",
    ) -> None:
        self.total = total
        self.done = done
        self.cut = cut
        self.rerun = rerun
        self.counts: dict[str, int] = {done: 0}
        self.running = 0

    def start(self, items: int = 1) -> None:
        self.running += items

    def add(self, status: str, items: int = 1) -> None:
        self.counts[status] = self.counts.get(status, 0) + items
        self.running = max(0, self.running - items)

    def interrupted(self) -> Interrupted:
        counts = dict(self.counts)
        counts[self.cut] = counts.get(self.cut, 0) + self.running
        left = self.total - sum(counts.values()) + counts.get("earlier", 0)
        counts["not_started"] = counts.get("not_started", 0) + max(0, left)
        shown = {k: v for k, v in counts.items() if v or k == self.done}
        return Interrupted(self.total, shown, self.rerun)

    def __enter__(self) -> Tally:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: Any, tb: Any) -> None:
        cut_short = kind is not None and issubclass(kind, KeyboardInterrupt)
        if cut_short and not isinstance(exc, Interrupted):
            raise self.interrupted() from None


@contextmanager
def children_spared() -> Iterator[None]:
    """SIGINT ignored while worker processes start: they inherit it, so a
    Ctrl-C at the terminal reaches only this process, which stops them, not
    each of them with a traceback of its own. A Ctrl-C meanwhile is lost."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to hand down
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
