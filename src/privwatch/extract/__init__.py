"""Fact extraction: what a policy says about personal data (docs/facts.md)."""

from __future__ import annotations

from privwatch.extract.context import Context
from privwatch.extract.facts import find_facts as _find_facts
from privwatch.extract.lexicon import remembering
from privwatch.extract.scope import applicable, document_scope
from privwatch.extract.terms import quotable, rule_facts, unfair_terms
from privwatch.models import Document, Fact, Scope

__all__ = [
    "applicable",
    "document_scope",
    "find_facts",
    "quotable",
    "rule_facts",
    "unfair_terms",
]


def find_facts(
    document: Document, *, foreign: bool | None = None, scope: Scope | None = None
) -> list[Fact]:
    """Every fact the text addressed to Korean users (or to no one place)
    states; passages for users elsewhere are left out (``extract.scope``).
    ``foreign``: the business is established outside Korea (some readings
    depend on it), None when unknown; ``scope``: the document's, if known."""
    with remembering():
        scope = scope or document_scope(document)
        kept = applicable(document, scope=scope)
        return _find_facts(Context(kept, foreign=foreign, scope=scope))
