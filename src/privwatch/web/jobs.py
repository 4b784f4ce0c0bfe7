"""A watch cycle started from the dashboard, run in a background thread.

One cycle at a time per server; its state (running, finished, failed), who
started it and what it did with each document are kept for the status panel.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from privwatch.errors import PrivwatchError
from privwatch.store import Store
from privwatch.watch import Outcome, Politeness, run_once


@dataclass(frozen=True)
class RunState:
    state: str  # idle, running, finished, failed
    started_by: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    outcomes: tuple[Outcome, ...] = ()
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    platform: str | None = None
    """The one platform the cycle checks (None: every platform)."""
    error_key: str | None = None
    error_params: dict[str, object] = field(default_factory=dict)
    """``error`` as a message key and its values, to show in any language."""


class WatchRunner:
    def __init__(self, store: Store, *, delay: float = 1.0) -> None:
        self.store = store
        self.delay = delay
        self._lock = threading.Lock()
        self._state = RunState("idle")
        self._thread: threading.Thread | None = None

    @property
    def status(self) -> RunState:
        with self._lock:
            return self._state

    def start(self, user: str, platform: str | None = None) -> bool:
        """Start a cycle (of ``platform``'s documents only, when given) unless
        one is running; False when one is."""
        with self._lock:
            if self._state.state == "running":
                return False
            self._state = RunState("running", user, _now(), platform=platform)
            self._thread = threading.Thread(
                target=self._run, args=(platform,), name="privwatch-watch", daemon=True
            )
            self._thread.start()
            return True

    def _run(self, platform: str | None) -> None:
        try:
            outcomes = run_once(
                self.store, politeness=Politeness(delay=self.delay), platform=platform
            )
        except PrivwatchError as exc:  # the panel says so; the server goes on
            self._finish(
                "failed", error=exc.render("en"), key=exc.key, params=exc.params
            )
            return
        except Exception as exc:
            self._finish("failed", error=f"{type(exc).__name__}: {exc}")
            return
        counts: dict[str, int] = {}
        for outcome in outcomes:
            counts[outcome.result] = counts.get(outcome.result, 0) + 1
        self._finish("finished", outcomes=tuple(outcomes), counts=counts)

    def _finish(
        self,
        state: str,
        *,
        outcomes: tuple[Outcome, ...] = (),
        error: str | None = None,
        counts: dict[str, int] | None = None,
        key: str | None = None,
        params: dict[str, object] | None = None,
    ) -> None:
        with self._lock:
            before = self._state
            self._state = RunState(
                state,
                before.started_by,
                before.started_at,
                _now(),
                outcomes,
                error,
                counts or {},
                before.platform,
                key,
                params or {},
            )

    def join(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
