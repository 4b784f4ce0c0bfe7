"""Fact extraction: what a policy says about personal data (docs/facts.md)."""

from __future__ import annotations

from privwatch.extract.context import Context
from privwatch.extract.facts import find_facts as _find_facts
from privwatch.models import Document, Fact

__all__ = ["find_facts"]


def find_facts(document: Document) -> list[Fact]:
    """Every fact the policy states, in document order of extraction steps."""
    return _find_facts(Context(document))
