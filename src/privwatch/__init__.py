"""privwatch: audit what platforms say and do with personal data, against PIPA."""

__version__ = "0.1.0"

import typing  # noqa: E402

from privwatch.errors import (  # noqa: E402
    FetchError,
    InputError,
    NoTextError,
    PrivwatchError,
    TooLargeError,
    UnsupportedTypeError,
)

if typing.TYPE_CHECKING:
    from privwatch.models import Cell, Clause, Document, Section, SourceInfo, Span
    from privwatch.pipeline import document_from_bytes, ingest_document

# Loaded on first use: the pipeline imports every reader and model, and the
# command line (``privwatch --help``) should not pay for them.
_LAZY = {
    "Cell": "privwatch.models",
    "Clause": "privwatch.models",
    "Document": "privwatch.models",
    "Section": "privwatch.models",
    "SourceInfo": "privwatch.models",
    "Span": "privwatch.models",
    "document_from_bytes": "privwatch.pipeline",
    "ingest_document": "privwatch.pipeline",
}


def __getattr__(name: str) -> typing.Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'privwatch' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_LAZY[name]), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "Cell",
    "Clause",
    "Document",
    "FetchError",
    "InputError",
    "NoTextError",
    "PrivwatchError",
    "Section",
    "SourceInfo",
    "Span",
    "TooLargeError",
    "UnsupportedTypeError",
    "__version__",
    "document_from_bytes",
    "ingest_document",
]
