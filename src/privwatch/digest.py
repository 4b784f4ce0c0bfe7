"""The SHA-256 of a file's bytes, read in chunks (a HAR or a PDF may be large)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from privwatch.errors import InputError


def file_sha256(path: Path) -> str:
    """Hex digest of ``path``'s bytes; an unreadable file is an ``InputError``."""
    try:
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError as exc:
        raise InputError(
            "input.unreadable", path=path, reason=exc.strerror or type(exc).__name__
        ) from None
