"""The exit gate of a CI run: whether an audit's findings fail it."""

from __future__ import annotations

from collections.abc import Iterable

from privwatch.models import Finding, Severity


def fails(findings: Iterable[Finding], threshold: str, *, review: bool = False) -> bool:
    """Whether a finding is at least as severe as ``threshold`` (high, medium,
    low); review findings count only with ``review``."""
    return any(
        Severity(f.severity).rank <= Severity(threshold).rank
        and (review or f.certainty != "review")
        for f in findings
    )
