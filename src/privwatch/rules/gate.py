"""The exit gate of a CI run: whether an audit's findings fail it."""

from __future__ import annotations

from collections.abc import Iterable

from privwatch.models import Finding
from privwatch.rules.engine import ORDER


def fails(findings: Iterable[Finding], threshold: str, *, review: bool = False) -> bool:
    """Whether a finding is at least as severe as ``threshold`` (high, medium,
    low); review findings count only with ``review``."""
    return any(
        ORDER[f.severity] <= ORDER[threshold] and (review or f.certainty != "review")
        for f in findings
    )
