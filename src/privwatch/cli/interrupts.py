"""Ctrl-C and SIGTERM: the one line saying what was done, and status 130.

Every command stops the same way: SIGTERM is made a KeyboardInterrupt, the
loops over many items turn it into ``privwatch.errors.Interrupted`` with their
counts (``privwatch.errors.Tally``), and the root command hands it to ``main``
past click (which would print a blank line and make it an ``Abort``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from typing import Any

import click

from privwatch.cli.output import PARTS
from privwatch.i18n import message


class Stop(Exception):
    """A KeyboardInterrupt carried past click's handling to ``main``."""

    def __init__(self, interrupt: KeyboardInterrupt) -> None:
        super().__init__()
        self.interrupt = interrupt


class RootGroup(click.Group):
    """The app's group: an interrupt while a command runs becomes ``Stop``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            raise Stop(exc) from None


def stop_on_signals() -> None:
    """SIGTERM stops a command as Ctrl-C does (SIGINT: Python's default, or
    ignored as the shell that started it in the background chose)."""
    with contextlib.suppress(ValueError):  # not the main thread: leave them
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    # SQLAlchemy's pool logs, traceback and all, an interrupt that lands while
    # it resets a connection (then invalidates it and lets the interrupt go on)
    # (its loggers have no handler: Python's last resort prints to stderr)
    shown = logging.StreamHandler()
    shown.setLevel(logging.WARNING)
    shown.addFilter(_not_an_interrupt)
    logging.getLogger("sqlalchemy.pool").addHandler(shown)


def _not_an_interrupt(record: logging.LogRecord) -> bool:
    return not (record.exc_info and isinstance(record.exc_info[1], KeyboardInterrupt))


def quiet_from_now() -> None:
    """A second Ctrl-C while the first is being reported is ignored."""
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def interrupted_line(interrupt: BaseException | None, lang: str) -> str:
    """What an interrupted command did, in one line of ``lang``."""
    from privwatch.errors import Interrupted

    if not isinstance(interrupt, Interrupted):
        return message("interrupted", lang)
    if not interrupt.counts:  # between two rounds of work
        return message("interrupted.between_cycles", lang)
    parts = [
        message(f"interrupted.{key}", lang, count=count, total=interrupt.total)
        for key, count in interrupt.counts.items()
    ]
    rerun = message(f"interrupted.rerun.{interrupt.rerun}", lang)
    return message("interrupted.counts", lang, parts=", ".join(parts), rerun=rerun)


def leave_now(code: int) -> None:
    """Exit with ``code`` at once, output flushed: what was stored is
    committed, and the interpreter's own shutdown (a second or more with the
    libraries of a batch loaded, and an embedding thread still in native code)
    is skipped."""
    mp_util = sys.modules.get("multiprocessing.util")
    if mp_util is not None:  # the pool's semaphores released, its processes
        # (stopped already) reaped: else the resource tracker complains
        with contextlib.suppress(Exception):
            mp_util._exit_function()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    for part in list(PARTS):  # never a half-written output left behind
        with contextlib.suppress(OSError):
            os.unlink(part)
    os._exit(code)
