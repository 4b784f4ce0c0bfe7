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
