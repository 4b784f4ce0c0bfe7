"""Tell people when a watched document changes: a JSON POST to a webhook, or a
mail through an SMTP server, each when its trigger fires.

Triggers: ``change`` (a new version of a document that had one before),
``findings`` (findings new or resolved against the previous version) and ``high``
(new high-severity findings; on a document's first version, all of them count
as new). A delivery that fails is reported back, not retried: the version is
stored either way and ``watch history`` / ``watch diff`` still show it.
"""

from __future__ import annotations

import json
import os
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from functools import cached_property
from typing import Any

import httpx

from privwatch.diff import (
    ClauseChange,
    FindingDelta,
    clause_texts,
    diff_clauses,
    summary,
)
from privwatch.diff import finding_delta as delta_of
from privwatch.errors import PrivwatchError
from privwatch.i18n import message
from privwatch.ingest.source import http_client
from privwatch.models import Finding
from privwatch.rules.words import finding_words
from privwatch.store import Alert, Version
from privwatch.store.records import decode_audit

SCHEMA = "privwatch.alert/1"
TIMEOUT = 10.0


@dataclass(frozen=True)
class Change:
    """A new stored version of a watched document, and the one before it."""

    platform: str
    kind: str
    url: str
    version: Version
    previous: Version | None

    @cached_property
    def delta(self) -> FindingDelta:
        return delta_of(
            decode_audit(self.previous.audit_json) if self.previous else None,
            decode_audit(self.version.audit_json),
        )

    @cached_property
    def clauses(self) -> list[ClauseChange]:
        if self.previous is None:
            return []
        return diff_clauses(
            clause_texts(self.previous.document_json),
            clause_texts(self.version.document_json),
        )


def fires(trigger: str, change: Change) -> bool:
    if trigger == "change":
        return change.previous is not None
    if trigger == "findings":
        return bool(change.delta.new or change.delta.resolved)
    return any(f.severity == "high" for f in change.delta.new)


def _brief(finding: Finding) -> dict[str, Any]:
    """A finding in the payload, its title in English (``privwatch.alert/1``)."""
    quotes = [e.text for e in finding.evidence if e.entry_index is None]
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "law": finding.law,
        "article": finding.article,
        "title": finding_words(finding, "en").title,
        "quote": quotes[0] if quotes else None,
    }


def payload(change: Change) -> dict[str, Any]:
    """The JSON a webhook receives (``privwatch.alert/1``)."""
    version, previous = change.version, change.previous
    audit = decode_audit(version.audit_json)
    return {
        "schema": SCHEMA,
        "platform": change.platform,
        "kind": change.kind,
        "url": change.url,
        "version": version.number,
        "fetched_at": version.fetched_at.isoformat(timespec="seconds"),
        "text_sha256": version.text_sha256,
        "previous": previous.number if previous else None,
        "clauses": summary(change.clauses),
        "summary": audit.summary if audit else {},
        "findings": {
            "new": [_brief(f) for f in change.delta.new],
            "resolved": [_brief(f) for f in change.delta.resolved],
        },
    }


def send_webhook(url: str, body: dict[str, Any]) -> None:
    """POST ``body`` to ``url``; the address goes through ``netpolicy`` like
    every fetch (a refused one is an ``AddressRefused``, an httpx error)."""
    with http_client(TIMEOUT, accept=None, follow_redirects=False) as session:
        response = session.post(url, json=body)
    response.raise_for_status()


def mail_message(settings: dict[str, Any], body: dict[str, Any]) -> EmailMessage:
    """A plain-text mail in the alert's language, the payload attached as JSON."""
    lang = settings.get("language", "en")
    counts = body["clauses"]
    lines = [
        message(
            "alert.mail.opening",
            lang,
            platform=body["platform"],
            kind=body["kind"],
            version=body["version"],
            fetched_at=body["fetched_at"],
            url=body["url"],
        ),
        message("diff.summary", lang, **counts),
        message("diff.findings_new", lang, count=len(body["findings"]["new"])),
        *(
            f"  {f['severity'].upper()} {f['title']} ({f['law']} {f['article']})"
            for f in body["findings"]["new"]
        ),
        message(
            "diff.findings_resolved", lang, count=len(body["findings"]["resolved"])
        ),
        *(f"  {f['title']}" for f in body["findings"]["resolved"]),
    ]
    mail = EmailMessage()
    mail["Subject"] = message(
        "alert.mail.subject",
        lang,
        platform=body["platform"],
        kind=body["kind"],
        version=body["version"],
    )
    mail["From"] = settings["from"]
    mail["To"] = ", ".join(settings["to"])
    mail.set_content("\n".join(lines) + "\n")
    mail.add_attachment(
        json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8"),
        maintype="application",
        subtype="json",
        filename="privwatch-alert.json",
    )
    return mail


def send_mail(settings: dict[str, Any], body: dict[str, Any]) -> None:
    with smtplib.SMTP(settings["host"], settings["port"], timeout=TIMEOUT) as smtp:
        if settings.get("starttls"):
            smtp.starttls()
        if settings.get("username"):
            password = os.environ.get(settings.get("password_env") or "", "")
            smtp.login(settings["username"], password)
        smtp.send_message(mail_message(settings, body))


def notify(alerts: Sequence[Alert], change: Change) -> list[PrivwatchError]:
    """Send ``change`` to every alert whose trigger fires; returns an error for
    each delivery that failed."""
    failures = []
    for alert in alerts:
        if not fires(alert.trigger, change):
            continue
        where = alert.settings.get("url") or ", ".join(alert.settings.get("to", []))
        try:
            if alert.channel == "webhook":
                send_webhook(alert.settings["url"], payload(change))
            else:
                send_mail(alert.settings, payload(change))
        except (httpx.HTTPError, OSError, smtplib.SMTPException) as exc:
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())
            failures.append(
                PrivwatchError(
                    "watch.alert_failed",
                    channel=alert.channel,
                    target=where,
                    reason=reason,
                )
            )
    return failures
