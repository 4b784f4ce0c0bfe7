"""What every output says of certainty and scope: review items apart from
certain findings, the clauses beyond a finding's quotes, and a line at the top
when the document addresses users elsewhere than Korea."""

from __future__ import annotations

from privwatch.i18n import message
from privwatch.models import Audit, Finding

QUOTE = 120  # characters of the scope evidence quoted in the line


def split(
    findings: tuple[Finding, ...] | list[Finding],
) -> tuple[list[Finding], list[Finding]]:
    """The certain findings and the review items, each in their given order."""
    certain = [f for f in findings if f.certainty != "review"]
    review = [f for f in findings if f.certainty == "review"]
    return certain, review


def scope_line(audit: Audit, lang: str) -> str | None:
    """ "This text addresses users in US, not Korea: “…”", or None when the
    document addresses Korean users or no one place."""
    scope = audit.scope
    if scope.audience != "other":
        return None
    where = scope.where or "?"
    quotes = [e.text for e in scope.evidence if e.text]
    if not quotes:
        return message("audit.scope_other_plain", lang, where=where)
    quote = " ".join(quotes[0].split())
    if len(quote) > QUOTE:
        quote = quote[: QUOTE - 1] + "…"
    return message("audit.scope_other", lang, where=where, quote=quote)


def more_line(finding: Finding, lang: str) -> str | None:
    """ "and 2 more clauses: c12, c40", or None."""
    if not finding.more:
        return None
    return message(
        "audit.more_clause" if len(finding.more) == 1 else "audit.more_clauses",
        lang,
        count=len(finding.more),
        clauses=", ".join(finding.more),
    )
