"""privwatch: audit what platforms say and do with personal data, against PIPA."""

__version__ = "0.1.0"

from privwatch.errors import (  # noqa: E402
    FetchError,
    InputError,
    NoTextError,
    PrivwatchError,
    TooLargeError,
    UnsupportedTypeError,
)
from privwatch.models import Cell, Clause, Document, Section, SourceInfo, Span  # noqa: E402
from privwatch.pipeline import document_from_bytes, ingest_document  # noqa: E402

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
